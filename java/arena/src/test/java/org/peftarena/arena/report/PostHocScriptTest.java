package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.run.PostHocArtifact;
import org.peftarena.arena.spec.RunSpec;

/**
 * Runs the page's post-hoc chart script under Node.js against a report with an interpolation path,
 * a training path and a rewinding table, with a stand-in for Chart.js that rejects non-numeric
 * points: one chart per run, no error. Skipped, with the reason, when no {@code node} is installed.
 */
public class PostHocScriptTest {
    private static final String HARNESS = """
            const fs = require('fs');
            const data = fs.readFileSync(process.argv[2], 'utf8');
            function el() { return {children: [], dataset: {}, appendChild(c) { this.children.push(c); }}; }
            const nodes = {'report-data': Object.assign(el(), {textContent: data}), 'post-hoc-charts': el()};
            global.document = {getElementById: id => nodes[id], createElement: () => el(), body: el()};
            const configs = [];
            global.Chart = function (canvas, config) {
              configs.push(config.data.datasets.map(d => ({label: d.label, pointLabels: d.pointLabels || []})));
              for (const d of config.data.datasets) for (const p of d.data) {
                if (typeof p.x !== 'number' || typeof p.y !== 'number') throw new Error('bad point ' + JSON.stringify(p));
              }
            };
            eval(fs.readFileSync(process.argv[3], 'utf8'));
            console.log('rendered=' + document.body.dataset.postHocChartsRendered
              + ' errors=' + document.body.dataset.postHocChartErrors);
            console.log(JSON.stringify(configs));
            """;

    @TempDir
    Path tmp;

    @Test
    void drawsOneChartPerRunWithoutErrors() throws Exception {
        Optional<Path> node = node();
        Assumptions.assumeTrue(node.isPresent(), "no node on PATH: the chart script cannot be run here");
        RunSpec base = SyntheticRuns.base("t");
        RunSpec oft = SyntheticRuns.finetune("oft", "r4", "t", 1, base);
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "t", 1, base);
        ArenaReport report;
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            for (RunSpec s : List.of(oft, lora)) {
                SyntheticRuns.store(r, s, SyntheticRuns.result(s, 40, 40, 40));
                // on the Cayley path the update scale differs from alpha (0.5 scales the generator, 0.63 the update)
                List<PostHocArtifact.Point> path = s.equals(oft)
                        ? List.of(point(0, 10, 50, 0), point(0.5, 35, 45, 0.634), point(1, 40, 40, 1))
                        : List.of(point(0, 10, 50, 0), point(0.5, 35, 45, 0.5), point(1, 40, 40, 1));
                List<PostHocArtifact.Rewound> rewound = s.equals(oft)
                        ? List.of(new PostHocArtifact.Rewound("uniform 0.4", Double.NaN, List.of(0.4, 0.4), 30, 46, Map.of(),
                                0.5, 0.4, 0.41, 2, 0, null),
                        new PostHocArtifact.Rewound("min-rho", 0.5, List.of(1.0, 0.9), 39, 41, Map.of(), null, null, null, 2,
                                0, null))
                        : List.of();
                PostHocArtifact a = new PostHocArtifact(s.id(), "k", s.equals(oft) ? "cayley" : "linear", path, null, List.of(),
                        new PostHocArtifact.OperatingPoint("r", 1, 40, 40, 0, 0, false, "validation", 0.5, 1.0), rewound, 1,
                        1.0);
                r.replacePhases(s.id(), PostHocArtifact.PHASE_PREFIX, a.rows());
            }
            report = ReportBuilder.build(r, "script check");
        }
        assertEquals(2, report.postHoc().paths().size());
        assertEquals(2, report.postHoc().rewinding().size());
        assertTrue(report.postHoc().rewinding().get(0).rhoStar() == null, "NaN rho* of the uniform recipe is not stored");
        Path html = ReportFiles.write(report, tmp.resolve("report")).get(3);
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(Files.readString(html));
        assertTrue(m.find());
        Path json = Files.writeString(tmp.resolve("data.json"), m.group(1).replace("<\\/", "</"));
        Path script = tmp.resolve("posthoc.js");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("org/peftarena/arena/report/posthoc.js")) {
            Files.write(script, in.readAllBytes());
        }
        Path harness = Files.writeString(tmp.resolve("harness.js"), HARNESS);
        Process p = new ProcessBuilder(node.get().toString(), harness.toString(), json.toString(), script.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("rendered=2 errors=0"), out);
        String configs = out.substring(out.indexOf('\n') + 1);
        assertTrue(configs.contains("\"pointLabels\":[\"u=0\",\"u=0.5\",\"u=1\"]"),
                "the update scale marked on the linear path: " + configs);
        assertTrue(configs.contains("\"pointLabels\":[\"u=0 (\u03b1=0)\",\"u=0.63 (\u03b1=0.5)\",\"u=1 (\u03b1=1)\"]"),
                "the update scale with alpha next to it on the Cayley path: " + configs);
        assertTrue(configs.contains("{\"label\":\"rewound: uniform 0.4\",\"pointLabels\":[\"uniform 0.4, u=0.41\"]}"),
                "rewound points name their recipe: " + configs);
        assertTrue(configs.contains("{\"label\":\"rewound: min-rho\",\"pointLabels\":[\"min-rho\"]}"), configs);
    }

    public static Optional<Path> node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, 0)) {
            for (String name : List.of("node", "nodejs")) {
                Path c = Path.of(dir, name);
                if (Files.isExecutable(c)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    private static PostHocArtifact.Point point(double alpha, double target, double general, double updateScale) {
        return new PostHocArtifact.Point(alpha, target, general, Map.of(), 0.3, 0.2, target, general, 0.3, 0.2,
                updateScale);
    }
}
