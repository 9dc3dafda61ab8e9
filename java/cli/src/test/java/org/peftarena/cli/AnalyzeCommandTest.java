package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.io.SafetensorsWriter;

class AnalyzeCommandTest {
    private static float[] random(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    private static float[] plus(float[] a, float[] b) {
        float[] c = a.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += b[i];
        }
        return c;
    }

    /** A two-module "model": q_proj 8x6, down_proj 6x10 and a norm vector that is not analysed. */
    private static Path model(Path dir, double change, int qOut) throws Exception {
        Files.createDirectories(dir);
        new SafetensorsWriter()
                .addFloats("model.layers.0.self_attn.q_proj.weight", new long[] {qOut, 6},
                        plus(random(qOut * 6, 1, 1), random(qOut * 6, 2, change)))
                .addFloats("model.layers.0.mlp.down_proj.weight", new long[] {6, 10},
                        plus(random(60, 3, 1), random(60, 4, change)))
                .addFloats("model.norm.weight", new long[] {6}, random(6, 5, 1))
                .write(dir.resolve("model.safetensors"));
        return dir;
    }

    @Test
    void weightsReportsEveryProjectionAndWritesJson(@TempDir Path tmp) throws Exception {
        Path base = model(tmp.resolve("base"), 0, 8);
        Path tuned = model(tmp.resolve("tuned"), 0.1, 8);
        Path json = tmp.resolve("out/weights.json");
        Path cache = tmp.resolve("cache");
        CliRunner r = CliRunner.run("analyze", "weights", "--base", base.toString(), "--tuned", tuned.toString(),
                "--cache", cache.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("model.layers.0.self_attn.q_proj"), r.out());
        assertTrue(r.out().contains("model.layers.0.mlp.down_proj"), r.out());
        assertTrue(!r.out().contains("model.norm"), r.out());
        String text = Files.readString(json);
        assertTrue(text.contains("\"effective_rank\"") && text.contains("\"P_diag\"") && text.contains("\"sva_mean\""), text);
        try (var entries = Files.list(cache)) {
            assertEquals(2, entries.count(), "one cached base SVD per module");
        }
        CliRunner only = CliRunner.run("analyze", "weights", "--base", base.toString(), "--tuned", tuned.toString(),
                "--modules", "q_proj", "--alignment", "none");
        assertEquals(0, only.exitCode(), only.err());
        assertTrue(!only.out().contains("down_proj") && !only.out().contains("sva_mean"), only.out());
    }

    @Test
    void weightsShapeMismatchAndAdapterDirAreClearErrors(@TempDir Path tmp) throws Exception {
        Path base = model(tmp.resolve("base"), 0, 8);
        Path other = model(tmp.resolve("other"), 0.1, 7);
        CliRunner r = CliRunner.run("analyze", "weights", "--base", base.toString(), "--tuned", other.toString());
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        assertTrue(r.err().contains("8x6") && r.err().contains("7x6"), r.err());

        Path adapter = Files.createDirectories(tmp.resolve("adapter"));
        Files.writeString(adapter.resolve("adapter_config.json"), "{}");
        CliRunner a = CliRunner.run("analyze", "weights", "--base", base.toString(), "--tuned", adapter.toString());
        assertEquals(Main.EXIT_FAILURE, a.exitCode());
        assertTrue(a.err().contains("adapter_config.json") || a.err().contains("adapter"), a.err());

        CliRunner none = CliRunner.run("analyze", "weights", "--base", base.toString(), "--tuned", base.toString(),
                "--modules", "no_such_module");
        assertEquals(Main.EXIT_FAILURE, none.exitCode());
        assertTrue(none.err().contains("no_such_module"), none.err());
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void weightsReadsALoraAdapterDirectory(@TempDir Path tmp) throws Exception {
        Path base = model(tmp.resolve("base"), 0, 8);
        org.bytedeco.pytorch.Tensor w = org.bytedeco.pytorch.global.torch.randn(8, 6);
        var set = org.peftarena.peft.AdapterSet.attach(new org.peftarena.peft.lora.LoraConfig(2, 4),
                org.peftarena.peft.TargetModules.ofNames(java.util.List.of("q_proj")),
                java.util.List.of(new org.peftarena.peft.BaseLinear("model.layers.0.self_attn.q_proj", w, null)), 1);
        try (var g = new org.bytedeco.pytorch.NoGradGuard()) {
            for (var layer : set.layers().values()) {
                for (var t : layer.trainable().values()) {
                    t.add_(org.bytedeco.pytorch.global.torch.randn(t.sizes().vec().get()));
                }
            }
        }
        Path adapter = tmp.resolve("adapter");
        org.peftarena.peft.io.AdapterIO.save(set, adapter, "base");
        CliRunner r = CliRunner.run("analyze", "weights", "--base", base.toString(), "--tuned", adapter.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("low-rank") && r.out().contains("q_proj") && !r.out().contains("down_proj"), r.out());
    }

    private static Path activations(Path file, long seed, String... namesAndCols) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        for (int i = 0; i < namesAndCols.length; i += 2) {
            int cols = Integer.parseInt(namesAndCols[i + 1]);
            w.addFloats(namesAndCols[i], new long[] {40, cols}, random(40 * cols, seed + i, 1));
        }
        w.write(file);
        return file;
    }

    @Test
    void activationsMatchTensorsByNameAndWriteJson(@TempDir Path tmp) throws Exception {
        Path x0 = activations(tmp.resolve("x0.safetensors"), 1, "layer0.q", "12", "layer0.down", "6");
        Path x1 = activations(tmp.resolve("x1.safetensors"), 2, "layer0.q", "12", "layer0.down", "6");
        Path json = tmp.resolve("act.json");
        CliRunner r = CliRunner.run("analyze", "activations", "--x0", x0.toString(), "--x1", x1.toString(),
                "--pca-ranks", "4,8", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("layer0.q") && r.out().contains("layer0.down"), r.out());
        String text = Files.readString(json);
        assertTrue(text.contains("\"procrustes_residual\"") && text.contains("\"pca_subspace_distance_k8\""), text);
    }

    @Test
    void activationsMismatchesAreClearErrors(@TempDir Path tmp) throws Exception {
        Path x0 = activations(tmp.resolve("x0.safetensors"), 1, "layer0.q", "12");
        Path renamed = activations(tmp.resolve("x1.safetensors"), 2, "layer0.k", "12");
        CliRunner names = CliRunner.run("analyze", "activations", "--x0", x0.toString(), "--x1", renamed.toString());
        assertEquals(Main.EXIT_FAILURE, names.exitCode());
        assertTrue(names.err().contains("only in --x0 [layer0.q]") && names.err().contains("only in --x1 [layer0.k]"),
                names.err());
        Path wider = activations(tmp.resolve("x2.safetensors"), 2, "layer0.q", "13");
        CliRunner shapes = CliRunner.run("analyze", "activations", "--x0", x0.toString(), "--x1", wider.toString());
        assertEquals(Main.EXIT_FAILURE, shapes.exitCode());
        assertTrue(shapes.err().contains("layer0.q") && shapes.err().contains("40x12") && shapes.err().contains("40x13"),
                shapes.err());
    }

    @Test
    void driftReportsBothPromptSets(@TempDir Path tmp) throws Exception {
        Path base = model(tmp.resolve("base"), 0, 8);
        Path tuned = model(tmp.resolve("tuned"), 0.1, 8);
        Path g = tmp.resolve("g.safetensors");
        Path t = tmp.resolve("t.safetensors");
        for (Path p : new Path[] {g, t}) {
            new SafetensorsWriter()
                    .addFloats("model.layers.0.self_attn.q_proj", new long[] {5, 6}, random(30, p.hashCode(), 1))
                    .write(p);
        }
        CliRunner r = CliRunner.run("analyze", "drift", "--base", base.toString(), "--tuned", tuned.toString(),
                "--general", g.toString(), "--target", t.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ratio_rel") && r.out().contains("q_proj"), r.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(Main.EXIT_USAGE, CliRunner.run("analyze").exitCode());
        assertEquals(Main.EXIT_USAGE, CliRunner.run("analyze", "activations", "--x0", "a.safetensors").exitCode());
        assertTrue(CliRunner.run("--help").out().contains("analyze"));
    }
}
