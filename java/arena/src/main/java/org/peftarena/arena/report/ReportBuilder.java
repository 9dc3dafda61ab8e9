package org.peftarena.arena.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.peftarena.arena.frontier.ParetoFrontier;
import org.peftarena.arena.frontier.ScorePoint;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.registry.ScoreFailure;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.scores.ArenaScores;

/**
 * Computes a report from the run registry: base scores, every run with Target, General, Forget and
 * Gain, groups over seeds, Pareto frontiers per target and budget band (over groups; the base model
 * is shown but not part of the frontier), training trajectories and imported alpha paths.
 */
public final class ReportBuilder {
    private ReportBuilder() {
    }

    /** Builds the report of every run in the registry. */
    public static ArenaReport build(RunRegistry registry, String title) {
        List<RunRecord> records = registry.all();
        Map<String, List<ScoreRow>> rows = new LinkedHashMap<>();
        for (RunRecord r : records) {
            rows.put(r.id(), registry.scores(r.id()));
        }
        Map<String, BaseRow> bases = new LinkedHashMap<>();
        for (RunRecord r : records) {
            if (r.kind() == RunKind.BASE && r.status().hasScores()) {
                RunScores s = RunScores.of(r, rows.get(r.id()));
                if (s.target() != null && s.general() != null) {
                    RunSpecFields spec = RunSpecFields.of(r);
                    bases.put(r.id(), new BaseRow(r.id(), r.target(), s.target(), s.general(), s.tasks(),
                            spec.general() == null ? null : ErrorEstimates.alone(
                                    registry.itemCounts(r.id(), ScoreRow.FINAL), r.target(), spec.general())));
                }
            }
        }
        List<RunRow> runs = new ArrayList<>();
        for (RunRecord r : records) {
            if (r.kind() != RunKind.BASE) {
                BaseRow base = baseOf(r, bases);
                RunSpecFields spec = RunSpecFields.of(r);
                ScoreErrors errors = spec.general() == null ? null : ErrorEstimates.of(
                        registry.itemCounts(r.id(), ScoreRow.FINAL),
                        base == null ? Map.of() : registry.itemCounts(base.runId(), ScoreRow.FINAL), r.target(),
                        spec.general());
                runs.add(runRow(r, RunScores.of(r, rows.get(r.id())), base, registry.scoreFailures(r.id()), errors));
            }
        }
        List<MethodGroup> groups = groups(runs);
        List<FrontierSet> frontiers = new ArrayList<>();
        Set<String> onAll = new TreeSet<>();
        Set<String> onBand = new TreeSet<>();
        for (String target : groups.stream().map(MethodGroup::target).collect(Collectors.toCollection(TreeSet::new))) {
            List<MethodGroup> ofTarget = groups.stream().filter(g -> g.target().equals(target)).toList();
            List<ScorePoint> all = ParetoFrontier.of(points(ofTarget));
            frontiers.add(new FrontierSet(target, FrontierSet.ALL_BANDS, all));
            all.forEach(p -> onAll.add(p.id()));
            for (String band : ofTarget.stream().map(MethodGroup::budget).collect(Collectors.toCollection(TreeSet::new))) {
                List<ScorePoint> f = ParetoFrontier.of(points(ofTarget.stream().filter(g -> g.budget().equals(band)).toList()));
                frontiers.add(new FrontierSet(target, band, f));
                f.forEach(p -> onBand.add(p.id()));
            }
        }
        groups = groups.stream().map(g -> new MethodGroup(g.key(), g.method(), g.budget(), g.target(), g.params(),
                g.runs(), g.targetMean(), g.generalMean(), g.targetSd(), g.generalSd(), g.forget(), g.gain(),
                onAll.contains(g.key()), onBand.contains(g.key()), g.runIds(), g.learningRate(), g.steps())).toList();
        runs = runs.stream().map(r -> withFlags(r, onAll.contains(key(r)), onBand.contains(key(r)))).toList();
        return new ArenaReport(title, Instant.now().toString(), List.copyOf(bases.values()), runs, groups, frontiers,
                trajectories(records, rows, bases), alphaPaths(records, rows), timing(records, runs),
                PathSection.build(records, rows, PathSection.options(registry)),
                DiagnosticsSectionBuilder.build(registry, runs)).withClaims(StudyClaims.all())
                .withTaskMetrics(RunScores.taskMetrics(rows.values()))
                .withRegimes(RegimeSection.build(records, rows, runs, groups, frontiers));
    }

    private static BaseRow baseOf(RunRecord r, Map<String, BaseRow> bases) {
        if (r.baseRunId() != null && bases.containsKey(r.baseRunId())) {
            return bases.get(r.baseRunId());
        }
        List<BaseRow> sameTarget = bases.values().stream().filter(b -> b.target().equals(r.target())).toList();
        return sameTarget.size() == 1 ? sameTarget.get(0) : null;
    }

    private static RunRow runRow(RunRecord r, RunScores s, BaseRow base, List<ScoreFailure> failures,
                                 ScoreErrors errors) {
        Double forget = null;
        Double gain = null;
        if (s.target() != null && s.general() != null) {
            Double baseTarget = s.alphaZeroTarget() != null ? s.alphaZeroTarget() : base == null ? null : base.targetScore();
            Double baseGeneral = s.alphaZeroGeneral() != null ? s.alphaZeroGeneral() : base == null ? null : base.generalScore();
            if (baseTarget != null && baseGeneral != null) {
                forget = ArenaScores.forget(baseGeneral, s.general());
                gain = ArenaScores.gain(baseTarget, s.target());
            }
        }
        String status = failures.isEmpty() ? r.status().label() : r.status().label() + "; " + ScoreFailure.summary(failures);
        RunSpecFields spec = RunSpecFields.of(r);
        return new RunRow(r.id(), r.kind().label(), status, r.method(), r.budget(), r.size(),
                r.trainableParams(), r.target(), r.seed(), s.target(), s.general(), forget, gain, false, false,
                r.trainSeconds(), r.evalSeconds(), r.totalSeconds(), r.trainTokensPerSecond(), s.evalTokensPerSecond(),
                s.tasks(), r.attempts(), r.artifactDir(), spec.learningRate(), spec.steps(), spec.budgetParams(), errors,
                spec.regime());
    }

    private static RunRow withFlags(RunRow r, boolean all, boolean band) {
        return new RunRow(r.runId(), r.kind(), r.status(), r.method(), r.budget(), r.size(), r.params(), r.target(),
                r.seed(), r.targetScore(), r.generalScore(), r.forget(), r.gain(), all && r.targetScore() != null,
                band && r.targetScore() != null, r.trainSeconds(), r.evalSeconds(), r.totalSeconds(),
                r.trainTokensPerSecond(), r.evalTokensPerSecond(), r.tasks(), r.attempts(), r.artifactDir(),
                r.learningRate(), r.steps(), r.budgetParams(), r.errors(), r.regime());
    }

    /** The group a run belongs to: the frontier's unit, and the group of within-group correlations. */
    static String key(RunRow r) {
        return r.groupKey();
    }

    private static List<MethodGroup> groups(List<RunRow> runs) {
        Map<String, List<RunRow>> byKey = new LinkedHashMap<>();
        for (RunRow r : runs) {
            if (r.targetScore() != null && r.generalScore() != null) {
                byKey.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r);
            }
        }
        List<MethodGroup> out = new ArrayList<>();
        byKey.forEach((k, list) -> {
            RunRow first = list.get(0);
            List<Double> t = list.stream().map(RunRow::targetScore).toList();
            List<Double> g = list.stream().map(RunRow::generalScore).toList();
            List<Double> f = list.stream().map(RunRow::forget).filter(java.util.Objects::nonNull).toList();
            List<Double> gn = list.stream().map(RunRow::gain).filter(java.util.Objects::nonNull).toList();
            out.add(new MethodGroup(k, first.method(), first.budget(), first.target(), first.params(), list.size(),
                    mean(t), mean(g), sd(t), sd(g), f.size() == list.size() ? mean(f) : null,
                    gn.size() == list.size() ? mean(gn) : null, false, false,
                    list.stream().map(RunRow::runId).toList(), first.learningRate(), first.steps()));
        });
        return out;
    }

    private static List<ScorePoint> points(List<MethodGroup> groups) {
        return groups.stream().map(g -> new ScorePoint(g.key(), g.targetMean(), g.generalMean())).toList();
    }

    private static List<Trajectory> trajectories(List<RunRecord> records, Map<String, List<ScoreRow>> rows,
                                                 Map<String, BaseRow> bases) {
        List<Trajectory> out = new ArrayList<>();
        for (RunRecord r : records) {
            if (r.kind() != RunKind.FINETUNE || r.status() != RunStatus.FINISHED) {
                continue;
            }
            TreeMap<Integer, double[]> byStep = new TreeMap<>();
            BaseRow base = baseOf(r, bases);
            if (base != null) {
                byStep.put(0, new double[] {base.targetScore(), base.generalScore()});
            }
            for (ScoreRow s : rows.get(r.id())) {
                if (!s.metric().equals(ScoreRow.SCORE) || !(s.phase().equals(ScoreRow.FINAL) || s.phase().equals(ScoreRow.TRAJECTORY))) {
                    continue;
                }
                double[] v = byStep.computeIfAbsent(s.step(), k -> new double[] {Double.NaN, Double.NaN});
                if (s.task().equals(ScoreRow.TARGET)) {
                    v[0] = s.value();
                } else if (s.task().equals(ScoreRow.GENERAL)) {
                    v[1] = s.value();
                }
            }
            byStep.values().removeIf(v -> Double.isNaN(v[0]) || Double.isNaN(v[1]));
            if (byStep.size() >= 2) {
                out.add(new Trajectory(r.id(), r.method(), r.budget(), r.target(), r.seed(),
                        List.copyOf(byStep.keySet()), byStep.values().stream().map(v -> v[0]).toList(),
                        byStep.values().stream().map(v -> v[1]).toList()));
            }
        }
        return out;
    }

    private static List<AlphaPath> alphaPaths(List<RunRecord> records, Map<String, List<ScoreRow>> rows) {
        List<AlphaPath> out = new ArrayList<>();
        for (RunRecord r : records) {
            TreeMap<Double, double[]> byAlpha = new TreeMap<>();
            for (ScoreRow s : rows.get(r.id())) {
                if (s.phase().equals(ScoreRow.IMPORTED) && s.metric().equals(ScoreRow.SCORE)) {
                    double[] v = byAlpha.computeIfAbsent(s.alpha(), k -> new double[] {Double.NaN, Double.NaN});
                    if (s.task().equals(ScoreRow.TARGET)) {
                        v[0] = s.value();
                    } else if (s.task().equals(ScoreRow.GENERAL)) {
                        v[1] = s.value();
                    }
                }
            }
            byAlpha.values().removeIf(v -> Double.isNaN(v[0]) || Double.isNaN(v[1]));
            if (byAlpha.size() >= 2) {
                out.add(new AlphaPath(r.id(), r.target(), List.copyOf(byAlpha.keySet()),
                        byAlpha.values().stream().map(v -> v[0]).toList(),
                        byAlpha.values().stream().map(v -> v[1]).toList()));
            }
        }
        return out;
    }

    private static ReportTiming timing(List<RunRecord> records, List<RunRow> runs) {
        List<RunRecord> finished = records.stream().filter(r -> r.status() == RunStatus.FINISHED).toList();
        double total = finished.stream().mapToDouble(RunRecord::totalSeconds).sum();
        double train = finished.stream().mapToDouble(RunRecord::trainSeconds).sum();
        double eval = finished.stream().mapToDouble(RunRecord::evalSeconds).sum();
        double trainTps = finished.stream().filter(r -> r.kind() == RunKind.FINETUNE)
                .mapToDouble(RunRecord::trainTokensPerSecond).average().orElse(0);
        double evalTps = runs.stream().map(RunRow::evalTokensPerSecond).filter(java.util.Objects::nonNull)
                .mapToDouble(Double::doubleValue).average().orElse(0);
        return new ReportTiming(finished.size(), total, train, eval, trainTps, evalTps);
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double sd(List<Double> v) {
        if (v.size() < 2) {
            return 0;
        }
        double m = mean(v);
        double ss = v.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return Math.sqrt(ss / (v.size() - 1));
    }
}
