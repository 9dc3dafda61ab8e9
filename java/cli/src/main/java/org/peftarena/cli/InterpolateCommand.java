package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.ExportedPoint;
import org.peftarena.analysis.interp.InterpolationPath;
import org.peftarena.analysis.interp.InterpolationPaths;
import org.peftarena.analysis.interp.ModelScorer;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.OperatingPointRule;
import org.peftarena.analysis.interp.Overshoot;
import org.peftarena.analysis.interp.OvershootOptions;
import org.peftarena.analysis.interp.OvershootResult;
import org.peftarena.analysis.interp.PathEvaluator;
import org.peftarena.analysis.interp.PathExporter;
import org.peftarena.analysis.interp.PathException;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.analysis.interp.PathPoint;
import org.peftarena.analysis.interp.TrainingPathEvaluator;
import org.peftarena.analysis.interp.TrainingPoint;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.arena.eval.TaskEvaluator;
import org.peftarena.arena.scores.ArenaScores;
import org.peftarena.train.data.DataSplit;
import org.peftarena.formats.io.OutputDirectory;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.Threads;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.kernels.Backend;
import org.peftarena.kernels.KernelOps;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Evaluates Target/General along the path from a base model to a finetuned one, or exports one model per alpha. */
@Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Walk from the base model (alpha = 0) to the finetuned one (alpha = 1) and score Target and"
                + " General at every alpha in-engine, or export one Hugging Face checkpoint per alpha for an external"
                + " evaluator (then import-scores). Reports the operating point and whether the run overshoots.",
            "Paths: auto (cayley for OFT, linear otherwise); linear: W0 + alpha dW, by scaling the adapter where the"
                + " method allows; cayley: OFT only, R(alpha) = cayley(sqrt(alpha) Q); dense: W0 + alpha (W1 - W0).",
            "Rules: best-general-within-tolerance (default), best-general-no-target-loss, best-sum."})
final class InterpolateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--base", required = true, paramLabel = "DIR", description = "Base model directory (Hugging Face layout).")
    Path baseDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Finetuned finetuned;

    /** Exactly one of an adapter or a finetuned model. */
    static final class Finetuned {
        @Option(names = "--adapter", paramLabel = "DIR", description = "HF PEFT adapter directory.")
        Path adapter;

        @Option(names = "--tuned", paramLabel = "DIR", description = "Fully finetuned model directory.")
        Path tuned;
    }

    @Option(names = "--alphas", defaultValue = AlphaGrid.DEFAULT_SPEC, paramLabel = "SPEC",
            description = "start:stop:step or a list a,b,c (default ${DEFAULT-VALUE}); values above 1 extrapolate.")
    String alphas;

    @Option(names = "--path", defaultValue = "auto", paramLabel = "KIND", description = "auto, linear, cayley or dense (default ${DEFAULT-VALUE}).")
    String path;

    @Option(names = "--eval", split = ",", paramLabel = "AXES",
            description = "Axes to score in-engine: general,target (the default unless --export is given).")
    List<String> eval;

    @Option(names = "--export", paramLabel = "DIR", description = "Write alpha-<a>/ model directories (in the base model's dtype unless --dtype says otherwise, "
                    + "its config.json keys kept), path.json and scores-template.csv here.")
    Path export;

    @Option(names = "--target", defaultValue = "de", paramLabel = "TASK", description = "Target task (default ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--general", defaultValue = "en,fr,es,addition", split = ",", paramLabel = "TASKS",
            description = "General suite (default ${DEFAULT-VALUE}).")
    List<String> general;

    @Option(names = "--max-tokens", defaultValue = "4096", description = "Scored positions per text task (default ${DEFAULT-VALUE}; 0 = all).")
    long maxTokens;

    @Option(names = "--problems", defaultValue = "100", description = "Problems per generated task (default ${DEFAULT-VALUE}).")
    int problems;

    @Option(names = "--batch-size", defaultValue = "16", description = "Windows or prompts per forward (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--eval-seed", defaultValue = "1234", description = "Seed of the generated test problems (default ${DEFAULT-VALUE}).")
    long evalSeed;

    @Option(names = "--rule", defaultValue = "best-general-within-tolerance", paramLabel = "RULE",
            description = "Operating-point rule (default ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--tolerance", defaultValue = "" + OvershootOptions.DEFAULT_TARGET_TOLERANCE,
            description = "Target points the operating point may lose (default ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--tolerance-se", defaultValue = "" + OvershootOptions.DEFAULT_TOLERANCE_SE, paramLabel = "K",
            description = "Target tolerance in standard errors of the final Target on the validation split; the larger"
                    + " of this and --tolerance applies (default ${DEFAULT-VALUE}).")
    double toleranceSe;

    @Option(names = "--threshold", defaultValue = "" + OvershootOptions.DEFAULT_GENERAL_THRESHOLD,
            description = "General points an earlier point must gain to flag overshoot (default ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--trajectory", paramLabel = "DIR",
            description = "Also score the training checkpoints under DIR (a train --out directory or its checkpoints/) on the same axes.")
    Path trajectory;

    @Option(names = "--run", paramLabel = "NAME", description = "Run name in exports and JSON (default: the adapter's directory name).")
    String run;

    @Option(names = "--backend", defaultValue = "auto", description = "Cayley kernel backend: auto, cpu or cuda (default ${DEFAULT-VALUE}).")
    String backend;

    @picocli.CommandLine.Mixin
    ExportDtypeOption dtype = new ExportDtypeOption();

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--overwrite", description = "Replace the --export directory if it is not empty.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        DeviceOption.Device where = device.requireForModel(spec);
        AlphaGrid grid;
        PathKind kind;
        OvershootOptions overshoot;
        try {
            grid = AlphaGrid.parse(alphas);
            kind = PathKind.parse(path);
            overshoot = new OvershootOptions(OperatingPointRule.parse(rule), tolerance, threshold, toleranceSe);
        } catch (PathException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean scoreTarget = (export == null && eval == null) || (eval != null && eval.contains("target"));
        boolean scoreGeneral = (export == null && eval == null) || (eval != null && eval.contains("general"));
        if (eval != null && eval.stream().anyMatch(a -> !a.equals("target") && !a.equals("general"))) {
            throw new ParameterException(spec.commandLine(), "--eval takes general and/or target, got " + eval);
        }
        Path source = finetuned.adapter != null ? finetuned.adapter : finetuned.tuned;
        ModelDType exportDtype = null;
        if (export == null && spec.commandLine().getParseResult().hasMatchedOption("--dtype")) {
            throw new ParameterException(spec.commandLine(), "--dtype applies to the models --export writes; give --export DIR");
        }
        if (export != null) {
            OutputDirectory.check(export, overwrite, List.of(baseDir, source));
            exportDtype = dtype.resolve(spec, baseDir);
        }
        String runName = run != null ? run : source.toAbsolutePath().normalize().getFileName().toString();
        KernelOps kernels = KernelOps.create(backend(spec, backend));
        Threads.configureDefaults();
        if (trajectory != null && !scoreTarget && !scoreGeneral) {
            throw new ParameterException(spec.commandLine(), "--trajectory needs in-engine evaluation (--eval)");
        }
        ModelScorer scorer = scoreTarget || scoreGeneral ? scorer(scoreTarget, scoreGeneral) : null;
        // the path moves the weights where they are (its Cayley rotations are computed on the host, then moved)
        LlamaModel base = HfModelDirectory.load(baseDir, ModelDType.FLOAT32).moveTo(where.torch());
        // with --json alone the document is all stdout gets
        PrintWriter out = json.replacesText() ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        List<PathPoint> points = List.of();
        PathKind used;
        try (InterpolationPath p = open(base, kind, grid, kernels)) {
            used = p.kind();
            out.printf("%s path (%s), %d alphas%n", used.cliName(), used.description(), grid.size());
            if (export != null) {
                List<ExportedPoint> written;
                try (OutputDirectory dir = OutputDirectory.prepare(export, overwrite, List.of(baseDir, source))) {
                    written = PathExporter.export(p, baseDir, dir.staging(), runName, exportDtype);
                    dir.commit();
                }
                out.printf("exported %d checkpoints to %s (score them, then fill %s for import-scores)%n", written.size(),
                        export, PathExporter.SCORES_TEMPLATE);
            }
            if (scoreTarget || scoreGeneral) {
                points = PathEvaluator.evaluate(p, scorer, null);
            }
        }
        List<TrainingPoint> training = List.of();
        if (trajectory != null) {
            training = TrainingPathEvaluator.evaluate(base, TrainingPathEvaluator.checkpoints(trajectory), scorer);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run", runName);
        report.put("path", used.cliName());
        report.put("points", List.of());
        report.put("operating_point", null);
        report.put("training_path", List.of());
        if (!points.isEmpty()) {
            table(out, points);
            report.put("points", points.stream().map(InterpolateCommand::row).toList());
            if (scoreTarget && scoreGeneral && grid.indexOf(1.0) >= 0) {
                OvershootResult r = Overshoot.select(points, overshoot);
                out.printf("operating point (%s, selected on %s, tolerance %.2f points): alpha %s, dTarget %+.2f,"
                        + " dGeneral %+.2f vs alpha 1 (test split) -> %s%n", overshoot.rule().cliName(), r.selectedOn(),
                        r.tolerance(), AlphaGrid.label(r.alpha()), r.dTarget(), r.dGeneral(),
                        r.overshoot() ? "OVERSHOOT" : "no overshoot");
                report.put("operating_point", operatingPoint(r));
            }
        }
        if (!training.isEmpty()) {
            out.println("training path:");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (TrainingPoint t : training) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("step", t.step());
                r.put("Target", Double.isNaN(t.scores().target()) ? null : t.scores().target());
                r.put("General", Double.isNaN(t.scores().general()) ? null : t.scores().general());
                rows.add(r);
            }
            AnalysisOutput.table(out, rows);
            report.put("training_path", rows);
        }
        out.flush();
        json.emit(spec.commandLine().getOut(), report);
        return 0;
    }

    /** The kernel backend named on the command line, as a usage error when unknown. */
    static Backend backend(CommandSpec spec, String name) {
        for (Backend b : Backend.values()) {
            if (b.name().equalsIgnoreCase(name.trim())) {
                return b;
            }
        }
        throw new ParameterException(spec.commandLine(), "unknown backend '" + name + "'; use auto, cpu or cuda");
    }

    private InterpolationPath open(LlamaModel base, PathKind kind, AlphaGrid grid, KernelOps kernels) throws Exception {
        if (finetuned.adapter != null) {
            return InterpolationPaths.open(base, AdapterIO.load(finetuned.adapter), kind, grid, kernels);
        }
        return InterpolationPaths.openTuned(base, HfModelDirectory.load(finetuned.tuned, ModelDType.FLOAT32)
                .moveTo(base.device()).weights(), kind, grid);
    }

    /** Target/General through the arena's task evaluation, on the tasks asked for. */
    private ModelScorer scorer(boolean withTarget, boolean withGeneral) throws Exception {
        if (!Files.isRegularFile(baseDir.resolve(Tokenizers.TOKENIZER_JSON))) {
            throw new ParameterException(spec.commandLine(), baseDir + " has no " + Tokenizers.TOKENIZER_JSON
                    + "; in-engine evaluation needs the tokenizer (or use --export)");
        }
        TaskCatalog catalog = new TaskCatalog(Map.of(), problems, evalSeed);
        TaskEvaluator evaluator = new TaskEvaluator(catalog, Tokenizers.load(baseDir),
                new EvaluationSettings(maxTokens, problems, 0, batchSize, evalSeed, 0));
        List<String> tasks = new ArrayList<>();
        if (withTarget) {
            tasks.add(target);
        }
        if (withGeneral) {
            general.stream().filter(t -> !tasks.contains(t)).forEach(tasks::add);
        }
        boolean validates = evaluator.hasValidation(tasks);
        String t = withTarget ? target : null;
        List<String> g = withGeneral ? general : null;
        return new ModelScorer() {
            @Override
            public ModelScores score(LlamaModel model) {
                return ArenaScores.modelScores(evaluator.evaluate(model, tasks, DataSplit.TEST), t, g);
            }

            // operating points are selected on validation scores, reported on test scores
            @Override
            public ModelScores validate(LlamaModel model) {
                return ArenaScores.modelScores(evaluator.evaluate(model, tasks, DataSplit.VALIDATION), t, g);
            }

            @Override
            public boolean hasValidation() {
                return validates;
            }
        };
    }

    private static void table(PrintWriter out, List<PathPoint> points) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PathPoint p : points) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("alpha", AlphaGrid.label(p.alpha()));
            r.put("u", Double.isNaN(p.updateScale()) ? null : String.format(java.util.Locale.ROOT, "%.3f", p.updateScale()));
            r.put("Target", Double.isNaN(p.target()) ? null : p.target());
            r.put("Target SE", Double.isNaN(p.scores().targetSe()) ? null : p.scores().targetSe());
            r.put("General", Double.isNaN(p.general()) ? null : p.general());
            r.put("General SE", Double.isNaN(p.scores().generalSe()) ? null : p.scores().generalSe());
            p.scores().tasks().forEach((k, v) -> r.put(k, v));
            rows.add(r);
        }
        AnalysisOutput.table(out, rows);
    }

    private static Map<String, Object> row(PathPoint p) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("alpha", p.alpha());
        r.put("update_scale", finite(p.updateScale()));
        r.put("generator_scale", finite(p.generatorScale()));
        r.put("target", finite(p.target()));
        r.put("target_se", finite(p.scores().targetSe()));
        r.put("general", finite(p.general()));
        r.put("general_se", finite(p.scores().generalSe()));
        r.put("validation_target", p.validation() == null ? null : finite(p.validation().target()));
        r.put("validation_general", p.validation() == null ? null : finite(p.validation().general()));
        r.put("tasks", p.scores().tasks());
        return r;
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static Map<String, Object> operatingPoint(OvershootResult r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("rule", r.options().rule().cliName());
        o.put("rule_description", r.options().rule().description());
        o.put("target_tolerance", r.options().targetTolerance());
        o.put("general_threshold", r.options().generalThreshold());
        o.put("tolerance_se", r.options().toleranceSe());
        o.put("tolerance", r.tolerance());
        o.put("selected_on", r.selectedOn());
        o.put("alpha", r.alpha());
        o.put("update_scale", finite(r.selected().updateScale()));
        o.put("generator_scale", finite(r.selected().generatorScale()));
        o.put("target", r.selected().target());
        o.put("general", r.selected().general());
        o.put("d_target", r.dTarget());
        o.put("d_general", r.dGeneral());
        o.put("overshoot", r.overshoot());
        return o;
    }
}
