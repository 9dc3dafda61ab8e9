package org.peftarena.analysis.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.activations.ActivationAnalysis;
import org.peftarena.analysis.capture.ActivationCollector;
import org.peftarena.analysis.capture.PromptActivations;
import org.peftarena.analysis.drift.CapabilityDrift;
import org.peftarena.analysis.weights.BaseSpectrum;
import org.peftarena.analysis.weights.BaseSpectrumCache;
import org.peftarena.analysis.weights.ModelUpdates;
import org.peftarena.analysis.weights.WeightAnalysis;
import org.peftarena.analysis.weights.WeightDiagnostics;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.peft.PeftModel;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the diagnostics of one finetuning run (base model + adapter or merged model) on the
 * modules and prompt sets that {@link DiagnosticsOptions} selects: weight space from the stored
 * weights, drift from base-model module inputs, activation space from both models' module outputs.
 * One model is in memory at a time.
 */
public final class RunDiagnostics {
    private static final Logger LOG = LoggerFactory.getLogger(RunDiagnostics.class);
    private static final Pattern LAYER = Pattern.compile("^model\\.layers\\.(\\d+)\\.");
    private static final String WEIGHT_SUFFIX = ".weight";

    private RunDiagnostics() {}

    /**
     * @param baseDir HF model directory of the base model (with its tokenizer when prompts are used)
     * @param tunedDir HF PEFT adapter directory or merged HF model directory
     * @param options what to compute
     * @return the diagnostics, one entry per selected module
     * @throws DiagnosticInputException when the base model has no decoder layers or a selected module is missing
     * @throws IOException when a model, adapter or cache entry cannot be read or written
     */
    public static RunDiagnosticsResult compute(Path baseDir, Path tunedDir, DiagnosticsOptions options)
            throws IOException {
        return compute(baseDir, tunedDir, options, (module, s, d) -> { });
    }

    /** Receives the full weight-space diagnostics of each module, profiles included. */
    @FunctionalInterface
    public interface ProfileSink {
        /**
         * @param module module path
         * @param baseSingularValues the pretrained spectrum s, double [k]
         * @param diagnostics the module's weight diagnostics (retention, deviation and adaptation profiles)
         */
        void accept(String module, double[] baseSingularValues, WeightDiagnostics diagnostics);
    }

    /**
     * The same as {@link #compute(Path, Path, DiagnosticsOptions)}, also handing every module's
     * profiles to {@code profiles} (the result keeps only their summaries).
     *
     * @param baseDir HF model directory of the base model
     * @param tunedDir HF PEFT adapter directory or merged HF model directory
     * @param options what to compute
     * @param profiles receives the weight diagnostics of each module when weight metrics are on
     * @return the diagnostics, one entry per selected module
     * @throws IOException when a model, adapter or cache entry cannot be read or written
     */
    public static RunDiagnosticsResult compute(Path baseDir, Path tunedDir, DiagnosticsOptions options,
                                               ProfileSink profiles) throws IOException {
        Map<String, Map<String, Object>> weight = new HashMap<>();
        Map<String, Map<String, Object>> drift = new HashMap<>();
        Map<String, Map<String, Object>> actG = new HashMap<>();
        Map<String, Map<String, Object>> actT = new HashMap<>();
        int layerCount;
        List<Integer> layers;
        Set<String> modules = new LinkedHashSet<>();
        try (ShardedCheckpoint base = ShardedCheckpoint.open(baseDir)) {
            layerCount = layerCount(base.names(), baseDir);
            layers = options.layers(layerCount);
            for (int layer : layers) {
                for (String suffix : options.moduleSuffixes()) {
                    String module = "model.layers." + layer + "." + suffix;
                    if (!base.contains(module + WEIGHT_SUFFIX)) {
                        throw new DiagnosticInputException(baseDir + " has no module " + module);
                    }
                    modules.add(module);
                }
            }
            Inputs inputs = options.driftMetrics() || options.activationMetrics()
                    ? Inputs.collect(baseDir, tunedDir, modules, options) : null;
            if (options.weightMetrics() || options.driftMetrics()) {
                BaseSpectrumCache cache = options.spectrumCacheDir() == null ? null
                        : new BaseSpectrumCache(options.spectrumCacheDir());
                ModelUpdates.forEach(base, tunedDir, modules::contains, u -> {
                    if (options.weightMetrics()) {
                        BaseSpectrum spectrum = cache == null ? BaseSpectrum.compute(u.w0())
                                : cache.getOrCompute(base, u.module() + WEIGHT_SUFFIX, u.module()).spectrum();
                        WeightDiagnostics wd = WeightAnalysis.analyse(spectrum, u.update(), u.w0(),
                                options.alignmentMode(), options.alignment());
                        profiles.accept(u.module(), spectrum.singularValues(), wd);
                        weight.put(u.module(), wd.summary());
                    }
                    if (options.driftMetrics()) {
                        drift.put(u.module(), driftRow(u.w0(), u.update(), inputs, u.module(), options.eps()));
                    }
                });
            }
            if (options.activationMetrics()) {
                for (String module : modules) {
                    actG.put(module, ActivationAnalysis.compute(inputs.baseOutG.get(module),
                            inputs.tunedOutG.get(module), options.activationOptions()).asMap());
                    actT.put(module, ActivationAnalysis.compute(inputs.baseOutT.get(module),
                            inputs.tunedOutT.get(module), options.activationOptions()).asMap());
                }
            }
        }
        List<ModuleDiagnostics> rows = new ArrayList<>();
        for (String module : modules) {
            rows.add(new ModuleDiagnostics(module, layerOf(module), weight.getOrDefault(module, Map.of()),
                    drift.getOrDefault(module, Map.of()), actG.getOrDefault(module, Map.of()),
                    actT.getOrDefault(module, Map.of())));
        }
        LOG.info("diagnostics of {} against {}: {} modules in layers {}", tunedDir, baseDir, rows.size(), layers);
        return new RunDiagnosticsResult(baseDir.toString(), tunedDir.toString(), layerCount, layers, rows);
    }

    private static Map<String, Object> driftRow(Tensor w0, org.peftarena.analysis.weights.WeightUpdate update,
                                                Inputs inputs, String module, double eps) {
        CapabilityDrift g = CapabilityDrift.of(w0, update, inputs.baseInG.get(module), eps);
        CapabilityDrift t = CapabilityDrift.of(w0, update, inputs.baseInT.get(module), eps);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("tokens_G", g.tokens());
        row.put("tokens_T", t.tokens());
        row.put("CSD_abs_G", g.csdAbs());
        row.put("CSD_rel_G", g.csdRel());
        row.put("CSD_un_G", g.csdUn());
        row.put("CSD_abs_T", t.csdAbs());
        row.put("CSD_rel_T", t.csdRel());
        row.put("CSD_un_T", t.csdUn());
        row.put("ratio_rel", CapabilityDrift.ratioRel(g, t, eps));
        row.put("ratio_un", CapabilityDrift.ratioUn(g, t, eps));
        return row;
    }

    static int layerCount(Set<String> names, Path dir) {
        int max = -1;
        for (String n : names) {
            Matcher m = LAYER.matcher(n);
            if (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        if (max < 0) {
            throw new DiagnosticInputException(dir + " has no model.layers.N.* tensors");
        }
        return max + 1;
    }

    private static int layerOf(String module) {
        Matcher m = LAYER.matcher(module);
        if (!m.find()) {
            throw new IllegalStateException("not a layer module: " + module);
        }
        return Integer.parseInt(m.group(1));
    }

    /** Module inputs (base) and outputs (base and tuned) on both prompt sets. */
    private record Inputs(Map<String, Tensor> baseInG, Map<String, Tensor> baseInT, Map<String, Tensor> baseOutG,
                          Map<String, Tensor> baseOutT, Map<String, Tensor> tunedOutG, Map<String, Tensor> tunedOutT) {
        static Inputs collect(Path baseDir, Path tunedDir, Set<String> modules, DiagnosticsOptions o)
                throws IOException {
            try (TextTokenizer tokenizer = Tokenizers.load(baseDir)) {
                LlamaModel model = HfModelDirectory.load(baseDir);
                Map<String, Tensor> inG = Map.of();
                Map<String, Tensor> inT = Map.of();
                if (o.driftMetrics()) {
                    inG = run(model, tokenizer, o.generalPrompts(), modules, ActivationCollector.Side.INPUT, o);
                    inT = run(model, tokenizer, o.targetPrompts(), modules, ActivationCollector.Side.INPUT, o);
                }
                if (!o.activationMetrics()) {
                    return new Inputs(inG, inT, Map.of(), Map.of(), Map.of(), Map.of());
                }
                Map<String, Tensor> outG = run(model, tokenizer, o.generalPrompts(), modules,
                        ActivationCollector.Side.OUTPUT, o);
                Map<String, Tensor> outT = run(model, tokenizer, o.targetPrompts(), modules,
                        ActivationCollector.Side.OUTPUT, o);
                LlamaModel tuned;
                if (ModelUpdates.isAdapterDir(tunedDir)) {
                    AdapterCheckpoint adapter = AdapterIO.load(tunedDir);
                    PeftModel.attach(model, adapter.config(), adapter.targets(), 0).adapters().load(adapter.tensors());
                    tuned = model;
                } else {
                    model = null;
                    tuned = HfModelDirectory.load(tunedDir);
                }
                return new Inputs(inG, inT, outG, outT,
                        run(tuned, tokenizer, o.generalPrompts(), modules, ActivationCollector.Side.OUTPUT, o),
                        run(tuned, tokenizer, o.targetPrompts(), modules, ActivationCollector.Side.OUTPUT, o));
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("closing the tokenizer failed", e);
            }
        }

        private static Map<String, Tensor> run(LlamaModel model, TextTokenizer tokenizer, List<String> prompts,
                                               Set<String> modules, ActivationCollector.Side side,
                                               DiagnosticsOptions o) {
            Map<String, Tensor> m = PromptActivations.collect(model, tokenizer, prompts, o.maxLength(),
                    modules::contains, side, o.maxTokens());
            if (!m.keySet().containsAll(modules)) {
                throw new DiagnosticInputException("the model did not expose modules " + modules + ", only "
                        + m.keySet());
            }
            return m;
        }
    }
}
