package org.peftarena.analysis.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.tensor.TensorMatrices;
import org.bytedeco.pytorch.global.torch;

class JacobiSvdTest {
    @ParameterizedTest
    @CsvSource({"1,1", "7,3", "3,7", "16,16", "33,5"})
    void reconstructsWithOrthonormalFactorsAndAgreesWithLibTorch(int m, int n) {
        DMatrix a = DMatrix.gaussian(m, n, 11L * m + n);
        JacobiSvd svd = JacobiSvd.of(a);
        int k = Math.min(m, n);
        DMatrix s = DMatrix.zeros(k, k);
        for (int i = 0; i < k; i++) {
            s.set(i, i, svd.s()[i]);
            if (i > 0) {
                assertTrue(svd.s()[i] <= svd.s()[i - 1], "descending");
            }
        }
        double err = svd.u().times(s).times(svd.v().transpose()).minus(a).frobenius() / a.frobenius();
        assertTrue(err < 1e-13, "reconstruction " + err);
        assertTrue(svd.u().transpose().times(svd.u()).minus(DMatrix.identity(k)).frobenius() < 1e-12, "U^T U");
        assertTrue(svd.v().transpose().times(svd.v()).minus(DMatrix.identity(k)).frobenius() < 1e-12, "V^T V");
        double[] torchValues = TensorMatrices.toDoubles(TensorMatrices.singularValues(DMatrixTensors.of(a, torch.ScalarType.Double)));
        Close.vector(torchValues, svd.s(), 1e-12, 1e-12, "singular values " + m + "x" + n);
    }
}
