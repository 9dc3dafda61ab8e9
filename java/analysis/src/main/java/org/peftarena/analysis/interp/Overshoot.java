package org.peftarena.analysis.interp;

import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Selects a run's operating point on its path and detects overshoot: some alpha &lt; 1 reaching a
 * General clearly above the final checkpoint's while its Target stays within the tolerance.
 *
 * <p>The selection reads the validation scores when every point has them and the reported numbers
 * (deltas, overshoot flag) are the test scores of the selected point, so choosing a point does not
 * leak into the numbers that judge it. A path without validation scores (imported scores) is
 * selected on its test scores and the result says so.
 */
public final class Overshoot {
    private Overshoot() {}

    /** {@link #select(List, OvershootOptions)} with the rule and the default numbers. */
    public static OvershootResult select(List<PathPoint> points, OperatingPointRule rule) {
        return select(points, OvershootOptions.of(rule));
    }

    /**
     * Selects the operating point. Ties go to the higher Target, then to the alpha closest to 1.
     *
     * @param points the evaluated path, including alpha = 1
     * @param options rule and thresholds
     * @throws PathException when no point has alpha = 1 or a score is not a number
     */
    public static OvershootResult select(List<PathPoint> points, OvershootOptions options) {
        PathPoint fin = points.stream().filter(p -> p.alpha() == 1.0).findFirst()
                .orElseThrow(() -> new PathException("the path has no point at alpha = 1 (the final checkpoint)"));
        boolean validation = points.stream().allMatch(p -> p.validation() != null
                && !Double.isNaN(p.validation().target()) && !Double.isNaN(p.validation().general()));
        Function<PathPoint, ModelScores> on = validation ? PathPoint::validation : PathPoint::scores;
        for (PathPoint p : points) {
            if (Double.isNaN(p.target()) || Double.isNaN(p.general())) {
                throw new PathException("overshoot needs Target and General at every point; alpha "
                        + AlphaGrid.label(p.alpha()) + " lacks one");
            }
        }
        ModelScores finalOn = on.apply(fin);
        double tolerance = options.tolerance(finalOn.targetSe());
        double floor = switch (options.rule()) {
            case BEST_GENERAL_WITHIN_TOLERANCE -> finalOn.target() - tolerance;
            case BEST_GENERAL_NO_TARGET_LOSS -> finalOn.target();
            case BEST_SUM -> Double.NEGATIVE_INFINITY;
        };
        Comparator<PathPoint> better = options.rule() == OperatingPointRule.BEST_SUM
                ? Comparator.comparingDouble(p -> on.apply(p).target() + on.apply(p).general())
                : Comparator.comparingDouble(p -> on.apply(p).general());
        better = better.thenComparingDouble(p -> on.apply(p).target())
                .thenComparingDouble(p -> -Math.abs(p.alpha() - 1.0));
        PathPoint selected = points.stream().filter(p -> on.apply(p).target() >= floor).max(better).orElse(fin);
        double dTarget = selected.target() - fin.target();
        double dGeneral = selected.general() - fin.general();
        boolean overshoot = selected.alpha() < 1.0 && dGeneral > options.generalThreshold();
        return new OvershootResult(options, selected, fin, dTarget, dGeneral, overshoot,
                validation ? OvershootResult.VALIDATION : OvershootResult.TEST, tolerance);
    }
}
