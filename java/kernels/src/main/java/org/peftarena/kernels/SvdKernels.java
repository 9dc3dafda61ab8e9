package org.peftarena.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.peftarena.kernels.jni.PeftArenaNative;

/** SVD and Procrustes calls behind {@link KernelOps}: argument checks, copies, backend dispatch. */
final class SvdKernels {
    private final KernelOps ops;

    SvdKernels(KernelOps ops) {
        this.ops = ops;
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    SvdResult svd(float[] a, int batch, int m, int n, boolean vectors) {
        ArrayArgs.requireNonNull(a, "a");
        ArrayArgs.requireLength(a.length, "a", batch, m, n);
        final int k = Math.max(0, Math.min(m, n));
        final int nb = Math.max(0, batch);
        final float[] s = new float[nb * k];
        final float[] u = vectors ? new float[nb * Math.max(0, m) * k] : null;
        final float[] vt = vectors ? new float[nb * k * Math.max(0, n)] : null;
        final Backend used = ops.backend();
        try (PointerScope scope = new PointerScope()) {
            final FloatPointer ap = KernelOps.floats(a);
            final FloatPointer sp = new FloatPointer(Math.max(1, s.length));
            final FloatPointer up = vectors ? new FloatPointer(Math.max(1, u.length)) : null;
            final FloatPointer vp = vectors ? new FloatPointer(Math.max(1, vt.length)) : null;
            if (used == Backend.CUDA) {
                NativeStatus.check(PeftArenaNative.pa_cuda_host_svd_batched_f32(ap, batch, m, n, sp, up, vp), "pa_cuda_host_svd_batched_f32");
            } else {
                NativeStatus.check(PeftArenaNative.pa_svd_batched_f32(ap, batch, m, n, sp, up, vp), "pa_svd_batched_f32");
            }
            sp.get(s);
            if (vectors) {
                up.get(u);
                vp.get(vt);
            }
        }
        return new SvdResult(s, u, vt, batch, m, n, used);
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    SvdResultF64 svd(double[] a, int batch, int m, int n, boolean vectors) {
        ArrayArgs.requireNonNull(a, "a");
        final Backend used = ops.backendFor("fp64 SVD", false);
        ArrayArgs.requireLength(a.length, "a", batch, m, n);
        final int k = Math.max(0, Math.min(m, n));
        final int nb = Math.max(0, batch);
        final double[] s = new double[nb * k];
        final double[] u = vectors ? new double[nb * Math.max(0, m) * k] : null;
        final double[] vt = vectors ? new double[nb * k * Math.max(0, n)] : null;
        try (PointerScope scope = new PointerScope()) {
            final DoublePointer ap = KernelOps.doubles(a);
            final DoublePointer sp = new DoublePointer(Math.max(1, s.length));
            final DoublePointer up = vectors ? new DoublePointer(Math.max(1, u.length)) : null;
            final DoublePointer vp = vectors ? new DoublePointer(Math.max(1, vt.length)) : null;
            NativeStatus.check(PeftArenaNative.pa_svd_batched_f64(ap, batch, m, n, sp, up, vp), "pa_svd_batched_f64");
            sp.get(s);
            if (vectors) {
                up.get(u);
                vp.get(vt);
            }
        }
        return new SvdResultF64(s, u, vt, batch, m, n, used);
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void svd(long a, long batch, int m, int n, long s, long u, long vt) {
        if (ops.backend() == Backend.CUDA) {
            try (PointerScope scope = new PointerScope()) {
                NativeStatus.check(PeftArenaNative.pa_cuda_host_svd_batched_f32(AddressPointers.floats(a), batch, m, n,
                        AddressPointers.floats(s), AddressPointers.floats(u), AddressPointers.floats(vt)), "pa_cuda_host_svd_batched_f32");
            }
        } else {
            NativeStatus.check(PeftArenaNative.pa_svd_batched_f32(a, batch, m, n, s, u, vt), "pa_svd_batched_f32");
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    ProcrustesResult procrustes(float[] x1, float[] x0, int batch, int rows, int d, boolean rotation) {
        ArrayArgs.requireNonNull(x1, "x1");
        ArrayArgs.requireNonNull(x0, "x0");
        ArrayArgs.requireLength(x1.length, "x1", batch, rows, d);
        ArrayArgs.requireLength(x0.length, "x0", batch, rows, d);
        final int nb = Math.max(0, batch);
        final int dd = Math.max(0, d);
        final float[] res = new float[nb];
        final float[] rot = rotation ? new float[nb * dd * dd] : null;
        final Backend used = ops.backend();
        try (PointerScope scope = new PointerScope()) {
            final FloatPointer p1 = KernelOps.floats(x1);
            final FloatPointer p0 = KernelOps.floats(x0);
            final FloatPointer rp = new FloatPointer(Math.max(1, res.length));
            final FloatPointer op = rotation ? new FloatPointer(Math.max(1, rot.length)) : null;
            if (used == Backend.CUDA) {
                NativeStatus.check(PeftArenaNative.pa_cuda_host_procrustes_batched_f32(p1, p0, batch, rows, d, op, rp),
                        "pa_cuda_host_procrustes_batched_f32");
            } else {
                NativeStatus.check(PeftArenaNative.pa_procrustes_batched_f32(p1, p0, batch, rows, d, op, rp), "pa_procrustes_batched_f32");
            }
            rp.get(res);
            if (rotation) {
                op.get(rot);
            }
        }
        return new ProcrustesResult(rot, res, batch, d, used);
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void procrustes(long x1, long x0, long batch, long rows, int d, long rot, long residual) {
        if (ops.backend() == Backend.CUDA) {
            try (PointerScope scope = new PointerScope()) {
                NativeStatus.check(PeftArenaNative.pa_cuda_host_procrustes_batched_f32(AddressPointers.floats(x1), AddressPointers.floats(x0),
                        batch, rows, d, AddressPointers.floats(rot), AddressPointers.floats(residual)), "pa_cuda_host_procrustes_batched_f32");
            }
        } else {
            NativeStatus.check(PeftArenaNative.pa_procrustes_batched_f32(x1, x0, batch, rows, d, rot, residual), "pa_procrustes_batched_f32");
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    double residualFromCross(float[] m, int d, double x1Sq, double x0Sq) {
        ArrayArgs.requireNonNull(m, "m");
        ArrayArgs.requireLength(m.length, "m", d, d);
        try (PointerScope scope = new PointerScope()) {
            return residualFromCross(KernelOps.floats(m), d, x1Sq, x0Sq);
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    double residualFromCross(long m, int d, double x1Sq, double x0Sq) {
        try (PointerScope scope = new PointerScope()) {
            return residualFromCross(AddressPointers.floats(m), d, x1Sq, x0Sq);
        }
    }

    private double residualFromCross(FloatPointer m, int d, double x1Sq, double x0Sq) {
        ops.backendFor("Procrustes residual from cross product", false);
        try (DoublePointer out = new DoublePointer(1)) {
            NativeStatus.check(PeftArenaNative.pa_procrustes_residual_from_cross_f32(m, d, x1Sq, x0Sq, out),
                    "pa_procrustes_residual_from_cross_f32");
            return out.get(0);
        }
    }
}
