package org.peftarena.analysis.interp;

import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelWeights;
import org.peftarena.peft.full.FullMethod;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.kernels.KernelOps;

/** Opens the path a {@link PathKind} asks for. */
public final class InterpolationPaths {
    private InterpolationPaths() {}

    /**
     * A path from the base model to the base plus an adapter.
     *
     * @param base a float32 decoder with no adapter attached (changed in place until the path is closed)
     * @param adapter the finetuned adapter
     * @param kind the path; AUTO picks by method
     * @param grid the coefficients
     * @param kernels the Cayley kernel (used by the Cayley path)
     */
    public static InterpolationPath open(LlamaModel base, AdapterCheckpoint adapter, PathKind kind, AlphaGrid grid,
                                         KernelOps kernels) {
        return switch (kind.resolve(adapter.config().method())) {
            case CAYLEY -> CayleyPath.fromAdapter(base, adapter, grid, kernels);
            case LINEAR -> AdapterScalingPath.fromAdapter(base, adapter, grid);
            case DENSE -> DenseDeltaPath.fromAdapter(base, adapter, grid);
            case AUTO -> throw new IllegalStateException("resolve() never returns AUTO");
        };
    }

    /**
     * A path from the base model to a fully finetuned model (every path kind but Cayley is the dense one).
     *
     * @param base a float32 decoder (changed in place until the path is closed)
     * @param tuned the finetuned weights, float32
     * @param kind the path
     * @param grid the coefficients
     */
    public static InterpolationPath openTuned(LlamaModel base, ModelWeights tuned, PathKind kind, AlphaGrid grid) {
        kind.resolve(FullMethod.ID);
        return DenseDeltaPath.fromTuned(base, tuned, grid);
    }
}
