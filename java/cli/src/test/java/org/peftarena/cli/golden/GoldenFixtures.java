package org.peftarena.cli.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.ModelWeights;

/**
 * The golden fixtures of benchmarks/golden/make_golden.py (an independent NumPy implementation),
 * read here with a reader of its own so that a fault in the engine's safetensors code cannot hide
 * in the expected values.
 */
final class GoldenFixtures {
    /** The shipped base model the fixtures were computed from. */
    static final Path MODEL = Path.of("../../models/tiny-europarl").toAbsolutePath().normalize();
    /** Fixture directory (test resources of this module). */
    static final Path DIR = Path.of("src/test/resources/golden").toAbsolutePath().normalize();

    private GoldenFixtures() {}

    /** One tensor of a fixture file: float32 values (F32) or longs (I64), with its shape. */
    record Entry(long[] shape, float[] floats, long[] longs) {}

    /** A fixture file: tensors by name and the header's metadata. */
    record Fixture(Map<String, Entry> tensors, Map<String, String> metadata) {
        float[] floats(String name) {
            Entry e = require(name);
            if (e.floats() == null) {
                throw new IllegalStateException(name + " is not F32");
            }
            return e.floats();
        }

        long[] longs(String name) {
            Entry e = require(name);
            if (e.longs() == null) {
                throw new IllegalStateException(name + " is not I64");
            }
            return e.longs();
        }

        long[] shape(String name) {
            return require(name).shape();
        }

        private Entry require(String name) {
            Entry e = tensors.get(name);
            if (e == null) {
                throw new IllegalStateException("fixture has no tensor " + name + "; it has " + tensors.keySet());
            }
            return e;
        }
    }

    /** Reads an F32/I64 safetensors file (8-byte little-endian header length, JSON header, data). */
    static Fixture read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong(0);
        if (n <= 0 || n > all.length - 8) {
            throw new IOException(file + ": bad header length " + n);
        }
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        int base = 8 + (int) n;
        Map<String, Entry> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                f.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode shapeNode = f.getValue().get("shape");
            long[] shape = new long[shapeNode.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong();
                numel *= shape[i];
            }
            int begin = base + f.getValue().get("data_offsets").get(0).asInt();
            int end = base + f.getValue().get("data_offsets").get(1).asInt();
            String dtype = f.getValue().get("dtype").asText();
            int item = switch (dtype) {
                case "F32" -> 4;
                case "I64" -> 8;
                default -> throw new IOException(file + ": " + f.getKey() + " has dtype " + dtype);
            };
            if (end - begin != numel * item || end > all.length) {
                throw new IOException(file + ": " + f.getKey() + " has a bad byte range");
            }
            if (item == 4) {
                float[] v = new float[(int) numel];
                for (int i = 0; i < v.length; i++) {
                    v[i] = buf.getFloat(begin + 4 * i);
                }
                tensors.put(f.getKey(), new Entry(shape, v, null));
            } else {
                long[] v = new long[(int) numel];
                for (int i = 0; i < v.length; i++) {
                    v[i] = buf.getLong(begin + 8 * i);
                }
                tensors.put(f.getKey(), new Entry(shape, null, v));
            }
        }
        return new Fixture(tensors, meta);
    }

    /** Loads a model directory into float32 tensors Java owns (adapters merge into them in place). */
    static LlamaModel loadFloat32(Path dir) throws IOException {
        LlamaConfig config = LlamaConfig.load(dir.resolve(HfModelDirectory.CONFIG_FILE));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (ShardedCheckpoint store = ShardedCheckpoint.open(dir)) {
            for (String name : ModelWeights.expectedShapes(config).keySet()) {
                tensors.put(name, HostTensors.floats(store.readFloats(name), store.info(name).shape()));
            }
        }
        return new LlamaModel(config, new ModelWeights(tensors, ModelDType.FLOAT32));
    }

    /** Logits of one unpadded sequence, flattened (positions x vocabulary). */
    static float[] logits(LlamaModel model, long[] ids) {
        return HostTensors.toFloats(model.forward(HostTensors.longs(ids, 1, ids.length), null));
    }

    /** Largest absolute difference; fails on a length mismatch or a non-finite value. */
    static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + ", expected " + expected.length);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= Double.MAX_VALUE)) {
                throw new AssertionError("non-finite value at " + i + ": " + actual[i]);
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }

    static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
