package org.peftarena.peft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Picks the size (rank or block size) whose trainable parameter count is closest to a budget;
 * ties go to the smaller count.
 */
public final class BudgetMatcher {
    private static final int MAX_RANK = 1 << 20;

    private BudgetMatcher() {}

    /**
     * Finds the configuration closest to {@code budget} by changing only the size knob of {@code base}.
     *
     * @throws PeftException if the method has no size knob, the budget is not positive, or no size fits the model
     */
    public static BudgetReport match(ModelShape shape, PeftConfig base, TargetModules targets, long budget) {
        if (budget <= 0) {
            throw new PeftException("budget must be positive, got " + budget);
        }
        return switch (base.method().knob()) {
            case NONE -> throw new PeftException(base.method().cliName() + " has no rank or block size to match a budget with");
            case BLOCK_SIZE -> best(shape, base, targets, budget, blockSizeCandidates(shape, base, targets));
            case RANK -> matchRank(shape, base, targets, budget);
        };
    }

    /** Block sizes that divide the in-features of every targeted layer (no adjustment needed). */
    static List<Integer> blockSizeCandidates(ModelShape shape, PeftConfig base, TargetModules targets) {
        long g = 0;
        for (int layer = 0; layer < shape.numLayers(); layer++) {
            for (LinearShape m : shape.linears()) {
                if (targets.matches(ModelShape.modulePath(layer, m))) {
                    g = gcd(g, m.in());
                }
            }
        }
        TreeSet<Integer> sizes = new TreeSet<>();
        for (long d = 2; d <= g && d < Integer.MAX_VALUE; d++) {
            if (g % d == 0) {
                sizes.add((int) d);
            }
        }
        if (sizes.isEmpty()) {
            throw new PeftException("no block size >= 2 divides every targeted in-feature (gcd " + g + ")");
        }
        return new ArrayList<>(sizes);
    }

    private static BudgetReport matchRank(ModelShape shape, PeftConfig base, TargetModules targets, long budget) {
        // counts grow monotonically with rank: find the first rank at or above the budget
        int lo = 1;
        int hi = 1;
        while (hi < MAX_RANK && count(shape, base, targets, hi) < budget) {
            lo = hi;
            hi = Math.min(MAX_RANK, hi * 2);
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (count(shape, base, targets, mid) < budget) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        List<Integer> candidates = new ArrayList<>(List.of(lo));
        if (lo > 1) {
            candidates.add(0, lo - 1);
        }
        return best(shape, base, targets, budget, candidates);
    }

    private static long count(ModelShape shape, PeftConfig base, TargetModules targets, int size) {
        return ParameterBudget.count(shape, base.withSize(size), targets).total();
    }

    private static BudgetReport best(ModelShape shape, PeftConfig base, TargetModules targets, long budget, List<Integer> sizes) {
        BudgetReport best = null;
        for (int s : sizes) {
            BudgetReport r;
            try {
                r = ParameterBudget.count(shape, base.withSize(s), targets);
            } catch (PeftException e) {
                continue; // a size this method cannot use on this model (e.g. BOFT divisibility)
            }
            if (best == null || Math.abs(r.total() - budget) < Math.abs(best.total() - budget)) {
                best = r;
            }
        }
        if (best == null) {
            throw new PeftException("no " + base.method().cliName() + " size fits this model");
        }
        return best;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
