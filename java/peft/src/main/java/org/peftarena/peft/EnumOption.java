package org.peftarena.peft;

import java.util.Locale;

/**
 * A {@link NamedOption} enum whose command-line name is its constant's name in lower case with dashes
 * ({@code SAFE_RHO} is {@code safe-rho}).
 */
public interface EnumOption extends NamedOption {
    /** The constant's name ({@link Enum#name()}). */
    String name();

    @Override
    default String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
