package org.peftarena.arena.eval;

/**
 * Exact-match scores of greedy answers.
 *
 * @param correct answers equal to the reference (after trimming whitespace)
 * @param total   problems asked
 * @param generatedTokens tokens generated over all problems
 * @param seconds wall time of the evaluation
 */
public record ProblemScore(int correct, int total, long generatedTokens, double seconds) {
    /** Exact match in percent (0 when there were no problems). */
    public double percent() {
        return total == 0 ? 0 : 100.0 * correct / total;
    }

    /** Generated tokens per second. */
    public double tokensPerSecond() {
        return seconds > 0 ? generatedTokens / seconds : 0;
    }
}
