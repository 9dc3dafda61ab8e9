package org.peftarena.analysis.interp;

import java.util.Comparator;
import java.util.List;

/**
 * Selects a run's operating point on its path and detects overshoot: some alpha &lt; 1 reaching a
 * General clearly above the final checkpoint's while its Target stays within the tolerance.
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
        for (PathPoint p : points) {
            if (Double.isNaN(p.target()) || Double.isNaN(p.general())) {
                throw new PathException("overshoot needs Target and General at every point; alpha "
                        + AlphaGrid.label(p.alpha()) + " lacks one");
            }
        }
        double floor = switch (options.rule()) {
            case BEST_GENERAL_WITHIN_TOLERANCE -> fin.target() - options.targetTolerance();
            case BEST_GENERAL_NO_TARGET_LOSS -> fin.target();
            case BEST_SUM -> Double.NEGATIVE_INFINITY;
        };
        Comparator<PathPoint> better = options.rule() == OperatingPointRule.BEST_SUM
                ? Comparator.comparingDouble(p -> p.target() + p.general())
                : Comparator.comparingDouble(PathPoint::general);
        better = better.thenComparingDouble(PathPoint::target)
                .thenComparingDouble(p -> -Math.abs(p.alpha() - 1.0));
        PathPoint selected = points.stream().filter(p -> p.target() >= floor).max(better).orElse(fin);
        double dTarget = selected.target() - fin.target();
        double dGeneral = selected.general() - fin.general();
        boolean overshoot = selected.alpha() < 1.0 && dGeneral > options.generalThreshold();
        return new OvershootResult(options, selected, fin, dTarget, dGeneral, overshoot);
    }
}
