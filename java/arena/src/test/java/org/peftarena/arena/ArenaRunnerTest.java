package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.data.ProblemTaskData;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.data.TextTaskData;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.arena.eval.ProblemScorer;
import org.peftarena.arena.frontier.ScorePoint;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.report.ArenaReport;
import org.peftarena.arena.report.BaseRow;
import org.peftarena.arena.report.FrontierSet;
import org.peftarena.arena.report.RunRow;
import org.peftarena.arena.run.RunArtifacts;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;

class ArenaRunnerTest {
    private static final List<String> GENERAL = List.of("gen", "sum");

    @TempDir
    Path tmp;

    @Test
    void runsEveryMethodRecordsScoresAndSkipsFinishedRunsOnRerun() throws Exception {
        ArenaConfig config = TinyArena.config(tmp.resolve("in"), List.of("full", "lora", "oft"), 6);
        Path work = tmp.resolve("work");
        ArenaOutcome first = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(4, first.plan().size(), "one base run and three methods");
        assertEquals(4, first.executed());
        assertEquals(0, first.failed());
        try (RunRegistry r = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (RunRecord rec : r.all()) {
                assertEquals(RunStatus.FINISHED, rec.status(), rec.id());
                assertEquals(1, rec.attempts());
                assertTrue(Files.isRegularFile(Path.of(rec.artifactDir()).resolve(RunArtifacts.RESULT_FILE)));
            }
        }
        assertScoresMatchAnIndependentEvaluation(config, first.report());
        assertFrontierMatchesADominanceCheck(first.report());
        ArenaOutcome second = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(0, second.executed());
        assertEquals(4, second.skipped());
    }

    /**
     * Every task score of the base and of each run's saved model, recomputed by {@link ReferenceScores}
     * (per-window forward, unmerged adapters, cache-free greedy decoding); General, Forget and Gain
     * recomputed from those per the protocol.
     */
    private static void assertScoresMatchAnIndependentEvaluation(ArenaConfig config, ArenaReport report) throws Exception {
        TaskCatalog catalog = new TaskCatalog(config.tasks(), config.evaluation().problems(), config.evaluation().seed());
        Path baseDir = Path.of(config.baseModel());
        TextTokenizer tokenizer = Tokenizers.load(baseDir);
        Tolerances.Tol derived = Tolerances.of(Tolerances.Check.DERIVED_SCORE);

        assertEquals(1, report.bases().size());
        BaseRow base = report.bases().get(0);
        Map<String, ReferenceScores.Count> baseRef = reference(HfModelDirectory.load(baseDir, ModelDType.FLOAT32),
                tokenizer, catalog, config.evaluation());
        assertTasks(baseRef, base.tasks(), "base");
        assertClose(base.tasks().get("tgt"), base.targetScore(), derived, "base Target is the target task");
        assertClose(mean(base.tasks(), GENERAL), base.generalScore(), derived, "base General is the plain mean");
        double baseGeneralRef = generalOf(baseRef);

        assertEquals(3, report.runs().size());
        boolean someRunLearned = false;
        for (RunRow row : report.runs()) {
            Map<String, ReferenceScores.Count> ref = reference(ReferenceScores.savedModel(baseDir,
                    Path.of(row.artifactDir()).resolve(RunArtifacts.MODEL_DIR), row.method()), tokenizer, catalog,
                    config.evaluation());
            assertTasks(ref, row.tasks(), row.runId());
            assertNotNull(row.targetScore(), row.runId());
            assertClose(row.tasks().get("tgt"), row.targetScore(), derived, row.runId() + " Target");
            assertClose(mean(row.tasks(), GENERAL), row.generalScore(), derived, row.runId() + " General");
            // the protocol's differences, on the recorded values and on the independent ones
            assertClose(base.generalScore() - row.generalScore(), row.forget(), derived, row.runId() + " Forget");
            assertClose(row.targetScore() - base.targetScore(), row.gain(), derived, row.runId() + " Gain");
            double slack = ref.get("tgt").slack() + baseRef.get("tgt").slack();
            assertTrue(Math.abs(row.gain() - (ref.get("tgt").percent() - baseRef.get("tgt").percent())) <= slack + 1e-9,
                    row.runId() + " Gain against the independent scores");
            double generalSlack = (ref.get("gen").slack() + ref.get("sum").slack() + baseRef.get("gen").slack()
                    + baseRef.get("sum").slack()) / 2;
            assertTrue(Math.abs(row.forget() - (baseGeneralRef - generalOf(ref))) <= generalSlack + 1e-9,
                    row.runId() + " Forget against the independent scores");
            someRunLearned |= ref.get("tgt").percent() > baseRef.get("tgt").percent() + slack;
        }
        assertTrue(someRunLearned, "at least one method improves the target, so the scores are not all equal");
    }

    /** Frontier membership from the runs' (Target, General) by a dominance check written here. */
    private static void assertFrontierMatchesADominanceCheck(ArenaReport report) {
        List<RunRow> runs = report.runs();
        Map<String, Set<String>> expectedByBand = new HashMap<>();
        for (RunRow r : runs) {
            boolean dominatedOverall = false;
            boolean dominatedInBand = false;
            for (RunRow o : runs) {
                boolean dominates = o.targetScore() >= r.targetScore() && o.generalScore() >= r.generalScore()
                        && (o.targetScore() > r.targetScore() || o.generalScore() > r.generalScore());
                dominatedOverall |= dominates;
                dominatedInBand |= dominates && o.budget().equals(r.budget());
            }
            assertEquals(!dominatedOverall, r.onFrontier(), r.runId() + " on the frontier over every band");
            assertEquals(!dominatedInBand, r.onBandFrontier(), r.runId() + " on its band's frontier");
            String key = r.groupKey();
            if (!dominatedOverall) {
                expectedByBand.computeIfAbsent(FrontierSet.ALL_BANDS, k -> new TreeSet<>()).add(key);
            }
            if (!dominatedInBand) {
                expectedByBand.computeIfAbsent(r.budget(), k -> new TreeSet<>()).add(key);
            }
        }
        Map<String, Set<String>> reported = report.frontiers().stream().filter(f -> f.target().equals("tgt"))
                .collect(Collectors.toMap(FrontierSet::band,
                        f -> f.points().stream().map(ScorePoint::id).collect(Collectors.toCollection(TreeSet::new))));
        assertEquals(expectedByBand, reported, "frontier sets per band");
        for (FrontierSet f : report.frontiers()) {
            List<Double> targets = f.points().stream().map(ScorePoint::target).toList();
            List<Double> sorted = new ArrayList<>(targets);
            sorted.sort(null);
            assertEquals(sorted, targets, "frontier points by increasing Target: " + f.band());
        }
    }

    private static Map<String, ReferenceScores.Count> reference(LlamaModel model, TextTokenizer tokenizer,
                                                                TaskCatalog catalog, EvaluationSettings settings) {
        int window = settings.windowFor(model.config().maxPositionEmbeddings());
        Map<String, ReferenceScores.Count> out = new HashMap<>();
        for (String task : List.of("tgt", "gen")) {
            TextTaskData text = (TextTaskData) catalog.task(task);
            // the arena scores the documents in its seeded order across the split
            List<String> sampled = org.peftarena.arena.eval.TaskEvaluator.scoringOrder(text.testSize(), settings, task)
                    .stream().map(i -> text.test().get(i)).toList();
            out.put(task, ReferenceScores.nextTokenAccuracy(model, tokenizer, sampled, window, settings.maxTokens()));
        }
        ProblemTaskData sums = (ProblemTaskData) catalog.task("sum");
        out.put("sum", ReferenceScores.exactMatch(model, tokenizer,
                sums.test().subList(0, Math.min(settings.problems(), sums.testSize())), ProblemScorer.EXTRA_TOKENS));
        return out;
    }

    private static void assertTasks(Map<String, ReferenceScores.Count> ref, Map<String, Double> recorded, String who) {
        for (Map.Entry<String, ReferenceScores.Count> e : ref.entrySet()) {
            ReferenceScores.Count c = e.getValue();
            assertTrue(c.scored() > 0, who + " " + e.getKey() + " scores something");
            double got = recorded.get(e.getKey());
            assertTrue(Math.abs(got - c.percent()) <= c.slack() + 1e-9, who + " " + e.getKey() + ": recorded " + got
                    + ", recomputed " + c.percent() + " (" + c + ")");
        }
    }

    private static double generalOf(Map<String, ReferenceScores.Count> ref) {
        return (ref.get("gen").percent() + ref.get("sum").percent()) / 2;
    }

    private static double mean(Map<String, Double> tasks, List<String> names) {
        return names.stream().mapToDouble(tasks::get).sum() / names.size();
    }

    private static void assertClose(double expected, Double actual, Tolerances.Tol tol, String what) {
        assertNotNull(actual, what);
        assertTrue(tol.accepts(expected, actual), what + ": expected " + expected + ", got " + actual + " (" + tol.reason()
                + ")");
    }
}
