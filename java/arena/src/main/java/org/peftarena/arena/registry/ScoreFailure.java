package org.peftarena.arena.registry;

import java.util.List;

/**
 * A score that could not be stored as a number (NaN or infinite), kept with the reason so a report shows it.
 *
 * @param runId  the run
 * @param phase  the phase of the score row
 * @param step   training steps done when scored
 * @param alpha  interpolation coefficient
 * @param task   task name
 * @param metric metric name
 * @param value  the value as text ({@code NaN}, {@code Infinity}, {@code -Infinity})
 * @param reason why it is a failure
 */
public record ScoreFailure(String runId, String phase, int step, double alpha, String task, String metric,
                           String value, String reason) {
    /** The failure of a non-finite score row. */
    public static ScoreFailure of(ScoreRow s) {
        return new ScoreFailure(s.runId(), s.phase(), s.step(), s.alpha(), s.task(), s.metric(), Double.toString(s.value()),
                "non-finite " + s.metric() + " (the evaluation diverged or divided by zero)");
    }

    /** One line for a report: how many scores failed and the first of them; empty for none. */
    public static String summary(List<ScoreFailure> failures) {
        if (failures.isEmpty()) {
            return "";
        }
        ScoreFailure f = failures.get(0);
        return failures.size() + " score" + (failures.size() == 1 ? "" : "s") + " failed, e.g. " + f.phase() + " "
                + f.task() + "/" + f.metric() + " = " + f.value() + ": " + f.reason();
    }
}
