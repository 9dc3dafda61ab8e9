package org.peftarena.peft;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.io.NonFiniteTensorException;

/**
 * One adapted linear layer: a replacement for {@code x W0^T + b} that adds a method's trainable
 * parameters, can fold them into the base weight (merge) and take them out again (unmerge).
 */
public abstract class AdapterLayer {
    protected final BaseLinear base;
    private boolean merged;

    protected AdapterLayer(BaseLinear base) {
        this.base = base;
    }

    /** The wrapped base layer. */
    public BaseLinear base() {
        return base;
    }

    /** Whether the adapter is currently folded into the base weight. */
    public boolean merged() {
        return merged;
    }

    /**
     * The adapted layer's output; after {@link #merge()} just the base layer's.
     *
     * @param x float32 {@code (..., in)}
     * @return float32 {@code (..., out)}
     */
    public final Tensor forward(Tensor x) {
        return merged ? base.forward(x) : adaptedForward(x);
    }

    /** The unmerged forward pass, differentiable in the trainable parameters. */
    protected abstract Tensor adaptedForward(Tensor x);

    /**
     * The trainable parameters, keyed by their Hugging Face PEFT name relative to the module
     * (e.g. {@code lora_A.weight}); leaf tensors that require gradients.
     */
    public abstract Map<String, Tensor> trainable();

    /** Every tensor the adapter file stores for this module (the trainable ones unless overridden). */
    public Map<String, Tensor> saved() {
        return trainable();
    }

    /**
     * Folds the adapter into the base weight (and bias where the method scales it).
     *
     * @throws NonFiniteTensorException naming the base tensor when the merged values overflow float32 (or are NaN);
     *         the base weight and bias are then left as they were
     */
    public final void merge() {
        merge(null);
    }

    /**
     * As {@link #merge()}, naming the configuration setting that scales the update in the error.
     *
     * @param scaleSetting e.g. {@code lora_alpha 16.0 (scale alpha/r = 2.0)} ({@link PeftConfig#scaleSetting()}), or null
     * @throws NonFiniteTensorException naming the base tensor and the setting when the merged values are not
     *         finite in float32; the base weight and bias are then left as they were
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public final void merge(String scaleSetting) {
        if (merged) {
            throw new PeftException(base.path() + ": adapter already merged");
        }
        try (NoGradGuard g = new NoGradGuard()) {
            // one rule for every method: the merged tensors are finite, or the base stays as it was
            Tensor weight = base.weight().clone();
            Tensor bias = base.bias() == null ? null : base.bias().clone();
            mergeIntoBase();
            String bad = !finite(base.weight()) ? base.path() + ".weight"
                    : base.bias() != null && !finite(base.bias()) ? base.path() + ".bias" : null;
            if (bad != null) {
                base.weight().copy_(weight);
                if (bias != null) {
                    base.bias().copy_(bias);
                }
                throw new NonFiniteTensorException(bad, "merging the adapter into \"" + bad + "\" gives values that are not finite"
                        + " in float32" + (scaleSetting == null ? "" : " with " + scaleSetting)
                        + "; refusing NaN/Inf weights (the adapter's tensors or its scale are too large for this model)");
            }
        }
        merged = true;
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private static boolean finite(Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            return t.isfinite().all().item_bool();
        }
    }

    /** Restores the base weight that {@link #merge()} changed. */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public final void unmerge() {
        if (!merged) {
            throw new PeftException(base.path() + ": adapter is not merged");
        }
        try (NoGradGuard g = new NoGradGuard()) {
            unmergeFromBase();
        }
        merged = false;
    }

    /** Writes the effective weight into the base tensors; runs without autograd. */
    protected abstract void mergeIntoBase();

    /** Inverts {@link #mergeIntoBase()}; runs without autograd. */
    protected abstract void unmergeFromBase();

    /**
     * Copies stored values into this adapter's tensors.
     *
     * @param tensors Hugging Face PEFT names relative to the module, each with the exact shape of {@link #saved()}'s
     * @throws AdapterFormatException if a tensor is missing or has another shape
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void load(Map<String, Tensor> tensors) {
        Map<String, Tensor> mine = saved();
        try (NoGradGuard g = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : mine.entrySet()) {
                Tensor src = tensors.get(e.getKey());
                if (src == null) {
                    throw new AdapterFormatException(base.path() + ": adapter has no tensor '" + e.getKey() + "'");
                }
                ShapeCheck.require(base.path() + "." + e.getKey(), e.getValue(), src);
                e.getValue().copy_(src);
            }
        }
    }

    /** Number of trainable scalars. */
    public long trainableCount() {
        long n = 0;
        for (Tensor t : trainable().values()) {
            n += t.numel();
        }
        return n;
    }

    /** A mutable ordered map, for subclasses building their name tables. */
    protected static Map<String, Tensor> named(Object... nameTensorPairs) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTensorPairs.length; i += 2) {
            m.put((String) nameTensorPairs[i], (Tensor) nameTensorPairs[i + 1]);
        }
        return m;
    }
}
