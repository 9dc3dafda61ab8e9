package org.peftarena.analysis.weights;

import org.peftarena.analysis.reference.DMatrixTensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.reference.DMatrix;
import org.peftarena.analysis.reference.ReferenceWeightMetrics;

class WeightAnalysisTest {
    private static final AlignmentOptions TOP3 = new AlignmentOptions(3, 0.5);

    static void assertSame(WeightDiagnostics want, WeightDiagnostics got, double rtol) {
        Close.normwise(want.retention(), got.retention(), rtol, 0, "P_diag");
        Close.normwise(want.deviation(), got.deviation(), rtol, 0, "dP_diag");
        Close.normwise(want.adaptation(), got.adaptation(), rtol, 0, "E");
        Close.scalar(want.effectiveRank(), got.effectiveRank(), rtol, 0, "effective rank");
        Close.scalar(want.updateNorm(), got.updateNorm(), rtol, 0, "normF(dW)");
        Close.scalar(want.relativeUpdateNorm(), got.relativeUpdateNorm(), rtol, 0, "normF(dW) / normF(W0)");
        Close.scalar(want.deviationFluctuation(), got.deviationFluctuation(), rtol, 1e-7, "fluct(dP)");
        Close.scalar(want.adaptationFluctuation(), got.adaptationFluctuation(), rtol, 1e-7, "fluct(E)");
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"7,5", "5,9", "12,12", "1,4", "20,3"})
    void densePathMatchesTheDoubleReference(int out, int in) {
        DMatrix w0 = DMatrix.gaussian(out, in, out * 31L + in);
        DMatrix w1 = w0.plus(DMatrix.gaussian(out, in, 77).scale(0.2));
        // the reference reads the same float32 values
        DMatrix f0 = DMatrix.ofFloats(out, in, w0.toFloats());
        DMatrix f1 = DMatrix.ofFloats(out, in, w1.toFloats());
        WeightDiagnostics want = ReferenceWeightMetrics.compute(f0, f1, TOP3);
        WeightDiagnostics got = WeightAnalysis.dense(DMatrixTensors.of(w0, torch.ScalarType.Float),
                DMatrixTensors.of(w1, torch.ScalarType.Float), true, TOP3);
        assertSame(want, got, 1e-4);
        Alignment a = want.alignment().orElseThrow();
        Alignment b = got.alignment().orElseThrow();
        Close.scalar(a.svaMean(), b.svaMean(), 1e-3, 1e-4, "SVA mean");
        Close.scalar(a.svaMin(), b.svaMin(), 1e-3, 1e-4, "SVA min");
        assertEquals(a.intruders(), b.intruders(), "intruders");
    }

    @Test
    void aRotatedLeftSubspaceShowsUpAsIntruders() {
        // W1 replaces the top singular direction of W0 by one orthogonal to every u_i(W0) except a
        // tiny share: with out > in there is room outside span(U0)
        DMatrix w0 = DMatrix.gaussian(12, 4, 3);
        DMatrix fresh = DMatrix.gaussian(12, 1, 4);
        DMatrix u0 = org.peftarena.analysis.reference.JacobiSvd.of(w0).u();
        DMatrix outside = fresh.minus(u0.times(u0.transpose().times(fresh)));
        DMatrix spike = outside.scale(40 / outside.frobenius()).times(DMatrix.gaussian(1, 4, 5));
        DMatrix w1 = w0.plus(spike);
        WeightDiagnostics got = WeightAnalysis.dense(DMatrixTensors.of(w0, torch.ScalarType.Float),
                DMatrixTensors.of(w1, torch.ScalarType.Float), true, AlignmentOptions.defaults());
        WeightDiagnostics want = ReferenceWeightMetrics.compute(w0, w1, AlignmentOptions.defaults());
        assertEquals(1, want.alignment().orElseThrow().intruders());
        assertEquals(1, got.alignment().orElseThrow().intruders());
    }

    @Test
    void zeroUpdateHasZeroRankAndUnchangedRetention() {
        Tensor w0 = UpdateFixtures.gaussian(6, 8, 1, 1);
        WeightDiagnostics d = WeightAnalysis.dense(w0, w0.clone(), true, AlignmentOptions.defaults());
        assertEquals(0.0, d.effectiveRank(), 0);
        assertEquals(0.0, d.updateNorm(), 0);
        assertEquals(0.0, d.summary().get(WeightDiagnostics.RELATIVE_UPDATE_NORM));
        for (double x : d.deviation()) {
            assertEquals(0.0, x, 0);
        }
        Close.normwise(BaseSpectrum.compute(w0).singularValues(), d.retention(), 1e-6, 0, "P_diag = s");
        Close.scalar(1.0, d.alignment().orElseThrow().svaMin(), 1e-5, 0, "SVA");
        assertEquals(0, d.alignment().orElseThrow().intruders());
    }

    @Test
    void shapeMismatchIsAClearError() {
        DiagnosticInputException e = assertThrows(DiagnosticInputException.class,
                () -> WeightAnalysis.dense(UpdateFixtures.gaussian(4, 5, 1, 1), UpdateFixtures.gaussian(5, 4, 1, 1),
                        false, AlignmentOptions.defaults()));
        assertTrue(e.getMessage().contains("4x5") && e.getMessage().contains("5x4"), e.getMessage());
        BaseSpectrum base = BaseSpectrum.compute(UpdateFixtures.gaussian(4, 5, 1, 1));
        assertThrows(DiagnosticInputException.class, () -> WeightAnalysis.analyse(base,
                new DenseUpdate(UpdateFixtures.gaussian(4, 6, 2, 1)), null, WeightAnalysis.AlignmentMode.NONE,
                AlignmentOptions.defaults()));
    }
}
