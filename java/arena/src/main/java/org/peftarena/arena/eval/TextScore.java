package org.peftarena.arena.eval;

/**
 * Teacher-forced scores of a model on held-out text.
 *
 * @param correct positions whose argmax prediction was the next token
 * @param scored  positions scored
 * @param nats    summed negative log-likelihood of the next tokens, in nats
 * @param seconds wall time of the evaluation
 * @param documentCorrect correct positions per document scored, in the order given (empty when not known)
 * @param documentScored  scored positions per document
 */
@SuppressWarnings("ArrayRecordComponent") // per-document counts, read-only by convention
public record TextScore(long correct, long scored, double nats, double seconds, int[] documentCorrect,
                        int[] documentScored) {
    /** A score without per-document counts. */
    public TextScore(long correct, long scored, double nats, double seconds) {
        this(correct, scored, nats, seconds, new int[0], new int[0]);
    }

    /** Number of documents scored (at least one position). */
    public int documents() {
        return documentScored.length;
    }

    /** Next-token accuracy in percent (0 when nothing was scored). */
    public double accuracyPercent() {
        return scored == 0 ? 0 : 100.0 * correct / scored;
    }

    /** Mean negative log2-likelihood per scored token (NaN when nothing was scored). */
    public double bitsPerToken() {
        return scored == 0 ? Double.NaN : nats / scored / Math.log(2);
    }

    /** Scored tokens per second. */
    public double tokensPerSecond() {
        return seconds > 0 ? scored / seconds : 0;
    }
}
