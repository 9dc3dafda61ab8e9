package org.peftarena.arena.report;

import java.util.List;
import java.util.Map;
import org.peftarena.analysis.run.ForgetCorrelations;

/**
 * The geometry diagnostics of an arena's runs in a report: per-run metrics (per module location and
 * averaged over locations), per-method means, the retention and adaptation profiles against the
 * pretrained spectrum, and the correlation of every metric with Forget (and of target-side metrics
 * with Gain) across runs.
 *
 * @param modules           analysed module locations
 * @param runs              every run with diagnostics
 * @param groups            means over module locations and seeds per (method, budget, target)
 * @param profiles          profiles per target and module location
 * @param correlations      Pearson and Spearman correlations across runs, keyed like the run metrics
 * @param inference         averaged metrics against Forget with intervals, adjusted p-values, within-group
 *                          correlations and the comparison with the weight-norm baseline
 * @param failures          runs whose diagnostics failed or could not be read
 * @param totalSeconds      wall time of all diagnostics phases
 * @param meanSecondsPerRun mean wall time of one run's diagnostics
 */
public record DiagnosticsSection(List<String> modules, List<RunEntry> runs, List<GroupEntry> groups,
                                 List<Profile> profiles, ForgetCorrelations.Result correlations,
                                 ForgetInference.Result inference, List<Failure> failures, double totalSeconds,
                                 double meanSecondsPerRun) {
    /** Key prefix of metrics averaged over the module locations, e.g. {@code mean/act_G/linear_cka}. */
    public static final String MEAN = "mean";

    /**
     * @param runId   the run
     * @param method  method name
     * @param budget  budget band
     * @param target  target task
     * @param seed    training seed
     * @param group   its run group (within-group correlations remove each group's mean)
     * @param seconds wall time of its diagnostics
     * @param forget  its Forget, or null
     * @param gain    its Gain, or null
     * @param metrics finite metrics keyed {@code module/group/name} and {@code mean/group/name}
     */
    public record RunEntry(String runId, String method, String budget, String target, long seed, String group,
                           double seconds,
                           Double forget, Double gain, Map<String, Double> metrics) {
    }

    /**
     * @param key    {@code method/budget/target}
     * @param method method name
     * @param budget budget band
     * @param target target task
     * @param runs   runs averaged
     * @param means  the runs' {@code mean/group/name} metrics averaged over them
     */
    public record GroupEntry(String key, String method, String budget, String target, int runs,
                             Map<String, Double> means) {
    }

    /**
     * @param target   target task
     * @param module   module location
     * @param index    singular indices shown (every index up to a limit, evenly spaced beyond)
     * @param spectrum pretrained singular values at those indices
     * @param series   one per (method, budget) group
     */
    public record Profile(String target, String module, List<Integer> index, List<Double> spectrum,
                          List<ProfileSeries> series) {
    }

    /**
     * @param group      {@code method/budget/target}
     * @param method     method name
     * @param budget     budget band
     * @param runs       runs averaged
     * @param retention  mean retention profile {@code P_diag(i)}
     * @param deviation  mean retention deviation {@code abs(P_diag(i) - s_i)}
     * @param adaptation mean adaptation profile {@code E(i)}
     */
    public record ProfileSeries(String group, String method, String budget, int runs, List<Double> retention,
                                List<Double> deviation, List<Double> adaptation) {
    }

    /**
     * @param runId  the run
     * @param method method name
     * @param error  what went wrong
     */
    public record Failure(String runId, String method, String error) {
    }
}
