package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir
    Path dir;

    private long leftoverTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void headerIsSpacePaddedToEightBytesAndMetadataComesFirst() throws IOException {
        Path f = dir.resolve("h.safetensors");
        new SafetensorsWriter().metadata("format", "pt").addFloats("x", new long[] {1}, new float[] {1}).write(f);
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"x\":"), header);
        assertTrue(header.stripTrailing().endsWith("}"));
        assertEquals(8 + n + 4, bytes.length);
    }

    @Test
    void outputDoesNotDependOnInsertionOrder() throws IOException {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        new SafetensorsWriter().addFloats("z", new long[] {2}, new float[] {1, 2})
                .add("m", SafetensorsDtype.U8, new long[] {1}, new byte[] {7})
                .addFloats("a", SafetensorsDtype.BF16, new long[] {1}, new float[] {3}).write(a);
        new SafetensorsWriter().addFloats("a", SafetensorsDtype.BF16, new long[] {1}, new float[] {3})
                .add("m", SafetensorsDtype.U8, new long[] {1}, new byte[] {7})
                .addFloats("z", new long[] {2}, new float[] {1, 2}).write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void directBuffersAreWrittenFromTheirPosition() throws IOException {
        ByteBuffer direct = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
        direct.putFloat(9f).putFloat(1f).putFloat(2f).flip().position(4);
        Path f = dir.resolve("d.safetensors");
        new SafetensorsWriter().add("x", SafetensorsDtype.F32, new long[] {2}, direct).write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertArrayEquals(new float[] {1f, 2f}, s.readFloats("x"));
        }
        assertEquals(4, direct.position(), "the caller's buffer is not consumed");
    }

    @Test
    void badInputIsRejectedWhenAdded() {
        SafetensorsWriter w = new SafetensorsWriter().addFloats("x", new long[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("x", new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("", new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("__metadata__", new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("y", new long[] {3}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> w.addFloats("y", new long[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class,
                () -> w.addFloats("y", SafetensorsDtype.I32, new long[] {1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> w.add("y", SafetensorsDtype.F32, new long[] {2}, new byte[7]));
        assertThrows(IllegalArgumentException.class,
                () -> w.add("y", SafetensorsDtype.F32, new long[] {1L << 40, 1L << 40}, new byte[0]));
        assertEquals(1, w.size());
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("keep.safetensors");
        Files.writeString(f, "old content");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old content", Files.readString(f));
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void successfulWriteReplacesTheFileCompletely() throws IOException {
        Path f = dir.resolve("r.safetensors");
        Files.write(f, new byte[10_000]);
        new SafetensorsWriter().addFloats("x", new long[] {1}, new float[] {4}).write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertArrayEquals(new float[] {4}, s.readFloats("x"));
        }
        assertEquals(0, leftoverTempFiles());
    }

    @Test
    void writingOverADirectoryFailsCleanly() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("child"));
        assertThrows(IOException.class,
                () -> new SafetensorsWriter().addFloats("x", new long[] {1}, new float[] {1}).write(target));
        assertTrue(Files.isDirectory(target.resolve("child")));
        assertEquals(0, leftoverTempFiles());
    }
}
