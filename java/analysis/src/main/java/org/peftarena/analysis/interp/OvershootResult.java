package org.peftarena.analysis.interp;

/**
 * The operating point of a run and how it compares with the final checkpoint.
 *
 * @param options the rule and thresholds used
 * @param selected the selected point
 * @param finalPoint the point at alpha = 1
 * @param dTarget selected Target minus final Target, in points
 * @param dGeneral selected General minus final General, in points
 * @param overshoot whether a point with alpha &lt; 1 was selected and gains more than the General threshold
 */
public record OvershootResult(OvershootOptions options, PathPoint selected, PathPoint finalPoint, double dTarget,
                              double dGeneral, boolean overshoot) {
    /** The selected point's alpha. */
    public double alpha() {
        return selected.alpha();
    }
}
