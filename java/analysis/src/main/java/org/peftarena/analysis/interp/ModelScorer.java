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
     * @return its scores
     */
    ModelScores score(LlamaModel model);
}
