package org.peftarena.analysis.run;

import java.nio.file.Path;
import java.util.List;
import org.peftarena.analysis.activations.ActivationOptions;
import org.peftarena.analysis.weights.AlignmentOptions;
import org.peftarena.analysis.weights.WeightAnalysis;

/**
 * What {@link RunDiagnostics} computes for one run.
 *
 * @param layerFractions depths of the analysed decoder layers as fractions of the layer count; layer
 *     {@code floor(f * L)}, clamped to {@code [0, L - 1]}, duplicates dropped
 * @param moduleSuffixes module paths inside a layer, e.g. {@code self_attn.q_proj}
 * @param generalPrompts prompt set G (general capability)
 * @param targetPrompts prompt set T (the finetuning target)
 * @param maxLength prompts are truncated to this many tokens
 * @param maxTokens rows kept per module and prompt set
 * @param weightMetrics whether to compute the weight-space diagnostics
 * @param driftMetrics whether to compute capability-conditioned drift
 * @param activationMetrics whether to compute the activation-space diagnostics
 * @param alignmentMode SVA / intruder handling of the weight diagnostics
 * @param alignment intruder top-k and threshold
 * @param activationOptions row cap, Gram rows, PCA ranks
 * @param spectrumCacheDir directory of cached base SVDs (shared by every run on the same base); null
 *     computes them in memory each time
 * @param eps epsilon of the drift ratios
 */
public record DiagnosticsOptions(List<Double> layerFractions, List<String> moduleSuffixes, List<String> generalPrompts,
                                 List<String> targetPrompts, int maxLength, int maxTokens, boolean weightMetrics,
                                 boolean driftMetrics, boolean activationMetrics,
                                 WeightAnalysis.AlignmentMode alignmentMode, AlignmentOptions alignment,
                                 ActivationOptions activationOptions, Path spectrumCacheDir, double eps) {
    /** Layers at 1/3 and 2/3 depth. */
    public static final List<Double> DEFAULT_LAYER_FRACTIONS = List.of(1.0 / 3, 2.0 / 3);
    /** The q, k, v and down projections. */
    public static final List<String> DEFAULT_MODULES =
            List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "mlp.down_proj");
    /** Default prompt truncation, tokens. */
    public static final int DEFAULT_MAX_LENGTH = 256;

    /** Validates and copies the lists. */
    public DiagnosticsOptions {
        layerFractions = List.copyOf(layerFractions);
        moduleSuffixes = List.copyOf(moduleSuffixes);
        generalPrompts = List.copyOf(generalPrompts);
        targetPrompts = List.copyOf(targetPrompts);
        if (layerFractions.isEmpty() || moduleSuffixes.isEmpty()) {
            throw new IllegalArgumentException("at least one layer fraction and one module are needed");
        }
        for (double f : layerFractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("layer fractions must lie in [0, 1], got " + f);
            }
        }
        if ((driftMetrics || activationMetrics) && (generalPrompts.isEmpty() || targetPrompts.isEmpty())) {
            throw new IllegalArgumentException("drift and activation metrics need general and target prompts");
        }
        if (maxLength < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("maxLength and maxTokens must be positive");
        }
        if (!weightMetrics && !driftMetrics && !activationMetrics) {
            throw new IllegalArgumentException("nothing to compute: every metric group is switched off");
        }
    }

    /**
     * Two layers at 1/3 and 2/3 depth; q/k/v and down projections; weight, drift and activation
     * metrics; structured alignment; no spectrum cache.
     *
     * @param generalPrompts prompt set G
     * @param targetPrompts prompt set T
     * @return the defaults
     */
    public static DiagnosticsOptions defaults(List<String> generalPrompts, List<String> targetPrompts) {
        return new DiagnosticsOptions(DEFAULT_LAYER_FRACTIONS, DEFAULT_MODULES, generalPrompts, targetPrompts,
                DEFAULT_MAX_LENGTH, ActivationOptions.DEFAULT_ROW_CAP, true, true, true,
                WeightAnalysis.AlignmentMode.STRUCTURED, AlignmentOptions.defaults(), ActivationOptions.defaults(),
                null, org.peftarena.analysis.drift.CapabilityDrift.DEFAULT_EPS);
    }

    /** @return a copy that caches base SVDs in {@code dir} */
    public DiagnosticsOptions withSpectrumCache(Path dir) {
        return new DiagnosticsOptions(layerFractions, moduleSuffixes, generalPrompts, targetPrompts, maxLength,
                maxTokens, weightMetrics, driftMetrics, activationMetrics, alignmentMode, alignment, activationOptions,
                dir, eps);
    }

    /**
     * @param layers decoder layer count L
     * @return the analysed layer indices, ascending, without duplicates
     */
    public List<Integer> layers(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("a model needs at least one layer, got " + layers);
        }
        return layerFractions.stream().map(f -> Math.min(layers - 1, (int) Math.floor(f * layers))).distinct()
                .sorted().toList();
    }
}
