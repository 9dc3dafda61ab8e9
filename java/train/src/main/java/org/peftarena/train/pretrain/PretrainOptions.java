package org.peftarena.train.pretrain;

import java.nio.file.Path;
import java.util.List;
import org.peftarena.model.Threads;

/**
 * Recipe of a pretraining run on the general mixture (Europarl text of some languages plus
 * generated addition problems), with the "tiny-europarl" values as defaults.
 *
 * @param outputDir         model directory to write (created; existing files are replaced)
 * @param seed              seed of weights, data order and evaluation problems
 * @param steps             optimizer steps, >= 1
 * @param batchSize         rows per step, >= 1
 * @param contextLength     tokens per row (also the model's max_position_embeddings), >= 8
 * @param learningRate      peak AdamW learning rate (10% warm-up, cosine decay to 0)
 * @param hiddenSize        model width
 * @param numLayers         decoder blocks
 * @param numHeads          query heads
 * @param numKvHeads        key/value heads
 * @param intermediateSize  SwiGLU width
 * @param languages         Europarl languages of the text part, e.g. en, fr, es
 * @param additionShare     fraction of rows made of addition problems, in [0, 1)
 * @param additionDigits    largest operand digit count of the addition problems
 * @param evalEvery         steps between quick validation evaluations (0 = only at the end)
 * @param quickEvalTokens   scored positions per language in the quick evaluations
 * @param finalEvalTokens   scored positions per language in the final evaluation (0 = whole split)
 * @param evalProblems      addition problems in each evaluation
 * @param threads           LibTorch / OpenBLAS threads, or null for {@link Threads#defaults()}
 */
public record PretrainOptions(Path outputDir, long seed, int steps, int batchSize, int contextLength,
                              double learningRate, int hiddenSize, int numLayers, int numHeads, int numKvHeads,
                              int intermediateSize, List<String> languages, double additionShare,
                              int additionDigits, int evalEvery, long quickEvalTokens, long finalEvalTokens,
                              int evalProblems, Threads.Settings threads) {
    /** Name of the shipped recipe. */
    public static final String TINY_EUROPARL = "tiny-europarl";
    /** Default seed. */
    public static final long DEFAULT_SEED = 20240611L;
    /** Default number of steps. */
    public static final int DEFAULT_STEPS = 800;
    /** Default rows per step. */
    public static final int DEFAULT_BATCH = 16;
    /** Default context length. */
    public static final int DEFAULT_CONTEXT = 128;
    /** Default peak learning rate. */
    public static final double DEFAULT_LR = 2e-3;
    /** Languages of the general mixture. */
    public static final List<String> GENERAL_LANGUAGES = List.of("en", "fr", "es");
    /** Share of addition rows. */
    public static final double DEFAULT_ADDITION_SHARE = 0.25;

    /** Validates the numbers. */
    public PretrainOptions {
        languages = List.copyOf(languages);
        if (steps < 1 || batchSize < 1 || contextLength < 8 || !(learningRate > 0) || languages.isEmpty()
                || !(additionShare >= 0 && additionShare < 1) || evalEvery < 0 || evalProblems < 0
                || quickEvalTokens < 0 || finalEvalTokens < 0) {
            throw new IllegalArgumentException("invalid pretraining options: " + "steps=" + steps + " batch="
                    + batchSize + " context=" + contextLength + " lr=" + learningRate + " languages=" + languages
                    + " additionShare=" + additionShare);
        }
        if (hiddenSize % numHeads != 0 || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("hidden size " + hiddenSize + " / heads " + numHeads + " / kv heads "
                    + numKvHeads + " do not divide");
        }
    }

    /** The shipped "tiny-europarl" recipe writing to {@code outputDir}. */
    public static PretrainOptions tinyEuroparl(Path outputDir) {
        return new PretrainOptions(outputDir, DEFAULT_SEED, DEFAULT_STEPS, DEFAULT_BATCH, DEFAULT_CONTEXT,
                DEFAULT_LR, 192, 4, 6, 2, 512, GENERAL_LANGUAGES, DEFAULT_ADDITION_SHARE, 3, 200, 2048, 32768, 200,
                null);
    }

    /** The same recipe with another step count. */
    public PretrainOptions withSteps(int newSteps) {
        return new PretrainOptions(outputDir, seed, newSteps, batchSize, contextLength, learningRate, hiddenSize,
                numLayers, numHeads, numKvHeads, intermediateSize, languages, additionShare, additionDigits,
                evalEvery, quickEvalTokens, finalEvalTokens, evalProblems, threads);
    }
}
