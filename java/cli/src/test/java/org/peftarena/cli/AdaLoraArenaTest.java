package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.ArenaRunner;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigLoader;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.eval.TaskEvaluator;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.report.ArenaReport;
import org.peftarena.arena.report.BaseRow;
import org.peftarena.arena.report.ReportBuilder;
import org.peftarena.arena.report.RunRow;
import org.peftarena.arena.report.Trajectory;
import org.peftarena.arena.run.RunArtifacts;
import org.peftarena.arena.scores.ArenaScores;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;

/** An arena with AdaLoRA: budget-matched, trained, its intermediate checkpoints reloaded for the trajectory. */
class AdaLoraArenaTest {
    @Test
    void anArenaRunsAdaLoraWithItsTrajectory(@TempDir Path tmp) throws Exception {
        TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("model")));
        Files.writeString(tmp.resolve("t.txt"), "der die das und nicht wir haben eine.\n\n".repeat(20));
        Files.writeString(tmp.resolve("g.jsonl"), "{\"prompt\": \"1+2=\", \"response\": \"3\"}\n");
        Path config = Files.writeString(tmp.resolve("arena.yaml"), """
                name: ada
                base_model: model
                methods: [adalora]
                budgets: [{name: r2, lora_rank: 2}]
                targets: [t]
                general: [g]
                extra_tasks: []
                training: {steps: 4, batch_size: 2, seq_len: 32, checkpoint_every: 2}
                evaluation: {max_tokens: 64, problems: 1, batch_size: 2, trajectory_every: 2}
                tasks:
                  t: {kind: text, train: t.txt, test: t.txt}
                  g: {kind: problems, train: g.jsonl, test: g.jsonl}
                """);
        Path work = tmp.resolve("work");
        CliRunner r = CliRunner.run("arena", "--config", config.toString(), "--workdir", work.toString(),
                "--no-progress", "--no-report");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| adalora | r2 |"), r.out());
        assertTrue(r.out().contains("2 run(s) executed"), r.out());
        // again with --json: nothing is redone, and each frontier is an object with a fixed key order
        CliRunner j = CliRunner.run("arena", "--config", config.toString(), "--workdir", work.toString(),
                "--no-progress", "--json");
        assertEquals(0, j.exitCode(), j.err());
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(j.out());
        assertEquals(0, doc.get("executed").asInt(), j.out());
        assertTrue(doc.get("frontiers").size() > 0, j.out());
        for (com.fasterxml.jackson.databind.JsonNode f : doc.get("frontiers")) {
            List<String> keys = new java.util.ArrayList<>();
            f.fieldNames().forEachRemaining(keys::add);
            assertEquals(List.of("target", "band", "runs"), keys, j.out());
        }

        ArenaReport report;
        try (RunRegistry reg = RunRegistry.open(ArenaRunner.registryFile(work))) {
            report = ReportBuilder.build(reg, "ada");
        }
        assertEquals(1, report.bases().size());
        assertEquals(1, report.runs().size());
        BaseRow base = report.bases().get(0);
        RunRow ada = report.runs().get(0);
        assertEquals("adalora", ada.method());

        // the saved adapter, reloaded onto a fresh base and merged, scored by the evaluation called here:
        // the same fp32 weights and batches as the arena's scoring, so the same scores bit for bit
        ArenaConfig arena = ArenaConfigLoader.load(null, config, Map.of());
        TaskEvaluator evaluator = new TaskEvaluator(new TaskCatalog(arena.tasks(), arena.evaluation().problems(),
                arena.evaluation().seed()), Tokenizers.load(tmp.resolve("model")), arena.evaluation());
        LlamaModel fresh = HfModelDirectory.load(tmp.resolve("model"), ModelDType.FLOAT32);
        AdapterCheckpoint adapter = AdapterIO.load(Path.of(ada.artifactDir()).resolve(RunArtifacts.MODEL_DIR));
        PeftModel pm = PeftModel.attach(fresh, adapter.config(), adapter.targets(), 0);
        pm.adapters().load(adapter.tensors());
        pm.merge();
        fresh.setTrainable(n -> false);
        Map<String, Double> again = ArenaScores.percentages(evaluator.evaluate(fresh, List.of("t", "g")));
        assertEquals(again, ada.tasks(), "the recorded task scores are those of the saved adapter");
        Map<String, Double> baseAgain = ArenaScores.percentages(evaluator.evaluate(
                HfModelDirectory.load(tmp.resolve("model"), ModelDType.FLOAT32), List.of("t", "g")));
        assertEquals(baseAgain, base.tasks(), "the recorded base scores are those of the base model");

        // the protocol's scores: Target = the target task, General = mean of the general tasks (one here)
        assertEquals(again.get("t"), ada.targetScore(), 0);
        assertEquals(again.get("g"), ada.generalScore(), 0);
        assertEquals(baseAgain.get("g") - again.get("g"), ada.forget(), 1e-12, "Forget = General(base) - General(run)");
        assertEquals(again.get("t") - baseAgain.get("t"), ada.gain(), 1e-12, "Gain = Target(run) - Target(base)");
        assertTrue(ada.onFrontier() && ada.onBandFrontier(), "a lone run is on every frontier");

        // the trajectory starts at the base, passes the checkpoint at step 2 and ends at the final scores
        Trajectory t = report.trajectories().stream().filter(x -> x.runId().equals(ada.runId())).findFirst().orElseThrow();
        assertEquals(List.of(0, 2, 4), t.steps());
        assertEquals(List.of(base.targetScore(), ada.targetScore()), List.of(t.targetScores().get(0), t.targetScores().get(2)));
        assertEquals(List.of(base.generalScore(), ada.generalScore()), List.of(t.generalScores().get(0), t.generalScores().get(2)));
    }
}
