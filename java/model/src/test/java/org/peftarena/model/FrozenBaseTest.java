package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.formats.config.LlamaConfig;
import org.peftarena.formats.io.ShardedCheckpoint;
import org.peftarena.kernels.JniPeers;

/** A bfloat16/float16 base held as stored and computed in float32: weights, forward, backward. */
class FrozenBaseTest {
    private static float maxAbs(Tensor t) {
        return HostTensors.toFloats(t.abs().max())[0];
    }

    private static Tensor linearInput(long seed) {
        torch.manual_seed(seed);
        return torch.randn(2, 3, 8);
    }

    @ParameterizedTest(name = "in a pointer scope: {0}")
    @ValueSource(booleans = {true, false})
    @SuppressWarnings("try") // the pointer scope is used for its extent
    void frozenLinearMatchesTheWidenedLinearForwardAndBackward(boolean scoped) {
        try (PointerScope scope = scoped ? new PointerScope() : null) {
            frozenLinearMatchesTheWidenedLinear(scoped);
        }
    }

    private static void frozenLinearMatchesTheWidenedLinear(boolean scoped) {
        torch.manual_seed(3);
        Tensor w = torch.randn(5, 8).to(torch.ScalarType.BFloat16);
        Tensor b = torch.randn(5).to(torch.ScalarType.BFloat16);
        Tensor c = torch.randn(2, 3, 5);
        Tensor x = linearInput(4).requires_grad_(true);
        Tensor ref = linearInput(4).requires_grad_(true);

        Tensor y = FrozenLinear.apply(x, w, b);
        // in a scope the hooks carry the gradient; outside one, autograd's own product (nothing would hold hooks)
        assertEquals(scoped ? 1L : 0L, y.grad_fn().pre_hooks().size(), "hooks on the output's node");
        if (!scoped) {
            collectGarbage(); // hooks collected here would make the backward call a collected object
        }
        // x is also used directly, so the relayed gradient must add to another path's
        y.mul(c).sum().add(x.pow(new Scalar(2.0)).sum()).backward();
        Tensor yRef = torch.linear(ref, w.to(torch.ScalarType.Float), b.to(torch.ScalarType.Float));
        yRef.mul(c).sum().add(ref.pow(new Scalar(2.0)).sum()).backward();

        assertEquals(torch.ScalarType.Float, y.scalar_type().intern());
        assertTrue(maxAbs(y.sub(yRef)) < 1e-6f, "forward");
        assertTrue(maxAbs(x.grad().sub(ref.grad())) < 1e-6f, "input gradient " + maxAbs(x.grad().sub(ref.grad())));
        assertTrue(maxAbs(x.grad()) > 0.1f, "the gradient is not trivially zero");
        assertFalse(w.grad().defined(), "the frozen weight gets no gradient");
        assertEquals(torch.ScalarType.BFloat16, w.scalar_type().intern());
    }

    @Test
    @SuppressWarnings("try") // the pointer scope is used for its extent
    void frozenLinearHooksLeaveNoJniReferencesBehind() {
        torch.manual_seed(9);
        Tensor w = torch.randn(5, 8).to(torch.ScalarType.BFloat16);
        Tensor x = linearInput(10).requires_grad_(true);
        int steps = 40;
        Set<Long> handles = new HashSet<>();
        for (int step = 0; step < steps; step++) {
            try (PointerScope scope = new PointerScope()) {
                Tensor y = FrozenLinear.apply(x, w, null);
                long reference = JniPeers.referenceField(y.grad_fn().pre_hooks().get(0));
                assertTrue(JniPeers.isWeakReference(reference), "the hook's peer holds a JNI weak reference while its graph lives");
                handles.add(reference);
                y.sum().backward();
            }
        }
        assertTrue(x.grad().defined() && maxAbs(x.grad()) > 0, "the hooks ran");
        assertTrue(handles.size() <= steps / 4, handles.size() + " JNI handles held by the output hooks of " + steps
                + " steps: released hooks leave their references behind");
    }

    /** Gives the collector every chance to clear weak references to unreachable objects. */
    static void collectGarbage() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void aJavaGradientHookRefusesToBeAddedOutsideAPointerScope() {
        Tensor x = linearInput(2).requires_grad_(true);
        Tensor y = x.mul(new Scalar(2.0));
        OwnedPreHook hook = new OwnedPreHook() {
            @Override
            public org.bytedeco.pytorch.TensorVector apply(org.bytedeco.pytorch.TensorVector grads) {
                return grads;
            }
        };
        assertFalse(OwnedPreHook.held());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> hook.addTo(y.grad_fn()));
        assertTrue(e.getMessage().contains("PointerScope"), e.getMessage());
        assertEquals(0L, y.grad_fn().pre_hooks().size(), "nothing was added");
    }

    @Test
    void frozenLinearWithoutGradientIsThePlainWidenedProduct() {
        torch.manual_seed(5);
        Tensor w = torch.randn(5, 8).to(torch.ScalarType.Half);
        Tensor x = linearInput(6);
        Tensor y = LinearModule.apply(x, w, null);
        assertTrue(maxAbs(y.sub(torch.linear(x, w.to(torch.ScalarType.Float)))) < 1e-6f);
        assertFalse(y.requires_grad());
    }

    @Test
    void aTrainableNarrowWeightIsRefused() {
        Tensor w = torch.randn(5, 8).to(torch.ScalarType.BFloat16).requires_grad_(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrozenLinear.apply(linearInput(1), w, null));
        assertTrue(e.getMessage().contains("must be frozen"), e.getMessage());
    }

    @Test
    void aBfloat16CheckpointStaysBfloat16MappedAndComputesLikeItsFloat32Widening(@TempDir Path dir) throws Exception {
        checkNarrowCheckpoint(dir, ModelDType.BFLOAT16, torch.ScalarType.BFloat16);
    }

    @Test
    void aFloat16CheckpointStaysFloat16(@TempDir Path dir) throws Exception {
        checkNarrowCheckpoint(dir, ModelDType.FLOAT16, torch.ScalarType.Half);
    }

    private static void checkNarrowCheckpoint(Path dir, ModelDType dtype, torch.ScalarType type) throws Exception {
        LlamaConfig config = TinyModels.qwen2Tied();
        LlamaModel written = new LlamaModel(config, WeightInitializer.initialize(config, dtype, 7, 0.3));
        HfModelDirectory.save(written, dir, 8_000); // several shards
        assertTrue(Files.isRegularFile(dir.resolve(ShardedCheckpoint.INDEX_FILE)), "sharded");

        LlamaModel frozen = HfModelDirectory.loadFrozenBase(dir);
        assertEquals(dtype, frozen.dtype());
        assertEquals(ModelDType.FLOAT32, frozen.computeDtype());
        assertEquals(dtype, HfModelDirectory.frozenBaseDtype(dir));
        for (Map.Entry<String, Tensor> e : frozen.weights().asMap().entrySet()) {
            assertEquals(type, e.getValue().scalar_type().intern(), e.getKey());
            assertFalse(e.getValue().requires_grad(), e.getKey());
            assertTrue(MappedTensors.isMapped(e.getValue()), e.getKey() + " is a mapping of its file");
        }

        LlamaModel widened = HfModelDirectory.load(dir, ModelDType.FLOAT32);
        Tensor ids = HostTensors.longs(new long[] {1, 5, 9, 2, 30, 4, 7, 7, 0, 11}, 2, 5);
        Tensor mask = HostTensors.longs(new long[] {0, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2, 5);
        Tensor logits = frozen.forward(ids, mask);
        Tensor expected = widened.forward(ids, mask);
        assertEquals(torch.ScalarType.Float, logits.scalar_type().intern());
        assertTrue(maxAbs(logits.sub(expected)) < 1e-5f, "logits differ by " + maxAbs(logits.sub(expected)));

        // the values are the stored ones: the mapping reads the file's bytes
        Tensor embed = frozen.weights().get(ModelWeights.EMBED);
        assertEquals(0f, maxAbs(embed.to(torch.ScalarType.Float).sub(written.weights().get(ModelWeights.EMBED)
                .to(torch.ScalarType.Float))));
    }

    @Test
    void aFloat32CheckpointLoadsAsFloat32(@TempDir Path dir) throws Exception {
        LlamaConfig config = TinyModels.qwen2Tied();
        HfModelDirectory.save(new LlamaModel(config, WeightInitializer.initialize(config, ModelDType.FLOAT32, 2, 0.3)), dir);
        LlamaModel m = HfModelDirectory.loadFrozenBase(dir);
        assertEquals(ModelDType.FLOAT32, m.dtype());
        assertEquals(ModelDType.FLOAT32, m.computeDtype());
        assertEquals(ModelDType.FLOAT32, HfModelDirectory.frozenBaseDtype(dir));
    }

    @Test
    void aNarrowModelComputesOnlyInItsOwnDtypeOrFloat32() {
        LlamaConfig config = TinyModels.qwen2Tied();
        ModelWeights bf16 = WeightInitializer.initialize(config, ModelDType.BFLOAT16, 1, 0.3);
        assertThrows(IllegalArgumentException.class, () -> new LlamaModel(config, bf16, ModelDType.FLOAT16));
        assertEquals(ModelDType.BFLOAT16, new LlamaModel(config, bf16).computeDtype());
    }
}
