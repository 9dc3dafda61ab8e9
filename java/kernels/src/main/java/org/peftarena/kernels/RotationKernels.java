package org.peftarena.kernels;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.peftarena.kernels.jni.PeftArenaNative;

/** Block rotation calls behind {@link KernelOps}: argument checks, copies, backend dispatch. */
final class RotationKernels {
    private final KernelOps ops;

    RotationKernels(KernelOps ops) {
        this.ops = ops;
    }

    float[] blockRotate(float[] x, int rows, int n, float[] r, int b, boolean transpose) {
        final long len = (long) Math.max(0, rows) * Math.max(0, n);
        if (len > Integer.MAX_VALUE - 8) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "rows * n = " + len + " exceeds a Java array");
        }
        final float[] y = new float[(int) len];
        blockRotate(x, rows, n, n, r, b, transpose, y, n);
        return y;
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void blockRotate(float[] x, int rows, int n, int xStride, float[] r, int b, boolean transpose, float[] y, int yStride) {
        ArrayArgs.requireNonNull(x, "x");
        ArrayArgs.requireNonNull(r, "r");
        ArrayArgs.requireNonNull(y, "y");
        if (x == y) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "x and y are the same array; the rotation cannot run in place");
        }
        if (rows >= 0 && n >= 0 && b > 0 && n % b == 0 && xStride >= n && yStride >= n) {
            ArrayArgs.requireLength(x.length, "x", ArrayArgs.stridedSpan(rows, n, xStride));
            ArrayArgs.requireLength(y.length, "y", ArrayArgs.stridedSpan(rows, n, yStride));
            ArrayArgs.requireLength(r.length, "r", n / b, b, b);
        }
        try (PointerScope scope = new PointerScope()) {
            final FloatPointer xp = KernelOps.floats(x);
            final FloatPointer rp = KernelOps.floats(r);
            final FloatPointer yp = KernelOps.floats(y);
            run(xp, rows, n, xStride, rp, b, transpose, yp, yStride);
            yp.get(y);
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void blockRotate(long xAddress, long rows, long n, long xStride, long rAddress, int b, boolean transpose, long yAddress, long yStride) {
        if (ops.backend() == Backend.CUDA) {
            try (PointerScope scope = new PointerScope()) {
                run(AddressPointers.floats(xAddress), rows, n, xStride, AddressPointers.floats(rAddress), b, transpose,
                        AddressPointers.floats(yAddress), yStride);
            }
        } else {
            NativeStatus.check(PeftArenaNative.pa_block_rotate_f32(xAddress, rows, n, xStride, rAddress, b, transpose ? 1 : 0,
                    yAddress, yStride), "pa_block_rotate_f32");
        }
    }

    private void run(FloatPointer x, long rows, long n, long xStride, FloatPointer r, int b, boolean transpose, FloatPointer y, long yStride) {
        final int t = transpose ? 1 : 0;
        if (ops.backend() == Backend.CUDA) {
            NativeStatus.check(PeftArenaNative.pa_cuda_host_block_rotate_f32(x, rows, n, xStride, r, b, t, y, yStride),
                    "pa_cuda_host_block_rotate_f32");
        } else {
            NativeStatus.check(PeftArenaNative.pa_block_rotate_f32(x, rows, n, xStride, r, b, t, y, yStride), "pa_block_rotate_f32");
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    float[] blockCross(float[] x, int rows, int n, float[] g, int b) {
        ArrayArgs.requireNonNull(x, "x");
        ArrayArgs.requireNonNull(g, "g");
        if (rows >= 0 && n >= 0 && b > 0 && n % b == 0) {
            ArrayArgs.requireLength(x.length, "x", ArrayArgs.stridedSpan(rows, n, n));
            ArrayArgs.requireLength(g.length, "g", ArrayArgs.stridedSpan(rows, n, n));
        }
        final long len = b > 0 && n >= 0 ? (long) n * b : 0;
        if (len > Integer.MAX_VALUE - 8) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "n * b = " + len + " exceeds a Java array");
        }
        final float[] out = new float[(int) len];
        try (PointerScope scope = new PointerScope()) {
            final FloatPointer xp = KernelOps.floats(x);
            final FloatPointer gp = KernelOps.floats(g);
            final FloatPointer op = KernelOps.floats(out);
            NativeStatus.check(PeftArenaNative.pa_block_cross_f32(xp, rows, n, n, gp, n, b, op), "pa_block_cross_f32");
            op.get(out);
        }
        return out;
    }

    void blockCross(long xAddress, long rows, long n, long xStride, long gAddress, long gStride, int b, long outAddress) {
        if (ops.backend() == Backend.CUDA) {
            throw new UnsupportedOperationException("blockCross on addresses runs on host memory only; use KernelOps.cpu()");
        }
        NativeStatus.check(PeftArenaNative.pa_block_cross_f32(xAddress, rows, n, xStride, gAddress, gStride, b, outAddress),
                "pa_block_cross_f32");
    }
}
