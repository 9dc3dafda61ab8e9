package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;

/** Batched generation: cache versus no cache, padding, seeds, stop tokens. */
class GeneratorTest {
    private static final List<int[]> PROMPTS = List.of(new int[] {1, 2, 3, 4, 5, 6}, new int[] {9}, new int[] {7, 7, 3});

    @Test
    @SuppressWarnings("try") // the capture is used for its extent
    void eachStepsActivationsAreFreedBeforeTheNextStepWithAndWithoutCache() throws Exception {
        for (boolean useCache : new boolean[] {true, false}) {
            LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 5);
            int modules = model.linears().modules().size();
            java.util.List<org.bytedeco.pytorch.Tensor> prompt = new java.util.ArrayList<>();
            java.util.List<Boolean> freedAtNextStep = new java.util.ArrayList<>();
            try (AutoCloseable c = model.linears().capture(n -> true, (m, in, out, mask) -> {
                if (prompt.size() < modules) {
                    prompt.add(out); // the prompt's forward (the first step)
                } else if (freedAtNextStep.isEmpty()) {
                    freedAtNextStep.add(prompt.stream().allMatch(t -> t.isNull()));
                }
            })) {
                List<int[]> out = new Generator(model).generate(List.of(PROMPTS.get(0)),
                        new GenerationOptions(3, 0.0, 0, 0, -1, 0, useCache));
                assertEquals(3, out.get(0).length);
            }
            assertEquals(List.of(true), freedAtNextStep, "cache " + useCache + ": the prompt's activations are released");
        }
    }

    @Test
    void greedyTokensAreIdenticalWithAndWithoutCache() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 3);
        GenerationOptions greedy = new GenerationOptions(12, 0.0, 0, 0, -1, 0, true);
        List<int[]> cached = new Generator(model).generate(PROMPTS, greedy);
        List<int[]> uncached = new Generator(model).generate(PROMPTS, greedy.withCache(false));
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertEquals(12, cached.get(i).length);
            assertArrayEquals(uncached.get(i), cached.get(i), "prompt " + i);
        }
    }

    @Test
    void sampledTokensAreIdenticalWithAndWithoutCacheAndReproducible() {
        LlamaModel model = TinyModels.model(TinyModels.llama3Scaled(), 4);
        GenerationOptions sample = new GenerationOptions(10, 1.3, 8, 99, -1, 0, true);
        List<int[]> a = new Generator(model).generate(PROMPTS, sample);
        List<int[]> b = new Generator(model).generate(PROMPTS, sample.withCache(false));
        List<int[]> c = new Generator(model).generate(PROMPTS, sample);
        List<int[]> other = new Generator(model).generate(PROMPTS,
                new GenerationOptions(10, 1.3, 8, 100, -1, 0, true));
        boolean anyDifferent = false;
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertArrayEquals(b.get(i), a.get(i), "cache vs no cache, prompt " + i);
            assertArrayEquals(c.get(i), a.get(i), "same seed, prompt " + i);
            anyDifferent |= !java.util.Arrays.equals(a.get(i), other.get(i));
        }
        assertTrue(anyDifferent, "a different seed should change some sampled token");
    }

    @Test
    void leftPaddedRowGeneratesWhatItGeneratesAlone() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 5);
        GenerationOptions greedy = new GenerationOptions(8, 0.0, 0, 0, -1, 0, true);
        List<int[]> batched = new Generator(model).generate(PROMPTS, greedy);
        for (int i = 0; i < PROMPTS.size(); i++) {
            List<int[]> alone = new Generator(model).generate(List.of(PROMPTS.get(i)), greedy);
            assertArrayEquals(alone.get(0), batched.get(i), "prompt " + i);
        }
    }

    @Test
    void topKOfOneIsGreedy() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 6);
        List<int[]> greedy = new Generator(model).generate(PROMPTS, new GenerationOptions(6, 0.0, 0, 0, -1, 0, true));
        List<int[]> topOne = new Generator(model).generate(PROMPTS, new GenerationOptions(6, 2.0, 1, 5, -1, 0, true));
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertArrayEquals(greedy.get(i), topOne.get(i));
        }
    }

    @Test
    void stopTokenEndsARowAndIsNotReturned() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 3);
        GenerationOptions greedy = new GenerationOptions(12, 0.0, 0, 0, -1, 0, true);
        int[] free = new Generator(model).generate(List.of(PROMPTS.get(0)), greedy).get(0);
        int stop = free[3];
        int firstStop = 0;
        while (free[firstStop] != stop) {
            firstStop++;
        }
        int[] stopped = new Generator(model).generate(List.of(PROMPTS.get(0)),
                new GenerationOptions(12, 0.0, 0, 0, stop, 0, true)).get(0);
        assertArrayEquals(java.util.Arrays.copyOf(free, firstStop), stopped);
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void cachedForwardLogitsMatchFullForward() {
        LlamaModel model = TinyModels.model(TinyModels.llama3Scaled(), 8);
        long[] ids = {3, 1, 4, 1, 5, 9, 2, 6};
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            float[] full = HostTensors.toFloats(model.forward(HostTensors.longs(ids, 1, 8), null));
            @SuppressWarnings("resource") // closed at the end of the block
            KvCache cache = new KvCache(model.config().numHiddenLayers());
            model.forward(HostTensors.longs(java.util.Arrays.copyOf(ids, 5), 1, 5), null, cache);
            float[] tail = HostTensors.toFloats(model.forward(
                    HostTensors.longs(java.util.Arrays.copyOfRange(ids, 5, 8), 1, 3), null, cache));
            assertEquals(8, cache.length());
            cache.close();
            assertEquals(0, cache.length());
            int v = model.config().vocabSize();
            Close.assertClose("cached tail", Close.toDouble(java.util.Arrays.copyOfRange(full, 5 * v, 8 * v)),
                    Close.toDouble(tail), 1e-5, 1e-5);
        }
    }

    @Test
    void rejectsEmptyPromptsAndBadOptions() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 3);
        assertThrows(IllegalArgumentException.class,
                () -> new Generator(model).generate(List.of(new int[0]), GenerationOptions.greedy(3, -1, 0)));
        assertThrows(IllegalArgumentException.class, () -> new GenerationOptions(0, 0, 0, 0, -1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new GenerationOptions(3, -1, 0, 0, -1, 0, true));
        assertFalse(new GenerationOptions(3, 0.5, 0, 0, -1, 0, true).isGreedy());
    }
}
