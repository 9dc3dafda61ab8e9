package org.peftarena.train.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.TrainingHook;
import org.peftarena.peft.oft.CayleyTransform;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.train.AdamWConfig;
import org.peftarena.train.AdamWOptimizer;
import org.peftarena.train.CollapseCheck;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingCollapsedException;
import org.peftarena.train.TrainingLoop;
import org.peftarena.train.TrainingStep;
import org.peftarena.train.ShippedModelFixture;

/**
 * The collapse of a long OFT run on the shipped model, reproduced: generators whose largest entry is
 * 4.38 (as in that run's checkpoint) but which act coherently on each block (rank-2 skew blocks) make the
 * 5-term Cayley-Neumann series a gain of about 1e7 instead of a rotation. The residual stream then
 * overflows float32 inside the final RMS norm's mean of squares, the norm returns 0, every logit is 0:
 * the loss is exactly ln(259) and no gradient reaches the generators. The exact Cayley transform of the
 * same generators stays orthogonal and trains (OFT's own check does not apply to it), while with the
 * series OFT's check ({@code NeumannSeriesCheck}) warns after the first step, long before the collapse
 * check stops the run.
 */
class OftNeumannCollapseTest {
    private static final int BLOCK = 32;
    private static final double LARGEST_ENTRY = 4.38;

    @Test
    void theNeumannSeriesOfLargeGeneratorsCollapsesTheModelAndTheRunStops() throws Exception {
        TrainingCollapsedException e = assertThrows(TrainingCollapsedException.class,
                () -> train(CayleyVariant.of(true, 5), 3 * CollapseCheck.DEFAULT_STEPS, false));
        assertEquals(1, e.firstStep());
        assertEquals(CollapseCheck.DEFAULT_STEPS, e.step());
        assertTrue(e.getMessage().contains("the gradient norm was 0 and the loss stayed at 5.5568 (ln 259 = 5.5568"),
                e.getMessage());
    }

    @Test
    void theExactCayleyTransformOfTheSameGeneratorsTrains() throws Exception {
        List<Double> losses = train(CayleyVariant.of(false, 5), 2 * CollapseCheck.DEFAULT_STEPS, true);
        assertEquals(2 * CollapseCheck.DEFAULT_STEPS, losses.size());
        losses.forEach(l -> assertTrue(Math.abs(l - Math.log(259)) > 0.05, "not the uniform loss: " + l));
    }

    @Test
    void oftsOwnCheckWarnsAtTheFirstStepLongBeforeTheCollapseIsRecognised() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        TrainingCollapsedException e;
        try {
            System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
            e = assertThrows(TrainingCollapsedException.class, () -> train(CayleyVariant.of(true, 5), 3 * CollapseCheck.DEFAULT_STEPS, true));
        } finally {
            System.setErr(err);
        }
        assertEquals(CollapseCheck.DEFAULT_STEPS, e.step());
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("step 1: OFT's 5-term Cayley-Neumann series no longer converges in model.layers."), log);
        assertTrue(log.contains("--cayley exact"), log);
        assertEquals(1, log.lines().filter(l -> l.contains("Cayley-Neumann series")).count(), "once: " + log);
    }

    /** Trains from the large generators; {@code withHook}: with the method's own training hook (OFT's series check). */
    @SuppressWarnings("try") // the guard is used for its extent
    private static List<Double> train(CayleyVariant variant, int steps, boolean withHook) throws Exception {
        Path dir = ShippedModelFixture.directory();
        LlamaModel model = HfModelDirectory.load(dir);
        PeftModel pm = PeftModel.attach(model, new OftConfig(BLOCK, variant), TargetModules.ALL_LINEAR, 0);
        List<Tensor> params = new ArrayList<>(pm.trainableParameters().values());
        try (NoGradGuard g = new NoGradGuard()) {
            torch.manual_seed(1);
            for (Tensor p : params) {
                long blocks = p.size(0);
                Tensor u = torch.randn(new long[] {blocks, BLOCK}).sign();
                Tensor v = torch.randn(new long[] {blocks, BLOCK}).sign();
                Tensor skew = torch.bmm(u.unsqueeze(2), v.unsqueeze(1)).sub(torch.bmm(v.unsqueeze(2), u.unsqueeze(1)));
                Tensor packed = skew.view(blocks, (long) BLOCK * BLOCK).index_select(1, CayleyTransform.triangleIndices(BLOCK));
                p.copy_(packed.mul(new Scalar(LARGEST_ENTRY / packed.abs().max().item_double())));
            }
        }
        try (TextTokenizer tokenizer = Tokenizers.load(dir);
             AdamWOptimizer opt = new AdamWOptimizer(params, AdamWConfig.withLearningRate(1e-4))) {
            SftBatches batches = new SftBatches(PromptTemplate.forModel(dir, PromptTemplate.Kind.parse("auto"))
                    .applyAll(SftDataset.load("builtin:addition", 0)), tokenizer, 64, 4, 0);
            TrainingLoop loop = new TrainingLoop(opt, s -> 1e-4, new GradientClipper(1.0), steps, 1,
                    withHook ? pm.trainingHook() : TrainingHook.NONE)
                    .detectingCollapse(CollapseCheck.forVocabulary(model.config().vocabSize()));
            return loop.run(index -> {
                SftBatches.Batch b = batches.batch(index);
                return new TrainingStep.StepLoss(model.loss(b.inputIds(), b.attentionMask(), b.labels()), b.scoredTokens());
            }, ProgressListener.NONE, null);
        }
    }
}
