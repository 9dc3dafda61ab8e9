package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.analysis.interp.PathException;
import org.peftarena.analysis.rewind.LayerFactor;
import org.peftarena.analysis.rewind.RewindExport;
import org.peftarena.analysis.rewind.RewindOptions;
import org.peftarena.analysis.rewind.RewindPlan;
import org.peftarena.analysis.rewind.RewindStrategy;
import org.peftarena.analysis.rewind.Rewinder;
import org.peftarena.analysis.rewind.RotationStrength;
import org.peftarena.formats.io.OutputDirectory;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.Threads;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.kernels.KernelOps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Rewinds a finetuned adapter post hoc and writes the rewound adapter and merged model. */
@Command(name = "rewind", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rewind a finetuned adapter without retraining: scale each layer's OFT generators"
                + " Q_l <- alpha_l Q_l (or sqrt(alpha_l) with --sqrt) and write the rewound adapter (adapter/, HF PEFT),"
                + " the merged model (model/, Hugging Face layout, in the base model's dtype with its config.json keys kept) and the factors (rewind.json).",
            "Strategies: uniform (one alpha, default 0.4; also LoRA-family, VeRA, IA3, MiSS adapters);"
                + " safe-rho (rho* = mean rho of the first five layers); min-rho (rho* = min rho);"
                + " alpha_l = min(1, rho*/rho_l).",
            "rho_l: mean over the layer's OFT modules of normF(Q)/sqrt(blocks) (fro-q) or normF(R - I) (fro-r-minus-i)."})
final class RewindCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--base", required = true, paramLabel = "DIR", description = "Base model directory (Hugging Face layout).")
    Path baseDir;

    @Option(names = "--adapter", required = true, paramLabel = "DIR", description = "HF PEFT adapter directory.")
    Path adapterDir;

    @Option(names = "--strategy", required = true, paramLabel = "NAME", description = "uniform, safe-rho or min-rho.")
    String strategy;

    @Option(names = "--alpha", defaultValue = "" + RewindOptions.DEFAULT_UNIFORM_ALPHA,
            description = "Uniform factor (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--rho", defaultValue = "fro-q", paramLabel = "MEASURE",
            description = "Rotation strength: fro-q or fro-r-minus-i (default ${DEFAULT-VALUE}).")
    String rho;

    @Option(names = "--sqrt", description = "Scale the generators by sqrt(alpha_l) instead of alpha_l.")
    boolean sqrt;

    @Option(names = "--reference-fraction", defaultValue = "" + RewindOptions.DEFAULT_REFERENCE_FRACTION,
            paramLabel = "F", description = "Leading fraction of the model's depth SafeRho averages, in (0, 1]"
            + " (default 5/28 = ${DEFAULT-VALUE}: the study's first five of 28 layers); warns when the model is too"
            + " shallow for the recipe.")
    double referenceFraction;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--backend", defaultValue = "auto", description = "Cayley kernel backend: auto, cpu or cuda (default ${DEFAULT-VALUE}).")
    String backend;

    @picocli.CommandLine.Mixin
    ExportDtypeOption dtype = new ExportDtypeOption();

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--overwrite", description = "Replace --out if it is not empty (the new result is swapped in only once complete).")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        DeviceOption.Device where = device.requireForModel(spec);
        OutputDirectory.check(out, overwrite, List.of(baseDir, adapterDir));
        RewindOptions options;
        try {
            options = new RewindOptions(RewindStrategy.parse(strategy), alpha, RotationStrength.parse(rho), sqrt, referenceFraction);
        } catch (PathException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ModelDType written = dtype.resolve(spec, baseDir);
        KernelOps kernels = KernelOps.create(InterpolateCommand.backend(spec, backend));
        Threads.configureDefaults();
        AdapterCheckpoint adapter = AdapterIO.load(adapterDir);
        RewindPlan plan = Rewinder.plan(adapter, options, kernels);
        // the plan comes from the adapter's generators on the host; the merge runs where the model is
        LlamaModel base = HfModelDirectory.load(baseDir, ModelDType.FLOAT32).moveTo(where.torch());
        try (OutputDirectory dir = OutputDirectory.prepare(out, overwrite, List.of(baseDir, adapterDir))) {
            RewindExport.write(base, baseDir, Rewinder.apply(adapter, plan), plan, dir.staging(), written);
            dir.commit();
        }
        PrintWriter pw = json.replacesText() ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        pw.printf("%s rewinding of %s (%s)%s%n", options.label(), adapter.config().method().cliName(),
                options.strategy().description(), Double.isNaN(plan.rhoStar()) ? ""
                        : String.format(java.util.Locale.ROOT, ", rho* = %.6g (%s)", plan.rhoStar(), options.strength().cliName()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerFactor l : plan.layers()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("layer", l.layer());
            r.put("modules", l.modules());
            r.put("rho", Double.isNaN(l.rho()) ? null : l.rho());
            r.put("alpha", l.alpha());
            r.put("factor", l.factor());
            rows.add(r);
        }
        AnalysisOutput.table(pw, rows);
        if (!Double.isNaN(plan.cayleyAlpha())) {
            pw.printf(java.util.Locale.ROOT, "generator scale %.3f = the Cayley path at alpha %.3f%n",
                    plan.layers().get(0).factor(), plan.cayleyAlpha());
        }
        if (plan.warning() != null) {
            pw.println("warning: " + plan.warning());
        }
        pw.printf("wrote %s, %s and %s under %s%n", RewindExport.ADAPTER_DIR + "/", RewindExport.MODEL_DIR + "/",
                RewindExport.PLAN_FILE, out);
        pw.flush();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("strategy", options.label());
        doc.put("method", adapter.config().method().cliName());
        doc.put("rho_star", Double.isNaN(plan.rhoStar()) ? null : plan.rhoStar());
        doc.put("depth", plan.depth());
        doc.put("reference_layers", plan.referenceLayers());
        doc.put("cayley_alpha", Double.isNaN(plan.cayleyAlpha()) ? null : plan.cayleyAlpha());
        doc.put("warning", plan.warning());
        doc.put("layers", rows);
        doc.put("dtype", written.hfName());
        doc.put("out", out.toString());
        json.emit(spec.commandLine().getOut(), doc);
        return 0;
    }
}
