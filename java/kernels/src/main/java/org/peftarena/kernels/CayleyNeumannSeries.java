package org.peftarena.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.peftarena.kernels.jni.PeftArenaNative;

/**
 * HF PEFT's Cayley-Neumann series with a given number of terms as the native kernels evaluate it,
 * {@code R = sum_{i=0}^{d} c_i Q^i}, read from the library (single source:
 * {@code native/include/pa_kernel_spec.h}): {@code I} (1 term), {@code I + 2Q} (2 terms), and
 * {@code I + 2Q + 2Q^2 + ... + 2Q^(d-1) + Q^d} with {@code d = max(3, terms - 1)} above. The kernels
 * evaluate it by Paterson-Stockmeyer: powers up to {@code Q^split()}, then Horner's rule in
 * {@code Q^split()}; code that must round like the kernels uses the same split.
 */
public final class CayleyNeumannSeries {
    private static final CayleyNeumannSeries[] CACHE = new CayleyNeumannSeries[KernelLimits.CAYLEY_MAX_NEUMANN_TERMS + 1];

    private final int terms;
    private final int degree;
    private final int split;
    private final double[] coefficients; // [degree + 1]

    private CayleyNeumannSeries(int terms, int degree, int split, double[] coefficients) {
        this.terms = terms;
        this.degree = degree;
        this.split = split;
        this.coefficients = coefficients;
    }

    /**
     * The series with the given number of terms.
     *
     * @param terms 1..{@link KernelLimits#CAYLEY_MAX_NEUMANN_TERMS}
     * @throws KernelArgumentException for a term count outside that range
     */
    public static CayleyNeumannSeries of(int terms) {
        if (terms < 1 || terms > KernelLimits.CAYLEY_MAX_NEUMANN_TERMS) {
            throw new KernelArgumentException(KernelStatus.INVALID_SIZE,
                    "Neumann series terms = " + terms + " must be in 1.." + KernelLimits.CAYLEY_MAX_NEUMANN_TERMS);
        }
        synchronized (CACHE) {
            if (CACHE[terms] == null) {
                CACHE[terms] = load(terms);
            }
            return CACHE[terms];
        }
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static CayleyNeumannSeries load(int terms) {
        try (PointerScope scope = new PointerScope()) {
            final IntPointer degree = new IntPointer(1);
            final IntPointer split = new IntPointer(1);
            NativeStatus.check(PeftArenaNative.pa_cayley_neumann_coefficients(terms, degree, null, 0, split),
                    "pa_cayley_neumann_coefficients");
            final int d = degree.get();
            final DoublePointer c = new DoublePointer(d + 1);
            NativeStatus.check(PeftArenaNative.pa_cayley_neumann_coefficients(terms, degree, c, d + 1, split),
                    "pa_cayley_neumann_coefficients");
            final double[] coefficients = new double[d + 1];
            c.get(coefficients);
            return new CayleyNeumannSeries(terms, d, split.get(), coefficients);
        }
    }

    /** Number of terms (1..64). */
    public int terms() {
        return terms;
    }

    /** Degree d of the polynomial in Q. */
    public int degree() {
        return degree;
    }

    /** Coefficient {@code c_i} of {@code Q^i}, 0 &lt;= i &lt;= degree. */
    public double coefficient(int i) {
        return coefficients[i];
    }

    /** All coefficients {@code c_0..c_d} (a copy). */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** The power {@code s} whose Horner steps the kernels' Paterson-Stockmeyer evaluation uses. */
    public int split() {
        return split;
    }

    @Override
    public String toString() {
        return "CayleyNeumannSeries(terms=" + terms + ", degree=" + degree + ", split=" + split + ")";
    }
}
