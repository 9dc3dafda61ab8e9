package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.peft.BudgetMatcher;
import org.peftarena.peft.BudgetReport;
import org.peftarena.peft.ModelShape;
import org.peftarena.peft.ModelShapeReader;
import org.peftarena.peft.ParameterBudget;
import org.peftarena.peft.PeftConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a method's trainable parameter count per layer type, from a model's config.json alone. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = "Count the trainable parameters of a PEFT method on a model (config.json only), or pick the size matching a budget.")
final class ParamsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model-config", required = true, paramLabel = "FILE",
            description = "The model's config.json (or its directory).")
    Path modelConfig;

    @Mixin
    MethodOptionsMixin method;

    @Option(names = "--match-budget", paramLabel = "N",
            description = "Choose the rank / block size whose count is closest to N trainable parameters.")
    Long matchBudget;

    @Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws java.io.IOException {
        ModelShape shape = ModelShapeReader.read(modelConfig);
        PeftConfig config = method.options().configFor(method.parsedMethod());
        BudgetReport report = matchBudget == null
                ? ParameterBudget.count(shape, config, method.targetModules())
                : BudgetMatcher.match(shape, config, method.targetModules(), matchBudget);
        PrintWriter out = spec.commandLine().getOut();
        json.emit(out, toMap(report));
        if (!json.replacesText()) {
            out.printf("method  %s  %s%n", report.config().method().cliName(), report.config());
            report.perModule().forEach((k, v) -> out.printf("%-10s %,15d%n", k, v));
            if (report.blockExtra() > 0) {
                out.printf("%-10s %,15d%n", "norms", report.blockExtra());
            }
            out.printf("%-10s %,15d%n", "total", report.total());
            if (matchBudget != null) {
                out.printf("budget     %,15d  (difference %+,d)%n", matchBudget, report.total() - matchBudget);
            }
            report.notes().forEach(n -> out.println("note: " + n));
        }
        out.flush();
        return 0;
    }

    private Map<String, Object> toMap(BudgetReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.config().method().cliName());
        m.put("size", r.config().size());
        m.put("config", Json.config(r.config()));
        m.put("per_module", r.perModule());
        m.put("block_extra", r.blockExtra());
        m.put("total", r.total());
        m.put("targeted_modules", r.targetedModules());
        m.put("budget", matchBudget);
        m.put("notes", r.notes());
        return m;
    }
}
