package org.peftarena.arena.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.arena.data.ProblemTaskData;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.data.TaskData;
import org.peftarena.arena.data.TaskKind;
import org.peftarena.arena.data.TextTaskData;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores models on named tasks of a {@link TaskCatalog}; the test documents are tokenised once
 * and reused for every model.
 */
public final class TaskEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(TaskEvaluator.class);

    private final TaskCatalog catalog;
    private final TextTokenizer tokenizer;
    private final EvaluationSettings settings;
    private final Map<String, List<int[]>> encoded = new LinkedHashMap<>();

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
        Map<String, TaskScore> out = new LinkedHashMap<>();
        for (String t : tasks) {
            out.put(t, evaluate(model, t));
        }
        return out;
    }

    /** Scores a model on one task. */
    public TaskScore evaluate(LlamaModel model, String task) {
        TaskData data = catalog.task(task);
        TaskScore score;
        if (data instanceof TextTaskData text) {
            int window = settings.windowFor(model.config().maxPositionEmbeddings());
            TextScore s = new TextScorer(window, settings.batchSize())
                    .score(model, documents(text), settings.maxTokens());
            score = new TaskScore(task, TaskKind.TEXT, s.accuracyPercent(), s.bitsPerToken(), s.scored(),
                    Math.min(Integer.MAX_VALUE, text.testSize()), s.seconds());
        } else {
            ProblemTaskData problems = (ProblemTaskData) data;
            var test = problems.test().subList(0, Math.min(settings.problems(), problems.testSize()));
            ProblemScore s = new ProblemScorer(tokenizer, settings.batchSize()).score(model, test);
            score = new TaskScore(task, TaskKind.PROBLEMS, s.percent(), null, s.generatedTokens(), s.total(),
                    s.seconds());
        }
        LOG.debug("{}: {}", task, score);
        return score;
    }

    private synchronized List<int[]> documents(TextTaskData text) {
        return encoded.computeIfAbsent(text.name(), n -> {
            List<int[]> docs = new ArrayList<>(text.testSize());
            for (String d : text.test()) {
                docs.add(DocumentTokens.document(tokenizer, d));
            }
            return docs;
        });
    }
}
