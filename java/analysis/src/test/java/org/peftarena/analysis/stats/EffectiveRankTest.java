package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EffectiveRankTest {
    @Test
    void stableRankOfKnownSpectra() {
        assertEquals(1.0, EffectiveRank.ofSingularValues(new double[] {3, 0, 0}), 0);
        assertEquals(2.0, EffectiveRank.ofSingularValues(new double[] {2, 2}), 0);
        assertEquals(1.25, EffectiveRank.ofSingularValues(new double[] {1, 2}), 1e-15);
        assertEquals(1.25, EffectiveRank.ofNorms(5, 2), 1e-15);
    }

    @Test
    void zeroUpdateHasRankZero() {
        assertEquals(0.0, EffectiveRank.ofSingularValues(new double[] {0, 0}), 0);
        assertEquals(0.0, EffectiveRank.ofSingularValues(new double[0]), 0);
        assertEquals(0.0, EffectiveRank.ofNorms(0, 0), 0);
    }

    @Test
    void rejectsNegativeOrNaN() {
        assertThrows(IllegalArgumentException.class, () -> EffectiveRank.ofSingularValues(new double[] {1, -1}));
        assertThrows(IllegalArgumentException.class, () -> EffectiveRank.ofSingularValues(new double[] {Double.NaN}));
    }
}
