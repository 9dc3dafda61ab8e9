package org.peftarena.arena.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.report.AlphaPath;
import org.peftarena.arena.report.ArenaReport;
import org.peftarena.arena.report.FrontierSet;
import org.peftarena.arena.report.ReportBuilder;
import org.peftarena.arena.report.RunRow;
import org.peftarena.arena.spec.RunSpec;

class ScoreImportTest {
    @TempDir
    Path tmp;

    @Test
    void publishedReferencePointsGetTheSameFrontierAnalysis() throws Exception {
        Path csv = Files.writeString(tmp.resolve("qwen.csv"), """
                run,adapter,alpha,target,general,method,budget,target_task
                base,,0,35.30,46.97,base,,math
                ,/ckpt/full,1,50.63,34.22,full,fixed,math
                ,/ckpt/oft-b32,1,46.93,44.37,oft,b32,math
                ,/ckpt/oft-b32,0.3,45.77,48.64,oft,b32,math
                ,/ckpt/lora-r8,1,42.47,39.22,lora,r8,math
                ,"/ckpt/pissa,r8",1,44.53,24.78,pissa,r8,math
                """);
        List<ExternalScore> scores = ExternalScoreReader.read(csv);
        assertEquals(6, scores.size());
        assertEquals("/ckpt/pissa,r8", scores.get(5).adapter());
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            ScoreImporter.Summary s = ScoreImporter.apply(r, scores);
            assertEquals(new ScoreImporter.Summary(6, 0, 5), s);
            ArenaReport report = ReportBuilder.build(r, "imported");
            assertEquals(1, report.bases().size());
            RunRow full = report.runs().stream().filter(x -> x.method().equals("full")).findFirst().orElseThrow();
            assertEquals(50.63 - 35.30, full.gain(), 1e-9);
            assertEquals(46.97 - 34.22, full.forget(), 1e-9);
            RunRow oft = report.runs().stream().filter(x -> x.method().equals("oft")).findFirst().orElseThrow();
            assertEquals(46.93, oft.targetScore(), 1e-9, "the final model is the row at alpha 1");
            FrontierSet all = report.frontiers().stream().filter(f -> f.band().equals(FrontierSet.ALL_BANDS))
                    .findFirst().orElseThrow();
            assertEquals(List.of("oft/b32/math", "full/fixed/math"), all.points().stream().map(p -> p.id()).toList());
            AlphaPath path = report.alphaPaths().get(0);
            assertEquals(List.of(0.3, 1.0), path.alphas());
            assertEquals(List.of(48.64, 44.37), path.generalScores());
        }
    }

    @Test
    void jsonScoresNamingARegisteredRunAddToIt() throws Exception {
        RunSpec base = SyntheticRuns.base("t");
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "t", 1, base);
        Path json = Files.writeString(tmp.resolve("s.json"), "{\"scores\": [{\"run\": \"" + lora.id()
                + "\", \"alpha\": 0.5, \"target\": 20, \"general\": 48}]}");
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            SyntheticRuns.store(r, lora, SyntheticRuns.result(lora, 30, 44, 44));
            assertEquals(new ScoreImporter.Summary(1, 1, 0), ScoreImporter.apply(r, ExternalScoreReader.read(json)));
            ArenaReport report = ReportBuilder.build(r, "x");
            RunRow row = report.runs().get(0);
            assertEquals(30, row.targetScore(), 1e-12, "its own final scores stay");
            assertEquals(1, r.scores(lora.id()).stream().filter(s -> s.phase().equals("imported") && s.task().equals("target")).count());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no model column  | alpha,target,general\\n1,2,3                  | 'run' or an 'adapter'",
            "not a number     | run,target,general\\nr,abc,3                  | s.csv:2",
            "missing general  | run,target\\nr,1                              | 'general'",
            "ragged line      | run,target,general\\nr,1                      | 2 fields",
            "empty            | run,target,general                            | no scores"})
    void malformedFilesNameLineAndProblem(String name, String text, String expected) throws Exception {
        Path f = Files.writeString(tmp.resolve("s.csv"), text.replace("\\n", "\n") + "\n");
        ScoreImportException e = assertThrows(ScoreImportException.class, () -> ExternalScoreReader.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
