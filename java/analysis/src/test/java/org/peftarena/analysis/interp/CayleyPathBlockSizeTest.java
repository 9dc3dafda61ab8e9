package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.peftarena.analysis.rewind.RewindOptions;
import org.peftarena.analysis.rewind.RewindStrategy;
import org.peftarena.analysis.rewind.Rewinder;
import org.peftarena.analysis.rewind.RotationStrength;
import org.peftarena.kernels.KernelOps;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;

/** The Cayley path holds the adapter's generators to the block size its configuration gives, as merge does. */
class CayleyPathBlockSizeTest {
    @Test
    void generatorsOfAnotherBlockSizeThanTheConfigsAreRefusedByInterpolateAsByMerge() {
        LlamaModel base = PathFixtures.model(5);
        AdapterCheckpoint trained = PathFixtures.adapter(base, new OftConfig(4, CayleyVariant.NEUMANN_5), 3, 0.2);
        // the same tensors (blocks of 4) under a config that says oft_block_size 8
        AdapterCheckpoint mislabelled = new AdapterCheckpoint(new OftConfig(8, CayleyVariant.NEUMANN_5), trained.targets(),
                trained.tensors(), trained.baseModel());
        assertThrows(AdapterFormatException.class, () -> PathFixtures.merged(base, mislabelled));
        PathException e = assertThrows(PathException.class,
                () -> InterpolationPaths.open(base, mislabelled, PathKind.CAYLEY, AlphaGrid.DEFAULT, KernelOps.cpu()));
        assertTrue(e.getMessage().contains("oft_block_size 8") && e.getMessage().contains("oft_R.weight"), e.getMessage());
        // rewinding reads the generators through the same check
        PathException r = assertThrows(PathException.class, () -> Rewinder.plan(mislabelled,
                new RewindOptions(RewindStrategy.MIN_RHO, 0.4,
                        RotationStrength.FRO_Q, true, RewindOptions.DEFAULT_REFERENCE_FRACTION), KernelOps.cpu()));
        assertTrue(r.getMessage().contains("oft_block_size 8"), r.getMessage());
        // the honest adapter still opens
        InterpolationPaths.open(base, trained, PathKind.CAYLEY, AlphaGrid.DEFAULT, KernelOps.cpu()).close();
    }
}
