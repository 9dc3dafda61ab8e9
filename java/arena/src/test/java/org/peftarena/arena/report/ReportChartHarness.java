package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs report.html's main chart script (report.js) under Node on the data embedded in a rendered
 * page, with a DOM stand-in and a Chart.js stand-in that records each chart's configuration in
 * {@code configs}; a test's own printer code then prints what it checks as JSON.
 */
public final class ReportChartHarness {
    private static final String STUB = """
            const fs = require('fs');
            const data = fs.readFileSync(process.argv[2], 'utf8');
            function el() { return {children: [], dataset: {}, appendChild(c) { this.children.push(c); return c; }}; }
            const nodes = {'report-data': Object.assign(el(), {textContent: data}), 'charts': el()};
            global.document = {getElementById: id => nodes[id], createElement: () => el(), body: el()};
            const configs = [];
            global.Chart = function (canvas, config) { configs.push(config); };
            eval(fs.readFileSync(process.argv[3], 'utf8'));
            """;

    private ReportChartHarness() {}

    /**
     * @param node    the Node executable
     * @param dir     a scratch folder
     * @param html    a rendered report.html
     * @param printer JavaScript run after the chart script, printing to stdout (it sees {@code configs} and {@code document})
     * @return what the printer printed
     */
    public static String run(Path node, Path dir, String html, String printer) throws Exception {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertTrue(m.find(), "the page embeds its data");
        Files.createDirectories(dir);
        Path json = Files.writeString(dir.resolve("data.json"), m.group(1).replace("<\\/", "</"));
        Path script = dir.resolve("report.js");
        try (InputStream in = ReportChartHarness.class.getClassLoader().getResourceAsStream("org/peftarena/arena/report/report.js")) {
            Files.write(script, in.readAllBytes());
        }
        Path harness = Files.writeString(dir.resolve("harness.js"), STUB + printer);
        Process p = new ProcessBuilder(node.toString(), harness.toString(), json.toString(), script.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
