package org.peftarena.arena.config;

import java.util.List;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.OperatingPointRule;
import org.peftarena.analysis.interp.OvershootOptions;
import org.peftarena.analysis.interp.PathException;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.analysis.rewind.PostHocOptions;
import org.peftarena.analysis.rewind.RewindOptions;

/**
 * The post-hoc stage of every finetuning run (the {@code interpolation:} block of an arena config):
 * the run's interpolation path from the base model (alpha 0) to its final checkpoint (alpha 1),
 * scored on Target and General by the run's own evaluation, the operating point and overshoot flag,
 * and for OFT runs the rewinding table. Absent fields take the protocol's defaults.
 *
 * @param enabled          run the stage at all (default true)
 * @param alphas           the alpha grid, {@code start:stop:step} or a comma-separated list; must hold 0 and 1
 *                         (default {@code 0:1:0.1})
 * @param path             {@code auto} (Cayley for OFT, adapter scaling for additive adapters, dense for full
 *                         finetuning), {@code linear} or {@code dense} (default auto)
 * @param denseBaseline    also score OFT's dense-delta path {@code W0 + alpha (W1 - W0)} (default true)
 * @param rewinding        score the rewinding table of OFT runs: uniform 0.4, SafeRho, MinRho (default true)
 * @param rule             the operating-point rule (default {@code best-general-within-tolerance})
 * @param targetTolerance  Target points the operating point may lose against the final checkpoint (default 0.5)
 * @param generalThreshold General points an earlier operating point must gain to flag overshoot (default 0.5)
 * @param toleranceSe      the Target tolerance in standard errors of the final Target on the validation split;
 *                         the tolerance applied is the larger of this and {@code targetTolerance} points (default 1)
 * @param referenceFraction SafeRho's reference layers as a fraction of the model's depth (default 5/28: the
 *                         study's first five of 28 layers)
 */
public record InterpolationSettings(Boolean enabled, String alphas, String path, Boolean denseBaseline,
                                    Boolean rewinding, String rule, Double targetTolerance, Double generalThreshold,
                                    Double toleranceSe, Double referenceFraction) {
    /** The protocol's defaults. */
    public static final InterpolationSettings DEFAULT =
            new InterpolationSettings(null, null, null, null, null, null, null, null, null, null);

    /** Settings with the default tolerance in standard errors and SafeRho reference. */
    public InterpolationSettings(Boolean enabled, String alphas, String path, Boolean denseBaseline, Boolean rewinding,
                                 String rule, Double targetTolerance, Double generalThreshold) {
        this(enabled, alphas, path, denseBaseline, rewinding, rule, targetTolerance, generalThreshold, null, null);
    }

    /** Fills defaults and validates every field. */
    public InterpolationSettings {
        enabled = enabled == null || enabled;
        alphas = alphas == null ? AlphaGrid.DEFAULT_SPEC : alphas;
        path = path == null ? PathKind.AUTO.cliName() : path;
        denseBaseline = denseBaseline == null || denseBaseline;
        rewinding = rewinding == null || rewinding;
        rule = rule == null ? OperatingPointRule.DEFAULT.cliName() : rule;
        targetTolerance = targetTolerance == null ? OvershootOptions.DEFAULT_TARGET_TOLERANCE : targetTolerance;
        generalThreshold = generalThreshold == null ? OvershootOptions.DEFAULT_GENERAL_THRESHOLD : generalThreshold;
        toleranceSe = toleranceSe == null ? OvershootOptions.DEFAULT_TOLERANCE_SE : toleranceSe;
        referenceFraction = referenceFraction == null ? RewindOptions.DEFAULT_REFERENCE_FRACTION : referenceFraction;
        try {
            AlphaGrid grid = AlphaGrid.parse(alphas);
            if (grid.indexOf(0.0) < 0) {
                throw new PathException("the alpha grid must contain 0 (the base model)");
            }
            if (PathKind.parse(path) == PathKind.CAYLEY) {
                throw new PathException("path 'cayley' applies to OFT runs only; 'auto' uses it for them");
            }
            // the analysis options validate the rest (the grid holds 1, the numbers)
            new PostHocOptions(grid, new OvershootOptions(OperatingPointRule.parse(rule), targetTolerance,
                    generalThreshold, toleranceSe), List.of(), denseBaseline);
            RewindOptions.arenaTable(referenceFraction);
        } catch (PathException e) {
            throw new ArenaConfigException("interpolation: " + e.getMessage(), e);
        }
    }

    /** The alpha grid. */
    public AlphaGrid grid() {
        return AlphaGrid.parse(alphas);
    }

    /** The path kind asked for ({@link PathKind#AUTO} by default). */
    public PathKind pathKind() {
        return PathKind.parse(path);
    }

    /** The operating-point rule and thresholds. */
    public OvershootOptions overshootOptions() {
        return new OvershootOptions(OperatingPointRule.parse(rule), targetTolerance, generalThreshold, toleranceSe);
    }

    /** The analysis options: grid, rule, the arena's rewinding table (or none), dense baseline. */
    public PostHocOptions postHocOptions() {
        return new PostHocOptions(grid(), overshootOptions(), rewinding ? RewindOptions.arenaTable(referenceFraction) : List.of(),
                denseBaseline);
    }
}
