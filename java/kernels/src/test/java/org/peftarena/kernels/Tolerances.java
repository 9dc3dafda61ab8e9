package org.peftarena.kernels;

import java.util.EnumMap;
import java.util.Map;

/**
 * The single table of accuracy tolerances for kernel tests: one (rtol, atol) per operation and
 * precision, with the reason for each. A value passes when {@code |a - b| <= atol + rtol * |b|}
 * (b = reference). Quantities are compared as stated in {@link Check}.
 */
final class Tolerances {
    private Tolerances() {}

    /** What is compared. */
    enum Check {
        /** Entries of R against the double reference (|R| <= 1 for the exact transform). */
        CAYLEY_EXACT,
        /** Entries of the Neumann series against the double Neumann reference (same series, not the exact transform). */
        CAYLEY_NEUMANN,
        /** normMax(R^T R - I) and |det R - 1| of the exact transform. */
        CAYLEY_ORTHOGONALITY,
        /** Entries of y = x @ blockdiag(R_j) against the double reference. */
        BLOCK_ROTATE,
        /** Singular values divided by the largest reference singular value. */
        SVD_VALUES,
        /** normF(U S Vt - A) / normF(A). */
        SVD_RECONSTRUCTION,
        /** normMax(U^T U - I) and normMax(Vt Vt^T - I). */
        SVD_ORTHOGONALITY,
        /** Residuals divided by sqrt(normF(X1)^2 + normF(X0)^2). */
        PROCRUSTES_RESIDUAL,
        /** Entries of a recovered planted rotation. */
        PROCRUSTES_ROTATION,
        /** Generic SIMD path against the AVX2 path (same algorithm, different rounding, no FMA). */
        GENERIC_VS_AVX2
    }

    /** Precision of the kernel under test. */
    enum Precision { F32, F64 }

    /** One tolerance with its justification. */
    record Tol(double rtol, double atol, String reason) {}

    private static final Map<Check, Tol> F32 = new EnumMap<>(Check.class);
    private static final Map<Check, Tol> F64 = new EnumMap<>(Check.class);

    static {
        F32.put(Check.CAYLEY_EXACT, new Tol(0, 2e-5,
                "fp32 Gauss-Jordan on I+Q: error ~ b eps cond(I+Q); measured <= 2e-6 at b=128, ||Q|| ~ 1"));
        F64.put(Check.CAYLEY_EXACT, new Tol(0, 1e-12, "fp64 elimination, cond(I+Q) <= 1 + ||Q|| ~ 2"));
        F32.put(Check.CAYLEY_NEUMANN, new Tol(1e-5, 1e-5,
                "fp32 matrix powers: entries up to ~||Q||^k, each product rounds at ~b eps relative"));
        F64.put(Check.CAYLEY_NEUMANN, new Tol(1e-12, 1e-12, "fp64 matrix powers of moderate norm"));
        F32.put(Check.CAYLEY_ORTHOGONALITY, new Tol(0, 2e-5, "fp32 exact Cayley is orthogonal to rounding, ~b eps"));
        F64.put(Check.CAYLEY_ORTHOGONALITY, new Tol(0, 1e-12, "fp64 exact Cayley is orthogonal to rounding"));
        F32.put(Check.BLOCK_ROTATE, new Tol(1e-5, 2e-5,
                "fp32 dot products of length b <= 128 with |x|, |R| ~ 1: error ~ sqrt(b) eps"));
        F32.put(Check.SVD_VALUES, new Tol(0, 1e-5,
                "Jacobi singular values are accurate to a few eps * sigma_max (absolute); fp32 sweeps"));
        F64.put(Check.SVD_VALUES, new Tol(0, 1e-12, "fp64 Jacobi: a few eps * sigma_max"));
        F32.put(Check.SVD_RECONSTRUCTION, new Tol(0, 1e-5, "the fp32 accuracy target: rotations accumulated in fp32 (n <= 40) or fp64"));
        F64.put(Check.SVD_RECONSTRUCTION, new Tol(0, 1e-12, "fp64 rotations, ~sqrt(n sweeps) eps"));
        F32.put(Check.SVD_ORTHOGONALITY, new Tol(0, 1e-5, "the fp32 accuracy target; measured <= 6e-6"));
        F64.put(Check.SVD_ORTHOGONALITY, new Tol(0, 1e-12, "fp64 Jacobi orthogonality ~ sqrt(m) eps"));
        F32.put(Check.PROCRUSTES_RESIDUAL, new Tol(0, 1e-5,
                "M = X1^T X0 and its SVD in fp64; only the fp32 inputs and output round"));
        F32.put(Check.PROCRUSTES_ROTATION, new Tol(0, 1e-4,
                "R = U V^T of a well-conditioned M, rounded to fp32; conditioning of the planted problem ~ 10"));
        F32.put(Check.GENERIC_VS_AVX2, new Tol(1e-4, 1e-4,
                "same algorithm with and without FMA contraction: rounding differs at ~b eps and Jacobi may take another sweep"));
        F64.put(Check.GENERIC_VS_AVX2, new Tol(1e-10, 1e-10, "same algorithm, fp64 rounding differences only"));
    }

    /** The tolerance for a check at a precision (fails the test when the table has no entry). */
    static Tol of(Check check, Precision precision) {
        final Tol t = (precision == Precision.F32 ? F32 : F64).get(check);
        if (t == null) {
            throw new IllegalStateException("no tolerance for " + check + " at " + precision);
        }
        return t;
    }
}
