package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelType;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.formats.tokenizer.ByteTokenizer;

/** The arena, report and import-scores commands on a tiny random model and tiny user tasks. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArenaCommandsTest {
    @TempDir
    static Path tmp;

    static Path config;
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        LlamaConfig c = new LlamaConfig(ModelType.LLAMA, ByteTokenizer.VOCAB_SIZE, 32, 64, 2, 2, 1, 16, 1e-5, 10000.0,
                null, false, false, false, true, 64, ModelDType.FLOAT32.hfName(), ByteTokenizer.BOS,
                List.of(ByteTokenizer.EOS), ByteTokenizer.PAD, null);
        Path model = tmp.resolve("model");
        HfModelDirectory.save(new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, 1, 0.02)), model);
        new ByteTokenizer().exportTo(model);
        Files.writeString(tmp.resolve("tgt-train.txt"), "der die das und nicht wir haben eine.\n\n".repeat(30));
        Files.writeString(tmp.resolve("tgt-test.txt"), "die das und wir haben.\n\n".repeat(4));
        Files.writeString(tmp.resolve("gen-test.txt"), "the of and we have this.\n\n".repeat(4));
        Files.writeString(tmp.resolve("sum.jsonl"), "{\"prompt\": \"1+2=\", \"response\": \"3\"}\n");
        config = Files.writeString(tmp.resolve("arena.yaml"), """
                name: tiny
                base_model: model
                methods: [lora, full]
                budgets: [{name: r2, lora_rank: 2}]
                targets: [tgt]
                general: [gen, sum]
                training: {steps: 4, batch_size: 4, seq_len: 32, checkpoint_every: 2}
                evaluation: {max_tokens: 256, problems: 4, batch_size: 4, trajectory_every: 2}
                tasks:
                  tgt: {kind: text, train: tgt-train.txt, test: tgt-test.txt}
                  gen: {kind: text, train: gen-test.txt, test: gen-test.txt}
                  sum: {kind: problems, train: sum.jsonl, test: sum.jsonl}
                """);
        work = tmp.resolve("work");
    }

    @Test
    @Order(1)
    void arenaRunsPrintsTheTableAndWritesTheReport() {
        CliRunner r = CliRunner.run("arena", "--config", config.toString(), "--workdir", work.toString(), "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| method | budget | size | params | vs budget | lr | steps | target | seed | Target"
                + " | General | Forget | Gain | frontier |"), r.out());
        assertTrue(r.out().contains("| lora | r2 |"), r.out());
        assertTrue(r.out().contains("frontier tgt / all:"), r.out());
        assertTrue(r.out().contains("3 run(s) executed"), r.out());
        assertTrue(r.out().contains("operating point lora r2 tgt (linear path): alpha "), r.out());
        assertTrue(r.out().contains("operating point full fixed tgt (dense path): alpha "), r.out());
        assertTrue(r.err().contains("[3/3]"), r.err());
        assertTrue(r.out().contains("diagnostics: 2 run(s) at 8 module location(s)"), r.out());
        assertTrue(Files.isRegularFile(work.resolve("report/report.html")));
    }

    @Test
    @Order(2)
    void rerunSkipsFinishedRuns() {
        CliRunner r = CliRunner.run("arena", "--config", config.toString(), "--workdir", work.toString(), "--no-progress",
                "--no-report");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("0 run(s) executed, 3 already finished"), r.out());
    }

    @Test
    @Order(3)
    void importScoresThenReportWritesFourFiles() throws Exception {
        Path csv = Files.writeString(tmp.resolve("ext.csv"),
                "adapter,alpha,target,general,method,budget,target_task\n/x/a,1,5,6,lora,r2,tgt\n/x/a,0.5,4,7,lora,r2,tgt\n");
        CliRunner imp = CliRunner.run("import-scores", csv.toString(), "--workdir", work.toString());
        assertEquals(0, imp.exitCode(), imp.err());
        assertTrue(imp.out().contains("imported 2 score(s)"), imp.out());
        Path out = tmp.resolve("rep");
        CliRunner rep = CliRunner.run("report", "--workdir", work.toString(), "--out", out.toString());
        assertEquals(0, rep.exitCode(), rep.err());
        for (String f : List.of("report.json", "runs.csv", "report.md", "report.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(out.resolve("runs.csv")).contains("external"));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Interpolation paths") && md.contains("## Overshoot") && md.contains("| imported |"), md);
    }

    @Test
    @Order(4)
    void badInputIsAClearErrorWithTheRightExitCode() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "methods: [lora, nosuch]\n");
        CliRunner a = CliRunner.run("arena", "--config", bad.toString(), "--workdir", tmp.resolve("w2").toString());
        assertEquals(Main.EXIT_FAILURE, a.exitCode());
        assertTrue(a.err().contains("nosuch"), a.err());
        CliRunner r = CliRunner.run("report", "--workdir", tmp.resolve("nothing-here").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("no run registry"), r.err());
        CliRunner i = CliRunner.run("import-scores", tmp.resolve("missing.csv").toString(), "--workdir", work.toString());
        assertEquals(Main.EXIT_FAILURE, i.exitCode());
        assertTrue(i.err().contains("not found"), i.err());
    }

    @Test
    @Order(5)
    void failedDiagnosticsAreOneErrorLineAndKeepTheRuns() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad-diag.yaml"), Files.readString(config)
                + "diagnostics: {modules: [mlp.nope_proj]}\n");
        CliRunner r = CliRunner.run("arena", "--config", bad.toString(), "--workdir", work.toString(), "--no-progress");
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.err());
        assertTrue(r.out().contains("0 run(s) executed, 3 already finished, 0 failed"), r.out());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error: ")).count(), r.err());
        assertTrue(r.err().contains("error: diagnostics failed for 2 run(s), whose training and scores are kept"), r.err());
        assertTrue(r.err().contains("has no module model.layers.0.mlp.nope_proj"), r.err());
        Path off = Files.writeString(tmp.resolve("no-diag.yaml"), Files.readString(config)
                + "diagnostics: {enabled: false}\n");
        CliRunner quiet = CliRunner.run("arena", "--config", off.toString(), "--workdir", work.toString(),
                "--no-progress", "--no-report");
        assertEquals(0, quiet.exitCode(), "switched off, earlier diagnostics failures do not fail the command");
        assertTrue(!quiet.out().contains("diagnostics:") && !quiet.err().contains("error:"), quiet.err());
    }
}
