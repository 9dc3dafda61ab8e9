package org.peftarena.peft;

import java.util.Locale;
import java.util.Set;

/**
 * The identity of a finetuning method: its command-line name, the knob that sets its size, its HF PEFT
 * {@code peft_type} and its traits. Each method's package defines its own; {@link MethodRegistry} finds
 * a method by name.
 *
 * @param cliName the name used on the command line and in run specs, e.g. {@code oft}
 * @param knob what the method's size is measured in
 * @param hfPeftType the {@code peft_type} written to {@code adapter_config.json}; null when the method
 *     produces a whole model rather than an adapter
 * @param traits what central code may ask of the method beyond its name
 */
public record PeftMethod(String cliName, SizeKnob knob, String hfPeftType, Set<Trait> traits) implements NamedOption {
    /** What a method's size is measured in. */
    public enum SizeKnob {
        /** Integer rank (LoRA family, MiSS, VeRA, HRA). */
        RANK,
        /** Block size that must divide every targeted in-feature (OFT, BOFT). */
        BLOCK_SIZE,
        /** No size knob (full finetuning, IA3). */
        NONE
    }

    /** Properties of a method that central code acts on. */
    public enum Trait {
        /** Trains the model's own block parameters instead of attaching adapters (full finetuning). */
        WHOLE_MODEL,
        /** Its updates are rotations (orthogonal methods such as OFT, BOFT and HRA). */
        ORTHOGONAL,
        /**
         * Reads the base layers only through their forward and never writes them while training, so
         * it trains over a bfloat16/float16 base kept frozen in its stored dtype (computed in float32).
         */
        FROZEN_BASE_AS_STORED
    }

    public PeftMethod {
        if (cliName == null || !cliName.equals(cliName.trim().toLowerCase(Locale.ROOT)) || cliName.isEmpty()) {
            throw new PeftException("a method name must be non-empty lower case, got '" + cliName + "'");
        }
        if (knob == null) {
            throw new PeftException(cliName + ": size knob must be given");
        }
        traits = Set.copyOf(traits);
    }

    /** A method with the given traits. */
    public static PeftMethod of(String cliName, SizeKnob knob, String hfPeftType, Trait... traits) {
        return new PeftMethod(cliName, knob, hfPeftType, Set.of(traits));
    }

    /** Whether the method has a trait. */
    public boolean is(Trait trait) {
        return traits.contains(trait);
    }

    /**
     * Whether the method trains over a base held in a narrower dtype than float32 (bfloat16,
     * float16), frozen as stored; other methods, and full finetuning, need float32 weights.
     */
    public boolean trainsOnStoredBase() {
        return is(Trait.FROZEN_BASE_AS_STORED) && !wholeModel();
    }

    /** Whether the method trains the whole model (full finetuning) rather than adapters. */
    public boolean wholeModel() {
        return is(Trait.WHOLE_MODEL);
    }

    /** This method's configuration with every hyper-parameter at its default. */
    public PeftConfig defaultConfig() {
        return MethodOptions.DEFAULTS.configFor(this);
    }

    /**
     * Looks a registered method up by its command-line name (case-insensitive).
     *
     * @throws UnknownMethodException naming the known methods
     */
    public static PeftMethod parse(String name) {
        return NamedOption.parse(name, MethodRegistry.methods(), "PEFT method", UnknownMethodException::new);
    }

    /** The registered command-line names, comma separated. */
    public static String names() {
        return NamedOption.names(MethodRegistry.methods());
    }

    /** The upper-case name, e.g. {@code LORA}. */
    @Override
    public String toString() {
        return cliName.toUpperCase(Locale.ROOT);
    }
}
