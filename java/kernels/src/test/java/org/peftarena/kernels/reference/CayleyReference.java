package org.peftarena.kernels.reference;

/**
 * Double-precision reference of the batched Cayley transform: the exact variant by Gaussian
 * elimination with partial pivoting, the Neumann series term by term as HF PEFT computes it.
 */
public final class CayleyReference {
    private CayleyReference() {}

    /**
     * Skew matrix Q = scale * (Mq - Mq^T) of one packed generator.
     *
     * @param q packed generators [batch, b(b-1)/2]
     * @param item which generator
     * @param b block size
     * @param scale multiplies Q
     * @return Q [b][b]
     */
    public static double[][] skew(double[] q, int item, int b, double scale) {
        final double[][] s = new double[b][b]; // [b, b]
        int idx = item * b * (b - 1) / 2;
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                s[i][j] = scale * q[idx];
                s[j][i] = -scale * q[idx];
                idx++;
            }
        }
        return s;
    }

    /**
     * Exact transform R = (I - Q)(I + Q)^-1 of every block.
     *
     * @param q packed generators [batch, b(b-1)/2]
     * @return rotations [batch, b, b] row-major
     */
    public static double[] exact(double[] q, int batch, int b, double scale) {
        final double[] out = new double[batch * b * b]; // [batch, b, b]
        for (int it = 0; it < batch; it++) {
            final double[][] s = skew(q, it, b, scale);
            final double[][] plus = new double[b][b];
            final double[][] minus = new double[b][b];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    final double id = i == j ? 1.0 : 0.0;
                    plus[i][j] = id + s[i][j];
                    minus[i][j] = id - s[i][j];
                }
            }
            final double[][] r = Dense.multiply(minus, Dense.inverse(plus));
            Dense.store(r, out, it * b * b);
        }
        return out;
    }

    /**
     * The Cayley-Neumann series with {@code terms} terms (HF PEFT {@code _cayley_batch}):
     * {@code I + 2Q + 2Q^2 + sum_{p=3}^{terms-2} 2Q^p + Q^max(3, terms-1)}, with the powers built as {@code Q^(p-1) Q}.
     *
     * @param q packed generators [batch, b(b-1)/2]
     * @return approximate rotations [batch, b, b] row-major
     */
    public static double[] neumann(double[] q, int batch, int b, int terms, double scale) {
        final double[] out = new double[batch * b * b]; // [batch, b, b]
        for (int it = 0; it < batch; it++) {
            final double[][] s = skew(q, it, b, scale);
            final double[][] r = Dense.identity(b);
            if (terms > 1) {
                Dense.addScaled(r, s, 2.0);
            }
            if (terms > 2) {
                double[][] power = Dense.multiply(s, s);
                Dense.addScaled(r, power, 2.0);
                for (int p = 3; p < terms - 1; p++) {
                    power = Dense.multiply(power, s);
                    Dense.addScaled(r, power, 2.0);
                }
                power = Dense.multiply(power, s);
                Dense.addScaled(r, power, 1.0);
            }
            Dense.store(r, out, it * b * b);
        }
        return out;
    }
}
