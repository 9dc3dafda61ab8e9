package org.peftarena.analysis.interp;

import org.peftarena.peft.EnumOption;
import org.peftarena.peft.NamedOption;

/** How the operating point of a run is chosen among the points of its path. */
public enum OperatingPointRule implements EnumOption {
    /** The protocol's default. */
    BEST_GENERAL_WITHIN_TOLERANCE,
    /** No Target may be given up. */
    BEST_GENERAL_NO_TARGET_LOSS,
    /** Plasticity and stability weighted equally. */
    BEST_SUM;

    /** The rule used unless another is named. */
    public static final OperatingPointRule DEFAULT = BEST_GENERAL_WITHIN_TOLERANCE;

    /** What the rule selects. */
    public String description() {
        return switch (this) {
            case BEST_GENERAL_WITHIN_TOLERANCE ->
                    "the highest General among the points whose Target is at least the final Target minus the tolerance";
            case BEST_GENERAL_NO_TARGET_LOSS -> "the highest General among the points whose Target is at least the final Target";
            case BEST_SUM -> "the highest Target + General (ignores the tolerance)";
        };
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
