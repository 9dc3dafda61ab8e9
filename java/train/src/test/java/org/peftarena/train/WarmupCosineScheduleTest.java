package org.peftarena.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmupCosineScheduleTest {
    @Test
    void warmsUpLinearlyThenDecaysByCosineToTheFloor() {
        WarmupCosineSchedule s = WarmupCosineSchedule.standard(1e-3, 100);
        assertEquals(10, s.warmupSteps());
        assertEquals(1e-4, s.learningRate(0), 1e-15);
        assertEquals(5e-4, s.learningRate(4), 1e-15);
        assertEquals(1e-3, s.learningRate(9), 1e-15);
        assertEquals(1e-3, s.learningRate(10), 1e-15);
        // halfway through the decay the cosine factor is 1/2
        assertEquals(0.5e-3, s.learningRate(10 + 89 / 2) , 1e-5);
        assertEquals(0.0, s.learningRate(99), 1e-15);
        for (int i = 11; i < 100; i++) {
            assertTrue(s.learningRate(i) <= s.learningRate(i - 1));
        }
        WarmupCosineSchedule floor = new WarmupCosineSchedule(1.0, 50, 0.0, 0.1);
        assertEquals(1.0, floor.learningRate(0), 1e-12);
        assertEquals(0.1, floor.learningRate(49), 1e-12);
    }

    @Test
    void aOneStepRunTakesItsStepAtThePeak() {
        assertEquals(2e-3, new WarmupCosineSchedule(2e-3, 1, 0.0, 0.0).learningRate(0), 0.0);
        assertEquals(2e-3, WarmupCosineSchedule.standard(2e-3, 1).learningRate(0), 0.0);
        // two steps still end on the floor
        assertEquals(0.0, new WarmupCosineSchedule(2e-3, 2, 0.0, 0.0).learningRate(1), 0.0);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(0, 10, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1, 0, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineSchedule(1, 10, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> WarmupCosineSchedule.standard(1, 10).learningRate(-1));
    }
}
