package org.peftarena.cli.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.cli.golden.GoldenFixtures.Fixture;
import org.peftarena.model.LlamaModel;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.formats.tokenizer.Tokenizers;

/**
 * The shipped model's forward pass against logits computed by an independent NumPy Llama
 * (benchmarks/golden/make_golden.py: embedding, RMSNorm, RoPE, grouped-query causal attention,
 * SwiGLU, final norm, tied lm_head), evaluated in float64 and rounded once to float32.
 */
class GoldenForwardTest {
    /**
     * Tolerance on every logit. Our forward runs in float32: each dot product of length K (192 or
     * 512) carries a relative rounding error of order sqrt(K) * 2^-24 ~ 1e-6 of the magnitudes it
     * sums, and four residual blocks, softmax and the norms pass it on. Against logits of up to
     * ~16 in magnitude this gives errors of order 1e-5 (measured: at most 1.4e-5 over 85
     * positions); 2e-4 leaves a margin of ~14x for another BLAS, vector width or thread count,
     * while semantic slips move logits by 1e-2 or much more (rope_theta off by 1%: 3e-2 to 5e-2).
     */
    static final double LOGIT_TOL = 2e-4;

    private static Fixture golden;
    private static LlamaModel model;

    @BeforeAll
    static void load() throws Exception {
        golden = GoldenFixtures.read(GoldenFixtures.DIR.resolve("model_logits.safetensors"));
        model = GoldenFixtures.loadFloat32(GoldenFixtures.MODEL);
    }

    @ParameterizedTest(name = "prompt {0}")
    @ValueSource(ints = {0, 1, 2})
    void tokenizerGivesTheGoldenIds(int i) throws Exception {
        long[] expected = golden.longs("tokens." + i);
        try (TextTokenizer tok = Tokenizers.load(GoldenFixtures.MODEL)) {
            int[] ids = tok.encode(golden.metadata().get("prompt." + i));
            long[] withBos = new long[ids.length + 1];
            withBos[0] = tok.bosId().orElseThrow();
            for (int k = 0; k < ids.length; k++) {
                withBos[k + 1] = ids[k];
            }
            assertArrayEquals(expected, withBos, Arrays.toString(withBos));
        }
    }

    @ParameterizedTest(name = "prompt {0}")
    @ValueSource(ints = {0, 1, 2})
    void logitsMatchTheIndependentForward(int i) {
        long[] ids = golden.longs("tokens." + i);
        float[] expected = golden.floats("logits." + i);
        assertArrayEquals(new long[] {ids.length, model.config().vocabSize()}, golden.shape("logits." + i));
        float[] actual = GoldenFixtures.logits(model, ids);
        double err = GoldenFixtures.maxAbsDiff(expected, actual);
        System.out.printf("golden forward prompt %d (%d tokens): max |logit error| %.3g (|logits| <= %.3g)%n",
                i, ids.length, err, GoldenFixtures.maxAbs(expected));
        assertTrue(err <= LOGIT_TOL, "prompt " + i + ": max logit error " + err + " > " + LOGIT_TOL);
    }

    @Test
    void fixtureIsTheShippedModel() {
        assertEquals("models/tiny-europarl", golden.metadata().get("model"));
        assertEquals(3, Integer.parseInt(golden.metadata().get("prompts")));
    }
}
