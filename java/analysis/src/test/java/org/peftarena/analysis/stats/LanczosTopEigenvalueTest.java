package org.peftarena.analysis.stats;

import org.peftarena.analysis.reference.DMatrixTensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.reference.DMatrix;
import org.peftarena.analysis.tensor.TensorMatrices;

class LanczosTopEigenvalueTest {
    /** A^T A for a seeded Gaussian A: a dense PSD operator with a Marchenko-Pastur-like spectrum. */
    private static Tensor gram(int rows, int n, long seed) {
        Tensor a = DMatrixTensors.of(DMatrix.gaussian(rows, n, seed), torch.ScalarType.Double);
        return a.t().mm(a);
    }

    private static UnaryOperator<double[]> times(Tensor m) {
        return x -> TensorMatrices.toDoubles(m.mv(TensorMatrices.vector(x)));
    }

    @Test
    void topEigenvalueOfARandomGramMatchesTheFullDecompositionBeforeExhaustingTheSpace() {
        int n = 400;
        Tensor m = gram(600, n, 3);
        double exact = torch.linalg_eigvalsh(m, "L").max().item_double();
        int[] calls = {0};
        UnaryOperator<double[]> op = x -> {
            calls[0]++;
            return times(m).apply(x);
        };
        OptionalDouble top = LanczosTopEigenvalue.compute(n, op, n, 1e-7, 1);
        assertTrue(top.isPresent());
        assertEquals(exact, top.getAsDouble(), 1e-6 * exact);
        assertTrue(calls[0] < n / 2, "converged in " + calls[0] + " of " + n + " steps");
    }

    @Test
    void clusteredTopEigenvaluesStillConverge() {
        int n = 100;
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = 1.0 + i * 1e-2;
        }
        diag[n - 1] = diag[n - 2] + 1e-6;
        Tensor d = TensorMatrices.vector(diag);
        OptionalDouble top = LanczosTopEigenvalue.compute(n, x -> TensorMatrices.toDoubles(d.mul(TensorMatrices.vector(x))),
                n, 1e-9, 7);
        assertTrue(top.isPresent());
        assertEquals(diag[n - 1], top.getAsDouble(), 1e-8);
    }

    @Test
    void zeroOperatorAndRankOneOperator() {
        assertEquals(0.0, LanczosTopEigenvalue.compute(50, x -> new double[50], 50, 1e-9, 1).orElseThrow(), 0);
        double[] u = new double[50];
        u[3] = 3;
        u[17] = 4; // u u^T has top eigenvalue norm2(u)^2 = 25
        OptionalDouble top = LanczosTopEigenvalue.compute(50, x -> {
            double c = x[3] * u[3] + x[17] * u[17];
            double[] y = new double[50];
            y[3] = c * u[3];
            y[17] = c * u[17];
            return y;
        }, 50, 1e-9, 1);
        assertEquals(25.0, top.orElseThrow(), 1e-9);
    }

    @Test
    void tooFewStepsReportsNoResult() {
        Tensor m = gram(300, 200, 5);
        assertTrue(LanczosTopEigenvalue.compute(200, times(m), 2, 1e-12, 1).isEmpty());
    }

    @Test
    void rejectsBadDimensions() {
        assertThrows(IllegalArgumentException.class, () -> LanczosTopEigenvalue.compute(0, x -> x, 5, 1e-7, 1));
        assertThrows(IllegalArgumentException.class,
                () -> LanczosTopEigenvalue.compute(4, x -> new double[3], 5, 1e-7, 1));
    }
}
