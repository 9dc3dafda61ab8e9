package org.peftarena.analysis.weights;

/**
 * Parameters of the singular-vector alignment and intruder-dimension diagnostics.
 *
 * @param topK leading left singular vectors of W1 examined for intruders
 * @param threshold a vector is an intruder when its best {@code abs} cosine with W0's left
 *     singular vectors is below this
 */
public record AlignmentOptions(int topK, double threshold) {
    /** Default top-k of the spec. */
    public static final int DEFAULT_TOP_K = 10;
    /** Default threshold of the spec. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /** Validates. */
    public AlignmentOptions {
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be positive, got " + topK);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must lie in [0, 1], got " + threshold);
        }
    }

    /** The spec's defaults: top 10, threshold 0.5. */
    public static AlignmentOptions defaults() {
        return new AlignmentOptions(DEFAULT_TOP_K, DEFAULT_THRESHOLD);
    }
}
