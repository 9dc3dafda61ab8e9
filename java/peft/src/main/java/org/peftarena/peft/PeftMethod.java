package org.peftarena.peft;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The finetuning methods the arena compares, with the knob that sets their size. */
public enum PeftMethod {
    FULL("full", SizeKnob.NONE, null),
    LORA("lora", SizeKnob.RANK, "LORA"),
    DORA("dora", SizeKnob.RANK, "LORA"),
    PISSA("pissa", SizeKnob.RANK, "LORA"),
    MILORA("milora", SizeKnob.RANK, "LORA"),
    ADALORA("adalora", SizeKnob.RANK, "ADALORA"),
    KEEPLORA("keeplora", SizeKnob.RANK, "LORA"),
    MISS("miss", SizeKnob.RANK, "MISS"),
    VERA("vera", SizeKnob.RANK, "VERA"),
    IA3("ia3", SizeKnob.NONE, "IA3"),
    OFT("oft", SizeKnob.BLOCK_SIZE, "OFT"),
    BOFT("boft", SizeKnob.BLOCK_SIZE, "BOFT"),
    HRA("hra", SizeKnob.RANK, "HRA");

    /** What a method's size is measured in. */
    public enum SizeKnob {
        /** Integer rank (LoRA family, MiSS, VeRA, HRA). */
        RANK,
        /** Block size that must divide every targeted in-feature (OFT, BOFT). */
        BLOCK_SIZE,
        /** No size knob (full finetuning, IA3). */
        NONE
    }

    private final String cliName;
    private final SizeKnob knob;
    private final String hfPeftType;

    PeftMethod(String cliName, SizeKnob knob, String hfPeftType) {
        this.cliName = cliName;
        this.knob = knob;
        this.hfPeftType = hfPeftType;
    }

    /** The name used on the command line and in run specs, e.g. {@code oft}. */
    public String cliName() {
        return cliName;
    }

    /** What this method's size is measured in. */
    public SizeKnob knob() {
        return knob;
    }

    /** The {@code peft_type} written to {@code adapter_config.json}; null for full finetuning. */
    public String hfPeftType() {
        return hfPeftType;
    }

    /** This method's configuration with every hyper-parameter at its default. */
    public PeftConfig defaultConfig() {
        return MethodOptions.DEFAULTS.configFor(this);
    }

    /**
     * Looks a method up by its command-line name (case-insensitive).
     *
     * @throws UnknownMethodException naming the known methods
     */
    public static PeftMethod parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (PeftMethod m : values()) {
            if (m.cliName.equals(n)) {
                return m;
            }
        }
        throw new UnknownMethodException("unknown PEFT method '" + name + "'; known: " + names());
    }

    /** The known command-line names, comma separated. */
    public static String names() {
        return Arrays.stream(values()).map(PeftMethod::cliName).collect(Collectors.joining(", "));
    }
}
