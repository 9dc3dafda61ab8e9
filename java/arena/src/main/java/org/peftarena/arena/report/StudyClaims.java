package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftarena.analysis.stats.Bootstrap;

/**
 * The study's four finetuning claims, each with its rule: (a) OFT on or near the frontier at
 * matched budgets, (b) final checkpoints overshoot, (c) rewinding recovers General at small Target
 * cost, (d) activation distortion predicts Forget better than weight norms.
 */
public final class StudyClaims {
    /** Fewest observations for any verdict other than inconclusive. */
    static final int MIN_N = 3;
    /** Frontier membership share that counts as on or near the frontier. */
    static final double NEAR = 0.5;
    /** The method claim (a) is about. */
    static final String OFT = "oft";

    private StudyClaims() {
    }

    /** @return the evaluators, in the order a report shows them */
    public static List<ClaimEvaluator> all() {
        return List.of(StudyClaims::oftOnFrontier, StudyClaims::overshoot, StudyClaims::rewinding,
                StudyClaims::activationBeatsWeightNorm);
    }

    /** (a) OFT is on or near the frontier of its budget band. */
    static Claim oftOnFrontier(ArenaReport r) {
        String statement = "OFT is on or near the Target/General frontier at matched budgets.";
        String rule = "Per target and budget band holding OFT and another method, OFT's share of bootstrap replicates "
                + "(seeds resampled, runs redrawn within their standard errors) on the band's frontier. Reproduced: "
                + "in every such band OFT is not dominated beyond its standard errors and is on the frontier in at "
                + "least " + pct(NEAR) + " of replicates. Not reproduced: in some band OFT is dominated beyond its "
                + "standard errors. Inconclusive otherwise: without such a band, or when OFT's errors are unknown "
                + "(one seed and no per-run errors), since then neither can be told from noise.";
        List<FrontierMembership> oft = new ArrayList<>();
        for (FrontierMembership m : r.frontierNoise()) {
            boolean matched = !m.band().equals(FrontierSet.ALL_BANDS) && m.method().equals(OFT)
                    && r.frontierNoise().stream().anyMatch(o -> o.target().equals(m.target())
                    && o.band().equals(m.band()) && !o.method().equals(OFT));
            if (matched) {
                oft.add(m);
            }
        }
        String effectName = "mean share of replicates with OFT on its band's frontier";
        if (oft.isEmpty()) {
            return new Claim("a", statement, Claim.INCONCLUSIVE, 0, effectName, null, null, null, "-", rule,
                    "no budget band holds OFT and another method");
        }
        double[] f = oft.stream().mapToDouble(FrontierMembership::frequency).toArray();
        boolean beyond = oft.stream().anyMatch(m -> m.status().equals("dominated") && m.errors());
        boolean near = oft.stream().allMatch(m -> !m.status().equals("dominated") && m.frequency() >= NEAR
                && m.errors());
        String verdict = beyond ? Claim.NOT_REPRODUCED : near ? Claim.REPRODUCED : Claim.INCONCLUSIVE;
        String detail = String.join("; ", oft.stream().map(m -> m.target() + " " + m.band() + ": " + pct(m.frequency())
                + " on the frontier, " + m.status() + (m.errors() ? "" : " (errors unknown)") + ", " + m.runs()
                + " run(s)").toList());
        return new Claim("a", statement, verdict, oft.size(), effectName, Arrays.stream(f).average().orElse(0),
                Arrays.stream(f).min().orElse(0), Arrays.stream(f).max().orElse(0), "range over the bands", rule,
                detail);
    }

    /** (b) The final checkpoint overshoots: an earlier point of its path has more General. */
    static Claim overshoot(ArenaReport r) {
        String statement = "Final finetuning checkpoints overshoot: a point earlier on the interpolation path keeps "
                + "Target and has more General.";
        PostHocSection p = r.postHoc();
        double threshold = p == null ? 0 : p.generalThreshold();
        String rule = "Per run path, the operating point's General minus the final checkpoint's (operating point "
                + "chosen by the arena's rule, Target within its tolerance). Reproduced: the 95% bootstrap interval "
                + "of the mean over runs lies above 0 and more than half the runs are flagged as overshooting. Not "
                + "reproduced: the interval lies below the overshoot threshold (" + ReportFormat.num(threshold)
                + " points). Inconclusive otherwise or with fewer than " + MIN_N + " runs.";
        String effectName = "mean General gain of the operating point over the final checkpoint (points)";
        List<PostHocSection.OvershootRow> rows = p == null ? List.of() : p.overshoot();
        if (rows.isEmpty()) {
            return new Claim("b", statement, Claim.INCONCLUSIVE, 0, effectName, null, null, null, "-", rule,
                    "no run has an interpolation path to alpha 1");
        }
        double[] d = rows.stream().mapToDouble(PostHocSection.OvershootRow::dGeneral).toArray();
        long flagged = rows.stream().filter(PostHocSection.OvershootRow::overshoot).count();
        Bootstrap.Interval ci = meanInterval(d);
        double mean = mean(d);
        String verdict = Claim.INCONCLUSIVE;
        if (rows.size() >= MIN_N && ci.above(0) && flagged * 2 > rows.size()) {
            verdict = Claim.REPRODUCED;
        } else if (rows.size() >= MIN_N && ci.below(threshold)) {
            verdict = Claim.NOT_REPRODUCED;
        }
        double dTarget = mean(rows.stream().mapToDouble(PostHocSection.OvershootRow::dTarget).toArray());
        String detail = flagged + " of " + rows.size() + " run paths flagged; mean Target change at the operating point "
                + ReportFormat.signed(dTarget) + " points";
        return claim("b", statement, verdict, rows.size(), effectName, mean, ci, rule, detail);
    }

    /** (c) Rewinding recovers General at a small Target cost. */
    static Claim rewinding(ArenaReport r) {
        String statement = "Rewinding the final checkpoint recovers General at a small Target cost.";
        PostHocSection p = r.postHoc();
        double tolerance = p == null ? 0 : p.targetTolerance();
        String rule = "Per rewinding recipe, over runs: General and Target of the rewound model minus the final "
                + "checkpoint's. Reproduced: for some recipe the 95% bootstrap interval of the mean General change "
                + "lies above 0 and that of the mean Target cost ends at or below the arena's Target tolerance ("
                + ReportFormat.num(tolerance) + " points). Not reproduced: for every recipe the General interval lies "
                + "at or below 0 or the Target cost interval lies above the tolerance. Inconclusive otherwise or "
                + "with fewer than " + MIN_N + " runs per recipe.";
        String effectName = "mean General change of the rewound model (points)";
        Map<String, List<PostHocSection.RewindRow>> byRecipe = new LinkedHashMap<>();
        if (p != null) {
            p.rewinding().stream().filter(w -> w.dGeneral() != null && w.dTarget() != null)
                    .forEach(w -> byRecipe.computeIfAbsent(w.recipe(), k -> new ArrayList<>()).add(w));
        }
        if (byRecipe.isEmpty()) {
            return new Claim("c", statement, Claim.INCONCLUSIVE, 0, effectName, null, null, null, "-", rule,
                    "no rewound model with scores");
        }
        record Recipe(String name, int n, double general, Bootstrap.Interval generalCi, double cost,
                      Bootstrap.Interval costCi, String verdict) {
        }
        List<Recipe> recipes = new ArrayList<>();
        byRecipe.forEach((name, rows) -> {
            double[] g = rows.stream().mapToDouble(PostHocSection.RewindRow::dGeneral).toArray();
            double[] c = rows.stream().mapToDouble(w -> -w.dTarget()).toArray();
            Bootstrap.Interval gi = meanInterval(g);
            Bootstrap.Interval ci = meanInterval(c);
            String v = Claim.INCONCLUSIVE;
            if (rows.size() >= MIN_N && gi.above(0) && ci.upper() <= tolerance) {
                v = Claim.REPRODUCED;
            } else if (rows.size() >= MIN_N && (gi.upper() <= 0 || ci.above(tolerance))) {
                v = Claim.NOT_REPRODUCED;
            }
            recipes.add(new Recipe(name, rows.size(), mean(g), gi, mean(c), ci, v));
        });
        boolean any = recipes.stream().anyMatch(x -> x.verdict().equals(Claim.REPRODUCED));
        boolean none = recipes.stream().allMatch(x -> x.verdict().equals(Claim.NOT_REPRODUCED));
        Recipe shown = recipes.stream().filter(x -> !any || x.verdict().equals(Claim.REPRODUCED))
                .max(Comparator.comparingDouble(Recipe::general)).orElseThrow();
        String detail = String.join("; ", recipes.stream().map(x -> x.name() + ": " + x.n() + " run(s), General "
                + ReportFormat.signed(x.general()) + " " + bracket(x.generalCi()) + ", Target cost "
                + ReportFormat.num(x.cost()) + " " + bracket(x.costCi()) + ", " + x.verdict()).toList());
        return claim("c", statement, any ? Claim.REPRODUCED : none ? Claim.NOT_REPRODUCED : Claim.INCONCLUSIVE,
                shown.n(), effectName + ", recipe " + shown.name(), shown.general(), shown.generalCi(), rule, detail);
    }

    /** (d) Activation distortion predicts Forget better than the weight norm. */
    static Claim activationBeatsWeightNorm(ArenaReport r) {
        String statement = "Activation distortion predicts Forget better than weight norms.";
        String rule = "For each activation metric on the general prompts (averaged over module locations), a paired "
                + "bootstrap over runs of |r(metric, Forget)| - |r(normF(dW)/normF(W0), Forget)|, one-sided p-values "
                + "adjusted by Benjamini-Hochberg over the metrics. Reproduced: some metric has q < "
                + ForgetInference.ALPHA + " on at least " + ForgetInference.MIN_RUNS + " runs. Not reproduced: no "
                + "metric's difference is above 0 on at least " + ForgetInference.MIN_RUNS + " runs. Inconclusive "
                + "otherwise, with fewer runs, or without the weight-norm baseline.";
        String effectName = "|r| of the best activation metric minus |r| of the weight norm";
        DiagnosticsSection d = r.diagnostics();
        List<ForgetInference.Comparison> cmp = d == null || d.inference() == null ? List.of()
                : d.inference().comparisons().stream().filter(c -> c.n() >= ForgetInference.MIN_RUNS
                && c.difference() != null).toList();
        if (cmp.isEmpty()) {
            int most = d == null || d.inference() == null ? 0
                    : d.inference().comparisons().stream().mapToInt(ForgetInference.Comparison::n).max().orElse(0);
            return new Claim("d", statement, Claim.INCONCLUSIVE, most, effectName, null, null, null, "-", rule,
                    d == null ? "no run has diagnostics" : most == 0 ? "no run has both an activation metric and the "
                    + "weight-norm baseline" : "at most " + most + " runs with both: fewer than "
                    + ForgetInference.MIN_RUNS);
        }
        ForgetInference.Comparison best = cmp.stream()
                .filter(c -> c.q() != null && c.q() < ForgetInference.ALPHA)
                .min(Comparator.comparingDouble(ForgetInference.Comparison::q))
                .orElse(cmp.stream().max(Comparator.comparingDouble(ForgetInference.Comparison::difference)).orElseThrow());
        String verdict = best.q() != null && best.q() < ForgetInference.ALPHA ? Claim.REPRODUCED
                : best.difference() <= 0 ? Claim.NOT_REPRODUCED : Claim.INCONCLUSIVE;
        String detail = String.format(Locale.ROOT, "%s: |r| %.3f against %.3f for the weight norm, q = %s (%d metrics "
                + "compared)", best.metric(), best.absMetric(), best.absBaseline(),
                best.q() == null ? "-" : String.format(Locale.ROOT, "%.3f", best.q()), cmp.size());
        return new Claim("d", statement, verdict, best.n(), effectName + " (" + best.metric() + ")", best.difference(),
                best.low(), best.high(), "95% paired bootstrap interval over runs", rule, detail);
    }

    private static Claim claim(String id, String statement, String verdict, int n, String effectName, double effect,
                               Bootstrap.Interval ci, String rule, String detail) {
        return new Claim(id, statement, verdict, n, effectName, effect, ci.defined() ? ci.lower() : null,
                ci.defined() ? ci.upper() : null, "95% bootstrap interval of the mean over runs", rule, detail);
    }

    private static Bootstrap.Interval meanInterval(double[] x) {
        return Bootstrap.interval(x, StudyClaims::mean, ForgetInference.BOOTSTRAP);
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElse(Double.NaN);
    }

    private static String bracket(Bootstrap.Interval i) {
        return "[" + ReportFormat.signed(i.lower()) + ", " + ReportFormat.signed(i.upper()) + "]";
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }
}
