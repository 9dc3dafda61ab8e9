package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.arena.exec.PlanFile;
import org.peftarena.arena.exec.RunManifest;
import org.peftarena.arena.exec.RunUnit;
import org.peftarena.arena.run.RunListener;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.model.Threads;
import org.peftarena.train.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs exactly one planned run as a self-contained unit (what each task of a job array does). */
@Command(name = "run-one", mixinStandardHelpOptions = true,
        description = {"Run one run of a planned arena: training (resumed from its last checkpoint after an "
                + "interruption), scores along the path, diagnostics, post-hoc path and rewinding.",
                "Writes only inside WORKDIR/runs/<id>/ and ends with its manifest.json; the registry is left to "
                        + "the coordinator ('arena' or 'arena collect')."})
final class ArenaRunOneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--workdir", required = true, paramLabel = "DIR", description = "The arena's work directory (holds plan.json).")
    Path workdir;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--run", required = true, paramLabel = "ID",
            description = "Run id from plan.json, or its index in plan order.")
    String run;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workdir.toAbsolutePath().normalize();
        PlanFile plan = PlanFile.read(dir);
        RunSpec s;
        try {
            s = plan.run(run);
        } catch (IllegalArgumentException e) {
            err.println("run-one: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        Threads.Settings threads = Threads.configureDefaults();
        err.printf(Locale.ROOT, "run-one %s (threads: %s)%n", s.id(), threads);
        err.flush();
        RunManifest m = new RunUnit(dir, plan).run(s, new RunListener() {
            @Override
            public void phase(String description) {
                err.println("  " + description);
                err.flush();
            }

            @Override
            public void step(TrainingProgress p) {
                if (p.step() == p.totalSteps() || p.step() % Math.max(1, p.totalSteps() / 10) == 0) {
                    err.printf(Locale.ROOT, "  step %d/%d loss %.4f%n", p.step(), p.totalSteps(), p.loss());
                    err.flush();
                }
            }

            @Override
            public void evaluated(int step, Map<String, Double> scores) {
                err.printf(Locale.ROOT, "  scores at step %d: %s%n", step, ProgressText.scores(scores));
                err.flush();
            }
        });
        if (!json.replacesText()) {
            out.printf(Locale.ROOT, "%s %s%s%n", s.id(), m.status(), m.error() == null ? "" : ": " + m.error());
            out.flush();
        }
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("run", s.id());
        doc.put("status", m.status());
        doc.put("error", m.error());
        json.emit(out, doc);
        return m.finished() ? 0 : Main.EXIT_FAILURE;
    }
}
