package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.model.LinearModule;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.kernels.KernelOps;

/**
 * Along the exact-Cayley path every OFT-adapted weight keeps the singular values of {@code W0};
 * the dense-delta path {@code W0 ((1 - alpha) I + alpha R^T)} shrinks them, most near alpha = 0.5.
 */
class CayleyPathGeometryTest {
    /** fp32 rotations orthogonal to ~1e-7 on well-conditioned weights (singular values in [0.75, 1.25]). */
    private static final double SVAL_RTOL = 1e-5;

    /** Replaces every linear weight by {@code E + 0.2 G / (sqrt(out) + sqrt(in))}, E the rectangular identity. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static void wellConditioned(LlamaModel m) {
        torch.manual_seed(11);
        try (NoGradGuard g = new NoGradGuard()) {
            for (LinearModule l : m.linears().modules().values()) {
                Tensor w = l.weight();
                long out = w.size(0);
                long in = w.size(1);
                Tensor e = torch.eye(out, in);
                Tensor noise = torch.randn(out, in).mul(new Scalar(0.2 / (Math.sqrt((double) out) + Math.sqrt((double) in))));
                w.copy_(e.add(noise));
            }
        }
    }

    private static List<double[]> singularValues(LlamaModel m) {
        List<double[]> out = new ArrayList<>();
        for (LinearModule l : m.linears().modules().values()) {
            Tensor s = torch.linalg_svdvals(l.weight().to(torch.ScalarType.Double)).contiguous();
            double[] v = new double[(int) s.numel()];
            s.data_ptr_double().get(v);
            out.add(v);
        }
        return out;
    }

    /** Largest relative change of any singular value of any adapted weight. */
    private static double maxRelativeChange(List<double[]> ref, List<double[]> now) {
        double worst = 0;
        for (int i = 0; i < ref.size(); i++) {
            for (int j = 0; j < ref.get(i).length; j++) {
                worst = Math.max(worst, Math.abs(now.get(i)[j] - ref.get(i)[j]) / ref.get(i)[j]);
            }
        }
        return worst;
    }

    @ParameterizedTest(name = "block size {0}")
    @ValueSource(ints = {4, 8})
    void exactCayleyPathKeepsSingularValuesAndDenseDeltaShrinksThemMostNearHalf(int blockSize) {
        LlamaModel base = PathFixtures.model(21);
        wellConditioned(base);
        List<double[]> s0 = singularValues(base);
        AdapterCheckpoint oft = PathFixtures.adapter(base, new OftConfig(blockSize, CayleyVariant.EXACT), 8, 0.3);
        AlphaGrid grid = AlphaGrid.DEFAULT;
        try (InterpolationPath path = InterpolationPaths.open(base, oft, PathKind.CAYLEY, grid, KernelOps.cpu())) {
            for (int i = 0; i < grid.size(); i++) {
                path.moveTo(i);
                double change = maxRelativeChange(s0, singularValues(base));
                assertTrue(change <= SVAL_RTOL, "cayley path alpha " + grid.get(i) + ": singular values moved by " + change);
            }
        }
        double[] dense = new double[grid.size()];
        try (InterpolationPath path = InterpolationPaths.open(base, oft, PathKind.DENSE, grid, KernelOps.cpu())) {
            for (int i = 0; i < grid.size(); i++) {
                path.moveTo(i);
                dense[i] = maxRelativeChange(s0, singularValues(base));
            }
        }
        int worst = 0;
        for (int i = 1; i < dense.length; i++) {
            worst = dense[i] > dense[worst] ? i : worst;
        }
        double at = grid.get(worst);
        assertTrue(at >= 0.4 && at <= 0.6, "dense-delta deviation peaks at alpha " + at + ": " + java.util.Arrays.toString(dense));
        assertTrue(dense[grid.indexOf(0.5)] > 100 * SVAL_RTOL, "the dense path leaves the manifold: " + dense[grid.indexOf(0.5)]);
        assertTrue(dense[grid.indexOf(1.0)] <= SVAL_RTOL, "its end point is the rotated weight again");
    }
}
