package org.peftarena.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.activations.ActivationAnalysis;
import org.peftarena.analysis.activations.ActivationDiagnostics;
import org.peftarena.analysis.activations.ActivationOptions;
import org.peftarena.analysis.capture.PairedOutputs;
import org.peftarena.analysis.weights.ModulePattern;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.formats.io.SafetensorsFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Compares base and finetuned module outputs stored as matching 2-D tensors in two safetensors files. */
@Command(name = "activations", mixinStandardHelpOptions = true,
        description = "Activation-space diagnostics (raw distance, Procrustes residual, Gram distortion, CKA,"
                + " cosines, norm ratios, PCA subspace distance) per module: from two safetensors files of outputs"
                + " matched by tensor name, or by running the base and finetuned models on prompts.")
final class AnalyzeActivationsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        Files files;

        @ArgGroup(exclusive = false)
        Models models;
    }

    static final class Files {
        @Option(names = "--x0", required = true, paramLabel = "FILE", description = "Base-model outputs: [tokens, features] per tensor name.")
        Path x0;

        @Option(names = "--x1", required = true, paramLabel = "FILE", description = "Finetuned-model outputs, same names and shapes.")
        Path x1;
    }

    static final class Models {
        @Option(names = "--base", required = true, paramLabel = "DIR", description = "Base model directory (with tokenizer.json).")
        Path base;

        @Option(names = "--tuned", required = true, paramLabel = "DIR", description = "Merged model directory or HF PEFT adapter directory.")
        Path tuned;

        @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "Prompts, one per line (UTF-8).")
        Path prompts;
    }

    @Option(names = "--modules", defaultValue = ModulePattern.DEFAULT_REGEX, paramLabel = "REGEX",
            description = "Regex searched in module names when running models (default ${DEFAULT-VALUE}).")
    String modules;

    @Option(names = "--max-length", defaultValue = "256", description = "Prompts are truncated to this many tokens (default ${DEFAULT-VALUE}).")
    int maxLength;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--row-cap", defaultValue = "" + ActivationOptions.DEFAULT_ROW_CAP, description = "Leading rows (tokens) used (default ${DEFAULT-VALUE}).")
    int rowCap;

    @Option(names = "--gram-rows", defaultValue = "" + ActivationOptions.DEFAULT_GRAM_ROWS, description = "Gram subsample size (default ${DEFAULT-VALUE}).")
    int gramRows;

    @Option(names = "--seed", defaultValue = "" + ActivationOptions.DEFAULT_GRAM_SEED, description = "Gram subsample seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--pca-ranks", split = ",", defaultValue = "32,64", description = "PCA subspace sizes (default ${DEFAULT-VALUE}).")
    int[] pcaRanks;

    @Option(names = "--float32", description = "Compute in float32 instead of float64 (faster, less exact).")
    boolean float32;

    @Override
    public Integer call() throws Exception {
        DeviceOption.Device where = device.requireForModel(spec);
        ActivationOptions options = new ActivationOptions(rowCap, gramRows, seed, pcaRanks,
                float32 ? torch.ScalarType.Float : torch.ScalarType.Double);
        Map<String, Object> results = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Tensor> m0;
        Map<String, Tensor> m1;
        if (source.files != null) {
            m0 = read(source.files.x0);
            m1 = read(source.files.x1);
        } else {
            PairedOutputs p = PairedOutputs.collect(source.models.base, source.models.tuned,
                    promptLines(source.models.prompts), maxLength, new ModulePattern(modules), rowCap, where.torch());
            m0 = p.base();
            m1 = p.tuned();
        }
        checkSameNames(new TreeSet<>(m0.keySet()), new TreeSet<>(m1.keySet()));
        {
            for (String name : new TreeSet<>(m0.keySet())) {
                ActivationDiagnostics d;
                try {
                    d = ActivationAnalysis.compute(m0.get(name), m1.get(name), options);
                } catch (DiagnosticInputException e) {
                    throw new DiagnosticInputException("tensor \"" + name + "\": " + e.getMessage());
                }
                results.put(name, d.asMap());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("tensor", name);
                row.put("rows", d.rows());
                row.put("raw", d.rawDistance());
                row.put("procrustes", d.procrustesResidual());
                row.put("gram", d.gramDistortion());
                row.put("cka", d.linearCka());
                row.put("cos", d.meanCosine());
                row.put("norm_ratio", d.normRatioMean());
                rows.add(row);
            }
        }
        if (!json.replacesText()) {
            AnalysisOutput.table(spec.commandLine().getOut(), rows);
        }
        if (json.enabled()) {
            Map<String, Object> report = new LinkedHashMap<>();
            if (source.files != null) {
                report.put("x0", source.files.x0.toString());
                report.put("x1", source.files.x1.toString());
            } else {
                report.put("base", source.models.base.toString());
                report.put("tuned", source.models.tuned.toString());
                report.put("prompts", source.models.prompts.toString());
            }
            report.put("options", options.toString());
            report.put("tensors", results);
            json.emit(spec.commandLine().getOut(), report);
        }
        return 0;
    }

    private static Map<String, Tensor> read(Path file) throws java.io.IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                out.put(name, StoredTensors.matrix(f, name));
            }
        }
        return out;
    }

    private static List<String> promptLines(Path file) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        if (out.isEmpty()) {
            throw new DiagnosticInputException(file + " holds no prompt");
        }
        return out;
    }

    private static void checkSameNames(java.util.SortedSet<String> a, java.util.SortedSet<String> b) {
        TreeSet<String> onlyA = new TreeSet<>(a);
        onlyA.removeAll(b);
        TreeSet<String> onlyB = new TreeSet<>(b);
        onlyB.removeAll(a);
        if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
            throw new DiagnosticInputException("tensor names differ: only in --x0 " + onlyA + ", only in --x1 " + onlyB);
        }
        if (a.isEmpty()) {
            throw new DiagnosticInputException("--x0 holds no tensors");
        }
    }
}
