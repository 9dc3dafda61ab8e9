package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.peftarena.train.TrainingProgress;

class TrainingStatusTest {
    private static final Pattern GRAD = Pattern.compile(" grad (\\S+) ");

    @Test
    void theGradientNormKeepsThreeSignificantDigitsAtAnyScale() {
        for (double norm : new double[] {1.234, 0.0123, 4.56e-4, 1.5e-7, 3.2e5}) {
            String line = TrainingStatus.line(new TrainingProgress(8, 100, 2.5, 1e-2, norm, 1000, 1.0));
            Matcher m = GRAD.matcher(line);
            assertTrue(m.find(), line);
            double shown = Double.parseDouble(m.group(1));
            assertTrue(shown > 0, "a positive norm never reads as 0: " + line);
            assertEquals(norm, shown, norm * 5e-3, line);
        }
    }

    @Test
    void aZeroGradientReadsAsZero() {
        String line = TrainingStatus.line(new TrainingProgress(1, 10, 5.5568, 1e-4, 0.0, 100, 1.0));
        Matcher m = GRAD.matcher(line);
        assertTrue(m.find(), line);
        assertEquals(0.0, Double.parseDouble(m.group(1)), line);
    }
}
