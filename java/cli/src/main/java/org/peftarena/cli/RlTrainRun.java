package org.peftarena.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.model.Autocast;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftConfig;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.rl.Reward;
import org.peftarena.train.rl.RlDefaultLearningRates;
import org.peftarena.train.rl.Rewards;
import org.peftarena.train.rl.RlOptions;
import org.peftarena.train.rl.RlProblem;
import org.peftarena.train.rl.RlResult;
import org.peftarena.train.rl.RlTasks;
import org.peftarena.train.rl.RlTrainer;
import org.peftarena.train.sft.SftTrainer;

/** {@code train --regime rl}: one GRPO run with the train command's shared and RL options. */
final class RlTrainRun {
    private RlTrainRun() {}

    static Integer run(TrainCommand c, Path outDir) throws Exception {
        PeftConfig config = c.method.options().configFor(c.method.parsedMethod());
        double peak = c.lr != null ? c.lr : RlDefaultLearningRates.forMethod(config.method());
        RlOptions options = c.rl.options(c.data, c.steps, new AdamWConfig(peak, AdamWConfig.DEFAULT_BETA1, AdamWConfig.DEFAULT_BETA2,
                AdamWConfig.DEFAULT_EPSILON, c.weightDecay), c.warmup, c.clip, c.seed, c.checkpointEvery)
                .withAutocast(Autocast.parse(c.autocast));
        Reward reward = Rewards.named(c.rl.reward);
        List<RlProblem> problems = RlTasks.load(c.data, c.seed);
        LlamaModel model = Float32Models.load(c.base).moveTo(c.where.torch());
        model.setGradientCheckpointing(c.gradientCheckpointing);
        LlamaModel reference = options.klCoef() > 0 ? Float32Models.load(c.base).moveTo(c.where.torch()) : null;
        PrintWriter w = c.spec.commandLine().getOut();
        RlResult result;
        StatusLines status = TrainingStatus.on(c.spec.commandLine().getErr());
        try (TextTokenizer tokenizer = Tokenizers.load(c.base)) {
            result = TrainingStatus.run(status, () -> RlTrainer.train(model, reference, tokenizer, problems, reward, config,
                    c.method.targetModules(), options, new SftTrainer.Output(outDir, c.resume, c.base.toAbsolutePath().toString()),
                    TrainingStatus.everySteps(status, c.logEvery)));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("regime", "rl");
        summary.put("method", config.method().cliName());
        summary.put("config", Json.config(config));
        summary.put("device", c.where.toString());
        summary.put("autocast", options.autocast().cliName());
        summary.put("gradient_checkpointing", c.gradientCheckpointing);
        summary.put("trainable_parameters", result.model().trainableCount());
        summary.put("steps", c.steps);
        summary.put("resumed_from", result.resumedFrom());
        summary.put("learning_rate", peak);
        summary.put("reward", reward.name());
        summary.put("max_new_tokens", options.sampling().maxNewTokens());
        List<Double> r = result.meanRewards();
        summary.put("first_mean_reward", r.isEmpty() ? null : r.get(0));
        summary.put("final_mean_reward", r.isEmpty() ? null : r.get(r.size() - 1));
        summary.put("rollout_seconds", round(result.times().rolloutSeconds()));
        summary.put("reward_seconds", round(result.times().rewardSeconds()));
        summary.put("update_seconds", round(result.times().updateSeconds()));
        summary.put("out", c.out.toString());
        c.json.emit(w, summary);
        if (!c.json.replacesText()) {
            Map<String, Object> text = new LinkedHashMap<>(summary);
            text.put("config", config.toString());
            text.forEach((k, v) -> w.printf("%-22s %s%n", k, v));
        }
        w.flush();
        return 0;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}
