package org.peftarena.analysis.interp;

/**
 * How an operating point is selected and when the selection counts as overshoot.
 *
 * @param rule the selection rule
 * @param targetTolerance Target points a selected point may lose against the final one, >= 0
 * @param generalThreshold General points a selected point with alpha &lt; 1 must gain to flag overshoot, >= 0
 */
public record OvershootOptions(OperatingPointRule rule, double targetTolerance, double generalThreshold) {
    /** The protocol's Target tolerance, in points. */
    public static final double DEFAULT_TARGET_TOLERANCE = 0.5;
    /** General gain, in points, above which a selected earlier point flags overshoot. */
    public static final double DEFAULT_GENERAL_THRESHOLD = 0.5;
    /** The defaults. */
    public static final OvershootOptions DEFAULT =
            new OvershootOptions(OperatingPointRule.DEFAULT, DEFAULT_TARGET_TOLERANCE, DEFAULT_GENERAL_THRESHOLD);

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
    }

    /** The default numbers with another rule. */
    public static OvershootOptions of(OperatingPointRule rule) {
        return new OvershootOptions(rule, DEFAULT_TARGET_TOLERANCE, DEFAULT_GENERAL_THRESHOLD);
    }
}
