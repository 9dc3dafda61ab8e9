package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.Overshoot;
import org.peftarena.analysis.interp.OvershootOptions;
import org.peftarena.analysis.interp.OvershootResult;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.analysis.interp.PathPoint;
import org.peftarena.arena.config.ArenaConfigException;
import org.peftarena.arena.config.InterpolationSettings;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.run.PostHocArtifact;
import org.peftarena.arena.run.PostHocStage;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * Builds the {@link PostHocSection} from registry rows: the paths the arena scored in-engine
 * ({@code posthoc:path:<kind>}, {@code posthoc:baseline:<kind>}), imported alpha paths
 * ({@code imported} rows of two or more alphas), the operating point of each run's path under the
 * arena's rule ({@link Overshoot#select}), and the rewinding rows ({@code posthoc:rewind:<recipe>}).
 */
public final class PathSection {
    private PathSection() {
    }

    /** The operating-point options the arena stored, or the defaults (also when the stored value is unreadable). */
    public static OvershootOptions options(RunRegistry registry) {
        try {
            return registry.setting(PostHocStage.SETTINGS)
                    .map(json -> RunSpecJson.read(json, InterpolationSettings.class).overshootOptions())
                    .orElse(OvershootOptions.DEFAULT);
        } catch (IllegalArgumentException | ArenaConfigException e) {
            return OvershootOptions.DEFAULT;
        }
    }

    /**
     * @param records every run
     * @param rows    each run's score rows
     * @param options the operating-point rule
     * @return the section, or null when no run has a path or a rewinding row
     */
    public static PostHocSection build(List<RunRecord> records, Map<String, List<ScoreRow>> rows,
                                       OvershootOptions options) {
        List<PostHocSection.RunPath> paths = new ArrayList<>();
        List<PostHocSection.OvershootRow> overshoot = new ArrayList<>();
        List<PostHocSection.RewindRow> rewinding = new ArrayList<>();
        for (RunRecord r : records) {
            List<ScoreRow> runRows = rows.getOrDefault(r.id(), List.of());
            Map<String, TreeMap<Double, double[]>> byPhase = new LinkedHashMap<>();
            for (ScoreRow s : runRows) {
                boolean path = s.phase().startsWith(PostHocArtifact.PATH_PHASE)
                        || s.phase().startsWith(PostHocArtifact.BASELINE_PHASE) || s.phase().equals(ScoreRow.IMPORTED);
                if (path && s.metric().equals(ScoreRow.SCORE)) {
                    put(byPhase.computeIfAbsent(s.phase(), k -> new TreeMap<>()), s.alpha(), s);
                }
            }
            Double finalTarget = null;
            Double finalGeneral = null;
            for (Map.Entry<String, TreeMap<Double, double[]>> e : byPhase.entrySet()) {
                TreeMap<Double, double[]> points = e.getValue();
                points.values().removeIf(v -> Double.isNaN(v[0]) || Double.isNaN(v[1]));
                if (points.size() < 2) {
                    continue;
                }
                String phase = e.getKey();
                boolean baseline = phase.startsWith(PostHocArtifact.BASELINE_PHASE);
                String kind = phase.equals(ScoreRow.IMPORTED) ? ScoreRow.IMPORTED : phase.substring(phase.lastIndexOf(':') + 1);
                paths.add(new PostHocSection.RunPath(r.id(), r.method(), r.budget(), r.target(), kind, baseline,
                        List.copyOf(points.keySet()), points.values().stream().map(v -> v[0]).toList(),
                        points.values().stream().map(v -> v[1]).toList()));
                if (!baseline && points.containsKey(1.0)) {
                    OvershootResult o = Overshoot.select(pathPoints(points), options);
                    overshoot.add(new PostHocSection.OvershootRow(r.id(), r.method(), r.budget(), r.target(), kind,
                            o.alpha(), o.selected().target(), o.selected().general(), o.finalPoint().target(),
                            o.finalPoint().general(), o.dTarget(), o.dGeneral(), o.overshoot()));
                    if (finalTarget == null) {
                        finalTarget = o.finalPoint().target();
                        finalGeneral = o.finalPoint().general();
                    }
                }
            }
            if (finalTarget == null) {
                RunScores s = RunScores.of(r, runRows);
                finalTarget = s.target();
                finalGeneral = s.general();
            }
            rewinding.addAll(rewound(r, runRows, finalTarget, finalGeneral));
        }
        if (paths.isEmpty() && rewinding.isEmpty()) {
            return null;
        }
        return new PostHocSection(options.rule().cliName(), options.rule().description(), options.targetTolerance(),
                options.generalThreshold(), paths, overshoot, rewinding);
    }

    private static void put(NavigableMap<Double, double[]> points, double alpha, ScoreRow s) {
        double[] v = points.computeIfAbsent(alpha, k -> new double[] {Double.NaN, Double.NaN});
        if (s.task().equals(ScoreRow.TARGET)) {
            v[0] = s.value();
        } else if (s.task().equals(ScoreRow.GENERAL)) {
            v[1] = s.value();
        }
    }

    private static List<PathPoint> pathPoints(NavigableMap<Double, double[]> points) {
        List<PathPoint> out = new ArrayList<>();
        // the kind only labels points; the selection does not depend on it
        points.forEach((a, v) -> out.add(new PathPoint(PathKind.LINEAR, a, ModelScores.of(v[0], v[1]))));
        return out;
    }

    private static List<PostHocSection.RewindRow> rewound(RunRecord r, List<ScoreRow> rows, Double finalTarget,
                                                          Double finalGeneral) {
        Map<String, List<ScoreRow>> byRecipe = new LinkedHashMap<>();
        rows.stream().filter(s -> s.phase().startsWith(PostHocArtifact.REWIND_PHASE))
                .sorted(java.util.Comparator.comparingInt(ScoreRow::step))
                .forEach(s -> byRecipe.computeIfAbsent(s.phase(), k -> new ArrayList<>()).add(s));
        List<PostHocSection.RewindRow> out = new ArrayList<>();
        byRecipe.forEach((phase, list) -> {
            double t = Double.NaN;
            double g = Double.NaN;
            Double rho = null;
            TreeMap<String, Double> factors = new TreeMap<>();
            for (ScoreRow s : list) {
                if (s.metric().equals(PostHocArtifact.FACTOR)) {
                    if (s.task().equals("rho_star")) {
                        rho = s.value();
                    } else {
                        factors.put(s.task(), s.value());
                    }
                } else if (s.metric().equals(ScoreRow.SCORE) && s.task().equals(ScoreRow.TARGET)) {
                    t = s.value();
                } else if (s.metric().equals(ScoreRow.SCORE) && s.task().equals(ScoreRow.GENERAL)) {
                    g = s.value();
                }
            }
            if (!Double.isNaN(t) && !Double.isNaN(g)) {
                out.add(new PostHocSection.RewindRow(r.id(), r.method(), r.budget(), r.target(),
                        phase.substring(PostHocArtifact.REWIND_PHASE.length()), rho, List.copyOf(factors.values()), t, g,
                        finalTarget == null ? null : t - finalTarget, finalGeneral == null ? null : g - finalGeneral));
            }
        });
        return out;
    }
}
