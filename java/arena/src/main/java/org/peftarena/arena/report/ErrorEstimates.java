package org.peftarena.arena.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.analysis.stats.ClusterBootstrap;
import org.peftarena.analysis.stats.ClusterBootstrap.Clusters;
import org.peftarena.arena.eval.ItemCounts;
import org.peftarena.arena.scores.AxisStandardErrors;

/**
 * A run's {@link ScoreErrors} from the per-item counts of its final scores and of its base model's:
 * Target and General by a cluster bootstrap over documents (problems), Gain and Forget by a paired
 * bootstrap over the same documents of base and run. An error is left out (null) when counts are
 * missing, or, for the paired ones, when base and run were not scored on the same items.
 */
final class ErrorEstimates {
    private static final ClusterBootstrap BOOTSTRAP = AxisStandardErrors.BOOTSTRAP;

    private ErrorEstimates() {
    }

    /**
     * @param run     the run's counts by task
     * @param base    the base model's counts by task (empty without a base)
     * @param target  the target task
     * @param general the tasks General averages
     */
    static ScoreErrors of(Map<String, ItemCounts> run, Map<String, ItemCounts> base, String target,
                          List<String> general) {
        if (run.isEmpty()) {
            return null;
        }
        Map<String, Integer> documents = new TreeMap<>();
        run.forEach((t, c) -> documents.put(t, c.size()));
        double t = AxisStandardErrors.target(run, target);
        Double targetSe = Double.isNaN(t) ? null : t;
        List<Clusters> g = list(run, general);
        Double generalSe = g == null ? null : AxisStandardErrors.general(run, general);
        Double gainSe = null;
        if (targetSe != null && paired(run, base, List.of(target))) {
            gainSe = BOOTSTRAP.pairedStandardError(List.of(clusters(base.get(target))), List.of(clusters(run.get(target))));
        }
        Double forgetSe = null;
        if (g != null && paired(run, base, general)) {
            forgetSe = BOOTSTRAP.pairedStandardError(list(base, general), g);
        }
        return new ScoreErrors(targetSe, generalSe, forgetSe, gainSe, documents);
    }

    /** Standard errors of a model scored alone (the base model): Target and General. */
    static ScoreErrors alone(Map<String, ItemCounts> counts, String target, List<String> general) {
        return of(counts, Map.of(), target, general);
    }

    private static boolean paired(Map<String, ItemCounts> run, Map<String, ItemCounts> base, List<String> tasks) {
        for (String t : tasks) {
            if (!run.containsKey(t) || !base.containsKey(t) || !run.get(t).items().equals(base.get(t).items())) {
                return false;
            }
        }
        return !tasks.isEmpty();
    }

    private static List<Clusters> list(Map<String, ItemCounts> counts, List<String> tasks) {
        return AxisStandardErrors.clusters(counts, tasks);
    }

    static Clusters clusters(ItemCounts c) {
        return AxisStandardErrors.clusters(c);
    }
}
