package org.peftarena.train.pretrain;

import java.nio.file.Path;
import java.util.Map;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tiny-europarl recipe from a plain classpath: {@code PretrainMain <output dir> [steps]};
 * progress goes to the SLF4J log.
 */
public final class PretrainMain {
    private static final Logger LOG = LoggerFactory.getLogger(PretrainMain.class);

    private PretrainMain() {
    }

    /** @param args output directory, optional step count */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: PretrainMain <output dir> [steps]");
        }
        PretrainOptions options = PretrainOptions.tinyEuroparl(Path.of(args[0]));
        if (args.length == 2) {
            options = options.withSteps(Integer.parseInt(args[1]));
        }
        PretrainResult r = Pretrain.run(options, new ProgressListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() % 25 == 0 || p.step() == p.totalSteps()) {
                    LOG.info(String.format("step %d/%d loss %.4f lr %.2e grad-norm %.3f %.0f tok/s", p.step(),
                            p.totalSteps(), p.loss(), p.learningRate(), p.gradNorm(), p.tokensPerSecond()));
                }
            }

            @Override
            public void onEvaluation(int step, Map<String, Double> scores) {
                LOG.info("validation at step {}: {}", step, scores);
            }

            @Override
            public void onPhase(String description) {
                LOG.info(description);
            }
        });
        LOG.info("done: {} parameters, {} tokens in {} s, scores {}", r.parameters(), r.tokens(),
                Math.round(r.seconds()), r.scores());
    }
}
