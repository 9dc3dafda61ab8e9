package org.peftarena.arena.registry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.arena.data.TaskKind;
import org.peftarena.arena.eval.EvaluationSettings;
import org.peftarena.arena.eval.TaskScore;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunTraining;
import org.peftarena.arena.spec.TrajectoryPoint;

/** Run specs and results made up by tests (no model involved), stored like real ones. */
public final class SyntheticRuns {
    static final List<String> GENERAL = List.of("g1", "g2");
    private static final EvaluationSettings EVAL = new EvaluationSettings(100, 10, 0, 4, 1, 5);

    private SyntheticRuns() {
    }

    /** The base run of a target. */
    public static RunSpec base(String target) {
        return new RunSpec(RunKind.BASE, "/models/m", "fp", "base", 0, "base", 0, 0, target, GENERAL, 0,
                List.of("q_proj"), null, EVAL, Map.of(target, "d"), null);
    }

    /** A finetuning run at learning rate 1e-3. */
    public static RunSpec finetune(String method, String budget, String target, long seed, RunSpec base) {
        return finetune(method, budget, target, seed, base, 1e-3);
    }

    /** A finetuning run at a learning rate. */
    public static RunSpec finetune(String method, String budget, String target, long seed, RunSpec base,
                                   double learningRate) {
        return new RunSpec(RunKind.FINETUNE, "/models/m", "fp", method, 4, budget, 1000, 1000 + method.length(),
                target, GENERAL, seed, List.of("q_proj"), new RunTraining(10, 2, 16, learningRate, 0.1, 0.01, 1, 5),
                EVAL, Map.of(target, "d"), base.id());
    }

    /**
     * A result whose scores come from per-document counts (10 positions per document, documents
     * 0..n-1): Target from {@code target}, g1 and g2 from {@code general}.
     */
    public static RunResult countedResult(RunSpec spec, int[] target, int[] general) {
        Map<String, TaskScore> s = new LinkedHashMap<>();
        s.put(spec.target(), counted(spec.target(), target));
        s.put("g1", counted("g1", general));
        s.put("g2", counted("g2", general));
        return new RunResult(spec.id(), s, List.of(), List.of(), 1000, 2.0, 1.0, 3.5, 640, "cpu", Map.of("java", "17"),
                Map.of(), null);
    }

    private static TaskScore counted(String task, int[] correct) {
        int[] total = new int[correct.length];
        java.util.Arrays.fill(total, 10);
        double percent = 10.0 * java.util.Arrays.stream(correct).sum() / correct.length;
        return new TaskScore(task, TaskKind.TEXT, percent, 2.0, 10L * correct.length, correct.length, 0.5,
                TaskScore.TEXT_METRIC, org.peftarena.arena.eval.ItemCounts.of(correct, total));
    }

    /** A result with the given Target score and general task scores g1, g2 (General = their mean). */
    public static RunResult result(RunSpec spec, double target, double g1, double g2) {
        Map<String, TaskScore> s = new LinkedHashMap<>();
        s.put(spec.target(), new TaskScore(spec.target(), TaskKind.TEXT, target, 2.5, 100, 3, 0.5));
        s.put("g1", new TaskScore("g1", TaskKind.TEXT, g1, 3.0, 100, 3, 0.5));
        s.put("g2", new TaskScore("g2", TaskKind.PROBLEMS, g2, null, 20, 10, 0.5));
        List<TrajectoryPoint> traj = spec.training() == null ? List.of()
                : List.of(new TrajectoryPoint(5, 1.5, Map.of(spec.target(), target / 2, "g1", g1, "g2", g2)));
        return new RunResult(spec.id(), s, traj, spec.training() == null ? List.of() : List.of(2.0, 1.5), 1000, 2.0, 1.0,
                3.5, 640, "cpu", Map.of("java", "17"), spec.training() == null ? Map.of() : Map.of(5, "model/checkpoints/step-000005"),
                spec.training() == null ? null : "model");
    }

    /** Registers and finishes a run. */
    public static void store(RunRegistry r, RunSpec spec, RunResult result) {
        r.register(spec, Path.of("/work/runs").resolve(spec.id()));
        r.markRunning(spec.id());
        r.markFinished(result, ResultRows.of(spec, result));
    }
}
