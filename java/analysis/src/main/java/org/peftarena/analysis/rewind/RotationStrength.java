package org.peftarena.analysis.rewind;

import org.peftarena.analysis.interp.PathException;
import org.peftarena.peft.EnumOption;
import org.peftarena.peft.NamedOption;

/** How strongly one OFT module rotates; a layer's strength {@code rho_l} is the mean over its OFT modules. */
public enum RotationStrength implements EnumOption {
    /** The default: normF of the module's skew generator, normalised by the block count. */
    FRO_Q,
    /** The distance of the rotation from the identity. */
    FRO_R_MINUS_I;

    /** What is measured. */
    public String description() {
        return switch (this) {
            case FRO_Q -> "normF(Q) / sqrt(blocks), Q the module's block-diagonal skew generator (Q = Mq - Mq^T)";
            case FRO_R_MINUS_I -> "normF(R - I) of the module's block-diagonal rotation, with the adapter's Cayley variant";
        };
    }

    /**
     * Looks a measure up by its command-line name.
     *
     * @throws PathException naming the known measures
     */
    public static RotationStrength parse(String name) {
        return NamedOption.parse(name, values(), "rotation strength", PathException::new);
    }
}
