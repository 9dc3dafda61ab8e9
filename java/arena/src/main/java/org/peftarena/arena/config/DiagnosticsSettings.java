package org.peftarena.arena.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.activations.ActivationOptions;
import org.peftarena.analysis.drift.CapabilityDrift;
import org.peftarena.analysis.run.DiagnosticsOptions;
import org.peftarena.analysis.weights.AlignmentOptions;
import org.peftarena.analysis.weights.WeightAnalysis;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.PeftMethod;

/**
 * The {@code diagnostics:} block of an arena config: which geometry diagnostics every finished
 * finetuning run gets (weight-space spectra and drift, activation-space distortion on general and
 * target prompts), at which module locations, and how many tokens they may spend. Every field may be
 * left out; a missing block means the defaults.
 *
 * @param enabled    whether runs get diagnostics at all
 * @param layers     analysed decoder layers as depth fractions in [0, 1] (layer {@code floor(f * L)})
 * @param modules    module paths inside a layer ({@code self_attn.q_proj}); the short names
 *                   {@code q_proj ... down_proj} are expanded
 * @param prompts    prompts taken from each prompt set (general: round robin over the general tasks'
 *                   test items; target: the target's test items)
 * @param maxLength  tokens per prompt at most
 * @param maxTokens  token rows kept per module and prompt set (the main cost knob)
 * @param metrics    metric groups: {@code weight}, {@code drift}, {@code activations}
 * @param alignment  SVA and intruder dimensions: {@code orthogonal} (the default: for the orthogonal
 *                   methods OFT, BOFT and HRA, from the rotation blocks when they are exactly orthogonal,
 *                   else from an SVD of W1; for other methods only where their structure gives them),
 *                   {@code none}, {@code structured} (only where the structure gives them) or
 *                   {@code always} (every method; an SVD of W1 per module where needed)
 * @param pcaRanks   subspace sizes of the PCA subspace distance
 * @param gramRows   row subsample of the Gram distortion
 * @param precision  arithmetic of the activation metrics: {@code float64} or {@code float32}
 * @param blasThreads OpenBLAS threads while diagnostics run (training's setting is restored after): many
 *                   small SVDs and products oversubscribe a small machine with more than one
 */
public record DiagnosticsSettings(Boolean enabled, List<Double> layers, List<String> modules, Integer prompts,
                                  Integer maxLength, Integer maxTokens, List<String> metrics, String alignment,
                                  List<Integer> pcaRanks, Integer gramRows, String precision,
                                  Integer blasThreads) {
    /** Default prompts per set. */
    public static final int DEFAULT_PROMPTS = 64;
    /** Default tokens per prompt. */
    public static final int DEFAULT_MAX_LENGTH = 128;
    /** Default token cap per module and prompt set. */
    public static final int DEFAULT_MAX_TOKENS = ActivationOptions.DEFAULT_ROW_CAP;
    /** The metric groups. */
    public static final List<String> METRIC_GROUPS = List.of("weight", "drift", "activations");
    /** The arithmetic precisions of the activation metrics. */
    public static final List<String> PRECISIONS = List.of("float64", "float32");
    /** The alignment modes. */
    public static final List<String> ALIGNMENT_MODES = List.of("orthogonal", "none", "structured", "always");
    /** Bump when the artifact's content changes for the same settings. */
    static final String VERSION = "diagnostics-1";

    private static final Map<String, String> SHORT_NAMES = Map.of("q_proj", "self_attn.q_proj", "k_proj",
            "self_attn.k_proj", "v_proj", "self_attn.v_proj", "o_proj", "self_attn.o_proj", "gate_proj",
            "mlp.gate_proj", "up_proj", "mlp.up_proj", "down_proj", "mlp.down_proj");

    /** Fills in defaults, expands short module names and validates. */
    public DiagnosticsSettings {
        enabled = enabled == null || enabled;
        layers = List.copyOf(layers == null ? DiagnosticsOptions.DEFAULT_LAYER_FRACTIONS : layers);
        modules = expand(modules == null ? DiagnosticsOptions.DEFAULT_MODULES : modules);
        prompts = prompts == null ? DEFAULT_PROMPTS : prompts;
        maxLength = maxLength == null ? DEFAULT_MAX_LENGTH : maxLength;
        maxTokens = maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens;
        metrics = List.copyOf(metrics == null ? METRIC_GROUPS : metrics);
        alignment = alignment == null ? "orthogonal" : alignment.toLowerCase(Locale.ROOT);
        pcaRanks = List.copyOf(pcaRanks == null ? List.of(32, 64) : pcaRanks);
        gramRows = gramRows == null ? ActivationOptions.DEFAULT_GRAM_ROWS : gramRows;
        precision = precision == null ? PRECISIONS.get(0) : precision.toLowerCase(Locale.ROOT);
        blasThreads = blasThreads == null ? 1 : blasThreads;
        if (blasThreads < 1) {
            throw new ArenaConfigException("diagnostics.blas_threads must be >= 1, got " + blasThreads);
        }
        if (!PRECISIONS.contains(precision)) {
            throw new ArenaConfigException("diagnostics.precision must be one of " + PRECISIONS + ", got '" + precision
                    + "'");
        }
        if (layers.isEmpty() || modules.isEmpty() || metrics.isEmpty()) {
            throw new ArenaConfigException("diagnostics: layers, modules and metrics must be non-empty lists");
        }
        for (Double f : layers) {
            if (f == null || !(f >= 0 && f <= 1)) {
                throw new ArenaConfigException("diagnostics.layers are depth fractions in [0, 1], got " + f);
            }
        }
        for (String m : metrics) {
            if (!METRIC_GROUPS.contains(m)) {
                throw new ArenaConfigException("diagnostics.metrics: unknown group '" + m + "'; known: "
                        + METRIC_GROUPS);
            }
        }
        if (!ALIGNMENT_MODES.contains(alignment)) {
            throw new ArenaConfigException("diagnostics.alignment must be one of " + ALIGNMENT_MODES + ", got '"
                    + alignment + "'");
        }
        if (prompts < 1 || maxLength < 1 || maxTokens < 2 || gramRows < 2) {
            throw new ArenaConfigException("diagnostics: prompts and max_length must be >= 1, max_tokens and gram_rows"
                    + " >= 2; got prompts=" + prompts + " max_length=" + maxLength + " max_tokens=" + maxTokens
                    + " gram_rows=" + gramRows);
        }
        for (Integer k : pcaRanks) {
            if (k == null || k < 1) {
                throw new ArenaConfigException("diagnostics.pca_ranks must be positive, got " + k);
            }
        }
    }

    /** Every default: enabled, layers at 1/3 and 2/3 depth, q/k/v and down projections, all metrics. */
    public static DiagnosticsSettings defaults() {
        return new DiagnosticsSettings(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** These settings switched off. */
    public static DiagnosticsSettings disabled() {
        return new DiagnosticsSettings(false, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** These settings with other module paths. */
    public DiagnosticsSettings withModules(List<String> newModules) {
        return new DiagnosticsSettings(enabled, layers, newModules, prompts, maxLength, maxTokens, metrics, alignment,
                pcaRanks, gramRows, precision, blasThreads);
    }

    /**
     * The analysis options of one run.
     *
     * @param method        the run's method name (chooses the alignment handling)
     * @param general       general prompt set G
     * @param target        target prompt set T
     * @param spectrumCache directory of cached base-model SVDs
     */
    public DiagnosticsOptions options(String method, List<String> general, List<String> target, Path spectrumCache) {
        int[] ranks = pcaRanks.stream().mapToInt(Integer::intValue).toArray();
        ActivationOptions act = new ActivationOptions(maxTokens, gramRows, ActivationOptions.DEFAULT_GRAM_SEED, ranks,
                precision.equals("float32") ? torch.ScalarType.Float : torch.ScalarType.Double);
        return new DiagnosticsOptions(layers, modules, general, target, maxLength, maxTokens,
                metrics.contains("weight"), metrics.contains("drift"), metrics.contains("activations"),
                alignmentMode(method), AlignmentOptions.defaults(),
                act, spectrumCache, CapabilityDrift.DEFAULT_EPS);
    }

    /** The alignment handling of a method's runs. */
    public WeightAnalysis.AlignmentMode alignmentMode(String method) {
        if (alignment.equals("orthogonal")) {
            return orthogonalMethods().contains(method) ? WeightAnalysis.AlignmentMode.ALWAYS
                    : WeightAnalysis.AlignmentMode.STRUCTURED;
        }
        return WeightAnalysis.AlignmentMode.valueOf(alignment.toUpperCase(Locale.ROOT));
    }

    /** The registered methods whose updates are rotations, so their singular-vector alignment is reported by default. */
    public static List<String> orthogonalMethods() {
        return MethodRegistry.methods().stream().filter(m -> m.is(PeftMethod.Trait.ORTHOGONAL)).map(PeftMethod::cliName).toList();
    }

    /** SHA-256 of what determines a run's diagnostics besides the run itself; a change recomputes them. */
    public String configHash() {
        return RunSpecJson.sha256(VERSION + "\n" + RunSpecJson.canonical(this));
    }

    private static List<String> expand(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw new ArenaConfigException("diagnostics.modules has an empty entry");
            }
            out.add(SHORT_NAMES.getOrDefault(n, n));
        }
        return List.copyOf(out);
    }
}
