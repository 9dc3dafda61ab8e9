package org.peftarena.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.train.TrainingLoop.AfterStep;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.config.ModelConfigException;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.model.WeightInitializer;

class TrainingLoopTest {
    static LlamaModel smallModel(long seed) throws ModelConfigException {
        LlamaConfig c = LlamaConfig.parse("small", """
                {"model_type": "llama", "vocab_size": 40, "hidden_size": 32, "intermediate_size": 64,
                 "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "tie_word_embeddings": true, "max_position_embeddings": 64}
                """);
        return new LlamaModel(c, WeightInitializer.initialize(c, ModelDType.FLOAT32, seed, 0.02));
    }

    @Test
    void memorisesAFixedBatchAndReportsEveryStep() throws Exception {
        LlamaModel model = smallModel(1);
        List<Tensor> params = model.setTrainable(n -> true);
        long[] ids = new long[4 * 16];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) ((i * 7 + i / 16) % 40);
        }
        List<TrainingProgress> seen = new ArrayList<>();
        List<Integer> after = new ArrayList<>();
        int steps = 60;
        List<Double> losses;
        try (AdamWOptimizer opt = new AdamWOptimizer(params, AdamWConfig.withLearningRate(1e-2))) {
            TrainingLoop loop = new TrainingLoop(opt, WarmupCosineSchedule.standard(1e-2, steps), new GradientClipper(1.0), steps)
                    .detectingCollapse(CollapseCheck.forVocabulary(40));
            losses = loop.run(s -> {
                Tensor x = HostTensors.longs(ids, 4, 16);
                return new TrainingStep.StepLoss(model.loss(x, null, x), 4 * 15);
            }, new ProgressListener() {
                @Override
                public void onStep(TrainingProgress p) {
                    seen.add(p);
                }
            }, after::add);
        }
        assertEquals(steps, losses.size(), "a converging run is no collapse");
        assertEquals(steps, seen.size());
        assertEquals(steps, after.size());
        assertEquals(steps, seen.get(steps - 1).step());
        assertEquals(60L * steps, seen.get(steps - 1).tokens());
        assertTrue(losses.get(steps - 1) < 0.3 * losses.get(0), "loss " + losses.get(0) + " -> " + losses.get(steps - 1));
        assertEquals(Math.log(40), losses.get(0), 0.2, "untrained loss is near log(vocab)");
    }

    @Test
    void aNonFiniteLossStopsTheRunBeforeTheUpdate() throws Exception {
        LlamaModel model = smallModel(3);
        List<Tensor> params = model.setTrainable(n -> true);
        List<float[]> afterFirst = new ArrayList<>();
        try (AdamWOptimizer opt = new AdamWOptimizer(params, AdamWConfig.withLearningRate(1e-2))) {
            TrainingLoop loop = new TrainingLoop(opt, s -> 1e-2, new GradientClipper(1.0), 3);
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> loop.run(s -> {
                Tensor x = HostTensors.longs(new long[] {1, 2, 3, 4}, 1, 4);
                Tensor loss = model.loss(x, null, x);
                return new TrainingStep.StepLoss(s == 1 ? loss.mul(new org.bytedeco.pytorch.Scalar(Double.NaN)) : loss, 3);
            }, ProgressListener.NONE, done -> params.forEach(p -> afterFirst.add(HostTensors.toFloats(p)))));
            assertTrue(e.getMessage().contains("at step 2; the update was not applied"), e.getMessage());
        }
        assertEquals(params.size(), afterFirst.size(), "one step completed");
        for (int i = 0; i < params.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(afterFirst.get(i), HostTensors.toFloats(params.get(i)));
            assertTrue(!params.get(i).grad().defined(), "gradients cleared");
        }
    }

    /**
     * Trains the blocks of a small model on a fixed batch; after {@code healthySteps} steps its final norm
     * weight is zeroed, so every logit is 0: the loss is exactly ln(vocab) and the blocks get no gradient.
     */
    @SuppressWarnings("try") // the guard is used for its extent
    static List<TrainingProgress> collapseAfter(int healthySteps, int totalSteps, boolean detect, List<Integer> afterSteps,
                                                int[] hintFirstStep) throws Exception {
        LlamaModel model = smallModel(4);
        List<Tensor> params = model.setTrainable(n -> n.contains(".layers."));
        List<TrainingProgress> seen = new ArrayList<>();
        long[] ids = new long[4 * 16];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (long) ((i * 7 + i / 16) % 40);
        }
        try (AdamWOptimizer opt = new AdamWOptimizer(params, AdamWConfig.withLearningRate(1e-2))) {
            TrainingLoop loop = new TrainingLoop(opt, s -> 1e-2, new GradientClipper(1.0), totalSteps);
            if (detect) {
                loop.detectingCollapse(CollapseCheck.forVocabulary(40));
            }
            loop.run(s -> {
                Tensor x = HostTensors.longs(ids, 4, 16);
                return new TrainingStep.StepLoss(model.loss(x, null, x), 4 * 15);
            }, new ProgressListener() {
                @Override
                public void onStep(TrainingProgress p) {
                    seen.add(p);
                    if (p.step() == healthySteps) {
                        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                            model.weights().get(org.peftarena.model.ModelWeights.FINAL_NORM).zero_();
                        }
                    }
                }
            }, new AfterStep() {
                @Override
                public void afterStep(int done) {
                    afterSteps.add(done);
                }

                @Override
                public String collapseRecoveryHint(int firstCollapsedStep) {
                    hintFirstStep[0] = firstCollapsedStep;
                    return "recover here";
                }
            });
        }
        return seen;
    }

    @Test
    void aCollapsedRunStopsNamingTheStepAndTheEvidence() throws Exception {
        List<Integer> after = new ArrayList<>();
        int[] first = {0};
        TrainingCollapsedException e = assertThrows(TrainingCollapsedException.class,
                () -> collapseAfter(5, 40, true, after, first));
        assertEquals(15, e.step());
        assertEquals(6, e.firstStep());
        assertEquals(6, first[0], "the recovery hint learns the first collapsed step");
        assertEquals("training collapsed at step 15: for 10 steps since step 6 the gradient norm was 0 and the loss "
                + "stayed at 3.6889 (ln 40 = 3.6889, a uniform next-token distribution): the loss no longer depends on "
                + "the trained parameters; recover here", e.getMessage());
        assertEquals(14, after.size(), "no step after the one that showed the collapse, and not that one either");
    }

    @Test
    void withoutTheCheckACollapsedRunGoesOnSilently() throws Exception {
        // what RL does, where a zero gradient can be legitimate: the collapse really is there, unflagged
        List<Integer> after = new ArrayList<>();
        List<TrainingProgress> seen = collapseAfter(5, 20, false, after, new int[1]);
        assertEquals(20, after.size());
        for (TrainingProgress p : seen.subList(0, 5)) {
            assertTrue(p.gradNorm() > 1e-3, "healthy step " + p.step() + ": " + p.gradNorm());
        }
        for (TrainingProgress p : seen.subList(5, 20)) {
            assertEquals(0.0, p.gradNorm(), "step " + p.step());
            assertEquals(Math.log(40), p.loss(), 1e-6, "step " + p.step());
        }
    }

    @Test
    void nonFiniteLossStopsTheRun() throws Exception {
        LlamaModel model = smallModel(2);
        List<Tensor> params = model.setTrainable(n -> true);
        try (AdamWOptimizer opt = new AdamWOptimizer(params, AdamWConfig.withLearningRate(1e-3))) {
            TrainingLoop loop = new TrainingLoop(opt, s -> 1e-3, new GradientClipper(1.0), 3);
            assertThrows(TrainingDivergedException.class, () -> loop.run(s -> {
                Tensor x = HostTensors.longs(new long[] {1, 2, 3, 4}, 1, 4);
                Tensor loss = model.loss(x, null, x).mul(new org.bytedeco.pytorch.Scalar(Double.NaN));
                return new TrainingStep.StepLoss(loss, 3);
            }, ProgressListener.NONE, null));
        }
    }
}
