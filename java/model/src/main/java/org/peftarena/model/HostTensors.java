package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.from_blob;
import static org.bytedeco.pytorch.global.torch.tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Copies between Java arrays / buffers and CPU tensors. Reading values ({@link #toFloats},
 * {@link #toLongs}) works from any device (the values are copied to the host); addresses and byte
 * views ({@link #address}, {@link #asByteBuffer}) are refused for tensors outside host memory.
 */
public final class HostTensors {
    private HostTensors() {
    }

    /**
     * @param data  row-major values, length = product of shape
     * @param shape dimensions
     * @return an int64 tensor owning a copy of the data
     */
    public static Tensor longs(long[] data, long... shape) {
        checkSize(data.length, shape);
        return tensor(data).reshape(shape);
    }

    /**
     * @param data  row-major values, length = product of shape
     * @param shape dimensions
     * @return a float32 tensor owning a copy of the data
     */
    public static Tensor floats(float[] data, long... shape) {
        checkSize(data.length, shape);
        return tensor(data).reshape(shape);
    }

    /** @return the values of any real tensor converted to float32, row-major */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.to(Devices.cpu(), torch.ScalarType.Float).contiguous();
        float[] out = new float[Math.toIntExact(c.numel())];
        if (out.length > 0) {
            c.data_ptr_float().get(out);
        }
        return out;
    }

    /** @return the values of an integer tensor converted to int64, row-major */
    public static long[] toLongs(Tensor t) {
        Tensor c = t.to(Devices.cpu(), torch.ScalarType.Long).contiguous();
        long[] out = new long[Math.toIntExact(c.numel())];
        c.data_ptr_long().get(out);
        return out;
    }

    /**
     * The native address of a contiguous CPU tensor's first element (keep the tensor reachable).
     *
     * @throws IllegalArgumentException when the tensor is not contiguous or not in host memory
     */
    public static long address(Tensor t) {
        Devices.requireCpu("tensor", t);
        if (!t.is_contiguous()) {
            throw new IllegalArgumentException("tensor must be contiguous");
        }
        return t.data_ptr().address();
    }

    /** @return the tensor's dimensions */
    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    /**
     * Creates a tensor owning a copy of raw little-endian bytes.
     *
     * @param data  numel * element size bytes from position to limit (direct or heap buffer)
     * @param type  element type of the bytes
     * @param shape dimensions
     */
    public static Tensor fromBytes(ByteBuffer data, ScalarType type, long[] shape) {
        ByteBuffer view = data.slice();
        Pointer src;
        BytePointer owned = null;
        if (view.isDirect()) {
            src = new Pointer(view);
        } else {
            owned = new BytePointer(view.remaining());
            owned.put(view.array(), view.arrayOffset(), view.remaining());
            src = owned;
        }
        try {
            Tensor borrowed = from_blob(src, shape, new TensorOptions(type));
            long expected = borrowed.nbytes();
            if (expected != view.remaining()) {
                throw new IllegalArgumentException(view.remaining() + " bytes given for " + type + " "
                        + Arrays.toString(shape) + ", which needs " + expected);
            }
            return borrowed.clone();
        } finally {
            if (owned != null) {
                owned.close();
            }
        }
    }

    /**
     * A view of a contiguous tensor's memory as a little-endian byte buffer (no copy); valid only
     * while the tensor is alive and unchanged.
     */
    public static ByteBuffer asByteBuffer(Tensor contiguous) {
        Devices.requireCpu("tensor", contiguous);
        if (!contiguous.is_contiguous()) {
            throw new IllegalArgumentException("tensor is not contiguous");
        }
        BytePointer p = new BytePointer(contiguous.data_ptr());
        p.capacity(contiguous.nbytes());
        return p.asByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkSize(int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException(length + " values for shape " + Arrays.toString(shape));
        }
    }
}
