package org.peftarena.analysis.interp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.Devices;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.ModelWeights;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;

/**
 * {@code W(alpha) = W0 + alpha (W1 - W0)} for every tensor the finetuning changed, with
 * {@code W1} the merged weights; computed as {@code lerp(W0, W1, alpha)}, which is exactly
 * {@code W0} at 0 and exactly {@code W1} at 1.
 */
public final class DenseDeltaPath implements InterpolationPath {
    private record Entry(Tensor live, Tensor w0, Tensor w1) {}

    private final LlamaModel model;
    private final AlphaGrid grid;
    private final List<Entry> entries;

    private DenseDeltaPath(LlamaModel model, AlphaGrid grid, List<Entry> entries) {
        this.model = model;
        this.grid = grid;
        this.entries = entries;
    }

    /**
     * The path to the adapter's merged model.
     *
     * @param base a float32 decoder with no adapter attached; left at alpha = 0
     * @param adapter any adapter the engine can merge
     * @param grid the coefficients
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static DenseDeltaPath fromAdapter(LlamaModel base, AdapterCheckpoint adapter, AlphaGrid grid) {
        requireFloat32(base);
        PeftModel pm = PeftModel.attach(base, adapter.config(), adapter.targets(), 0L);
        try {
            pm.adapters().load(adapter.tensors());
            WeightSnapshot w0 = WeightSnapshot.of(pm.adapters().layers().values());
            pm.merge();
            List<Entry> entries = new ArrayList<>();
            try (NoGradGuard g = new NoGradGuard()) {
                for (int i = 0; i < w0.live().size(); i++) {
                    Tensor live = w0.live().get(i);
                    if (!torch.equal(live, w0.saved().get(i))) {
                        entries.add(new Entry(live, w0.saved().get(i), live.detach().clone()));
                    }
                }
            }
            w0.restore();
            return new DenseDeltaPath(base, grid, entries);
        } finally {
            pm.detach();
        }
    }

    /**
     * The path to a fully finetuned model of the same architecture.
     *
     * @param base a float32 decoder; left at alpha = 0
     * @param tuned the finetuned weights, float32, same names and shapes (kept, not copied, when on the base model's
     *     device; copied there otherwise)
     * @param grid the coefficients
     * @throws PathException when names, shapes or dtypes differ
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static DenseDeltaPath fromTuned(LlamaModel base, ModelWeights tuned, AlphaGrid grid) {
        requireFloat32(base);
        if (tuned.dtype() != ModelDType.FLOAT32) {
            throw new PathException("the finetuned model must be held in float32, not " + tuned.dtype());
        }
        if (!tuned.names().equals(base.weights().names())) {
            throw new PathException("the finetuned model's tensors differ from the base model's: "
                    + tuned.names().size() + " vs " + base.weights().names().size() + " tensors");
        }
        List<Entry> entries = new ArrayList<>();
        try (NoGradGuard g = new NoGradGuard()) {
            for (String name : base.weights().names()) {
                Tensor live = base.weights().get(name);
                Tensor w1 = Devices.on(live.device(), tuned.get(name)); // a copy only when the base is on another device
                if (!Arrays.equals(HostTensors.shape(live), HostTensors.shape(w1))) {
                    throw new PathException(name + ": finetuned shape " + Arrays.toString(HostTensors.shape(w1))
                            + " differs from the base model's " + Arrays.toString(HostTensors.shape(live)));
                }
                if (!torch.equal(live, w1)) {
                    entries.add(new Entry(live, live.detach().clone(), w1));
                }
            }
        }
        return new DenseDeltaPath(base, grid, entries);
    }

    private static void requireFloat32(LlamaModel base) {
        if (base.dtype() != ModelDType.FLOAT32) {
            throw new PathException("paths are computed on float32 models; the base model holds " + base.dtype());
        }
    }

    /** Number of tensors that move along the path. */
    public int movingTensors() {
        return entries.size();
    }

    @Override
    public PathKind kind() {
        return PathKind.DENSE;
    }

    @Override
    public AlphaGrid grid() {
        return grid;
    }

    @Override
    public LlamaModel model() {
        return model;
    }

    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void moveTo(int index) {
        Scalar alpha = new Scalar(grid.get(index));
        try (NoGradGuard g = new NoGradGuard()) {
            for (Entry e : entries) {
                e.live().copy_(torch.lerp(e.w0(), e.w1(), alpha));
            }
        }
    }

    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void close() {
        try (NoGradGuard g = new NoGradGuard()) {
            for (Entry e : entries) {
                e.live().copy_(e.w0());
            }
        }
    }
}
