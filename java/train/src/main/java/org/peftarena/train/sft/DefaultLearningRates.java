package org.peftarena.train.sft;

import java.util.Locale;
import java.util.Optional;
import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.PeftMethod;

/**
 * Peak learning rates for small models such as the embedded one (hidden size 192), one per method,
 * checked by the test that every method learns a toy target. They are far too high for real models
 * (LoRA at 2e-2 diverges on a 0.5B model): {@link #largeModelWarning} says so when a default meets
 * a model more than {@link #LARGE_MODEL_FACTOR} times wider. Guidance for larger models: adapters
 * (LoRA, DoRA, PiSSA, ...) 1e-4 to 3e-4 from 0.5B to 7B parameters (the published study used 2e-4
 * on 7B-class models), orthogonal methods (OFT, BOFT, HRA) about 1e-4 to 6e-4, full finetuning
 * 1e-5 to 2e-5.
 */
public final class DefaultLearningRates {
    /** Hidden size of the shipped model the defaults were tuned on. */
    public static final int TUNED_HIDDEN_SIZE = 192;
    /** How many times wider than {@link #TUNED_HIDDEN_SIZE} a model may be before a default is flagged. */
    public static final int LARGE_MODEL_FACTOR = 4;

    private DefaultLearningRates() {}

    /** Whether a model of this hidden size is more than {@link #LARGE_MODEL_FACTOR} times wider than the shipped one. */
    public static boolean tooLargeForDefaults(int hiddenSize) {
        return hiddenSize > TUNED_HIDDEN_SIZE * LARGE_MODEL_FACTOR;
    }

    /**
     * The warning to show when a method's small-model default learning rate is about to be used
     * on a model of the given hidden size, or empty when the model is small enough.
     */
    public static Optional<String> largeModelWarning(PeftMethod method, int hiddenSize) {
        if (!tooLargeForDefaults(hiddenSize)) {
            return Optional.empty();
        }
        String advice = method.cliName().equals("full") ? "1e-5 to 2e-5 for full finetuning"
                : "1e-4 to 3e-4 for adapters on 0.5B-7B models";
        return Optional.of(String.format(Locale.ROOT, "the default learning rate of %s (%.0e) is tuned for the "
                + "shipped model (hidden size %d); this model has hidden size %d: pass a learning rate (%s)",
                method.cliName(), forMethod(method), TUNED_HIDDEN_SIZE, hiddenSize, advice));
    }

    /** The default peak learning rate of a method on a small model. */
    public static double forMethod(PeftMethod method) {
        return MethodRegistry.provider(method).defaultLearningRate();
    }
}
