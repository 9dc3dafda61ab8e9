package org.peftarena.model.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The row-major to column-major GEMM bookkeeping, executed by a column-major reference GEMM (what cuBLAS does
 * with the arguments) on row-major buffers and compared with the row-major product.
 */
class RowMajorGemmTest {

    /** cuBLAS's {@code C = op(A) op(B)}, all column-major, alpha 1, beta 0. */
    private static double[] columnMajorGemm(RowMajorGemm g, double[] a, double[] b) {
        double[] c = new double[g.ldc() * g.n()];
        for (int j = 0; j < g.n(); j++) {
            for (int i = 0; i < g.m(); i++) {
                double sum = 0;
                for (int l = 0; l < g.k(); l++) {
                    double av = g.transA() ? a[l + i * g.lda()] : a[i + l * g.lda()];
                    double bv = g.transB() ? b[j + l * g.ldb()] : b[l + j * g.ldb()];
                    sum += av * bv;
                }
                c[i + j * g.ldc()] = sum;
            }
        }
        return c;
    }

    /** Element (i, j) of op(Z) for a row-major buffer {@code z [rows, cols]}. */
    private static double at(double[] z, int cols, boolean trans, int i, int j) {
        return trans ? z[j * cols + i] : z[i * cols + j];
    }

    private static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest(name = "op(X [{1}x{2}], {0}) op(Y [{4}x{5}], {3})")
    @CsvSource({
        "false, 3, 4, false, 4, 5",
        "true, 4, 3, false, 4, 5",
        "false, 3, 4, true, 5, 4",
        "true, 4, 3, true, 5, 4",
        "true, 7, 2, false, 7, 2",   // the Procrustes cross product X1^T X0
        "false, 1, 1, false, 1, 1",
        "false, 6, 1, false, 1, 6",
        "true, 33, 31, false, 33, 32",
    })
    void columnMajorArgumentsComputeTheRowMajorProduct(boolean tx, int xr, int xc, boolean ty, int yr, int yc) {
        Random rnd = new Random(7 + xr * 31L + yc);
        double[] x = random(rnd, xr * xc);
        double[] y = random(rnd, yr * yc);
        RowMajorGemm g = RowMajorGemm.of(tx, xr, xc, ty, yr, yc);
        int p = tx ? xc : xr;
        int q = ty ? yr : yc;
        int r = tx ? xr : xc;
        assertEquals(q, g.m());
        assertEquals(p, g.n());
        assertEquals((long) p * q, g.resultElements());
        // cuBLAS's first operand is Y's buffer, its second X's
        double[] c = columnMajorGemm(g, y, x);
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                double want = 0;
                for (int l = 0; l < r; l++) {
                    want += at(x, xc, tx, i, l) * at(y, yc, ty, l, j);
                }
                // the column-major C^T read row-major is C
                assertEquals(want, c[i * q + j], 1e-12, "C[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void mismatchedInnerDimensionsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RowMajorGemm.of(true, 5, 3, false, 4, 3));
        assertTrue(e.getMessage().contains("inner dimensions differ: op(X) is 3x5, op(Y) is 4x3"), e.getMessage());
    }

    @Test
    void sizesBeyond32BitsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RowMajorGemm.of(false, 1L << 31, 2, false, 2, 2));
        assertTrue(e.getMessage().contains("does not fit cuBLAS/cuSOLVER's 32-bit sizes"), e.getMessage());
    }
}
