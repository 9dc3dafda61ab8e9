package org.peftarena.engine.bench;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** Small factories for LibTorch tensors filled from Java arrays (benchmark inputs). */
public final class TorchTensors {
    private TorchTensors() {}

    /**
     * A float32 tensor holding a copy of {@code data}.
     *
     * @param data row-major float32 values, {@code product(shape)} of them
     * @param shape the tensor shape
     */
    public static Tensor fromFloats(float[] data, long... shape) {
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Float), null);
        t.data_ptr_float().put(data);
        return t;
    }

    /**
     * An int64 tensor holding a copy of {@code data}.
     *
     * @param data int64 values, {@code product(shape)} of them
     * @param shape the tensor shape
     */
    public static Tensor fromLongs(long[] data, long... shape) {
        Tensor t = torch.empty(shape, new TensorOptions(torch.ScalarType.Long), null);
        t.data_ptr_long().put(data);
        return t;
    }

    /** Copies a contiguous float32 tensor into a Java array. */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.contiguous();
        float[] out = new float[(int) c.numel()];
        c.data_ptr_float().get(out);
        return out;
    }

    /** The native address of a contiguous tensor's first element (keep the tensor reachable). */
    public static long address(Tensor t) {
        if (!t.is_contiguous()) {
            throw new IllegalArgumentException("tensor must be contiguous");
        }
        return t.data_ptr().address();
    }
}
