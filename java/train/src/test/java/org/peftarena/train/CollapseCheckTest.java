package org.peftarena.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CollapseCheckTest {
    private static final double LN_259 = Math.log(259);

    @Test
    void zeroGradientsAtTheUniformLossForTheWindowAreACollapse() {
        CollapseCheck c = CollapseCheck.forVocabulary(259);
        for (int step = 1; step <= 100; step++) {
            assertNull(c.observe(step, 2.0 - step * 0.01, 0.3), "healthy step " + step);
        }
        String evidence = null;
        for (int step = 101; step <= 100 + CollapseCheck.DEFAULT_STEPS; step++) {
            assertNull(evidence, "reported before the window was full");
            evidence = c.observe(step, (float) LN_259, 0.0);
        }
        assertNotNull(evidence, "a full window of collapsed steps is reported");
        assertEquals(101, c.firstStep());
        assertTrue(evidence.contains("for 10 steps since step 101 the gradient norm was 0"), evidence);
        assertTrue(evidence.contains("ln 259 = 5.5568, a uniform next-token distribution"), evidence);
    }

    @Test
    void anExactlyZeroGradientAtAPositiveLossIsACollapseAnywhere() {
        CollapseCheck c = new CollapseCheck(40, 3);
        assertNull(c.observe(1, 2.5, 0.0));
        assertNull(c.observe(2, 2.4, 0.0));
        String evidence = c.observe(3, 2.6, 0.0);
        assertNotNull(evidence);
        assertTrue(evidence.contains("the loss stayed at 2.4 to 2.6") && !evidence.contains("uniform"), evidence);
    }

    @Test
    void aTinyButNonZeroGradientCountsOnlyAtTheUniformLoss() {
        CollapseCheck c = new CollapseCheck(259, 3);
        for (int step = 1; step <= 50; step++) {
            assertNull(c.observe(step, 3.0, 1e-9), "a tiny gradient away from the uniform loss is not a collapse");
        }
        c.observe(51, LN_259 + 5e-4, 3e-7);
        c.observe(52, LN_259 - 5e-4, 1e-7);
        String evidence = c.observe(53, LN_259, 2e-7);
        assertNotNull(evidence);
        assertTrue(evidence.contains("at most 3e-7") && evidence.contains("5.5563 to 5.5573"), evidence);
    }

    @Test
    void healthyStepsResetTheCount() {
        CollapseCheck c = new CollapseCheck(259, 4);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 3; i++) {
                assertNull(c.observe(round * 4 + i + 1, LN_259, 0.0));
            }
            assertNull(c.observe(round * 4 + 4, 4.0, 0.5), "one healthy step ends the run of collapsed steps");
        }
    }

    @Test
    void healthyTrainingWithOccasionalSmallGradientsIsNotFlagged() {
        CollapseCheck c = CollapseCheck.forVocabulary(259);
        Random r = new Random(5);
        // an untrained model: loss at ln(vocab) with a real gradient
        for (int step = 1; step <= 20; step++) {
            assertNull(c.observe(step, LN_259 + 1e-4 * r.nextGaussian(), 0.5 + r.nextDouble()));
        }
        // training converges onto a memorised batch: tiny gradients at a tiny loss, exact zeros at loss 0
        for (int step = 21; step <= 5000; step++) {
            double loss = Math.max(0, 5 * Math.exp(-step / 300.0) + (step % 97 == 0 ? 0.5 : 0));
            double norm = step % 13 == 0 ? 1e-9 * r.nextDouble() : loss * (0.5 + r.nextDouble());
            if (loss < 1e-6) {
                norm = step % 2 == 0 ? 0 : 1e-12;
            }
            assertNull(c.observe(step, loss, norm), "step " + step + " loss " + loss + " norm " + norm);
        }
    }

    @Test
    void numbersAreShortAndExact() {
        assertEquals("5.5568", CollapseCheck.number(LN_259));
        assertEquals("0", CollapseCheck.number(0));
        assertEquals("3e-7", CollapseCheck.number(3e-7));
        assertEquals("2.5", CollapseCheck.number(2.5));
        assertThrows(IllegalArgumentException.class, () -> new CollapseCheck(1, 10));
        assertThrows(IllegalArgumentException.class, () -> new CollapseCheck(259, 0));
    }
}
