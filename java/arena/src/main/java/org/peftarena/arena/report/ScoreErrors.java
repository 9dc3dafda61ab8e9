package org.peftarena.arena.report;

import java.util.Map;

/**
 * Standard errors of a run's scores (cluster bootstrap over the evaluated documents and problems;
 * Forget and Gain paired with the base model on the same documents), and how much was evaluated.
 *
 * @param targetSe  standard error of Target, in points, or null
 * @param generalSe standard error of General, in points, or null
 * @param forgetSe  standard error of Forget, in points, or null without a base
 * @param gainSe    standard error of Gain, in points, or null without a base
 * @param documents task name to the number of documents (text) or problems scored
 */
public record ScoreErrors(Double targetSe, Double generalSe, Double forgetSe, Double gainSe,
                          Map<String, Integer> documents) {
    /** Copies the map. */
    public ScoreErrors {
        documents = documents == null ? Map.of() : new java.util.TreeMap<>(documents);
    }
}
