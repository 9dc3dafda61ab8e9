package org.peftarena.arena.eval;

/**
 * Exact-match scores of greedy answers.
 *
 * @param correct answers equal to the reference (after trimming whitespace)
 * @param total   problems asked
 * @param generatedTokens tokens generated over all problems
 * @param seconds wall time of the evaluation
 * @param answered 1 for each problem answered correctly, else 0, in the order asked
 */
@SuppressWarnings("ArrayRecordComponent") // per-problem results, read-only by convention
public record ProblemScore(int correct, int total, long generatedTokens, double seconds, int[] answered) {
    /** A score without per-problem results. */
    public ProblemScore(int correct, int total, long generatedTokens, double seconds) {
        this(correct, total, generatedTokens, seconds, new int[0]);
    }

    /** Exact match in percent (0 when there were no problems). */
    public double percent() {
        return total == 0 ? 0 : 100.0 * correct / total;
    }

    /** Generated tokens per second. */
    public double tokensPerSecond() {
        return seconds > 0 ? generatedTokens / seconds : 0;
    }
}
