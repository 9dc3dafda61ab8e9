package org.peftarena.analysis.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.Close;

class RowGramTest {
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"1,1", "7,3", "5,40", "33,17"})
    void equalsTheGeneralProduct(int m, int n) {
        torch.manual_seed(31L * m + n);
        Tensor a = torch.randn(m, n);
        Tensor gram = TensorMatrices.rowGram(a);
        assertEquals(m, gram.size(0));
        assertEquals(m, gram.size(1));
        Close.vector(TensorMatrices.toDoubles(a.to(torch.ScalarType.Double).mm(a.t().to(torch.ScalarType.Double))),
                TensorMatrices.toDoubles(gram), 1e-5, 1e-5, "a a^T");
        Close.vector(TensorMatrices.toDoubles(gram.t()), TensorMatrices.toDoubles(gram), 0, 0, "symmetric");
    }

    @Test
    void worksOnAStridedView() {
        Tensor a = torch.randn(6, 4).t();   // [4, 6], not contiguous
        Close.vector(TensorMatrices.toDoubles(a.mm(a.t())), TensorMatrices.toDoubles(TensorMatrices.rowGram(a)), 1e-5,
                1e-5, "view");
    }

    @Test
    void rejectsDoubleAndNonMatrixInput() {
        assertThrows(IllegalArgumentException.class, () -> TensorMatrices.rowGram(torch.randn(3, 3)
                .to(torch.ScalarType.Double)));
        assertThrows(IllegalArgumentException.class, () -> TensorMatrices.rowGram(torch.randn(3)));
    }
}
