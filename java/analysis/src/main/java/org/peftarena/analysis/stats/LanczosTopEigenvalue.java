package org.peftarena.analysis.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Largest eigenvalue of a symmetric positive semi-definite operator given only as a product
 * {@code x -> A x}, by Lanczos iteration with full reorthogonalisation. It stops when the Ritz
 * residual {@code beta_m * abs(y_m)} is at most {@code tolerance * theta}, which puts an eigenvalue
 * of A within that relative distance of the reported Ritz value {@code theta}.
 */
public final class LanczosTopEigenvalue {
    /** Steps between convergence checks (each check solves the small tridiagonal problem). */
    private static final int CHECK_EVERY = 4;
    private static final Logger LOG = LoggerFactory.getLogger(LanczosTopEigenvalue.class);

    private LanczosTopEigenvalue() {}

    /**
     * @param n dimension of the operator
     * @param operator {@code x -> A x} for double [n] vectors; A symmetric positive semi-definite
     * @param maxSteps most Lanczos steps (capped at n)
     * @param tolerance relative residual at which to stop, e.g. 1e-7
     * @param seed seed of the random start vector
     * @return the largest eigenvalue, or empty when it did not converge within maxSteps
     */
    public static OptionalDouble compute(int n, UnaryOperator<double[]> operator, int maxSteps, double tolerance,
                                         long seed) {
        if (n <= 0) {
            throw new IllegalArgumentException("operator dimension must be positive, got " + n);
        }
        int steps = Math.min(maxSteps, n);
        List<double[]> basis = new ArrayList<>();
        double[] alpha = new double[steps];
        double[] beta = new double[steps];
        double[] q = randomUnit(n, seed);
        for (int j = 0; j < steps; j++) {
            basis.add(q);
            double[] w = operator.apply(q);
            if (w.length != n) {
                throw new IllegalArgumentException("operator returned " + w.length + " values for dimension " + n);
            }
            alpha[j] = dot(w, q);
            // two Gram-Schmidt passes against the whole basis keep it orthogonal in floating point
            for (int pass = 0; pass < 2; pass++) {
                for (double[] b : basis) {
                    axpy(-dot(w, b), b, w);
                }
            }
            beta[j] = Math.sqrt(dot(w, w));
            boolean last = j + 1 == steps;
            if (last || (j + 1) % CHECK_EVERY == 0 || beta[j] == 0) {
                double[] ritz = topRitzPair(alpha, beta, j + 1);
                double theta = ritz[0];
                double residual = beta[j] * Math.abs(ritz[1]);
                if (residual <= tolerance * Math.abs(theta) || beta[j] <= 1e-14 * Math.abs(theta)
                        || (theta == 0 && beta[j] == 0) || j + 1 == n) {
                    LOG.debug("Lanczos converged after {} of at most {} steps (n = {})", j + 1, steps, n);
                    return OptionalDouble.of(Math.max(theta, 0));
                }
            }
            if (beta[j] == 0) {
                // invariant subspace of a zero-ish operator part: restart orthogonal to the basis
                double[] r = randomUnit(n, seed + j + 1);
                for (double[] b : basis) {
                    axpy(-dot(r, b), b, r);
                }
                double norm = Math.sqrt(dot(r, r));
                for (int i = 0; i < n; i++) {
                    r[i] /= norm;
                }
                q = r;
            } else {
                double inv = 1.0 / beta[j];
                for (int i = 0; i < n; i++) {
                    w[i] *= inv;
                }
                q = w;
            }
        }
        return OptionalDouble.empty();
    }

    /** @return {largest eigenvalue, last component of its unit eigenvector} of the m x m tridiagonal */
    private static double[] topRitzPair(double[] alpha, double[] beta, int m) {
        return TridiagonalEigen.of(alpha, beta, m).top();
    }

    private static double[] randomUnit(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] q = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            q[i] = random.nextDouble() - 0.5;
            norm += q[i] * q[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            q[i] /= norm;
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }
}
