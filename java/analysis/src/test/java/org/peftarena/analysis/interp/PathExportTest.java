package org.peftarena.analysis.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.LlamaModel;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.io.AdapterCheckpoint;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.kernels.KernelOps;

/** Exported checkpoints load as plain models and score as the in-engine evaluation of the same path. */
class PathExportTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lora", "oft", "oft-dense"})
    void exportedCheckpointsScoreAsTheInEngineEvaluation(String which) throws Exception {
        LlamaModel base = PathFixtures.model(7);
        Path baseDir = tmp.resolve("base");
        HfModelDirectory.save(base, baseDir);
        Files.writeString(baseDir.resolve("tokenizer.json"), "{\"stand-in\": true}");
        PeftConfig config = which.equals("lora") ? new LoraConfig(4, 8) : new OftConfig(4, CayleyVariant.NEUMANN_5);
        PathKind kind = which.equals("oft-dense") ? PathKind.DENSE : PathKind.AUTO;
        AdapterCheckpoint adapter = PathFixtures.adapter(base, config, 9, 0.1);
        AlphaGrid grid = AlphaGrid.parse("0,0.4,1,1.2");
        ModelScorer scorer = PathFixtures.lossScorer();
        KernelOps kernels = KernelOps.cpu();
        List<PathPoint> inEngine = PathEvaluator.evaluate(base, adapter, grid, kind, scorer, kernels, null);
        List<ExportedPoint> exported;
        try (InterpolationPath path = InterpolationPaths.open(base, adapter, kind, grid, kernels)) {
            exported = PathExporter.export(path, baseDir, tmp.resolve("out"), "run,1");
        }
        assertEquals(grid.size(), exported.size());
        for (int i = 0; i < grid.size(); i++) {
            ExportedPoint p = exported.get(i);
            assertEquals(tmp.resolve("out").resolve("alpha-" + AlphaGrid.label(grid.get(i))), p.dir());
            assertTrue(Files.isRegularFile(p.dir().resolve("tokenizer.json")), "tokenizer copied");
            ModelScores s = scorer.score(HfModelDirectory.load(p.dir(), ModelDType.FLOAT32));
            assertEquals(inEngine.get(i).target(), s.target(), 1e-4, which + " alpha " + grid.get(i) + " Target");
            assertEquals(inEngine.get(i).general(), s.general(), 1e-4, which + " alpha " + grid.get(i) + " General");
        }
        String csv = Files.readString(tmp.resolve("out").resolve(PathExporter.SCORES_TEMPLATE), StandardCharsets.UTF_8);
        assertEquals("run,alpha,target,general\n\"run,1\",0,,\n\"run,1\",0.4,,\n\"run,1\",1,,\n\"run,1\",1.2,,\n", csv);
        assertTrue(Files.readString(tmp.resolve("out").resolve(PathExporter.MANIFEST)).contains("\"alpha-0.4\""));
        assertTrue(PathFixtures.sameWeights(base, PathFixtures.model(7)), "exporting leaves the base model as it was");
    }
}
