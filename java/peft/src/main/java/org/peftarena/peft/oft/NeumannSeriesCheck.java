package org.peftarena.peft.oft;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.kernels.CayleyNeumannSeries;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.TrainingHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches OFT's Cayley-Neumann series during training. The series {@code p(Q) = sum c_k Q^k} approximates
 * {@code (I + Q)(I - Q)^-1} through the Neumann series of {@code (I - Q)^-1}, which converges only while
 * {@code ||Q||_2 < 1}. A skew {@code Q} is normal, with eigenvalues {@code +-i theta_j}, so {@code p(Q)} has
 * singular values {@code |p(i theta_j)|} exactly (for HF PEFT's default of 5 terms, {@code |1 - theta^4|}):
 * as the generators grow the blocks stop being rotations, then turn into projections and gains. It warns,
 * once each, naming the module:
 * <ul>
 *   <li>when a block's {@code ||Q||_2} reaches {@link #warnNorm()}: the smallest norm at which the series
 *       scales some direction {@value #WARN_DEVIATION} or more away from 1 (0.562 for 5 terms, where it scales
 *       by 0.9);</li>
 *   <li>when a block's {@code ||Q||_2} reaches {@value #DIVERGENCE_NORM}: the series no longer converges (for
 *       5 terms the block is singular at 1 and a gain {@code theta^4 - 1} beyond; a run whose generators kept
 *       growing collapsed once such gains overflowed float32).</li>
 * </ul>
 * Neither stops the run: with the default learning rate on the shipped model OFT passes both within about
 * 100 steps while its loss keeps falling, and the collapse itself is caught by the training loop's checks.
 * Every step costs one norm per module ({@code ||Q||_F / sqrt 2 = ||packed row||_2 >= ||Q||_2}, a bound that
 * is exact for rank-2 blocks); the blocks' exact spectral norms (and, for a warning, the singular values of
 * the series' blocks as {@link CayleyTransform#rotations} computes them) are taken only when the bound
 * reaches the next threshold. The exact transform needs no check: it is a rotation for every {@code Q}.
 */
public final class NeumannSeriesCheck implements TrainingHook {
    private static final Logger LOG = LoggerFactory.getLogger(NeumannSeriesCheck.class);
    /** Largest distance of a singular value of a block from 1 that still counts as near-orthogonal. */
    public static final double WARN_DEVIATION = 0.1;
    /** Spectral norm of a generator block from which the Neumann series no longer converges. */
    public static final double DIVERGENCE_NORM = 1.0;

    private final Map<String, OftLayer> layers;
    private final CayleyVariant variant;
    private final double warnNorm;
    private int warnings;

    /**
     * @param layers  the OFT layers by module path
     * @param variant a Cayley-Neumann series ({@link CayleyVariant#isNeumann})
     */
    public NeumannSeriesCheck(Map<String, OftLayer> layers, CayleyVariant variant) {
        if (!variant.isNeumann()) {
            throw new IllegalArgumentException("the exact Cayley transform needs no check");
        }
        this.layers = new LinkedHashMap<>(layers);
        this.variant = variant;
        this.warnNorm = warnNorm(variant.series(), WARN_DEVIATION);
    }

    /** The hook for an OFT model: this check for the Neumann series, nothing for the exact transform. */
    static TrainingHook forLayers(OftConfig config, Map<String, AdapterLayer> layers) {
        if (config.variant().isExact()) {
            return TrainingHook.NONE;
        }
        Map<String, OftLayer> oft = new LinkedHashMap<>();
        layers.forEach((path, layer) -> oft.put(path, (OftLayer) layer));
        return new NeumannSeriesCheck(oft, config.variant());
    }

    /** The generator norm {@code ||Q||_2} at which the first warning fires. */
    public double warnNorm() {
        return warnNorm;
    }

    /** How many of the two warnings were given (0, 1 or 2). */
    public int warnings() {
        return warnings;
    }

    /**
     * The singular value of the series' block for a generator eigenvalue pair {@code +-i theta}: {@code |p(i theta)|}
     * with the series' own coefficients ({@link CayleyNeumannSeries#coefficients}).
     */
    public static double gain(CayleyNeumannSeries series, double theta) {
        double re = 0;
        double im = 0;
        double power = 1;
        for (int k = 0; k <= series.degree(); k++) {
            double c = series.coefficient(k) * power;
            switch (k % 4) {
                case 0 -> re += c;
                case 1 -> im += c;
                case 2 -> re -= c;
                default -> im -= c;
            }
            power *= theta;
        }
        return Math.hypot(re, im);
    }

    /**
     * The smallest {@code ||Q||_2} (to 1e-4, at most {@link #DIVERGENCE_NORM}) at which the series scales some
     * direction by {@code deviation} or more away from 1.
     */
    public static double warnNorm(CayleyNeumannSeries series, double deviation) {
        final double step = 1e-4;
        for (double theta = step; theta < DIVERGENCE_NORM; theta += step) {
            if (Math.abs(gain(series, theta) - 1) >= deviation) {
                return theta;
            }
        }
        return DIVERGENCE_NORM;
    }

    @Override
    @SuppressWarnings("try") // the guard is used for its extent
    public void afterStep(int completedSteps) {
        if (warnings == 2) {
            return;
        }
        try (NoGradGuard g = new NoGradGuard()) {
            for (Map.Entry<String, OftLayer> e : layers.entrySet()) {
                double threshold = warnings == 0 ? warnNorm : DIVERGENCE_NORM;
                Tensor packed = e.getValue().packed().detach().to(torch.ScalarType.Double);
                double bound = Math.sqrt(packed.square().sum(new long[] {1}, false, new ScalarTypeOptional()).max().item_double());
                if (!(bound >= threshold)) {
                    continue;
                }
                double norm = torch.linalg_svdvals(CayleyTransform.skew(packed, e.getValue().blockSize())).max().item_double();
                if (warnings == 0 && norm >= warnNorm && norm < DIVERGENCE_NORM) {
                    warnings = 1;
                    LOG.warn(String.format(Locale.ROOT, "step %d: OFT's %d-term Cayley-Neumann series is no longer "
                            + "near-orthogonal in %s: a generator block has ||Q||_2 = %.3g (warning from %.3g), so its "
                            + "blocks %s; the exact Cayley transform (--cayley exact, use_cayley_neumann: false) is a "
                            + "rotation for any generator", completedSteps, variant.terms(), e.getKey(), norm, warnNorm,
                            gains(e.getValue())));
                } else if (norm >= DIVERGENCE_NORM) {
                    warnings = 2;
                    LOG.warn(String.format(Locale.ROOT, "step %d: OFT's %d-term Cayley-Neumann series no longer "
                            + "converges in %s: a generator block has ||Q||_2 = %.3g (it converges below %s), so its blocks "
                            + "%s; such blocks become gains that can overflow float32 and collapse the model; train OFT "
                            + "with the exact Cayley transform (--cayley exact, use_cayley_neumann: false) or a lower --lr",
                            completedSteps, variant.terms(), e.getKey(), norm, DIVERGENCE_NORM, gains(e.getValue())));
                    return;
                }
            }
        }
    }

    /** The range of the singular values of a layer's blocks as the series computes them, in words. */
    private static String gains(OftLayer layer) {
        Tensor s = torch.linalg_svdvals(layer.rotations().detach().to(torch.ScalarType.Double));
        return String.format(Locale.ROOT, "scale directions by %.3g to %.3g where a rotation keeps them at 1",
                s.min().item_double(), s.max().item_double());
    }
}
