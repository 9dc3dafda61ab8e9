package org.peftarena.train.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.oft.OftMethod;
import org.peftarena.train.sft.CharTokenizer;

/**
 * GRPO with an OFT policy: the rollouts and the loss see the adapted model (not the base), and the
 * GRPO loss's gradient reaches every OFT parameter, equal on the native rotation kernels and on
 * LibTorch's path.
 */
class OftPolicyTest {
    private static final CharTokenizer TOKENIZER = new CharTokenizer("abcd0123=");
    private static final List<RlProblem> PROBLEMS = List.of(new RlProblem("0=", "a"), new RlProblem("1=", "a"),
            new RlProblem("2=", "a"), new RlProblem("3=", "a"));
    private static final PeftConfig OFT = MethodOptions.DEFAULTS.with(MethodOption.BLOCK_SIZE, 8).configFor(OftMethod.ID);
    private static final String NATIVE = "peftarena.oft.nativeRotation";

    /** The toy model with OFT attached and its rotations moved away from the identity (seeded). */
    @SuppressWarnings("try") // scope guards used for their extent
    private static PeftModel adapted() throws Exception {
        PeftModel pm = PeftModel.attach(RlTrainerTest.model(), OFT, TargetModules.ALL_LINEAR, 3);
        SplittableRandom rng = new SplittableRandom(17);
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (Tensor p : pm.trainableParameters().values()) {
                float[] v = new float[(int) p.numel()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rng.nextGaussian() * 0.4);
                }
                p.copy_(HostTensors.floats(v, p.sizes().vec().get()));
            }
        }
        return pm;
    }

    private static RlOptions options() {
        return new RlOptions(1, 4, 8, 1, new SamplingOptions(2, 1.0, 0), 0.2, true, 1e-6, 0.0,
                org.peftarena.train.AdamWConfig.withLearningRate(1e-2), 0.0, 1.0, 5, 0);
    }

    private static List<int[]> greedy(LlamaModel model) {
        List<int[]> out = new ArrayList<>();
        for (Rollout r : new RolloutSampler(model, TOKENIZER).sample(PROBLEMS, 1, new SamplingOptions(3, 0.0, 0), 1,
                new ExactMatchReward(), null)) {
            out.add(r.completion());
        }
        return out;
    }

    @Test
    @SuppressWarnings("try") // scope guards used for their extent
    void rolloutsAndTheLossUseTheAdaptedPolicy() throws Exception {
        PeftModel pm = adapted();
        LlamaModel base = RlTrainerTest.model();
        List<int[]> adaptedGreedy = greedy(pm.model());
        List<int[]> baseGreedy = greedy(base);
        assertNotEquals(render(baseGreedy), render(adaptedGreedy), "the rotations change what the policy writes");
        List<Rollout> rollouts = new RolloutSampler(pm.model(), TOKENIZER).sample(PROBLEMS, 8, new SamplingOptions(2, 1.0, 0), 9,
                new ExactMatchReward(), null);
        PolicyBatch batch = new PolicyBatch(rollouts, 0);
        float[] sampling;
        float[] unadapted;
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            sampling = HostTensors.toFloats(batch.tokenLogProbs(pm.model()));
            unadapted = HostTensors.toFloats(batch.tokenLogProbs(base));
        }
        float[] training;
        try (PointerScope scope = new PointerScope()) {
            Tensor logp = batch.tokenLogProbs(pm.model());
            assertTrue(logp.requires_grad(), "the loss's log-probabilities carry the OFT parameters' graph");
            training = HostTensors.toFloats(logp.detach());
        }
        // the sampling policy's log-probabilities (no graph, the ratio's denominator) equal the trained policy's
        assertArrayEquals(sampling, training, 1e-5f);
        double gap = 0;
        for (int i = 0; i < sampling.length; i++) {
            gap = Math.max(gap, Math.abs(sampling[i] - unadapted[i]));
        }
        assertTrue(gap > 1e-2, "the adapted policy's log-probabilities differ from the base's: " + gap);
        // the cached greedy decode of the adapted model is the adapted model's argmax
        for (int p = 0; p < PROBLEMS.size(); p++) {
            assertEquals(argmax(pm.model(), new RolloutSampler(pm.model(), TOKENIZER).encodePrompt(PROBLEMS.get(p).prompt())),
                    adaptedGreedy.get(p)[0], "prompt " + p);
        }
    }

    @Test
    void theGrpoGradientReachesEveryOftParameterOnBothRotationPaths() throws Exception {
        Map<String, float[]> nativePath = withNativeRotation(true, OftPolicyTest::firstMiniBatchGradient);
        Map<String, float[]> libTorch = withNativeRotation(false, OftPolicyTest::firstMiniBatchGradient);
        assertEquals(libTorch.keySet(), nativePath.keySet());
        for (String name : nativePath.keySet()) {
            float[] a = nativePath.get(name);
            double norm = 0;
            for (float v : a) {
                norm += v * v;
            }
            assertTrue(norm > 0, name + " receives no gradient from the GRPO loss");
            assertArrayEquals(libTorch.get(name), a, 1e-5f, name);
        }
    }

    /** The gradient of the first GRPO mini-batch's loss on every OFT parameter. */
    @SuppressWarnings("try") // scope guards used for their extent
    private static Map<String, float[]> firstMiniBatchGradient() {
        try {
            PeftModel pm = adapted();
            double[] meanReward = {0};
            // rewards vary inside every group (odd rows earn 1), so every advantage is non-zero
            Reward alternating = new Reward() {
                private int calls;

                @Override
                public String name() {
                    return "alternating";
                }

                @Override
                public double score(RlProblem problem, String completion) {
                    double r = calls++ % 2;
                    meanReward[0] += r;
                    return r;
                }
            };
            GrpoStep step = new GrpoStep(pm.model(), null, TOKENIZER, new PromptOrder(PROBLEMS, 4, 5), alternating, options(),
                    new StepTimes());
            Map<String, float[]> out = new LinkedHashMap<>();
            try (PointerScope scope = new PointerScope()) {
                step.compute(0).loss().backward();
                for (Map.Entry<String, Tensor> e : pm.trainableParameters().entrySet()) {
                    Tensor grad = e.getValue().grad();
                    out.put(e.getKey(), grad.defined() ? HostTensors.toFloats(grad) : new float[0]);
                }
            }
            assertEquals(16.0, meanReward[0], "half of the 32 rollouts are rewarded");
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T withNativeRotation(boolean on, Supplier<T> work) {
        String before = System.getProperty(NATIVE);
        System.setProperty(NATIVE, Boolean.toString(on));
        try {
            return work.get();
        } finally {
            if (before == null) {
                System.clearProperty(NATIVE);
            } else {
                System.setProperty(NATIVE, before);
            }
        }
    }

    @SuppressWarnings("try") // scope guards used for their extent
    private static int argmax(LlamaModel model, int[] prompt) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            long[] ids = new long[prompt.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = prompt[i];
            }
            float[] logits = HostTensors.toFloats(model.forward(HostTensors.longs(ids, 1, ids.length), null));
            int v = model.config().vocabSize();
            int off = (ids.length - 1) * v;
            int best = 0;
            for (int i = 1; i < v; i++) {
                if (logits[off + i] > logits[off + best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    private static String render(List<int[]> completions) {
        StringBuilder s = new StringBuilder();
        for (int[] c : completions) {
            s.append(java.util.Arrays.toString(c));
        }
        return s.toString();
    }
}
