package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BenjaminiHochbergTest {
    @Test
    void handComputedAdjustments() {
        // sorted 0.005, 0.01, 0.03, 0.04 (m = 4): m p / rank = 0.02, 0.02, 0.04, 0.04
        assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02},
                BenjaminiHochberg.adjust(new double[] {0.01, 0.04, 0.03, 0.005}), 1e-15);
        // m p / rank = 0.06, 0.0315, 0.9: the running minimum from the top pulls the first down
        assertArrayEquals(new double[] {0.0315, 0.0315, 0.9},
                BenjaminiHochberg.adjust(new double[] {0.02, 0.021, 0.9}), 1e-15);
        // m p / rank = 1.4, 0.9: the smallest p-value's adjustment is pulled down to the next one's
        assertArrayEquals(new double[] {0.9, 0.9}, BenjaminiHochberg.adjust(new double[] {0.7, 0.9}), 1e-15);
    }

    @Test
    void nanIsLeftOutOfTheCount() {
        assertArrayEquals(new double[] {0.02, Double.NaN, 0.02},
                BenjaminiHochberg.adjust(new double[] {0.01, Double.NaN, 0.02}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> BenjaminiHochberg.adjust(new double[] {1.5}));
    }
}
