package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.registry.ResultRows;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.InterpolationPath;
import org.peftarena.analysis.interp.InterpolationPaths;
import org.peftarena.analysis.interp.ModelScorer;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.Overshoot;
import org.peftarena.analysis.interp.PathEvaluator;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.analysis.interp.PathPoint;
import org.peftarena.analysis.rewind.PostHocOptions;
import org.peftarena.analysis.rewind.RewindEvaluator;
import org.peftarena.analysis.rewind.RewindOptions;
import org.peftarena.analysis.rewind.RewindOutcome;
import org.peftarena.arena.config.InterpolationSettings;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.eval.TaskEvaluator;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.scores.ArenaScores;
import org.peftarena.arena.scores.AxisStandardErrors;
import org.peftarena.arena.eval.ItemCounts;
import org.peftarena.arena.eval.TaskScore;
import org.peftarena.train.data.DataSplit;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.kernels.Backend;
import org.peftarena.kernels.KernelOps;
import org.peftarena.peft.oft.OftMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The post-hoc stage of a finished finetuning run: scores its interpolation path (the path its
 * method needs: Cayley for OFT, adapter scaling for additive adapters, dense for full finetuning)
 * with the run's own evaluation (same tasks and settings as its final scores; the base run's scores
 * are reused at alpha = 0 and the run's final scores at alpha = 1), selects the operating point,
 * and for OFT scores the rewound models. The result goes to {@code posthoc.json} (atomically) and
 * then to the registry; a run whose file answers the current settings is not recomputed.
 */
public final class PostHocStage {
    /** Registry setting holding the interpolation settings the report's overshoot table uses. */
    public static final String SETTINGS = "interpolation_settings";

    private static final Logger LOG = LoggerFactory.getLogger(PostHocStage.class);

    /** What {@link #ensure} did. */
    public enum Outcome {
        /** The stage is switched off. */
        DISABLED,
        /** Not a finetuning run. */
        NOT_APPLICABLE,
        /** Its file answered the settings already (its registry rows were re-stored from it). */
        SKIPPED,
        /** Computed now. */
        COMPUTED
    }

    private final TaskCatalog catalog;
    private final InterpolationSettings settings;
    private final boolean reuseEndpoints;
    private final Map<String, TaskEvaluator> evaluators = new HashMap<>();
    private final Map<String, ModelScores> baseValidation = new HashMap<>();
    private KernelOps kernels;

    /**
     * @param catalog  the arena's tasks
     * @param settings the interpolation settings
     */
    public PostHocStage(TaskCatalog catalog, InterpolationSettings settings) {
        this(catalog, settings, true);
    }

    /**
     * @param reuseEndpoints reuse the stored base and final scores at alpha 0 and 1 (false scores them again,
     *                       which checks that the path reproduces both ends)
     */
    public PostHocStage(TaskCatalog catalog, InterpolationSettings settings, boolean reuseEndpoints) {
        this.catalog = catalog;
        this.settings = settings;
        this.reuseEndpoints = reuseEndpoints;
    }

    /** What a file must have been computed with to be reused: grid, path, baseline, rewinding. */
    public static String key(InterpolationSettings s) {
        return "alphas=" + s.grid().values() + ";path=" + s.path() + ";dense_baseline=" + s.denseBaseline()
                + ";rewinding=" + s.rewinding() + ";selection=validation;reference_fraction=" + s.referenceFraction();
    }

    /**
     * Makes sure a finished run has its post-hoc results, in its folder and in the registry.
     *
     * @param spec     the run
     * @param runDir   its artifact folder (holding {@code model/})
     * @param registry the registry (base and final scores are read from it; the results are stored in it)
     * @param listener progress
     * @throws IOException when the model or adapter cannot be read or the file cannot be written
     */
    public Outcome ensure(RunSpec spec, Path runDir, RunRegistry registry, RunListener listener) throws IOException {
        if (!settings.enabled()) {
            return Outcome.DISABLED;
        }
        if (spec.kind() != RunKind.FINETUNE) {
            return Outcome.NOT_APPLICABLE;
        }
        registry.putSetting(SETTINGS, RunSpecJson.canonical(settings));
        PostHocArtifact done = reusable(spec, runDir);
        Outcome outcome = Outcome.SKIPPED;
        if (done == null) {
            ModelScores baseScores = reuseEndpoints && spec.baseRunId() != null ? stored(registry, spec.baseRunId(), spec) : null;
            ModelScores finalScores = reuseEndpoints ? stored(registry, spec.id(), spec) : null;
            done = compute(spec, runDir, baseScores, finalScores, listener, key(settings));
            done.write(runDir);
            outcome = Outcome.COMPUTED;
        }
        registry.replacePhases(spec.id(), PostHocArtifact.PHASE_PREFIX, done.rows());
        return outcome;
    }

    /**
     * Makes sure a finished run has its post-hoc results in its folder, without a registry: the end
     * points are given (as {@link #endpoint} makes them from result rows).
     *
     * @param baseScores the base run's final scores, or null to score alpha = 0 here
     * @param finalScores the run's final scores, or null to score alpha = 1 here
     * @return the results, or null when the stage is off or the run is not a finetuning run
     */
    public PostHocArtifact ensureInFolder(RunSpec spec, Path runDir, ModelScores baseScores, ModelScores finalScores,
                                          RunListener listener) throws IOException {
        if (!settings.enabled() || spec.kind() != RunKind.FINETUNE) {
            return null;
        }
        PostHocArtifact done = reusable(spec, runDir);
        if (done == null) {
            done = compute(spec, runDir, reuseEndpoints ? baseScores : null, reuseEndpoints ? finalScores : null,
                    listener, key(settings));
            done.write(runDir);
        }
        return done;
    }

    private PostHocArtifact reusable(RunSpec spec, Path runDir) throws IOException {
        PostHocArtifact done = PostHocArtifact.read(runDir);
        return done != null && key(settings).equals(done.settingsKey()) && spec.id().equals(done.runId()) ? done : null;
    }

    private PostHocArtifact compute(RunSpec spec, Path runDir, ModelScores baseScores, ModelScores finalScores,
                                    RunListener listener, String key) throws IOException {
        long t0 = System.nanoTime();
        PostHocOptions options = settings.postHocOptions();
        AlphaGrid grid = options.grid();
        AtomicInteger evaluations = new AtomicInteger();
        TaskEvaluator evaluator = evaluator(spec);
        boolean validates = evaluator.hasValidation(spec.evaluationTasks());
        if (!validates) {
            LOG.warn("{}: a task has no validation split; its operating point is selected on test scores", spec.id());
        }
        ModelScorer scorer = new ModelScorer() {
            @Override
            public ModelScores score(LlamaModel model) {
                evaluations.incrementAndGet();
                listener.phase("post-hoc: scoring model " + evaluations.get());
                return scores(spec, evaluator.evaluate(model, spec.evaluationTasks(), DataSplit.TEST));
            }

            @Override
            public ModelScores validate(LlamaModel model) {
                evaluations.incrementAndGet();
                listener.phase("post-hoc: scoring model " + evaluations.get() + " (validation)");
                return scores(spec, evaluator.evaluate(model, spec.evaluationTasks(), DataSplit.VALIDATION));
            }

            @Override
            public boolean hasValidation() {
                return validates;
            }
        };
        listener.phase("post-hoc: loading " + Path.of(spec.baseModel()).getFileName());
        LlamaModel base = RunDevices.load(Path.of(spec.baseModel()), spec);
        // The base model's validation scores (alpha 0 of every path) are taken once per process and, like its
        // test scores, not counted among this run's evaluations: a run's artifact is the same whether it ran
        // alone (a Slurm task) or after other runs in one arena.
        ModelScores baseValidation = validates ? baseValidation(spec, base, evaluator, listener) : null;
        Path modelDir = runDir.resolve(RunArtifacts.MODEL_DIR);
        PathKind kind = settings.pathKind();
        List<PathPoint> path;
        List<PathPoint> baseline = List.of();
        List<RewindOutcome> rewinding = List.of();
        if (PeftMethod.parse(spec.method()).wholeModel()) {
            var tuned = RunDevices.load(modelDir, spec).weights();
            path = points(InterpolationPaths.openTuned(base, tuned, kind, grid), scorer, baseScores, finalScores,
                    baseValidation);
        } else {
            AdapterCheckpoint adapter = AdapterIO.load(modelDir);
            boolean oft = OftMethod.ID.equals(adapter.config().method());
            path = points(InterpolationPaths.open(base, adapter, kind, grid, kernels(oft)), scorer, baseScores,
                    finalScores, baseValidation);
            if (oft && options.denseBaseline() && path.get(0).path() != PathKind.DENSE) {
                baseline = points(InterpolationPaths.open(base, adapter, PathKind.DENSE, grid, kernels(true)), scorer,
                        baseScores, finalScores, baseValidation);
            }
            if (oft && !options.rewinding().isEmpty()) {
                rewinding = rewound(spec, adapter, options.rewinding(), scorer);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        LOG.info("post-hoc stage of {}: {} models scored in {} s", spec.id(), evaluations.get(),
                String.format(java.util.Locale.ROOT, "%.1f", seconds));
        return PostHocArtifact.of(spec.id(), key, path, baseline, Overshoot.select(path, options.overshoot()), rewinding,
                evaluations.get(), seconds);
    }

    /**
     * Scores each rewound adapter merged into one fresh copy of the base model
     * ({@link RewindEvaluator}: merge, score, put the base weights back), at the base model's
     * evaluation cost (an unmerged OFT adapter rotates every forward pass).
     */
    private List<RewindOutcome> rewound(RunSpec spec, AdapterCheckpoint adapter, List<RewindOptions> recipes,
                                        ModelScorer scorer) throws IOException {
        LlamaModel model = RunDevices.load(Path.of(spec.baseModel()), spec);
        model.setTrainable(n -> false);
        return RewindEvaluator.evaluate(model, adapter, recipes, scorer, kernels(true));
    }

    private static List<PathPoint> points(InterpolationPath opened, ModelScorer scorer, ModelScores base,
                                          ModelScores fin, ModelScores baseValidation) {
        try (InterpolationPath p = opened) {
            return PathEvaluator.evaluate(p, scorer, base, fin, baseValidation);
        }
    }

    /** Target, General and their standard errors (documents or problems as clusters) of one evaluation. */
    static ModelScores scores(RunSpec spec, Map<String, TaskScore> scored) {
        return ArenaScores.modelScores(scored, spec.target(), spec.general());
    }

    /** The base model's validation scores (alpha 0 of every path), taken on the first call of this process. */
    private synchronized ModelScores baseValidation(RunSpec spec, LlamaModel base, TaskEvaluator evaluator,
                                                    RunListener listener) {
        ModelScores v = baseValidation.get(baseKey(spec));
        if (v == null) {
            listener.phase("post-hoc: scoring the base model (validation)");
            v = scores(spec, evaluator.evaluate(base, spec.evaluationTasks(), DataSplit.VALIDATION));
            baseValidation.put(baseKey(spec), v);
        }
        return v;
    }

    private static String baseKey(RunSpec spec) {
        return spec.baseModel() + "|" + spec.evaluation() + "|" + spec.evaluationTasks() + "|" + spec.target();
    }

    /** A run's stored final scores on the spec's axes, or null when the registry has none. */
    private static ModelScores stored(RunRegistry registry, String runId, RunSpec spec) {
        return withErrors(endpoint(registry.scores(runId), spec), registry.itemCounts(runId, ScoreRow.FINAL), spec);
    }

    /**
     * A run's final scores on the spec's axes from its result (as a run unit holds it), with the
     * standard errors of the counts it kept, or null when some task is missing.
     *
     * @param runSpec the run the result belongs to (the base run for alpha = 0)
     * @param result its result
     * @param spec the finetuning run whose axes are wanted
     */
    public static ModelScores endpoint(RunSpec runSpec, RunResult result, RunSpec spec) {
        Map<String, ItemCounts> counts = new TreeMap<>();
        result.scores().forEach((t, v) -> {
            if (v.counts() != null && v.counts().size() > 0) {
                counts.put(t, v.counts());
            }
        });
        return withErrors(endpoint(ResultRows.of(runSpec, result), spec), counts, spec);
    }

    /** The scores with the standard errors of Target and General from the per-item counts behind them. */
    private static ModelScores withErrors(ModelScores s, Map<String, ItemCounts> counts, RunSpec spec) {
        if (s == null) {
            return null;
        }
        return new ModelScores(s.target(), s.general(), s.tasks(), AxisStandardErrors.target(counts, spec.target()),
                AxisStandardErrors.general(counts, spec.general()));
    }

    /**
     * A run's final scores on the spec's axes from its score rows (as the registry stores them), or
     * null when some task is missing.
     */
    public static ModelScores endpoint(List<ScoreRow> rows, RunSpec spec) {
        Map<String, Double> tasks = new TreeMap<>();
        for (ScoreRow r : rows) {
            if (r.phase().equals(ScoreRow.FINAL) && r.metric().equals(ScoreRow.SCORE)
                    && spec.evaluationTasks().contains(r.task())) {
                tasks.put(r.task(), r.value());
            }
        }
        if (!tasks.keySet().containsAll(spec.evaluationTasks())) {
            return null;
        }
        return new ModelScores(tasks.get(spec.target()), ArenaScores.general(tasks, spec.general()), tasks);
    }

    private KernelOps kernels(boolean needed) {
        if (needed && kernels == null) {
            kernels = KernelOps.create(Backend.AUTO);
        }
        return kernels;
    }

    /** The run's evaluation (its tasks' tokenised test sets are kept for the arena's other runs). */
    private TaskEvaluator evaluator(RunSpec spec) throws IOException {
        String k = spec.baseModel() + "|" + spec.evaluation();
        if (!evaluators.containsKey(k)) {
            evaluators.put(k, new TaskEvaluator(catalog, Tokenizers.load(Path.of(spec.baseModel())), spec.evaluation()));
        }
        return evaluators.get(k);
    }
}
