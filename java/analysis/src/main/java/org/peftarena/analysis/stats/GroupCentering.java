package org.peftarena.analysis.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes each group's mean from a sample, the step before a within-group (partial) correlation:
 * what remains is the variation between members of one group, not the difference between groups.
 */
public final class GroupCentering {
    private GroupCentering() {}

    /**
     * @param groups any labels, one per observation
     * @return the label of each observation as a dense index 0..g-1 in order of first appearance
     */
    public static int[] indices(List<String> groups) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        int[] out = new int[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.computeIfAbsent(groups.get(i), k -> ids.size());
        }
        return out;
    }

    /**
     * @param v      values, double [n]
     * @param groups group index of each value, int [n]
     * @return {@code v[i]} minus the mean of its group, double [n]
     */
    public static double[] centre(double[] v, int[] groups) {
        if (v.length != groups.length) {
            throw new IllegalArgumentException("values and groups differ in length: " + v.length + " vs " + groups.length);
        }
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            double[] s = sums.computeIfAbsent(groups[i], k -> new double[2]);
            s[0] += v[i];
            s[1]++;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double[] s = sums.get(groups[i]);
            out[i] = v[i] - s[0] / s[1];
        }
        return out;
    }

    /**
     * @param groups group index of each observation
     * @return whether each observation shares its group with at least one other
     */
    public static boolean[] inSharedGroup(int[] groups) {
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (int g : groups) {
            counts.merge(g, 1, Integer::sum);
        }
        boolean[] out = new boolean[groups.length];
        for (int i = 0; i < groups.length; i++) {
            out[i] = counts.get(groups[i]) > 1;
        }
        return out;
    }
}
