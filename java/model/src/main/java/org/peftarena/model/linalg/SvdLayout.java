package org.peftarena.model.linalg;

import org.bytedeco.pytorch.Tensor;

/**
 * How row-major float32 matrices {@code A [m, n]} meet cuSOLVER's column-major Jacobi SVD. The memory of a
 * row-major {@code A} is the column-major {@code B = A^T [n, m]}, so cuSOLVER factors {@code B = U_B S V_B^T}
 * and {@code A = V_B S U_B^T}: the column-major {@code U_B} buffer read row-major is {@code Vh} of {@code A}
 * directly, and the {@code V_B} buffer read row-major is {@code U^T} of {@code A}. {@code gesvdj} writes thin
 * factors ({@code econ = 1}); {@code gesvdjBatched} always writes square ones, of which the first {@code k}
 * singular vectors are kept.
 *
 * @param batch matrices (1 for a single {@code gesvdj})
 * @param m rows of each row-major {@code A}
 * @param n columns of each row-major {@code A}
 * @param econ thin {@code U_B} and {@code V_B} ({@code gesvdj}), square otherwise ({@code gesvdjBatched})
 */
record SvdLayout(long batch, int m, int n, boolean econ) {
    /** Largest m and n of {@code cusolverDnSgesvdjBatched}. */
    static final int BATCHED_MAX_DIM = 32;

    SvdLayout {
        if (batch < 0 || m < 0 || n < 0) {
            throw new IllegalArgumentException("negative size: batch " + batch + ", " + m + "x" + n);
        }
    }

    /** The layout of one {@code gesvdj} call on a row-major {@code [m, n]} matrix. */
    static SvdLayout single(long m, long n) {
        return new SvdLayout(1, RowMajorGemm.toInt(m, "rows"), RowMajorGemm.toInt(n, "columns"), true);
    }

    /** The layout of one {@code gesvdjBatched} call on row-major {@code [batch, m, n]} matrices. */
    static SvdLayout batched(long batch, long m, long n) {
        if (m > BATCHED_MAX_DIM || n > BATCHED_MAX_DIM) {
            throw new IllegalArgumentException("cusolverDnSgesvdjBatched takes matrices up to " + BATCHED_MAX_DIM + "x"
                    + BATCHED_MAX_DIM + ", got " + m + "x" + n);
        }
        return new SvdLayout(batch, (int) m, (int) n, false);
    }

    /** {@code k = min(m, n)}: singular values per matrix. */
    int k() {
        return Math.min(m, n);
    }

    /** cuSOLVER's row count: the column-major buffer holds {@code A^T}. */
    int solverRows() {
        return n;
    }

    /** cuSOLVER's column count. */
    int solverCols() {
        return m;
    }

    /** Leading dimension of the input buffer. */
    int lda() {
        return Math.max(1, n);
    }

    /** Leading dimension of cuSOLVER's {@code U} ({@code [n, uColumns]}). */
    int ldu() {
        return Math.max(1, n);
    }

    /** Leading dimension of cuSOLVER's {@code V} ({@code [m, vColumns]}). */
    int ldv() {
        return Math.max(1, m);
    }

    /** Columns cuSOLVER writes into its {@code U}. */
    int uColumns() {
        return econ ? k() : n;
    }

    /** Columns cuSOLVER writes into its {@code V}. */
    int vColumns() {
        return econ ? k() : m;
    }

    /** Floats of the {@code U} buffer, all matrices. */
    long uElements() {
        return batch * ldu() * uColumns();
    }

    /** Floats of the {@code V} buffer, all matrices. */
    long vElements() {
        return batch * ldv() * vColumns();
    }

    /**
     * Reads cuSOLVER's column-major factors as the row-major SVD of {@code A} (device-agnostic tensor views and
     * one copy each, so the bookkeeping is testable on the CPU).
     *
     * @param uBuffer cuSOLVER's {@code U}, float32 {@code [uElements()]}
     * @param s singular values, float32 {@code [batch, k]} (or {@code [k]} for a single matrix)
     * @param vBuffer cuSOLVER's {@code V}, float32 {@code [vElements()]}
     * @return {@code U [m, k]}, {@code S [k]}, {@code Vh [k, n]}, with a leading {@code [batch]} unless single
     */
    CudaLinalg.Svd assemble(Tensor uBuffer, Tensor s, Tensor vBuffer) {
        int k = k();
        // U_B^T: row j holds U_B's column j; its first k rows are Vh
        Tensor vh = uBuffer.view(batch, uColumns(), n).narrow(1, 0, k).contiguous();
        // V_B^T: row j holds V_B's column j; the first k rows transposed are U
        Tensor u = vBuffer.view(batch, vColumns(), m).narrow(1, 0, k).transpose(1, 2).contiguous();
        return econ ? new CudaLinalg.Svd(u.select(0, 0), s, vh.select(0, 0)) : new CudaLinalg.Svd(u, s, vh);
    }
}
