package org.peftarena.model.linalg;

import org.bytedeco.pytorch.Tensor;

/**
 * How row-major symmetric float32 matrices {@code A [n, n]} meet cuSOLVER's column-major {@code syevj}. The
 * buffer read column-major is {@code A^T}; its upper triangle is the row-major lower triangle, the one
 * LibTorch's {@code linalg_eigh} reads by default, so cuSOLVER is told "upper". It overwrites the buffer with
 * the eigenvectors as columns, which read row-major is {@code V^T}.
 *
 * @param batch matrices (1 for a single {@code syevj})
 * @param n order of each matrix
 * @param single one matrix without a batch dimension
 */
record EighLayout(long batch, int n, boolean single) {
    /** Largest n of {@code cusolverDnSsyevjBatched}. */
    static final int BATCHED_MAX_DIM = 32;

    /** The layout of one {@code syevj} call on a row-major {@code [n, n]} matrix. */
    static EighLayout of(long n) {
        return new EighLayout(1, RowMajorGemm.toInt(n, "order"), true);
    }

    /** The layout of one {@code syevjBatched} call on row-major {@code [batch, n, n]} matrices. */
    static EighLayout batched(long batch, long n) {
        if (n > BATCHED_MAX_DIM) {
            throw new IllegalArgumentException("cusolverDnSsyevjBatched takes matrices up to " + BATCHED_MAX_DIM + "x"
                    + BATCHED_MAX_DIM + ", got " + n + "x" + n);
        }
        return new EighLayout(batch, (int) n, false);
    }

    /** Leading dimension of each matrix. */
    int lda() {
        return Math.max(1, n);
    }

    /** cuSOLVER reads the column-major upper triangle (the row-major lower one). */
    boolean upperInColumnMajor() {
        return true;
    }

    /**
     * @param buffer cuSOLVER's output, the eigenvectors column-major, float32 {@code [batch, n, n]} or {@code [n, n]}
     * @param values eigenvalues ascending, float32 {@code [batch, n]} or {@code [n]}
     * @return eigenvalues and row-major eigenvectors (column {@code j} belongs to value {@code j})
     */
    CudaLinalg.Eigen assemble(Tensor buffer, Tensor values) {
        Tensor v = buffer.view(batch, n, n).transpose(1, 2).contiguous();
        return new CudaLinalg.Eigen(values, single ? v.select(0, 0) : v);
    }
}
