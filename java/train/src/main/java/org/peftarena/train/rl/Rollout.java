package org.peftarena.train.rl;

/**
 * One sampled completion of one problem.
 *
 * @param problem    the problem it answers
 * @param prompt     the prompt's token ids as the policy saw them (BOS first where the tokenizer has one)
 * @param completion the generated ids, ending with the stop token when the policy stopped
 * @param text       the generated text without the stop token
 * @param reward     the reward's score
 */
public record Rollout(RlProblem problem, int[] prompt, int[] completion, String text, double reward) {
}
