package org.peftarena.cli;

import org.peftarena.train.AdamWConfig;
import org.peftarena.train.rl.GrpoAdvantages;
import org.peftarena.train.rl.GrpoLoss;
import org.peftarena.train.rl.RlOptions;
import org.peftarena.train.rl.RlTasks;
import org.peftarena.train.rl.Rewards;
import org.peftarena.train.rl.SamplingOptions;
import picocli.CommandLine.Option;

/** The options of {@code train --regime rl} (GRPO); the optimizer, schedule, seed and checkpoint options are shared with SFT. */
final class RlTrainOptions {
    @Option(names = "--reward", paramLabel = "NAME", description = "RL: reward (exact-match, format; default exact-match).")
    String reward = Rewards.defaultName();

    @Option(names = "--prompt-batch", defaultValue = "" + RlOptions.DEFAULT_PROMPT_BATCH,
            description = "RL: prompts per rollout step (default ${DEFAULT-VALUE}).")
    int promptBatch;

    @Option(names = "--group-size", defaultValue = "" + RlOptions.DEFAULT_GROUP_SIZE,
            description = "RL: completions sampled per prompt (default ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--mini-batches", defaultValue = "" + RlOptions.DEFAULT_MINI_BATCHES,
            description = "RL: optimizer updates per rollout step (default ${DEFAULT-VALUE}).")
    int miniBatches;

    @Option(names = "--max-new-tokens", paramLabel = "N",
            description = "RL: longest completion in tokens (default: 1 for builtin:arithmetic, whose answer is the "
                    + "sum's leading digit; " + RlOptions.DEFAULT_MAX_NEW_TOKENS + " for JSONL tasks).")
    Integer maxNewTokens;

    @Option(names = "--temperature", defaultValue = "" + SamplingOptions.DEFAULT_TEMPERATURE,
            description = "RL: sampling temperature of the rollouts (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "RL: sample among the k most likely tokens (0: all; default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--clip-ratio", defaultValue = "" + GrpoLoss.DEFAULT_CLIP,
            description = "RL: PPO clip range of the probability ratio (default ${DEFAULT-VALUE}).")
    double clipRatio;

    @Option(names = "--norm-adv-by-std", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "RL: divide advantages by the group's standard deviation (default on; --no-norm-adv-by-std turns it off).")
    boolean normAdvByStd;

    @Option(names = "--kl-coef", defaultValue = "0", description = "RL: weight of a KL penalty to the frozen base (default ${DEFAULT-VALUE}: none).")
    double klCoef;

    /** The recipe with the shared optimizer settings, for problems from {@code data} (a builtin or JSONL source). */
    RlOptions options(String data, int steps, AdamWConfig adamW, double warmup, double clip, long seed, int checkpointEvery) {
        int length = maxNewTokens != null ? maxNewTokens : RlTasks.defaultMaxNewTokens(data);
        return new RlOptions(steps, promptBatch, groupSize, miniBatches, new SamplingOptions(length, temperature, topK),
                clipRatio, normAdvByStd, GrpoAdvantages.DEFAULT_EPS, klCoef, adamW, warmup, clip, seed, checkpointEvery);
    }
}
