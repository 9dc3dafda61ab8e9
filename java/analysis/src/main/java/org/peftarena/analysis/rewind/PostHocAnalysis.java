package org.peftarena.analysis.rewind;

import java.util.List;
import org.peftarena.analysis.interp.InterpolationPath;
import org.peftarena.analysis.interp.InterpolationPaths;
import org.peftarena.analysis.interp.ModelScorer;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.Overshoot;
import org.peftarena.analysis.interp.PathEvaluator;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.analysis.interp.PathPoint;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelWeights;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.kernels.KernelOps;
import org.peftarena.peft.oft.OftMethod;

/**
 * Everything the arena computes after a run has trained, in one call: the run's interpolation
 * path (and OFT's dense-delta baseline), its operating point and overshoot flag, and for OFT the
 * rewinding table (the protocol's table is for OFT runs). The base model is left as it was.
 */
public final class PostHocAnalysis {
    private PostHocAnalysis() {}

    /**
     * An adapter run.
     *
     * @param base the float32 base model with no adapter attached
     * @param adapter the final adapter (from disk, or {@link org.peftarena.analysis.interp.AdapterSnapshot#of})
     * @param scorer Target/General of a model
     * @param baseScores the base model's scores (reused at alpha = 0), or null
     * @param finalScores the run's final scores (reused at alpha = 1), or null
     * @param options grid, rule, recipes
     * @param kernels the Cayley kernel
     */
    public static PostHocReport run(LlamaModel base, AdapterCheckpoint adapter, ModelScorer scorer, ModelScores baseScores,
                                    ModelScores finalScores, PostHocOptions options, KernelOps kernels) {
        boolean oft = OftMethod.ID.equals(adapter.config().method());
        List<PathPoint> path = points(InterpolationPaths.open(base, adapter, PathKind.AUTO, options.grid(), kernels),
                scorer, baseScores, finalScores);
        List<PathPoint> dense = oft && options.denseBaseline()
                ? points(InterpolationPaths.open(base, adapter, PathKind.DENSE, options.grid(), kernels), scorer, baseScores,
                        finalScores)
                : List.of();
        List<RewindOutcome> rewinding = oft ? RewindEvaluator.evaluate(base, adapter, options.rewinding(), scorer, kernels)
                : List.of();
        return new PostHocReport(path, dense, Overshoot.select(path, options.overshoot()), rewinding);
    }

    /**
     * A full-finetuning run: the dense path and its operating point (no rewinding).
     *
     * @param base the float32 base model (reloaded: full finetuning trains the model in place)
     * @param tuned the finetuned weights
     * @param scorer Target/General of a model
     * @param baseScores the base model's scores (reused at alpha = 0), or null
     * @param finalScores the run's final scores (reused at alpha = 1), or null
     * @param options grid and rule
     */
    public static PostHocReport runTuned(LlamaModel base, ModelWeights tuned, ModelScorer scorer, ModelScores baseScores,
                                         ModelScores finalScores, PostHocOptions options) {
        List<PathPoint> path = points(InterpolationPaths.openTuned(base, tuned, PathKind.AUTO, options.grid()), scorer,
                baseScores, finalScores);
        return new PostHocReport(path, List.of(), Overshoot.select(path, options.overshoot()), List.of());
    }

    private static List<PathPoint> points(InterpolationPath opened, ModelScorer scorer, ModelScores base, ModelScores fin) {
        try (InterpolationPath p = opened) {
            return PathEvaluator.evaluate(p, scorer, base, fin);
        }
    }
}
