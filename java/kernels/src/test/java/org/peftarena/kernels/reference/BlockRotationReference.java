package org.peftarena.kernels.reference;

/** Double-precision reference of the block-diagonal rotation {@code y = x @ blockdiag(R_j)} (or {@code R_j^T}). */
public final class BlockRotationReference {
    private BlockRotationReference() {}

    /**
     * @param x input [rows, n] with row stride xStride
     * @param r blocks [n/b, b, b] row-major
     * @param transpose use R_j^T
     * @return y [rows, n] contiguous
     */
    public static double[] apply(double[] x, int rows, int n, int xStride, double[] r, int b, boolean transpose) {
        final double[] y = new double[rows * n]; // [rows, n]
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < n / b; j++) {
                final int blk = j * b * b;
                for (int c = 0; c < b; c++) {
                    double acc = 0.0;
                    for (int k = 0; k < b; k++) {
                        final double rkc = transpose ? r[blk + c * b + k] : r[blk + k * b + c];
                        acc += x[row * xStride + j * b + k] * rkc;
                    }
                    y[row * n + j * b + c] = acc;
                }
            }
        }
        return y;
    }

    /**
     * The rotation's gradient with respect to its blocks: {@code out[j] = X_j^T G_j} over all rows.
     *
     * @param x input [rows, n] with row stride xStride
     * @param g output gradient [rows, n] with row stride gStride
     * @return out [n/b, b, b] row-major
     */
    public static double[] cross(double[] x, int rows, int n, int xStride, double[] g, int gStride, int b) {
        final double[] out = new double[n * b];
        for (int j = 0; j < n / b; j++) {
            for (int k = 0; k < b; k++) {
                for (int c = 0; c < b; c++) {
                    double acc = 0.0;
                    for (int row = 0; row < rows; row++) {
                        acc += x[row * xStride + j * b + k] * g[row * gStride + j * b + c];
                    }
                    out[j * b * b + k * b + c] = acc;
                }
            }
        }
        return out;
    }
}
