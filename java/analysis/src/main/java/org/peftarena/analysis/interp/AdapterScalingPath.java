package org.peftarena.analysis.interp;

import java.util.function.Consumer;
import org.peftarena.engine.model.LlamaModel;
import org.peftarena.engine.model.ModelDType;
import org.peftarena.engine.peft.PeftMethod;
import org.peftarena.engine.peft.PeftModel;
import org.peftarena.engine.peft.io.AdapterCheckpoint;

/**
 * The linear path of an adapter whose update is linear in its own tensors: the adapter stays
 * attached, unmerged, and is reloaded scaled by {@link AdapterScaling} at each alpha, so no dense
 * update matrix is ever formed.
 */
public final class AdapterScalingPath implements InterpolationPath {
    private final PeftModel attached;
    private final AdapterCheckpoint adapter;
    private final AlphaGrid grid;

    private AdapterScalingPath(PeftModel attached, AdapterCheckpoint adapter, AlphaGrid grid) {
        this.attached = attached;
        this.adapter = adapter;
        this.grid = grid;
    }

    /**
     * @param base a float32 decoder with no adapter attached; it carries the adapter until {@link #close()}
     * @param adapter a LoRA, PiSSA, MiLoRA, KeepLoRA, VeRA, IA3 or MiSS adapter
     * @param grid the coefficients
     * @throws PathException for another method
     */
    public static AdapterScalingPath fromAdapter(LlamaModel base, AdapterCheckpoint adapter, AlphaGrid grid) {
        PeftMethod method = adapter.config().method();
        if (!AdapterScaling.supports(method)) {
            throw new PathException(method.cliName() + " adapters cannot be scaled linearly; use the dense path");
        }
        if (base.dtype() != ModelDType.FLOAT32) {
            throw new PathException("paths are computed on float32 models; the base model holds " + base.dtype());
        }
        PeftModel pm = PeftModel.attach(base, adapter.config(), adapter.targets(), 0L);
        try {
            pm.adapters().load(adapter.tensors());
        } catch (RuntimeException e) {
            pm.detach();
            throw e;
        }
        return new AdapterScalingPath(pm, adapter, grid);
    }

    @Override
    public PathKind kind() {
        return PathKind.LINEAR;
    }

    @Override
    public AlphaGrid grid() {
        return grid;
    }

    @Override
    public LlamaModel model() {
        return attached.model();
    }

    @Override
    public void moveTo(int index) {
        attached.adapters().load(AdapterScaling.scale(adapter.config().method(), adapter.tensors(), grid.get(index)));
    }

    /** Merges the scaled adapter for the action, then puts the base weights back bit for bit. */
    @Override
    public void withMergedWeights(Consumer<LlamaModel> action) {
        WeightSnapshot w0 = WeightSnapshot.of(attached.adapters().layers().values());
        attached.merge();
        try {
            action.accept(model());
        } finally {
            attached.unmerge();
            w0.restore();
        }
    }

    @Override
    public void close() {
        attached.detach();
    }
}
