package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reference-mixed.safetensors} was written by the reference implementation (Python package
 * safetensors 0.8.0, {@code safetensors.numpy.save_file} with metadata {"format": "pt"}) from:
 * a.bias f32 [1.5, -2, 3.25]; b.weight f16 (2,3) 0..2.5 step 0.5; c.ids i64 [[1,-2],[3,4]];
 * d.mask bool [T,F,T]; e.bytes u8 [1,2,255]; f.double f64 [0.1]; g.i16 [-3,7]; h.i8 [-1];
 * i.i32 [123456]; scalar f32 2.5 (shape ()).
 */
class SafetensorsReferenceFileTest {

    @TempDir
    Path dir;

    private Path reference() throws IOException {
        Path p = dir.resolve("reference.safetensors");
        try (InputStream in = getClass().getResourceAsStream("/reference-mixed.safetensors")) {
            Files.copy(in, p);
        }
        return p;
    }

    private static byte[] le(int itemSize, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * itemSize).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (itemSize) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void readsEveryTensorOfTheReferenceFile() throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(reference())) {
            assertEquals(Map.of("format", "pt"), f.metadata());
            assertEquals(10, f.names().size());
            assertArrayEquals(new float[] {1.5f, -2f, 3.25f}, f.readFloats("a.bias"));
            assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f, 2f, 2.5f}, f.readFloats("b.weight"));
            assertArrayEquals(new long[] {2, 3}, f.info("b.weight").shape());
            assertArrayEquals(le(8, 1, -2, 3, 4), f.readBytes("c.ids"));
            assertArrayEquals(new byte[] {1, 0, 1}, f.readBytes("d.mask"));
            assertArrayEquals(new byte[] {1, 2, (byte) 255}, f.readBytes("e.bytes"));
            assertArrayEquals(new float[] {0.1f}, f.readFloats("f.double"));
            assertEquals(0.1, f.buffer("f.double").getDouble(0));
            assertArrayEquals(le(2, -3, 7), f.readBytes("g.i16"));
            assertArrayEquals(new byte[] {-1}, f.readBytes("h.i8"));
            assertArrayEquals(le(4, 123456), f.readBytes("i.i32"));
            assertArrayEquals(new long[0], f.info("scalar").shape());
            assertArrayEquals(new float[] {2.5f}, f.readFloats("scalar"));
        }
    }

    @Test
    void writerReproducesTheReferenceBytesExactly() throws IOException {
        Path out = dir.resolve("ours.safetensors");
        // added in a scrambled order on purpose: the layout must not depend on it
        new SafetensorsWriter().metadata("format", "pt")
                .add("scalar", SafetensorsDtype.F32, new long[0], le(4, Float.floatToIntBits(2.5f)))
                .add("i.i32", SafetensorsDtype.I32, new long[] {1}, le(4, 123456))
                .add("h.i8", SafetensorsDtype.I8, new long[] {1}, new byte[] {-1})
                .add("g.i16", SafetensorsDtype.I16, new long[] {2}, le(2, -3, 7))
                .add("f.double", SafetensorsDtype.F64, new long[] {1}, le(8, Double.doubleToLongBits(0.1)))
                .add("e.bytes", SafetensorsDtype.U8, new long[] {3}, new byte[] {1, 2, (byte) 255})
                .add("d.mask", SafetensorsDtype.BOOL, new long[] {3}, new byte[] {1, 0, 1})
                .add("c.ids", SafetensorsDtype.I64, new long[] {2, 2}, le(8, 1, -2, 3, 4))
                .addFloats("b.weight", SafetensorsDtype.F16, new long[] {2, 3}, new float[] {0f, 0.5f, 1f, 1.5f, 2f, 2.5f})
                .addFloats("a.bias", new long[] {3}, new float[] {1.5f, -2f, 3.25f})
                .write(out);
        assertArrayEquals(Files.readAllBytes(reference()), Files.readAllBytes(out));
    }
}
