package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.ArenaRunner;
import org.peftarena.arena.registry.RunRegistry;

/**
 * One convention on every command: {@code --json} alone prints one JSON document and nothing else
 * to stdout, {@code --json FILE.json} writes it there and keeps the text; values are typed.
 */
class JsonOutputTest {
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The whole of stdout, parsed: fails when anything besides one document is there. */
    private static JsonNode document(CliRunner r) throws Exception {
        assertEquals(0, r.exitCode(), r.err());
        return M.readTree(r.out());
    }

    @Test
    void everyCommandTakesJson() {
        check(Main.commandLine());
    }

    private static void check(picocli.CommandLine c) {
        if (c.getSubcommands().isEmpty() && !(c.getCommandSpec().userObject() instanceof picocli.CommandLine.HelpCommand)) {
            assertTrue(c.getCommandSpec().optionsMap().containsKey("--json"), c.getCommandName() + " lacks --json");
        }
        c.getSubcommands().values().forEach(JsonOutputTest::check);
    }

    @Test
    void doctorPrintsTypedValues() throws Exception {
        JsonNode d = document(CliRunner.run("doctor", "--json"));
        assertTrue(d.get("cores").isInt(), d.toString());
        assertTrue(d.get("max_heap_mb").isIntegralNumber(), d.toString());
        assertTrue(d.get("native_library").isBoolean(), d.toString());
        assertTrue(d.get("cuda_compiled").isBoolean(), d.toString());
        assertTrue(d.get("cuda_devices").isInt(), d.toString());
        assertTrue(d.get("kernel_threads").isInt(), d.toString());
        assertTrue(d.get("cuda_device_names").isArray(), d.toString());
        JsonNode omp = d.get("OMP_NUM_THREADS");
        assertTrue(omp.isNull() || omp.isInt() || omp.isTextual(), d.toString());
        assertTrue(d.get("version").isTextual() && d.get("commit").isTextual(), d.toString());
        assertTrue(d.get("commit").asText().matches("[0-9a-f]{7,64}|unknown"), d.toString());
    }

    @Test
    void aFileNamedAfterJsonGetsTheDocumentAndStdoutKeepsTheText() throws Exception {
        Path file = tmp.resolve("doctor.json");
        CliRunner r = CliRunner.run("doctor", "--json", file.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("native_library") && r.out().contains("  ok"), r.out());
        assertTrue(M.readTree(file.toFile()).get("cores").isInt());
    }

    @Test
    void modelInfoDoesNotTakeTheModelDirectoryAsItsFile() throws Exception {
        Path model = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("m")));
        JsonNode d = document(CliRunner.run("model", "info", "--json", model.toString()));
        assertEquals(16, d.get("hidden_size").asInt());
        assertTrue(d.get("hidden_size").isInt() && d.get("tie_word_embeddings").isBoolean(), d.toString());
        assertEquals("llama", d.get("model_type").asText(), "lowercase, as config.json spells it");
        assertTrue(d.get("linear_modules").isArray() && d.get("linear_modules").size() > 0, d.toString());
    }

    @Test
    void paramsGivesTheConfigAsAnObject() throws Exception {
        Path model = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("m")));
        JsonNode d = document(CliRunner.run("params", "--model-config", model.toString(), "--method", "lora", "--rank", "2",
                "--json"));
        assertTrue(d.get("config").isObject(), d.toString());
        assertEquals("lora", d.get("config").get("method").asText());
        assertEquals(2, d.get("config").get("rank").asInt());
        assertTrue(d.get("total").isIntegralNumber() && d.get("budget").isNull(), d.toString());
    }

    @Test
    void trainThenMergePrintDocuments() throws Exception {
        Path base = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("base")));
        Path data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n{\"prompt\": \"2+2=\", \"response\": \"4\"}\n");
        Path adapter = tmp.resolve("adapter");
        JsonNode t = document(CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--rank", "2",
                "--data", data.toString(), "--out", adapter.toString(), "--steps", "2", "--batch-size", "2", "--json"));
        assertTrue(t.get("config").isObject() && t.get("config").get("rank").isInt(), t.toString());
        assertTrue(t.get("final_loss").isDouble() && t.get("trainable_parameters").isIntegralNumber(), t.toString());

        JsonNode m = document(CliRunner.run("merge", "--base", base.toString(), "--adapter", adapter.toString(),
                "--out", tmp.resolve("merged").toString(), "--json"));
        assertEquals("lora", m.get("config").get("method").asText());
        assertTrue(m.get("layers").isInt(), m.toString());
    }

    @Test
    void aDryRunPrintsItsExamplesAsADocument() throws Exception {
        Path base = TrainMergeCommandTest.tinyModel(Files.createDirectories(tmp.resolve("base")));
        Path data = Files.writeString(tmp.resolve("data.jsonl"), "{\"prompt\": \"Thank you.\", \"response\": \"Danke.\"}\n");
        Path out = tmp.resolve("out");
        JsonNode d = document(CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--data",
                data.toString(), "--out", out.toString(), "--dry-run", "--template", "none", "--lr", "0.001", "--json"));
        assertEquals(0.001, d.get("learning_rate").asDouble(), 0.0);
        assertTrue(d.get("learning_rate").isDouble(), d.toString());
        assertEquals("none", d.get("template").asText());
        assertEquals(1, d.get("examples_total").asInt());
        JsonNode e = d.get("examples").get(0);
        assertEquals("Thank you.", e.get("prompt").asText());
        assertEquals("Danke.", e.get("response").asText());
        assertEquals(10, e.get("prompt_tokens").asInt(), "one byte token per character");
        assertTrue(e.get("bos").isBoolean() && e.get("eos").isBoolean(), e.toString());
        assertTrue(Files.notExists(out), "a dry run writes nothing");
    }

    @Test
    void importScoresPrintsCounts() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        RunRegistry.open(ArenaRunner.registryFile(work)).close();
        Path csv = Files.writeString(tmp.resolve("s.csv"), "run,alpha,target,general,target_task\nx,1,40.5,30.25,de\n");
        JsonNode d = document(CliRunner.run("import-scores", csv.toString(), "--workdir", work.toString(), "--json"));
        assertEquals(1, d.get("created").asInt());
        assertTrue(d.get("scores").isInt() && d.get("attached").isInt(), d.toString());
    }

    @Test
    void kernelsBenchPrintsOneResultPerOperation() throws Exception {
        JsonNode d = document(CliRunner.run("kernels", "bench", "--op", "svdvals", "--batch", "2", "--m", "4", "--n",
                "4", "--reps", "1", "--warmup", "0", "--json"));
        assertEquals(1, d.get("results").size(), d.toString());
        JsonNode r = d.get("results").get(0);
        assertTrue(r.get("ours_min_ms").isDouble() && r.get("speedup").isDouble() && r.get("torch_threads").isInt(),
                d.toString());
    }
}
