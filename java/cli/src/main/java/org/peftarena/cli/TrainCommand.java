package org.peftarena.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.formats.io.FileTrees;
import org.peftarena.formats.io.OutputDirectory;
import org.peftarena.formats.io.OutputDirectoryException;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.Autocast;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.Threads;
import org.peftarena.peft.PeftConfig;
import org.peftarena.train.sft.DefaultLearningRates;
import org.peftarena.train.sft.SftBatches;
import org.peftarena.train.sft.SftCheckpoints;
import org.peftarena.train.sft.SftDataset;
import org.peftarena.train.sft.SftExample;
import org.peftarena.train.sft.SftOptions;
import org.peftarena.train.sft.PromptTemplate;
import org.peftarena.train.sft.SftResult;
import org.peftarena.train.sft.SftTrainer;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.TrainingDivergedException;
import org.peftarena.train.TrainingStoppedException;
import org.peftarena.train.rl.RewardException;
import org.peftarena.train.WarmupCosineSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Supervised finetuning of a Hugging Face model directory with one PEFT method. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Finetune a model (HF directory) with a PEFT method, supervised on prompt/response data (--regime sft) or by "
                + "GRPO on prompt/answer problems with a verifiable reward (--regime rl); writes an HF PEFT adapter (or a full model).")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    /** The device the model trains on, once {@code --device} is checked. */
    DeviceOption.Device where = DeviceOption.Device.CPU;

    @Option(names = "--base", required = true, paramLabel = "DIR", description = "Base model directory (config.json, safetensors, tokenizer.json).")
    Path base;

    @Mixin
    MethodOptionsMixin method;

    @Option(names = "--data", required = true, paramLabel = "FILE|builtin:NAME",
            description = "SFT: JSONL with {\"prompt\",\"response\"} or {\"text\"} per line, or builtin:addition; "
                    + "RL: JSONL with {\"prompt\",\"answer\"} per line, or builtin:arithmetic.")
    String data;

    @Option(names = "--regime", defaultValue = "sft", paramLabel = "sft|rl",
            description = "Training regime: sft (supervised) or rl (GRPO with a verifiable reward; default ${DEFAULT-VALUE}).")
    String regime;

    @Mixin
    RlTrainOptions rl;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (adapter or model, checkpoints/).")
    Path out;

    @Option(names = "--steps", defaultValue = "200", description = "Optimizer steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", description = "Peak learning rate (default: a per-method value for small models; under --regime rl a tenth of the SFT one).")
    Double lr;

    @Option(names = "--batch-size", defaultValue = "" + SftOptions.DEFAULT_BATCH_SIZE, description = "Sequences per micro-batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per optimizer step (default ${DEFAULT-VALUE}).")
    int gradAccum;

    @Option(names = "--max-length", defaultValue = "" + SftOptions.DEFAULT_MAX_LENGTH, description = "Longest sequence in tokens (default ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--weight-decay", defaultValue = "" + AdamWConfig.DEFAULT_WEIGHT_DECAY, description = "AdamW weight decay (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--warmup", defaultValue = "" + WarmupCosineSchedule.DEFAULT_WARMUP_FRACTION, description = "Warm-up share of the steps (default ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--clip", defaultValue = "" + GradientClipper.DEFAULT_MAX_NORM, description = "Gradient clipping norm (default ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of data order and adapter initialisation (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "K", description = "Save a checkpoint every K steps (0: only the final result).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from the last checkpoint in --out.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace a non-empty --out (the new run is swapped in once it finishes).")
    boolean overwrite;

    @Option(names = "--log-every", defaultValue = "10", paramLabel = "N", description = "When stderr is not a terminal, print a progress line every N steps (default ${DEFAULT-VALUE}; 0: none); on a terminal a bar is redrawn in place.")
    int logEvery;

    @Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--template", defaultValue = "auto", paramLabel = "auto|chat|default|none",
            description = "How prompt and response become text: chat (the model's chat template from tokenizer_config.json "
                    + "or chat_template.jinja), default ('### Instruction:\\n<prompt>\\n\\n### Response:\\n<response>'), "
                    + "none (joined as they are); auto (the default) is chat when the model has one, else default.")
    String template;

    @Option(names = "--base-dtype", defaultValue = "auto", paramLabel = "auto|float32",
            description = "How the frozen base model is held while adapters train (SFT): auto (the default) keeps a bfloat16 or "
                    + "float16 checkpoint in its stored dtype, memory-mapped and computed in float32 with one layer widened at a time, "
                    + "for lora, ia3 and miss; float32 widens every weight to float32 first. Other methods and full finetuning always "
                    + "train on float32 weights.")
    String baseDtype;

    @Option(names = "--autocast", defaultValue = "none", paramLabel = "none|bf16",
            description = "Mixed precision of the forward passes (SFT; RL, rollouts included): none (the default: float32 "
                    + "throughout) or bf16 (LibTorch's autocast: matrix products in bfloat16, norms, softmax, log-probabilities and "
                    + "the loss in float32; parameters, gradients and optimizer state stay float32).")
    String autocast;

    @Option(names = "--gradient-checkpointing", description = "Keep only each decoder block's input between the forward and the "
            + "backward pass and recompute the block there (SFT and RL); a frozen bfloat16/float16 output head over a large "
            + "vocabulary also enters the loss one slice at a time instead of as a whole float32 copy. A lower peak memory for "
            + "about one more forward pass per step. Results are those of a run without it: bit for bit, except for the "
            + "rounding of the sliced loss's sums.")
    boolean gradientCheckpointing;

    @Option(names = "--dry-run", description = "Print the template and the exact text of the first examples, then stop "
            + "(nothing is trained or written).")
    boolean dryRun;

    /** Examples shown by --dry-run. */
    static final int DRY_RUN_EXAMPLES = 3;

    @Override
    public Integer call() throws Exception {
        where = device.requireForModel(spec);
        Threads.configureDefaults();
        if (!regime.equals("sft") && !regime.equals("rl")) {
            throw new ParameterException(spec.commandLine(), "--regime must be sft or rl, got '" + regime + "'");
        }
        PromptTemplate.Kind templateKind = PromptTemplate.Kind.parse(template);
        if (!baseDtype.equals("auto") && !baseDtype.equals("float32")) {
            throw new ParameterException(spec.commandLine(), "--base-dtype must be auto or float32, got '" + baseDtype + "'");
        }
        try {
            Autocast.parse(autocast); // checked here, used where the recipe is built
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--autocast must be none or bf16, got '" + autocast + "'");
        }
        if (dryRun) {
            if (regime.equals("rl")) {
                throw new ParameterException(spec.commandLine(), "--dry-run shows SFT examples; it does not apply to --regime rl");
            }
            return dryRun(templateKind);
        }
        if (resume && overwrite) {
            throw new ParameterException(spec.commandLine(), "--resume and --overwrite exclude each other");
        }
        List<Path> inputs = new ArrayList<>(List.of(base));
        if (!data.startsWith("builtin:")) {
            inputs.add(Path.of(data));
        }
        boolean fresh = !resume && OutputDirectory.isEmptyOrAbsent(out);
        if (!resume && !fresh && !overwrite) {
            throw new OutputDirectoryException(out + " is not empty; pass --resume to continue its run or --overwrite to replace it");
        }
        OutputDirectory.check(out, true, inputs);
        boolean created = !Files.exists(out);
        // a replaced run trains aside and is swapped in at the end; a fresh or resumed one trains in place so
        // that its checkpoints stay resumable after a crash
        try (OutputDirectory staged = fresh || resume ? null : OutputDirectory.prepare(out, true, inputs)) {
            Path dir = staged != null ? staged.staging() : out;
            if (staged == null) {
                OutputDirectory.requireWritable(out);
            }
            boolean done = false;
            try {
                Integer code = train(dir);
                if (staged != null) {
                    staged.commit();
                }
                done = true;
                return code;
            } catch (TrainingDivergedException | RewardException failure) {
                if (staged == null) {
                    throw failure;
                }
                done = keepFailedRun(staged);
                throw new TrainingDivergedException(done
                        ? failure.getMessage().replace(staged.staging().toString(), out.toString())
                        : failure.getMessage() + "; " + out + " was left as it was");
            } catch (TrainingStoppedException stop) {
                if (staged != null && stop.checkpoint() != null) {
                    staged.commit(); // --overwrite asked for this run; keep it resumable
                }
                done = stop.checkpoint() != null;
                PrintWriter err = spec.commandLine().getErr();
                err.printf("stopped after step %d by a termination signal%s%n", stop.step(), stop.checkpoint() == null ? ""
                        : "; checkpoint " + stop.checkpoint().getFileName() + " saved; continue with --resume --out " + out);
                err.flush();
                return Main.EXIT_TERMINATED;
            } finally {
                if (!done && created && SftCheckpoints.latest(out).isEmpty()) {
                    FileTrees.delete(out);
                }
            }
        }
    }

    /**
     * A replacing run (--overwrite) that diverged or collapsed keeps what it checkpointed: when its staging
     * directory holds checkpoints (good ones, or ones set aside as collapsed) it replaces --out, as a stopped run
     * does, so that the checkpoint its error names exists and --resume continues from it.
     *
     * @return whether the staging directory was committed
     */
    private static boolean keepFailedRun(OutputDirectory staged) throws IOException {
        Path checkpoints = staged.staging().resolve(SftCheckpoints.DIR);
        if (OutputDirectory.isEmptyOrAbsent(checkpoints)) {
            return false;
        }
        staged.commit();
        return true;
    }

    /** The peak learning rate: --lr, else the method's default, with a warning when the model is too large for it. */
    private double learningRate(PeftConfig config) throws IOException {
        if (lr != null) {
            return lr;
        }
        int hidden = LlamaConfig.load(base.resolve(HfModelDirectory.CONFIG_FILE)).hiddenSize();
        DefaultLearningRates.largeModelWarning(config.method(), hidden).ifPresent(msg -> {
            spec.commandLine().getErr().println("warning: " + msg);
            spec.commandLine().getErr().flush();
        });
        return DefaultLearningRates.forMethod(config.method());
    }

    /** What --dry-run shows, as text, or as one JSON document with --json. */
    private Integer dryRun(PromptTemplate.Kind kind) throws Exception {
        PromptTemplate t = PromptTemplate.forModel(base, kind);
        List<SftExample> examples = SftDataset.load(data, seed);
        double rate = learningRate(method.options().configFor(method.parsedMethod()));
        PrintWriter w = json.replacesText() ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getOut();
        w.printf("learning rate: %s%n", rate);
        w.printf("template: %s%n", t.describe());
        List<Map<String, Object>> shown = new ArrayList<>();
        try (TextTokenizer tokenizer = Tokenizers.load(base)) {
            boolean bos = tokenizer.bosId().isPresent();
            boolean eos = tokenizer.eosId().isPresent();
            for (int i = 0; i < Math.min(DRY_RUN_EXAMPLES, examples.size()); i++) {
                SftExample e = t.apply(examples.get(i));
                int promptTokens = tokenizer.encode(e.prompt()).length;
                int responseTokens = tokenizer.encode(e.response()).length;
                w.printf("example %d of %d:%n", i + 1, examples.size());
                w.printf("  prompt (not scored): %s%n", quoted(e.prompt()));
                w.printf("  response (scored):   %s%n", quoted(e.response()));
                w.printf("  tokens: %s%d prompt + %d response%s%n", bos ? "BOS + " : "", promptTokens, responseTokens,
                        eos ? " + EOS" : "");
                Map<String, Object> example = new LinkedHashMap<>();
                example.put("prompt", e.prompt());
                example.put("response", e.response());
                example.put("bos", bos);
                example.put("prompt_tokens", promptTokens);
                example.put("response_tokens", responseTokens);
                example.put("eos", eos);
                shown.add(example);
            }
        }
        w.flush();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("learning_rate", rate);
        doc.put("template", t.kind().cliName());
        doc.put("template_description", t.describe());
        doc.put("examples_total", examples.size());
        doc.put("examples", shown);
        json.emit(spec.commandLine().getOut(), doc);
        return 0;
    }

    /** The text as a JSON string: every character visible, nothing left to guess. */
    private static String quoted(String text) throws JsonProcessingException {
        return QUOTER.writeValueAsString(text);
    }

    private static final ObjectMapper QUOTER = new ObjectMapper();

    private Integer train(Path outDir) throws Exception {
        if (regime.equals("rl")) {
            return RlTrainRun.run(this, outDir);
        }
        PeftConfig config = method.options().configFor(method.parsedMethod());
        double peak = learningRate(config);
        SftOptions options = new SftOptions(steps, batchSize, gradAccum, maxLength,
                new AdamWConfig(peak, AdamWConfig.DEFAULT_BETA1, AdamWConfig.DEFAULT_BETA2, AdamWConfig.DEFAULT_EPSILON, weightDecay),
                warmup, clip, seed, checkpointEvery, Autocast.parse(autocast));
        PromptTemplate prompts = PromptTemplate.forModel(base, PromptTemplate.Kind.parse(template));
        List<SftExample> examples = prompts.applyAll(SftDataset.load(data, seed));
        LlamaModel model = Float32Models.forTraining(base, config.method(), baseDtype.equals("float32")).moveTo(where.torch());
        model.setGradientCheckpointing(gradientCheckpointing);
        PrintWriter outWriter = spec.commandLine().getOut();
        SftResult result;
        StatusLines status = TrainingStatus.on(spec.commandLine().getErr());
        try (TextTokenizer tokenizer = Tokenizers.load(base)) {
            SftBatches batches = new SftBatches(examples, tokenizer, maxLength, batchSize, seed);
            result = TrainingStatus.run(status, () -> SftTrainer.train(model, batches, config, method.targetModules(),
                    options, new SftTrainer.Output(outDir, resume, base.toAbsolutePath().toString()),
                    TrainingStatus.everySteps(status, logEvery)));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("method", config.method().cliName());
        summary.put("config", Json.config(config));
        summary.put("trainable_parameters", result.model().trainableCount());
        summary.put("steps", steps);
        summary.put("resumed_from", result.resumedFrom());
        summary.put("learning_rate", peak);
        summary.put("template", prompts.kind().cliName());
        summary.put("autocast", options.autocast().cliName());
        summary.put("gradient_checkpointing", gradientCheckpointing);
        summary.put("device", where.toString());
        summary.put("first_loss", result.losses().get(0));
        summary.put("final_loss", result.losses().get(result.losses().size() - 1));
        summary.put("tokens_per_second", Math.round(result.tokensPerSecond()));
        summary.put("seconds", Math.round(result.seconds() * 10) / 10.0);
        summary.put("out", out.toString());
        json.emit(outWriter, summary);
        if (!json.replacesText()) {
            Map<String, Object> text = new LinkedHashMap<>(summary);
            text.put("config", config.toString());
            text.forEach((k, v) -> outWriter.printf("%-22s %s%n", k, v));
        }
        outWriter.flush();
        return 0;
    }
}
