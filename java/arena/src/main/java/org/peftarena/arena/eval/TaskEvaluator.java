package org.peftarena.arena.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.arena.data.ProblemTaskData;
import org.peftarena.arena.data.RlTaskData;
import org.peftarena.train.rl.PassAtK;
import org.peftarena.train.rl.Rewards;
import org.peftarena.train.rl.RlEvaluation;
import org.peftarena.train.rl.RlProblem;
import org.peftarena.train.rl.SamplingOptions;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.data.TaskData;
import org.peftarena.arena.data.TaskKind;
import org.peftarena.arena.data.TextTaskData;
import org.peftarena.model.LlamaModel;
import org.peftarena.train.data.DataSplit;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores models on named tasks of a {@link TaskCatalog}, on their test split (what reports show) or
 * their validation split (what operating points are selected on); the documents are tokenised once
 * and reused for every model.
 */
public final class TaskEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEvaluator.class);

    private final TaskCatalog catalog;
    private final TextTokenizer tokenizer;
    private final EvaluationSettings settings;
    private final Map<String, Sample> encoded = new LinkedHashMap<>();

    /** A text task's documents of one split in scoring order, with their indices in the split. */
    private record Sample(List<Integer> indices, List<int[]> documents) {
    }

    /**
     * @param catalog   the tasks
     * @param tokenizer the model's tokenizer
     * @param settings  evaluation sizes
     */
    public TaskEvaluator(TaskCatalog catalog, TextTokenizer tokenizer, EvaluationSettings settings) {
        this.catalog = catalog;
        this.tokenizer = tokenizer;
        this.settings = settings;
    }

    /** The settings in use. */
    public EvaluationSettings settings() {
        return settings;
    }

    /**
     * Scores a model on each task, in order.
     *
     * @return task name to score
     */
    public Map<String, TaskScore> evaluate(LlamaModel model, List<String> tasks) {
        return evaluate(model, tasks, DataSplit.TEST);
    }

    /**
     * Scores a model on each task's split, in order.
     *
     * @param split {@link DataSplit#TEST} or {@link DataSplit#VALIDATION}
     * @return task name to score
     * @throws IllegalArgumentException for the training split or a task without that split
     */
    public Map<String, TaskScore> evaluate(LlamaModel model, List<String> tasks, DataSplit split) {
        Map<String, TaskScore> out = new LinkedHashMap<>();
        for (String t : tasks) {
            out.put(t, evaluate(model, t, split));
        }
        return out;
    }

    /** Whether every task has a non-empty validation split. */
    public boolean hasValidation(List<String> tasks) {
        return tasks.stream().allMatch(t -> catalog.task(t).validationSize() > 0);
    }

    /** Scores a model on one task's test split. */
    public TaskScore evaluate(LlamaModel model, String task) {
        return evaluate(model, task, DataSplit.TEST);
    }

    /** Scores a model on one task's test or validation split. */
    public TaskScore evaluate(LlamaModel model, String task, DataSplit split) {
        if (split == DataSplit.TRAIN) {
            throw new IllegalArgumentException("models are scored on the test or validation split, not on training data");
        }
        TaskData data = catalog.task(task);
        if (split == DataSplit.VALIDATION && data.validationSize() == 0) {
            throw new IllegalArgumentException("task " + task + " has no validation split");
        }
        TaskScore score;
        if (data instanceof TextTaskData text) {
            int window = settings.windowFor(model.config().maxPositionEmbeddings());
            Sample sample = documents(text, split);
            TextScore s = new TextScorer(window, settings.batchSize())
                    .score(model, sample.documents(), settings.maxTokens());
            ItemCounts counts = ItemCounts.of(sample.indices().subList(0, s.documents()), s.documentCorrect(),
                    s.documentScored());
            score = new TaskScore(task, TaskKind.TEXT, s.accuracyPercent(), s.bitsPerToken(), s.scored(),
                    s.documents(), s.seconds(), TaskScore.TEXT_METRIC, counts);
        } else if (data instanceof RlTaskData rl) {
            score = rlScore(model, rl, split);
        } else {
            ProblemTaskData problems = (ProblemTaskData) data;
            var all = split == DataSplit.TEST ? problems.test() : problems.validation();
            var test = all.subList(0, Math.min(settings.problems(), all.size()));
            ProblemScore s = new ProblemScorer(tokenizer, settings.batchSize()).score(model, test);
            int[] ones = new int[s.total()];
            java.util.Arrays.fill(ones, 1);
            score = new TaskScore(task, TaskKind.PROBLEMS, s.percent(), null, s.generatedTokens(), s.total(),
                    s.seconds(), TaskScore.PROBLEM_METRIC, ItemCounts.of(s.answered(), ones));
        }
        LOG.debug("{}: {}", task, score);
        return score;
    }

    /**
     * Greedy exact match and pass@k (the unbiased estimator, k = 1, 2, 4, ... up to the samples) of
     * an RL task's first {@code problems} test (or validation) problems, with the exact-match reward
     * the RL runs train on, sampled at temperature 1 from the evaluation seed.
     */
    private TaskScore rlScore(LlamaModel model, RlTaskData rl, DataSplit split) {
        long t0 = System.nanoTime();
        List<RlProblem> all = split == DataSplit.TEST ? rl.test() : rl.validation();
        List<RlProblem> test = all.subList(0, Math.min(settings.problems(), all.size()));
        int samples = settings.passSamplesOrDefault();
        int[] ks = java.util.Arrays.stream(PassAtK.defaultKs()).filter(k -> k <= samples).toArray();
        RlEvaluation.Scores s = new RlEvaluation(Math.max(1, settings.batchSize() / samples)).evaluate(model, tokenizer,
                test, Rewards.named(Rewards.defaultName()),
                new SamplingOptions(rl.maxNewTokens(), SamplingOptions.DEFAULT_TEMPERATURE, 0), samples, ks,
                settings.seed());
        // the sampler does not count generated tokens: 0 (no throughput is reported for RL tasks); the
        // per-problem greedy outcomes give the Target's standard error as for problem tasks
        int[] ones = new int[test.size()];
        java.util.Arrays.fill(ones, 1);
        int[] greedy = s.greedyCorrect().stream().mapToInt(Integer::intValue).toArray();
        double se = s.passAtOneStandardError();
        return new TaskScore(rl.name(), TaskKind.RL, s.greedy(), null, 0, test.size(),
                (System.nanoTime() - t0) / 1e9, TaskScore.RL_METRIC, ItemCounts.of(greedy, ones), s.passAtK(),
                Double.isFinite(se) ? se : null);
    }

    private synchronized Sample documents(TextTaskData text, DataSplit split) {
        List<String> documents = split == DataSplit.TEST ? text.test() : text.validation();
        return encoded.computeIfAbsent(text.name() + "|" + split, k -> {
            List<Integer> order = scoringOrder(documents.size(), settings, text.name());
            List<int[]> docs = new ArrayList<>(documents.size());
            for (int i : order) {
                docs.add(DocumentTokens.document(tokenizer, documents.get(i)));
            }
            return new Sample(order, docs);
        });
    }

    /**
     * The order in which a text task's test documents are scored (until the token budget is spent):
     * file order, or a permutation of the whole split drawn from the evaluation seed and the task's
     * name (the same for every model and run of an arena, different per task).
     */
    public static List<Integer> scoringOrder(int documents, EvaluationSettings settings, String task) {
        List<Integer> order = new ArrayList<>(documents);
        for (int i = 0; i < documents; i++) {
            order.add(i);
        }
        if (settings.sampling().equals(EvaluationSettings.SEEDED)) {
            java.util.Collections.shuffle(order, new java.util.Random(settings.seed() * 31 + task.hashCode()));
        }
        return order;
    }
}
