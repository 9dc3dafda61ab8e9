package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.peftarena.arena.ArenaRunner;
import org.peftarena.arena.importer.ExternalScoreReader;
import org.peftarena.arena.importer.ScoreImporter;
import org.peftarena.arena.registry.RunRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Adds externally computed scores to a run registry so the report analyses them like local runs. */
@Command(name = "import-scores", mixinStandardHelpOptions = true,
        description = {"Import scores computed elsewhere (CSV with a header, or JSON): columns run (or adapter), "
                + "alpha (default 1), target, general, and optionally method, budget, target_task, params.",
                "A run naming a registered run adds to it; others become external runs; run 'base' (or method "
                        + "'base') is the reference of its target_task."})
final class ImportScoresCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "CSV or JSON score file.")
    Path file;

    @Option(names = "--workdir", required = true, paramLabel = "DIR", description = "The registry's work directory.")
    Path workdir;

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws java.io.IOException {
        java.nio.file.Path db = ArenaRunner.registryFile(workdir);
        if (!java.nio.file.Files.isRegularFile(db)) {
            // as report does: creating a registry here would make a stray workdir out of a typo
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "no run registry in " + workdir + " (expected " + db + ")");
        }
        var scores = ExternalScoreReader.read(file);
        ScoreImporter.Summary s;
        try (RunRegistry registry = RunRegistry.open(ArenaRunner.registryFile(workdir))) {
            s = ScoreImporter.apply(registry, scores);
        }
        PrintWriter o = spec.commandLine().getOut();
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("scores", s.scores());
        doc.put("attached", s.attached());
        doc.put("created", s.created());
        doc.put("registry", db.toString());
        json.emit(o, doc);
        if (json.replacesText()) {
            return 0;
        }
        o.printf("imported %d score(s): %d model(s) added to registered runs, %d external model(s)%n", s.scores(),
                s.attached(), s.created());
        o.println("next: peft-arena report --workdir " + workdir);
        o.flush();
        return 0;
    }
}
