package org.peftarena.kernels;

import org.peftarena.kernels.jni.PeftArenaNative;

/**
 * The argument limits of the native kernels (inclusive), read once from the library, whose single
 * source is {@code native/include/pa_kernel_spec.h}. Callers that decide whether a kernel applies
 * (for example a block size the Cayley kernel accepts) use these instead of their own copies.
 */
public final class KernelLimits {
    /** Smallest Cayley block size b ({@code pa_cayley_*}). */
    public static final int CAYLEY_MIN_BLOCK = read(0, "CAYLEY_MIN_BLOCK");
    /** Largest Cayley block size b ({@code pa_cayley_*}, the Cayley VJP, the CUDA Cayley). */
    public static final int CAYLEY_MAX_BLOCK = read(1, "CAYLEY_MAX_BLOCK");
    /** Largest number of Cayley-Neumann series terms. */
    public static final int CAYLEY_MAX_NEUMANN_TERMS = read(2, "CAYLEY_MAX_NEUMANN_TERMS");
    /** Smallest block size of the block rotation and its block gradient. */
    public static final int ROTATE_MIN_BLOCK = read(3, "ROTATE_MIN_BLOCK");
    /** Largest block size of the block rotation and its block gradient. */
    public static final int ROTATE_MAX_BLOCK = read(4, "ROTATE_MAX_BLOCK");
    /** Largest m and n of the batched SVD (the smallest is 1). */
    public static final int SVD_MAX_DIM = read(5, "SVD_MAX_DIM");
    /** Largest d of the batched Procrustes (the smallest is 1). */
    public static final int PROCRUSTES_MAX_DIM = read(6, "PROCRUSTES_MAX_DIM");
    /** Largest d of the Procrustes residual from a cross product. */
    public static final int RESIDUAL_MAX_DIM = read(7, "RESIDUAL_MAX_DIM");

    private KernelLimits() {}

    /** True when the Cayley kernels accept block size b. */
    public static boolean cayleyBlockSupported(long b) {
        return b >= CAYLEY_MIN_BLOCK && b <= CAYLEY_MAX_BLOCK;
    }

    /** True when the block rotation kernels accept block size b. */
    public static boolean rotateBlockSupported(long b) {
        return b >= ROTATE_MIN_BLOCK && b <= ROTATE_MAX_BLOCK;
    }

    /** {@code pa_limit(id)}; the ids are the {@code PA_LIMIT_*} values of {@code peft_arena.h}. */
    private static int read(int id, String name) {
        final int v = PeftArenaNative.pa_limit(id);
        if (v < 0) {
            throw new IllegalStateException("native library does not know limit " + name + " (id " + id + ")");
        }
        return v;
    }
}
