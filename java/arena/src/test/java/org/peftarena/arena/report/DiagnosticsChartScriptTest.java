package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.analysis.run.ForgetCorrelations;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;

/**
 * Runs the diagnostics chart script of report.html: in Node with a recording Chart.js stand-in
 * (the chart configurations it builds, and the module picker swapping them), and in headless
 * Chromium with the real library when one is installed.
 */
class DiagnosticsChartScriptTest {
    @TempDir
    Path tmp;

    private String html;
    private ArenaReport report;
    private List<DiagnosticsSection.Profile> profiles;

    @BeforeEach
    void render() {
        RunSpec base = SyntheticRuns.base("t");
        ArenaReport r;
        try (RunRegistry reg = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(reg, base, SyntheticRuns.result(base, 10, 50, 50));
            for (String m : List.of("lora", "oft")) {
                RunSpec s = SyntheticRuns.finetune(m, "r4", "t", 1, base);
                SyntheticRuns.store(reg, s, SyntheticRuns.result(s, 20 + m.length(), 45, 45));
            }
            r = ReportBuilder.build(reg, "charts");
        }
        report = r;
        profiles = List.of(profile("layers.1.q_proj", 3), profile("layers.2.q_proj", 7));
        DiagnosticsSection d = new DiagnosticsSection(List.of("layers.1.q_proj", "layers.2.q_proj"), List.of(),
                List.of(new DiagnosticsSection.GroupEntry("lora/r4/t", "lora", "r4", "t", 1,
                        Map.of("mean/act_G/linear_cka", 0.9))), profiles,
                new ForgetCorrelations.Result(List.of(), List.of()), ForgetInference.compute(List.of()), List.of(), 2.0,
                1.0);
        html = HtmlReportWriter.render(new ArenaReport(r.title(), r.generatedAt(), r.bases(), r.runs(), r.groups(),
                r.frontiers(), r.trajectories(), r.alphaPaths(), r.timing(), r.postHoc(), d));
    }

    private static DiagnosticsSection.Profile profile(String module, double top) {
        List<Double> s = List.of(top, top - 1, top - 2);
        return new DiagnosticsSection.Profile("t", module, List.of(0, 1, 2), s, List.of(
                new DiagnosticsSection.ProfileSeries("lora/r4/t", "lora", "r4", 1, List.of(2 * top, top - 1, top - 2),
                        List.of(0.1, 0.2, 0.3),
                        List.of(1.0, 2.0, 3.0)),
                new DiagnosticsSection.ProfileSeries("oft/r4/t", "oft", "r4", 2, s, List.of(0.0, 0.1, 0.0),
                        List.of(0.5, 0.5, 0.5))));
    }

    @Test
    void scriptBuildsThreeLineChartsPerTargetAndThePickerSwapsTheModule() throws Exception {
        Optional<Path> node = onPath("node", "nodejs");
        Assumptions.assumeTrue(node.isPresent(), "no node on PATH: the chart script cannot be run here");
        Path data = Files.writeString(tmp.resolve("data.json"), element("<script type=\"application/json\" "
                + "id=\"report-data\">").replace("<\\/", "</"));
        Path script = Files.writeString(tmp.resolve("diagnostics.js"), lastScript());
        Path harness = tmp.resolve("harness.js");
        try (InputStream in = getClass().getResourceAsStream("chart-harness.js")) {
            Files.write(harness, in.readAllBytes());
        }
        Process p = new ProcessBuilder(node.get().toString(), harness.toString(), data.toString(), script.toString(),
                "diagnostics-charts").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        JsonNode r = new ObjectMapper().readTree(output);
        assertEquals("3", r.get("rendered").asText(), "retention, deviation and adaptation charts");
        assertEquals("0", r.get("errors").asText());
        assertEquals(List.of("layers.1.q_proj", "layers.2.q_proj"), texts(r.get("options").get(0)));
        assertEquals(List.of("lora/r4/t", "oft/r4/t"), texts(r.get("options").get(1)), "one method at a time");
        JsonNode retention = r.get("before").get(0);
        assertEquals("line", retention.get("type").asText());
        assertEquals("linear", retention.get("xType").asText());
        assertEquals(List.of("pretrained (no change)", "lora r4", "oft r4 (mean of 2 runs)"),
                texts(retention.get("labels")));
        assertEquals(0.0, retention.get("first").get(0).get("y").asDouble(), "the pretrained spectrum is the zero line");
        assertEquals(3.0, retention.get("second").get(0).get("y").asDouble(), "lora's P_diag(1) - s_1 = 6 - 3");
        assertEquals(1, retention.get("first").get(0).get("x").asInt(), "singular indices counted from 1");
        assertEquals("logarithmic", r.get("before").get(1).get("yType").asText(), "deviation on a log scale");
        JsonNode adaptation = r.get("before").get(2);
        assertEquals(List.of("lora r4"), texts(adaptation.get("labels")), "adaptation of the selected method only");
        assertEquals(1.0, adaptation.get("first").get(0).get("y").asDouble(), "lora's E(1)");
        JsonNode after = r.get("after").get(0);
        assertEquals(7.0, after.get("second").get(0).get("y").asDouble(), "the picker switched to module 2");
        assertEquals(1, after.get("updates").asInt());
        assertTrue(r.get("captions").get(0).asText().endsWith("layers.2.q_proj"));
        JsonNode oft = r.get("afterSecond").get(2);
        assertEquals(List.of("oft r4 (mean of 2 runs)"), texts(oft.get("labels")), "the method picker switched to oft");
        assertEquals(0.5, oft.get("first").get(0).get("y").asDouble());
        assertTrue(r.get("captions").get(2).asText().endsWith("layers.2.q_proj, oft/r4/t"));
    }

    @Test
    void theStrongestMetricIsDrawnAgainstForget() throws Exception {
        Optional<Path> node = onPath("node", "nodejs");
        Assumptions.assumeTrue(node.isPresent(), "no node on PATH: the chart script cannot be run here");
        List<DiagnosticsSection.RunEntry> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String m = i % 2 == 0 ? "lora" : "oft";
            runs.add(new DiagnosticsSection.RunEntry("run" + i, m, "r4", "t", i, m + "/r4/t", 1, 2.0 * i, null,
                    Map.of("mean/act_G/procrustes_residual", 0.1 * i + 0.01 * (i % 3), "mean/act_G/linear_cka",
                            (double) (i % 4))));
        }
        DiagnosticsSection d = new DiagnosticsSection(List.of("layers.1.q_proj", "layers.2.q_proj"), runs, List.of(),
                profiles, new ForgetCorrelations.Result(List.of(), List.of()), ForgetInference.compute(runs), List.of(),
                2.0, 1.0);
        assertEquals("act_G/procrustes_residual", d.inference().strongest());
        html = HtmlReportWriter.render(new ArenaReport(report.title(), report.generatedAt(), report.bases(),
                report.runs(), report.groups(), report.frontiers(), report.trajectories(), report.alphaPaths(),
                report.timing(), report.postHoc(), d));
        Path data = Files.writeString(tmp.resolve("data.json"), element("<script type=\"application/json\" "
                + "id=\"report-data\">").replace("<\\/", "</"));
        Path script = Files.writeString(tmp.resolve("diagnostics.js"), lastScript());
        Path harness = tmp.resolve("harness.js");
        try (InputStream in = getClass().getResourceAsStream("chart-harness.js")) {
            Files.write(harness, in.readAllBytes());
        }
        Process p = new ProcessBuilder(node.get().toString(), harness.toString(), data.toString(), script.toString(),
                "diagnostics-charts").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        JsonNode r = new ObjectMapper().readTree(output);
        assertEquals("4", r.get("rendered").asText(), "the scatter and the three profile charts");
        JsonNode scatter = r.get("before").get(0);
        assertEquals("scatter", scatter.get("type").asText());
        assertEquals(List.of("lora", "oft"), texts(scatter.get("labels")));
        assertEquals(16.0, scatter.get("first").get(4).get("y").asDouble(), "run 8's Forget");
        assertTrue(r.get("captions").get(0).asText().contains("n = 9"));
    }

    @Test
    void chartsRenderInARealBrowser() throws Exception {
        Optional<Path> browser = ReportHtmlInBrowserTest.chromium();
        Assumptions.assumeTrue(browser.isPresent(), "no Chromium on PATH and PEFTARENA_CHROMIUM unset");
        Path page = Files.writeString(tmp.resolve("report.html"), html);
        List<String> command = new java.util.ArrayList<>(List.of(browser.get().toString(), "--headless=new"));
        command.addAll(List.of("--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=15000"));
        command.add("--user-data-dir=" + tmp.resolve("profile"));
        command.addAll(List.of("--dump-dom", page.toUri().toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertTrue(dom.contains("data-diagnostics-charts-rendered=\"3\""), dom.substring(0, Math.min(400, dom.length())));
        assertTrue(dom.contains("data-diagnostics-chart-errors=\"0\""));
    }

    private String element(String open) {
        int start = html.indexOf(open);
        assertTrue(start >= 0, open);
        start += open.length();
        return html.substring(start, html.indexOf("</script>", start));
    }

    private String lastScript() {
        Matcher m = Pattern.compile("(?s)<script>\\n(.*?)</script>").matcher(html);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        assertTrue(last != null && last.contains("diagnostics-charts"), "the diagnostics script comes last");
        return last.replace("<\\/", "</");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Optional<Path> onPath(String... names) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, 0))
                .flatMap(dir -> java.util.Arrays.stream(names).map(n -> Path.of(dir, n)))
                .filter(Files::isExecutable).findFirst();
    }
}
