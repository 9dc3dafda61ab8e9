package org.peftarena.train.rl;

/** Binary reward: 1 when the completion's {@link FinalAnswer} equals the reference answer, else 0 (the default reward). */
public final class ExactMatchReward implements Reward {
    /** Its name. */
    public static final String NAME = "exact-match";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double score(RlProblem problem, String completion) {
        return FinalAnswer.equal(FinalAnswer.of(completion), problem.answer()) ? 1.0 : 0.0;
    }
}
