package org.peftarena.analysis.interp;

/**
 * How an operating point is selected and when the selection counts as overshoot.
 *
 * <p>The Target tolerance is the larger of {@code targetTolerance} points and {@code toleranceSe}
 * standard errors of the final checkpoint's Target on the split the selection uses (points alone
 * where that Target has no standard error): a point is admissible when its Target is at least the
 * final Target minus this tolerance. Setting either to 0 leaves the other alone in charge.
 *
 * @param rule the selection rule
 * @param targetTolerance Target points a selected point may lose against the final one, >= 0
 * @param generalThreshold General points a selected point with alpha &lt; 1 must gain to flag overshoot, >= 0
 * @param toleranceSe Target standard errors a selected point may lose against the final one, >= 0
 */
public record OvershootOptions(OperatingPointRule rule, double targetTolerance, double generalThreshold,
                               double toleranceSe) {
    /** The protocol's Target tolerance, in points. */
    public static final double DEFAULT_TARGET_TOLERANCE = 0.5;
    /** General gain, in points, above which a selected earlier point flags overshoot. */
    public static final double DEFAULT_GENERAL_THRESHOLD = 0.5;
    /** The Target tolerance in standard errors of the final Target. */
    public static final double DEFAULT_TOLERANCE_SE = 1.0;
    /** The defaults. */
    public static final OvershootOptions DEFAULT = of(OperatingPointRule.DEFAULT);

    /** Validates the numbers. */
    public OvershootOptions {
        if (rule == null) {
            throw new PathException("operating-point rule must be given");
        }
        if (!(targetTolerance >= 0) || Double.isInfinite(targetTolerance)) {
            throw new PathException("Target tolerance must be a finite number >= 0, got " + targetTolerance);
        }
        if (!(generalThreshold >= 0) || Double.isInfinite(generalThreshold)) {
            throw new PathException("General threshold must be a finite number >= 0, got " + generalThreshold);
        }
        if (!(toleranceSe >= 0) || Double.isInfinite(toleranceSe)) {
            throw new PathException("Target tolerance in standard errors must be a finite number >= 0, got "
                    + toleranceSe);
        }
    }

    /** Options with the default tolerance in standard errors. */
    public OvershootOptions(OperatingPointRule rule, double targetTolerance, double generalThreshold) {
        this(rule, targetTolerance, generalThreshold, DEFAULT_TOLERANCE_SE);
    }

    /** The default numbers with another rule. */
    public static OvershootOptions of(OperatingPointRule rule) {
        return new OvershootOptions(rule, DEFAULT_TARGET_TOLERANCE, DEFAULT_GENERAL_THRESHOLD, DEFAULT_TOLERANCE_SE);
    }

    /**
     * The Target tolerance in points: {@code max(targetTolerance, toleranceSe * finalTargetSe)}.
     *
     * @param finalTargetSe standard error of the final checkpoint's Target on the selection split, or NaN
     */
    public double tolerance(double finalTargetSe) {
        return Double.isFinite(finalTargetSe) ? Math.max(targetTolerance, toleranceSe * finalTargetSe) : targetTolerance;
    }
}
