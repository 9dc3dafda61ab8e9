package org.peftarena.analysis.interp;

import org.peftarena.peft.NamedOption;

/** How the operating point of a run is chosen among the points of its path. */
public enum OperatingPointRule implements NamedOption {
    /** The protocol's default. */
    BEST_GENERAL_WITHIN_TOLERANCE("best-general-within-tolerance",
            "the highest General among the points whose Target is at least the final Target minus the tolerance"),
    /** No Target may be given up. */
    BEST_GENERAL_NO_TARGET_LOSS("best-general-no-target-loss",
            "the highest General among the points whose Target is at least the final Target"),
    /** Plasticity and stability weighted equally. */
    BEST_SUM("best-sum", "the highest Target + General (ignores the tolerance)");

    /** The rule used unless another is named. */
    public static final OperatingPointRule DEFAULT = BEST_GENERAL_WITHIN_TOLERANCE;

    private final String cliName;
    private final String description;

    OperatingPointRule(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** The name used on the command line and in reports. */
    @Override
    public String cliName() {
        return cliName;
    }

    /** What the rule selects. */
    public String description() {
        return description;
    }

    /**
     * Looks a rule up by its command-line name.
     *
     * @throws PathException naming the known rules
     */
    public static OperatingPointRule parse(String name) {
        return NamedOption.parse(name, values(), "operating-point rule", PathException::new);
    }
}
