package org.peftarena.arena.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigException;
import org.peftarena.arena.config.BudgetSpec;
import org.peftarena.arena.config.Regime;
import org.peftarena.arena.data.RlTaskData;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.data.TaskKind;
import org.peftarena.arena.spec.RunRl;
import org.peftarena.arena.data.TaskSource;
import org.peftarena.arena.run.ModelFingerprint;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunTraining;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.peft.BudgetMatcher;
import org.peftarena.peft.BudgetReport;
import org.peftarena.peft.ModelShape;
import org.peftarena.peft.ParameterBudget;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.lora.LoraMethod;

/**
 * Expands an arena config into run specs: budgets become parameter counts on the base model's
 * shape, every method with a size knob is matched to each budget (the size whose count is
 * closest), methods without one (full finetuning, IA3) run once in the {@code fixed} band; each
 * method runs once per learning rate of its sweep ({@code learning_rates}) and seed. Runs of an
 * RL grid ({@code regime: rl}) carry the GRPO recipe and the RL default learning rates.
 */
public final class ArenaPlanner {
    private ArenaPlanner() {
    }

    /**
     * @param config  the arena
     * @param catalog its tasks (checked to exist; user data fingerprinted)
     * @throws ArenaConfigException when the base model or a task is missing, or a method cannot meet a budget
     */
    public static ArenaPlan plan(ArenaConfig config, TaskCatalog catalog) throws IOException {
        Path base = Path.of(config.baseModel()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(base.resolve(HfModelDirectory.CONFIG_FILE))) {
            throw new ArenaConfigException("base model " + base + " is not a Hugging Face model directory (no "
                    + HfModelDirectory.CONFIG_FILE + ")");
        }
        for (String t : config.allTasks()) {
            if (!catalog.contains(t)) {
                throw new ArenaConfigException("unknown task '" + t + "'; built-in: " + TaskCatalog.BUILTIN
                        + ", declared: " + config.tasks().keySet());
            }
        }
        checkRegime(config, catalog);
        LlamaConfig baseConfig = LlamaConfig.load(base.resolve(HfModelDirectory.CONFIG_FILE));
        int maxPositions = baseConfig.maxPositionEmbeddings();
        if (maxPositions > 0 && config.training().seqLen() > maxPositions) {
            throw new ArenaConfigException("training.seq_len (" + config.training().seqLen()
                    + ") exceeds the base model's max_position_embeddings (" + maxPositions + ")");
        }
        ModelShape shape = ModelShape.of(baseConfig);
        TargetModules modules = TargetModules.ofNames(config.targetModules());
        String fingerprint = ModelFingerprint.of(base);
        Map<String, String> data = dataFingerprints(config);
        List<RunSpec> runs = new ArrayList<>();
        Map<String, String> baseIds = new LinkedHashMap<>();
        for (String target : config.targets()) {
            RunSpec b = new RunSpec(RunKind.BASE, base.toString(), fingerprint, RunSpec.BASE_METHOD, 0, "base", 0, 0,
                    target, config.general(), 0, config.targetModules(), null, config.evaluation(),
                    only(data, target, config), null, config.extraTasks(), null, rl(config, catalog, target),
                    config.device());
            runs.add(b);
            baseIds.put(target, b.id());
        }
        for (String target : config.targets()) {
            for (Sized s : sizes(config, shape, modules)) {
                Regime regime = config.regime().forTarget(catalog.kind(target) == TaskKind.RL);
                for (double lr : config.training().learningRatesOf(s.method, regime)) {
                    for (long seed : config.seeds()) {
                        runs.add(new RunSpec(RunKind.FINETUNE, base.toString(), fingerprint, s.method, s.size, s.band,
                                s.budgetParams, s.params, target, config.general(), seed, config.targetModules(),
                                training(config, s.method, lr), config.evaluation(),
                                only(data, target, config), baseIds.get(target), config.extraTasks(),
                                s.size > 0 ? config.training().loraAlphaOf(s.method, s.size) : null,
                                rl(config, catalog, target), config.device()));
                    }
                }
            }
        }
        return new ArenaPlan(runs);
    }

    /**
     * An RL grid trains on targets of kind {@code rl} only, an SFT grid on no such target (a grid of both
     * regimes on either), and tasks of kind {@code rl} are never general or extra tasks (their score is the
     * RL target's).
     */
    private static void checkRegime(ArenaConfig config, TaskCatalog catalog) {
        for (String t : config.targets()) {
            boolean rlTask = catalog.kind(t) == TaskKind.RL;
            if (config.regime() == Regime.RL && !rlTask) {
                throw new ArenaConfigException("regime rl: target '" + t + "' has no verifiable reward; RL targets are "
                        + "the built-in '" + TaskCatalog.RL_ARITHMETIC + "' or user tasks of kind rl");
            }
            if (config.regime() == Regime.SFT && rlTask) {
                throw new ArenaConfigException("target '" + t + "' is an RL task (kind rl): set regime: rl (or both, to train "
                        + "the other targets supervised in the same grid) to train on it");
            }
        }
        for (String t : java.util.stream.Stream.concat(config.general().stream(), config.extraTasks().stream()).toList()) {
            if (catalog.kind(t) == TaskKind.RL) {
                throw new ArenaConfigException("task '" + t + "' is an RL task (kind rl): it can only be a target");
            }
        }
    }

    /** The RL recipe of a target's runs when they are trained with RL, else null. */
    private static RunRl rl(ArenaConfig config, TaskCatalog catalog, String target) {
        if (config.regime().forTarget(catalog.kind(target) == TaskKind.RL) != Regime.RL) {
            return null;
        }
        return config.rl().forRun(((RlTaskData) catalog.task(target)).maxNewTokens());
    }

    private record Sized(String method, int size, String band, long budgetParams, long params) {
    }

    private static List<Sized> sizes(ArenaConfig config, ModelShape shape, TargetModules modules) {
        List<Sized> out = new ArrayList<>();
        for (BudgetSpec b : config.budgets()) {
            long budget = b.params() != null ? b.params()
                    : ParameterBudget.count(shape, LoraMethod.ID.defaultConfig().withSize(b.loraRank()), modules).total();
            for (String m : config.methods()) {
                PeftMethod method = PeftMethod.parse(m);
                if (method.knob() == PeftMethod.SizeKnob.NONE) {
                    continue;
                }
                try {
                    BudgetReport r = BudgetMatcher.match(shape, method.defaultConfig(), modules, budget);
                    out.add(new Sized(method.cliName(), r.config().size(), b.name(), budget, r.total()));
                } catch (RuntimeException e) {
                    throw new ArenaConfigException("method " + m + " cannot meet budget " + b.name() + " ("
                            + budget + " parameters): " + e.getMessage(), e);
                }
            }
        }
        for (String m : config.methods()) {
            PeftMethod method = PeftMethod.parse(m);
            if (method.knob() == PeftMethod.SizeKnob.NONE) {
                PeftConfig c = method.defaultConfig();
                out.add(new Sized(method.cliName(), 0, RunSpec.FIXED_BUDGET, 0,
                        ParameterBudget.count(shape, c, modules).total()));
            }
        }
        return out;
    }

    private static RunTraining training(ArenaConfig c, String method, double learningRate) {
        var t = c.training();
        return new RunTraining(t.stepsOf(method), t.batchSize(), t.seqLen(), learningRate,
                t.warmupFraction(), t.weightDecay(), t.maxGradNorm(), t.checkpointEvery());
    }

    private static Map<String, String> dataFingerprints(ArenaConfig config) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : config.allTasks()) {
            TaskSource s = config.tasks().get(t);
            if (s == null) {
                out.put(t, TaskCatalog.BUILTIN_DATA_VERSION);
            } else {
                StringBuilder sb = new StringBuilder(s.kind().configName());
                for (String p : s.paths()) {
                    if (!Files.exists(Path.of(p))) {
                        throw new ArenaConfigException("task " + t + ": data path not found: " + p);
                    }
                    sb.append(':').append(ModelFingerprint.of(Path.of(p)));
                }
                out.put(t, sb.toString());
            }
        }
        return out;
    }

    private static Map<String, String> only(Map<String, String> data, String target, ArenaConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(target, data.get(target));
        config.general().forEach(g -> out.put(g, data.get(g)));
        config.extraTasks().forEach(g -> out.put(g, data.get(g)));
        return out;
    }
}
