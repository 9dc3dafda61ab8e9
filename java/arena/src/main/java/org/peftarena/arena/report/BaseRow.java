package org.peftarena.arena.report;

import java.util.Map;

/**
 * The base model's scores for one target: the reference of Forget and Gain.
 *
 * @param runId        the base run
 * @param target       target task
 * @param targetScore  Target of the base model
 * @param generalScore General of the base model
 * @param tasks        per-task scores in percent
 * @param errors       standard errors of Target and General and the documents scored per task, or null
 */
public record BaseRow(String runId, String target, double targetScore, double generalScore,
                      Map<String, Double> tasks, ScoreErrors errors) {
    /** A base row without standard errors. */
    public BaseRow(String runId, String target, double targetScore, double generalScore, Map<String, Double> tasks) {
        this(runId, target, targetScore, generalScore, tasks, null);
    }
}
