package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FluctuationScoreTest {
    @Test
    void reflectionPaddingMirrorsWithoutRepeatingTheEdge() {
        // spec: [x2, x1, x0, x1, ..., x(n-1), x(n-2), x(n-3)]
        double[] padded = FluctuationScore.reflectPad(new double[] {10, 11, 12, 13, 14, 15});
        assertArrayEquals(new double[] {12, 11, 10, 11, 12, 13, 14, 15, 14, 13}, padded);
    }

    @Test
    void constantProfileScoresZero() {
        assertEquals(0.0, FluctuationScore.of(new double[] {3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5}), 0.0);
    }

    @Test
    void shortProfileScoresZero() {
        assertEquals(0.0, FluctuationScore.of(new double[] {1, 9, 1, 9}), 0.0);
        assertEquals(0.0, FluctuationScore.of(new double[0]), 0.0);
    }

    @Test
    void rampDiffersOnlyAtTheReflectedEdges() {
        // interior windows of a ramp average to the centre; edges see [2,1,0,1,2] and [1,0,1,2,3]
        double expected = 2 * (Math.abs(0 - 6.0 / 5) + Math.abs(1 - 7.0 / 5)) / 6;
        assertEquals(expected, FluctuationScore.of(new double[] {0, 1, 2, 3, 4, 5}), 1e-15);
    }

    @Test
    void spikeExampleByHand() {
        // padded [5,0,0,0,5,0,0,0,5]: MA = [2,1,1,1,2], |x - MA| = [2,1,4,1,2]
        assertArrayEquals(new double[] {2, 1, 1, 1, 2}, FluctuationScore.movingAverage(new double[] {0, 0, 5, 0, 0}),
                1e-15);
        assertEquals(2.0, FluctuationScore.of(new double[] {0, 0, 5, 0, 0}), 1e-15);
    }

    @Test
    void paddingNeedsThreeValues() {
        assertThrows(IllegalArgumentException.class, () -> FluctuationScore.reflectPad(new double[] {1, 2}));
    }
}
