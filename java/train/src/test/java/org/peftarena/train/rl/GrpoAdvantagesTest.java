package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Group-relative advantages against hand-computed values. */
class GrpoAdvantagesTest {
    @Test
    void equalRewardsGiveZeroAdvantageWithAndWithoutNormalisation() {
        double[] rewards = {1, 1, 1, 1, 0, 0, 0, 0};
        assertArrayEquals(new double[8], GrpoAdvantages.compute(rewards, 4, true, 1e-6), 0.0);
        assertArrayEquals(new double[8], GrpoAdvantages.compute(rewards, 4, false, 1e-6), 0.0);
    }

    @Test
    void oneCorrectSampleOfFour() {
        // mean 0.25; unbiased std sqrt((0.75^2 + 3 * 0.25^2) / 3) = 0.5
        double[] rewards = {0, 1, 0, 0};
        assertArrayEquals(new double[] {-0.25, 0.75, -0.25, -0.25}, GrpoAdvantages.compute(rewards, 4, false, 1e-6), 1e-12);
        assertArrayEquals(new double[] {-0.5, 1.5, -0.5, -0.5}, GrpoAdvantages.compute(rewards, 4, true, 0.0), 1e-12);
        assertArrayEquals(new double[] {-0.25 / 0.6, 0.75 / 0.6, -0.25 / 0.6, -0.25 / 0.6},
                GrpoAdvantages.compute(rewards, 4, true, 0.1), 1e-12);
    }

    @Test
    void groupsAreNormalisedSeparately() {
        double[] rewards = {0, 2, 5, 5};
        // group 1: mean 1, std sqrt(2); group 2: equal
        double s = Math.sqrt(2);
        assertArrayEquals(new double[] {-1 / s, 1 / s, 0, 0}, GrpoAdvantages.compute(rewards, 2, true, 0.0), 1e-12);
    }

    @Test
    void rewardsMustFormWholeGroups() {
        assertThrows(IllegalArgumentException.class, () -> GrpoAdvantages.compute(new double[5], 2, true, 0.0));
    }
}
