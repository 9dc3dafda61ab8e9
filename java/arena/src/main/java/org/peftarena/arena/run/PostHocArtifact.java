package org.peftarena.arena.run;

import org.peftarena.arena.spec.RunSpecJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.OvershootResult;
import org.peftarena.analysis.interp.PathPoint;
import org.peftarena.analysis.rewind.RewindStrategy;
import org.peftarena.analysis.rewind.LayerFactor;
import org.peftarena.analysis.rewind.RewindOutcome;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.formats.io.AtomicFiles;

/**
 * {@code posthoc.json} in a run's artifact folder: the run's interpolation path scored on Target and
 * General, OFT's dense-delta baseline, the operating point, and the rewinding table. Written
 * atomically once the whole stage has finished; {@code settingsKey} tells a rerun whether the file
 * answers the arena's current interpolation settings.
 *
 * @param runId          the run
 * @param settingsKey    what was computed (grid, path, baseline, rewinding), see {@link PostHocStage#key}
 * @param pathKind       the concrete path of the run ({@code cayley}, {@code linear} or {@code dense})
 * @param path           the path's points, by increasing alpha
 * @param baselineKind   the baseline path's kind, or null
 * @param baseline       OFT's dense-delta points (empty when not scored)
 * @param operatingPoint the selected operating point on {@code path}
 * @param rewinding      the rewound models (empty for runs other than OFT)
 * @param evaluations    models scored by the stage (reused end points not counted)
 * @param seconds        wall time of the stage
 */
public record PostHocArtifact(String runId, String settingsKey, String pathKind, List<Point> path, String baselineKind,
                              List<Point> baseline, OperatingPoint operatingPoint, List<Rewound> rewinding,
                              int evaluations, double seconds) {
    /** File name in the run's artifact folder. */
    public static final String FILE = "posthoc.json";
    /** Phase prefix of every registry row the stage stores. */
    public static final String PHASE_PREFIX = "posthoc:";
    /** Phase prefix of the run's own interpolation path rows (the path kind follows). */
    public static final String PATH_PHASE = PHASE_PREFIX + "path:";
    /** Phase prefix of baseline path rows (the path kind follows). */
    public static final String BASELINE_PHASE = PHASE_PREFIX + "baseline:";
    /** Phase prefix of rewinding rows (the recipe label follows). */
    public static final String REWIND_PHASE = PHASE_PREFIX + "rewind:";
    /** Metric of a rewinding row's per-block factor (task {@code layer_<i>}) and target strength (task {@code rho_star}). */
    public static final String FACTOR = "factor";
    /** Task of a {@link #FACTOR} row holding a point's update scale {@code normF(W - W0) / normF(W1 - W0)}. */
    public static final String UPDATE_SCALE = "update_scale";
    /** Task of a {@link #FACTOR} row holding the leading layers SafeRho averaged. */
    public static final String REFERENCE_LAYERS = "reference_layers";
    /** Task of a {@link #FACTOR} row holding the depth a rewinding recipe saw. */
    public static final String DEPTH = "depth";
    /** Prefix of the task of a {@link #FACTOR} row holding one block's factor. */
    public static final String LAYER_PREFIX = "layer_";

    /** Copies the lists. */
    public PostHocArtifact {
        path = List.copyOf(path);
        baseline = baseline == null ? List.of() : List.copyOf(baseline);
        rewinding = rewinding == null ? List.of() : List.copyOf(rewinding);
    }

    /**
     * One scored model on a path.
     *
     * @param alpha   the coefficient
     * @param target  Target in percent
     * @param general General in percent
     * @param tasks   task scores in percent
     * @param targetSe  standard error of Target, or null
     * @param generalSe standard error of General, or null
     * @param validationTarget    Target on the validation split, or null
     * @param validationGeneral   General on the validation split, or null
     * @param validationTargetSe  its standard error, or null
     * @param validationGeneralSe its standard error, or null
     * @param updateScale {@code normF(W(alpha) - W0) / normF(W(1) - W0)}, or null
     */
    public record Point(double alpha, double target, double general, Map<String, Double> tasks, Double targetSe,
                        Double generalSe, Double validationTarget, Double validationGeneral, Double validationTargetSe,
                        Double validationGeneralSe, Double updateScale) {
        /** Copies the task map. */
        public Point {
            tasks = tasks == null ? Map.of() : new TreeMap<>(tasks);
        }

        static Point of(PathPoint p) {
            ModelScores v = p.validation();
            return new Point(p.alpha(), p.target(), p.general(), p.scores().tasks(), finite(p.scores().targetSe()),
                    finite(p.scores().generalSe()), v == null ? null : finite(v.target()),
                    v == null ? null : finite(v.general()), v == null ? null : finite(v.targetSe()),
                    v == null ? null : finite(v.generalSe()), finite(p.updateScale()));
        }
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    /**
     * The operating point under the arena's rule.
     *
     * @param rule      the rule's name
     * @param alpha     its alpha
     * @param target    its Target
     * @param general   its General
     * @param dTarget   its Target minus the final checkpoint's
     * @param dGeneral  its General minus the final checkpoint's
     * @param overshoot whether an earlier point gains more than the General threshold
     * @param selectedOn the split the selection read ({@code validation}, or {@code test} without validation scores)
     * @param tolerance  the Target tolerance applied, in points
     * @param updateScale the selected point's update scale, or null
     */
    public record OperatingPoint(String rule, double alpha, double target, double general, double dTarget,
                                 double dGeneral, boolean overshoot, String selectedOn, double tolerance,
                                 Double updateScale) {
        static OperatingPoint of(OvershootResult r) {
            return new OperatingPoint(r.options().rule().cliName(), r.alpha(), r.selected().target(),
                    r.selected().general(), r.dTarget(), r.dGeneral(), r.overshoot(), r.selectedOn(), r.tolerance(),
                    finite(r.selected().updateScale()));
        }
    }

    /**
     * One row of the rewinding table.
     *
     * @param recipe   the recipe's label ({@code uniform 0.4}, {@code safe-rho}, {@code min-rho})
     * @param rhoStar  the target rotation strength (NaN for the uniform recipe)
     * @param factors  the factor of each adapted block, by block index
     * @param target   the rewound model's Target
     * @param general  its General
     * @param tasks    its task scores
     * @param targetSe  standard error of Target, or null
     * @param generalSe standard error of General, or null
     * @param updateScale {@code normF(W - W0) / normF(W1 - W0)} of the rewound model, or null
     * @param depth    the depth the recipe saw (highest adapted block + 1)
     * @param referenceLayers the leading layers SafeRho averaged (0 for the other recipes)
     * @param warning  why the recipe may not mean anything on this model, or null
     */
    public record Rewound(String recipe, double rhoStar, List<Double> factors, double target, double general,
                          Map<String, Double> tasks, Double targetSe, Double generalSe, Double updateScale, int depth,
                          int referenceLayers, String warning) {
        /** Copies the collections. */
        public Rewound {
            factors = List.copyOf(factors);
            tasks = tasks == null ? Map.of() : new TreeMap<>(tasks);
        }

        /** Whether the recipe is uniform rewinding, which scales every block alike and has no {@code rho*}. */
        public boolean uniform() {
            return recipe.startsWith(RewindStrategy.UNIFORM.cliName());
        }

        static Rewound of(RewindOutcome o) {
            ModelScores s = o.scores();
            return new Rewound(o.plan().options().label(), o.plan().rhoStar(),
                    o.plan().layers().stream().map(LayerFactor::factor).toList(), s.target(), s.general(), s.tasks(),
                    finite(s.targetSe()), finite(s.generalSe()), finite(o.updateScale()), o.plan().depth(),
                    o.plan().referenceLayers(), o.plan().warning());
        }
    }

    /** Builds the artifact from the analysis results. */
    static PostHocArtifact of(String runId, String key, List<PathPoint> path, List<PathPoint> baseline,
                              OvershootResult operatingPoint, List<RewindOutcome> rewinding, int evaluations,
                              double seconds) {
        return new PostHocArtifact(runId, key, path.get(0).path().cliName(), path.stream().map(Point::of).toList(),
                baseline.isEmpty() ? null : baseline.get(0).path().cliName(), baseline.stream().map(Point::of).toList(),
                OperatingPoint.of(operatingPoint), rewinding.stream().map(Rewound::of).toList(), evaluations, seconds);
    }

    /** The registry rows: every path point (aggregates and tasks) and every rewound model with its factors. */
    public List<ScoreRow> rows() {
        List<ScoreRow> rows = new ArrayList<>();
        for (Point p : path) {
            addPoint(rows, PATH_PHASE + pathKind, p);
        }
        for (Point p : baseline) {
            addPoint(rows, BASELINE_PHASE + baselineKind, p);
        }
        for (int i = 0; i < rewinding.size(); i++) {
            Rewound r = rewinding.get(i);
            String phase = REWIND_PHASE + r.recipe();
            add(rows, phase, i, 1.0, r.target(), r.general(), r.tasks());
            addIf(rows, phase, i, 1.0, ScoreRow.TARGET, ScoreRow.SE, r.targetSe());
            addIf(rows, phase, i, 1.0, ScoreRow.GENERAL, ScoreRow.SE, r.generalSe());
            addIf(rows, phase, i, 1.0, UPDATE_SCALE, FACTOR, r.updateScale());
            rows.add(new ScoreRow(runId, phase, i, 1.0, DEPTH, FACTOR, r.depth()));
            if (r.referenceLayers() > 0) {
                rows.add(new ScoreRow(runId, phase, i, 1.0, REFERENCE_LAYERS, FACTOR, r.referenceLayers()));
            }
            if (!r.uniform()) { // uniform rewinding has no target strength (rho* is NaN by definition)
                rows.add(new ScoreRow(runId, phase, i, 1.0, "rho_star", FACTOR, r.rhoStar()));
            }
            for (int l = 0; l < r.factors().size(); l++) {
                rows.add(new ScoreRow(runId, phase, i, 1.0, String.format("%s%03d", LAYER_PREFIX, l), FACTOR, r.factors().get(l)));
            }
        }
        return rows;
    }

    private void addPoint(List<ScoreRow> rows, String phase, Point p) {
        add(rows, phase, 0, p.alpha(), p.target(), p.general(), p.tasks());
        addIf(rows, phase, 0, p.alpha(), ScoreRow.TARGET, ScoreRow.SE, p.targetSe());
        addIf(rows, phase, 0, p.alpha(), ScoreRow.GENERAL, ScoreRow.SE, p.generalSe());
        addIf(rows, phase, 0, p.alpha(), ScoreRow.TARGET, ScoreRow.VALIDATION_SCORE, p.validationTarget());
        addIf(rows, phase, 0, p.alpha(), ScoreRow.GENERAL, ScoreRow.VALIDATION_SCORE, p.validationGeneral());
        addIf(rows, phase, 0, p.alpha(), ScoreRow.TARGET, ScoreRow.VALIDATION_SE, p.validationTargetSe());
        addIf(rows, phase, 0, p.alpha(), ScoreRow.GENERAL, ScoreRow.VALIDATION_SE, p.validationGeneralSe());
        addIf(rows, phase, 0, p.alpha(), UPDATE_SCALE, FACTOR, p.updateScale());
    }

    private void addIf(List<ScoreRow> rows, String phase, int step, double alpha, String task, String metric, Double v) {
        if (v != null) {
            rows.add(new ScoreRow(runId, phase, step, alpha, task, metric, v));
        }
    }

    private void add(List<ScoreRow> rows, String phase, int step, double alpha, double target, double general,
                     Map<String, Double> tasks) {
        rows.add(new ScoreRow(runId, phase, step, alpha, ScoreRow.TARGET, ScoreRow.SCORE, target));
        rows.add(new ScoreRow(runId, phase, step, alpha, ScoreRow.GENERAL, ScoreRow.SCORE, general));
        tasks.forEach((t, v) -> rows.add(new ScoreRow(runId, phase, step, alpha, t, ScoreRow.SCORE, v)));
    }

    /** Writes the file atomically. */
    void write(Path runDir) throws IOException {
        AtomicFiles.write(runDir.resolve(FILE), RunSpecJson.pretty(this).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a run's file, or null when it is absent or unreadable (then the stage runs again). */
    public static PostHocArtifact read(Path runDir) {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return RunSpecJson.read(Files.readString(f, StandardCharsets.UTF_8), PostHocArtifact.class);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
