package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.peftarena.analysis.stats.Bootstrap;
import org.peftarena.analysis.stats.NoisyFrontier;
import org.peftarena.analysis.stats.ScoredPoint;

/**
 * How firmly a run group sits on the Pareto frontier of its target (over every band, and over its
 * own budget band): the share of bootstrap replicates in which it is on the frontier when its runs
 * are resampled (seeds) and each run is redrawn within its standard errors, and whether it is
 * dominated beyond the standard errors or only within them ({@link NoisyFrontier}).
 *
 * @param target    target task
 * @param band      budget band, or {@link FrontierSet#ALL_BANDS}
 * @param group     group key
 * @param method    method name
 * @param budget    budget band of the group
 * @param runs      runs in the group
 * @param frequency share of replicates on the frontier
 * @param status    {@code frontier}, {@code dominated within errors} or {@code dominated}
 * @param errors    whether the group's standard errors were known (two or more runs, or per-run SEs)
 */
public record FrontierMembership(String target, String band, String group, String method, String budget, int runs,
                                 double frequency, String status, boolean errors) {
    /** Replicates and seed of the membership bootstrap. */
    static final Bootstrap.Options BOOTSTRAP = new Bootstrap.Options(2000, 0.95, 20261203L);

    /**
     * @param runs   the report's runs (those with Target and General count)
     * @param groups the report's groups
     * @return memberships per target, over all bands and per band
     */
    static List<FrontierMembership> of(List<RunRow> runs, List<MethodGroup> groups) {
        List<FrontierMembership> out = new ArrayList<>();
        List<RunRow> scored = runs.stream().filter(r -> r.targetScore() != null && r.generalScore() != null).toList();
        for (String target : scored.stream().map(RunRow::target).collect(Collectors.toCollection(TreeSet::new))) {
            List<RunRow> ofTarget = scored.stream().filter(r -> r.target().equals(target)).toList();
            out.addAll(band(target, FrontierSet.ALL_BANDS, ofTarget, groups));
            for (String band : ofTarget.stream().map(RunRow::budget).collect(Collectors.toCollection(TreeSet::new))) {
                out.addAll(band(target, band, ofTarget.stream().filter(r -> r.budget().equals(band)).toList(), groups));
            }
        }
        return out;
    }

    /**
     * A run as a noisy point. Its standard errors are unknown (NaN) until run results carry them;
     * unknown errors count as zero, so such a run moves only through its group's other seeds.
     */
    static ScoredPoint point(RunRow r) {
        ScoreErrors e = r.errors();
        return new ScoredPoint(r.runId(), r.targetScore(), se(e == null ? null : e.targetSe()), r.generalScore(),
                se(e == null ? null : e.generalSe()), ReportBuilder.key(r));
    }

    /** A stored standard error, or NaN (unknown, counted as 0) when the run has none. */
    private static double se(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static List<FrontierMembership> band(String target, String band, List<RunRow> runs,
                                                 List<MethodGroup> groups) {
        List<ScoredPoint> points = runs.stream().map(FrontierMembership::point).toList();
        List<FrontierMembership> out = new ArrayList<>();
        for (NoisyFrontier.Membership m : NoisyFrontier.fromRuns(points, NoisyFrontier.DEFAULT_Z, BOOTSTRAP)) {
            MethodGroup g = groups.stream().filter(x -> x.key().equals(m.id())).findFirst().orElse(null);
            RunRow first = runs.stream().filter(r -> ReportBuilder.key(r).equals(m.id())).findFirst().orElseThrow();
            out.add(new FrontierMembership(target, band, m.id(), first.method(), first.budget(),
                    g == null ? 1 : g.runs(), m.frequency(), m.status().label(), m.errors()));
        }
        return out;
    }
}
