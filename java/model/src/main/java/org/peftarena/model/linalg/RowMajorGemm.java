package org.peftarena.model.linalg;

/**
 * The column-major cuBLAS GEMM arguments that compute a row-major product {@code C = op(X) op(Y)}. A row-major
 * matrix's memory is its transpose in column-major order, so cuBLAS computes {@code C^T = op(Y)^T op(X)^T}: the
 * operands swap places and each keeps its own transpose flag.
 *
 * @param transA transpose cuBLAS's first operand, the buffer of {@code Y}
 * @param transB transpose cuBLAS's second operand, the buffer of {@code X}
 * @param m columns of {@code C}
 * @param n rows of {@code C}
 * @param k the contracted dimension
 * @param lda leading dimension of {@code Y}'s buffer (its row length)
 * @param ldb leading dimension of {@code X}'s buffer (its row length)
 * @param ldc leading dimension of {@code C}'s buffer (its row length, {@code m})
 */
record RowMajorGemm(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {

    /**
     * @param transX use {@code X^T}
     * @param xRows rows of the row-major buffer of {@code X}
     * @param xCols columns of that buffer
     * @param transY use {@code Y^T}
     * @param yRows rows of the row-major buffer of {@code Y}
     * @param yCols columns of that buffer
     * @return the cuBLAS arguments for {@code C = op(X) op(Y)}, {@code C} row-major {@code [rows(C), m]}
     */
    static RowMajorGemm of(boolean transX, long xRows, long xCols, boolean transY, long yRows, long yCols) {
        long p = transX ? xCols : xRows;
        long r = transX ? xRows : xCols;
        long r2 = transY ? yCols : yRows;
        long q = transY ? yRows : yCols;
        if (r != r2) {
            throw new IllegalArgumentException("inner dimensions differ: op(X) is " + p + "x" + r + ", op(Y) is " + r2 + "x" + q);
        }
        return new RowMajorGemm(transY, transX, toInt(q, "columns of C"), toInt(p, "rows of C"), toInt(r, "inner dimension"),
                toInt(Math.max(1, yCols), "row length of Y"), toInt(Math.max(1, xCols), "row length of X"),
                toInt(Math.max(1, q), "row length of C"));
    }

    /** Elements of the row-major result {@code C}. */
    long resultElements() {
        return (long) m * n;
    }

    static int toInt(long v, String what) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " = " + v + " does not fit cuBLAS/cuSOLVER's 32-bit sizes");
        }
        return (int) v;
    }
}
