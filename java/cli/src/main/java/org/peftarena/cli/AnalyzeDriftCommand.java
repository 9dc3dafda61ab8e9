package org.peftarena.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.drift.CapabilityDrift;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.analysis.weights.DenseUpdate;
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

    @Option(names = "--tuned", required = true, paramLabel = "DIR", description = "Finetuned (merged) model directory.")
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
        ModuleSelection.rejectAdapterDir(tunedDir);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ShardedCheckpoint base = ShardedCheckpoint.open(baseDir);
             ShardedCheckpoint tuned = ShardedCheckpoint.open(tunedDir);
             SafetensorsFile g = SafetensorsFile.open(general);
             SafetensorsFile t = SafetensorsFile.open(target)) {
            if (!g.names().equals(t.names())) {
                throw new DiagnosticInputException("--general and --target hold different module names: "
                        + g.names() + " vs " + t.names());
            }
            for (String module : g.names()) {
                String weight = ModuleSelection.weightName(module);
                for (ShardedCheckpoint c : List.of(base, tuned)) {
                    if (!c.contains(weight)) {
                        throw new DiagnosticInputException(c.source() + " has no tensor \"" + weight
                                + "\" for the inputs named \"" + module + "\"");
                    }
                }
                Tensor w0 = StoredTensors.matrix(base, weight);
                DenseUpdate update = DenseUpdate.between(w0, StoredTensors.matrix(tuned, weight));
                CapabilityDrift dg = CapabilityDrift.of(w0, update, StoredTensors.matrix(g, module), eps);
                CapabilityDrift dt = CapabilityDrift.of(w0, update, StoredTensors.matrix(t, module), eps);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("module", module);
                row.put("CSD_abs_G", dg.csdAbs());
                row.put("CSD_rel_G", dg.csdRel());
                row.put("CSD_un_G", dg.csdUn());
                row.put("CSD_abs_T", dt.csdAbs());
                row.put("CSD_rel_T", dt.csdRel());
                row.put("CSD_un_T", dt.csdUn());
                row.put("ratio_rel", CapabilityDrift.ratioRel(dg, dt, eps));
                row.put("ratio_un", CapabilityDrift.ratioUn(dg, dt, eps));
                rows.add(row);
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
