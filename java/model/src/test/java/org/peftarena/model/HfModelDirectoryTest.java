package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.io.SafetensorsDtype;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.formats.io.ShardedCheckpoint;

/** Loading and saving Hugging Face model directories. */
class HfModelDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void saveLoadSaveIsBitExactAndLogitsAgree() throws IOException {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 21);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        HfModelDirectory.save(model, a);
        LlamaModel loaded = HfModelDirectory.load(a);
        assertEquals(ModelDType.FLOAT32, loaded.dtype());
        assertEquals(model.weights().names(), loaded.weights().names());
        for (String n : model.weights().names()) {
            assertArrayEquals(HostTensors.toFloats(model.weights().get(n)), HostTensors.toFloats(loaded.weights().get(n)), n);
        }
        HfModelDirectory.save(loaded, b);
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")));
        assertEquals(Files.readString(a.resolve("config.json")), Files.readString(b.resolve("config.json")));
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            var ids = HostTensors.longs(new long[] {1, 2, 3, 4}, 1, 4);
            assertArrayEquals(HostTensors.toFloats(model.forward(ids, null)), HostTensors.toFloats(loaded.forward(ids, null)));
        }
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void bfloat16RoundTripKeepsTheDtypeAndBits() throws IOException {
        LlamaConfig config = TinyModels.llama3Scaled();
        LlamaModel model = new LlamaModel(config, TinyModels.toWeights(config, TinyModels.randomArrays(config, 22),
                ModelDType.BFLOAT16));
        Path a = tmp.resolve("bf16");
        HfModelDirectory.save(model, a);
        try (ShardedCheckpoint ckpt = ShardedCheckpoint.open(a)) {
            assertEquals(SafetensorsDtype.BF16, ckpt.info(ModelWeights.EMBED).dtype());
        }
        assertTrue(Files.readString(a.resolve("config.json")).contains("bfloat16"));
        LlamaModel loaded = HfModelDirectory.load(a);
        assertEquals(ModelDType.BFLOAT16, loaded.dtype());
        Path b = tmp.resolve("bf16-again");
        HfModelDirectory.save(loaded, b);
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")));

        LlamaModel widened = HfModelDirectory.load(a, ModelDType.FLOAT32);
        assertEquals(ModelDType.FLOAT32, widened.dtype());
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            var ids = HostTensors.longs(new long[] {5, 6, 7}, 1, 3);
            float[] low = HostTensors.toFloats(loaded.forward(ids, null));
            float[] wide = HostTensors.toFloats(widened.forward(ids, null));
            double scale = 0;
            double err = 0;
            for (int i = 0; i < low.length; i++) {
                scale = Math.max(scale, Math.abs(wide[i]));
                err = Math.max(err, Math.abs(low[i] - wide[i]));
            }
            assertTrue(err < 0.1 * scale, "bf16 forward close to its fp32 widening: " + err + " vs " + scale);
        }
    }

    @Test
    void shardedCheckpointsLoad() throws IOException {
        LlamaModel model = TinyModels.model(TinyModels.llama3Scaled(), 23);
        Path dir = tmp.resolve("sharded");
        List<Path> files = HfModelDirectory.save(model, dir, 4_000);
        assertTrue(Files.exists(dir.resolve(ShardedCheckpoint.INDEX_FILE)), "index written: " + files);
        assertFalse(Files.exists(dir.resolve(ShardedCheckpoint.SINGLE_FILE)));
        LlamaModel loaded = HfModelDirectory.load(dir);
        for (String n : model.weights().names()) {
            assertArrayEquals(HostTensors.toFloats(model.weights().get(n)), HostTensors.toFloats(loaded.weights().get(n)), n);
        }
    }

    @Test
    void missingOrMisshapenOrForeignTensorsAreTypedErrors() throws IOException {
        LlamaConfig config = TinyModels.qwen2Tied();
        Map<String, float[]> arrays = TinyModels.randomArrays(config, 24);
        Map<String, long[]> shapes = ModelWeights.expectedShapes(config);

        Path missing = writeDir("missing", config, arrays, shapes, "model.norm.weight", null, null);
        ModelLoadException e1 = assertThrows(ModelLoadException.class, () -> HfModelDirectory.load(missing));
        assertTrue(e1.getMessage().contains("model.norm.weight"), e1.getMessage());

        Path wrong = writeDir("wrong", config, arrays, shapes, null, "model.norm.weight", null);
        ModelLoadException e2 = assertThrows(ModelLoadException.class, () -> HfModelDirectory.load(wrong));
        assertTrue(e2.getMessage().contains("shape"), e2.getMessage());

        Path foreign = writeDir("foreign", config, arrays, shapes, null, null, "model.layers.0.mlp.extra.weight");
        ModelLoadException e3 = assertThrows(ModelLoadException.class, () -> HfModelDirectory.load(foreign));
        assertTrue(e3.getMessage().contains("extra"), e3.getMessage());

        assertThrows(ModelLoadException.class, () -> HfModelDirectory.load(tmp.resolve("nothing-here")));
    }

    private Path writeDir(String name, LlamaConfig config, Map<String, float[]> arrays, Map<String, long[]> shapes,
                          String drop, String reshape, String extra) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toJson());
        SafetensorsWriter w = new SafetensorsWriter();
        for (Map.Entry<String, float[]> e : arrays.entrySet()) {
            if (e.getKey().equals(drop)) {
                continue;
            }
            long[] shape = shapes.get(e.getKey());
            if (e.getKey().equals(reshape)) {
                shape = new long[] {1, shape[0]};
            }
            w.addFloats(e.getKey(), shape, e.getValue());
        }
        if (extra != null) {
            w.addFloats(extra, new long[] {2}, new float[] {1, 2});
        }
        w.write(dir.resolve("model.safetensors"));
        return dir;
    }
}
