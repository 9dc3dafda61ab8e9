package org.peftarena.peft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.LinearModule;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.TrainingHook;

/**
 * A decoder with one method's adapters installed through its per-module forward replacement;
 * full finetuning instead unfreezes every block parameter (linear weights, biases, norms).
 */
public final class PeftModel {
    private static final String BLOCK_PREFIX = ModelShape.LAYER_PREFIX;

    private final LlamaModel model;
    private final AdapterSet adapters;

    private PeftModel(LlamaModel model, AdapterSet adapters) {
        this.model = model;
        this.adapters = adapters;
    }

    /**
     * Attaches a method to a model.
     *
     * @param model a float32 decoder (its block weights stay frozen unless the method is full
     *     finetuning), or, for methods that {@linkplain PeftMethod#trainsOnStoredBase() train on a stored
     *     base}, a bfloat16/float16 decoder computing in float32 (see {@code HfModelDirectory.loadFrozenBase})
     * @param config the method
     * @param targets which linear layers to adapt
     * @param seed initialisation seed
     * @throws PeftException if the model's weights or activations are not float32 where the method
     *     needs them, or no layer matches
     */
    public static PeftModel attach(LlamaModel model, PeftConfig config, TargetModules targets, long seed) {
        if (model.computeDtype() != ModelDType.FLOAT32) {
            throw new PeftException("adapters train on models computing in float32; this model computes in "
                    + model.computeDtype());
        }
        if (model.dtype() != ModelDType.FLOAT32 && !config.method().trainsOnStoredBase()) {
            throw new PeftException(config.method().cliName() + " trains float32 weights; this model holds "
                    + model.dtype() + " (load it in float32)");
        }
        boolean full = config.method().wholeModel();
        model.setTrainable(full ? n -> n.startsWith(BLOCK_PREFIX) : n -> false);
        List<BaseLinear> linears = new ArrayList<>();
        for (LinearModule m : model.linears().modules().values()) {
            linears.add(new BaseLinear(m.name(), m.weight(), m.bias()));
        }
        AdapterSet set = AdapterSet.attach(config, targets, linears, seed);
        if (!full) {
            set.layers().forEach((path, layer) -> model.linears().replaceForward(path, (module, x) -> layer.forward(x)));
        }
        return new PeftModel(model, set);
    }

    /** The decoder. */
    public LlamaModel model() {
        return model;
    }

    /** The adapters (for full finetuning: one unfrozen layer per linear). */
    public AdapterSet adapters() {
        return adapters;
    }

    /** The method configuration. */
    public PeftConfig config() {
        return adapters.config();
    }

    /** Every trainable tensor by name: HF PEFT keys for adapters, model tensor names for full finetuning. */
    public Map<String, Tensor> trainableParameters() {
        if (!config().method().wholeModel()) {
            return adapters.trainableParameters();
        }
        Map<String, Tensor> all = new LinkedHashMap<>();
        for (String n : model.weights().names()) {
            if (n.startsWith(BLOCK_PREFIX)) {
                all.put(n, model.weights().get(n));
            }
        }
        return all;
    }

    /** Number of trainable scalars. */
    public long trainableCount() {
        return trainableParameters().values().stream().mapToLong(Tensor::numel).sum();
    }

    /** Whether some layer still needs a gradient of its base weight before training (KeepLoRA). */
    public boolean needsGradientInit() {
        return adapters.layers().values().stream().anyMatch(l -> l instanceof GradientInitialisedLayer k && !k.initialised());
    }

    /**
     * Gives gradient-initialised layers their gradient: runs {@code loss} once with the targeted
     * base weights temporarily trainable (the adapters' own forwards, still the identity, run too).
     *
     * @param loss computes a scalar loss of one batch on this model
     */
    public void initFromGradient(Supplier<Tensor> loss) {
        List<GradientInitialisedLayer> pending = new ArrayList<>();
        adapters.layers().values().forEach(l -> {
            if (l instanceof GradientInitialisedLayer k && !k.initialised()) {
                pending.add(k);
            }
        });
        if (pending.isEmpty()) {
            return;
        }
        pending.forEach(k -> k.base().weight().set_requires_grad(true));
        try {
            loss.get().backward();
            for (GradientInitialisedLayer k : pending) {
                k.initFromGradient(k.base().weight().grad());
            }
        } finally {
            for (GradientInitialisedLayer k : pending) {
                Tensor w = k.base().weight();
                w.set_requires_grad(false);
                if (w.grad().defined()) {
                    w.mutable_grad().reset();
                }
            }
            adapters.trainableParameters().values().forEach(p -> {
                if (p.grad().defined()) {
                    p.mutable_grad().reset();
                }
            });
        }
    }

    /**
     * The method's work inside each training step (AdaLoRA: orthogonal regulariser and rank allocation);
     * {@link TrainingHook#NONE} for methods without any. Create it once per run, before the first step.
     */
    public TrainingHook trainingHook() {
        return ConfiguredMethod.of(config()).trainingHook(adapters.layers());
    }

    /** Folds the adapters into the model's weights (the model then computes the adapted function alone). */
    public void merge() {
        adapters.merge();
    }

    /** Restores the base weights. */
    public void unmerge() {
        adapters.unmerge();
    }

    /** Removes the adapters' forward replacements and freezes the model again. */
    public void detach() {
        adapters.layers().keySet().forEach(p -> model.linears().restoreForward(p));
        model.setTrainable(n -> false);
    }
}
