package org.peftarena.kernels;

import java.util.SplittableRandom;

/** Seeded random inputs and small double-precision checks shared by the kernel tests. */
final class TestData {
    private TestData() {}

    /** Gaussian values with the given standard deviation. */
    static double[] gaussian(int n, long seed, double sd) {
        final SplittableRandom rng = new SplittableRandom(seed);
        final double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller from two uniforms: deterministic for a seed across JDKs.
            final double u1 = 1.0 - rng.nextDouble();
            final double u2 = rng.nextDouble();
            v[i] = sd * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
        }
        return v;
    }

    static float[] toFloat(double[] a) {
        final float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    static double[] toDouble(float[] a) {
        final double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** normMax(M^T M - I) for M [rows, cols] at offset in row-major data (columns orthonormal). */
    static double orthogonalityError(double[] m, int offset, int rows, int cols) {
        double worst = 0.0;
        for (int p = 0; p < cols; p++) {
            for (int q = 0; q < cols; q++) {
                double acc = 0.0;
                for (int i = 0; i < rows; i++) {
                    acc += m[offset + i * cols + p] * m[offset + i * cols + q];
                }
                worst = Math.max(worst, Math.abs(acc - (p == q ? 1.0 : 0.0)));
            }
        }
        return worst;
    }

    /** Transpose of M [rows, cols] at offset, as a new row-major [cols, rows] array. */
    static double[] transpose(double[] m, int offset, int rows, int cols) {
        final double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[offset + i * cols + j];
            }
        }
        return t;
    }
}
