package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.linear;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.peftarena.formats.config.LlamaConfig;

/** The per-module forward replacement and activation capture that adapters and diagnostics build on. */
class LinearRegistryTest {
    private static final long[] IDS = {4, 8, 15, 16, 23, 1};
    private static final String Q = "model.layers.1.self_attn.q_proj";
    private static final String DOWN = "model.layers.0.mlp.down_proj";

    @Test
    void listsEveryBlockLinearByHuggingFaceName() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 1);
        Map<String, LinearModule> modules = model.linears().modules();
        assertEquals(2 * 7, modules.size());
        assertEquals(List.of("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.k_proj",
                "model.layers.0.self_attn.v_proj", "model.layers.0.self_attn.o_proj", "model.layers.0.mlp.gate_proj",
                "model.layers.0.mlp.up_proj", "model.layers.0.mlp.down_proj"), new ArrayList<>(modules.keySet()).subList(0, 7));
        assertTrue(modules.get(Q).spec().bias());
        assertFalse(modules.get("model.layers.1.self_attn.o_proj").spec().bias());
        assertThrows(UnknownModuleException.class, () -> model.linears().replaceForward("lm_head", (m, x) -> x));
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void lowRankReplacementEqualsMergedWeightAndRestores() {
        LlamaConfig config = TinyModels.qwen2Tied();
        Map<String, float[]> arrays = TinyModels.randomArrays(config, 11);
        LlamaModel model = new LlamaModel(config, TinyModels.toWeights(config, arrays, ModelDType.FLOAT32));
        LinearModule q = model.linears().module(Q);
        int r = 2;
        float[] a = random(r * q.spec().in(), 1);
        float[] b = random(q.spec().out() * r, 2);
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor ids = HostTensors.longs(IDS, 1, IDS.length);
            float[] base = HostTensors.toFloats(model.forward(ids, null));
            Tensor aT = HostTensors.floats(a, r, q.spec().in());
            Tensor bT = HostTensors.floats(b, q.spec().out(), r);
            model.linears().replaceForward(Q, (m, x) -> m.base(x).add(linear(linear(x, aT), bT)));
            float[] adapted = HostTensors.toFloats(model.forward(ids, null));

            float[] merged = arrays.get(Q + ".weight").clone();
            float[] delta = HostTensors.toFloats(bT.matmul(aT));
            for (int i = 0; i < merged.length; i++) {
                merged[i] += delta[i];
            }
            Map<String, float[]> mergedArrays = new java.util.LinkedHashMap<>(arrays);
            mergedArrays.put(Q + ".weight", merged);
            LlamaModel mergedModel = new LlamaModel(config, TinyModels.toWeights(config, mergedArrays, ModelDType.FLOAT32));
            Close.assertClose("adapter vs merged", Close.toDouble(HostTensors.toFloats(mergedModel.forward(ids, null))),
                    Close.toDouble(adapted), 1e-4, 1e-5);
            assertTrue(maxDiff(base, adapted) > 1e-3, "the replacement must change the output");

            model.linears().restoreForward(Q);
            assertArrayEquals(base, HostTensors.toFloats(model.forward(ids, null)));
        }
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void gradientsReachReplacementParametersWhileBaseStaysFrozen() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 12);
        model.setTrainable(n -> false);
        LinearModule down = model.linears().module(DOWN);
        Tensor scale = HostTensors.floats(new float[] {1f}, 1).set_requires_grad(true);
        model.linears().replaceForward(DOWN, (m, x) -> m.base(x).mul(scale));
        try (PointerScope scope = new PointerScope()) {
            Tensor ids = HostTensors.longs(IDS, 1, IDS.length);
            model.loss(ids, null, ids).backward();
            assertTrue(scale.grad().defined());
            assertTrue(Math.abs(scale.grad().item_double()) > 0, "adapter parameter gets a gradient");
            assertFalse(down.weight().grad().defined(), "frozen base weight gets no gradient");
        }
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void captureDeliversInputsOutputsAndTokenMaskUntilClosed() throws Exception {
        LlamaModel model = TinyModels.model(TinyModels.llama3Scaled(), 13);
        List<String> seen = new ArrayList<>();
        double[] worst = {0};
        long[][] maskShape = new long[1][];
        long[] mask = {1, 1, 1, 1, 0, 0};
        AutoCloseable handle = model.linears().capture(n -> n.endsWith("mlp.down_proj"), (name, in, out, tokenMask) -> {
            seen.add(name);
            assertArrayEquals(new long[] {1, IDS.length, 32}, HostTensors.shape(in));
            assertArrayEquals(new long[] {1, IDS.length, 24}, HostTensors.shape(out));
            maskShape[0] = HostTensors.shape(tokenMask);
            Tensor expected = model.linears().module(name).base(in);
            worst[0] = Math.max(worst[0], expected.sub(out).abs().max().item_double());
        });
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            model.forward(HostTensors.longs(IDS, 1, IDS.length), HostTensors.longs(mask, 1, IDS.length));
            assertEquals(List.of("model.layers.0.mlp.down_proj", "model.layers.1.mlp.down_proj",
                    "model.layers.2.mlp.down_proj"), seen);
            assertArrayEquals(new long[] {1, IDS.length}, maskShape[0]);
            assertEquals(0.0, worst[0], 1e-6);
            handle.close();
            model.forward(HostTensors.longs(IDS, 1, IDS.length), null);
            assertEquals(3, seen.size(), "no deliveries after close");
        }
    }

    @Test
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    void replacingAWeightTensorChangesTheModelAndRejectsWrongShapes() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 14);
        String name = DOWN + ".weight";
        Tensor w = model.weights().get(name);
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor ids = HostTensors.longs(IDS, 1, IDS.length);
            float[] before = HostTensors.toFloats(model.forward(ids, null));
            Tensor doubled = w.mul(new Scalar(2.0));
            doubled.retainReference();
            model.weights().replace(name, doubled);
            assertTrue(maxDiff(before, HostTensors.toFloats(model.forward(ids, null))) > 1e-4);
            assertThrows(IllegalArgumentException.class, () -> model.weights().replace(name, w.t()));
        }
    }

    private static float[] random(int n, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.3 * rnd.nextGaussian());
        }
        return v;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
