package org.peftarena.analysis.interp;

import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;

/**
 * The linear path of an adapter whose update is linear in its own tensors: at each alpha the
 * adapter is reloaded scaled by {@link AdapterScaling} and merged into the base weights (which are
 * put back bit for bit before the next point), so no dense update {@code dW} is ever stored and the
 * model is evaluated at merged speed.
 */
public final class AdapterScalingPath implements InterpolationPath {
    private final PeftModel attached;
    private final AdapterCheckpoint adapter;
    private final AlphaGrid grid;
    private final WeightSnapshot w0;
    private boolean merged;

    private AdapterScalingPath(PeftModel attached, AdapterCheckpoint adapter, AlphaGrid grid) {
        this.attached = attached;
        this.adapter = adapter;
        this.grid = grid;
        this.w0 = WeightSnapshot.of(attached.adapters().layers().values());
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
        restoreBase();
        attached.adapters().load(AdapterScaling.scale(adapter.config().method(), adapter.tensors(), grid.get(index)));
        attached.merge();
        merged = true;
    }

    private void restoreBase() {
        if (merged) {
            attached.unmerge();
            w0.restore();
            merged = false;
        }
    }

    @Override
    public void close() {
        restoreBase();
        attached.detach();
    }
}
