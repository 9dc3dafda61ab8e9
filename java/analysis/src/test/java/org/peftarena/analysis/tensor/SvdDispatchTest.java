package org.peftarena.analysis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.activations.ProcrustesResidual;

/**
 * The SVD entries' dispatch: CPU tensors of any dtype take LibTorch's path, bit for bit what LibTorch returns
 * (cuSOLVER is only for float32 CUDA tensors while the GPU path is available).
 */
class SvdDispatchTest {

    private static boolean sameBits(Tensor a, Tensor b) {
        return torch.equal(a, b);
    }

    @Test
    void cpuMatricesTakeLibTorchsSvdUnchanged() {
        torch.manual_seed(3);
        for (Tensor a : new Tensor[] {torch.randn(9, 4), torch.randn(4, 9), torch.randn(6, 6).to(torch.ScalarType.Double)}) {
            assertFalse(TensorMatrices.onCuSolver(a), "a CPU tensor stays on LibTorch");
            T_TensorTensorTensor_T got = TensorMatrices.thinSvd(a);
            T_TensorTensorTensor_T want = torch.linalg_svd(a, false, new StringViewOptional());
            assertTrue(sameBits(got.get0(), want.get0()) && sameBits(got.get1(), want.get1())
                    && sameBits(got.get2(), want.get2()), "thinSvd is linalg_svd");
            assertTrue(sameBits(TensorMatrices.singularValues(a), torch.linalg_svdvals(a)), "singularValues is linalg_svdvals");
        }
    }

    @Test
    void cpuProcrustesResidualKeepsTheIdentityPath() {
        torch.manual_seed(4);
        Tensor x1 = TensorMatrices.centreColumns(torch.randn(40, 6));
        Tensor x0 = TensorMatrices.centreColumns(torch.randn(40, 6));
        double f1 = TensorMatrices.frobenius(x1);
        double f0 = TensorMatrices.frobenius(x0);
        double want = Math.sqrt(Math.max(0, f1 * f1 + f0 * f0 - 2 * ProcrustesResidual.crossNuclearNorm(x1, x0)))
                / (f0 + ProcrustesResidual.EPS);
        assertEquals(want, ProcrustesResidual.residual(x1, x0), 0.0);
    }
}
