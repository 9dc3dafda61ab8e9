package org.peftarena.model.linalg;

import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * How row-major float32 matrices {@code A [m, n]} meet cuSOLVER's column-major Jacobi SVD. cuSOLVER overwrites
 * its input, so it always gets a copy, and the copy is laid out so that cuSOLVER sees a tall matrix (rows at
 * least columns): for {@code m >= n} the copy is {@code A^T} row-major, which column-major is {@code A} itself
 * ("direct"); for {@code m < n} it is {@code A} row-major, which column-major is {@code B = A^T [n, m]}. cuSOLVER
 * factors what it sees as {@code U_s S V_s^T}; a column-major factor read row-major is its transpose, so
 * directly {@code U = U_s} and {@code Vh = V_s^T}, and for the transpose {@code U = V_s} and {@code Vh = U_s^T}.
 * {@code gesvdj} writes thin factors ({@code econ = 1}); {@code gesvdjBatched} always writes square ones, of
 * which the first {@code k} singular vectors are kept.
 *
 * @param batch matrices (1 for a single {@code gesvdj})
 * @param m rows of each row-major {@code A}
 * @param n columns of each row-major {@code A}
 * @param econ thin {@code U_s} and {@code V_s} ({@code gesvdj}), square otherwise ({@code gesvdjBatched})
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

    /** cuSOLVER factors {@code A} itself (from a transposed copy) rather than {@code A^T}. */
    boolean direct() {
        return m >= n;
    }

    /** cuSOLVER's row count, never below its column count. */
    int solverRows() {
        return direct() ? m : n;
    }

    /** cuSOLVER's column count. */
    int solverCols() {
        return direct() ? n : m;
    }

    /** Leading dimension of the input buffer. */
    int lda() {
        return Math.max(1, solverRows());
    }

    /** Leading dimension of cuSOLVER's {@code U} ({@code [solverRows, uColumns]}). */
    int ldu() {
        return Math.max(1, solverRows());
    }

    /** Leading dimension of cuSOLVER's {@code V} ({@code [solverCols, vColumns]}). */
    int ldv() {
        return Math.max(1, solverCols());
    }

    /** Columns cuSOLVER writes into its {@code U}. */
    int uColumns() {
        return econ ? k() : solverRows();
    }

    /** Columns cuSOLVER writes into its {@code V}. */
    int vColumns() {
        return econ ? k() : solverCols();
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
     * The copy cuSOLVER may overwrite, laid out as {@link #direct()} says.
     *
     * @param a float32 {@code [m, n]} (single) or {@code [batch, m, n]}
     * @return a new contiguous tensor on a's device, {@code solverRows x solverCols} column-major per matrix
     */
    Tensor solverInput(Tensor a) {
        // always a copy (contiguous() could return the input itself); column-major A is row-major A^T
        Tensor view = direct() ? a.transpose(-2, -1) : a;
        return view.clone(new MemoryFormatOptional(torch.MemoryFormat.Contiguous));
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
        // row j of each view is column j of U_s, resp. V_s; the first k are the singular vectors
        Tensor us = uBuffer.view(batch, uColumns(), solverRows()).narrow(1, 0, k);
        Tensor vs = vBuffer.view(batch, vColumns(), solverCols()).narrow(1, 0, k);
        Tensor u = (direct() ? us : vs).transpose(1, 2).contiguous();
        Tensor vh = (direct() ? vs : us).contiguous();
        return econ ? new CudaLinalg.Svd(u.select(0, 0), s, vh.select(0, 0)) : new CudaLinalg.Svd(u, s, vh);
    }
}
