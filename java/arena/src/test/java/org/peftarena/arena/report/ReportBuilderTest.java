package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.frontier.ScorePoint;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;

class ReportBuilderTest {
    @TempDir
    Path tmp;

    private ArenaReport report;

    @BeforeEach
    void build() {
        RunSpec base = SyntheticRuns.base("t");
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            store(r, SyntheticRuns.finetune("lora", "r4", "t", 1, base), 30, 44);
            store(r, SyntheticRuns.finetune("lora", "r4", "t", 2, base), 32, 46);
            store(r, SyntheticRuns.finetune("oft", "r4", "t", 1, base), 25, 52);
            store(r, SyntheticRuns.finetune("dora", "r4", "t", 1, base), 20, 40);
            store(r, SyntheticRuns.finetune("full", "fixed", "t", 1, base), 40, 30);
            r.register(SyntheticRuns.finetune("pissa", "r4", "t", 1, base), tmp);
            report = ReportBuilder.build(r, "test");
        }
    }

    private static void store(RunRegistry r, RunSpec s, double target, double general) {
        SyntheticRuns.store(r, s, SyntheticRuns.result(s, target, general, general));
    }

    @Test
    void forgetAndGainAreAgainstTheBaseRun() {
        assertEquals(1, report.bases().size());
        assertEquals(10, report.bases().get(0).targetScore(), 1e-12);
        assertEquals(50, report.bases().get(0).generalScore(), 1e-12);
        RunRow full = row("full");
        assertEquals(30, full.gain(), 1e-12);
        assertEquals(20, full.forget(), 1e-12);
        assertEquals(-2, row("oft").forget(), 1e-12, "General above the base: negative forgetting");
    }

    @Test
    void seedsAreAveragedIntoGroups() {
        MethodGroup lora = report.groups().stream().filter(g -> g.method().equals("lora")).findFirst().orElseThrow();
        assertEquals(2, lora.runs());
        assertEquals(31, lora.targetMean(), 1e-12);
        assertEquals(45, lora.generalMean(), 1e-12);
        assertEquals(Math.sqrt(2), lora.targetSd(), 1e-12);
        assertEquals(21, lora.gain(), 1e-12);
    }

    @Test
    void frontiersPerTargetAndBudgetBand() {
        Map<String, List<String>> f = report.frontiers().stream().collect(Collectors.toMap(FrontierSet::band,
                s -> s.points().stream().map(ScorePoint::id).toList()));
        assertEquals(List.of("oft/r4/t/lr0.001/10steps", "lora/r4/t/lr0.001/10steps", "full/fixed/t/lr0.001/10steps"),
                f.get(FrontierSet.ALL_BANDS));
        assertEquals(List.of("oft/r4/t/lr0.001/10steps", "lora/r4/t/lr0.001/10steps"), f.get("r4"));
        assertEquals(List.of("full/fixed/t/lr0.001/10steps"), f.get("fixed"));
        assertTrue(row("oft").onFrontier() && row("oft").onBandFrontier());
        assertFalse(row("dora").onFrontier() || row("dora").onBandFrontier());
    }

    @Test
    void pendingRunsAreListedWithoutScoresAndTrajectoriesStartAtTheBase() {
        RunRow pissa = row("pissa");
        assertEquals("pending", pissa.status());
        assertNull(pissa.targetScore());
        assertFalse(pissa.onFrontier());
        Trajectory t = report.trajectories().stream().filter(x -> x.method().equals("full")).findFirst().orElseThrow();
        assertEquals(List.of(0, 5, 10), t.steps());
        assertEquals(List.of(10.0, 20.0, 40.0), t.targetScores());
        assertEquals(5, report.timing().finishedRuns() - 1, "five finetuning runs and the base");
    }

    @Test
    void writersRenderEveryRunAndTheFrontier() {
        String md = MarkdownReportWriter.render(report);
        assertTrue(md.contains("| full | fixed | 4 |"), md);
        assertTrue(md.contains("oft/r4/t/lr0.001/10steps (25.00 / 52.00) -> lora/r4/t/lr0.001/10steps (31.00 / 45.00)"),
                md);
        String csv = CsvReportWriter.render(report);
        assertEquals(7, csv.split("\r\n", 0).length, "header and six runs");
        assertTrue(csv.startsWith("run_id,kind,status,method"));
        String[] lines = csv.split("\r\n", 0);
        int regime = java.util.Arrays.asList(lines[0].split(",", -1)).indexOf("regime");
        for (int i = 1; i < lines.length; i++) {
            assertEquals("sft", lines[i].split(",", -1)[regime], lines[i]);
        }
        assertEquals("\"a,b\"", CsvReportWriter.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvReportWriter.quote("say \"hi\""));
        String html = HtmlReportWriter.render(report);
        assertTrue(html.contains("id=\"report-data\""));
        assertTrue(html.contains("Chart.js " + ChartLibrary.version()));
        assertFalse(html.contains("src=\"http"), "no external resources");
        assertEquals(3, html.split("</script>", 0).length - 1, "data, library, charts");
    }

    private RunRow row(String method) {
        return report.runs().stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }
}
