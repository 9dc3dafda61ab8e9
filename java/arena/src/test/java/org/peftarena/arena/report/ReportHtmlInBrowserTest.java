package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;

/**
 * Opens report.html in headless Chromium (offline, from a file URL) and checks that every chart
 * was drawn without an error. Skipped, with the reason, when no Chromium is installed.
 */
public class ReportHtmlInBrowserTest {
    @TempDir
    Path tmp;

    @Test
    void everyChartRendersInARealBrowser() throws Exception {
        Optional<Path> browser = chromium();
        Assumptions.assumeTrue(browser.isPresent(), "no Chromium on PATH (chromium, chromium-browser, google-chrome) "
                + "and PEFTARENA_CHROMIUM unset: the page cannot be rendered here (apt-get install chromium)");
        RunSpec base = SyntheticRuns.base("t");
        ArenaReport report;
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            for (String m : List.of("lora", "oft", "full")) {
                RunSpec s = SyntheticRuns.finetune(m, "r4", "t", 1, base);
                SyntheticRuns.store(r, s, SyntheticRuns.result(s, 20 + m.length(), 50 - m.length(), 45));
            }
            report = ReportBuilder.build(r, "browser check");
        }
        Path html = ReportFiles.write(report, tmp.resolve("report")).get(3);
        Process p = new ProcessBuilder(browser.get().toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + tmp.resolve("profile"), "--virtual-time-budget=15000",
                "--dump-dom", html.toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        Matcher rendered = Pattern.compile("data-charts-rendered=\"(\\d+)\"").matcher(dom);
        assertTrue(rendered.find(), "the chart script did not run: " + dom.substring(0, Math.min(400, dom.length())));
        assertEquals(4, Integer.parseInt(rendered.group(1)), "scatter with frontier, bars, two trajectories");
        assertTrue(dom.contains("data-chart-errors=\"0\""), "chart errors in the page");
    }

    public static Optional<Path> chromium() {
        String env = System.getenv("PEFTARENA_CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, 0)) {
            for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
                Path c = Path.of(dir, name);
                if (Files.isExecutable(c)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }
}
