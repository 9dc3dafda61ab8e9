package org.peftarena.train.rl;

/**
 * One RL problem: the model continues {@code prompt}; a reward compares the completion with {@code answer}.
 *
 * @param prompt the text the policy continues, non-empty
 * @param answer the reference final answer, non-empty
 */
public record RlProblem(String prompt, String answer) {
    /** Rejects empty fields. */
    public RlProblem {
        if (prompt == null || prompt.isEmpty()) {
            throw new RlDataException("an RL problem needs a non-empty prompt");
        }
        if (answer == null || answer.isEmpty()) {
            throw new RlDataException("an RL problem needs a non-empty answer");
        }
    }
}
