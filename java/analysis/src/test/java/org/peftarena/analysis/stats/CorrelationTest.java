package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CorrelationTest {
    private static final double[] X = {1, 2, 3, 4, 5};
    private static final double[] Y = {2, 4, 5, 4, 5};

    @Test
    void pearsonByHand() {
        // dx = [-2,-1,0,1,2], dy = [-2,0,1,0,1]: sxy = 6, sxx = 10, syy = 6
        assertEquals(6 / Math.sqrt(60), Correlation.pearson(X, Y), 1e-15);
        assertEquals(1.0, Correlation.pearson(X, new double[] {3, 5, 7, 9, 11}), 1e-15);
        assertEquals(-1.0, Correlation.pearson(X, new double[] {5, 4, 3, 2, 1}), 1e-15);
    }

    @Test
    void tiesShareTheirAverageRank() {
        assertArrayEquals(new double[] {1, 2.5, 4.5, 2.5, 4.5}, Correlation.ranks(Y));
        assertArrayEquals(new double[] {2, 2, 2}, Correlation.ranks(new double[] {7, 7, 7}));
    }

    @Test
    void spearmanByHand() {
        // ranks of Y centred: [-2,-0.5,1.5,-0.5,1.5]: sxy = 7, sxx = 10, syy = 9
        assertEquals(7 / Math.sqrt(90), Correlation.spearman(X, Y), 1e-15);
        assertEquals(1.0, Correlation.spearman(X, new double[] {1, 8, 27, 64, 125}), 1e-15);
    }

    @Test
    void undefinedCasesAreNaNAndMismatchIsAnError() {
        assertTrue(Double.isNaN(Correlation.pearson(X, new double[] {1, 1, 1, 1, 1})));
        assertTrue(Double.isNaN(Correlation.pearson(new double[] {1}, new double[] {2})));
        assertThrows(IllegalArgumentException.class, () -> Correlation.spearman(X, new double[] {1, 2}));
    }
}
