package org.peftarena.analysis.rewind;

import java.util.List;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.OvershootOptions;
import org.peftarena.analysis.interp.PathException;

/**
 * What the post-hoc analysis of one run computes.
 *
 * @param grid the alpha grid of every path
 * @param overshoot the operating-point rule and thresholds
 * @param rewinding rewinding recipes scored for OFT runs (may be empty)
 * @param denseBaseline also score OFT's dense-delta path next to its Cayley path
 */
public record PostHocOptions(AlphaGrid grid, OvershootOptions overshoot, List<RewindOptions> rewinding, boolean denseBaseline) {
    /** The protocol's defaults: grid 0..1 step 0.1, the default rule, uniform 0.4 / SafeRho / MinRho, dense baseline on. */
    public static final PostHocOptions DEFAULT =
            new PostHocOptions(AlphaGrid.DEFAULT, OvershootOptions.DEFAULT, RewindOptions.ARENA_TABLE, true);

    /** Validates and copies. */
    public PostHocOptions {
        if (grid == null || overshoot == null || rewinding == null) {
            throw new PathException("post-hoc options need a grid, overshoot options and a (possibly empty) rewinding list");
        }
        if (grid.indexOf(1.0) < 0) {
            throw new PathException("the alpha grid must contain 1 (the final checkpoint) for the overshoot report");
        }
        rewinding = List.copyOf(rewinding);
    }
}
