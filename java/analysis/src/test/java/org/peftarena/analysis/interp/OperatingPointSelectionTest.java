package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Operating points are selected on validation scores and reported on test scores; the Target
 * tolerance is the larger of its points and its standard errors.
 */
class OperatingPointSelectionTest {
    /**
     * alpha, test Target, test General, validation Target, validation General. Validation and test
     * disagree: on validation the best admissible General is at 0.3, on test at 0.6.
     */
    private static final double[][] DISAGREE = {
        {0.0, 35.0, 47.0, 35.0, 47.0},
        {0.3, 44.0, 45.0, 46.8, 48.5},
        {0.6, 46.8, 48.0, 44.0, 45.0},
        {1.0, 47.0, 44.0, 47.0, 44.0}};

    private static List<PathPoint> path(double[][] rows, double validationTargetSe) {
        List<PathPoint> out = new ArrayList<>();
        for (double[] r : rows) {
            out.add(new PathPoint(PathKind.LINEAR, r[0], ModelScores.of(r[1], r[2], 0.4, 0.3),
                    ModelScores.of(r[3], r[4], validationTargetSe, 0.3), r[0]));
        }
        return out;
    }

    private static List<PathPoint> testOnly(double[][] rows) {
        List<PathPoint> out = new ArrayList<>();
        for (double[] r : rows) {
            out.add(new PathPoint(PathKind.LINEAR, r[0], ModelScores.of(r[1], r[2])));
        }
        return out;
    }

    @Test
    void theOperatingPointIsChosenOnValidationAndReportedOnTest() {
        OvershootResult r = Overshoot.select(path(DISAGREE, 0.1), OvershootOptions.DEFAULT);
        // chosen on test scores this would be alpha 0.6 (test General 48.0 within 0.5 of test Target 47.0)
        assertEquals(0.3, r.alpha(), "selected on validation: General 48.5 at Target 46.8 >= 47.0 - 0.5");
        assertEquals(OvershootResult.VALIDATION, r.selectedOn());
        // reported on test: the selected point's test scores against the final test scores
        assertEquals(44.0 - 47.0, r.dTarget(), 1e-12);
        assertEquals(45.0 - 44.0, r.dGeneral(), 1e-12);
        assertEquals(44.0, r.selected().target());
        assertTrue(r.overshoot(), "test General gains 1.0 > 0.5");
    }

    @Test
    void withoutValidationScoresTheSelectionReadsTestAndSaysSo() {
        OvershootResult r = Overshoot.select(testOnly(DISAGREE), OvershootOptions.DEFAULT);
        assertEquals(0.6, r.alpha());
        assertEquals(OvershootResult.TEST, r.selectedOn());
        // one point lacking validation scores: no mixing of splits
        List<PathPoint> mixed = new ArrayList<>(path(DISAGREE, 0.1));
        mixed.set(1, testOnly(DISAGREE).get(1));
        assertEquals(OvershootResult.TEST, Overshoot.select(mixed, OvershootOptions.DEFAULT).selectedOn());
    }

    @Test
    void theSumRuleAlsoReadsValidation() {
        OvershootResult r = Overshoot.select(path(DISAGREE, 0.1), OvershootOptions.of(OperatingPointRule.BEST_SUM));
        assertEquals(0.3, r.alpha(), "validation sums: 82.0, 95.3, 89.0, 91.0");
    }

    @Test
    void theToleranceIsTheLargerOfPointsAndStandardErrors() {
        double[][] rows = {{0.0, 35, 47, 35, 47}, {0.5, 45.5, 48, 45.5, 48}, {1.0, 47, 44, 47, 44}};
        // 1.5 points below the final Target: outside 0.5 points, inside 1 SE of 2.0
        OvershootResult narrow = Overshoot.select(path(rows, 0.2), OvershootOptions.DEFAULT);
        assertEquals(1.0, narrow.alpha());
        assertEquals(0.5, narrow.tolerance(), 1e-12);
        OvershootResult wide = Overshoot.select(path(rows, 2.0), OvershootOptions.DEFAULT);
        assertEquals(0.5, wide.alpha());
        assertEquals(2.0, wide.tolerance(), 1e-12);
        // in SE units alone (0 points): 0.5 SE of 2.0 = 1.0 < 1.5
        OvershootOptions halfSe = new OvershootOptions(OperatingPointRule.DEFAULT, 0, 0.5, 0.5);
        assertEquals(1.0, Overshoot.select(path(rows, 2.0), halfSe).alpha());
        // in points alone (0 SE): 2 points admit it whatever the error
        OvershootOptions points = new OvershootOptions(OperatingPointRule.DEFAULT, 2, 0.5, 0);
        assertEquals(0.5, Overshoot.select(path(rows, 0.01), points).alpha());
        // without a standard error the points apply
        assertEquals(0.5, OvershootOptions.DEFAULT.tolerance(Double.NaN));
        assertFalse(Double.isNaN(OvershootOptions.DEFAULT.tolerance(1.0)));
        assertThrows(PathException.class, () -> new OvershootOptions(OperatingPointRule.DEFAULT, 0.5, 0.5, -1));
    }
}
