package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunTraining;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.TrajectoryPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.peftarena.arena.data.RlTaskData;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.train.rl.Rewards;
import org.peftarena.train.rl.RlOptions;
import org.peftarena.train.rl.RlResult;
import org.peftarena.train.rl.RlTrainer;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.arena.eval.TaskEvaluator;
import org.peftarena.arena.eval.TaskScore;
import org.peftarena.arena.scores.ArenaScores;
import org.peftarena.arena.train.TrainingExamples;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.TargetModules;
import org.peftarena.train.sft.SftBatches;
import org.peftarena.train.sft.SftCheckpoints;
import org.peftarena.train.sft.SftOptions;
import org.peftarena.train.sft.SftResult;
import org.peftarena.train.sft.SftTrainer;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingProgress;

/**
 * Runs specs in this JVM on LibTorch, on the CPU or on the run's CUDA device ({@link RunDevices}): loads the
 * base model fresh for every run,
 * finetunes it with the engine's SFT trainer, or GRPO for runs of an RL grid (checkpoints under
 * {@code model/checkpoints}, the final adapter in HF PEFT format under {@code model}),
 * evaluates the merged final model and then the checkpoints (the training trajectory). Tokenised test sets are shared between runs.
 */
public final class LocalRunExecutor implements RunExecutor {
    private final TaskCatalog catalog;
    private final boolean resume;
    private final Map<String, TextTokenizer> tokenizers = new HashMap<>();
    private final Map<String, TaskEvaluator> evaluators = new HashMap<>();

    /** @param catalog the tasks the specs name */
    public LocalRunExecutor(TaskCatalog catalog) {
        this(catalog, false);
    }

    /**
     * @param resume continue training from the latest checkpoint in the artifact folder when there is
     *               one (exact resume), instead of expecting an empty folder
     */
    public LocalRunExecutor(TaskCatalog catalog, boolean resume) {
        this.catalog = catalog;
        this.resume = resume;
    }

    @Override
    public RunResult execute(RunSpec spec, Path artifactDir, RunListener listener) throws IOException {
        long start = System.nanoTime();
        listener.phase("loading " + Path.of(spec.baseModel()).getFileName());
        LlamaModel model = RunDevices.load(Path.of(spec.baseModel()), spec);
        TaskEvaluator evaluator = evaluator(spec.baseModel(), spec.evaluation());
        if (spec.kind() == RunKind.BASE) {
            listener.phase("evaluating the base model");
            long e0 = System.nanoTime();
            Map<String, TaskScore> scores = evaluator.evaluate(model, spec.evaluationTasks());
            double evalSeconds = seconds(e0);
            listener.evaluated(0, ArenaScores.percentages(scores));
            return new RunResult(spec.id(), scores, List.of(), List.of(), 0, 0, evalSeconds, seconds(start), 0,
                    RunDevices.backend(spec), RuntimeInfo.versions(), Map.of(), null);
        }
        RunTraining t = spec.training();
        TextTokenizer tokenizer = tokenizer(spec.baseModel());
        Path modelDir = artifactDir.resolve(RunArtifacts.MODEL_DIR);
        PeftConfig config = methodConfig(spec);
        ProgressListener progress = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress p) {
                listener.step(p);
            }
        };
        Trained trained = spec.rl() != null ? trainRl(spec, model, tokenizer, config, modelDir, progress, listener)
                : trainSft(spec, model, tokenizer, config, modelDir, progress, listener);
        listener.phase("evaluating " + spec.method());
        long e0 = System.nanoTime();
        long trainable = trained.model().trainableCount();
        trained.model().merge(); // the merged model computes the same function at the base model's cost
        trained.model().model().setTrainable(n -> false);
        Map<String, TaskScore> scores = evaluator.evaluate(model, spec.evaluationTasks());
        listener.evaluated(t.steps(), ArenaScores.percentages(scores));
        Map<Integer, String> checkpoints = checkpoints(artifactDir, t.checkpointEvery());
        Map<Integer, Path> absolute = new TreeMap<>();
        checkpoints.forEach((step, rel) -> absolute.put(step, artifactDir.resolve(rel)));
        List<TrajectoryPoint> trajectory = CheckpointTrajectory.evaluate(spec, config, absolute, trained.losses(),
                evaluator, listener);
        return new RunResult(spec.id(), scores, trajectory, trained.losses(), trainable,
                trained.seconds(), seconds(e0), seconds(start), trained.tokens(), RunDevices.backend(spec),
                RuntimeInfo.versions(), checkpoints, RunArtifacts.MODEL_DIR);
    }

    /** What either trainer hands to evaluation: the policy, its losses, its wall time and loss-bearing tokens. */
    private record Trained(org.peftarena.peft.PeftModel model, List<Double> losses, double seconds, long tokens) {
    }

    private Trained trainSft(RunSpec spec, LlamaModel model, TextTokenizer tokenizer, PeftConfig config, Path modelDir,
                             ProgressListener progress, RunListener listener) throws IOException {
        RunTraining t = spec.training();
        listener.phase("preparing " + spec.target() + " training data");
        SftBatches batches = new SftBatches(TrainingExamples.of(catalog.task(spec.target()), tokenizer, t.seqLen()),
                tokenizer, t.seqLen(), t.batchSize(), spec.seed());
        SftOptions options = new SftOptions(t.steps(), t.batchSize(), 1, t.seqLen(),
                new AdamWConfig(t.learningRate(), AdamWConfig.DEFAULT_BETA1, AdamWConfig.DEFAULT_BETA2,
                        AdamWConfig.DEFAULT_EPSILON, t.weightDecay()), t.warmupFraction(), t.maxGradNorm(), spec.seed(),
                t.checkpointEvery());
        listener.phase("training " + spec.method());
        SftResult r = SftTrainer.train(model, batches, config, TargetModules.ofNames(spec.targetModules()),
                options, new SftTrainer.Output(modelDir, resume, spec.baseModel()), progress);
        return new Trained(r.model(), r.losses(), r.seconds(), r.tokens());
    }

    /**
     * GRPO on the target's training problems (checkpoints in the SFT layout, so the trajectory, the
     * post-hoc path, rewinding and diagnostics read them as they read an SFT run's).
     */
    private Trained trainRl(RunSpec spec, LlamaModel model, TextTokenizer tokenizer, PeftConfig config, Path modelDir,
                            ProgressListener progress, RunListener listener) throws IOException {
        RlOptions options = spec.rl().options(spec.training(), spec.seed());
        RlTaskData data = (RlTaskData) catalog.task(spec.target());
        LlamaModel reference = options.klCoef() > 0
                ? RunDevices.load(Path.of(spec.baseModel()), spec) : null;
        listener.phase("training " + spec.method() + " (GRPO)");
        long t0 = System.nanoTime();
        RlResult r = RlTrainer.train(model, reference, tokenizer, data.train(), Rewards.named(Rewards.defaultName()), config,
                TargetModules.ofNames(spec.targetModules()), options,
                new SftTrainer.Output(modelDir, resume, spec.baseModel()), progress);
        return new Trained(r.model(), r.losses(), seconds(t0), r.tokens());
    }

    /** The method's configuration at the spec's size (and {@code lora_alpha}, when the spec sets one). */
    public static PeftConfig methodConfig(RunSpec spec) {
        PeftMethod m = PeftMethod.parse(spec.method());
        if (spec.loraAlpha() != null) {
            return org.peftarena.peft.MethodOptions.DEFAULTS.with(org.peftarena.peft.MethodOption.RANK, spec.size())
                    .with(org.peftarena.peft.lora.LoraMethod.ALPHA, spec.loraAlpha()).configFor(m);
        }
        PeftConfig c = m.defaultConfig();
        return m.knob() == PeftMethod.SizeKnob.NONE ? c : c.withSize(spec.size());
    }

    private synchronized TextTokenizer tokenizer(String baseModel) throws IOException {
        TextTokenizer t = tokenizers.get(baseModel);
        if (t == null) {
            t = Tokenizers.load(Path.of(baseModel));
            tokenizers.put(baseModel, t);
        }
        return t;
    }

    private synchronized TaskEvaluator evaluator(String baseModel, EvaluationSettings settings) throws IOException {
        String key = baseModel + "|" + settings;
        TaskEvaluator e = evaluators.get(key);
        if (e == null) {
            e = new TaskEvaluator(catalog, tokenizer(baseModel), settings);
            evaluators.put(key, e);
        }
        return e;
    }

    /**
     * The periodic checkpoints (every {@code every} steps); one written when training was stopped
     * in between is only there to resume from, so a resumed run has the trajectory of an
     * uninterrupted one.
     */
    private static Map<Integer, String> checkpoints(Path artifactDir, int every) throws IOException {
        Path root = artifactDir.resolve(RunArtifacts.MODEL_DIR).resolve(SftCheckpoints.DIR);
        Map<Integer, String> out = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("step-\\d+") && Files.isRegularFile(p.resolve(SftCheckpoints.STATE_FILE))) {
                    int step = Integer.parseInt(n.substring(5));
                    if (every <= 0 || step % every != 0) {
                        continue;
                    }
                    out.put(step, artifactDir.relativize(p).toString());
                }
            }
        }
        return out;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
