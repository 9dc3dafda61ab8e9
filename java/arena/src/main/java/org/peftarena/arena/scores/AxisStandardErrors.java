package org.peftarena.arena.scores;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.peftarena.analysis.stats.ClusterBootstrap;
import org.peftarena.analysis.stats.ClusterBootstrap.Clusters;
import org.peftarena.arena.eval.ItemCounts;

/**
 * Standard errors of Target and General from the per-item counts behind a model's task scores: a
 * cluster bootstrap over documents (text tasks) or problems, General as the unweighted mean of its
 * tasks. The one place these errors are computed, for final scores and path points alike.
 */
public final class AxisStandardErrors {
    /** The bootstrap every report uses (fixed seed: equal counts give equal errors). */
    public static final ClusterBootstrap BOOTSTRAP = ClusterBootstrap.defaults();

    private AxisStandardErrors() {
    }

    /** Standard error of Target in points, or NaN when the target task has no counts. */
    public static double target(Map<String, ItemCounts> counts, String target) {
        ItemCounts c = counts.get(target);
        return c == null || c.size() == 0 ? Double.NaN : BOOTSTRAP.standardError(clusters(c));
    }

    /** Standard error of General in points, or NaN when a general task has no counts. */
    public static double general(Map<String, ItemCounts> counts, List<String> general) {
        List<Clusters> g = clusters(counts, general);
        return g == null ? Double.NaN : BOOTSTRAP.standardError(g);
    }

    /** The counts of the given tasks as bootstrap clusters, or null when one is missing or empty. */
    public static List<Clusters> clusters(Map<String, ItemCounts> counts, List<String> tasks) {
        if (tasks == null || tasks.isEmpty()) {
            return null;
        }
        List<Clusters> out = new ArrayList<>();
        for (String t : tasks) {
            if (!counts.containsKey(t) || counts.get(t).size() == 0) {
                return null;
            }
            out.add(clusters(counts.get(t)));
        }
        return out;
    }

    /** One task's counts as bootstrap clusters. */
    public static Clusters clusters(ItemCounts c) {
        return new Clusters(c.correct().stream().mapToInt(Integer::intValue).toArray(),
                c.total().stream().mapToInt(Integer::intValue).toArray());
    }
}
