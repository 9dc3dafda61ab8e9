package org.peftarena.analysis.activations;

import org.peftarena.analysis.reference.DMatrixTensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.reference.DMatrix;
import org.peftarena.analysis.reference.JacobiSvd;
import org.peftarena.analysis.reference.ReferenceActivationMetrics;

class ActivationAnalysisTest {
    private static ActivationOptions options(int rowCap, int gramRows, torch.ScalarType type) {
        return new ActivationOptions(rowCap, gramRows, 7, new int[] {3, 5, 64}, type);
    }

    /** A base matrix with a decaying spectrum, so principal subspaces are well separated. */
    private static DMatrix base(int n, int d, long seed) {
        DMatrix g = DMatrix.gaussian(n, d, seed);
        DMatrix scale = DMatrix.zeros(d, d);
        for (int j = 0; j < d; j++) {
            scale = scale.plus(unit(d, j, Math.pow(0.8, j) + 0.5));
        }
        return g.times(scale);
    }

    private static DMatrix unit(int d, int j, double v) {
        double[] a = new double[d * d];
        a[j * d + j] = v;
        return new DMatrix(d, d, a);
    }

    private static DMatrix orthogonal(int d, long seed) {
        JacobiSvd svd = JacobiSvd.of(DMatrix.gaussian(d, d, seed));
        return svd.u().times(svd.v().transpose());
    }

    private static void assertMatches(ActivationDiagnostics want, ActivationDiagnostics got, double rtol) {
        Map<String, Object> w = want.asMap();
        Map<String, Object> g = got.asMap();
        assertEquals(w.keySet(), g.keySet());
        for (String key : w.keySet()) {
            double a = ((Number) w.get(key)).doubleValue();
            double b = ((Number) g.get(key)).doubleValue();
            Close.scalar(a, b, rtol, rtol, key);
        }
    }

    @ParameterizedTest(name = "n={0} d={1} {2}")
    @CsvSource({"40,12,Double,1e-9", "10,24,Double,1e-9", "40,12,Float,2e-4", "10,24,Float,2e-4", "2,1,Double,1e-9"})
    void matchesTheDoubleReference(int n, int d, String type, double rtol) {
        DMatrix x0 = base(n, d, n * 100L + d);
        DMatrix x1 = x0.times(orthogonal(d, 5)).scale(0.9).plus(DMatrix.gaussian(n, d, 99).scale(0.3));
        ActivationOptions opt = options(1000, 16, torch.ScalarType.valueOf(type));
        ActivationDiagnostics got = ActivationAnalysis.compute(DMatrixTensors.of(x0, torch.ScalarType.Float),
                DMatrixTensors.of(x1, torch.ScalarType.Float), opt);
        // the reference sees the same float32 inputs
        DMatrix f0 = DMatrix.ofFloats(n, d, x0.toFloats());
        DMatrix f1 = DMatrix.ofFloats(n, d, x1.toFloats());
        int[] rows = toInts(GramDistortion.subsample(n, 16, 7));
        ActivationDiagnostics want = ReferenceActivationMetrics.compute(f0, f1, rows, opt.pcaRanks());
        assertMatches(want, got, rtol);
        assertEquals(Math.min(n, 16), got.gramRows());
    }

    @Test
    void pureRotationHasNoResidualButLargeRawDistance() {
        DMatrix x0 = base(60, 16, 3);
        DMatrix x1 = x0.times(orthogonal(16, 4));
        ActivationDiagnostics r = ActivationAnalysis.compute(DMatrixTensors.of(x0, torch.ScalarType.Double),
                DMatrixTensors.of(x1, torch.ScalarType.Double), ActivationOptions.defaults());
        assertTrue(r.rawDistance() > 0.5, "raw distance " + r.rawDistance());
        assertTrue(r.procrustesResidual() < 1e-6, "residual " + r.procrustesResidual());
        Close.scalar(r.rawDistance(), r.procrustesImprovement(), 1e-6, 1e-6, "improvement");
        Close.scalar(1.0, r.linearCka(), 1e-12, 1e-12, "CKA");
        Close.scalar(0.0, r.gramDistortion(), 0, 1e-12, "Gram distortion");
        Close.scalar(1.0, r.normRatioMean(), 1e-12, 1e-12, "norm ratio");
    }

    @Test
    void isotropicScalingKeepsCkaAndCosines() {
        DMatrix x0 = base(80, 40, 8);
        ActivationDiagnostics r = ActivationAnalysis.compute(DMatrixTensors.of(x0, torch.ScalarType.Double),
                DMatrixTensors.of(x0.scale(3), torch.ScalarType.Double), ActivationOptions.defaults());
        Close.scalar(1.0, r.linearCka(), 1e-12, 1e-12, "CKA");
        Close.scalar(1.0, r.meanCosine(), 1e-12, 1e-12, "mean cosine");
        Close.scalar(3.0, r.normRatioMean(), 1e-12, 1e-12, "norm ratio");
        Close.scalar(0.0, r.normRatioStd(), 0, 1e-12, "norm ratio std");
        Close.scalar(Math.log(3), r.meanAbsLogNormRatio(), 1e-12, 1e-12, "abs log ratio");
        Close.scalar(0.0, r.gramDistortion(), 0, 1e-12, "Gram distortion");
        Close.scalar(0.0, r.pcaSubspaceDistance().get(32), 0, 1e-6, "PCA k=32");
    }

    @Test
    void rowCapUsesTheLeadingRows() {
        DMatrix x0 = base(50, 6, 1);
        DMatrix x1 = x0.plus(DMatrix.gaussian(50, 6, 2).scale(0.5));
        ActivationOptions opt = options(20, 1024, torch.ScalarType.Double);
        ActivationDiagnostics got = ActivationAnalysis.compute(DMatrixTensors.of(x0, torch.ScalarType.Double),
                DMatrixTensors.of(x1, torch.ScalarType.Double), opt);
        int[] first = new int[20];
        for (int i = 0; i < 20; i++) {
            first[i] = i;
        }
        ActivationDiagnostics want = ReferenceActivationMetrics.compute(x0.selectRows(first), x1.selectRows(first),
                first, opt.pcaRanks());
        assertEquals(20, got.rows());
        assertMatches(want, got, 1e-9);
    }

    @Test
    void subsampleIsSeededSortedAndDistinct() {
        long[] a = GramDistortion.subsample(5000, 1024, 42);
        assertEquals(1024, a.length);
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i] > a[i - 1], "sorted and distinct");
        }
        assertTrue(a[0] >= 0 && a[a.length - 1] < 5000);
        assertArrayEquals(a, GramDistortion.subsample(5000, 1024, 42));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(GramDistortion.subsample(5000, 1024, 43)));
        assertArrayEquals(new long[] {0, 1, 2}, GramDistortion.subsample(3, 1024, 42));
    }

    @Test
    void mismatchedShapesAreClearErrors() {
        Tensor a = DMatrixTensors.of(DMatrix.gaussian(8, 4, 1), torch.ScalarType.Float);
        Tensor b = DMatrixTensors.of(DMatrix.gaussian(8, 5, 1), torch.ScalarType.Float);
        DiagnosticInputException e = assertThrows(DiagnosticInputException.class,
                () -> ActivationAnalysis.compute(a, b, ActivationOptions.defaults()));
        assertTrue(e.getMessage().contains("8x4") && e.getMessage().contains("8x5"), e.getMessage());
        assertThrows(DiagnosticInputException.class,
                () -> ActivationAnalysis.compute(a.reshape(32), a.reshape(32), ActivationOptions.defaults()));
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }
}
