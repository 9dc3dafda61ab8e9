package org.peftarena.formats.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/** Data of one tensor to be written: dtype, shape and a source of little-endian bytes read at write time. */
final class TensorPayload {

    /** Writes the encoded bytes of a tensor to a channel. */
    @FunctionalInterface
    interface ByteSink {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    private static final int ENCODE_PIECE_ELEMENTS = 1 << 20;

    final String name;
    final SafetensorsDtype dtype;
    final long[] shape;
    final long byteSize;
    private final ByteSink sink;

    private TensorPayload(String name, SafetensorsDtype dtype, long[] shape, long byteSize, ByteSink sink) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.byteSize = byteSize;
        this.sink = sink;
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " overflows the element count");
            }
        }
        return n;
    }

    static TensorPayload ofBuffer(String name, SafetensorsDtype dtype, long[] shape, ByteBuffer data) {
        long numel = numel(shape);
        if (numel > Long.MAX_VALUE / dtype.itemSize()) {
            throw new IllegalArgumentException("tensor \"" + name + "\": byte size overflows");
        }
        long expected = numel * dtype.itemSize();
        ByteBuffer view = data.duplicate();
        if (view.remaining() != expected) {
            throw new IllegalArgumentException("tensor \"" + name + "\": " + view.remaining() + " bytes given, "
                    + dtype + Arrays.toString(shape) + " needs " + expected);
        }
        return new TensorPayload(name, dtype, shape, expected, out -> {
            ByteBuffer b = view.duplicate();
            while (b.hasRemaining()) {
                out.write(b);
            }
        });
    }

    static TensorPayload ofFloats(String name, SafetensorsDtype dtype, long[] shape, float[] values) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("tensor \"" + name + "\": cannot encode floats as " + dtype);
        }
        long numel = numel(shape);
        if (values.length != numel) {
            throw new IllegalArgumentException("tensor \"" + name + "\": " + values.length + " values given, shape "
                    + Arrays.toString(shape) + " has " + numel);
        }
        return new TensorPayload(name, dtype, shape, numel * dtype.itemSize(),
                out -> encodeFloats(dtype, values, out));
    }

    private static void encodeFloats(SafetensorsDtype dtype, float[] values, WritableByteChannel out)
            throws IOException {
        ByteBuffer piece = ByteBuffer.allocate(ENCODE_PIECE_ELEMENTS * dtype.itemSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < values.length; start += ENCODE_PIECE_ELEMENTS) {
            int end = Math.min(values.length, start + ENCODE_PIECE_ELEMENTS);
            piece.clear();
            for (int i = start; i < end; i++) {
                switch (dtype) {
                    case F32 -> piece.putFloat(values[i]);
                    case F64 -> piece.putDouble(values[i]);
                    case F16 -> piece.putShort(HalfFloatCodec.f32ToF16(values[i]));
                    case BF16 -> piece.putShort(HalfFloatCodec.f32ToBf16(values[i]));
                    default -> throw new IllegalStateException("unreachable: " + dtype);
                }
            }
            piece.flip();
            while (piece.hasRemaining()) {
                out.write(piece);
            }
        }
    }

    void writeTo(WritableByteChannel out) throws IOException {
        sink.writeTo(out);
    }
}
