package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** Gradient checkpointing changes memory, not numbers: the loss and every gradient are those of the ordinary pass. */
class GradientCheckpointingTest {
    private static final long[] IDS = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};
    private static final long[] MASK = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};

    /** The loss and the gradients of the trainable tensors, by name, of one backward pass inside a pointer scope. */
    @SuppressWarnings("try") // scope guards are used for their extent
    private static Map<String, float[]> lossAndGradients(LlamaModel model, Predicate<String> trainable, boolean checkpoint,
                                                         Autocast autocast) {
        model.setGradientCheckpointing(checkpoint);
        List<Tensor> params = model.setTrainable(trainable);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (PointerScope s = new PointerScope()) {
            Tensor ids = HostTensors.longs(IDS, 2, IDS.length / 2);
            Tensor mask = HostTensors.longs(MASK, 2, MASK.length / 2);
            Tensor loss;
            try (Autocast.Region r = autocast.enter(model.device().type())) {
                loss = model.loss(ids, mask, ids);
            }
            loss.backward();
            out.put("loss", HostTensors.toFloats(loss.detach()));
            for (String n : model.weights().names()) {
                Tensor w = model.weights().get(n);
                if (params.contains(w)) {
                    out.put(n, HostTensors.toFloats(w.grad()));
                    w.mutable_grad().put(new Tensor());
                }
            }
        }
        model.setTrainable(n -> false);
        return out;
    }

    private static void assertSameNumbers(Map<String, float[]> expected, Map<String, float[]> actual, double tol) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String n : expected.keySet()) {
            float[] e = expected.get(n);
            float[] a = actual.get(n);
            double scale = 0;
            for (float v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0, n + ": the gradient must not vanish");
            if (tol == 0) {
                assertArrayEquals(e, a, n + ": bit for bit");
            } else {
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], tol * scale, n + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void fullFinetuningGradientsAreTheOrdinaryPassesBitForBit() {
        LlamaModel model = TinyModels.model(TinyModels.llama3Scaled(), 4);
        Map<String, float[]> plain = lossAndGradients(model, n -> true, false, Autocast.NONE);
        Map<String, float[]> checkpointed = lossAndGradients(model, n -> true, true, Autocast.NONE);
        assertTrue(plain.size() > 20, "every weight trains: " + plain.size());
        assertSameNumbers(plain, checkpointed, 0);
    }

    /** Nothing before the blocks needs a gradient (the adapter case): the first block's output hangs on a throw-away leaf. */
    @Test
    void gradientsOfLaterBlocksOnlyAreTheOrdinaryPasses() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 5);
        Predicate<String> some = n -> n.startsWith("model.layers.1.") || n.equals("model.layers.0.mlp.down_proj.weight");
        Map<String, float[]> plain = lossAndGradients(model, some, false, Autocast.NONE);
        Map<String, float[]> checkpointed = lossAndGradients(model, some, true, Autocast.NONE);
        assertTrue(plain.containsKey("model.layers.0.mlp.down_proj.weight"));
        assertSameNumbers(plain, checkpointed, 0);
    }

    /** The recomputation runs under the autocast of the forward pass, so the bfloat16 gradients agree too. */
    @Test
    void underBf16AutocastTheRecomputationUsesTheForwardsPrecision() {
        LlamaModel model = TinyModels.model(TinyModels.llama3Scaled(), 6);
        Map<String, float[]> plain = lossAndGradients(model, n -> n.contains("proj"), false, Autocast.BF16);
        Map<String, float[]> checkpointed = lossAndGradients(model, n -> n.contains("proj"), true, Autocast.BF16);
        Map<String, float[]> float32 = lossAndGradients(model, n -> n.contains("proj"), false, Autocast.NONE);
        assertSameNumbers(plain, checkpointed, 1e-6);
        assertFalse(java.util.Arrays.equals(plain.get("model.layers.0.self_attn.q_proj.weight"),
                float32.get("model.layers.0.self_attn.q_proj.weight")), "bf16 differs from float32, so the check can see it");
    }

    /** The names of the autograd nodes reachable from {@code t}'s, each once. */
    private static List<String> graph(Tensor t) {
        List<String> names = new java.util.ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<org.bytedeco.pytorch.Node> todo = new java.util.ArrayDeque<>(List.of(t.grad_fn()));
        while (!todo.isEmpty()) {
            org.bytedeco.pytorch.Node n = todo.pop();
            if (!seen.add(n.address())) {
                continue;
            }
            names.add(n.name().getString());
            org.bytedeco.pytorch.EdgeVector edges = n.next_edges();
            for (long i = 0; i < edges.size(); i++) {
                org.bytedeco.pytorch.Node next = edges.get(i).function();
                if (next != null && !next.isNull()) {
                    todo.push(next);
                }
            }
        }
        return names;
    }

    /** With checkpointing the graph between the passes holds no block's operations: a clone per block stands for each. */
    @SuppressWarnings("try") // scope guards are used for their extent
    @Test
    void checkpointedBlocksLeaveOnlyAClonePerBlockInTheGraph() {
        LlamaModel model = TinyModels.model(TinyModels.qwen2Tied(), 7);
        model.setTrainable(n -> n.contains("proj"));
        Tensor ids = HostTensors.longs(IDS, 2, IDS.length / 2);
        for (boolean on : new boolean[] {false, true}) {
            model.setGradientCheckpointing(on);
            try (PointerScope s = new PointerScope()) {
                List<String> nodes = graph(model.hidden(ids, null, null));
                long clones = nodes.stream().filter(n -> n.startsWith("CloneBackward")).count();
                boolean blockOps = nodes.stream().anyMatch(n -> n.startsWith("SiluBackward"));
                assertEquals(on ? 2 : 0, clones, "clones: " + nodes);
                assertEquals(!on, blockOps, "block operations in the graph: " + nodes);
            }
            try (PointerScope s = new PointerScope(); AutoCloseable c = model.linears().capture(n -> true, (m, in, out, mask) -> { })) {
                List<String> capturing = graph(model.hidden(ids, null, null));
                assertTrue(capturing.stream().anyMatch(n -> n.startsWith("SiluBackward")),
                        "while activations are captured the blocks run once, as usual");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            List<String> outside = graph(model.hidden(ids, null, null));
            assertTrue(outside.stream().anyMatch(n -> n.startsWith("SiluBackward")), "outside a pointer scope the blocks run as usual");
        }
        model.setTrainable(n -> false);
    }
}
