package org.peftarena.analysis.weights;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.analysis.Close;
import org.peftarena.analysis.tensor.TensorMatrices;

/** The shared OFT reductions against the dense update, on every route through them. */
class BlockRotationReductionsTest {
    private static final double RTOL = 1e-4;

    private static Tensor rotation(int in, int b, long seed, double scale) {
        return UpdateFixtures.exactCayley(UpdateFixtures.skewBlocks(in / b, b, seed, scale));
    }

    /**
     * The reductions computed directly from {@code dW = W0 (R_bd^T - I)} formed in double precision
     * (forming it in float32 as {@code W0 R_bd^T - W0} would lose the digits of a small rotation).
     */
    private static void assertMatchDense(Tensor w0, Tensor r, BaseSpectrum base, BlockRotationReductions got,
                                         String route) {
        Tensor rd = r.to(torch.ScalarType.Double);
        Tensor minusEye = rd.sub(torch.eye(r.size(1)).to(torch.ScalarType.Double));
        Tensor dw = BlockDiagonal.timesRight(w0.to(torch.ScalarType.Double), minusEye, true);
        Tensor u = base.u().to(torch.ScalarType.Double);
        Tensor v = base.v().to(torch.ScalarType.Double);
        Tensor dwv = dw.mm(v);
        Close.normwise(TensorMatrices.columnSums(u.mul(dwv)), got.diagonal(), RTOL, 0, route + " u^T dW v");
        Close.normwise(TensorMatrices.columnNorms(dwv), got.energy(), RTOL, 0, route + " E");
        double frobenius = TensorMatrices.frobenius(dw);
        Close.scalar(frobenius * frobenius, got.frobeniusSquared(), RTOL, 0, route + " normF^2");
        double top = TensorMatrices.singularValues(dw).max().item_double();
        Close.scalar(top * top, got.topSquared(), RTOL, 0, route + " t_1^2");
        // abs(v_i^T R_bd v_i) with R_bd v_i formed explicitly
        Tensor rv = BlockDiagonal.timesRight(base.v().t().contiguous(), r, true).t().to(torch.ScalarType.Double);
        Close.vector(SingularAlignment.indexMatchedAbsCosines(v, rv), got.alignment(), 1e-5, 1e-6, route + " SVA");
    }

    @ParameterizedTest(name = "{0}x{1} b={2}")
    @CsvSource({"48,96,8", "96,48,8", "40,40,4", "10,64,16"})
    void everyRouteAgreesWithTheDenseUpdate(int out, int in, int b) {
        Tensor w0 = UpdateFixtures.gaussian(out, in, 21, 0.5);
        BaseSpectrum base = BaseSpectrum.compute(w0);
        Tensor r = rotation(in, b, 22, 0.1);
        // formed Gram matrix, one BLAS thread (the defaults at these sizes)
        assertMatchDense(w0, r, base, BlockRotationReductions.compute(base, r), "gram, one thread");
        // Lanczos on the k x in rows, BLAS threads as configured
        assertMatchDense(w0, r, base, BlockRotationReductions.compute(base, r, 0, 0), "rows, threads");
    }

    @Test
    void aSmallRotationKeepsItsRelativeAccuracy() {
        // tiny rotations make dW small next to W0: formulas that subtract nearly equal quantities
        // would lose the digits here
        Tensor w0 = UpdateFixtures.gaussian(32, 64, 23, 1);
        BaseSpectrum base = BaseSpectrum.compute(w0);
        Tensor r = rotation(64, 8, 24, 1e-3);
        assertMatchDense(w0, r, base, BlockRotationReductions.compute(base, r), "small rotation");
    }

    @Test
    void anUpdateAnalysedAgainstAnotherSpectrumDoesNotReuseTheFirst() {
        Tensor w0 = UpdateFixtures.gaussian(24, 32, 25, 1);
        Tensor r = rotation(32, 8, 26, 0.2);
        BlockRotationUpdate oft = new BlockRotationUpdate(w0, r);
        BaseSpectrum first = BaseSpectrum.compute(w0);
        BaseSpectrum other = BaseSpectrum.compute(UpdateFixtures.gaussian(24, 32, 27, 1));
        double[] energyFirst = oft.profiles(first).energy();
        double[] energyOther = oft.profiles(other).energy();
        Close.normwise(BlockRotationReductions.compute(other, r).energy(), energyOther, 1e-12, 0, "recomputed");
        Close.normwise(BlockRotationReductions.compute(first, r).energy(), oft.profiles(first).energy(), 1e-12, 0,
                "back to the first spectrum");
        double diff = 0;
        for (int i = 0; i < energyFirst.length; i++) {
            diff = Math.max(diff, Math.abs(energyFirst[i] - energyOther[i]));
        }
        assertTrue(diff > 1e-3, "the two spectra give different profiles: " + diff);
    }

    @Test
    void profilesHandedOutAreCopies() {
        Tensor w0 = UpdateFixtures.gaussian(16, 32, 28, 1);
        BlockRotationUpdate oft = new BlockRotationUpdate(w0, rotation(32, 8, 29, 0.2));
        BaseSpectrum base = BaseSpectrum.compute(w0);
        double[] energy = oft.profiles(base).energy();
        double before = energy[0];
        energy[0] = -1;
        Close.scalar(before, oft.profiles(base).energy()[0], 0, 0, "cached profile untouched");
    }
}
