package org.peftarena.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.capture.ActivationCollector;
import org.peftarena.analysis.capture.PromptActivations;
import org.peftarena.analysis.drift.CapabilityDrift;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.analysis.weights.ModelUpdates;
import org.peftarena.analysis.weights.ModulePattern;
import org.peftarena.formats.io.SafetensorsFile;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Capability-conditioned drift per module: module inputs are collected on the base model from a
 * general and a target prompt set (or read from safetensors files holding them by module name).
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Capability-conditioned drift (CSD_abs, CSD_rel, CSD_un and the general/target ratios) of each"
                + " linear module, on module inputs of the base model for general (G) and target (T) prompts.")
final class AnalyzeDriftCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--base", required = true, paramLabel = "DIR", description = "Base model directory.")
    Path baseDir;

    @Option(names = "--tuned", required = true, paramLabel = "DIR",
            description = "Finetuned model: a merged model directory or an HF PEFT adapter directory.")
    Path tunedDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    static final class Inputs {
        @ArgGroup(exclusive = false)
        Prompts prompts;

        @ArgGroup(exclusive = false)
        Captured captured;
    }

    static final class Prompts {
        @Option(names = "--general-prompts", required = true, paramLabel = "FILE", description = "General prompts, one per line (UTF-8).")
        Path general;

        @Option(names = "--target-prompts", required = true, paramLabel = "FILE", description = "Target prompts, one per line.")
        Path target;
    }

    static final class Captured {
        @Option(names = "--general", required = true, paramLabel = "FILE", description = "Module inputs on general prompts: [tokens, in] per module name (safetensors).")
        Path general;

        @Option(names = "--target", required = true, paramLabel = "FILE", description = "Module inputs on target prompts, same module names.")
        Path target;
    }

    @Option(names = "--modules", defaultValue = ModulePattern.DEFAULT_REGEX, paramLabel = "REGEX",
            description = "Regex searched in module names when collecting from prompts (default ${DEFAULT-VALUE}).")
    String modules;

    @Option(names = "--max-length", defaultValue = "256", description = "Prompts are truncated to this many tokens (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--max-tokens", defaultValue = "4096", description = "Tokens kept per prompt set and module (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--eps", defaultValue = "1e-12", description = "eps of CSD_un and of the ratios (default ${DEFAULT-VALUE}).")
    double eps;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws Exception {
        DeviceOption.Device where = device.requireForModel(spec);
        Map<String, Tensor> hg;
        Map<String, Tensor> ht;
        boolean fromFiles = inputs.captured != null;
        if (fromFiles) {
            hg = readInputs(inputs.captured.general);
            ht = readInputs(inputs.captured.target);
            if (!hg.keySet().equals(ht.keySet())) {
                throw new DiagnosticInputException("--general and --target hold different module names: "
                        + hg.keySet() + " vs " + ht.keySet());
            }
        } else {
            LlamaModel model = HfModelDirectory.load(baseDir).moveTo(where.torch());
            try (TextTokenizer tokenizer = Tokenizers.load(baseDir)) {
                ModulePattern select = new ModulePattern(modules);
                hg = PromptActivations.collect(model, tokenizer, prompts(inputs.prompts.general), maxLength, select,
                        ActivationCollector.Side.INPUT, maxTokens);
                ht = PromptActivations.collect(model, tokenizer, prompts(inputs.prompts.target), maxLength, select,
                        ActivationCollector.Side.INPUT, maxTokens);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (ShardedCheckpoint base = ShardedCheckpoint.open(baseDir)) {
            ModelUpdates.forEach(base, tunedDir, hg::containsKey, u -> {
                seen.add(u.module());
                CapabilityDrift dg = CapabilityDrift.of(u.w0(), u.update(), hg.get(u.module()), eps);
                CapabilityDrift dt = CapabilityDrift.of(u.w0(), u.update(), ht.get(u.module()), eps);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("module", u.module());
                row.put("tokens_G", dg.tokens());
                row.put("tokens_T", dt.tokens());
                row.put("CSD_abs_G", dg.csdAbs());
                row.put("CSD_rel_G", dg.csdRel());
                row.put("CSD_un_G", dg.csdUn());
                row.put("CSD_abs_T", dt.csdAbs());
                row.put("CSD_rel_T", dt.csdRel());
                row.put("CSD_un_T", dt.csdUn());
                row.put("ratio_rel", CapabilityDrift.ratioRel(dg, dt, eps));
                row.put("ratio_un", CapabilityDrift.ratioUn(dg, dt, eps));
                rows.add(row);
            });
        }
        Set<String> unused = new TreeSet<>(hg.keySet());
        unused.removeAll(seen);
        if (fromFiles && !unused.isEmpty()) {
            throw new DiagnosticInputException("inputs name modules that are not (adapted) linear modules of "
                    + baseDir + ": " + unused);
        }
        if (!json.replacesText()) {
            AnalysisOutput.table(spec.commandLine().getOut(), rows);
        }
        if (json.enabled()) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("base", baseDir.toString());
            report.put("tuned", tunedDir.toString());
            report.put("eps", eps);
            report.put("modules", rows);
            json.emit(spec.commandLine().getOut(), report);
        }
        return 0;
    }

    private static Map<String, Tensor> readInputs(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                out.put(name, StoredTensors.matrix(f, name));
            }
        }
        return out;
    }

    private static List<String> prompts(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        if (out.isEmpty()) {
            throw new DiagnosticInputException(file + " holds no prompt");
        }
        return out;
    }
}
