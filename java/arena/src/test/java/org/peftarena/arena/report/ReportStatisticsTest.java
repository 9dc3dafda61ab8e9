package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.analysis.stats.ClusterBootstrap;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;

/** Learning rates in the grouping, budget deviations, standard errors from stored per-document counts. */
class ReportStatisticsTest {
    @TempDir
    Path tmp;

    @Test
    void runsAtDifferentLearningRatesFormDifferentGroups() {
        RunSpec base = SyntheticRuns.base("t");
        ArenaReport report;
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            for (long seed : new long[] {1, 2}) {
                for (double lr : new double[] {1e-3, 5e-3}) {
                    RunSpec s = SyntheticRuns.finetune("lora", "r4", "t", seed, base, lr);
                    SyntheticRuns.store(r, s, SyntheticRuns.result(s, lr * 10_000, 50 - lr * 1000, 50));
                }
            }
            report = ReportBuilder.build(r, "lr");
        }
        assertEquals(2, report.groups().size(), "one group per learning rate, seeds averaged");
        MethodGroup fast = report.groups().stream().filter(g -> g.learningRate() == 5e-3).findFirst().orElseThrow();
        assertEquals("lora/r4/t/lr0.005/10steps", fast.key());
        assertEquals(2, fast.runs());
        assertEquals(50, fast.targetMean(), 1e-9);
        assertEquals(10, fast.steps());
        RunRow row = report.runs().stream().filter(x -> x.learningRate() == 1e-3).findFirst().orElseThrow();
        assertTrue(row.runId().contains("-lr0.001-s"), row.runId());
        String md = MarkdownReportWriter.runTable(report.runs());
        assertTrue(md.contains("| lr | steps |") && md.contains("| 0.005 | 10 |"), md);
        String csv = CsvReportWriter.render(report);
        assertTrue(csv.split("\r\n", 0)[0].contains(",learning_rate,steps,budget_params,budget_deviation_percent,"));
    }

    @Test
    void budgetDeviationIsShownAndWarnedAboveTenPercent() {
        RunRow near = row(1050, 1000L);
        RunRow far = row(750, 1000L);
        assertEquals(5, near.budgetDeviationPercent(), 1e-9);
        assertEquals(-25, far.budgetDeviationPercent(), 1e-9);
        assertTrue(far.offBudget() && !near.offBudget());
        assertNull(row(1000, null).budgetDeviationPercent(), "no budget (full finetuning): no deviation");
        String md = MarkdownReportWriter.runTable(List.of(near, far));
        assertTrue(md.contains("+5.0%") && md.contains("-25.0% (!)"), md);
        assertTrue(md.contains("warning: far has 750 trainable parameters, -25.0% off its budget r2"), md);
        assertTrue(!md.contains("warning: near"), md);
    }

    @Test
    void standardErrorsComeFromTheDocumentsAndForgetIsPairedWithTheBase() {
        RunSpec base = SyntheticRuns.base("t");
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "t", 1, base);
        int[] baseTarget = {1, 2, 3, 4, 5, 6};
        int[] baseGeneral = {9, 1, 8, 2, 7, 3};
        int[] runTarget = {3, 4, 5, 6, 7, 8};
        int[] runGeneral = {8, 0, 7, 1, 6, 2}; // each document one position worse: Forget = 10 points, exactly
        ArenaReport report;
        try (RunRegistry r = RunRegistry.open(tmp.resolve("e.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.countedResult(base, baseTarget, baseGeneral));
            SyntheticRuns.store(r, lora, SyntheticRuns.countedResult(lora, runTarget, runGeneral));
            assertEquals(6, r.itemCounts(lora.id(), "final").get("t").size());
            report = ReportBuilder.build(r, "se");
        }
        RunRow row = report.runs().get(0);
        ScoreErrors e = row.errors();
        assertNotNull(e);
        assertEquals(10, row.forget(), 1e-9);
        assertEquals(0, e.forgetSe(), 1e-9, "the same documents, each one position worse: no paired variance");
        assertEquals(0, e.gainSe(), 1e-9, "each target document two positions better");
        ClusterBootstrap b = ClusterBootstrap.defaults();
        assertEquals(b.standardError(ErrorEstimates.clusters(org.peftarena.arena.eval.ItemCounts.of(runTarget,
                new int[] {10, 10, 10, 10, 10, 10}))), e.targetSe(), 1e-12);
        assertTrue(e.generalSe() > 5, "document-level variance of General: " + e.generalSe());
        assertEquals(Map.of("t", 6, "g1", 6, "g2", 6), e.documents());
        assertNotEquals(null, report.bases().get(0).errors());
        assertTrue(MarkdownReportWriter.render(report).contains("± "), "errors are printed");
    }

    private static RunRow row(long params, Long budget) {
        String id = params == 750 ? "far" : "near";
        return new RunRow(id, "finetune", "finished", "dora", "r2", 2, params, "t", 1, 30.0, 40.0, 1.0, 2.0, false,
                false, 1, 1, 2, 100, 100.0, Map.of(), 1, "/x", 1e-3, 10, budget, null);
    }
}
