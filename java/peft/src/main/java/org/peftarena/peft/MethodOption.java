package org.peftarena.peft;

import java.util.function.Function;

/**
 * One user setting of a method (a command-line option such as {@code --rank}); a method's provider
 * lists the settings it accepts, and the command line offers the union over the registered methods.
 *
 * @param name the option's long name without dashes, e.g. {@code block-size}
 * @param type the value type ({@code Integer}, {@code Double} or a type {@code parser} produces)
 * @param paramLabel the value's label in the help
 * @param description the help text
 * @param appliesTo how the error for a method that does not accept it begins, e.g. {@code --alpha applies to};
 *     settings with the same text form one group (the error lists the methods accepting any of them)
 * @param parser converts the command-line text (throwing {@link PeftException} with the user's message);
 *     null for {@code Integer} and {@code Double}
 */
public record MethodOption<T>(String name, Class<T> type, String paramLabel, String description, String appliesTo,
                              Function<String, T> parser) {
    /** The rank of the LoRA family, MiSS, VeRA and HRA (AdaLoRA's target rank). */
    public static final MethodOption<Integer> RANK = MethodOption.of("rank", Integer.class, "R",
            "Rank (LoRA family, MiSS, VeRA, HRA; AdaLoRA's target rank).");
    /** The block size of OFT and BOFT. */
    public static final MethodOption<Integer> BLOCK_SIZE = MethodOption.of("block-size", Integer.class, "B",
            "Block size (OFT default 32, BOFT default 4).");

    public MethodOption {
        if (name == null || name.isBlank() || type == null) {
            throw new PeftException("a method option needs a name and a type");
        }
        appliesTo = appliesTo == null ? "--" + name + " applies to" : appliesTo;
    }

    /** A numeric option whose error names the flag alone. */
    public static <T> MethodOption<T> of(String name, Class<T> type, String paramLabel, String description) {
        return new MethodOption<>(name, type, paramLabel, description, null, null);
    }

    /** The same option reported as part of a group ({@code appliesTo}, e.g. {@code Cayley settings apply to}). */
    public MethodOption<T> inGroup(String groupAppliesTo) {
        return new MethodOption<>(name, type, paramLabel, description, groupAppliesTo, parser);
    }

    /** The same option with a parser for its command-line text. */
    public MethodOption<T> parsedBy(Function<String, T> textParser) {
        return new MethodOption<>(name, type, paramLabel, description, appliesTo, textParser);
    }

    /** The command-line flag, e.g. {@code --rank}. */
    public String flag() {
        return "--" + name;
    }

    /** Whether this is a size knob ({@link #RANK} or {@link #BLOCK_SIZE}). */
    public boolean isSizeKnob() {
        return name.equals(RANK.name) || name.equals(BLOCK_SIZE.name);
    }
}
