package org.peftarena.peft.oft;

import java.util.Locale;
import org.peftarena.peft.NamedOption;

/**
 * How an OFT block's rotation is built from its skew matrix {@code Q}. The two are transposes of
 * each other, so switching the variant on stored parameters reverses every rotation.
 */
public enum CayleyVariant implements NamedOption {
    /**
     * {@code R = I + 2Q + 2Q^2 + ... + 2Q^(n-2) + Q^(n-1)}, the truncated Neumann series of
     * {@code (I + Q)(I - Q)^-1}; HF PEFT {@code use_cayley_neumann=true} (its default).
     */
    NEUMANN,
    /** {@code R = (I - Q)(I + Q)^-1} computed by a solve; HF PEFT {@code use_cayley_neumann=false}. */
    EXACT;

    /** {@code neumann} or {@code exact}. */
    @Override
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
