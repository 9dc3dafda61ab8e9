package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SafetensorsDtype.class)
    void rawBytesRoundTripBitExactForEveryDtype(SafetensorsDtype dtype) throws IOException {
        @SuppressWarnings("EnumOrdinal") // a fixed, distinct seed per dtype
        Random rnd = new Random(42 + dtype.ordinal());
        long[] shape = {3, 5};
        byte[] data = new byte[15 * dtype.itemSize()];
        rnd.nextBytes(data);
        byte[] scalar = new byte[dtype.itemSize()];
        rnd.nextBytes(scalar);
        Path file = dir.resolve(dtype + ".safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .add("t", dtype, shape, data)
                .add("scalar", dtype, new long[0], scalar)
                .add("empty", dtype, new long[] {0, 4}, new byte[0])
                .write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(dtype, f.info("t").dtype());
            assertArrayEquals(shape, f.info("t").shape());
            assertArrayEquals(data, f.readBytes("t"));
            assertArrayEquals(scalar, f.readBytes("scalar"));
            assertEquals(0, f.info("scalar").rank());
            assertEquals(0, f.readBytes("empty").length);
            ByteBuffer view = f.buffer("t");
            assertEquals(data.length, view.remaining());
            assertEquals(data[7], view.get(7));
        }
    }

    @Test
    void floatsRoundTripThroughF32() throws IOException {
        float[] v = {1.5f, -2.25f, Float.MIN_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 0f};
        Path file = dir.resolve("f.safetensors");
        new SafetensorsWriter().addFloats("w", new long[] {2, 3}, v).write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(v, f.readFloats("w"));
        }
    }
}
