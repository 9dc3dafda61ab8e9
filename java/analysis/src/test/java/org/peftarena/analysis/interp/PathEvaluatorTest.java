package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.train.sft.SftCheckpoints;
import org.peftarena.kernels.KernelOps;

class PathEvaluatorTest {
    @TempDir
    Path tmp;

    @Test
    void everyAlphaIsScoredInOrderAndAKnownBaseIsReused() {
        LlamaModel base = PathFixtures.model(2);
        AdapterCheckpoint oft = PathFixtures.adapter(base, new OftConfig(4), 3, 0.1);
        ModelScorer scorer = PathFixtures.lossScorer();
        ModelScores baseScores = scorer.score(base);
        List<Double> seen = new ArrayList<>();
        ModelScorer counting = m -> {
            ModelScores s = scorer.score(m);
            seen.add(s.target());
            return s;
        };
        List<PathPoint> points = PathEvaluator.evaluate(base, oft, AlphaGrid.DEFAULT, PathKind.AUTO, counting,
                KernelOps.cpu(), baseScores);
        assertEquals(11, points.size());
        assertEquals(10, seen.size(), "alpha 0 reuses the known base scores");
        assertSame(baseScores, points.get(0).scores());
        assertEquals(PathKind.CAYLEY, points.get(5).path());
        assertEquals(0.5, points.get(5).alpha());
        ModelScores merged = scorer.score(PathFixtures.merged(base, oft));
        assertEquals(merged.target(), points.get(10).target(), 1e-4);
        assertEquals(baseScores.target(), scorer.score(base).target(), 0.0, "base restored");
    }

    @Test
    void trainingCheckpointsAreScoredOnTheSameAxes() throws Exception {
        LlamaModel base = PathFixtures.model(2);
        ModelScorer scorer = PathFixtures.lossScorer();
        Map<Integer, AdapterCheckpoint> byStep = Map.of(10, PathFixtures.adapter(base, new LoraConfig(2, 4), 1, 0.05),
                20, PathFixtures.adapter(base, new LoraConfig(2, 4), 2, 0.1));
        for (Map.Entry<Integer, AdapterCheckpoint> e : byStep.entrySet()) {
            PeftModel pm = PeftModel.attach(base, e.getValue().config(), TargetModules.ALL_LINEAR, 0);
            pm.adapters().load(e.getValue().tensors());
            SftCheckpoints.save(pm, tmp, new SftCheckpoints.State(e.getKey(), List.of(1.0)), "tiny");
            pm.detach();
        }
        Files.createDirectories(tmp.resolve(SftCheckpoints.DIR).resolve(".tmp-step-000030"));
        List<Path> dirs = TrainingPathEvaluator.checkpoints(tmp);
        assertEquals(2, dirs.size(), "incomplete checkpoints are skipped");
        List<TrainingPoint> points = TrainingPathEvaluator.evaluate(base, dirs, scorer);
        assertEquals(List.of(10, 20), points.stream().map(TrainingPoint::step).toList());
        for (TrainingPoint p : points) {
            ModelScores want = scorer.score(PathFixtures.merged(base, byStep.get(p.step())));
            assertEquals(want.target(), p.scores().target(), 1e-4);
            assertEquals(want.general(), p.scores().general(), 1e-4);
        }
    }
}
