package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.formats.config.LlamaConfig;

/** The next-token loss from whole logits and from the head in chunks: same value, same gradients. */
class CausalLmLossTest {
    private static double[] values(Tensor t) {
        float[] f = HostTensors.toFloats(t);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** {@code [2, 9]} labels over a vocabulary of 37 with ignored positions, including a whole ignored tail. */
    private static Tensor labels() {
        long[] v = new long[18];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7L + 3) % 37;
        }
        v[4] = CausalLmLoss.IGNORE_INDEX;
        v[14] = CausalLmLoss.IGNORE_INDEX;
        v[15] = CausalLmLoss.IGNORE_INDEX;
        v[16] = CausalLmLoss.IGNORE_INDEX;
        v[17] = CausalLmLoss.IGNORE_INDEX;
        return HostTensors.longs(v, 2, 9);
    }

    private static Tensor leaf(long seed, long... shape) {
        torch.manual_seed(seed);
        return torch.randn(shape).requires_grad_(true);
    }

    @Test
    void chunkedLossHasTheWholeLogitsValueAndGradientsForEveryChunkSize() {
        Tensor labels = labels();
        Tensor hRef = leaf(1, 2, 9, 24);
        Tensor wRef = leaf(2, 37, 24);
        Tensor ref = CausalLmLoss.shiftedCrossEntropy(torch.linear(hRef, wRef), labels);
        ref.mul(new Scalar(0.25)).backward(); // a scaled backward, as gradient accumulation does
        assertTrue(ref.item_double() > 1, "a real loss: " + ref.item_double());
        for (long rows : new long[] {1, 4, 16, 100}) {
            Tensor h = leaf(1, 2, 9, 24);
            Tensor w = leaf(2, 37, 24);
            Tensor loss = CausalLmLoss.shiftedCrossEntropy(h, w, labels, rows);
            assertEquals(ref.item_double(), loss.item_double(), 1e-5 * ref.item_double(), "value, chunks of " + rows);
            loss.mul(new Scalar(0.25)).backward();
            Close.assertClose("hidden gradient, chunks of " + rows, values(hRef.grad()), values(h.grad()), 1e-4, 1e-7);
            Close.assertClose("head gradient, chunks of " + rows, values(wRef.grad()), values(w.grad()), 1e-4, 1e-7);
        }
        assertEquals(0.0, values(hRef.grad().select(0, 1).select(0, 8))[0], 0.0,
                "the last position predicts nothing");
    }

    @Test
    void aFrozenBfloat16HeadIsWidenedAndGetsNoGradient() {
        Tensor labels = labels();
        torch.manual_seed(5);
        Tensor w = torch.randn(37, 24).to(torch.ScalarType.BFloat16);
        Tensor hRef = leaf(6, 2, 9, 24);
        Tensor ref = CausalLmLoss.shiftedCrossEntropy(LinearModule.apply(hRef, w, null), labels);
        ref.backward();
        Tensor h = leaf(6, 2, 9, 24);
        Tensor loss = CausalLmLoss.shiftedCrossEntropy(h, w, labels, 5);
        loss.backward();
        assertEquals(ref.item_double(), loss.item_double(), 1e-5 * ref.item_double());
        Close.assertClose("hidden gradient", values(hRef.grad()), values(h.grad()), 1e-4, 1e-7);
        assertFalse(w.grad().defined());
        assertEquals(torch.ScalarType.BFloat16, w.scalar_type().intern());
    }

    /** A frozen narrow head by vocabulary slices: the whole-logits value and hidden gradient for every slice size. */
    @Test
    @SuppressWarnings("try") // the guard is used for its extent
    void vocabularySlicesOfANarrowHeadGiveTheWholeLogitsValueAndGradient() {
        Tensor labels = labels();
        torch.manual_seed(5);
        Tensor w = torch.randn(37, 24).mul(new Scalar(2.0)).to(torch.ScalarType.BFloat16);
        Tensor hRef = leaf(6, 2, 9, 24);
        Tensor ref = CausalLmLoss.shiftedCrossEntropy(LinearModule.apply(hRef, w, null), labels);
        ref.mul(new Scalar(0.5)).backward();
        assertTrue(ref.item_double() > 1, "a real loss: " + ref.item_double());
        for (long slice : new long[] {1, 5, 16, 37, 100}) {
            Tensor h = leaf(6, 2, 9, 24);
            Tensor loss = CausalLmLoss.shiftedCrossEntropyByVocabulary(h, w, labels, slice);
            assertEquals(ref.item_double(), loss.item_double(), 1e-5 * ref.item_double(), "value, slices of " + slice);
            loss.mul(new Scalar(0.5)).backward();
            Close.assertClose("hidden gradient, slices of " + slice, values(hRef.grad()), values(h.grad()), 1e-4, 1e-7);
            assertFalse(w.grad().defined());
        }
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor value = CausalLmLoss.shiftedCrossEntropyByVocabulary(leaf(6, 2, 9, 24), w, labels, 8);
            assertFalse(value.requires_grad());
            assertEquals(ref.item_double(), value.item_double(), 1e-5 * ref.item_double(), "without gradients");
        }
        Tensor trainable = leaf(2, 37, 24);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CausalLmLoss.shiftedCrossEntropyByVocabulary(leaf(6, 2, 9, 24), trainable, labels, 8));
        assertTrue(e.getMessage().contains("trainable head"), e.getMessage());
    }

    /** Gradient checkpointing asks for the slices above the chunking size, for a frozen narrow head only. */
    @Test
    @SuppressWarnings("try") // the guard is used for its extent
    void theSlicedHeadLossIsTakenOnlyWhereItApplies() {
        long v = 151936;
        Tensor bf16 = torch.zeros(v, 2).to(torch.ScalarType.BFloat16);
        long large = CausalLmLoss.CHUNK_ABOVE_BYTES / (v * Float.BYTES) + 1; // rows whose logits are above the size
        assertTrue(CausalLmLoss.bySlices(large, bf16, true));
        assertFalse(CausalLmLoss.bySlices(large, bf16, false), "only when asked (gradient checkpointing)");
        assertFalse(CausalLmLoss.bySlices(large - 1, bf16, true), "small logits stay whole");
        assertFalse(CausalLmLoss.bySlices(large, torch.zeros(v, 2), true), "a float32 head has no narrower copy to spare");
        Tensor trainable = torch.zeros(v, 2).to(torch.ScalarType.BFloat16).requires_grad_(true);
        assertFalse(CausalLmLoss.bySlices(large, trainable, true), "a trainable head takes the row chunks");
        try (NoGradGuard g = new NoGradGuard()) {
            assertTrue(CausalLmLoss.bySlices(large, trainable, true), "without gradients nothing trains");
        }
    }

    @Test
    @SuppressWarnings("try") // the guard is used for its extent
    void withoutGradientsOnlyTheValueIsComputed() {
        Tensor labels = labels();
        Tensor h = leaf(1, 2, 9, 24);
        Tensor w = leaf(2, 37, 24);
        double ref = CausalLmLoss.shiftedCrossEntropy(torch.linear(h, w), labels).item_double();
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor loss = CausalLmLoss.shiftedCrossEntropy(h, w, labels, 3);
            assertFalse(loss.requires_grad());
            assertEquals(ref, loss.item_double(), 1e-5 * ref);
        }
    }

    @Test
    void theModelsChunkedLossTrainsEveryWeightAsTheWholeLogitsLossDoes() {
        for (LlamaConfig config : List.of(TinyModels.qwen2Tied(), TinyModels.llama3Scaled())) {
            long v = config.vocabSize();
            long[] ids = new long[2 * 7];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (i * 5L + 1) % v;
            }
            Tensor inputs = HostTensors.longs(ids, 2, 7);
            Tensor mask = HostTensors.longs(new long[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, 2, 7);
            Tensor labels = inputs.masked_fill(mask.eq(new Scalar(0L)), new Scalar(CausalLmLoss.IGNORE_INDEX));
            LlamaModel ref = TinyModels.model(config, 11);
            LlamaModel model = TinyModels.model(config, 11);
            List<Tensor> refWeights = ref.setTrainable(n -> true);
            List<Tensor> weights = model.setTrainable(n -> true);

            Tensor whole = ref.loss(inputs, mask, labels); // below the chunking size: whole logits
            whole.backward();
            Tensor chunked = CausalLmLoss.shiftedCrossEntropy(model.hidden(inputs, mask, null), model.headWeight(),
                    labels, 3);
            chunked.backward();

            assertEquals(whole.item_double(), chunked.item_double(), 1e-5 * whole.item_double(), config.modelType().toString());
            List<String> names = new ArrayList<>(ref.weights().names());
            for (int i = 0; i < refWeights.size(); i++) {
                Close.assertClose(config.modelType() + " " + names.get(i), values(refWeights.get(i).grad()),
                        values(weights.get(i).grad()), 1e-3, 1e-6);
            }
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        Tensor h = leaf(1, 2, 9, 24);
        Tensor w = leaf(2, 37, 24);
        Tensor none = torch.full(new long[] {2, 9}, new Scalar(CausalLmLoss.IGNORE_INDEX),
                new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CausalLmLoss.shiftedCrossEntropy(h, w, none, 4)).getMessage().contains("nothing to score"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CausalLmLoss.shiftedCrossEntropy(h, w, labels(), 0)).getMessage().contains("at least 1"));
        Tensor narrow = leaf(3, 37, 23);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CausalLmLoss.shiftedCrossEntropy(h, narrow, labels(), 4)).getMessage().contains("do not fit"));
    }
}
