package org.peftarena.model.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gesvdj layout bookkeeping on the CPU: cuSOLVER's column-major output is simulated from LibTorch's SVD of
 * the column-major matrix ({@code A^T}), laid out as cuSOLVER writes it, and assembled; the result must be the
 * SVD of the row-major {@code A}.
 */
class SvdLayoutTest {
    @BeforeAll
    static void seed() {
        torch.manual_seed(5);
    }

    /**
     * What cuSOLVER writes for its input buffer: the column-major {@code [solverRows, solverCols]} matrices it
     * holds, factored, U and V written column-major; returns the U, S and V buffers.
     */
    private static Tensor[] simulateSolver(SvdLayout l, Tensor input) {
        // a column-major [r, c] matrix in memory is its transpose row-major
        Tensor b = input.view(l.batch(), l.solverCols(), l.solverRows()).transpose(1, 2);
        T_TensorTensorTensor_T usv = torch.linalg_svd(b, !l.econ(), new StringViewOptional());
        Tensor us = usv.get0();                  // [batch, solverRows, uColumns]
        Tensor vs = usv.get2().transpose(1, 2);  // [batch, solverCols, vColumns]
        return new Tensor[] {us.transpose(1, 2).contiguous().flatten(), usv.get1(), vs.transpose(1, 2).contiguous().flatten()};
    }

    private static double maxAbs(Tensor t) {
        return t.abs().max().item_double();
    }

    private static long[] sizes(Tensor t) {
        return t.sizes().vec().get();
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"5, 3", "3, 5", "4, 4", "1, 6", "6, 1", "40, 7"})
    void thinFactorsAreTheSvdOfTheRowMajorMatrix(int m, int n) {
        Tensor a = torch.randn(m, n);
        SvdLayout l = SvdLayout.single(m, n);
        assertTrue(l.solverRows() >= l.solverCols(), "cuSOLVER sees a tall matrix");
        assertEquals(m >= n, l.direct());
        Tensor input = l.solverInput(a);
        assertEquals((long) l.lda() * l.solverCols(), input.numel(), "input buffer size");
        Tensor[] out = simulateSolver(l, input);
        assertEquals(l.uElements(), out[0].numel(), "U buffer size");
        assertEquals(l.vElements(), out[2].numel(), "V buffer size");
        CudaLinalg.Svd svd = l.assemble(out[0], out[1].select(0, 0), out[2]);
        int k = Math.min(m, n);
        assertArrayEquals(new long[] {m, k}, sizes(svd.u()));
        assertArrayEquals(new long[] {k, n}, sizes(svd.vh()));
        Tensor back = svd.u().mul(svd.s().unsqueeze(0)).mm(svd.vh());
        assertTrue(maxAbs(back.sub(a)) < 1e-5, "reconstruction error " + maxAbs(back.sub(a)));
        assertTrue(maxAbs(svd.u().t().mm(svd.u()).sub(torch.eye(k))) < 1e-5, "orthonormal U columns");
        assertTrue(maxAbs(svd.vh().mm(svd.vh().t()).sub(torch.eye(k))) < 1e-5, "orthonormal Vh rows");
        assertTrue(maxAbs(svd.s().sub(torch.linalg_svdvals(a))) < 1e-5, "singular values of A");
    }

    @ParameterizedTest(name = "{0} x {1}x{2}")
    @CsvSource({"3, 5, 3", "2, 3, 5", "4, 32, 32", "1, 1, 7", "5, 17, 2"})
    void batchedSquareFactorsAreTheSvdsOfTheRowMajorMatrices(int batch, int m, int n) {
        Tensor a = torch.randn(batch, m, n);
        SvdLayout l = SvdLayout.batched(batch, m, n);
        assertTrue(l.solverRows() >= l.solverCols(), "cuSOLVER sees tall matrices");
        Tensor[] out = simulateSolver(l, l.solverInput(a));
        assertEquals(l.uElements(), out[0].numel(), "U buffer size");
        assertEquals(l.vElements(), out[2].numel(), "V buffer size");
        CudaLinalg.Svd svd = l.assemble(out[0], out[1], out[2]);
        int k = Math.min(m, n);
        assertArrayEquals(new long[] {batch, m, k}, sizes(svd.u()));
        assertArrayEquals(new long[] {batch, k, n}, sizes(svd.vh()));
        Tensor back = torch.matmul(svd.u().mul(svd.s().unsqueeze(1)), svd.vh());
        assertTrue(maxAbs(back.sub(a)) < 1e-5, "reconstruction error " + maxAbs(back.sub(a)));
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"5, 1", "1, 5", "3, 3"})
    void theSolverInputIsAlwaysACopy(int m, int n) {
        Tensor a = torch.randn(m, n);
        Tensor input = SvdLayout.single(m, n).solverInput(a);
        assertTrue(input.is_contiguous());
        assertTrue(input.data_ptr().address() != a.data_ptr().address(), "cuSOLVER overwrites its input: never A itself");
    }

    @Test
    void batchedSizesAboveThirtyTwoAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SvdLayout.batched(2, 33, 4));
        assertTrue(e.getMessage().contains("cusolverDnSgesvdjBatched takes matrices up to 32x32, got 33x4"), e.getMessage());
    }

    @Test
    void leadingDimensionsAreNeverZero() {
        SvdLayout l = SvdLayout.single(0, 0);
        assertEquals(1, l.lda());
        assertEquals(1, l.ldu());
        assertEquals(1, l.ldv());
        assertEquals(0, l.k());
    }
}
