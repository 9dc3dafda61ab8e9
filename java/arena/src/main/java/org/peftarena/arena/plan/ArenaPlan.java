package org.peftarena.arena.plan;

import java.util.List;
import org.peftarena.arena.spec.RunSpec;

/**
 * The runs of an arena in execution order: the base model's runs first (one per target, the
 * reference of Forget and Gain), then every (target, budget, method, learning rate, seed).
 *
 * @param runs every run spec
 */
public record ArenaPlan(List<RunSpec> runs) {
    /** Copies the list. */
    public ArenaPlan {
        runs = List.copyOf(runs);
    }

    /** Number of runs. */
    public int size() {
        return runs.size();
    }
}
