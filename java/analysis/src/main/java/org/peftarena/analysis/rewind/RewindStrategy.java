package org.peftarena.analysis.rewind;

import org.peftarena.analysis.interp.PathException;
import org.peftarena.peft.EnumOption;
import org.peftarena.peft.NamedOption;

/** How the rewinding factor of each layer is chosen. */
public enum RewindStrategy implements EnumOption {
    /** One factor for every layer. */
    UNIFORM,
    /** Layers rotated more than the early ones are pulled back to the early layers' strength. */
    SAFE_RHO,
    /** Every layer is pulled back to the weakest layer's strength. */
    MIN_RHO;

    /** What the strategy does. */
    public String description() {
        return switch (this) {
            case UNIFORM -> "one factor alpha for every layer (default 0.4)";
            case SAFE_RHO -> "rho* = mean rho of the leading layers (5/28 of the depth by default, the study's first five of 28),"
                    + " alpha_l = min(1, rho*/rho_l) (OFT)";
            case MIN_RHO -> "rho* = min over layers of rho, alpha_l = min(1, rho*/rho_l) (OFT)";
        };
    }

    /** Whether the factors depend on per-layer rotation strengths (OFT only). */
    public boolean layerWise() {
        return this != UNIFORM;
    }

    /**
     * Looks a strategy up by its command-line name.
     *
     * @throws PathException naming the known strategies
     */
    public static RewindStrategy parse(String name) {
        return NamedOption.parse(name, values(), "rewinding strategy", PathException::new);
    }
}
