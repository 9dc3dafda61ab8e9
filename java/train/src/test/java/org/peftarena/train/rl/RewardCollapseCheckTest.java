package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardCollapseCheckTest {
    /** The steps (from 1) at which the check warns for these rewards. */
    private static List<Integer> warnings(double... rewards) {
        RewardCollapseCheck check = new RewardCollapseCheck();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            if (check.observe(i + 1, rewards[i]) != null) {
                at.add(i + 1);
            }
        }
        return at;
    }

    private static double[] rewards(double before, int positive, int zeros) {
        double[] r = new double[positive + zeros];
        java.util.Arrays.fill(r, 0, positive, before);
        return r;
    }

    @Test
    void twentyZerosAfterAPositiveRewardAreACollapse() {
        assertEquals(List.of(5 + RewardCollapseCheck.DEFAULT_STEPS), warnings(rewards(0.25, 5, 3 * RewardCollapseCheck.DEFAULT_STEPS)),
                "once, at the 20th zero");
        RewardCollapseCheck check = new RewardCollapseCheck();
        for (int s = 1; s <= 3; s++) {
            check.observe(s, 0.5);
        }
        String w = null;
        for (int s = 4; w == null; s++) {
            w = check.observe(s, 0.0);
        }
        assertTrue(w.contains("exactly 0 for 20 steps since step 4 (it reached 0.500 before)"), w);
    }

    @Test
    void aBaseModelThatNeverEarnedARewardIsNoCollapse() {
        assertEquals(List.of(), warnings(new double[200]));
    }

    @Test
    void fewerZerosOrARecoveryAreNoCollapse() {
        assertEquals(List.of(), warnings(rewards(1.0, 1, RewardCollapseCheck.DEFAULT_STEPS - 1)));
        double[] r = rewards(0.1, 3, 2 * RewardCollapseCheck.DEFAULT_STEPS);
        r[3 + RewardCollapseCheck.DEFAULT_STEPS - 2] = 0.03; // a lucky rollout before the 20th zero
        assertEquals(List.of(3 + RewardCollapseCheck.DEFAULT_STEPS - 1 + RewardCollapseCheck.DEFAULT_STEPS), warnings(r),
                "the count starts again after it");
    }

    @Test
    void aSecondDroughtIsReportedAgain() {
        RewardCollapseCheck check = new RewardCollapseCheck(2);
        assertNull(check.observe(1, 1.0));
        assertNull(check.observe(2, 0.0));
        assertNotNull(check.observe(3, 0.0));
        assertNull(check.observe(4, 0.0), "once per drought");
        assertNull(check.observe(5, 0.5));
        assertNull(check.observe(6, 0.0));
        assertNotNull(check.observe(7, 0.0));
    }
}
