package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;

/**
 * Runs the main chart script of report.html under Node with a recording Chart.js stand-in: points
 * are labelled with method and budget, markers follow the method family, the frontier is drawn over
 * every band and per budget band, and the base model's legend entry uses its star marker.
 */
class ReportScriptTest {
    private static final String PRINTER = """
            const scatter = configs[0];
            console.log(JSON.stringify({rendered: document.body.dataset.chartsRendered,
              plugins: (scatter.plugins || []).map(p => p.id),
              legendPointStyle: scatter.options.plugins.legend.labels.usePointStyle,
              datasets: scatter.data.datasets.map(d => ({label: d.label, pointStyle: d.pointStyle || null,
                pointLabels: d.pointLabels || null, intervals: d.intervals || null, points: d.data.length}))}));
            """;

    @TempDir
    Path tmp;

    @Test
    void pointsAreLabelledMarkersFollowFamiliesAndFrontiersArePerBand() throws Exception {
        Optional<Path> node = PostHocScriptTest.node();
        Assumptions.assumeTrue(node.isPresent(), "no node on PATH: the chart script cannot be run here");
        RunSpec base = SyntheticRuns.base("t");
        ArenaReport report;
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            store(r, SyntheticRuns.finetune("lora", "r4", "t", 1, base), 30, 44);
            store(r, SyntheticRuns.finetune("oft", "r4", "t", 1, base), 25, 48);
            store(r, SyntheticRuns.finetune("lora", "r8", "t", 1, base), 35, 40);
            // a second seed of lora r8 (a seed interval) and a second learning rate (a curve over rates)
            store(r, SyntheticRuns.finetune("lora", "r8", "t", 2, base), 37, 38);
            store(r, SyntheticRuns.finetune("lora", "r8", "t", 1, base, 3e-3), 42, 33);
            store(r, SyntheticRuns.finetune("full", "fixed", "t", 1, base), 40, 30);
            report = ReportBuilder.build(r, "script check");
        }
        assertEquals("low-rank", report.families().get("lora"));
        assertEquals("orthogonal", report.families().get("oft"));
        assertEquals("full", report.families().get("full"));
        String out = ReportChartHarness.run(node.get(), tmp.resolve("harness"), HtmlReportWriter.render(report), PRINTER);
        JsonNode r = new ObjectMapper().readTree(out);
        assertEquals(List.of("pointLabels", "seedIntervals"), texts(r.get("plugins")));
        assertTrue(r.get("legendPointStyle").asBoolean(), "legend entries show each dataset's marker");
        List<String> labels = new ArrayList<>();
        for (JsonNode d : r.get("datasets")) {
            labels.add(d.get("label").asText());
        }
        assertEquals(List.of("full (full)", "lora (low-rank)", "oft (orthogonal)", "base model",
                "Pareto frontier (all budgets)", "frontier, budget fixed", "frontier, budget r4", "frontier, budget r8",
                "lora r8 over learning rates"), labels);
        JsonNode lora = r.get("datasets").get(1);
        assertEquals("circle", lora.get("pointStyle").asText());
        assertEquals(List.of("lora r4", "lora r8", "lora r8"), texts(lora.get("pointLabels")),
                "points name method and budget");
        // lora r8 at 1e-3 has two seeds (Target 35, 37: sd sqrt 2, so one standard error 1), the others one
        JsonNode intervals = lora.get("intervals");
        assertEquals(3, intervals.size());
        int withInterval = 0;
        for (JsonNode e : intervals) {
            if (!e.isNull()) {
                withInterval++;
                assertEquals(1.0, e.get("x").asDouble(), 1e-9);
                assertEquals(1.0, e.get("y").asDouble(), 1e-9);
            }
        }
        assertEquals(1, withInterval, "only the group with two seeds has a seed interval");
        JsonNode curve = r.get("datasets").get(8);
        assertEquals(List.of("lr 0.001", "lr 0.003"), texts(curve.get("pointLabels")), "the curve runs over rates");
        assertEquals(2, curve.get("points").asInt());
        assertEquals("triangle", r.get("datasets").get(2).get("pointStyle").asText());
        assertEquals("rect", r.get("datasets").get(0).get("pointStyle").asText());
        assertEquals("star", r.get("datasets").get(3).get("pointStyle").asText(), "base legend entry = its marker");
        assertEquals(2, r.get("datasets").get(6).get("points").asInt(), "r4 band: oft and lora r4");
    }

    private static void store(RunRegistry r, RunSpec s, double target, double general) {
        SyntheticRuns.store(r, s, SyntheticRuns.result(s, target, general, general));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
