package org.peftarena.arena.frontier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Pareto frontier of points in (Target, General), both maximised: the points no other point
 * dominates. Equal points are all on the frontier.
 */
public final class ParetoFrontier {
    private ParetoFrontier() {
    }

    /**
     * @param points any points (ids need not be unique)
     * @return the non-dominated points, by increasing Target (so General decreases along the list)
     */
    public static List<ScorePoint> of(List<ScorePoint> points) {
        List<ScorePoint> out = new ArrayList<>();
        for (ScorePoint p : points) {
            boolean dominated = false;
            for (ScorePoint q : points) {
                if (q.dominates(p)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingDouble(ScorePoint::target).thenComparing(ScorePoint::general,
                Comparator.reverseOrder()));
        return out;
    }
}
