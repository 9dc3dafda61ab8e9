package org.peftarena.arena.config;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.peftarena.arena.data.TaskSource;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.UnknownMethodException;

/**
 * An arena: which base model, which methods at which parameter budgets, on which target domains,
 * with which seeds, trained and evaluated how. Read from YAML or JSON ({@link ArenaConfigLoader})
 * on top of a preset; validated in the constructor.
 *
 * @param name          label of the arena (report titles)
 * @param baseModel     Hugging Face model directory of the base model
 * @param methods       method names ({@code full}, {@code lora}, {@code oft}, ...)
 * @param budgets       parameter budgets methods with a size knob are matched to
 * @param targets       target tasks (plasticity), built-in or declared in {@code tasks}
 * @param general       general-suite tasks (stability); General is their unweighted mean
 * @param seeds         training seeds; every (method, budget, target, learning rate) runs once per seed
 * @param targetModules linear layers adapters attach to (module names)
 * @param training      the finetuning recipe
 * @param evaluation    how models are scored
 * @param tasks         user tasks by name
 * @param interpolation the post-hoc stage of every finetuning run (interpolation path, overshoot, rewinding; null: the defaults)
 * @param diagnostics   geometry diagnostics of every finetuning run (null: the defaults)
 * @param extraTasks    tasks scored and reported per task, part of neither Target nor General (e.g. one the
 *                      base model scores at chance, which would only add noise to General); may be null
 * @param regime        how the runs of this grid are trained: {@code sft} (the default), {@code rl} (GRPO on
 *                      targets of kind {@code rl}) or {@code both} (each target by its kind); null: sft
 * @param rl            the GRPO recipe of the grid's RL runs (null: the defaults)
 * @param device        {@code cuda} to run every model of every run on a CUDA device (the first visible one:
 *                      pick it with {@code CUDA_VISIBLE_DEVICES}), {@code cpu} or null for the CPU; part of each
 *                      run's identity when it is CUDA (see {@link #withDevice})
 */
public record ArenaConfig(String name, String baseModel, List<String> methods, List<BudgetSpec> budgets,
                          List<String> targets, List<String> general, List<Long> seeds, List<String> targetModules,
                          TrainingSettings training, EvaluationSettings evaluation, Map<String, TaskSource> tasks,
                          InterpolationSettings interpolation, DiagnosticsSettings diagnostics,
                          List<String> extraTasks, Regime regime, RlSettings rl,
                          @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String device) {
    /** An arena on the CPU. */
    public ArenaConfig(String name, String baseModel, List<String> methods, List<BudgetSpec> budgets,
                       List<String> targets, List<String> general, List<Long> seeds, List<String> targetModules,
                       TrainingSettings training, EvaluationSettings evaluation, Map<String, TaskSource> tasks,
                       InterpolationSettings interpolation, DiagnosticsSettings diagnostics,
                       List<String> extraTasks, Regime regime, RlSettings rl) {
        this(name, baseModel, methods, budgets, targets, general, seeds, targetModules, training, evaluation, tasks,
                interpolation, diagnostics, extraTasks, regime, rl, null);
    }

    /** An SFT arena. */
    public ArenaConfig(String name, String baseModel, List<String> methods, List<BudgetSpec> budgets,
                       List<String> targets, List<String> general, List<Long> seeds, List<String> targetModules,
                       TrainingSettings training, EvaluationSettings evaluation, Map<String, TaskSource> tasks,
                       InterpolationSettings interpolation, DiagnosticsSettings diagnostics, List<String> extraTasks) {
        this(name, baseModel, methods, budgets, targets, general, seeds, targetModules, training, evaluation, tasks,
                interpolation, diagnostics, extraTasks, null, null);
    }

    /** An arena without extra tasks. */
    public ArenaConfig(String name, String baseModel, List<String> methods, List<BudgetSpec> budgets,
                       List<String> targets, List<String> general, List<Long> seeds, List<String> targetModules,
                       TrainingSettings training, EvaluationSettings evaluation, Map<String, TaskSource> tasks,
                       InterpolationSettings interpolation, DiagnosticsSettings diagnostics) {
        this(name, baseModel, methods, budgets, targets, general, seeds, targetModules, training, evaluation, tasks,
                interpolation, diagnostics, null);
    }

    /** An arena with the default post-hoc stage and diagnostics. */
    public ArenaConfig(String name, String baseModel, List<String> methods, List<BudgetSpec> budgets,
                       List<String> targets, List<String> general, List<Long> seeds, List<String> targetModules,
                       TrainingSettings training, EvaluationSettings evaluation, Map<String, TaskSource> tasks) {
        this(name, baseModel, methods, budgets, targets, general, seeds, targetModules, training, evaluation, tasks,
                null, null);
    }

    /** Validates names and lists. */
    public ArenaConfig {
        interpolation = interpolation == null ? InterpolationSettings.DEFAULT : interpolation;
        if ("cpu".equals(device)) {
            device = null; // the CPU is the default, and CPU runs keep their ids
        }
        if (device != null && !device.equals(org.peftarena.arena.spec.RunSpec.CUDA)) {
            throw new ArenaConfigException("device must be cpu or " + org.peftarena.arena.spec.RunSpec.CUDA + ", got '"
                    + device + "' (pick the GPU with CUDA_VISIBLE_DEVICES)");
        }
        regime = regime == null ? Regime.SFT : regime;
        rl = rl == null ? RlSettings.DEFAULT : rl;
        diagnostics = diagnostics == null ? DiagnosticsSettings.defaults() : diagnostics;
        methods = List.copyOf(require(methods, "methods"));
        budgets = List.copyOf(require(budgets, "budgets"));
        targets = List.copyOf(require(targets, "targets"));
        general = List.copyOf(require(general, "general"));
        seeds = List.copyOf(require(seeds, "seeds"));
        extraTasks = extraTasks == null ? List.of() : List.copyOf(extraTasks);
        targetModules = List.copyOf(require(targetModules, "target_modules"));
        tasks = tasks == null ? Map.of() : new TreeMap<>(tasks);
        if (baseModel == null || baseModel.isBlank()) {
            throw new ArenaConfigException("base_model is required");
        }
        if (name != null) {
            checkName(name);
        }
        if (training == null || evaluation == null) {
            throw new ArenaConfigException("training and evaluation settings are required");
        }
        for (String m : methods) {
            try {
                PeftMethod.parse(m);
            } catch (UnknownMethodException e) {
                throw new ArenaConfigException("methods: " + e.getMessage(), e);
            }
        }
        for (String m : training.perMethod().keySet()) {
            try {
                PeftMethod.parse(m); // entries for methods this arena leaves out are allowed (presets carry some)
            } catch (UnknownMethodException e) {
                throw new ArenaConfigException("training.per_method: " + e.getMessage(), e);
            }
        }
        int every = evaluation.trajectoryEvery();
        if (every > 0 && (training.checkpointEvery() == 0 || every % training.checkpointEvery() != 0)) {
            throw new ArenaConfigException("evaluation.trajectory_every (" + every + ") scores saved checkpoints: it "
                    + "must be a multiple of training.checkpoint_every (" + training.checkpointEvery() + ")");
        }
        unique("methods", methods);
        unique("targets", targets);
        unique("general", general);
        unique("seeds", seeds);
        unique("budgets", budgets.stream().map(BudgetSpec::name).toList());
        for (String t : targets) {
            if (general.contains(t)) {
                throw new ArenaConfigException("task '" + t + "' is both a target and a general task");
            }
        }
        unique("extra_tasks", extraTasks);
        for (String t : extraTasks) {
            if (general.contains(t) || targets.contains(t)) {
                throw new ArenaConfigException("extra task '" + t + "' is also a target or general task");
            }
        }
    }

    /** This arena with another post-hoc stage. */
    public ArenaConfig withInterpolation(InterpolationSettings settings) {
        return new ArenaConfig(name, baseModel, methods, budgets, targets, general, seeds, targetModules, training,
                evaluation, tasks, settings, diagnostics, extraTasks, regime, rl, device);
    }

    /** This arena with another training recipe (e.g. the command line's learning rates). */
    public ArenaConfig withTraining(TrainingSettings settings) {
        return new ArenaConfig(name, baseModel, methods, budgets, targets, general, seeds, targetModules, settings,
                evaluation, tasks, interpolation, diagnostics, extraTasks, regime, rl, device);
    }

    /** This arena with other diagnostics settings. */
    public ArenaConfig withDiagnostics(DiagnosticsSettings settings) {
        return new ArenaConfig(name, baseModel, methods, budgets, targets, general, seeds, targetModules, training,
                evaluation, tasks, interpolation, settings, extraTasks, regime, rl, device);
    }

    /**
     * This arena on another device: {@code "cuda"} runs every model of every run (training, evaluation, trajectory,
     * post-hoc paths, activation diagnostics) on a CUDA device, null on the CPU. The device is part of each run's
     * identity ({@link org.peftarena.arena.spec.RunSpec#device()}): results computed on a GPU differ in rounding
     * from the CPU's and are never taken for them.
     */
    public ArenaConfig withDevice(String device) {
        return new ArenaConfig(name, baseModel, methods, budgets, targets, general, seeds, targetModules, training,
                evaluation, tasks, interpolation, diagnostics, extraTasks, regime, rl, device);
    }

    /** Every task name the arena evaluates: targets, general tasks, then extra tasks. */
    public List<String> allTasks() {
        return java.util.stream.Stream.of(targets, general, extraTasks).flatMap(List::stream).toList();
    }

    /** The name becomes a directory under the work root: one plain path segment, nothing that could leave it. */
    private static void checkName(String name) {
        if (name.isBlank() || name.equals(".") || name.equals("..") || name.startsWith("-")
                || !name.chars().allMatch(c -> c > 31 && c != 127 && c != '/' && c != '\\' && c != ':')) {
            throw new ArenaConfigException("name '" + name + "' must be one plain directory name (no '/', '\\', ':',"
                    + " '..' or control characters), because the work directory is arena-work/<name>");
        }
    }

    private static <T> List<T> require(List<T> list, String field) {
        if (list == null || list.isEmpty()) {
            throw new ArenaConfigException(field + " must be a non-empty list");
        }
        return list;
    }

    private static <T> void unique(String field, List<T> values) {
        Set<T> seen = new HashSet<>();
        for (T v : values) {
            if (!seen.add(v)) {
                throw new ArenaConfigException(field + " lists '" + v + "' twice");
            }
        }
    }
}
