package org.peftarena.analysis.rewind;

import org.peftarena.analysis.interp.PathException;
import org.peftarena.peft.NamedOption;

/** How the rewinding factor of each layer is chosen. */
public enum RewindStrategy implements NamedOption {
    /** One factor for every layer. */
    UNIFORM("uniform", "one factor alpha for every layer (default 0.4)"),
    /** Layers rotated more than the early ones are pulled back to the early layers' strength. */
    SAFE_RHO("safe-rho", "rho* = mean rho of the first five layers, alpha_l = min(1, rho*/rho_l) (OFT)"),
    /** Every layer is pulled back to the weakest layer's strength. */
    MIN_RHO("min-rho", "rho* = min over layers of rho, alpha_l = min(1, rho*/rho_l) (OFT)");

    private final String cliName;
    private final String description;

    RewindStrategy(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** The name used on the command line and in reports. */
    @Override
    public String cliName() {
        return cliName;
    }

    /** What the strategy does. */
    public String description() {
        return description;
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
