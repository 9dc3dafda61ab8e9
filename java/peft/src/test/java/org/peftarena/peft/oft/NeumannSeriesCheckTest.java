package org.peftarena.peft.oft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.kernels.CayleyNeumannSeries;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.TrainingHook;

class NeumannSeriesCheckTest {
    private static final int B = 8;
    private static final String PATH = "model.layers.1.mlp.down_proj";

    /** An OFT layer whose every block holds a rank-2 generator of spectral norm {@code theta}. */
    @SuppressWarnings("try") // the guard is used for its extent
    private static OftLayer layer(CayleyVariant variant, double theta) {
        OftLayer layer = new OftLayer(new BaseLinear(PATH, torch.randn(6, 2 * B), null), new OftConfig(B, variant));
        try (NoGradGuard g = new NoGradGuard()) {
            layer.packed().select(1, 0).fill_(new org.bytedeco.pytorch.Scalar(theta)); // Q[0][1] = theta
        }
        return layer;
    }

    private static TrainingHook hook(CayleyVariant variant, OftLayer layer) {
        return new OftMethod().trainingHook(new OftConfig(B, variant), Map.<String, AdapterLayer>of(PATH, layer));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5, 8})
    void theGainOfAnEigenvaluePairIsASingularValueOfTheSeries(int terms) {
        torch.manual_seed(terms);
        Tensor packed = torch.randn(3, B * (B - 1) / 2).mul(new org.bytedeco.pytorch.Scalar(0.15));
        Tensor q = CayleyTransform.skew(packed.to(torch.ScalarType.Double), B);
        double[] thetas = doubles(torch.linalg_svdvals(q));
        CayleyNeumannSeries series = CayleyNeumannSeries.of(terms);
        double[] predicted = Arrays.stream(thetas).map(t -> NeumannSeriesCheck.gain(series, t)).sorted().toArray();
        Tensor r = CayleyTransform.rotations(packed.to(torch.ScalarType.Double), B, CayleyVariant.neumannSeries(terms));
        double[] actual = doubles(torch.linalg_svdvals(r));
        Arrays.sort(actual);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(actual[i], predicted[i], 1e-5, "singular value " + i + " of " + terms + " terms");
        }
    }

    private static double[] doubles(Tensor t) {
        float[] f = HostTensors.toFloats(t.to(torch.ScalarType.Float).contiguous());
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void theFiveTermSeriesScalesByOneMinusThetaToTheFourth() {
        CayleyNeumannSeries five = CayleyVariant.NEUMANN_5.series();
        for (double theta : new double[] {0.1, 0.5, 0.9, 1.0, 1.3, 1.7, 4.38}) {
            assertEquals(Math.abs(1 - Math.pow(theta, 4)), NeumannSeriesCheck.gain(five, theta), 1e-9 * Math.pow(theta, 4) + 1e-12);
        }
        assertEquals(Math.pow(NeumannSeriesCheck.WARN_DEVIATION, 0.25), NeumannSeriesCheck.warnNorm(five, NeumannSeriesCheck.WARN_DEVIATION), 2e-4);
    }

    @Test
    void smallGeneratorsPassSilently() {
        OftLayer layer = layer(CayleyVariant.NEUMANN_5, 0.5);
        NeumannSeriesCheck check = (NeumannSeriesCheck) hook(CayleyVariant.NEUMANN_5, layer);
        check.afterStep(1);
        assertEquals(0, check.warnings(), "||Q||_2 = 0.5 scales by 0.94: still near-orthogonal");
    }

    @Test
    @SuppressWarnings("try") // the guard is used for its extent
    void largeGeneratorsWarnOnceAndAgainWhereTheSeriesStopsConverging() {
        OftLayer layer = layer(CayleyVariant.NEUMANN_5, 0.7);
        NeumannSeriesCheck check = (NeumannSeriesCheck) hook(CayleyVariant.NEUMANN_5, layer);
        check.afterStep(1);
        assertEquals(1, check.warnings(), "||Q||_2 = 0.7 scales by 0.76");
        check.afterStep(2);
        assertEquals(1, check.warnings(), "once");
        try (NoGradGuard g = new NoGradGuard()) {
            layer.packed().select(1, 0).fill_(new org.bytedeco.pytorch.Scalar(0.99));
        }
        check.afterStep(3);
        assertEquals(1, check.warnings(), "||Q||_2 = 0.99: the series still converges");
        try (NoGradGuard g = new NoGradGuard()) {
            layer.packed().select(1, 0).fill_(new org.bytedeco.pytorch.Scalar(1.05));
        }
        check.afterStep(4);
        assertEquals(2, check.warnings(), "||Q||_2 = 1.05: the Neumann series no longer converges");
    }

    @Test
    void generatorsBeyondConvergenceFromTheStartGiveOneWarning() {
        NeumannSeriesCheck check = (NeumannSeriesCheck) hook(CayleyVariant.NEUMANN_5, layer(CayleyVariant.NEUMANN_5, 4.38));
        check.afterStep(1);
        assertEquals(2, check.warnings(), "the divergence warning, which says all the near-orthogonal one would");
    }

    @Test
    void theExactTransformIsNeverChecked() {
        OftLayer layer = layer(CayleyVariant.EXACT, 4.38);
        TrainingHook hook = hook(CayleyVariant.EXACT, layer);
        assertSame(TrainingHook.NONE, hook);
        // it needs none: its blocks are rotations at any generator size
        float[] s = HostTensors.toFloats(torch.linalg_svdvals(layer.rotations().detach()));
        for (float v : s) {
            assertEquals(1.0, v, 1e-5);
        }
    }
}
