package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.train.sft.CharTokenizer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.model.Autocast;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.full.FullMethod;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftMethod;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingProgress;
import org.peftarena.train.sft.SftCheckpoints;
import org.peftarena.train.sft.SftTrainer;

/** GRPO end to end on a toy task: the rewarded answer becomes more likely, resume is exact, a failing reward stops cleanly. */
class RlTrainerTest {
    private static final CharTokenizer TOKENIZER = new CharTokenizer("abcd0123=");
    /** The toy task: after "N=" answer the letter 'a'; any other completion earns nothing. */
    private static final List<RlProblem> PROBLEMS = List.of(new RlProblem("0=", "a"), new RlProblem("1=", "a"),
            new RlProblem("2=", "a"), new RlProblem("3=", "a"));

    static LlamaModel model() throws Exception {
        LlamaConfig c = LlamaConfig.parse("tiny", """
                {"model_type": "llama", "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 12, "max_position_embeddings": 32,
                 "rms_norm_eps": 1e-6, "rope_theta": 10000.0, "tie_word_embeddings": false}""");
        return new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, 11, 0.1));
    }

    static RlOptions options(int steps, double lr, int checkpointEvery) {
        return new RlOptions(steps, 4, 8, 2, new SamplingOptions(1, 1.0, 0), 0.2, true, 1e-6, 0.0,
                AdamWConfig.withLearningRate(lr), 0.0, 1.0, 5, checkpointEvery);
    }

    /** Mean probability of the first completion token being 'a' over the toy prompts. */
    @SuppressWarnings("try") // scope guards used for their extent
    static double probabilityOfA(LlamaModel model) {
        RolloutSampler sampler = new RolloutSampler(model, TOKENIZER);
        int a = TOKENIZER.encode("a")[0];
        double sum = 0;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (RlProblem p : PROBLEMS) {
                int[] prompt = sampler.encodePrompt(p.prompt());
                PolicyBatch b = new PolicyBatch(List.of(new Rollout(p, prompt, new int[] {a}, "a", 1)), 0);
                sum += Math.exp(HostTensors.toFloats(b.tokenLogProbs(model))[0]);
            }
        }
        return sum / PROBLEMS.size();
    }

    static RlResult train(PeftConfig config, RlOptions options, Reward reward, Path out, boolean resume,
                          ProgressListener listener) throws Exception {
        return RlTrainer.train(model(), null, TOKENIZER, PROBLEMS, reward, config, TargetModules.ALL_LINEAR, options,
                out == null ? null : new SftTrainer.Output(out, resume, "tiny"), listener);
    }

    static Stream<Arguments> methods() {
        return Stream.of(
                Arguments.of("full", MethodOptions.DEFAULTS.configFor(FullMethod.ID), 3e-3),
                Arguments.of("lora", new LoraConfig(4, 8), 2e-2),
                Arguments.of("oft", MethodOptions.DEFAULTS.with(MethodOption.BLOCK_SIZE, 8).configFor(OftMethod.ID), 2e-2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void theRewardedAnswerBecomesMoreLikely(String name, PeftConfig config, double lr) throws Exception {
        double before = probabilityOfA(model());
        RlResult r = train(config, options(12, lr, 0), new ExactMatchReward(), null, false, ProgressListener.NONE);
        double after = probabilityOfA(r.model().model());
        assertTrue(after > before + 0.2, name + ": p(a) " + before + " -> " + after);
        assertEquals(12, r.losses().size());
        assertEquals(12, r.meanRewards().size());
        assertTrue(r.meanRewards().get(11) > r.meanRewards().get(0), name + ": rewards " + r.meanRewards());
        assertTrue(r.times().rolloutSeconds() > 0 && r.times().updateSeconds() > 0, r.times().toString());
        assertEquals(12L * 4 * 8, r.tokens(), name + ": one sampled token per completion, 32 completions per step");
    }

    @Test
    @SuppressWarnings("try") // the capture is used for its extent
    void bf16AutocastRunsRolloutsAndUpdatesInBfloat16AndTheRewardedAnswerStillBecomesMoreLikely() throws Exception {
        LlamaModel m = model();
        double before = probabilityOfA(m);
        java.util.Set<String> outputs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        RlResult r;
        try (AutoCloseable c = m.linears().capture(n -> true,
                (module, input, output, mask) -> outputs.add(output.scalar_type().intern().toString()))) {
            r = RlTrainer.train(m, null, TOKENIZER, PROBLEMS, new ExactMatchReward(), new LoraConfig(4, 8),
                    TargetModules.ALL_LINEAR, options(12, 2e-2, 0).withAutocast(Autocast.BF16), null, ProgressListener.NONE);
        }
        assertEquals(java.util.Set.of("BFloat16"), outputs, "every linear layer ran under autocast");
        double after = probabilityOfA(r.model().model());
        assertTrue(after > before + 0.2, "p(a) " + before + " -> " + after);
        assertTrue(r.losses().stream().allMatch(Double::isFinite), r.losses().toString());
    }

    @Test
    void aFloat32RecipeReadsAsBeforeAutocastExistedSoOldCheckpointsResume() {
        // the text of RlOptions.recipe(3, 1e-3, 7) as the record printed it before it had an autocast
        assertEquals("RlOptions[steps=3, promptBatch=8, groupSize=8, miniBatches=2, sampling=SamplingOptions[maxNewTokens=8,"
                + " temperature=1.0, topK=0], clip=0.2, normAdvByStd=true, advantageEps=1.0E-6, klCoef=0.0,"
                + " adamW=AdamWConfig[learningRate=0.001, beta1=0.9, beta2=0.95, epsilon=1.0E-8, weightDecay=0.01],"
                + " warmupFraction=0.1, clipNorm=1.0, seed=7, checkpointEvery=0]", RlOptions.recipe(3, 1e-3, 7).toString());
        assertTrue(RlOptions.recipe(3, 1e-3, 7).withAutocast(Autocast.BF16).toString().endsWith(", checkpointEvery=0, autocast=bf16]"));
        assertEquals(Autocast.BF16, RlOptions.recipe(3, 1e-3, 7).withAutocast(Autocast.BF16).withCheckpointEvery(2).autocast());
    }

    /** Thrown by the listener to stop a run as a crash would. */
    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("interrupted");
        }
    }

    private static ProgressListener interruptAt(int step) {
        return new ProgressListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() == step) {
                    throw new Interrupted();
                }
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void anInterruptedAndResumedRunEqualsTheUninterruptedOne(String name, PeftConfig config, double lr, @TempDir Path dir)
            throws Exception {
        RlOptions opts = options(5, lr, 2);
        RlResult straight = train(config, opts, new ExactMatchReward(), dir.resolve("straight"), false, ProgressListener.NONE);
        Path out = dir.resolve("interrupted");
        assertThrows(Interrupted.class, () -> train(config, opts, new ExactMatchReward(), out, false, interruptAt(3)));
        assertEquals(Path.of("step-000002"), SftCheckpoints.latest(out).orElseThrow().getFileName());
        RlResult resumed = train(config, opts, new ExactMatchReward(), out, true, ProgressListener.NONE);
        assertEquals(2, resumed.resumedFrom());
        assertEquals(straight.losses(), resumed.losses(), name + ": losses");
        assertEquals(straight.meanRewards().subList(2, 5), resumed.meanRewards(), name + ": rewards after the resume");
        Map<String, Tensor> expected = straight.model().trainableParameters();
        Map<String, Tensor> actual = resumed.model().trainableParameters();
        for (String p : expected.keySet()) {
            assertArrayEquals(HostTensors.toFloats(expected.get(p)), HostTensors.toFloats(actual.get(p)), name + ": " + p);
        }
    }

    @Test
    void adaptersAreSavedInHfPeftLayout(@TempDir Path dir) throws Exception {
        train(new LoraConfig(4, 8), options(2, 2e-2, 0), new ExactMatchReward(), dir, false, ProgressListener.NONE);
        assertTrue(Files.isRegularFile(dir.resolve("adapter_config.json")));
        assertEquals(new LoraConfig(4, 8), AdapterIO.load(dir).config());
    }

    @Test
    void stepsWithoutAdvantageAreNoCollapse() throws Exception {
        // every completion earns the same reward: every group has advantage 0, so every step has a zero gradient
        Reward constant = new Reward() {
            @Override
            public String name() {
                return "constant";
            }

            @Override
            public double score(RlProblem problem, String completion) {
                return 1.0;
            }
        };
        List<Double> norms = new java.util.ArrayList<>();
        ProgressListener record = new ProgressListener() {
            @Override
            public void onStep(TrainingProgress p) {
                norms.add(p.gradNorm());
            }
        };
        int steps = 2 * org.peftarena.train.CollapseCheck.DEFAULT_STEPS;
        RlResult r = train(new LoraConfig(4, 8), options(steps, 2e-2, 0), constant, null, false, record);
        assertEquals(steps, r.losses().size(), "the run goes on to the end");
        assertEquals(java.util.Collections.nCopies(steps, 0.0), norms, "zero advantage, zero gradient");
    }

    @Test
    void aPolicyWhoseRewardFallsToZeroForGoodIsWarnedAboutAndTrainsOn() throws Exception {
        int[] calls = {0};
        Reward dropsAfterThreeSteps = new Reward() {
            @Override
            public String name() {
                return "drops";
            }

            @Override
            public double score(RlProblem problem, String completion) {
                // 32 completions per step: one earns 1 in each of the first 3 steps, none afterwards
                int c = calls[0]++;
                return c < 3 * 32 && c % 32 == 0 ? 1.0 : 0.0;
            }
        };
        int steps = 3 + RewardCollapseCheck.DEFAULT_STEPS + 2;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        RlResult r;
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            r = train(new LoraConfig(4, 8), options(steps, 2e-2, 0), dropsAfterThreeSteps, null, false, ProgressListener.NONE);
        } finally {
            System.setErr(err);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(steps, r.losses().size(), "the run goes on to the end");
        String expected = "step " + (3 + RewardCollapseCheck.DEFAULT_STEPS) + ": the policy has collapsed: its mean training "
                + "reward has been exactly 0 for 20 steps since step 4";
        assertTrue(log.contains(expected), log);
        assertEquals(1, log.lines().filter(l -> l.contains("the policy has collapsed")).count(), log);
    }

    @Test
    void aRewardReturningNaNStopsTheRunKeepingTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        int[] calls = {0};
        Reward failsInStepFour = new Reward() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public double score(RlProblem problem, String completion) {
                // 32 completions per step: the first of step 4 returns NaN
                return calls[0]++ == 3 * 32 ? Double.NaN : 0.0;
            }
        };
        RewardException e = assertThrows(RewardException.class,
                () -> train(new LoraConfig(4, 8), options(6, 2e-2, 2), failsInStepFour, dir, false, ProgressListener.NONE));
        Path last = dir.resolve(SftCheckpoints.DIR).resolve("step-000002");
        assertTrue(e.getMessage().contains("'flaky' returned NaN") && e.getMessage().contains("before updating step 4")
                && e.getMessage().contains("the last good checkpoint is " + last), e.getMessage());
        assertEquals(last, SftCheckpoints.latest(dir).orElseThrow());
        assertTrue(Files.isRegularFile(last.resolve(SftCheckpoints.STATE_FILE)));

        calls[0] = 0;
        Reward throwsAtOnce = new Reward() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public double score(RlProblem problem, String completion) {
                throw new IllegalStateException("no verifier");
            }
        };
        e = assertThrows(RewardException.class,
                () -> train(new LoraConfig(4, 8), options(6, 2e-2, 2), throwsAtOnce, null, false, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("no verifier") && e.getMessage().contains("no checkpoint was written"), e.getMessage());
    }
}
