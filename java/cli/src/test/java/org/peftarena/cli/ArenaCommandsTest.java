package org.peftarena.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** The arena, report and import-scores commands on a tiny random model and tiny user tasks. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArenaCommandsTest {
    @TempDir
    static Path tmp;

    static Path config;
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        config = TinyModelFixture.arena(tmp);
        work = tmp.resolve("work");
    }

    @Test
    @Order(1)
    void arenaRunsPrintsTheTableAndWritesTheReport() {
        CliRunner r = CliRunner.run("arena", "--config", config.toString(), "--workdir", work.toString(), "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| method | budget | size | params | vs budget | lr | steps | target | seed | Target"
                + " | General | Forget | Gain | frontier |"), r.out());
        assertTrue(r.out().contains("| lora | r2 |"), r.out());
        assertTrue(r.out().contains("frontier tgt / all:"), r.out());
        assertTrue(r.out().contains("3 run(s) executed"), r.out());
        assertTrue(r.out().contains("operating point lora r2 tgt (linear path, selected on "), r.out());
        assertTrue(r.out().contains("operating point full fixed tgt (dense path, selected on "), r.out());
        assertTrue(r.out().lines().filter(l -> l.startsWith("operating point ")).allMatch(l -> l.contains("): alpha ")),
                r.out());
        assertTrue(r.err().contains("[3/3]"), r.err());
        assertTrue(r.out().contains("diagnostics: 2 run(s) at 8 module location(s)"), r.out());
        assertTrue(Files.isRegularFile(work.resolve("report/report.html")));
    }

    @Test
    @Order(2)
    void rerunSkipsFinishedRuns() {
        CliRunner r = CliRunner.run("arena", "--config", config.toString(), "--workdir", work.toString(), "--no-progress",
                "--no-report");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("0 run(s) executed, 3 already finished"), r.out());
    }

    @Test
    @Order(3)
    void importScoresThenReportWritesFourFiles() throws Exception {
        Path csv = Files.writeString(tmp.resolve("ext.csv"),
                "adapter,alpha,target,general,method,budget,target_task\n/x/a,1,5,6,lora,r2,tgt\n/x/a,0.5,4,7,lora,r2,tgt\n");
        CliRunner imp = CliRunner.run("import-scores", csv.toString(), "--workdir", work.toString());
        assertEquals(0, imp.exitCode(), imp.err());
        assertTrue(imp.out().contains("imported 2 score(s)"), imp.out());
        Path out = tmp.resolve("rep");
        CliRunner rep = CliRunner.run("report", "--workdir", work.toString(), "--out", out.toString());
        assertEquals(0, rep.exitCode(), rep.err());
        for (String f : List.of("report.json", "runs.csv", "report.md", "report.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(out.resolve("runs.csv")).contains("external"));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Interpolation paths") && md.contains("## Overshoot") && md.contains("| imported |"), md);
    }

    @Test
    @Order(4)
    void badInputIsAClearErrorWithTheRightExitCode() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "methods: [lora, nosuch]\n");
        CliRunner a = CliRunner.run("arena", "--config", bad.toString(), "--workdir", tmp.resolve("w2").toString());
        assertEquals(Main.EXIT_FAILURE, a.exitCode());
        assertTrue(a.err().contains("nosuch"), a.err());
        CliRunner r = CliRunner.run("report", "--workdir", tmp.resolve("nothing-here").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().contains("no run registry"), r.err());
        CliRunner i = CliRunner.run("import-scores", tmp.resolve("missing.csv").toString(), "--workdir", work.toString());
        assertEquals(Main.EXIT_FAILURE, i.exitCode());
        assertTrue(i.err().contains("not found"), i.err());
    }

    @Test
    @Order(5)
    void failedDiagnosticsAreOneErrorLineAndKeepTheRuns() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad-diag.yaml"), Files.readString(config)
                + "diagnostics: {modules: [mlp.nope_proj]}\n");
        CliRunner r = CliRunner.run("arena", "--config", bad.toString(), "--workdir", work.toString(), "--no-progress");
        assertEquals(Main.EXIT_FAILURE, r.exitCode(), r.err());
        assertTrue(r.out().contains("0 run(s) executed, 3 already finished, 0 failed"), r.out());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error: ")).count(), r.err());
        assertTrue(r.err().contains("error: diagnostics failed for 2 run(s), whose training and scores are kept"), r.err());
        assertTrue(r.err().contains("has no module model.layers.0.mlp.nope_proj"), r.err());
        Path off = Files.writeString(tmp.resolve("no-diag.yaml"), Files.readString(config)
                + "diagnostics: {enabled: false}\n");
        CliRunner quiet = CliRunner.run("arena", "--config", off.toString(), "--workdir", work.toString(),
                "--no-progress", "--no-report");
        assertEquals(0, quiet.exitCode(), "switched off, earlier diagnostics failures do not fail the command");
        assertTrue(!quiet.out().contains("diagnostics:") && !quiet.err().contains("error:"), quiet.err());
    }

    /** Every path under a directory, with size and modification time for files. */
    private static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().map(p -> {
                try {
                    return dir.relativize(p) + (Files.isRegularFile(p)
                            ? " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis() : "/");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    @Order(6)
    void reportReadsAReadOnlyWorkdirAndWritesOnlyItsOut() throws Exception {
        List<String> before = tree(work);
        Set<PosixFilePermission> readOnly = PosixFilePermissions.fromString("r-xr-xr-x");
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(work)) {
            dirs = s.toList();
        }
        try {
            for (Path p : dirs) {
                Files.setPosixFilePermissions(p, Files.isDirectory(p) ? readOnly : PosixFilePermissions.fromString("r--r--r--"));
            }
            Path out = tmp.resolve("rep-from-read-only");
            CliRunner rep = CliRunner.run("report", "--workdir", work.toString(), "--out", out.toString());
            assertEquals(0, rep.exitCode(), rep.err());
            assertTrue(Files.size(out.resolve("report.html")) > 0);
            // as root the permissions do not bind (the registry then opens writable); other users get the read-only path
            assertEquals(before, tree(work), "report created, left or changed files in the workdir");
        } finally {
            for (Path p : dirs) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    @Test
    @Order(7)
    void withoutWorkdirTheArenaWorksInArenaWorkUnderItsName() throws Exception {
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Path model = Path.of("../../models/tiny-europarl").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "arena", "--plan-only", "--base-model",
                model.toString()).directory(cwd.toFile()).redirectError(tmp.resolve("plan-err.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "arena --plan-only did not end");
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("plan-err.txt")));
        Path plan = cwd.resolve("arena-work/quick/plan.json").toRealPath();
        assertTrue(out.contains("plan: " + plan), "the quick preset's work directory is arena-work/quick: " + out);
    }
}
