package org.peftarena.arena.eval;

/**
 * How models are scored.
 *
 * @param maxTokens       scored positions per text task (0 = the whole test split)
 * @param problems        test problems per generated problem task (user problem tasks use all of theirs, up to this)
 * @param window          tokens per evaluation window (0 = the model's {@code max_position_embeddings})
 * @param batchSize       windows or prompts per forward pass
 * @param seed            seed of the generated test problems (the same for every run of an arena)
 * @param trajectoryEvery training steps between scored checkpoints along the run (0 = only the final model);
 *                        a multiple of the training's checkpoint interval
 * @param sampling        which documents of a text task's test split are scored: {@code seeded} (the default:
 *                        whole documents in an order drawn from {@code seed} and the task's name, across the
 *                        whole split, until {@code maxTokens}) or {@code in_order} (file order)
 * @param passSamples     completions sampled per problem of an RL task for pass@k (null: {@link #DEFAULT_PASS_SAMPLES});
 *                        pass@k is reported for k = 1, 2, 4, 8, 16 up to this number; left out of the JSON when null
 */
public record EvaluationSettings(long maxTokens, int problems, int window, int batchSize, long seed,
                                 int trajectoryEvery, String sampling,
                                 @com.fasterxml.jackson.annotation.JsonInclude(
                                         com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                                 Integer passSamples) {
    /** Documents in an order drawn from the seed. */
    public static final String SEEDED = "seeded";
    /** Documents in file order. */
    public static final String IN_ORDER = "in_order";

    /** Default completions per RL problem for pass@k. */
    public static final int DEFAULT_PASS_SAMPLES = 16;

    /** Settings with the default pass@k samples. */
    public EvaluationSettings(long maxTokens, int problems, int window, int batchSize, long seed, int trajectoryEvery,
                              String sampling) {
        this(maxTokens, problems, window, batchSize, seed, trajectoryEvery, sampling, null);
    }

    /** Settings with seeded document sampling. */
    public EvaluationSettings(long maxTokens, int problems, int window, int batchSize, long seed, int trajectoryEvery) {
        this(maxTokens, problems, window, batchSize, seed, trajectoryEvery, SEEDED);
    }

    /** Validates the numbers. */
    public EvaluationSettings {
        sampling = sampling == null ? SEEDED : sampling;
        if (!sampling.equals(SEEDED) && !sampling.equals(IN_ORDER)) {
            throw new IllegalArgumentException("evaluation.sampling must be " + SEEDED + " or " + IN_ORDER + ", got '"
                    + sampling + "'");
        }
        if (passSamples != null && passSamples < 1) {
            throw new IllegalArgumentException("evaluation.pass_samples must be >= 1, got " + passSamples);
        }
        if (maxTokens < 0 || problems < 1 || window < 0 || window == 1 || batchSize < 1 || trajectoryEvery < 0) {
            throw new IllegalArgumentException("invalid evaluation settings: max_tokens=" + maxTokens + " problems="
                    + problems + " window=" + window + " batch_size=" + batchSize + " trajectory_every="
                    + trajectoryEvery);
        }
    }

    /** Completions sampled per RL problem. */
    public int passSamplesOrDefault() {
        return passSamples == null ? DEFAULT_PASS_SAMPLES : passSamples;
    }

    /** The window to use for a model whose context is {@code maxPositions} tokens. */
    public int windowFor(int maxPositions) {
        return window == 0 ? maxPositions : Math.min(window, maxPositions);
    }
}
