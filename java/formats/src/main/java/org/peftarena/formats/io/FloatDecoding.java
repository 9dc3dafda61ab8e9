package org.peftarena.formats.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Decodes little-endian floating-point bytes of any safetensors float dtype into f32. */
final class FloatDecoding {

    private FloatDecoding() {
    }

    /**
     * @param dtype element type of {@code src}; must be floating point
     * @param src little-endian bytes, a whole number of elements from position to limit (not consumed)
     * @param dst destination
     * @param offset first element of {@code dst} to write
     * @return number of elements written
     */
    static int decode(SafetensorsDtype dtype, ByteBuffer src, float[] dst, int offset) {
        ByteBuffer b = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.remaining() / dtype.itemSize();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(dst, offset, n);
            case F64 -> {
                var d = b.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = (float) d.get(i);
                }
            }
            case F16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = HalfFloatCodec.f16ToF32(s.get(i));
                }
            }
            case BF16 -> {
                var s = b.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = HalfFloatCodec.bf16ToF32(s.get(i));
                }
            }
            default -> throw new IllegalArgumentException("dtype " + dtype + " is not floating point");
        }
        return n;
    }
}
