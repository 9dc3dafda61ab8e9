package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exercises the logic that splits files over 2 GiB into several mappings by shrinking the
 * largest mapping to a few bytes.
 */
class SafetensorsMultiMappingTest {

    @TempDir
    Path dir;

    @Test
    void everyTensorReadsBackExactlyWhateverTheMappingSize() throws IOException {
        Random rnd = new Random(7);
        Map<String, float[]> values = new LinkedHashMap<>();
        SafetensorsWriter w = new SafetensorsWriter();
        int[] sizes = {1, 3, 8, 17, 40, 2, 64, 5};
        for (int i = 0; i < sizes.length; i++) {
            float[] v = new float[sizes[i]];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) rnd.nextGaussian();
            }
            values.put("t" + i, v);
            w.addFloats("t" + i, new long[] {v.length}, v);
        }
        Path file = dir.resolve("multi.safetensors");
        w.write(file);
        int lastCount = 0;
        for (long max : new long[] {4, 13, 64, 100, 160, 1000, SafetensorsFile.DEFAULT_MAX_MAP_BYTES}) {
            try (SafetensorsFile f = SafetensorsFile.open(file, max)) {
                lastCount = f.mappingCount();
                for (Map.Entry<String, float[]> e : values.entrySet()) {
                    assertArrayEquals(e.getValue(), f.readFloats(e.getKey()), e.getKey() + " max=" + max);
                    ByteBuffer dst = ByteBuffer.allocate(e.getValue().length * 4 + 3);
                    dst.put((byte) 1);
                    f.readInto(e.getKey(), dst);
                    assertEquals(1 + e.getValue().length * 4, dst.position());
                    assertArrayEquals(f.readBytes(e.getKey()), java.util.Arrays.copyOfRange(dst.array(), 1,
                            dst.position()));
                    if (e.getValue().length * 4L <= max) {
                        assertEquals(e.getValue().length * 4, f.buffer(e.getKey()).remaining());
                        assertEquals(e.getValue()[0], f.buffer(e.getKey()).getFloat(0));
                    } else {
                        assertThrows(UnsupportedOperationException.class, () -> f.buffer(e.getKey()));
                    }
                }
            }
        }
        assertEquals(1, lastCount, "the default limit maps a small file once");
        try (SafetensorsFile f = SafetensorsFile.open(file, 64)) {
            // byte ranges t0..t7: [0,4) [4,16) [16,48) [48,116) [116,276) [276,284) [284,540) [540,560);
            // t3, t4, t6 exceed 64 bytes and are streamed, the rest group as {t0,t1,t2} {t5} {t7}
            assertEquals(3, f.mappingCount());
        }
    }

    @Test
    void mixedDtypesStayAlignedAndConvert() throws IOException {
        float[] v = {0.5f, -1.75f, 3.0f, 65504f, 1e-3f};
        Path file = dir.resolve("mixed.safetensors");
        new SafetensorsWriter()
                .addFloats("h", SafetensorsDtype.F16, new long[] {5}, v)
                .addFloats("b", SafetensorsDtype.BF16, new long[] {5}, v)
                .addFloats("d", SafetensorsDtype.F64, new long[] {5}, v)
                .add("u", SafetensorsDtype.U8, new long[] {3}, new byte[] {1, 2, 3})
                .write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file, 16)) {
            for (String n : f.names()) {
                TensorInfo t = f.info(n);
                assertEquals(0, t.begin() % t.dtype().itemSize(), n + " aligned to its element size");
            }
            assertArrayEquals(v, f.readFloats("d"));
            float[] h = f.readFloats("h");
            float[] b = f.readFloats("b");
            for (int i = 0; i < v.length; i++) {
                assertEquals(HalfFloatCodec.f16ToF32(HalfFloatCodec.f32ToF16(v[i])), h[i]);
                assertEquals(HalfFloatCodec.bf16ToF32(HalfFloatCodec.f32ToBf16(v[i])), b[i]);
                assertEquals(v[i], h[i], Math.abs(v[i]) * 1e-3);
            }
            assertThrows(IllegalArgumentException.class, () -> f.readFloats("u"));
            assertThrows(MissingTensorException.class, () -> f.readFloats("nope"));
        }
    }

    @Test
    void accessAfterCloseIsAnError() throws IOException {
        Path file = dir.resolve("c.safetensors");
        new SafetensorsWriter().addFloats("x", new long[] {2}, new float[] {1, 2}).write(file);
        SafetensorsFile f = SafetensorsFile.open(file);
        ByteBuffer kept = f.buffer("x");
        f.close();
        assertThrows(IllegalStateException.class, () -> f.readFloats("x"));
        assertEquals(2f, kept.getFloat(4), "views handed out before close stay valid");
    }
}
