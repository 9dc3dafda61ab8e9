package org.peftarena.analysis.weights;

/**
 * How the finetuned weight's singular vectors sit relative to the pretrained ones.
 *
 * @param svaMean mean over i of {@code abs(<v_i(W0), v_i(W1)>)}
 * @param svaMin minimum of the same
 * @param intruders number of the top-k left singular vectors of W1 whose best match among the
 *     left singular vectors of W0 is below the threshold
 * @param topK how many of W1's leading left singular vectors were examined
 * @param threshold the match threshold
 */
public record Alignment(double svaMean, double svaMin, int intruders, int topK, double threshold) {}
