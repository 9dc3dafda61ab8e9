package org.peftarena.arena.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.peftarena.arena.run.DiagnosticsArtifact.ModuleProfile;

/**
 * Collects the runs' retention, deviation and adaptation profiles per target and module location
 * and averages them over the seeds of each (method, budget) group. Long profiles are shown at
 * {@link #MAX_POINTS} evenly spaced singular indices (first and last included); the artifact files
 * keep every index.
 */
final class DiagnosticsProfiles {
    /** Most singular indices a chart shows per profile. */
    static final int MAX_POINTS = 256;

    /** Profiles of one target and module: the pretrained spectrum and per-group sums. */
    private static final class Slot {
        final float[] spectrum;
        final Map<String, double[][]> sums = new LinkedHashMap<>();
        final Map<String, RunRow> first = new LinkedHashMap<>();
        final Map<String, Integer> counts = new LinkedHashMap<>();

        Slot(float[] spectrum) {
            this.spectrum = spectrum;
        }
    }

    private final Map<String, Slot> slots = new LinkedHashMap<>();

    /** Adds one run's profiles; a module whose length differs from the first run's is left out. */
    void add(RunRow run, List<ModuleProfile> profiles) {
        String group = run.method() + "/" + run.budget() + "/" + run.target();
        for (ModuleProfile p : profiles) {
            Slot slot = slots.computeIfAbsent(run.target() + "\n" + p.module(), k -> new Slot(p.spectrum()));
            int k = slot.spectrum.length;
            if (p.retention().length != k || p.deviation().length != k || p.adaptation().length != k) {
                continue;
            }
            double[][] s = slot.sums.computeIfAbsent(group, g -> new double[3][k]);
            for (int i = 0; i < k; i++) {
                s[0][i] += p.retention()[i];
                s[1][i] += p.deviation()[i];
                s[2][i] += p.adaptation()[i];
            }
            slot.first.putIfAbsent(group, run);
            slot.counts.merge(group, 1, Integer::sum);
        }
    }

    /** The profiles, in order of first appearance. */
    List<DiagnosticsSection.Profile> build() {
        List<DiagnosticsSection.Profile> out = new ArrayList<>();
        slots.forEach((key, slot) -> {
            int[] idx = indices(slot.spectrum.length);
            List<DiagnosticsSection.ProfileSeries> series = new ArrayList<>();
            slot.sums.forEach((group, s) -> {
                RunRow r = slot.first.get(group);
                int n = slot.counts.get(group);
                series.add(new DiagnosticsSection.ProfileSeries(group, r.method(), r.budget(), n, pick(s[0], idx, n),
                        pick(s[1], idx, n), pick(s[2], idx, n)));
            });
            double[] spectrum = new double[slot.spectrum.length];
            for (int i = 0; i < spectrum.length; i++) {
                spectrum[i] = slot.spectrum[i];
            }
            String[] tm = key.split("\n", 2);
            out.add(new DiagnosticsSection.Profile(tm[0], tm[1], java.util.Arrays.stream(idx).boxed().toList(),
                    pick(spectrum, idx, 1), series));
        });
        return out;
    }

    /** Every index below {@code k} when there are few, else {@link #MAX_POINTS} evenly spaced ones. */
    static int[] indices(int k) {
        if (k <= MAX_POINTS) {
            return java.util.stream.IntStream.range(0, k).toArray();
        }
        TreeSet<Integer> s = new TreeSet<>();
        for (int i = 0; i < MAX_POINTS; i++) {
            s.add((int) Math.round(i * (k - 1.0) / (MAX_POINTS - 1)));
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Double> pick(double[] sums, int[] idx, int count) {
        List<Double> out = new ArrayList<>(idx.length);
        for (int i : idx) {
            out.add(sums[i] / count);
        }
        return out;
    }
}
