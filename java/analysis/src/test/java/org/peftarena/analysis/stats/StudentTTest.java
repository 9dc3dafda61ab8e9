package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StudentTTest {
    @Test
    void closedFormTails() {
        // df = 1 is the Cauchy distribution: P(|T| >= 1) = 1/2
        assertEquals(0.5, StudentT.twoSided(1, 1), 1e-12);
        // df = 2: P(|T| >= t) = 1 - t / sqrt(2 + t^2)
        assertEquals(1 - 2 / Math.sqrt(6), StudentT.twoSided(2, 2), 1e-12);
        assertEquals(1 - 0.3 / Math.sqrt(2.09), StudentT.twoSided(-0.3, 2), 1e-12);
        // large df approaches the normal: P(|Z| >= 1.959964) = 0.05
        assertEquals(0.05, StudentT.twoSided(1.959964, 1e7), 1e-6);
        assertEquals(1, StudentT.twoSided(0, 5), 1e-12);
        assertEquals(Math.log(24), StudentT.logGamma(5), 1e-12);
    }

    @Test
    void correlationPOfFourPairsIsOneMinusAbsR() {
        // n = 4, df = 2: t^2 = 2 r^2 / (1 - r^2), so t / sqrt(2 + t^2) = |r|
        for (double r : new double[] {0.1, -0.5, 0.8, 0.99}) {
            assertEquals(1 - Math.abs(r), StudentT.correlationP(r, 2), 1e-10);
        }
        assertEquals(0, StudentT.correlationP(1, 5), 0);
        assertTrue(Double.isNaN(StudentT.correlationP(Double.NaN, 5)));
        assertTrue(Double.isNaN(StudentT.correlationP(0.5, 0)));
    }
}
