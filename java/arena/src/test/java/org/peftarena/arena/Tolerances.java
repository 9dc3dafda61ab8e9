package org.peftarena.arena;

import java.util.EnumMap;
import java.util.Map;

/**
 * The table of tolerances for arena tests: one (rtol, atol) per compared quantity, with the reason
 * for each. A value passes when {@code |a - b| <= atol + rtol * |b|} (b = reference). Scores are in
 * percent; a text task scores ~512 positions here (one position = 100/512 = 0.2 points) and a
 * problem task 8 problems (one problem = 12.5 points).
 */
final class Tolerances {
    private Tolerances() {}

    /** What is compared. */
    enum Check {
        /**
         * Top-2 logit gap (in logits) below which an argmax counts as a near tie: two fp32 forwards of
         * the same function (another batch shape, padding, a merged or unmerged adapter) may pick
         * either token there, so a recomputed score may differ by one position per near tie.
         */
        NEAR_TIE_LOGIT_GAP,
        /** A path end point that reuses the registry's stored base or final score instead of scoring again. */
        REUSED_SCORE,
        /** General, Forget, Gain, dTarget and dGeneral derived from recorded scores, against the same arithmetic done here. */
        DERIVED_SCORE,
        /** A task score of a model the interpolation path rebuilds (alpha 0 and 1) against the stored score. */
        PATH_END_TASK_SCORE,
        /** A score the arena recorded against the same evaluation called again on the same saved inputs. */
        REPEATED_SCORING
    }

    /** One tolerance with its justification. */
    record Tol(double rtol, double atol, String reason) {
        /** Whether {@code actual} is within this tolerance of {@code expected}. */
        boolean accepts(double expected, double actual) {
            return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
        }
    }

    private static final Map<Check, Tol> TABLE = new EnumMap<>(Check.class);

    static {
        TABLE.put(Check.NEAR_TIE_LOGIT_GAP, new Tol(0, 1e-4,
                "fp32 logits of a width-32 model (|logit| < 10) computed in another order differ by "
                        + "~ d * eps * |logit| ~ 32 * 6e-8 * 10 = 2e-5; 1e-4 leaves a factor 5"));
        TABLE.put(Check.REUSED_SCORE, new Tol(0, 1e-12,
                "the same stored doubles; General may be re-averaged from the same task scores (~1e-14)"));
        TABLE.put(Check.DERIVED_SCORE, new Tol(0, 1e-9,
                "means and differences of doubles <= 100 round at ~1e-14; the registry stores doubles"));
        TABLE.put(Check.PATH_END_TASK_SCORE, new Tol(0, 0.3,
                "W0 + 1 * dW (and cayley(sqrt(1) Q)) rounds differently from the merge in fp32: at most one near-tie "
                        + "argmax flip in a ~512-position text task (0.2 points); 0.3 < 12.5 keeps problem tasks exact"));
        TABLE.put(Check.REPEATED_SCORING, new Tol(0, 0,
                "the same code on the same fp32 weights, tokens and batch shapes in one process: LibTorch's CPU "
                        + "kernels and ours are deterministic, so the logits and every argmax repeat bit for bit"));
    }

    /** The tolerance of a check (fails the test when the table has no entry). */
    static Tol of(Check check) {
        final Tol t = TABLE.get(check);
        if (t == null) {
            throw new IllegalStateException("no tolerance for " + check);
        }
        return t;
    }
}
