package org.peftarena.analysis.interp;

import java.nio.file.Path;

/**
 * One exported point of a path.
 *
 * @param alpha the coefficient
 * @param dir the Hugging Face model directory holding the model at that alpha
 */
public record ExportedPoint(double alpha, Path dir) {
}
