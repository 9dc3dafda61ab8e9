package org.peftarena.arena.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.peftarena.analysis.run.ForgetCorrelations;
import org.peftarena.analysis.run.ModuleDiagnostics;
import org.peftarena.arena.registry.ArtifactRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.run.DiagnosticsArtifact;
import org.peftarena.arena.run.RunDiagnosticsStage;

/**
 * Builds a report's {@link DiagnosticsSection} from the diagnostics artifacts the registry records:
 * reads each run's artifact files, averages metrics over module locations and seeds, and computes
 * the correlations with Forget and Gain across runs ({@link ForgetCorrelations}).
 */
public final class DiagnosticsSectionBuilder {
    /** Bookkeeping values that are not diagnostics (sizes, token counts, parameters). */
    static final Set<String> NOT_METRICS = Set.of("out", "in", "intruder_top_k", "intruder_threshold", "tokens_G",
            "tokens_T", "rows", "cols", "gram_rows");

    private DiagnosticsSectionBuilder() {
    }

    /**
     * @param registry the run registry
     * @param runs     the report's runs (Forget and Gain)
     * @return the section, or null when no run has a diagnostics artifact
     */
    public static DiagnosticsSection build(RunRegistry registry, List<RunRow> runs) {
        List<ArtifactRecord> artifacts = registry.artifacts(RunDiagnosticsStage.KIND, null);
        if (artifacts.isEmpty()) {
            return null;
        }
        Map<String, RunRow> rows = new LinkedHashMap<>();
        runs.forEach(r -> rows.put(r.runId(), r));
        List<DiagnosticsSection.RunEntry> entries = new ArrayList<>();
        List<DiagnosticsSection.Failure> failures = new ArrayList<>();
        Set<String> modules = new LinkedHashSet<>();
        DiagnosticsProfiles profiles = new DiagnosticsProfiles();
        double total = 0;
        for (ArtifactRecord a : artifacts) {
            RunRow r = rows.get(a.runId());
            if (r == null) {
                continue;
            }
            if (!a.finished()) {
                failures.add(new DiagnosticsSection.Failure(r.runId(), r.method(), a.error()));
                continue;
            }
            Path dir = Path.of(r.artifactDir());
            try {
                DiagnosticsArtifact art = DiagnosticsArtifact.read(dir.resolve(a.path()));
                art.diagnostics().modules().forEach(m -> modules.add(m.module()));
                entries.add(new DiagnosticsSection.RunEntry(r.runId(), r.method(), r.budget(), r.target(), r.seed(),
                        ReportBuilder.key(r), a.seconds(), r.forget(), r.gain(), metrics(art.diagnostics().modules())));
                if (art.profilesFile() != null) {
                    profiles.add(r, DiagnosticsArtifact.readProfiles(dir.resolve(art.profilesFile())));
                }
                total += a.seconds();
            } catch (IOException | RuntimeException e) {
                failures.add(new DiagnosticsSection.Failure(r.runId(), r.method(), "cannot read the diagnostics: "
                        + e.getMessage()));
            }
        }
        List<String> order = List.copyOf(modules);
        List<DiagnosticsSection.Profile> charts = profiles.build().stream()
                .sorted(Comparator.comparing(DiagnosticsSection.Profile::target)
                        .thenComparingInt(p -> order.indexOf(p.module()))).toList();
        return new DiagnosticsSection(order, entries, groups(entries), charts, correlations(entries),
                ForgetInference.compute(entries), failures, total,
                entries.isEmpty() ? 0 : total / entries.size());
    }

    /** Correlations of every run metric with Forget (and target-side ones with Gain). */
    static ForgetCorrelations.Result correlations(List<DiagnosticsSection.RunEntry> entries) {
        List<ForgetCorrelations.RunPoint> points = new ArrayList<>();
        for (DiagnosticsSection.RunEntry e : entries) {
            points.add(new ForgetCorrelations.RunPoint(e.runId(), e.metrics(),
                    e.forget() == null ? Double.NaN : e.forget(), e.gain() == null ? Double.NaN : e.gain()));
        }
        return ForgetCorrelations.compute(points);
    }

    /** Finite metrics per module, and their means over the modules that have them. */
    static Map<String, Double> metrics(List<ModuleDiagnostics> modules) {
        Map<String, Double> out = new LinkedHashMap<>();
        Means means = new Means();
        for (ModuleDiagnostics m : modules) {
            m.numericMetrics().forEach((key, v) -> {
                if (Double.isFinite(v) && !NOT_METRICS.contains(key.substring(key.lastIndexOf('/') + 1))) {
                    out.put(key, v);
                    means.add(DiagnosticsSection.MEAN + "/" + key.substring(m.module().length() + 1), v);
                }
            });
        }
        out.putAll(means.values());
        return out;
    }

    /** Running means by key, in key order. */
    private static final class Means {
        private final Map<String, double[]> sums = new TreeMap<>();

        void add(String key, double v) {
            double[] s = sums.computeIfAbsent(key, k -> new double[2]);
            s[0] += v;
            s[1]++;
        }

        Map<String, Double> values() {
            Map<String, Double> out = new LinkedHashMap<>();
            sums.forEach((k, s) -> out.put(k, s[0] / s[1]));
            return out;
        }
    }

    private static List<DiagnosticsSection.GroupEntry> groups(List<DiagnosticsSection.RunEntry> entries) {
        Map<String, List<DiagnosticsSection.RunEntry>> byKey = new LinkedHashMap<>();
        for (DiagnosticsSection.RunEntry e : entries) {
            byKey.computeIfAbsent(e.method() + "/" + e.budget() + "/" + e.target(), k -> new ArrayList<>()).add(e);
        }
        List<DiagnosticsSection.GroupEntry> out = new ArrayList<>();
        byKey.forEach((key, list) -> {
            Means means = new Means();
            for (DiagnosticsSection.RunEntry e : list) {
                e.metrics().forEach((k, v) -> {
                    if (k.startsWith(DiagnosticsSection.MEAN + "/")) {
                        means.add(k, v);
                    }
                });
            }
            DiagnosticsSection.RunEntry first = list.get(0);
            out.add(new DiagnosticsSection.GroupEntry(key, first.method(), first.budget(), first.target(), list.size(),
                    means.values()));
        });
        return out;
    }
}
