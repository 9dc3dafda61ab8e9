package org.peftarena.arena.spec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.arena.eval.EvaluationSettings;

/**
 * Everything that determines one run's result, and nothing else: a serialisable unit that any
 * executor (local, sharded, remote) turns into a {@link RunResult} and an artifact folder. The
 * SHA-256 of its canonical JSON without {@code base_model} is the run's configuration hash; the run
 * id is readable plus a prefix of that hash. The base model enters the hash by its content
 * ({@code base_model_fingerprint}), never by its path, so a moved or copied work directory, or a
 * host that mounts the files elsewhere, plans the same runs.
 *
 * @param kind                 base evaluation or finetuning
 * @param baseModel            base model directory: absolute, or relative to the work directory in
 *                             {@code plan.json} when the model lies inside it; not part of the hash
 * @param baseModelFingerprint content hash of the base model's files
 * @param method               method name ({@code base} for base runs)
 * @param size                 rank or block size (0 for methods without one)
 * @param budget               budget band name ({@code base} for base runs, {@code fixed} for methods
 *                             without a size knob)
 * @param budgetParams         the band's parameter budget (0 when none)
 * @param trainableParams      trainable parameters of the method at this size
 * @param target               target task
 * @param general              general-suite tasks
 * @param seed                 training seed (0 for base runs)
 * @param targetModules        linear layers adapters attach to
 * @param training             the recipe, null for base runs
 * @param evaluation           how the model is scored
 * @param data                 task name to a fingerprint of its data
 * @param baseRunId            id of the base run holding the reference scores (null for base runs)
 * @param extraTasks           tasks scored and reported per task but part of neither Target nor General (e.g.
 *                             one the base model scores at chance); left out of the JSON when empty
 * @param loraAlpha            {@code lora_alpha} of methods that have one (LoRA, DoRA, AdaLoRA), or null for the
 *                             method's default; left out of the JSON when null
 * @param rl                   the GRPO recipe of a run of an RL grid (its base runs included), null for SFT
 *                             grids; left out of the JSON when null, so SFT runs keep their ids
 * @param device               {@value #CUDA} for a run whose models run on a CUDA device (the executor's), null
 *                             for the CPU; left out of the JSON when null, so CPU runs keep their ids, and part of
 *                             the hash otherwise: GPU results differ in rounding and are never taken for CPU ones
 */
public record RunSpec(RunKind kind, String baseModel, String baseModelFingerprint, String method, int size,
                      String budget, long budgetParams, long trainableParams, String target, List<String> general,
                      long seed, List<String> targetModules, RunTraining training, EvaluationSettings evaluation,
                      Map<String, String> data, String baseRunId,
                      @com.fasterxml.jackson.annotation.JsonInclude(
                              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY) List<String> extraTasks,
                      @com.fasterxml.jackson.annotation.JsonInclude(
                              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Double loraAlpha,
                      @com.fasterxml.jackson.annotation.JsonInclude(
                              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) RunRl rl,
                      @com.fasterxml.jackson.annotation.JsonInclude(
                              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String device) {
    /** The {@link #device} of runs on a CUDA device. */
    public static final String CUDA = "cuda";

    /** A run on the CPU. */
    public RunSpec(RunKind kind, String baseModel, String baseModelFingerprint, String method, int size, String budget,
                   long budgetParams, long trainableParams, String target, List<String> general, long seed,
                   List<String> targetModules, RunTraining training, EvaluationSettings evaluation,
                   Map<String, String> data, String baseRunId, List<String> extraTasks, Double loraAlpha, RunRl rl) {
        this(kind, baseModel, baseModelFingerprint, method, size, budget, budgetParams, trainableParams, target, general,
                seed, targetModules, training, evaluation, data, baseRunId, extraTasks, loraAlpha, rl, null);
    }

    /** A run of an SFT grid. */
    public RunSpec(RunKind kind, String baseModel, String baseModelFingerprint, String method, int size, String budget,
                   long budgetParams, long trainableParams, String target, List<String> general, long seed,
                   List<String> targetModules, RunTraining training, EvaluationSettings evaluation,
                   Map<String, String> data, String baseRunId, List<String> extraTasks, Double loraAlpha) {
        this(kind, baseModel, baseModelFingerprint, method, size, budget, budgetParams, trainableParams, target, general,
                seed, targetModules, training, evaluation, data, baseRunId, extraTasks, loraAlpha, null);
    }

    /** A run without extra tasks. */
    public RunSpec(RunKind kind, String baseModel, String baseModelFingerprint, String method, int size, String budget,
                   long budgetParams, long trainableParams, String target, List<String> general, long seed,
                   List<String> targetModules, RunTraining training, EvaluationSettings evaluation,
                   Map<String, String> data, String baseRunId) {
        this(kind, baseModel, baseModelFingerprint, method, size, budget, budgetParams, trainableParams, target, general,
                seed, targetModules, training, evaluation, data, baseRunId, List.of(), null, null);
    }

    /** Regime name of SFT runs in ids and reports. */
    public static final String SFT = "sft";
    /** Regime name of RL runs in ids and reports. */
    public static final String RL = "rl";

    /** {@value #RL} when the spec has an RL recipe, else {@value #SFT}. */
    public String regime() {
        return rl == null ? SFT : RL;
    }

    /** Method name of base runs. */
    public static final String BASE_METHOD = "base";
    /** Budget band of methods without a size knob. */
    public static final String FIXED_BUDGET = "fixed";

    /** Copies the collections (maps sorted, so the canonical JSON is stable). */
    public RunSpec {
        general = List.copyOf(general);
        extraTasks = extraTasks == null ? List.of() : List.copyOf(extraTasks);
        targetModules = List.copyOf(targetModules);
        data = new TreeMap<>(data);
        if ((kind == RunKind.FINETUNE) != (training != null)) {
            throw new IllegalArgumentException("finetuning runs need a training recipe, other runs none");
        }
        if (device != null && !device.equals(CUDA)) {
            throw new IllegalArgumentException("a run's device is " + CUDA + " or null (the CPU), got '" + device + "'");
        }
    }

    /** Tasks evaluated: the target, then the general suite, then the extra tasks. */
    public List<String> evaluationTasks() {
        return java.util.stream.Stream.of(List.of(target), general, extraTasks).flatMap(List::stream).toList();
    }

    /** Field of the canonical JSON left out of the hash: where the base model lies. */
    static final String BASE_MODEL_FIELD = "base_model";

    /** SHA-256 of the canonical JSON without the base model's path, in hex. */
    public String configHash() {
        com.fasterxml.jackson.databind.node.ObjectNode json = RunSpecJson.MAPPER.valueToTree(this);
        json.remove(BASE_MODEL_FIELD);
        return RunSpecJson.sha256(RunSpecJson.canonical(json));
    }

    /** This spec with the base model at another path (same id: the path is not part of the hash). */
    public RunSpec withBaseModel(String path) {
        return new RunSpec(kind, path, baseModelFingerprint, method, size, budget, budgetParams, trainableParams,
                target, general, seed, targetModules, training, evaluation, data, baseRunId, extraTasks, loraAlpha, rl,
                device);
    }

    /** This spec on another device ({@value #CUDA}, or null for the CPU): another run, with its own id. */
    public RunSpec withDevice(String device) {
        return new RunSpec(kind, baseModel, baseModelFingerprint, method, size, budget, budgetParams, trainableParams,
                target, general, seed, targetModules, training, evaluation, data, baseRunId, extraTasks, loraAlpha, rl,
                device);
    }

    /** Whether the run's models run on a CUDA device. */
    public boolean onCuda() {
        return CUDA.equals(device);
    }

    /**
     * Readable id: {@code rl-} for runs of an RL grid, method, budget, target, learning rate
     * ({@code lr0.005}), seed and the first 10 hex digits of the hash.
     */
    public String id() {
        String h = configHash().substring(0, 10);
        String regime = rl == null ? "" : RL + "-";
        if (kind == RunKind.BASE) {
            return "base-" + regime + target + "-" + h;
        }
        String lr = training == null ? "" : "-lr" + learningRateLabel(training.learningRate());
        return regime + method + "-" + budget + "-" + target + lr + "-s" + seed + "-" + h;
    }

    /** A learning rate as a short plain decimal ({@code 0.005}, {@code 0.0003}), for ids and tables. */
    public static String learningRateLabel(double learningRate) {
        return new java.math.BigDecimal(Double.toString(learningRate)).stripTrailingZeros().toPlainString();
    }
}
