package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelOps;
import org.peftarena.model.Devices;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftConfig;

/**
 * Paths move a model where it is: opened on a model on another device, every weight they write (and
 * every adapter tensor they attach) stays on that device, with the adapter read from host memory and
 * the Cayley rotations computed there by the host kernels. Checked on LibTorch's {@code meta} device,
 * which every build has: a host tensor meeting a meta one fails with LibTorch's device error, and one
 * left on the host shows up as a non-meta weight. A host kernel handed a meta tensor's address is refused.
 */
class PathDeviceTest {
    private static final AlphaGrid GRID = AlphaGrid.parse("0,0.5,1");
    private static final Device META = Devices.parse("meta");

    static Stream<Arguments> cases() {
        // the dense path compares weights by value when it opens, which meta tensors cannot (see below)
        return Stream.of(Arguments.of("lora linear", new LoraConfig(4, 8), PathKind.LINEAR),
                Arguments.of("oft cayley, Neumann series", new OftConfig(4, CayleyVariant.NEUMANN_5), PathKind.CAYLEY),
                Arguments.of("oft cayley, exact", new OftConfig(8, CayleyVariant.EXACT), PathKind.AUTO));
    }

    private static void assertOnMeta(String what, LlamaModel model) {
        for (Map.Entry<String, Tensor> e : model.weights().asMap().entrySet()) {
            assertTrue(e.getValue().is_meta(), what + ": " + e.getKey() + " is on " + Devices.name(e.getValue().device()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aPathOnAnotherDeviceWritesTheWeightsThere(String name, PeftConfig config, PathKind kind) {
        LlamaModel host = PathFixtures.model(3);
        AdapterCheckpoint adapter = PathFixtures.adapter(host, config, 5, 0.1); // read from host memory, as from disk
        LlamaModel base = host.to(META);
        try (InterpolationPath path = InterpolationPaths.open(base, adapter, kind, GRID, KernelOps.cpu())) {
            assertEquals(kind.resolve(config.method()), path.kind());
            for (int i = 0; i < GRID.size(); i++) {
                try {
                    path.moveTo(i);
                } catch (RuntimeException e) {
                    // the linear path's merge checks the adapter's values are finite, which meta tensors cannot
                    // tell: up to there (attaching on meta, loading host tensors there) the placement held
                    if (path.kind() == PathKind.LINEAR && String.valueOf(e.getMessage()).contains("no fake impl or Meta kernel")
                            && Stream.of(e.getStackTrace()).anyMatch(f -> f.getMethodName().equals("finite"))) {
                        return;
                    }
                    throw e;
                }
                assertOnMeta(name + " at alpha " + GRID.get(i), path.model());
            }
        }
        assertOnMeta(name + " after closing", base);
    }

    @Test
    void aFullFinetuningPathCopiesTheTunedWeightsToTheBaseModelsDevice() {
        LlamaModel base = PathFixtures.model(3).to(META);
        LlamaModel tuned = PathFixtures.model(4); // host memory
        // the dense path compares the tuned weights with the base's; meta tensors have no values to compare,
        // so LibTorch refuses there, after the copy: a host tensor meeting a meta one would fail before it
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> InterpolationPaths.openTuned(base, tuned.weights(), PathKind.AUTO, GRID));
        assertTrue(!String.valueOf(e.getMessage()).contains("same device"), e.getMessage());
    }
}
