package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Exact match of the final answer, the format check, the registry and failing rewards. */
class RewardsTest {
    private static final RlProblem P = new RlProblem("12+30=", "42");

    @Test
    void exactMatchComparesTheFinalAnswer() {
        Reward r = Rewards.named(Rewards.defaultName());
        assertEquals(ExactMatchReward.NAME, r.name());
        assertEquals(1.0, r.score(P, "42"));
        assertEquals(1.0, r.score(P, " 42 "));
        assertEquals(1.0, r.score(P, "so the answer is 42"));
        assertEquals(1.0, r.score(P, "42.0"));
        assertEquals(0.0, r.score(P, "43"));
        assertEquals(0.0, r.score(P, "42 1"));
        assertEquals(0.0, r.score(P, ""));
        assertEquals(1.0, r.score(new RlProblem("q", "Paris"), "it is Paris"));
        assertEquals(0.0, r.score(new RlProblem("q", "Paris"), "paris"));
    }

    @Test
    void formatChecksTheWholeCompletion() {
        Reward f = Rewards.named(FormatReward.NAME);
        assertEquals(1.0, f.score(P, "17"));
        assertEquals(1.0, f.score(P, "-3"));
        assertEquals(0.0, f.score(P, "17 "));
        assertEquals(0.0, f.score(P, "x17"));
        assertEquals(1.0, new FormatReward("[a-z]+").score(P, "abc"));
        assertThrows(RlDataException.class, () -> new FormatReward("(unclosed"));
    }

    @Test
    void unknownNamesListTheKnownOnes() {
        RlDataException e = assertThrows(RlDataException.class, () -> Rewards.named("bleu"));
        assertTrue(e.getMessage().contains("exact-match") && e.getMessage().contains("format"), e.getMessage());
    }

    @Test
    void aThrowingOrNonFiniteRewardIsReportedWithTheProblem() {
        Reward nan = new Reward() {
            @Override
            public String name() {
                return "nan";
            }

            @Override
            public double score(RlProblem problem, String completion) {
                return Double.NaN;
            }
        };
        RewardException e = assertThrows(RewardException.class, () -> Rewards.checkedScore(nan, P, "7"));
        assertTrue(e.getMessage().contains("'nan' returned NaN") && e.getMessage().contains("12+30="), e.getMessage());
        Reward boom = new Reward() {
            @Override
            public String name() {
                return "boom";
            }

            @Override
            public double score(RlProblem problem, String completion) {
                throw new IllegalStateException("broken");
            }
        };
        e = assertThrows(RewardException.class, () -> Rewards.checkedScore(boom, P, "7"));
        assertTrue(e.getMessage().contains("'boom' failed") && e.getMessage().contains("broken"), e.getMessage());
    }
}
