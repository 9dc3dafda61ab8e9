package org.peftarena.model.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.kernels.CudaProbe;

/**
 * cuSOLVER / cuBLAS results against LibTorch's {@code linalg_svd} / {@code linalg_eigh} on the same device
 * tensors; skipped without a CUDA device and LibTorch's CUDA build. Singular values and reconstructions are
 * compared (never vectors element-wise), tolerances relative to the largest singular value.
 */
@Tag("gpu")
class CudaLinalgGpuTest {
    private Device cuda;

    /** Each test is skipped on its own (and counted as skipped) without CUDA. */
    @BeforeEach
    void needsCuda() {
        assumeTrue(CudaLinalg.available(), "needs CUDA: " + CudaLinalg.unavailableReason());
        assumeTrue(torch.cuda_is_available(), "needs CUDA: LibTorch's CUDA build (the -Pgpu distribution)");
        cuda = new Device("cuda:0");
        torch.manual_seed(17);
    }

    private Tensor randn(long... shape) {
        return torch.randn(shape).to(cuda, torch.ScalarType.Float);
    }

    private static double maxAbs(Tensor t) {
        return t.abs().max().item_double();
    }

    private static long[] sizes(Tensor t) {
        return t.sizes().vec().get();
    }

    /** 1e-5 of the largest singular value per unit of sqrt(max(m, n)), a loose float32 Jacobi bound. */
    private static double tol(double sMax, long m, long n) {
        return 1e-5 * Math.max(1.0, sMax) * Math.sqrt((double) Math.max(m, n)) * 4;
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1, 1", "7, 3", "3, 7", "64, 64", "300, 40", "40, 300", "1024, 512", "2048, 2048"})
    void thinSvdMatchesLinalgSvd(int m, int n) {
        Tensor a = randn(m, n);
        Tensor before = a.clone();
        CudaLinalg.Svd svd = CudaLinalg.thinSvd(a);
        T_TensorTensorTensor_T ref = torch.linalg_svd(a, false, new StringViewOptional());
        int k = Math.min(m, n);
        assertArrayEquals(new long[] {m, k}, sizes(svd.u()));
        assertArrayEquals(new long[] {k}, sizes(svd.s()));
        assertArrayEquals(new long[] {k, n}, sizes(svd.vh()));
        assertTrue(svd.u().is_cuda() && svd.s().is_cuda() && svd.vh().is_cuda(), "results on the device");
        double sMax = ref.get1().max().item_double();
        double t = tol(sMax, m, n);
        assertTrue(maxAbs(svd.s().sub(ref.get1())) <= t, "singular values, max error " + maxAbs(svd.s().sub(ref.get1())));
        Tensor back = svd.u().mul(svd.s().unsqueeze(0)).mm(svd.vh());
        assertTrue(maxAbs(back.sub(a)) <= t, "reconstruction error " + maxAbs(back.sub(a)));
        Tensor eye = torch.eye(k).to(cuda, torch.ScalarType.Float);
        assertTrue(maxAbs(svd.u().t().mm(svd.u()).sub(eye)) < 1e-3, "orthonormal U");
        assertTrue(maxAbs(svd.vh().mm(svd.vh().t()).sub(eye)) < 1e-3, "orthonormal Vh");
        assertEquals(0.0, maxAbs(a.sub(before)), "the input is not modified");
        Tensor s = CudaLinalg.singularValues(a);
        assertTrue(maxAbs(s.sub(ref.get1())) <= t, "singular values only, max error " + maxAbs(s.sub(ref.get1())));
    }

    @ParameterizedTest(name = "{0} x {1}x{2}")
    @CsvSource({"4096, 32, 32", "100, 17, 5", "3, 2, 9", "1, 1, 1"})
    void batchedSvdsMatchLinalgSvd(int batch, int m, int n) {
        Tensor a = randn(batch, m, n);
        Tensor ref = torch.linalg_svdvals(a);
        double t = tol(ref.max().item_double(), m, n);
        for (CudaLinalg.Svd svd : new CudaLinalg.Svd[] {CudaLinalg.gesvdjBatched(a, true), CudaLinalg.batchedSvd(a, true)}) {
            assertTrue(maxAbs(svd.s().sub(ref)) <= t, "singular values, max error " + maxAbs(svd.s().sub(ref)));
            Tensor back = torch.matmul(svd.u().mul(svd.s().unsqueeze(1)), svd.vh());
            assertTrue(maxAbs(back.sub(a)) <= t, "reconstruction error " + maxAbs(back.sub(a)));
        }
        assertTrue(maxAbs(CudaLinalg.gesvdjBatched(a, false).s().sub(ref)) <= t, "values only");
    }

    @ParameterizedTest(name = "n = {0}")
    @CsvSource({"1", "5", "32", "257", "1024"})
    void symmetricEigenMatchesLinalgEigh(int n) {
        Tensor g = randn(n, n);
        Tensor a = g.mm(g.t());
        T_TensorTensor_T ref = torch.linalg_eigh(a, "L");
        CudaLinalg.Eigen e = CudaLinalg.symmetricEigen(a);
        double wMax = ref.get0().abs().max().item_double();
        double t = 1e-5 * Math.max(1, wMax) * Math.sqrt(n) * 4;
        assertTrue(maxAbs(e.values().sub(ref.get0())) <= t, "eigenvalues, max error " + maxAbs(e.values().sub(ref.get0())));
        Tensor resid = a.mm(e.vectors()).sub(e.vectors().mul(e.values().unsqueeze(0)));
        assertTrue(maxAbs(resid) <= t, "A V - V diag(w): " + maxAbs(resid));
        if (n <= 32) {
            Tensor batch = a.unsqueeze(0).expand(3, n, n).contiguous();
            CudaLinalg.Eigen b = CudaLinalg.symmetricEigenBatched(batch);
            assertTrue(maxAbs(b.values().sub(ref.get0().unsqueeze(0))) <= t, "batched eigenvalues");
        }
    }

    @Test
    void crossProductIsTheTransposedProduct() {
        Tensor x1 = randn(513, 257);
        Tensor x0 = randn(513, 257);
        Tensor m = CudaLinalg.crossProduct(x1, x0);
        Tensor ref = x1.to(torch.ScalarType.Double).t().mm(x0.to(torch.ScalarType.Double));
        assertTrue(maxAbs(m.to(torch.ScalarType.Double).sub(ref)) < 1e-3 * maxAbs(ref), "X1^T X0");
    }

    /** A planted rotation with small noise (a good fit, where the identity cancels) and a poor fit, d <= n and d > n. */
    @ParameterizedTest(name = "n = {0}, d = {1}, noise {2}")
    @CsvSource({"515, 128, 1e-4", "4096, 1024, 1e-3", "4096, 1024, 1.0", "256, 2048, 1e-3", "256, 2048, 1.0"})
    void procrustesResidualMatchesAFloat64Reference(int n, int d, double noise) {
        Tensor x1 = randn(n, d);
        Tensor q = torch.linalg_qr(randn(d, d), "reduced").get0();
        Tensor x0 = x1.mm(q).add(randn(n, d).mul(new org.bytedeco.pytorch.Scalar(noise)));
        double got = CudaLinalg.procrustesResidual(x1, x0);
        Tensor a = x1.to(torch.ScalarType.Double);
        Tensor b = x0.to(torch.ScalarType.Double);
        T_TensorTensorTensor_T usv = torch.linalg_svd(a.t().mm(b), false, new StringViewOptional());
        double want = a.mm(usv.get0().mm(usv.get2())).sub(b).norm().item_double();
        assertEquals(want, got, 1e-3 * want + 1e-5 * b.norm().item_double(), "residual");
    }

    @Test
    void probeAgrees() {
        assertTrue(CudaProbe.probe().available());
        assertTrue(CudaLinalg.presetsTouched() || !CudaLinalg.available());
    }
}
