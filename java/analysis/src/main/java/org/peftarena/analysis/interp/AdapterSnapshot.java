package org.peftarena.analysis.interp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.io.AdapterCheckpoint;

/** An in-memory adapter checkpoint copied from an attached adapter, as if saved and read back. */
public final class AdapterSnapshot {
    private AdapterSnapshot() {}

    /**
     * @param trained a model with trained (unmerged) adapters attached
     * @param baseModel recorded as the adapter's base model name
     * @return configuration, targets and a copy of every tensor the adapter file would hold
     * @throws PathException for full finetuning, which has no adapter
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static AdapterCheckpoint of(PeftModel trained, String baseModel) {
        if (trained.config().method().hfPeftType() == null) {
            throw new PathException(trained.config().method().cliName() + " trains the model itself, not an adapter");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (NoGradGuard g = new NoGradGuard()) {
            trained.adapters().stateDict().forEach((k, v) -> tensors.put(k, v.detach().clone()));
        }
        return new AdapterCheckpoint(trained.config(), trained.adapters().targets(), tensors, baseModel == null ? "" : baseModel);
    }
}
