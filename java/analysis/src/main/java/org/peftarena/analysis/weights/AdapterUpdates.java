package org.peftarena.analysis.weights;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.analysis.DiagnosticInputException;
import org.peftarena.analysis.tensor.StoredTensors;
import org.peftarena.formats.io.TensorInfo;
import org.peftarena.formats.io.TensorStore;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.AdapterSet;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LoraLayer;
import org.peftarena.peft.oft.OftLayer;

/**
 * Turns a loaded PEFT adapter into per-module updates in their own structure: LoRA as
 * {@code scale * B A}, OFT as block rotations of W0, every other method as the dense difference of
 * its merged weight.
 */
public final class AdapterUpdates {
    private static final String WEIGHT_SUFFIX = ".weight";

    private AdapterUpdates() {}

    /**
     * One adapted module.
     *
     * @param module module path, e.g. {@code model.layers.0.self_attn.q_proj}
     * @param w0 its pretrained weight, float32 [out, in]
     * @param update its update
     */
    public record ModuleUpdate(String module, Tensor w0, WeightUpdate update) {}

    /** Receives the modules one at a time, so only one module's weights are held at once. */
    @FunctionalInterface
    public interface ModuleVisitor {
        /**
         * @param update one module's base weight and update
         * @throws IOException when the visitor's own output fails
         */
        void visit(ModuleUpdate update) throws IOException;
    }

    /**
     * Collects every selected module's update (small models and tests; large models use
     * {@link #forEach}).
     *
     * @return the updates, in name order
     * @throws IOException when base weights cannot be read
     */
    public static List<ModuleUpdate> of(AdapterCheckpoint adapter, TensorStore base, Predicate<String> select)
            throws IOException {
        List<ModuleUpdate> out = new ArrayList<>();
        forEach(adapter, base, select, out::add);
        return out;
    }

    /**
     * Visits the selected adapted modules in name order, attaching and loading one layer at a time.
     *
     * @param adapter the adapter as read from its directory
     * @param base the base model's weights
     * @param select which module paths to analyse (among those the adapter targets)
     * @param visitor receives each module
     * @return the number of modules visited
     * @throws DiagnosticInputException when no selected module is adapted
     * @throws IOException when base weights cannot be read
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static int forEach(AdapterCheckpoint adapter, TensorStore base, Predicate<String> select,
                              ModuleVisitor visitor) throws IOException {
        int count = 0;
        for (String name : base.names()) {
            TensorInfo info = base.info(name);
            if (!name.endsWith(WEIGHT_SUFFIX) || info.rank() != 2) {
                continue;
            }
            String module = name.substring(0, name.length() - WEIGHT_SUFFIX.length());
            boolean targeted = adapter.config().method().wholeModel() || adapter.targets().matches(module);
            if (!targeted || !select.test(module)) {
                continue;
            }
            Tensor w0 = StoredTensors.matrix(base, name);
            // merging writes into the layer's weight, so it gets its own copy
            AdapterSet set = AdapterSet.attach(adapter.config(), adapter.targets(),
                    List.of(new BaseLinear(module, w0.clone(), null)), 0);
            Map<String, Tensor> stored = new LinkedHashMap<>();
            for (String key : set.stateDict().keySet()) {
                Tensor t = adapter.tensors().get(key);
                if (t != null) {
                    stored.put(key, t);
                }
            }
            set.load(stored);
            WeightUpdate update;
            try (NoGradGuard g = new NoGradGuard()) {
                update = structured(adapter, set.layer(module), w0);
            }
            visitor.visit(new ModuleUpdate(module, w0, update));
            count++;
        }
        if (count == 0) {
            throw new DiagnosticInputException("no module of " + base.source() + " matching " + select
                    + " is targeted by the " + adapter.config().method() + " adapter");
        }
        return count;
    }

    private static WeightUpdate structured(AdapterCheckpoint adapter, AdapterLayer layer, Tensor w0) {
        if (layer instanceof LoraLayer lora && adapter.config() instanceof LoraConfig config) {
            return new LowRankUpdate(lora.b().detach(), lora.a().detach(), config.scaling());
        }
        if (layer instanceof OftLayer oft) {
            return new BlockRotationUpdate(w0, oft.rotations().detach());
        }
        layer.merge();
        return DenseUpdate.between(w0, layer.base().weight().detach());
    }
}
