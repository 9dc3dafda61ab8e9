package org.peftarena.analysis.interp;

import java.nio.file.Path;

/**
 * One evaluated checkpoint of the training trajectory.
 *
 * @param step optimizer steps done when it was saved
 * @param checkpoint its directory
 * @param scores Target, General and task scores of the model it holds
 */
public record TrainingPoint(int step, Path checkpoint, ModelScores scores) {
}
