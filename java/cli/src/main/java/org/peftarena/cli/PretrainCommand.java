package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.train.pretrain.Pretrain;
import org.peftarena.train.pretrain.PretrainOptions;
import org.peftarena.train.pretrain.PretrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Pretrains the embedded base model from scratch with a named recipe. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Pretrain a base model from scratch on the general mixture (Europarl en/fr/es + addition)",
                "and write a Hugging Face model directory with a model card."})
final class PretrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--recipe", description = "Recipe name (default ${DEFAULT-VALUE}; the only one so far).")
    String recipe = "tiny-europarl";

    @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("tiny-europarl");

    @picocli.CommandLine.Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--steps", description = "Optimizer steps (default: the recipe's, " + PretrainOptions.DEFAULT_STEPS + ").")
    Integer steps;

    @Override
    public Integer call() throws Exception {
        if (!"tiny-europarl".equals(recipe)) {
            throw new ParameterException(spec.commandLine(), "unknown recipe '" + recipe + "' (known: tiny-europarl)");
        }
        PretrainOptions options = PretrainOptions.tinyEuroparl(out);
        if (steps != null) {
            if (steps < 1) {
                throw new ParameterException(spec.commandLine(), "--steps must be >= 1");
            }
            options = options.withSteps(steps);
        }
        StatusLines status = TrainingStatus.on(spec.commandLine().getErr());
        PretrainOptions run = options;
        PretrainResult result = TrainingStatus.run(status, () -> Pretrain.run(run, TrainingStatus.tenths(status)));
        PrintWriter w = spec.commandLine().getOut();
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("out", out.toString());
        doc.put("parameters", result.parameters());
        doc.put("steps", result.steps());
        doc.put("tokens", result.tokens());
        doc.put("seconds", result.seconds());
        doc.put("final_loss", result.finalLoss());
        doc.put("scores", result.scores());
        json.emit(w, doc);
        if (json.replacesText()) {
            return 0;
        }
        w.printf("wrote %s: %,d parameters, %d steps, %,d tokens in %.0f s (%.0f tok/s)%n", out, result.parameters(),
                result.steps(), result.tokens(), result.seconds(), result.tokensPerSecond());
        w.println("final validation scores: " + ProgressText.scores(result.scores()));
        w.flush();
        return 0;
    }
}
