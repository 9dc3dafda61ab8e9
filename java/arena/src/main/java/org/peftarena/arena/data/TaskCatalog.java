package org.peftarena.arena.data;

import org.peftarena.train.data.PromptResponse;
import org.peftarena.train.rl.ArithmeticTask;
import org.peftarena.train.rl.RlProblem;
import org.peftarena.train.rl.RlTasks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.peftarena.train.data.AdditionProblems;
import org.peftarena.train.data.DataSplit;
import org.peftarena.train.data.MultiplicationProblems;
import org.peftarena.train.data.EuroparlCorpus;

/**
 * Names every task an arena can use and loads its data once: the built-in tasks of the protocol
 * (Europarl languages {@code en fr es de}, generated {@code addition}, the targets {@code de},
 * {@code arith}, {@code code}, the RL target {@code arithmetic}) and the user tasks declared in the
 * arena config.
 */
public final class TaskCatalog {
    /** The general suite of the protocol (stability). */
    public static final List<String> DEFAULT_GENERAL = List.of("en", "fr", "es", "addition");
    /** The built-in target domains (plasticity). */
    public static final List<String> BUILTIN_TARGETS = List.of("de", "arith", "code");
    /** Every built-in task name. */
    public static final Set<String> BUILTIN = Set.of("en", "fr", "es", "de", "addition", "arith", "code", ArithmeticTask.NAME);
    /** The built-in RL target: {@code builtin:arithmetic} of {@code train --regime rl} ({@link ArithmeticTask}). */
    public static final String RL_ARITHMETIC = ArithmeticTask.NAME;
    /** Identifies the built-in data recipe; part of every run's configuration hash. */
    public static final String BUILTIN_DATA_VERSION = "builtin-data-1";

    private final Map<String, TaskSource> userTasks;
    private final int problems;
    private final long seed;
    private final Map<String, TaskData> loaded = new LinkedHashMap<>();

    /**
     * @param userTasks user task declarations by name (paths resolved); may not reuse built-in names
     * @param problems  test problems drawn for generated problem tasks, >= 1
     * @param seed      seed of every generated draw
     */
    public TaskCatalog(Map<String, TaskSource> userTasks, int problems, long seed) {
        for (String n : userTasks.keySet()) {
            if (BUILTIN.contains(n)) {
                throw new ArenaDataException("user task '" + n + "' reuses a built-in task name " + BUILTIN);
            }
        }
        if (problems < 1) {
            throw new IllegalArgumentException("problems must be >= 1, got " + problems);
        }
        this.userTasks = Map.copyOf(userTasks);
        this.problems = problems;
        this.seed = seed;
    }

    /** Whether a task of that name exists. */
    public boolean contains(String name) {
        return BUILTIN.contains(name) || userTasks.containsKey(name);
    }

    /** The kind of a task, without loading its data. */
    public TaskKind kind(String name) {
        requireKnown(name);
        if (userTasks.containsKey(name)) {
            return userTasks.get(name).kind();
        }
        if (name.equals(RL_ARITHMETIC)) {
            return TaskKind.RL;
        }
        return name.equals("addition") || name.equals("arith") ? TaskKind.PROBLEMS : TaskKind.TEXT;
    }

    /** The data of a task, loaded on first use. */
    public synchronized TaskData task(String name) {
        requireKnown(name);
        return loaded.computeIfAbsent(name, this::load);
    }

    private void requireKnown(String name) {
        if (!contains(name)) {
            throw new ArenaDataException("unknown task '" + name + "'; built-in: " + BUILTIN
                    + (userTasks.isEmpty() ? "" : ", declared: " + userTasks.keySet()));
        }
    }

    private TaskData load(String name) {
        if (userTasks.containsKey(name)) {
            return UserDataReader.read(name, userTasks.get(name));
        }
        return switch (name) {
            case "en", "fr", "es", "de" -> europarl(name);
            case "addition" -> new ProblemTaskData(name, List.of(), addition(DataSplit.VALIDATION), addition(DataSplit.TEST));
            case "arith" -> arithmetic();
            case RL_ARITHMETIC -> rlArithmetic();
            case "code" -> {
                JavaSourceCorpus sources = JavaSourceCorpus.load();
                yield new TextTaskData(name, sources.chunks(DataSplit.TRAIN), sources.chunks(DataSplit.VALIDATION),
                        sources.chunks(DataSplit.TEST));
            }
            default -> throw new ArenaDataException("unknown task " + name);
        };
    }

    private static TextTaskData europarl(String language) {
        EuroparlCorpus corpus = EuroparlCorpus.load();
        return new TextTaskData(language, corpus.texts(language, DataSplit.TRAIN),
                corpus.texts(language, DataSplit.VALIDATION), corpus.texts(language, DataSplit.TEST));
    }

    private List<PromptResponse> addition(DataSplit split) {
        return new AdditionProblems().generate(problems, seed, split).stream()
                .map(p -> new PromptResponse(p.prompt(), p.answer())).toList();
    }

    private RlTaskData rlArithmetic() {
        ArithmeticTask task = new ArithmeticTask();
        List<RlProblem> train = RlTasks.load(RlTasks.ARITHMETIC, seed);
        int testCount = Math.min(problems, task.count(DataSplit.TEST));
        int validationCount = Math.min(problems, task.count(DataSplit.VALIDATION));
        return new RlTaskData(RL_ARITHMETIC, train, task.generate(validationCount, seed, DataSplit.VALIDATION),
                task.generate(testCount, seed, DataSplit.TEST), task.maxNewTokens());
    }

    private ProblemTaskData arithmetic() {
        MultiplicationProblems m = new MultiplicationProblems();
        return new ProblemTaskData("arith", m.all(seed, DataSplit.TRAIN), first(m.all(seed, DataSplit.VALIDATION)),
                first(m.all(seed, DataSplit.TEST)));
    }

    private List<PromptResponse> first(List<PromptResponse> all) {
        return all.subList(0, Math.min(problems, all.size()));
    }
}
