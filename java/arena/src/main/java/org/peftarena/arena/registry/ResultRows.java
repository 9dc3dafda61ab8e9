package org.peftarena.arena.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftarena.arena.eval.TaskScore;
import org.peftarena.arena.spec.RunResult;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.TrajectoryPoint;
import org.peftarena.arena.scores.ArenaScores;

/**
 * Turns a run's result into registry rows: per-task scores and the Target / General aggregates, final
 * and along training, and the final pass@k of RL tasks (metric {@code pass@k}, for the task and for
 * Target when it is the run's target).
 */
public final class ResultRows {
    private ResultRows() {
    }

    /** Every row a finished run stores. */
    public static List<ScoreRow> of(RunSpec spec, RunResult result) {
        List<ScoreRow> rows = new ArrayList<>();
        int finalStep = spec.training() == null ? 0 : spec.training().steps();
        String id = result.runId();
        for (TaskScore s : result.scores().values()) {
            rows.add(new ScoreRow(id, ScoreRow.FINAL, finalStep, 1.0, s.task(), ScoreRow.SCORE, s.score()));
            if (s.bitsPerToken() != null) {
                rows.add(new ScoreRow(id, ScoreRow.FINAL, finalStep, 1.0, s.task(), "bits_per_token", s.bitsPerToken()));
            }
            rows.add(new ScoreRow(id, ScoreRow.FINAL, finalStep, 1.0, s.task(), "tokens_per_second", s.tokensPerSecond()));
            boolean target = s.task().equals(spec.target());
            s.passAtK().forEach((k, v) -> {
                rows.add(new ScoreRow(id, ScoreRow.FINAL, finalStep, 1.0, s.task(), ScoreRow.passAt(k), v));
                if (target) {
                    rows.add(new ScoreRow(id, ScoreRow.FINAL, finalStep, 1.0, ScoreRow.TARGET, ScoreRow.passAt(k), v));
                }
            });
            if (s.passAtOneSe() != null) {
                rows.add(new ScoreRow(id, ScoreRow.FINAL, finalStep, 1.0, s.task(), ScoreRow.PASS_AT_ONE_SE, s.passAtOneSe()));
                if (target) {
                    rows.add(new ScoreRow(id, ScoreRow.FINAL, finalStep, 1.0, ScoreRow.TARGET, ScoreRow.PASS_AT_ONE_SE,
                            s.passAtOneSe()));
                }
            }
        }
        Map<String, Double> finals = ArenaScores.percentages(result.scores());
        addAggregates(rows, id, ScoreRow.FINAL, finalStep, spec, finals);
        for (TrajectoryPoint p : result.trajectory()) {
            p.scores().forEach((task, v) -> rows.add(new ScoreRow(id, ScoreRow.TRAJECTORY, p.step(), 1.0, task,
                    ScoreRow.SCORE, v)));
            rows.add(new ScoreRow(id, ScoreRow.TRAJECTORY, p.step(), 1.0, "train", "loss", p.loss()));
            addAggregates(rows, id, ScoreRow.TRAJECTORY, p.step(), spec, p.scores());
        }
        return rows;
    }

    private static void addAggregates(List<ScoreRow> rows, String id, String phase, int step, RunSpec spec,
                                      Map<String, Double> scores) {
        if (scores.containsKey(spec.target())) {
            rows.add(new ScoreRow(id, phase, step, 1.0, ScoreRow.TARGET, ScoreRow.SCORE, scores.get(spec.target())));
        }
        if (scores.keySet().containsAll(spec.general())) {
            rows.add(new ScoreRow(id, phase, step, 1.0, ScoreRow.GENERAL, ScoreRow.SCORE,
                    ArenaScores.general(scores, spec.general())));
        }
    }
}
