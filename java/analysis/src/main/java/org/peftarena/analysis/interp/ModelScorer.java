package org.peftarena.analysis.interp;

import org.peftarena.model.LlamaModel;

/**
 * Scores a model on Target and General; the arena implements it with its task evaluation, tests
 * with anything deterministic. The model must be left as it was given.
 */
@FunctionalInterface
public interface ModelScorer {
    /**
     * @param model the decoder in its current state (weights and adapter forwards as the path set them)
     * @return its scores on the test split (the scores a report shows)
     */
    ModelScores score(LlamaModel model);

    /**
     * Scores a model on the validation split, on which operating points are selected so that the
     * reported test scores stay held out. The default scores nothing.
     *
     * @param model the decoder in its current state
     * @return its validation scores, or null when this scorer has no validation split
     */
    default ModelScores validate(LlamaModel model) {
        return null;
    }

    /** Whether {@link #validate} scores anything (false by default). */
    default boolean hasValidation() {
        return false;
    }
}
