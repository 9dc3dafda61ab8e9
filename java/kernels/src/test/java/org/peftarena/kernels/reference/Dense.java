package org.peftarena.kernels.reference;

/** Small dense double-precision matrix helpers for the references (row-major {@code double[rows][cols]}). */
public final class Dense {
    private Dense() {}

    /** Identity [n][n]. */
    public static double[][] identity(int n) {
        final double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1.0;
        }
        return m;
    }

    /** a [p][q] times b [q][r]. */
    public static double[][] multiply(double[][] a, double[][] b) {
        final int p = a.length;
        final int q = b.length;
        final int r = q == 0 ? 0 : b[0].length;
        final double[][] c = new double[p][r];
        for (int i = 0; i < p; i++) {
            for (int k = 0; k < q; k++) {
                final double aik = a[i][k];
                for (int j = 0; j < r; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    /** Transpose of a [p][q]. */
    public static double[][] transpose(double[][] a) {
        final int p = a.length;
        final int q = p == 0 ? 0 : a[0].length;
        final double[][] t = new double[q][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** r += alpha * a, both [n][n]. */
    public static void addScaled(double[][] r, double[][] a, double alpha) {
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < r[i].length; j++) {
                r[i][j] += alpha * a[i][j];
            }
        }
    }

    /** Inverse of a square matrix by Gauss-Jordan elimination with partial pivoting. */
    public static double[][] inverse(double[][] a) {
        final int n = a.length;
        final double[][] w = new double[n][2 * n]; // [n, 2n]: [A | I]
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, w[i], 0, n);
            w[i][n + i] = 1.0;
        }
        for (int k = 0; k < n; k++) {
            int piv = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(w[i][k]) > Math.abs(w[piv][k])) {
                    piv = i;
                }
            }
            final double[] t = w[k];
            w[k] = w[piv];
            w[piv] = t;
            final double p = w[k][k];
            for (int j = 0; j < 2 * n; j++) {
                w[k][j] /= p;
            }
            for (int i = 0; i < n; i++) {
                if (i != k && w[i][k] != 0.0) {
                    final double f = w[i][k];
                    for (int j = 0; j < 2 * n; j++) {
                        w[i][j] -= f * w[k][j];
                    }
                }
            }
        }
        final double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(w[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** Determinant by elimination with partial pivoting. */
    public static double determinant(double[][] a) {
        final int n = a.length;
        final double[][] w = new double[n][];
        for (int i = 0; i < n; i++) {
            w[i] = a[i].clone();
        }
        double det = 1.0;
        for (int k = 0; k < n; k++) {
            int piv = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(w[i][k]) > Math.abs(w[piv][k])) {
                    piv = i;
                }
            }
            if (piv != k) {
                final double[] t = w[k];
                w[k] = w[piv];
                w[piv] = t;
                det = -det;
            }
            det *= w[k][k];
            if (w[k][k] == 0.0) {
                return 0.0;
            }
            for (int i = k + 1; i < n; i++) {
                final double f = w[i][k] / w[k][k];
                for (int j = k; j < n; j++) {
                    w[i][j] -= f * w[k][j];
                }
            }
        }
        return det;
    }

    /** Row-major copy of m into out starting at offset. */
    public static void store(double[][] m, double[] out, int offset) {
        int o = offset;
        for (double[] row : m) {
            System.arraycopy(row, 0, out, o, row.length);
            o += row.length;
        }
    }

    /** Matrix [rows][cols] read row-major from flat data starting at offset (float or double source). */
    public static double[][] load(double[] flat, int offset, int rows, int cols) {
        final double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, offset + i * cols, m[i], 0, cols);
        }
        return m;
    }

    /** Widens a float array to double. */
    public static double[] widen(float[] a) {
        final double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
