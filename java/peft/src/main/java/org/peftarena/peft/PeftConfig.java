package org.peftarena.peft;

/**
 * The hyper-parameters of one finetuning method; each method's record validates itself in its
 * constructor and knows how many parameters it trains per targeted linear layer.
 */
public interface PeftConfig {
    /** The method these hyper-parameters belong to. */
    PeftMethod method();

    /**
     * Trainable parameters this method adds to (or unfreezes in) one targeted linear layer.
     *
     * @param module the layer's shape
     */
    long moduleParams(LinearShape module);

    /** Trainable parameters per block outside the targeted linear layers (full finetuning's norms). */
    default long blockExtraParams(ModelShape shape) {
        return 0;
    }

    /** The size knob's value (rank or block size); 0 when the method has none. */
    int size();

    /**
     * The same configuration with another size (rank or block size).
     *
     * @throws PeftException if the method has no size knob or the value is invalid
     */
    PeftConfig withSize(int size);

    /**
     * The configuration a training run of {@code totalSteps} steps uses; methods whose schedule depends on
     * the run length (AdaLoRA's budget) record it, the others return themselves.
     *
     * @throws PeftException if the run is too short for the method's schedule
     */
    default PeftConfig withTotalSteps(int totalSteps) {
        return this;
    }

    /**
     * The configuration setting that scales every layer's update, as {@code adapter_config.json} names it,
     * with its value and the factor it makes (e.g. {@code lora_alpha 16.0 (scale alpha/r = 2.0)}); null when
     * the method has none. Named in the error when a merged weight is not finite.
     */
    default String scaleSetting() {
        return null;
    }

    /** A note for a layer whose shape forces an adjustment (e.g. OFT block size), or null. */
    default String adjustmentNote(LinearShape module) {
        return null;
    }
}
