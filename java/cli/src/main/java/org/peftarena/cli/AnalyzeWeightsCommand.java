package org.peftarena.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.analysis.weights.AlignmentOptions;
import org.peftarena.analysis.weights.BaseSpectrum;
import org.peftarena.analysis.weights.BaseSpectrumCache;
import org.peftarena.analysis.weights.ModelUpdates;
import org.peftarena.analysis.weights.ModulePattern;
import org.peftarena.analysis.weights.WeightAnalysis;
import org.peftarena.analysis.weights.WeightDiagnostics;
import org.peftarena.formats.io.ShardedCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Weight-space diagnostics of every selected linear module of a finetuned model against its base. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = "Weight-space diagnostics per linear module: retention and adaptation profiles, effective"
                + " rank of the update, fluctuation scores, singular-vector alignment, intruder dimensions.")
final class AnalyzeWeightsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--base", required = true, paramLabel = "DIR", description = "Base model directory (safetensors).")
    Path baseDir;

    @Option(names = "--tuned", required = true, paramLabel = "DIR",
            description = "Finetuned model: a merged model directory or an HF PEFT adapter directory.")
    Path tunedDir;

    @Option(names = "--modules", defaultValue = ModulePattern.DEFAULT_REGEX, paramLabel = "REGEX",
            description = "Regex searched in module names (default ${DEFAULT-VALUE}).")
    String modules;

    @Option(names = "--cache", paramLabel = "DIR", description = "Keep base-model SVDs here and reuse them.")
    Path cacheDir;

    @Option(names = "--alignment", defaultValue = "always", paramLabel = "MODE",
            description = "SVA and intruder dimensions: always (decompose W1 where the structure does not give them),"
                    + " structured (only where it does, e.g. exact OFT), none. Default ${DEFAULT-VALUE}.")
    WeightAnalysis.AlignmentMode alignment;

    @Option(names = "--top-k", defaultValue = "" + AlignmentOptions.DEFAULT_TOP_K, description = "Intruder top-k (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--threshold", defaultValue = "" + AlignmentOptions.DEFAULT_THRESHOLD, description = "Intruder threshold (default ${DEFAULT-VALUE}).")
    double threshold;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws Exception {
        // the base spectra (the SVDs of every base weight) are computed on the device; the rest on the host
        org.bytedeco.pytorch.Device where = device.requireForModel(spec).torch();
        AlignmentOptions alignmentOptions = new AlignmentOptions(topK, threshold);
        BaseSpectrumCache cache = cacheDir == null ? null : new BaseSpectrumCache(cacheDir, where);
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> results = new LinkedHashMap<>();
        try (ShardedCheckpoint base = ShardedCheckpoint.open(baseDir)) {
            ModelUpdates.forEach(base, tunedDir, new ModulePattern(modules), u -> {
                BaseSpectrum spectrum = cache == null ? BaseSpectrum.compute(u.w0(), where)
                        : cache.getOrCompute(base, u.module() + ".weight", u.module()).spectrum();
                WeightDiagnostics d = WeightAnalysis.analyse(spectrum, u.update(), u.w0(), alignment, alignmentOptions);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("module", u.module());
                row.putAll(d.summary());
                rows.add(row);
                Map<String, Object> full = new LinkedHashMap<>(d.summary());
                full.put("P_diag", d.retention());
                full.put("dP_diag", d.deviation());
                full.put("E", d.adaptation());
                results.put(u.module(), full);
            });
        }
        if (!json.replacesText()) {
            AnalysisOutput.table(spec.commandLine().getOut(), rows);
        }
        if (json.enabled()) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("base", baseDir.toString());
            report.put("tuned", tunedDir.toString());
            report.put("modules", results);
            json.emit(spec.commandLine().getOut(), report);
        }
        return 0;
    }
}
