package org.peftarena.analysis.rewind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.interp.AdapterSnapshot;
import org.peftarena.analysis.interp.AlphaGrid;
import org.peftarena.analysis.interp.ModelScorer;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.OvershootOptions;
import org.peftarena.analysis.interp.PathException;
import org.peftarena.analysis.interp.PathFixtures;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.kernels.KernelOps;

class PostHocAnalysisTest {
    private static final PostHocOptions SMALL = new PostHocOptions(AlphaGrid.parse("0,0.5,1"), OvershootOptions.DEFAULT,
            RewindOptions.ARENA_TABLE, true);

    @Test
    void oftRunsGetBothPathsAnOperatingPointAndTheRewindingTable() {
        LlamaModel base = PathFixtures.model(8);
        AdapterCheckpoint oft = PathFixtures.adapter(base, new OftConfig(4), 1, 0.1);
        ModelScorer scorer = PathFixtures.lossScorer();
        ModelScores baseScores = scorer.score(base);
        ModelScores finalScores = scorer.score(PathFixtures.merged(base, oft));
        PostHocReport r = PostHocAnalysis.run(base, oft, scorer, baseScores, finalScores, SMALL, KernelOps.cpu());
        assertEquals(3, r.path().size());
        assertEquals(PathKind.CAYLEY, r.path().get(1).path());
        assertEquals(PathKind.DENSE, r.denseBaseline().get(1).path());
        assertSame(baseScores, r.path().get(0).scores());
        assertSame(finalScores, r.path().get(2).scores());
        assertSame(finalScores, r.operatingPoint().finalPoint().scores());
        assertEquals(List.of("uniform 0.4", "safe-rho", "min-rho"),
                r.rewinding().stream().map(o -> o.plan().options().label()).toList());
        assertTrue(PathFixtures.sameWeights(base, PathFixtures.model(8)), "the base model is left as it was");
    }

    @Test
    void loraRunsGetTheirLinearPathAndNoRewindingTable() {
        LlamaModel base = PathFixtures.model(8);
        PeftModel pm = PeftModel.attach(base, new LoraConfig(2, 4), TargetModules.ALL_LINEAR, 3);
        AdapterCheckpoint snapshot = AdapterSnapshot.of(pm, "tiny");
        pm.detach();
        PostHocReport r = PostHocAnalysis.run(base, snapshot, PathFixtures.lossScorer(), null, null, SMALL, KernelOps.cpu());
        assertEquals(PathKind.LINEAR, r.path().get(0).path());
        assertTrue(r.denseBaseline().isEmpty() && r.rewinding().isEmpty());
        assertThrows(PathException.class, () -> new PostHocOptions(AlphaGrid.parse("0,0.5"), OvershootOptions.DEFAULT,
                List.of(), false));
    }
}
