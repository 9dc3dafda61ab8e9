package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** Without gradients each decoder block's temporaries are released when the block ends; with them they stay. */
class ForwardScopesTest {
    private static final long[] IDS = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};

    /** Whether layer 0's linear outputs were already released when layer 1's first linear layer ran. */
    @SuppressWarnings("try") // the capture is used for its extent
    private static boolean firstBlockReleasedBySecond(LlamaModel model) throws Exception {
        List<Tensor> first = new ArrayList<>();
        List<Boolean> released = new ArrayList<>();
        try (AutoCloseable c = model.linears().capture(n -> true, (m, in, out, mask) -> {
            if (m.startsWith("model.layers.0.")) {
                first.add(out);
            } else if (m.startsWith("model.layers.1.") && released.isEmpty()) {
                released.add(first.stream().allMatch(t -> t.isNull()));
            }
        })) {
            model.forward(HostTensors.longs(IDS, 1, IDS.length), null);
        }
        assertEquals(7, first.size(), "the seven linear layers of block 0");
        return released.get(0);
    }

    @Test
    @SuppressWarnings("try") // scope guards are used for their extent
    void withoutGradientsABlocksActivationsAreReleasedBeforeTheNextBlockAndTheLogitsAreTheSame() throws Exception {
        LlamaModel model = TinyModels.model(TinyModels.llama3Scaled(), 2);
        float[] withGraph;
        try (PointerScope s = new PointerScope()) {
            assertEquals(false, firstBlockReleasedBySecond(model), "with gradients the handles stay with the caller");
            withGraph = HostTensors.toFloats(model.forward(HostTensors.longs(IDS, 1, IDS.length), null));
        }
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            assertEquals(true, firstBlockReleasedBySecond(model));
            float[] without = HostTensors.toFloats(model.forward(HostTensors.longs(IDS, 1, IDS.length), null));
            assertArrayEquals(withGraph, without, "bit for bit");
        }
    }
}
