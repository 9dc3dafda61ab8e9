package org.peftarena.analysis.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.stats.EffectiveRank;
import org.peftarena.analysis.tensor.TensorMatrices;

/** Structured fast paths agree with the dense computation on the same dW. */
class StructuredUpdateTest {
    private static final double RTOL = 1e-4;

    private static void assertAgree(BaseSpectrum base, WeightUpdate structured) {
        DenseUpdate dense = new DenseUpdate(structured.dense());
        UpdateProfiles a = dense.profiles(base);
        UpdateProfiles b = structured.profiles(base);
        Close.normwise(a.diagonal(), b.diagonal(), RTOL, 0, structured.structure() + " u^T dW v");
        Close.normwise(a.energy(), b.energy(), RTOL, 0, structured.structure() + " E");
        Close.scalar(dense.frobeniusSquared(), structured.frobeniusSquared(), RTOL, 0, "normF^2");
        Close.scalar(dense.effectiveRank(base), structured.effectiveRank(base), RTOL, 0, "effective rank");
        Tensor h = UpdateFixtures.gaussian(5, (int) structured.in(), 9, 1);
        Close.normwise(TensorMatrices.toDoubles(dense.apply(h)), TensorMatrices.toDoubles(structured.apply(h)), RTOL,
                0, "apply");
        Tensor g = UpdateFixtures.gaussian(5, (int) structured.out(), 10, 1);
        Close.normwise(TensorMatrices.toDoubles(dense.applyTransposed(g)),
                TensorMatrices.toDoubles(structured.applyTransposed(g)), RTOL, 0, "applyTransposed");
    }

    @ParameterizedTest(name = "{0}x{1} r={2}")
    @CsvSource({"24,16,4", "16,40,8", "30,30,1", "6,50,8"})
    void lowRankAgreesWithDenseAndHasRankAtMostR(int out, int in, int r) {
        BaseSpectrum base = BaseSpectrum.compute(UpdateFixtures.gaussian(out, in, 1, 1));
        LowRankUpdate lora = new LowRankUpdate(UpdateFixtures.gaussian(out, r, 2, 0.3),
                UpdateFixtures.gaussian(r, in, 3, 0.3), 2.0);
        assertAgree(base, lora);
        assertTrue(lora.effectiveRank(base) <= r + 1e-9, "stable rank " + lora.effectiveRank(base) + " > r = " + r);
        assertTrue(new DenseUpdate(lora.dense()).effectiveRank(base) <= r + 1e-4, "dense stable rank");
        if (r == 1) {
            Close.scalar(1.0, lora.effectiveRank(base), 1e-12, 0, "rank-1 update");
        }
    }

    @Test
    void lowRankRejectsMismatchedFactors() {
        assertThrows(IllegalArgumentException.class, () -> new LowRankUpdate(UpdateFixtures.gaussian(4, 2, 1, 1),
                UpdateFixtures.gaussian(3, 5, 1, 1), 1));
    }

    @ParameterizedTest(name = "{0}x{1} b={2}")
    @CsvSource({"24,16,4", "12,32,8", "40,40,8", "20,64,16"})
    void exactCayleyOftAgreesWithDenseKeepsSpectrumAndGivesSva(int out, int in, int b) {
        Tensor w0 = UpdateFixtures.gaussian(out, in, 4, 1);
        BaseSpectrum base = BaseSpectrum.compute(w0);
        Tensor r = UpdateFixtures.exactCayley(UpdateFixtures.skewBlocks(in / b, b, 5, 0.2));
        assertTrue(BlockDiagonal.orthogonalityError(r) < 1e-6);
        BlockRotationUpdate oft = new BlockRotationUpdate(w0, r);
        assertAgree(base, oft);

        Tensor w1 = w0.add(oft.dense());
        Close.normwise(base.singularValues(), TensorMatrices.toDoubles(TensorMatrices.singularValues(w1)), 1e-5, 0,
                "singular values of W1 = those of W0");
        Alignment fast = oft.structuredAlignment(base, AlignmentOptions.defaults()).orElseThrow();
        Alignment full = SingularAlignment.fromFinetunedWeight(base, w1, AlignmentOptions.defaults());
        Close.scalar(full.svaMean(), fast.svaMean(), 1e-3, 0, "SVA mean");
        Close.scalar(full.svaMin(), fast.svaMin(), 1e-2, 1e-3, "SVA min");
        assertTrue(fast.svaMean() < 1.0 - 1e-3, "rotation moved the right singular vectors: " + fast.svaMean());
        assertEquals(0, fast.intruders());
        assertEquals(0, full.intruders());
    }

    @Test
    void oftStableRankByLanczosMatchesTheDenseSpectrumAtAModerateSize() {
        // k = 192 exceeds the steps Lanczos needs here, so this exercises the early stop, not the
        // exhausted Krylov space of the small cases above
        Tensor w0 = UpdateFixtures.gaussian(192, 256, 11, 0.05);
        BaseSpectrum base = BaseSpectrum.compute(w0);
        BlockRotationUpdate oft = new BlockRotationUpdate(w0,
                UpdateFixtures.exactCayley(UpdateFixtures.skewBlocks(16, 16, 12, 0.05)));
        double dense = EffectiveRank.ofSingularValues(
                TensorMatrices.toDoubles(TensorMatrices.singularValues(oft.dense().to(torch.ScalarType.Double))));
        assertTrue(dense > 5, "a spread spectrum: " + dense);
        Close.scalar(dense, oft.effectiveRank(base), RTOL, 0, "effective rank");
    }

    @Test
    void neumannOftStillAgreesButDefersAlignmentToTheSvd() {
        Tensor w0 = UpdateFixtures.gaussian(16, 24, 6, 1);
        BaseSpectrum base = BaseSpectrum.compute(w0);
        Tensor r = UpdateFixtures.neumann5(UpdateFixtures.skewBlocks(3, 8, 7, 0.3));
        assertTrue(BlockDiagonal.orthogonalityError(r) > BlockRotationUpdate.ORTHOGONAL_TOLERANCE);
        BlockRotationUpdate oft = new BlockRotationUpdate(w0, r);
        assertAgree(base, oft);
        assertTrue(oft.structuredAlignment(base, AlignmentOptions.defaults()).isEmpty());
        WeightDiagnostics d = WeightAnalysis.analyse(base, oft, w0, WeightAnalysis.AlignmentMode.ALWAYS,
                AlignmentOptions.defaults());
        assertTrue(d.alignment().isPresent());
    }

    @Test
    void identityRotationIsAZeroUpdate() {
        Tensor w0 = UpdateFixtures.gaussian(8, 16, 6, 1);
        Tensor r = UpdateFixtures.exactCayley(UpdateFixtures.skewBlocks(4, 4, 7, 0));
        BlockRotationUpdate oft = new BlockRotationUpdate(w0, r);
        assertEquals(0.0, oft.effectiveRank(BaseSpectrum.compute(w0)), 0);
        Alignment a = oft.structuredAlignment(BaseSpectrum.compute(w0), AlignmentOptions.defaults()).orElseThrow();
        Close.scalar(1.0, a.svaMin(), 1e-6, 0, "SVA of the identity");
    }

    @Test
    void blocksMustCoverTheInputs() {
        assertThrows(IllegalArgumentException.class, () -> new BlockRotationUpdate(UpdateFixtures.gaussian(4, 10, 1, 1),
                UpdateFixtures.skewBlocks(3, 4, 1, 1)));
    }
}
