package org.peftarena.analysis.interp;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.AdapterLayer;

/** Copies of live weight tensors, to put them back bit for bit after a merge or an interpolation. */
public final class WeightSnapshot {
    private WeightSnapshot() {}

    private final List<Tensor> live = new ArrayList<>();
    private final List<Tensor> saved = new ArrayList<>();

    /** Snapshot of the weight and bias of every layer. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static WeightSnapshot of(Iterable<AdapterLayer> layers) {
        WeightSnapshot s = new WeightSnapshot();
        try (NoGradGuard g = new NoGradGuard()) {
            for (AdapterLayer l : layers) {
                s.add(l.base().weight());
                if (l.base().bias() != null) {
                    s.add(l.base().bias());
                }
            }
        }
        return s;
    }

    private void add(Tensor t) {
        live.add(t);
        saved.add(t.detach().clone());
    }

    /** The live tensors, in snapshot order. */
    public List<Tensor> live() {
        return live;
    }

    /** The copies, in snapshot order. */
    public List<Tensor> saved() {
        return saved;
    }

    /** Writes the copies back into the live tensors. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void restore() {
        try (NoGradGuard g = new NoGradGuard()) {
            for (int i = 0; i < live.size(); i++) {
                live.get(i).copy_(saved.get(i));
            }
        }
    }
}
