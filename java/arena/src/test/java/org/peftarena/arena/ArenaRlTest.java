package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.ArenaConfigException;
import org.peftarena.arena.config.Regime;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.plan.ArenaPlanner;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.RunStatus;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.report.ArenaReport;
import org.peftarena.arena.report.RegimeSection;
import org.peftarena.arena.report.ReportFiles;
import org.peftarena.arena.report.RunRow;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.spec.RunSpec;

/** An RL grid end to end on the tiny model: GRPO runs, pass@k scores, HF PEFT adapters, the report's regime section. */
class ArenaRlTest {
    @TempDir
    Path tmp;

    @Test
    void rlGridTrainsWithGrpoScoresPassAtKAndReportsTheRegime() throws Exception {
        ArenaConfig config = TinyArena.rlConfig(tmp.resolve("in"), List.of("lora", "oft"), 2);
        Path work = tmp.resolve("work");
        ArenaOutcome outcome = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(3, outcome.plan().size(), "one base run and two methods");
        assertEquals(0, outcome.failed());
        Map<String, Double> basePass = null;
        try (RunRegistry r = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (RunRecord rec : r.all()) {
                assertEquals(RunStatus.FINISHED, rec.status(), rec.id());
                assertTrue(rec.id().startsWith(rec.kind() == RunKind.BASE ? "base-rl-" : "rl-"), rec.id());
                Map<String, Double> pass = new java.util.TreeMap<>();
                for (ScoreRow s : r.scores(rec.id())) {
                    if (s.phase().equals(ScoreRow.FINAL) && s.task().equals(ScoreRow.TARGET)
                            && s.metric().startsWith(ScoreRow.PASS_AT)) {
                        pass.put(s.metric(), s.value());
                    }
                }
                assertEquals(List.of("pass@1", "pass@2", "pass@4"), List.copyOf(pass.keySet()), rec.id());
                double last = -1;
                for (String k : List.of("pass@1", "pass@2", "pass@4")) {
                    double v = pass.get(k);
                    assertTrue(v >= last - 1e-9 && v >= 0 && v <= 100, rec.id() + " " + pass);
                    last = v;
                }
                if (rec.kind() == RunKind.BASE) {
                    basePass = pass;
                } else {
                    Path model = Path.of(rec.artifactDir()).resolve("model");
                    assertTrue(Files.isRegularFile(model.resolve("adapter_config.json")), "HF PEFT adapter of " + rec.id());
                    assertTrue(Files.isRegularFile(model.resolve("adapter_model.safetensors")), rec.id());
                }
            }
        }
        assertNotNull(basePass);
        ArenaReport report = outcome.report();
        for (RunRow run : report.runs()) {
            assertEquals(RunSpec.RL, run.regime(), run.runId());
            assertTrue(run.groupKey().endsWith("/rl"), run.groupKey());
        }
        RegimeSection regimes = report.regimes();
        assertTrue(regimes.hasRl());
        assertEquals(List.of("rl"), regimes.regimes());
        assertEquals(2, regimes.rl().size(), "one pass@k row per method");
        assertFalse(regimes.frontiers().get("rl").isEmpty(), "a frontier of the RL regime");
        Double baseSe = regimes.baseSe().get(regimes.rl().get(0).target());
        assertNotNull(baseSe, "the base run's pass@1 carries its standard error");
        for (RegimeSection.RlGroup g : regimes.rl()) {
            for (int k : List.of(1, 2, 4)) {
                assertEquals(g.passAtK().get(k) - basePass.get("pass@" + k), g.deltaPassAtK().get(k), 1e-9,
                        g.key() + " Δpass@" + k);
            }
            assertNotNull(g.passAtOneSe(), g.key());
            assertTrue(g.passAtOneSe() >= 0 && g.passAtOneSe() <= 50, g.key() + " " + g.passAtOneSe());
            assertEquals(Math.hypot(g.passAtOneSe(), baseSe), g.deltaPassAtOneSe(), 1e-12, g.key());
        }
        Path out = tmp.resolve("report");
        ReportFiles.write(report, out);
        String md = Files.readString(out.resolve("report.md"), StandardCharsets.UTF_8);
        assertTrue(md.contains("## Regimes: SFT and RL"), md);
        assertTrue(md.contains("Δpass@4") && md.contains("lora (rl)"), md);
        assertTrue(md.contains(" ± " + String.format(java.util.Locale.ROOT, "%.2f", regimes.rl().get(0).deltaPassAtOneSe())), md);
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("Regimes: SFT and RL"), "html");
        passAtKCurvesAreDrawn(html, regimes);
        java.util.Optional<Path> browser = org.peftarena.arena.report.ReportHtmlInBrowserTest.chromium();
        if (browser.isPresent()) { // the log-scaled pass@k chart in a real browser (skipped without Chromium)
            Process p = new ProcessBuilder(browser.get().toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--user-data-dir=" + tmp.resolve("profile"), "--virtual-time-budget=15000",
                    "--dump-dom", out.resolve("report.html").toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "chromium did not finish");
            assertTrue(dom.contains("data-chart-errors=\"0\""), "chart errors in the RL report page");
            java.util.regex.Matcher rendered = java.util.regex.Pattern.compile("data-charts-rendered=\"(\\d+)\"").matcher(dom);
            assertTrue(rendered.find() && Integer.parseInt(rendered.group(1)) >= 5, "the Target charts and the pass@k chart");
        }
        List<String> csv = Files.readAllLines(out.resolve("runs.csv"), StandardCharsets.UTF_8);
        int column = List.of(csv.get(0).split(",", -1)).indexOf("regime");
        assertTrue(column >= 0, csv.get(0));
        for (String row : csv.subList(1, csv.size())) {
            assertEquals(RunSpec.RL, row.split(",", -1)[column], row);
        }
    }

    /** Runs report.html's chart script under Node with a recording Chart.js stand-in: one pass@k curve per method and the base's. */
    private void passAtKCurvesAreDrawn(String html, RegimeSection regimes) throws Exception {
        java.util.Optional<Path> node = org.peftarena.arena.report.PostHocScriptTest.node();
        if (node.isEmpty()) {
            return; // the chart script needs node; ReportScriptTest reports the skip
        }
        String out = org.peftarena.arena.report.ReportChartHarness.run(node.get(), tmp.resolve("harness"), html, """
                const lines = configs.filter(c => c.type === 'line' && c.options.scales.x.type === 'logarithmic');
                console.log(JSON.stringify({errors: document.body.dataset.chartErrors, curves: lines.map(c =>
                  c.data.datasets.map(d => ({label: d.label, x: d.data.map(p => p.x), y: d.data.map(p => p.y)})))}));
                """);
        com.fasterxml.jackson.databind.JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
        assertEquals("0", r.get("errors").asText(), out);
        assertEquals(1, r.get("curves").size(), "one pass@k chart for the one RL target: " + out);
        com.fasterxml.jackson.databind.JsonNode curves = r.get("curves").get(0);
        assertEquals(regimes.rl().size() + 1, curves.size(), "a curve per method and the base model's: " + out);
        assertEquals("base model", curves.get(curves.size() - 1).get("label").asText());
        for (int i = 0; i < regimes.rl().size(); i++) {
            RegimeSection.RlGroup g = regimes.rl().get(i);
            com.fasterxml.jackson.databind.JsonNode c = curves.get(i);
            assertTrue(c.get("label").asText().startsWith(g.method() + " "), c.toString());
            assertEquals("[1,2,4]", c.get("x").toString());
            assertEquals(g.passAtK().get(4), c.get("y").get(2).asDouble(), 1e-9, c.toString());
        }
    }

    @Test
    void aGridOfBothRegimesTrainsEachTargetByItsKind() throws Exception {
        ArenaConfig rl = TinyArena.rlConfig(tmp.resolve("in"), List.of("lora"), 2);
        ArenaConfig both = new ArenaConfig("tiny-both", rl.baseModel(), rl.methods(), rl.budgets(), List.of("tgt", "rsum"),
                rl.general(), rl.seeds(), rl.targetModules(), rl.training(), rl.evaluation(), rl.tasks(), null, null, List.of(),
                Regime.BOTH, rl.rl());
        ArenaOutcome outcome = new ArenaRunner(both, tmp.resolve("both"), ArenaListener.NONE).run();
        assertEquals(4, outcome.plan().size(), "a base run and a LoRA run per target");
        assertEquals(0, outcome.failed());
        for (RunSpec s : outcome.plan().runs()) {
            boolean rlTarget = s.target().equals("rsum");
            assertEquals(rlTarget ? RunSpec.RL : RunSpec.SFT, s.regime(), s.id());
            assertEquals(rlTarget, s.id().startsWith(s.kind() == RunKind.BASE ? "base-rl-" : "rl-"), s.id());
        }
        RegimeSection regimes = outcome.report().regimes();
        assertEquals(List.of("sft", "rl"), regimes.regimes(), "the report holds both regimes side by side");
        assertFalse(regimes.frontiers().get("sft").isEmpty());
        assertFalse(regimes.frontiers().get("rl").isEmpty());
        assertEquals(1, regimes.rl().size(), "pass@k for the RL target's method only");
        assertEquals("rsum", regimes.rl().get(0).target());
    }

    @Test
    void aGridRefusesATargetOfTheOtherRegime() throws Exception {
        ArenaConfig rl = TinyArena.rlConfig(tmp.resolve("in"), List.of("lora"), 2);
        TaskCatalog catalog = new TaskCatalog(rl.tasks(), 6, 7);
        ArenaConfigException e = assertThrows(ArenaConfigException.class, () -> ArenaPlanner.plan(
                new ArenaConfig(rl.name(), rl.baseModel(), rl.methods(), rl.budgets(), List.of("tgt"), rl.general(), rl.seeds(),
                        rl.targetModules(), rl.training(), rl.evaluation(), rl.tasks(), null, null, List.of(), Regime.RL, null),
                catalog));
        assertTrue(e.getMessage().contains("regime rl") && e.getMessage().contains("tgt"), e.getMessage());
        e = assertThrows(ArenaConfigException.class, () -> ArenaPlanner.plan(
                new ArenaConfig(rl.name(), rl.baseModel(), rl.methods(), rl.budgets(), rl.targets(), rl.general(), rl.seeds(),
                        rl.targetModules(), rl.training(), rl.evaluation(), rl.tasks(), null, null, List.of(), Regime.SFT, null),
                catalog));
        assertTrue(e.getMessage().contains("regime: rl") && e.getMessage().contains("rsum"), e.getMessage());
    }
}
