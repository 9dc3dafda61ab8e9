package org.peftarena.arena.report;

import java.util.List;
import org.peftarena.arena.spec.RunSpec;

/**
 * The runs of one (method, budget band, target, learning rate, steps) over seeds: the unit the
 * frontier is drawn over.
 *
 * @param key            {@code method/budget/target/lr<rate>/<steps>steps} (see {@link #key})
 * @param method         method name
 * @param budget         budget band
 * @param target         target task
 * @param params         trainable parameters (of the first run)
 * @param runs           number of runs with scores
 * @param targetMean     mean Target
 * @param generalMean    mean General
 * @param targetSd       sample standard deviation of Target (0 for one run)
 * @param generalSd      sample standard deviation of General
 * @param forget         mean Forget, or null without a base
 * @param gain           mean Gain, or null without a base
 * @param onFrontier     on the frontier of all groups of the target
 * @param onBandFrontier on the frontier of the groups of the target in the same budget band
 * @param runIds         the runs
 * @param learningRate   peak learning rate, or null (imported runs)
 * @param steps          optimizer steps, or null
 */
public record MethodGroup(String key, String method, String budget, String target, long params, int runs,
                          double targetMean, double generalMean, double targetSd, double generalSd, Double forget,
                          Double gain, boolean onFrontier, boolean onBandFrontier, List<String> runIds,
                          Double learningRate, Integer steps) {
    /** The group key of runs: learning rate and steps are left out where unknown (imported runs). */
    public static String key(String method, String budget, String target, Double learningRate, Integer steps) {
        return method + "/" + budget + "/" + target
                + (learningRate == null ? "" : "/lr" + RunSpec.learningRateLabel(learningRate))
                + (steps == null ? "" : "/" + steps + "steps");
    }
}
