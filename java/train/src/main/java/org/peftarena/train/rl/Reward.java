package org.peftarena.train.rl;

/** A verifiable reward: scores one completion of a problem (1 correct, 0 wrong for the binary rewards). */
public interface Reward {
    /** The name users select it by. */
    String name();

    /**
     * @param problem    the prompt and its reference answer
     * @param completion the generated text after the prompt, without the stop token
     * @return a finite score
     */
    double score(RlProblem problem, String completion);
}
