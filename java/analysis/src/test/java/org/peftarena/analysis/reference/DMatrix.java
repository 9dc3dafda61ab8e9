package org.peftarena.analysis.reference;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A small dense row-major double matrix: the arithmetic of the plain-Java reference diagnostics,
 * written for clarity rather than speed.
 */
public final class DMatrix {
    private final int rows;
    private final int cols;
    /** Row-major values, {@code a[i * cols + j]}. */
    private final double[] a;

    /**
     * @param rows number of rows, at least 0
     * @param cols number of columns, at least 0
     * @param values row-major double values, {@code rows * cols} of them (copied)
     */
    public DMatrix(int rows, int cols, double[] values) {
        if (rows < 0 || cols < 0 || values.length != (long) rows * cols) {
            throw new IllegalArgumentException("shape " + rows + "x" + cols + " needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
        this.rows = rows;
        this.cols = cols;
        this.a = values.clone();
    }

    /** A zero matrix of the given shape. */
    public static DMatrix zeros(int rows, int cols) {
        return new DMatrix(rows, cols, new double[rows * cols]);
    }

    /** The n x n identity. */
    public static DMatrix identity(int n) {
        DMatrix m = zeros(n, n);
        for (int i = 0; i < n; i++) {
            m.a[i * n + i] = 1;
        }
        return m;
    }

    /**
     * Widens float32 values to double.
     *
     * @param values row-major float32 [rows, cols]
     */
    public static DMatrix ofFloats(int rows, int cols, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new DMatrix(rows, cols, d);
    }

    /** Standard normal entries from a seeded generator. */
    public static DMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            // Box-Muller keeps the reference free of library RNG quirks
            double u1 = 1.0 - rnd.nextDouble();
            double u2 = rnd.nextDouble();
            d[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        return new DMatrix(rows, cols, d);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int i, int j) {
        return a[i * cols + j];
    }

    void set(int i, int j, double v) {
        a[i * cols + j] = v;
    }

    /** @return a copy of the row-major values, double [rows * cols] */
    public double[] values() {
        return a.clone();
    }

    /** @return the values narrowed to float32, row-major [rows * cols] */
    public float[] toFloats() {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    public DMatrix transpose() {
        DMatrix t = zeros(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t.a[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    public DMatrix times(DMatrix b) {
        if (cols != b.rows) {
            throw new IllegalArgumentException("cannot multiply " + rows + "x" + cols + " by " + b.rows + "x" + b.cols);
        }
        DMatrix c = zeros(rows, b.cols);
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < cols; k++) {
                double x = a[i * cols + k];
                if (x == 0) {
                    continue;
                }
                for (int j = 0; j < b.cols; j++) {
                    c.a[i * b.cols + j] += x * b.a[k * b.cols + j];
                }
            }
        }
        return c;
    }

    public DMatrix plus(DMatrix b) {
        return combine(b, 1);
    }

    public DMatrix minus(DMatrix b) {
        return combine(b, -1);
    }

    private DMatrix combine(DMatrix b, double sign) {
        if (rows != b.rows || cols != b.cols) {
            throw new IllegalArgumentException("shapes differ: " + rows + "x" + cols + " vs " + b.rows + "x" + b.cols);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] + sign * b.a[i];
        }
        return new DMatrix(rows, cols, d);
    }

    public DMatrix scale(double s) {
        double[] d = a.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] *= s;
        }
        return new DMatrix(rows, cols, d);
    }

    /** @return the Frobenius norm */
    public double frobenius() {
        double s = 0;
        for (double x : a) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** @return column j as a vector, double [rows] */
    public double[] column(int j) {
        double[] c = new double[rows];
        for (int i = 0; i < rows; i++) {
            c[i] = a[i * cols + j];
        }
        return c;
    }

    /** @return row i as a vector, double [cols] */
    public double[] row(int i) {
        return Arrays.copyOfRange(a, i * cols, (i + 1) * cols);
    }

    /** @return the first {@code n} columns */
    public DMatrix leftColumns(int n) {
        DMatrix m = zeros(rows, n);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, i * cols, m.a, i * n, n);
        }
        return m;
    }

    /** @return the given rows, in the given order */
    public DMatrix selectRows(int[] indices) {
        DMatrix m = zeros(indices.length, cols);
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(a, indices[r] * cols, m.a, r * cols, cols);
        }
        return m;
    }

    /** @return this matrix with each column's mean subtracted */
    public DMatrix centreColumns() {
        double[] d = a.clone();
        for (int j = 0; j < cols; j++) {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                mean += a[i * cols + j];
            }
            mean /= rows;
            for (int i = 0; i < rows; i++) {
                d[i * cols + j] -= mean;
            }
        }
        return new DMatrix(rows, cols, d);
    }

    /** Dot product of two vectors of equal length. */
    public static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** Euclidean norm of a vector. */
    public static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }
}
