package org.peftarena.arena.report;

import java.util.List;

/**
 * Everything a report shows, computed from the run registry.
 *
 * @param title        heading
 * @param generatedAt  ISO-8601 time of generation
 * @param bases        base model scores per target
 * @param runs         every run with scores, and those pending or failed
 * @param groups       runs grouped over seeds
 * @param frontiers    Pareto frontiers per target and budget band
 * @param trajectories Target and General along training
 * @param alphaPaths   imported interpolation paths
 * @param timing       wall times and throughputs
 * @param postHoc      interpolation paths, operating points and rewinding, or null when no run has them
 * @param diagnostics  geometry diagnostics of the runs, or null when no run has any
 */
public record ArenaReport(String title, String generatedAt, List<BaseRow> bases, List<RunRow> runs,
                          List<MethodGroup> groups, List<FrontierSet> frontiers, List<Trajectory> trajectories,
                          List<AlphaPath> alphaPaths, ReportTiming timing, PostHocSection postHoc,
                          DiagnosticsSection diagnostics) {
    /** A report without post-hoc analysis or diagnostics. */
    public ArenaReport(String title, String generatedAt, List<BaseRow> bases, List<RunRow> runs,
                       List<MethodGroup> groups, List<FrontierSet> frontiers, List<Trajectory> trajectories,
                       List<AlphaPath> alphaPaths, ReportTiming timing) {
        this(title, generatedAt, bases, runs, groups, frontiers, trajectories, alphaPaths, timing, null, null);
    }
}
