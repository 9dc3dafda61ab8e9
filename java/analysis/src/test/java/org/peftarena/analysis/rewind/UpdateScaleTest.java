package org.peftarena.analysis.rewind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.CayleyRotations;
import org.peftarena.analysis.interp.InterpolationPath;
import org.peftarena.analysis.interp.InterpolationPaths;
import org.peftarena.analysis.interp.PathEvaluator;
import org.peftarena.analysis.interp.PathFixtures;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.analysis.interp.PathPoint;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.kernels.KernelOps;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftConfig;

/**
 * The update scale {@code normF(W(alpha) - W0) / normF(W(1) - W0)} puts paths of different methods
 * on one axis: alpha on the linear paths, about {@code sqrt(alpha)} (the generator scale) on OFT's
 * Cayley path for small rotations, and a uniformly rewound OFT adapter lands where the Cayley path
 * at {@code alpha = f^2} is.
 */
class UpdateScaleTest {
    private static final KernelOps KERNELS = KernelOps.cpu();

    @Test
    void theCayleyPathsUpdateGrowsLikeTheGeneratorScale() {
        LlamaModel base = PathFixtures.model(31);
        AdapterCheckpoint oft = PathFixtures.adapter(base, new OftConfig(4, CayleyVariant.EXACT), 5, 0.02);
        AlphaGrid grid = AlphaGrid.parse("0,0.04,0.16,0.25,0.64,1");
        try (InterpolationPath path = InterpolationPaths.open(base, oft, PathKind.CAYLEY, grid, KERNELS)) {
            assertEquals(0.0, path.updateScale(0), 1e-12);
            assertEquals(1.0, path.updateScale(grid.size() - 1), 1e-6);
            for (int i = 1; i < grid.size() - 1; i++) {
                double alpha = grid.get(i);
                double u = path.updateScale(i);
                // small rotations: cayley(t Q) - I is t times a fixed matrix to first order
                assertEquals(CayleyRotations.generatorScale(alpha), u, 0.01, "alpha " + alpha);
                assertTrue(u > alpha + 0.1, "the update is not alpha itself on the Cayley path: " + u + " at " + alpha);
            }
        }
    }

    @Test
    void theCayleyPathWithoutAlphaOneStillMeasuresAgainstTheFinalUpdate() {
        LlamaModel base = PathFixtures.model(31);
        AdapterCheckpoint oft = PathFixtures.adapter(base, new OftConfig(4, CayleyVariant.EXACT), 5, 0.02);
        double withOne;
        try (InterpolationPath path = InterpolationPaths.open(base, oft, PathKind.CAYLEY, AlphaGrid.parse("0.25,1"),
                KERNELS)) {
            withOne = path.updateScale(0);
        }
        try (InterpolationPath path = InterpolationPaths.open(base, oft, PathKind.CAYLEY, AlphaGrid.parse("0.25"),
                KERNELS)) {
            assertEquals(withOne, path.updateScale(0), 1e-9);
        }
    }

    @Test
    void linearPathsReportAlphaAndTheEvaluatorCarriesTheScale() {
        LlamaModel base = PathFixtures.model(32);
        AdapterCheckpoint lora = PathFixtures.adapter(base, new LoraConfig(2, 4), 3, 0.1);
        List<PathPoint> points = PathEvaluator.evaluate(base, lora, AlphaGrid.parse("0,0.3,1"), PathKind.AUTO,
                PathFixtures.lossScorer(), KERNELS, null);
        assertEquals(List.of(0.0, 0.3, 1.0), points.stream().map(PathPoint::updateScale).toList());
        assertTrue(Double.isNaN(points.get(1).generatorScale()), "no generator off the Cayley path");
    }

    @Test
    void uniformRewindingOfOftIsTheCayleyPathAtTheSquaredFactor() {
        LlamaModel base = PathFixtures.model(33);
        AdapterCheckpoint oft = PathFixtures.adapter(base, new OftConfig(4, CayleyVariant.EXACT), 6, 0.3);
        List<RewindOutcome> rewound = RewindEvaluator.evaluate(base, oft, List.of(RewindOptions.of(RewindStrategy.UNIFORM)),
                PathFixtures.lossScorer(), KERNELS);
        RewindPlan plan = rewound.get(0).plan();
        assertEquals(0.16, plan.cayleyAlpha(), 1e-12, "uniform 0.4 scales every generator by 0.4: alpha = 0.4^2");
        double onPath;
        try (InterpolationPath path = InterpolationPaths.open(base, oft, PathKind.CAYLEY,
                AlphaGrid.parse(AlphaGrid.label(plan.cayleyAlpha()) + ",1"), KERNELS)) {
            onPath = path.updateScale(0);
        }
        assertEquals(onPath, rewound.get(0).updateScale(), 1e-4);
        assertTrue(rewound.get(0).updateScale() > 0.3 && rewound.get(0).updateScale() < 0.5,
                "near the generator scale 0.4, far from 0.16: " + rewound.get(0).updateScale());
    }

    @Test
    void uniformRewindingOfLoraScalesTheUpdateByItsFactor() {
        LlamaModel base = PathFixtures.model(34);
        AdapterCheckpoint lora = PathFixtures.adapter(base, new LoraConfig(2, 4), 3, 0.1);
        RewindOutcome r = RewindEvaluator.evaluate(base, lora, List.of(RewindOptions.of(RewindStrategy.UNIFORM)),
                PathFixtures.lossScorer(), KERNELS).get(0);
        assertEquals(0.4, r.updateScale(), 1e-4);
        assertTrue(Double.isNaN(r.plan().cayleyAlpha()), "a LoRA adapter has no Cayley path");
    }
}
