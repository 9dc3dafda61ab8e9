package org.peftarena.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.drift.CapabilityDrift;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.analysis.weights.ModelUpdates;
import org.peftarena.engine.io.SafetensorsFile;
import org.peftarena.engine.io.ShardedCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Capability-conditioned drift per module from module inputs already collected on the base model
 * (one [tokens, in] tensor per module name, for a general and a target prompt set).
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Capability-conditioned drift (CSD_abs, CSD_rel, CSD_un and the general/target ratios) from"
                + " module inputs collected on the base model and stored by module name in safetensors files.")
final class AnalyzeDriftCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--base", required = true, paramLabel = "DIR", description = "Base model directory.")
    Path baseDir;

    @Option(names = "--tuned", required = true, paramLabel = "DIR",
            description = "Finetuned model: a merged model directory or an HF PEFT adapter directory.")
    Path tunedDir;

    @Option(names = "--general", required = true, paramLabel = "FILE", description = "Module inputs on general prompts: tensor per module name, [tokens, in].")
    Path general;

    @Option(names = "--target", required = true, paramLabel = "FILE", description = "Module inputs on target prompts, same module names.")
    Path target;

    @Option(names = "--eps", defaultValue = "1e-12", description = "eps of CSD_un and of the ratios (default ${DEFAULT-VALUE}).")
    double eps;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every value to this JSON file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ShardedCheckpoint base = ShardedCheckpoint.open(baseDir);
             SafetensorsFile g = SafetensorsFile.open(general);
             SafetensorsFile t = SafetensorsFile.open(target)) {
            if (!g.names().equals(t.names())) {
                throw new DiagnosticInputException("--general and --target hold different module names: "
                        + g.names() + " vs " + t.names());
            }
            Set<String> seen = new TreeSet<>();
            ModelUpdates.forEach(base, tunedDir, g.names()::contains, u -> {
                seen.add(u.module());
                CapabilityDrift dg = CapabilityDrift.of(u.w0(), u.update(), StoredTensors.matrix(g, u.module()), eps);
                CapabilityDrift dt = CapabilityDrift.of(u.w0(), u.update(), StoredTensors.matrix(t, u.module()), eps);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("module", u.module());
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
            Set<String> unused = new TreeSet<>(g.names());
            unused.removeAll(seen);
            if (!unused.isEmpty()) {
                throw new DiagnosticInputException("inputs name modules that are not (adapted) linear modules of "
                        + baseDir + ": " + unused);
            }
        }
        AnalysisOutput.table(spec.commandLine().getOut(), rows);
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("base", baseDir.toString());
            report.put("tuned", tunedDir.toString());
            report.put("eps", eps);
            report.put("modules", rows);
            AnalysisOutput.writeJson(json, report);
        }
        return 0;
    }
}
