package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.peftarena.analysis.interp.CayleyRotations;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.rewind.RewindStrategy;
import org.peftarena.analysis.rewind.SafeRhoReference;
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
 * arena's rule ({@link Overshoot#select}: selected on the points' validation scores where they have
 * them, reported on their test scores), and the rewinding rows ({@code posthoc:rewind:<recipe>}).
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
                if (path) {
                    put(byPhase.computeIfAbsent(s.phase(), k -> new TreeMap<>()), s.alpha(), s);
                }
            }
            Double finalTarget = null;
            Double finalGeneral = null;
            for (Map.Entry<String, TreeMap<Double, double[]>> e : byPhase.entrySet()) {
                TreeMap<Double, double[]> points = e.getValue();
                points.values().removeIf(v -> Double.isNaN(v[T]) || Double.isNaN(v[G]));
                if (points.size() < 2) {
                    continue;
                }
                String phase = e.getKey();
                boolean baseline = phase.startsWith(PostHocArtifact.BASELINE_PHASE);
                String kind = phase.equals(ScoreRow.IMPORTED) ? ScoreRow.IMPORTED : phase.substring(phase.lastIndexOf(':') + 1);
                paths.add(new PostHocSection.RunPath(r.id(), r.method(), r.budget(), r.target(), kind, baseline,
                        List.copyOf(points.keySet()), column(points, T), column(points, G), column(points, T_SE),
                        column(points, G_SE), updateScales(points, kind)));
                if (!baseline && points.containsKey(1.0)) {
                    OvershootResult o = Overshoot.select(pathPoints(points, kind), options);
                    ModelScores sel = o.selected().scores();
                    overshoot.add(new PostHocSection.OvershootRow(r.id(), r.method(), r.budget(), r.target(), kind,
                            o.alpha(), o.selected().target(), o.selected().general(), o.finalPoint().target(),
                            o.finalPoint().general(), o.dTarget(), o.dGeneral(), o.overshoot(), o.selectedOn(),
                            o.tolerance(), orNull(o.selected().updateScale()), orNull(o.selected().generatorScale()),
                            orNull(sel.targetSe()), orNull(sel.generalSe())));
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
                options.generalThreshold(), paths, overshoot, rewinding, options.toleranceSe());
    }

    // slots of a point: test scores and errors, validation scores and errors, update scale
    private static final int T = 0;
    private static final int G = 1;
    private static final int T_SE = 2;
    private static final int G_SE = 3;
    private static final int VT = 4;
    private static final int VG = 5;
    private static final int VT_SE = 6;
    private static final int VG_SE = 7;
    private static final int SCALE = 8;

    private static List<Double> column(NavigableMap<Double, double[]> points, int slot) {
        List<Double> out = new ArrayList<>();
        points.values().forEach(v -> out.add(orNull(v[slot])));
        return out;
    }

    /** Stored update scales; a path linear in alpha without them has alpha itself. */
    private static List<Double> updateScales(NavigableMap<Double, double[]> points, String kind) {
        List<Double> out = new ArrayList<>();
        points.forEach((a, v) -> out.add(orNull(scale(a, v, kind))));
        return out;
    }

    private static double scale(double alpha, double[] v, String kind) {
        if (!Double.isNaN(v[SCALE])) {
            return v[SCALE];
        }
        return kind.equals(PathKind.LINEAR.cliName()) || kind.equals(PathKind.DENSE.cliName()) ? alpha : Double.NaN;
    }

    private static Double orNull(double x) {
        return Double.isFinite(x) ? x : null;
    }

    private static void put(NavigableMap<Double, double[]> points, double alpha, ScoreRow s) {
        double[] v = points.computeIfAbsent(alpha, k -> {
            double[] nan = new double[SCALE + 1];
            java.util.Arrays.fill(nan, Double.NaN);
            return nan;
        });
        boolean target = s.task().equals(ScoreRow.TARGET);
        boolean general = s.task().equals(ScoreRow.GENERAL);
        int slot = switch (s.metric()) {
            case ScoreRow.SCORE -> target ? T : general ? G : -1;
            case ScoreRow.SE -> target ? T_SE : general ? G_SE : -1;
            case ScoreRow.VALIDATION_SCORE -> target ? VT : general ? VG : -1;
            case ScoreRow.VALIDATION_SE -> target ? VT_SE : general ? VG_SE : -1;
            case PostHocArtifact.FACTOR -> s.task().equals(PostHocArtifact.UPDATE_SCALE) ? SCALE : -1;
            default -> -1;
        };
        if (slot >= 0) {
            v[slot] = s.value();
        }
    }

    /**
     * The path as the selection sees it: test scores with their errors, validation scores where every
     * point has them (the selection then reads those), the update scale.
     */
    static List<PathPoint> pathPoints(NavigableMap<Double, double[]> points, String kind) {
        PathKind k = kind.equals(PathKind.CAYLEY.cliName()) ? PathKind.CAYLEY
                : kind.equals(PathKind.DENSE.cliName()) ? PathKind.DENSE : PathKind.LINEAR;
        List<PathPoint> out = new ArrayList<>();
        points.forEach((a, v) -> out.add(new PathPoint(k, a, ModelScores.of(v[T], v[G], v[T_SE], v[G_SE]),
                Double.isNaN(v[VT]) || Double.isNaN(v[VG]) ? null : ModelScores.of(v[VT], v[VG], v[VT_SE], v[VG_SE]),
                scale(a, v, kind))));
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
            Double targetSe = null;
            Double generalSe = null;
            Double scale = null;
            int depth = 0;
            int reference = 0;
            TreeMap<String, Double> factors = new TreeMap<>();
            for (ScoreRow s : list) {
                if (s.metric().equals(PostHocArtifact.FACTOR)) {
                    switch (s.task()) {
                        case "rho_star" -> rho = s.value();
                        case PostHocArtifact.UPDATE_SCALE -> scale = s.value();
                        case PostHocArtifact.DEPTH -> depth = (int) s.value();
                        case PostHocArtifact.REFERENCE_LAYERS -> reference = (int) s.value();
                        default -> {
                            if (s.task().startsWith(PostHocArtifact.LAYER_PREFIX)) {
                                factors.put(s.task(), s.value());
                            }
                        }
                    }
                } else if (s.metric().equals(ScoreRow.SE) && s.task().equals(ScoreRow.TARGET)) {
                    targetSe = s.value();
                } else if (s.metric().equals(ScoreRow.SE) && s.task().equals(ScoreRow.GENERAL)) {
                    generalSe = s.value();
                } else if (s.metric().equals(ScoreRow.SCORE) && s.task().equals(ScoreRow.TARGET)) {
                    t = s.value();
                } else if (s.metric().equals(ScoreRow.SCORE) && s.task().equals(ScoreRow.GENERAL)) {
                    g = s.value();
                }
            }
            if (!Double.isNaN(t) && !Double.isNaN(g)) {
                String recipe = phase.substring(PostHocArtifact.REWIND_PHASE.length());
                boolean uniform = recipe.startsWith(RewindStrategy.UNIFORM.cliName());
                // scaling every generator by f is the Cayley path at alpha = f^2
                Double cayleyAlpha = uniform && org.peftarena.peft.oft.OftMethod.ID.cliName().equals(r.method()) && !factors.isEmpty()
                        ? CayleyRotations.pathAlpha(factors.firstEntry().getValue()) : null;
                String warning = reference > 0 && depth > 0 ? SafeRhoReference.warning(reference, depth) : null;
                out.add(new PostHocSection.RewindRow(r.id(), r.method(), r.budget(), r.target(), recipe, rho,
                        List.copyOf(factors.values()), t, g, finalTarget == null ? null : t - finalTarget,
                        finalGeneral == null ? null : g - finalGeneral, targetSe, generalSe, scale, cayleyAlpha, warning));
            }
        });
        return out;
    }
}
