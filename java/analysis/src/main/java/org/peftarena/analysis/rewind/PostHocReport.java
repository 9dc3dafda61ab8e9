package org.peftarena.analysis.rewind;

import java.util.List;
import org.peftarena.analysis.interp.OvershootResult;
import org.peftarena.analysis.interp.PathPoint;

/**
 * The post-hoc analysis of one run.
 *
 * @param path the run's own path (Cayley for OFT, linear for additive adapters, dense for full finetuning)
 * @param denseBaseline OFT's dense-delta path on the same grid (empty for other methods or when not asked for)
 * @param operatingPoint the operating point on {@code path} and the overshoot flag
 * @param rewinding the rewinding table (empty for methods that cannot be rewound this way)
 */
public record PostHocReport(List<PathPoint> path, List<PathPoint> denseBaseline, OvershootResult operatingPoint,
                            List<RewindOutcome> rewinding) {
    /** Copies the lists. */
    public PostHocReport {
        path = List.copyOf(path);
        denseBaseline = List.copyOf(denseBaseline);
        rewinding = List.copyOf(rewinding);
    }
}
