package org.peftarena.analysis.interp;

import java.util.ArrayList;
import java.util.List;
import org.peftarena.model.FiniteTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.kernels.Backend;
import org.peftarena.kernels.KernelOps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scores a model at every alpha of an interpolation path; the entry point for the arena runner. */
public final class PathEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(PathEvaluator.class);

    private PathEvaluator() {}

    /**
     * Scores every point of an open path (the path is left at its last point; closing it restores the base).
     *
     * @param path the path
     * @param scorer Target/General of a model
     * @param knownBase the base model's scores to reuse at alpha = 0, or null to score it
     * @return one point per alpha, in grid order
     */
    public static List<PathPoint> evaluate(InterpolationPath path, ModelScorer scorer, ModelScores knownBase) {
        return evaluate(path, scorer, knownBase, null);
    }

    /**
     * Scores every point of an open path, reusing scores already taken of its end points (every path
     * passes through the base at alpha = 0 and the finetuned model at alpha = 1, so a run's own final
     * scores keep its report consistent and save an evaluation).
     *
     * @param path the path
     * @param scorer Target/General of a model
     * @param knownBase the base model's scores to reuse at alpha = 0, or null to score it
     * @param knownFinal the finetuned model's scores to reuse at alpha = 1, or null to score it
     * @return one point per alpha, in grid order
     */
    public static List<PathPoint> evaluate(InterpolationPath path, ModelScorer scorer, ModelScores knownBase,
                                           ModelScores knownFinal) {
        return evaluate(path, scorer, knownBase, knownFinal, null);
    }

    /**
     * Scores every point of an open path on the test split, and on the validation split when the
     * scorer has one (operating points are selected there), reusing scores already taken.
     *
     * @param path the path
     * @param scorer Target/General of a model
     * @param knownBase the base model's test scores to reuse at alpha = 0, or null to score it
     * @param knownFinal the finetuned model's test scores to reuse at alpha = 1, or null to score it
     * @param knownBaseValidation the base model's validation scores to reuse at alpha = 0, or null
     * @return one point per alpha, in grid order
     */
    public static List<PathPoint> evaluate(InterpolationPath path, ModelScorer scorer, ModelScores knownBase,
                                           ModelScores knownFinal, ModelScores knownBaseValidation) {
        List<PathPoint> points = new ArrayList<>();
        AlphaGrid grid = path.grid();
        boolean validates = scorer.hasValidation();
        for (int i = 0; i < grid.size(); i++) {
            double alpha = grid.get(i);
            ModelScores known = alpha == 0.0 ? knownBase : alpha == 1.0 ? knownFinal : null;
            ModelScores knownValidation = alpha == 0.0 ? knownBaseValidation : null;
            boolean scoreTest = known == null;
            boolean scoreValidation = validates && knownValidation == null;
            ModelScores s = known;
            ModelScores v = validates ? knownValidation : null;
            if (scoreTest || scoreValidation) {
                long t0 = System.nanoTime();
                path.moveTo(i);
                // a NaN model scores 0, indistinguishable from a bad one: refuse it instead
                FiniteTensors.requireAll(path.kind().cliName() + " path at alpha " + AlphaGrid.label(alpha),
                        path.model().weights().asMap());
                if (scoreTest) {
                    s = scorer.score(path.model());
                }
                if (scoreValidation) {
                    v = scorer.validate(path.model());
                }
                LOG.info("{} path alpha {}: Target {} General {} ({} s)", path.kind().cliName(), AlphaGrid.label(alpha),
                        String.format(java.util.Locale.ROOT, "%.2f", s.target()),
                        String.format(java.util.Locale.ROOT, "%.2f", s.general()),
                        String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
            }
            points.add(new PathPoint(path.kind(), alpha, s, v, path.updateScale(i)));
        }
        return points;
    }

    /**
     * Opens a path, scores every alpha, and restores the base model.
     *
     * @param base a float32 decoder with no adapter attached
     * @param adapter the finetuned adapter
     * @param grid the coefficients ({@link AlphaGrid#DEFAULT} for the protocol's grid)
     * @param kind the path; AUTO picks the Cayley path for OFT and the linear one otherwise
     * @param scorer Target/General of a model
     * @param kernels the Cayley kernel
     * @param knownBase the base model's scores to reuse at alpha = 0, or null
     */
    public static List<PathPoint> evaluate(LlamaModel base, AdapterCheckpoint adapter, AlphaGrid grid, PathKind kind,
                                           ModelScorer scorer, KernelOps kernels, ModelScores knownBase) {
        try (InterpolationPath path = InterpolationPaths.open(base, adapter, kind, grid, kernels)) {
            return evaluate(path, scorer, knownBase);
        }
    }

    /**
     * The protocol's default: the AUTO path on the given grid, kernels on the AUTO backend.
     *
     * @param base a float32 decoder with no adapter attached
     * @param adapter the finetuned adapter
     * @param grid the coefficients
     * @param scorer Target/General of a model
     */
    public static List<PathPoint> evaluate(LlamaModel base, AdapterCheckpoint adapter, AlphaGrid grid, ModelScorer scorer) {
        return evaluate(base, adapter, grid, PathKind.AUTO, scorer, KernelOps.create(Backend.AUTO), null);
    }
}
