package org.peftarena.analysis.rewind;

import java.util.List;
import org.peftarena.analysis.interp.PathException;

/**
 * One rewinding recipe.
 *
 * @param strategy how factors are chosen
 * @param alpha the uniform factor (used by {@link RewindStrategy#UNIFORM}), finite and >= 0
 * @param strength how rho is measured (layer-wise strategies)
 * @param sqrt apply {@code sqrt(alpha_l)} to the generators instead of {@code alpha_l}
 * @param referenceFraction the leading fraction of the model's depth SafeRho averages, in (0, 1]
 *                          ({@link SafeRhoReference} turns it into a layer count)
 */
public record RewindOptions(RewindStrategy strategy, double alpha, RotationStrength strength, boolean sqrt,
                            double referenceFraction) {
    /** The protocol's uniform reference point for OFT. */
    public static final double DEFAULT_UNIFORM_ALPHA = 0.4;
    /** SafeRho's reference: the first five of 28 layers, as in the study. */
    public static final double DEFAULT_REFERENCE_FRACTION = 5.0 / 28.0;
    /** The rewinding table of an arena report: uniform 0.4, SafeRho, MinRho. */
    public static final List<RewindOptions> ARENA_TABLE = List.of(
            of(RewindStrategy.UNIFORM), of(RewindStrategy.SAFE_RHO), of(RewindStrategy.MIN_RHO));

    /**
     * The arena's rewinding table with another SafeRho reference fraction.
     *
     * @throws PathException when the fraction is outside (0, 1]
     */
    public static List<RewindOptions> arenaTable(double referenceFraction) {
        return List.of(of(RewindStrategy.UNIFORM), new RewindOptions(RewindStrategy.SAFE_RHO, DEFAULT_UNIFORM_ALPHA,
                RotationStrength.FRO_Q, false, referenceFraction), of(RewindStrategy.MIN_RHO));
    }

    /** Validates the numbers. */
    public RewindOptions {
        if (strategy == null || strength == null) {
            throw new PathException("rewinding needs a strategy and a rotation strength");
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new PathException("rewinding alpha must be a finite number >= 0, got " + alpha);
        }
        if (!(referenceFraction > 0 && referenceFraction <= 1)) {
            throw new PathException("SafeRho's reference fraction of the depth must be in (0, 1], got "
                    + referenceFraction);
        }
    }

    /** A strategy with every other setting at its default. */
    public static RewindOptions of(RewindStrategy strategy) {
        return new RewindOptions(strategy, DEFAULT_UNIFORM_ALPHA, RotationStrength.FRO_Q, false, DEFAULT_REFERENCE_FRACTION);
    }

    /** A short name for tables, e.g. {@code uniform 0.4}, {@code safe-rho}, {@code min-rho sqrt fro-r-minus-i}. */
    public String label() {
        StringBuilder s = new StringBuilder(strategy.cliName());
        if (strategy == RewindStrategy.UNIFORM) {
            s.append(' ').append(org.peftarena.analysis.interp.AlphaGrid.label(alpha));
        } else if (strength != RotationStrength.FRO_Q) {
            s.append(' ').append(strength.cliName());
        }
        if (strategy == RewindStrategy.SAFE_RHO && referenceFraction != DEFAULT_REFERENCE_FRACTION) {
            s.append(String.format(java.util.Locale.ROOT, " ref %.3f", referenceFraction));
        }
        if (sqrt) {
            s.append(" sqrt");
        }
        return s.toString();
    }
}
