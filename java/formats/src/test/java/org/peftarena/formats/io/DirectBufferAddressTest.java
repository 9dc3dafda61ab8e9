package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectBufferAddressTest {

    @TempDir
    Path dir;

    @Test
    void pointerSeesTheMappedTensorBytes() throws IOException {
        byte[] a = {10, 20, 30};
        byte[] b = {1, 2, 3, 4, 5, 6, 7};
        Path file = dir.resolve("p.safetensors");
        new SafetensorsWriter().add("a", SafetensorsDtype.U8, new long[] {3}, a)
                .add("b", SafetensorsDtype.U8, new long[] {7}, b).write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            BytePointer pa = DirectBufferAddress.pointer(f.buffer("a"));
            BytePointer pb = DirectBufferAddress.pointer(f.buffer("b"));
            assertEquals(3, pa.limit());
            assertEquals(7, pb.limit());
            for (int i = 0; i < b.length; i++) {
                assertEquals(b[i], pb.get(i));
            }
            assertEquals(a[2], pa.get(2));
            long delta = f.info("b").begin() - f.info("a").begin();
            assertEquals(delta, DirectBufferAddress.address(f.buffer("b")) - DirectBufferAddress.address(f.buffer("a")),
                    "tensors of one mapping are laid out as in the file");
            ByteBuffer shifted = f.buffer("b").position(2);
            assertEquals(b[2], DirectBufferAddress.pointer(shifted).get(0));
        }
    }

    @Test
    void heapBuffersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> DirectBufferAddress.address(ByteBuffer.allocate(4)));
    }
}
