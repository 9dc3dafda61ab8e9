package org.peftarena.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.activations.ActivationAnalysis;
import org.peftarena.analysis.activations.ActivationDiagnostics;
import org.peftarena.analysis.activations.ActivationOptions;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.engine.io.SafetensorsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Compares base and finetuned module outputs stored as matching 2-D tensors in two safetensors files. */
@Command(name = "activations", mixinStandardHelpOptions = true,
        description = "Activation-space diagnostics (raw distance, Procrustes residual, Gram distortion, CKA,"
                + " cosines, norm ratios, PCA subspace distance) per tensor of two safetensors files.")
final class AnalyzeActivationsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--x0", required = true, paramLabel = "FILE", description = "Base-model outputs: [tokens, features] per tensor name.")
    Path x0;

    @Option(names = "--x1", required = true, paramLabel = "FILE", description = "Finetuned-model outputs, same names and shapes.")
    Path x1;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every value to this JSON file.")
    Path json;

    @Option(names = "--row-cap", defaultValue = "" + ActivationOptions.DEFAULT_ROW_CAP, description = "Leading rows used (default ${DEFAULT-VALUE}).")
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
        ActivationOptions options = new ActivationOptions(rowCap, gramRows, seed, pcaRanks,
                float32 ? torch.ScalarType.Float : torch.ScalarType.Double);
        Map<String, Object> results = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (SafetensorsFile f0 = SafetensorsFile.open(x0); SafetensorsFile f1 = SafetensorsFile.open(x1)) {
            checkSameNames(f0.names(), f1.names());
            for (String name : f0.names()) {
                ActivationDiagnostics d;
                try {
                    d = ActivationAnalysis.compute(StoredTensors.matrix(f0, name), StoredTensors.matrix(f1, name), options);
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
        AnalysisOutput.table(spec.commandLine().getOut(), rows);
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("x0", x0.toString());
            report.put("x1", x1.toString());
            report.put("options", options.toString());
            report.put("tensors", results);
            AnalysisOutput.writeJson(json, report);
        }
        return 0;
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
