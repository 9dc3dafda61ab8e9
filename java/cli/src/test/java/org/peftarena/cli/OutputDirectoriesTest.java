package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.oft.OftConfig;

/** No command silently replaces a directory, destroys an input or leaves a partial result behind. */
class OutputDirectoriesTest {
    @TempDir
    static Path tmp;
    static Path base;
    static Path oft;
    static Path data;

    @BeforeAll
    static void models() throws Exception {
        LlamaModel model = TinyModelFixture.model();
        base = TinyModelFixture.save(model, tmp.resolve("base"));
        oft = TinyModelFixture.adapter(model, new OftConfig(4), tmp.resolve("oft"));
        data = tmp.resolve("data.jsonl");
        Files.writeString(data, "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n{\"prompt\": \"2+2=\", \"response\": \"4\"}\n");
    }

    private static String merge(Path out, String... extra) {
        String[] args = Stream.concat(Stream.of("merge", "--base", base.toString(), "--adapter", oft.toString(),
                "--out", out.toString()), Stream.of(extra)).toArray(String[]::new);
        return String.valueOf(CliRunner.run(args).exitCode());
    }

    private static long siblings(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("." + dir.getFileName())).count();
        }
    }

    @Test
    void mergeIntoTheBaseIsRefusedAndTheBaseSurvives() throws Exception {
        byte[] before = Files.readAllBytes(base.resolve("model.safetensors"));
        CliRunner r = CliRunner.run("merge", "--base", base.toString(), "--adapter", oft.toString(), "--out", base.toString(),
                "--overwrite");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("input"), r.err());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(base.resolve("model.safetensors"))));
        r = CliRunner.run("merge", "--base", base.toString(), "--adapter", oft.toString(), "--out", tmp.toString(), "--overwrite");
        assertEquals(2, r.exitCode(), "an --out that contains the inputs: " + r.err());
    }

    @Test
    void mergeIntoAModelDirectoryNeedsOverwriteAndLeavesNoStaleShards() throws Exception {
        Path out = tmp.resolve("merged");
        assertEquals("0", merge(out));
        assertEquals("2", merge(out));
        Files.writeString(out.resolve("model.safetensors.index.json"), "{\"weight_map\": {}}");
        Files.writeString(out.resolve("model-00001-of-00002.safetensors"), "stale");
        assertEquals("0", merge(out, "--overwrite"));
        assertFalse(Files.exists(out.resolve("model.safetensors.index.json")), "stale index survived");
        assertFalse(Files.exists(out.resolve("model-00001-of-00002.safetensors")), "stale shard survived");
        assertTrue(Files.isRegularFile(out.resolve("model.safetensors")));
        assertEquals(0, siblings(out), "staging directories left behind");
    }

    @Test
    void rewindDoesNotReplaceAnEarlierResult() throws Exception {
        Path out = tmp.resolve("rewound");
        String[] args = {"rewind", "--base", base.toString(), "--adapter", oft.toString(), "--strategy", "uniform",
            "--out", out.toString()};
        assertEquals(0, CliRunner.run(args).exitCode());
        CliRunner again = CliRunner.run(args);
        assertEquals(2, again.exitCode(), again.out());
        assertTrue(again.err().contains("--overwrite"), again.err());
    }

    @Test
    void trainDoesNotReplaceAnotherRunUnlessAsked() throws Exception {
        Path out = tmp.resolve("run");
        String[] lora = {"train", "--base", base.toString(), "--method", "lora", "--rank", "2", "--data", data.toString(),
            "--out", out.toString(), "--steps", "2", "--batch-size", "2"};
        assertEquals(0, CliRunner.run(lora).exitCode());
        String[] oftRun = {"train", "--base", base.toString(), "--method", "oft", "--block-size", "4", "--data", data.toString(),
            "--out", out.toString(), "--steps", "2", "--batch-size", "2"};
        CliRunner r = CliRunner.run(oftRun);
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("--resume"), r.err());
        assertTrue(Files.readString(out.resolve("adapter_config.json")).contains("LORA"));
        String[] overwrite = Stream.concat(Stream.of(oftRun), Stream.of("--overwrite")).toArray(String[]::new);
        r = CliRunner.run(overwrite);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(out.resolve("adapter_config.json")).contains("\"OFT\""));
        assertEquals(0, siblings(out));
    }

    @Test
    void aReplacingRunThatDivergesKeepsTheCheckpointItsErrorNames() throws Exception {
        Path out = tmp.resolve("replaced-then-diverged");
        String[] first = {"train", "--base", base.toString(), "--method", "lora", "--rank", "2", "--data", data.toString(),
            "--out", out.toString(), "--steps", "2", "--batch-size", "2"};
        assertEquals(0, CliRunner.run(first).exitCode());
        // a learning rate of 1e30 (unclipped) makes the adapter's weights overflow: the loss of step 2 or 3 is not finite
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--rank", "2", "--data",
                data.toString(), "--out", out.toString(), "--steps", "40", "--batch-size", "2", "--lr", "1e30", "--clip",
                "1e30", "--warmup", "0", "--checkpoint-every", "1", "--overwrite");
        assertEquals(1, r.exitCode(), r.err());
        java.util.regex.Matcher named = java.util.regex.Pattern.compile("the last good checkpoint is (\\S+)").matcher(r.err());
        assertTrue(named.find(), r.err());
        Path checkpoint = Path.of(named.group(1));
        assertTrue(checkpoint.startsWith(out), "the error names a checkpoint in --out: " + r.err());
        assertTrue(Files.isDirectory(checkpoint), "the named checkpoint exists: " + r.err());
        assertFalse(Files.exists(out.resolve("adapter_config.json")), "the replaced run's result is gone, not mixed in");
        assertEquals(0, siblings(out), "staging directories left behind");
        CliRunner resumed = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--rank", "2", "--data",
                data.toString(), "--out", out.toString(), "--steps", "40", "--batch-size", "2", "--lr", "1e30", "--clip",
                "1e30", "--warmup", "0", "--checkpoint-every", "1", "--resume");
        assertTrue(resumed.err().contains("resumed from " + checkpoint) || resumed.err().contains(checkpoint.toString()),
                "--resume continues from the named checkpoint: " + resumed.err());
    }

    @Test
    void aReplacingRunThatDivergesBeforeAnyCheckpointLeavesOutAsItWas() throws Exception {
        Path out = tmp.resolve("kept-after-divergence");
        String[] first = {"train", "--base", base.toString(), "--method", "lora", "--rank", "2", "--data", data.toString(),
            "--out", out.toString(), "--steps", "2", "--batch-size", "2"};
        assertEquals(0, CliRunner.run(first).exitCode());
        byte[] adapter = Files.readAllBytes(out.resolve("adapter_model.safetensors"));
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--rank", "2", "--data",
                data.toString(), "--out", out.toString(), "--steps", "40", "--batch-size", "2", "--lr", "1e30", "--clip",
                "1e30", "--warmup", "0", "--overwrite");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("no checkpoint was written before it; " + out + " was left as it was"), r.err());
        assertTrue(java.util.Arrays.equals(adapter, Files.readAllBytes(out.resolve("adapter_model.safetensors"))));
        assertEquals(0, siblings(out), "staging directories left behind");
    }

    @Test
    void anEmptyOrFileOutIsAClearError() throws Exception {
        CliRunner r = CliRunner.run("merge", "--base", base.toString(), "--adapter", oft.toString(), "--out", "");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("empty"), r.err());
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        r = CliRunner.run("merge", "--base", base.toString(), "--adapter", oft.toString(), "--out", file.toString(), "--overwrite");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("not a directory"), r.err());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void aFailedCommandLeavesNoOutputDirectory() throws Exception {
        Path out = tmp.resolve("never");
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--data", tmp.resolve("missing.jsonl").toString(),
                "--out", out.toString(), "--steps", "2");
        assertEquals(1, r.exitCode(), r.err());
        assertFalse(Files.exists(out), "a failed train left " + out);
        r = CliRunner.run("merge", "--base", tmp.resolve("no-such-base").toString(), "--adapter", oft.toString(), "--out", out.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertFalse(Files.exists(out), "a failed merge left " + out);
        assertEquals(0, siblings(out));
    }

    @Test
    void importScoresIntoAWorkdirWithoutARegistryIsRefusedLikeReport() throws Exception {
        Path scores = Files.writeString(tmp.resolve("scores.csv"), "run,alpha,target,general\nr1,1,50,60\n");
        Path work = tmp.resolve("typo-workdir");
        CliRunner r = CliRunner.run("import-scores", scores.toString(), "--workdir", work.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("no run registry"), r.err());
        assertFalse(Files.exists(work), "import-scores created " + work);
    }

    @Test
    void trainWithAnUnwritableOutFailsBeforeTheFirstStep() throws Exception {
        Path blocker = Files.writeString(tmp.resolve("blocker"), "a file where a directory would have to be");
        CliRunner r = CliRunner.run("train", "--base", base.toString(), "--method", "lora", "--data", data.toString(),
                "--out", blocker.resolve("run").toString(), "--steps", "2", "--batch-size", "2");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertFalse(r.err().contains("step 1/"), r.err());
        assertTrue(r.err().contains("cannot"), r.err());
    }
}
