package org.peftarena.model.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The syevj layout bookkeeping on the CPU: which triangle cuSOLVER reads, and how its eigenvectors are read back. */
class EighLayoutTest {
    @BeforeAll
    static void seed() {
        torch.manual_seed(9);
    }

    private static double maxAbs(Tensor t) {
        return t.abs().max().item_double();
    }

    @Test
    void theColumnMajorUpperTriangleIsTheRowMajorLowerOne() {
        int n = 5;
        float[] rowMajor = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                rowMajor[i * n + j] = i >= j ? 10 * i + j : Float.NaN; // only the lower triangle holds values
            }
        }
        assertTrue(EighLayout.of(n).upperInColumnMajor());
        for (int col = 0; col < n; col++) {
            for (int row = 0; row <= col; row++) {   // column-major element (row, col), row <= col: upper
                float v = rowMajor[row + col * n];
                assertEquals(10 * col + row, v, "column-major (" + row + ", " + col + ")");
            }
        }
    }

    @Test
    void columnMajorEigenvectorsReadBackAsColumns() {
        int batch = 3;
        int n = 6;
        Tensor g = torch.randn(batch, n, n);
        Tensor a = torch.matmul(g, g.transpose(1, 2));
        T_TensorTensor_T eig = torch.linalg_eigh(a, "L");
        // cuSOLVER writes eigenvector j as column j, column-major: in memory that is V^T row-major
        Tensor buffer = eig.get1().transpose(1, 2).contiguous();
        CudaLinalg.Eigen e = EighLayout.batched(batch, n).assemble(buffer, eig.get0());
        Tensor av = torch.matmul(a, e.vectors());
        Tensor vw = e.vectors().mul(e.values().unsqueeze(1));
        assertTrue(maxAbs(av.sub(vw)) < 1e-3 * maxAbs(a), "A V = V diag(w): " + maxAbs(av.sub(vw)));

        CudaLinalg.Eigen one = EighLayout.of(n).assemble(buffer.select(0, 0).contiguous(), eig.get0().select(0, 0));
        assertEquals(2, one.vectors().dim());
        assertTrue(maxAbs(one.vectors().sub(e.vectors().select(0, 0))) == 0, "single matrix without a batch dimension");
    }

    @Test
    void batchedOrdersAboveThirtyTwoAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EighLayout.batched(1, 40));
        assertTrue(e.getMessage().contains("cusolverDnSsyevjBatched takes matrices up to 32x32, got 40x40"), e.getMessage());
    }
}
