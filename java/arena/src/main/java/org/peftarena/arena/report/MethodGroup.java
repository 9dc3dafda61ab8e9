package org.peftarena.arena.report;

import java.util.List;

/**
 * The runs of one (method, budget band, target) over seeds: the unit the frontier is drawn over.
 *
 * @param key            {@code method/budget/target}
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
 */
public record MethodGroup(String key, String method, String budget, String target, long params, int runs,
                          double targetMean, double generalMean, double targetSd, double generalSd, Double forget,
                          Double gain, boolean onFrontier, boolean onBandFrontier, List<String> runIds) {
}
