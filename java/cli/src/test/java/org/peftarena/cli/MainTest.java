package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    @Test
    void helpListsCommandsAndExitsZero() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("doctor"), r.out());
        assertTrue(r.out().contains("help"), r.out());
    }

    @Test
    void everyCommandHasHelpAndVersion() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() > 15, paths.toString());
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "--version")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                CliRunner r = CliRunner.run(args.toArray(String[]::new));
                assertEquals(0, r.exitCode(), args + ": " + r.err());
                if (flag.equals("--version")) {
                    assertTrue(r.out().startsWith("peft-arena "), args + ": " + r.out());
                } else {
                    assertTrue(r.out().contains("Usage:"), args + ": " + r.out());
                }
            }
        }
    }

    private static void collect(CommandLine cli, List<String> prefix, List<List<String>> out) {
        cli.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || !sub.getCommandSpec().name().equals(name)) {
                return; // picocli's help command, aliases
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            out.add(path);
            collect(sub, path, out);
        });
    }

    @Test
    void aFailureIsTwoLinesAsTheReadmeSays() {
        CliRunner r = CliRunner.run("model", "info", "/nonexistent/model-dir");
        assertEquals(Main.EXIT_FAILURE, r.exitCode());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("error: "), r.err());
        assertEquals("(set PEFT_ARENA_DEBUG=1 for the stack trace)", lines.get(1));
    }

    @Test
    void unknownOptionIsUsageError() {
        CliRunner r = CliRunner.run("--no-such-option");
        assertEquals(Main.EXIT_USAGE, r.exitCode());
    }

    @Test
    void doctorReportsLoadedLibraryAndKernelPath() {
        CliRunner r = CliRunner.run("doctor", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("\"native_library\" : true"), r.out());
        assertTrue(r.out().contains("\"cpu_kernel_path\""), r.out());
        assertTrue(r.out().contains("\"cuda_devices\""), r.out());
    }
}
