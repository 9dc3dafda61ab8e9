package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OvershootTest {
    /** alpha, Target, General triples. */
    private static List<PathPoint> path(double[][] rows) {
        List<PathPoint> out = new ArrayList<>();
        for (double[] r : rows) {
            out.add(new PathPoint(PathKind.CAYLEY, r[0], ModelScores.of(r[1], r[2])));
        }
        return out;
    }

    /** Shaped like the published OFT b32 path: General peaks early, Target saturates. */
    private static final double[][] OFT_LIKE = {
        {0.0, 35.30, 46.97}, {0.3, 45.77, 48.64}, {0.6, 46.60, 47.70}, {0.8, 46.80, 46.10}, {1.0, 46.93, 44.37}};

    @Test
    void defaultRuleTakesTheBestGeneralWithinHalfAPointOfTheFinalTarget() {
        OvershootResult r = Overshoot.select(path(OFT_LIKE), OperatingPointRule.DEFAULT);
        assertEquals(0.6, r.alpha());
        assertEquals(46.60 - 46.93, r.dTarget(), 1e-12);
        assertEquals(47.70 - 44.37, r.dGeneral(), 1e-12);
        assertTrue(r.overshoot());
        assertEquals(1.0, r.finalPoint().alpha());
    }

    @Test
    void eachRuleSelectsWhatItsDescriptionSays() {
        assertEquals(1.0, Overshoot.select(path(OFT_LIKE), OperatingPointRule.BEST_GENERAL_NO_TARGET_LOSS).alpha());
        assertEquals(0.3, Overshoot.select(path(OFT_LIKE), OperatingPointRule.BEST_SUM).alpha());
        OvershootResult wide = Overshoot.select(path(OFT_LIKE), new OvershootOptions(OperatingPointRule.DEFAULT, 1.2, 0.5));
        assertEquals(0.3, wide.alpha(), "a 1.2-point tolerance admits alpha 0.3");
    }

    @Test
    void noOvershootWhenTheFinalPointIsBestOrTheGainIsSmall() {
        double[][] monotone = {{0.0, 30, 50}, {0.5, 40, 49}, {1.0, 45, 48}};
        OvershootResult r = Overshoot.select(path(monotone), OperatingPointRule.DEFAULT);
        assertEquals(1.0, r.alpha());
        assertFalse(r.overshoot());
        assertEquals(0.0, r.dGeneral());
        double[][] small = {{0.0, 30, 50}, {0.9, 44.8, 48.3}, {1.0, 45, 48}};
        OvershootResult s = Overshoot.select(path(small), OperatingPointRule.DEFAULT);
        assertEquals(0.9, s.alpha());
        assertFalse(s.overshoot(), "0.3 points of General is below the 0.5-point threshold");
        assertTrue(Overshoot.select(path(small), new OvershootOptions(OperatingPointRule.DEFAULT, 0.5, 0.2)).overshoot());
    }

    @Test
    void extrapolatedPointsCanBeSelectedButAreNotOvershoot() {
        double[][] rows = {{0.0, 30, 50}, {1.0, 45, 40}, {1.5, 46, 41}};
        OvershootResult r = Overshoot.select(path(rows), OperatingPointRule.DEFAULT);
        assertEquals(1.5, r.alpha());
        assertFalse(r.overshoot());
    }

    @Test
    void tiesPreferHigherTargetThenTheAlphaClosestToOne() {
        double[][] rows = {{0.2, 45, 47}, {0.4, 45.2, 47}, {0.7, 45.2, 47}, {1.0, 45.3, 46}};
        assertEquals(0.7, Overshoot.select(path(rows), OperatingPointRule.DEFAULT).alpha());
    }

    @Test
    void missingFinalPointOrScoresAreClearErrors() {
        assertThrows(PathException.class, () -> Overshoot.select(path(new double[][] {{0, 1, 2}, {0.5, 2, 3}}),
                OperatingPointRule.DEFAULT));
        assertThrows(PathException.class, () -> Overshoot.select(path(new double[][] {{0, 1, Double.NaN}, {1, 2, 3}}),
                OperatingPointRule.DEFAULT));
        assertThrows(PathException.class, () -> new OvershootOptions(OperatingPointRule.DEFAULT, -1, 0.5));
        assertThrows(PathException.class, () -> OperatingPointRule.parse("best"));
        assertEquals(OperatingPointRule.BEST_SUM, OperatingPointRule.parse("best-sum"));
    }
}
