package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.registry.RegistryException;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;

/** A grid run in pieces (several work directories) reports like one work directory holding every run. */
class CombinedWorkdirsTest {
    @TempDir
    Path tmp;

    @Test
    void combinedRegistriesGiveTheReportOfOneRegistryHoldingAllRuns() throws Exception {
        RunSpec base = SyntheticRuns.base("t");
        List<RunSpec> first = List.of(SyntheticRuns.finetune("lora", "r4", "t", 1, base, 1e-3),
                SyntheticRuns.finetune("oft", "r4", "t", 1, base, 1e-3));
        List<RunSpec> second = List.of(SyntheticRuns.finetune("lora", "r4", "t", 1, base, 4e-3),
                SyntheticRuns.finetune("lora", "r4", "t", 2, base, 4e-3),
                SyntheticRuns.finetune("full", "fixed", "t", 1, base, 1e-4));
        int[] t = {3, 4, 5, 6};
        int[] g = {7, 6, 5, 4};
        try (RunRegistry all = RunRegistry.open(tmp.resolve("all/registry.db"));
             RunRegistry a = RunRegistry.open(tmp.resolve("a/registry.db"));
             RunRegistry b = RunRegistry.open(tmp.resolve("b/registry.db"))) {
            for (RunRegistry r : List.of(a, b, all)) {
                SyntheticRuns.store(r, base, SyntheticRuns.countedResult(base, new int[] {1, 2, 3, 4}, g));
            }
            int k = 0;
            for (RunSpec s : first) {
                store(all, a, s, t, g, k++);
            }
            for (RunSpec s : second) {
                store(all, b, s, t, g, k++);
            }
        }
        String one;
        try (RunRegistry all = RunRegistry.openReadOnly(tmp.resolve("all/registry.db"))) {
            one = comparable(ReportBuilder.build(all, "grid"));
        }
        String combined;
        try (RunRegistry c = RunRegistry.combine(List.of(tmp.resolve("a/registry.db"), tmp.resolve("b/registry.db")))) {
            combined = comparable(ReportBuilder.build(c, "grid"));
        }
        assertEquals(one, combined);
        assertEquals(5, RunSpecJson.MAPPER.readTree(combined).get("runs").size(), "every finetuning run of both");
        assertThrows(RegistryException.class, () -> RunRegistry.combine(List.of(tmp.resolve("a/registry.db"),
                tmp.resolve("missing/registry.db"))));
    }

    private static void store(RunRegistry all, RunRegistry piece, RunSpec s, int[] t, int[] g, int shift) {
        int[] ts = t.clone();
        ts[0] += shift % 4;
        for (RunRegistry r : List.of(piece, all)) {
            SyntheticRuns.store(r, s, SyntheticRuns.countedResult(s, ts, g));
        }
    }

    /** The report's JSON without its generation time. */
    private static String comparable(ArenaReport report) throws Exception {
        ObjectNode n = (ObjectNode) RunSpecJson.MAPPER.readTree(RunSpecJson.canonical(report));
        n.remove("generated_at");
        return n.toString();
    }
}
