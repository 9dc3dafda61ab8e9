package org.peftarena.analysis.interp;

/**
 * The operating point of a run and how it compares with the final checkpoint. The point is
 * selected on {@code selectedOn} (the validation split when every point has validation scores)
 * and reported on the test split: {@code dTarget} and {@code dGeneral} are test-split differences.
 *
 * @param options the rule and thresholds used
 * @param selected the selected point
 * @param finalPoint the point at alpha = 1
 * @param dTarget selected Target minus final Target on the test split, in points
 * @param dGeneral selected General minus final General on the test split, in points
 * @param overshoot whether a point with alpha &lt; 1 was selected and gains more than the General threshold (test split)
 * @param selectedOn the split the selection read: {@link #VALIDATION} or {@link #TEST}
 * @param tolerance the Target tolerance applied, in points ({@link OvershootOptions#tolerance})
 */
public record OvershootResult(OvershootOptions options, PathPoint selected, PathPoint finalPoint, double dTarget,
                              double dGeneral, boolean overshoot, String selectedOn, double tolerance) {
    /** Selection on the validation split (the protocol). */
    public static final String VALIDATION = "validation";
    /** Selection on the test split (only when the path has no validation scores). */
    public static final String TEST = "test";

    /** The selected point's alpha. */
    public double alpha() {
        return selected.alpha();
    }
}
