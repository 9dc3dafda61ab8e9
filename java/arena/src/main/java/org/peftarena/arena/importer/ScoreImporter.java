package org.peftarena.arena.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpecJson;

/**
 * Adds external scores to a registry. A score whose run names a registered run is attached to it
 * (its alpha path); any other model becomes an external run ({@code ext-...}), or the external
 * base model of its target when its run is {@code base} or its method {@code base}. External runs
 * of a target get that target's external base as their reference.
 */
public final class ScoreImporter {
    private ScoreImporter() {
    }

    /** What an import did. */
    public record Summary(int scores, int attached, int created) {
    }

    /** Imports every score, one transaction per model. */
    public static Summary apply(RunRegistry registry, List<ExternalScore> scores) {
        Map<String, List<ExternalScore>> byKey = new LinkedHashMap<>();
        scores.forEach(s -> byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s));
        Map<String, String> baseOfTarget = new LinkedHashMap<>();
        byKey.forEach((key, list) -> {
            ExternalScore s = list.get(0);
            if (isBase(s) && registry.find(key).isEmpty()) {
                baseOfTarget.put(target(s), externalId(key));
            }
        });
        int attached = 0;
        int created = 0;
        for (Map.Entry<String, List<ExternalScore>> e : byKey.entrySet()) {
            String key = e.getKey();
            ExternalScore first = e.getValue().get(0);
            RunRecord record = registry.find(key).orElse(null);
            if (record != null) {
                attached++;
            } else {
                boolean base = isBase(first);
                String id = externalId(key);
                record = new RunRecord(id, null, base ? RunKind.BASE : RunKind.EXTERNAL, null,
                        base ? "base" : or(first.method(), "external"), base ? "base" : or(first.budget(), "external"),
                        0, first.params() == null ? 0 : first.params(), target(first), 0,
                        base ? null : baseOfTarget.get(target(first)), RunStatus.IMPORTED, 0, null, null, null, 0, 0,
                        0, 0, null, null, first.adapter(), first.adapter(), null);
                created++;
            }
            List<ScoreRow> rows = new ArrayList<>();
            for (ExternalScore s : e.getValue()) {
                rows.add(new ScoreRow(record.id(), ScoreRow.IMPORTED, 0, s.alpha(), ScoreRow.TARGET, ScoreRow.SCORE, s.target()));
                rows.add(new ScoreRow(record.id(), ScoreRow.IMPORTED, 0, s.alpha(), ScoreRow.GENERAL, ScoreRow.SCORE, s.general()));
            }
            registry.importRun(record, rows);
        }
        return new Summary(scores.size(), attached, created);
    }

    private static boolean isBase(ExternalScore s) {
        return "base".equalsIgnoreCase(s.key()) || "base".equalsIgnoreCase(s.method());
    }

    private static String target(ExternalScore s) {
        return or(s.targetTask(), "external");
    }

    private static String or(String v, String fallback) {
        return v == null || v.isBlank() ? fallback : v;
    }

    /** A registry id for an external model: a readable slug plus a hash prefix of the full key. */
    static String externalId(String key) {
        String slug = key.replaceAll(".*[/\\\\](?=[^/\\\\]+$)", "").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]+", "-");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40);
        }
        return "ext-" + slug + "-" + RunSpecJson.sha256(key).substring(0, 8);
    }
}
