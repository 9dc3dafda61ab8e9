package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.peftarena.train.pretrain.Pretrain;
import org.peftarena.train.pretrain.PretrainOptions;
import org.peftarena.train.pretrain.PretrainResult;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingProgress;
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
        PrintWriter err = spec.commandLine().getErr();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress p) {
                double eta = p.step() > 0 ? p.elapsedSeconds() / p.step() * (p.totalSteps() - p.step()) : 0;
                err.print("\r" + ProgressText.bar(p.fractionDone(), 30)
                        + String.format(" step %d/%d loss %.4f %.0f tok/s ETA %s   ", p.step(), p.totalSteps(), p.loss(),
                        p.tokensPerSecond(), ProgressText.duration(eta)));
                err.flush();
            }

            @Override
            public void onEvaluation(int step, Map<String, Double> scores) {
                err.printf("%nvalidation at step %d: %s%n", step, scores);
                err.flush();
            }

            @Override
            public void onPhase(String description) {
                err.println(description);
                err.flush();
            }
        };
        PretrainResult result = Pretrain.run(options, listener);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("%nwrote %s: %,d parameters, %d steps, %,d tokens in %.0f s (%.0f tok/s)%n", out, result.parameters(),
                result.steps(), result.tokens(), result.seconds(), result.tokensPerSecond());
        w.println("final validation scores: " + result.scores());
        w.flush();
        return 0;
    }
}
