package org.peftarena.formats.io;

import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;

/**
 * Native addresses of direct buffers (such as {@link TensorStore#buffer} views of a mapped file), for
 * handing tensor data to LibTorch or native kernels without a copy. Mapped views are read-only memory:
 * native code must only read through these addresses.
 */
public final class DirectBufferAddress {

    private DirectBufferAddress() {
    }

    /**
     * A JavaCPP pointer to the bytes from the buffer's position to its limit; the pointer keeps the
     * buffer (and so the file mapping) reachable for as long as the pointer is.
     *
     * @param buffer a direct buffer
     * @return pointer with position 0 and limit/capacity = remaining bytes
     * @throws IllegalArgumentException when the buffer is not direct
     */
    public static BytePointer pointer(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("buffer is not direct; heap buffers have no stable native address");
        }
        ByteBuffer view = buffer.slice();
        BytePointer p = new BytePointer(view);
        p.position(0).limit(view.remaining()).capacity(view.remaining());
        return p;
    }

    /**
     * The native address of the buffer's current position. The caller must keep {@code buffer} reachable
     * while the address is in use.
     *
     * @param buffer a direct buffer
     * @return address of the byte at {@code buffer.position()}
     * @throws IllegalArgumentException when the buffer is not direct
     */
    public static long address(ByteBuffer buffer) {
        return pointer(buffer).address();
    }
}
