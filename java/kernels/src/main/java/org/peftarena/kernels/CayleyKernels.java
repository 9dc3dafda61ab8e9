package org.peftarena.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.peftarena.kernels.jni.PeftArenaNative;

/** Cayley transform calls behind {@link KernelOps}: argument checks, copies, backend dispatch. */
final class CayleyKernels {
    private final KernelOps ops;

    CayleyKernels(KernelOps ops) {
        this.ops = ops;
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    float[] cayley(float[] q, int batch, int b, CayleyVariant variant, float scale) {
        ArrayArgs.requireNonNull(q, "q");
        KernelOps.nonNull(variant, "variant");
        ArrayArgs.requireLength(q.length, "q", batch, ArrayArgs.packedSize(b));
        final float[] r = new float[outputLength(batch, b)];
        try (PointerScope scope = new PointerScope()) {
            final FloatPointer qp = KernelOps.floats(q);
            final FloatPointer rp = new FloatPointer(Math.max(1, r.length));
            run(qp, batch, b, variant, scale, rp);
            rp.get(r);
        }
        return r;
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    double[] cayley(double[] q, int batch, int b, CayleyVariant variant, double scale) {
        ArrayArgs.requireNonNull(q, "q");
        KernelOps.nonNull(variant, "variant");
        ops.backendFor("fp64 Cayley", false);
        ArrayArgs.requireLength(q.length, "q", batch, ArrayArgs.packedSize(b));
        final double[] r = new double[outputLength(batch, b)];
        try (PointerScope scope = new PointerScope()) {
            final DoublePointer qp = KernelOps.doubles(q);
            final DoublePointer rp = new DoublePointer(Math.max(1, r.length));
            NativeStatus.check(PeftArenaNative.pa_cayley_f64(qp, batch, b, variant.terms(), scale, rp), "pa_cayley_f64");
            rp.get(r);
        }
        return r;
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void cayley(long qAddress, long batch, int b, CayleyVariant variant, float scale, long rAddress) {
        KernelOps.nonNull(variant, "variant");
        if (ops.backend() == Backend.CUDA) {
            try (PointerScope scope = new PointerScope()) {
                run(AddressPointers.floats(qAddress), batch, b, variant, scale, AddressPointers.floats(rAddress));
            }
        } else {
            NativeStatus.check(PeftArenaNative.pa_cayley_f32(qAddress, batch, b, variant.terms(), scale, rAddress), "pa_cayley_f32");
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    float[] cayleyVjp(float[] q, float[] r, float[] g, int batch, int b, CayleyVariant variant) {
        ArrayArgs.requireNonNull(q, "q");
        ArrayArgs.requireNonNull(g, "g");
        KernelOps.nonNull(variant, "variant");
        ArrayArgs.requireLength(q.length, "q", batch, ArrayArgs.packedSize(b));
        ArrayArgs.requireLength(g.length, "g", batch, b, b);
        if (variant.isExact()) {
            ArrayArgs.requireNonNull(r, "r (the exact variant's forward output)");
            ArrayArgs.requireLength(r.length, "r", batch, b, b);
        }
        final float[] dq = new float[q.length];
        try (PointerScope scope = new PointerScope()) {
            final FloatPointer qp = KernelOps.floats(q);
            final FloatPointer rp = r == null ? null : KernelOps.floats(r);
            final FloatPointer gp = KernelOps.floats(g);
            final FloatPointer dqp = new FloatPointer(Math.max(1, dq.length));
            NativeStatus.check(PeftArenaNative.pa_cayley_vjp_f32(qp, rp, gp, batch, b, variant.terms(), dqp), "pa_cayley_vjp_f32");
            dqp.get(dq);
        }
        return dq;
    }

    void cayleyVjp(long qAddress, long rAddress, long gAddress, long batch, int b, CayleyVariant variant, long dqAddress) {
        KernelOps.nonNull(variant, "variant");
        NativeStatus.check(PeftArenaNative.pa_cayley_vjp_f32(qAddress, rAddress, gAddress, batch, b, variant.terms(), dqAddress),
                "pa_cayley_vjp_f32");
    }

    private void run(FloatPointer q, long batch, int b, CayleyVariant variant, float scale, FloatPointer r) {
        if (ops.backend() == Backend.CUDA) {
            NativeStatus.check(PeftArenaNative.pa_cuda_host_cayley_f32(q, batch, b, variant.terms(), scale, r), "pa_cuda_host_cayley_f32");
        } else {
            NativeStatus.check(PeftArenaNative.pa_cayley_f32(q, batch, b, variant.terms(), scale, r), "pa_cayley_f32");
        }
    }

    /** Output length for valid sizes; 0 for invalid ones, which the native call then rejects. */
    private static int outputLength(int batch, int b) {
        if (batch < 0 || b < 0) {
            return 0;
        }
        final long len = (long) batch * b * b;
        if (len > Integer.MAX_VALUE - 8) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE, "batch * b * b = " + len + " exceeds a Java array");
        }
        return (int) len;
    }
}
