package org.peftarena.arena.frontier;

/**
 * One model's position in the (Target, General) plane.
 *
 * @param id      identifies the point (a run or a group of runs)
 * @param target  Target score in percent
 * @param general General score in percent
 */
public record ScorePoint(String id, double target, double general) {
    /** Whether this point dominates another: at least as good on both axes and better on one. */
    public boolean dominates(ScorePoint o) {
        return target >= o.target && general >= o.general && (target > o.target || general > o.general);
    }
}
