package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The progress display as people see it: under a pseudo-terminal of 80 columns no line wraps, no
 * redraw leaves a copy behind and a log line printed mid-run stands whole above the bars; with
 * stderr piped there are plain lines only.
 */
class ProgressTerminalTest {
    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void librariesSayOnlyWarningsOurLinesAreInfoAndVerboseAndQuietChangeBoth() throws Exception {
        List<String> demo = List.of(java(), "-cp", System.getProperty("java.class.path"), ProgressDemo.class.getName());
        String plain = run(demo);
        assertFalse(plain.contains("CUDA not found"), "DJL's CUDA warning is silenced: " + plain);
        assertFalse(plain.contains(ProgressDemo.LIBRARY_LINE), plain);
        assertTrue(plain.contains("INFO " + ProgressDemo.LOG_LINE), "our INFO line, whole: " + plain);
        List<String> verbose = new java.util.ArrayList<>(demo);
        verbose.add("-v");
        assertTrue(run(verbose).contains(ProgressDemo.LIBRARY_LINE));
        List<String> quiet = new java.util.ArrayList<>(demo);
        quiet.add("--quiet");
        assertFalse(run(quiet).contains(ProgressDemo.LOG_LINE));
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the demo did not end");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void underAnEightyColumnTerminalBarsFitAndLeaveNothingBehind() throws Exception {
        String cmd = "stty cols 80 rows 24; unset COLUMNS; exec '" + java() + "' -cp '"
                + System.getProperty("java.class.path") + "' " + ProgressDemo.class.getName();
        String raw = run(List.of("script", "-qec", cmd, "/dev/null"));
        assertTrue(raw.contains("run   ["), "bars were drawn: " + raw);
        assertTrue(raw.contains("\033[1A"), "bars were redrawn in place: " + raw);
        Screen screen = new Screen(80).apply(raw);
        assertEquals(0, screen.wraps(), "no line wrapped on 80 columns: " + screen.lines());
        List<String> lines = screen.lines();
        assertEquals(1, lines.stream().filter(l -> l.contains(ProgressDemo.LOG_LINE)).count(),
                "the log line stands whole, once: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("run   [") || l.startsWith("arena [")),
                "no bar is left behind: " + lines);
        assertEquals(List.of("arena: 2 runs, 1 already finished"), lines.subList(0, 1), lines.toString());
        assertTrue(lines.get(lines.size() - 1).startsWith("[2/2] lora r16-medium-budget"), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.length() > 80), lines.toString());
    }

    @Test
    void withStderrPipedTheLinesArePlain() throws Exception {
        String out = run(List.of(java(), "-cp", System.getProperty("java.class.path"), ProgressDemo.class.getName()));
        assertFalse(out.contains("\r") || out.contains("\033"), "no carriage returns or escape codes: " + out);
        assertTrue(out.contains("  step 6/60"), out);
        assertTrue(out.contains(ProgressDemo.LOG_LINE), out);
    }

    @Test
    void trainDrawsTheSameBarUnderATerminalAndPlainLinesWhenPiped(@TempDir Path tmp) throws Exception {
        Path base = TinyModelFixture.save(TinyModelFixture.model(), tmp.resolve("base"));
        Path data = Files.writeString(tmp.resolve("d.jsonl"), "{\"prompt\": \"1+1=\", \"response\": \"2\"}\n");
        List<String> train = List.of(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train",
                "--base", base.toString(), "--method", "lora", "--rank", "2", "--data", data.toString(), "--steps", "6",
                "--batch-size", "1", "--log-every", "2");
        List<String> onTerminal = new java.util.ArrayList<>(train);
        onTerminal.addAll(List.of("--out", tmp.resolve("tty").toString()));
        String cmd = "stty cols 80 rows 24; unset COLUMNS; exec " + String.join(" ", onTerminal.stream()
                .map(a -> "'" + a + "'").toList());
        String raw = run(List.of("script", "-qec", cmd, "/dev/null"));
        assertTrue(raw.contains("\r\033[2K"), "the bar was redrawn in place: " + raw);
        assertTrue(raw.contains("100% step 6/6 loss"), "the bar shows the step: " + raw);
        Screen screen = new Screen(80).apply(raw);
        assertEquals(0, screen.wraps(), "no line wrapped on 80 columns: " + screen.lines());
        assertTrue(screen.lines().stream().noneMatch(l -> l.contains("step ")), "no bar is left behind: " + screen.lines());
        assertTrue(screen.lines().stream().anyMatch(l -> l.startsWith("final_loss")), screen.lines().toString());

        List<String> piped = new java.util.ArrayList<>(train);
        piped.addAll(List.of("--out", tmp.resolve("piped").toString()));
        String plain = run(piped);
        assertFalse(plain.contains("\r") || plain.contains("\033"), "no carriage returns or escape codes: " + plain);
        List<String> steps = plain.lines().filter(l -> l.startsWith("step ")).toList();
        assertEquals(3, steps.size(), plain);
        assertTrue(steps.get(2).startsWith("step 6/6 loss "), plain);
        assertTrue(steps.get(2).contains(" tok/s ETA "), plain);
        for (String step : steps) {
            java.util.regex.Matcher grad = java.util.regex.Pattern.compile(" grad (\\S+) ").matcher(step);
            assertTrue(grad.find(), step);
            assertTrue(Double.parseDouble(grad.group(1)) > 0, "a training step has a gradient: " + step);
        }
    }

    @Test
    void theArenaCommandUnderAnEightyColumnTerminalLeavesNoBarAndPrintsRoundedLogLinesWhole(@TempDir Path tmp)
            throws Exception {
        Path config = TinyModelFixture.arena(tmp);
        String cmd = "stty cols 80 rows 24; unset COLUMNS; exec '" + java() + "' -cp '" + System.getProperty("java.class.path")
                + "' " + Main.class.getName() + " arena --config '" + config + "' --workdir '" + tmp.resolve("work") + "'";
        String raw = run(List.of("script", "-qec", cmd, "/dev/null"));
        assertTrue(raw.contains("\r\033[2K"), "bars were drawn and redrawn in place: " + raw);
        List<String> lines = new Screen(80).apply(raw).lines();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("arena [") || l.startsWith("run   [")),
                "no bar is left behind: " + lines);
        java.util.regex.Pattern path = java.util.regex.Pattern.compile(
                "INFO (linear|dense) path alpha 0\\.5: Target \\d+\\.\\d\\d General \\d+\\.\\d\\d \\(\\d+\\.\\d s\\)");
        assertEquals(2, lines.stream().filter(l -> path.matcher(l).matches()).count(),
                "each run's path line at alpha 0.5 stands whole, its numbers rounded: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("arena tiny: 3 run(s) executed")), lines.toString());
    }

    @Test
    void pretrainWritesPlainLinesWhenStderrIsNotATerminal(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "pretrain", "--steps", "2", "--out", tmp.resolve("model").toString())
                .redirectError(tmp.resolve("stderr.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "pretrain did not end");
        String err = Files.readString(tmp.resolve("stderr.txt"));
        assertEquals(0, p.exitValue(), err);
        assertFalse(err.contains("\r") || err.contains("\033"), "no carriage returns or escape codes: " + err);
        assertTrue(err.lines().anyMatch(l -> l.startsWith("step 2/2 loss ")), err);
        assertTrue(err.lines().anyMatch(l -> l.startsWith("validation at step 2: ")), err);
        assertTrue(out.contains("wrote " + tmp.resolve("model")), out);
    }

    @Test
    void everyCommandTakesVerboseAndQuiet() {
        check(Main.commandLine());
    }

    private static void check(CommandLine c) {
        if (c.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
            return;
        }
        for (String name : List.of("-v", "--verbose", "-q", "--quiet")) {
            assertTrue(c.getCommandSpec().optionsMap().containsKey(name), c.getCommandName() + " lacks " + name);
        }
        c.getSubcommands().values().forEach(ProgressTerminalTest::check);
    }

    @Test
    void quietAndVerboseSetTheLogLevelsBeforeAnyLoggerExists() {
        String own = System.getProperty(Verbosity.OWN_LEVEL);
        String other = System.getProperty(Verbosity.DEFAULT_LEVEL);
        try {
            Verbosity.configure(new String[] {"arena", "-q"});
            assertEquals("warn", System.getProperty(Verbosity.OWN_LEVEL));
            assertTrue(Verbosity.quiet());
            Verbosity.configure(new String[] {"arena", "--verbose"});
            assertEquals("debug", System.getProperty(Verbosity.OWN_LEVEL));
            assertEquals("info", System.getProperty(Verbosity.DEFAULT_LEVEL));
            assertFalse(Verbosity.quiet());
        } finally {
            restore(Verbosity.OWN_LEVEL, own);
            restore(Verbosity.DEFAULT_LEVEL, other);
            Verbosity.configure(new String[0]);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
