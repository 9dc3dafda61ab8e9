package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.build.BuildInfo;
import org.peftarena.arena.importer.ExternalScoreReader;
import org.peftarena.arena.importer.ScoreImporter;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;

/** report.json records what produced it and says null where a value is unknown. */
class ReportJsonTest {
    @TempDir
    Path tmp;

    @Test
    void recordsTheConfigTheToolAndNullForWhatImportedRunsDoNotKnow() throws Exception {
        Path csv = Files.writeString(tmp.resolve("s.csv"), """
                run,alpha,target,general,method,budget,target_task,params
                ext-a,1,40,30,lora,r8,de,
                ext-b,1,41,31,lora,r8,de,12345
                """);
        JsonNode doc;
        try (RunRegistry r = RunRegistry.open(tmp.resolve("registry.db"))) {
            RunSpec base = SyntheticRuns.base("de");
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 20, 30));
            RunSpec lora = SyntheticRuns.finetune("lora", "r8", "de", 3, base);
            SyntheticRuns.store(r, lora, SyntheticRuns.result(lora, 30, 18, 28));
            ScoreImporter.apply(r, ExternalScoreReader.read(csv));
            JsonNode config = RunSpecJson.MAPPER.readTree("{\"name\": \"mine\", \"seeds\": [1, 2]}");
            Path json = ReportFiles.write(ReportBuilder.build(r, "t"), tmp.resolve("report"), config).get(0);
            doc = RunSpecJson.MAPPER.readTree(json.toFile());
        }
        assertEquals("mine", doc.get("arena_config").get("name").asText());
        assertTrue(doc.get("arena_config").get("seeds").get(0).isIntegralNumber());
        assertEquals("peft-arena", doc.get("tool").get("name").asText());
        assertEquals(BuildInfo.current().version(), doc.get("tool").get("version").asText());
        assertTrue(doc.get("tool").get("commit").asText().matches("[0-9a-f]{7,64}|unknown"), doc.get("tool").toString());
        assertTrue(!BuildInfo.current().version().equals(BuildInfo.UNKNOWN), "the build recorded its version");
        int imported = 0;
        for (JsonNode run : doc.get("runs")) {
            if (run.get("status").asText().startsWith("imported")) {
                imported++;
                assertTrue(run.get("seed").isNull(), run.toString());
                assertTrue(run.get("size").isNull(), run.toString());
                if (run.get("run_id").asText().contains("ext-b")) {
                    assertEquals(12345, run.get("params").asLong(), "a parameter count the file gave is kept");
                } else {
                    assertTrue(run.get("params").isNull(), run.toString());
                }
            } else {
                assertTrue(run.get("seed").isIntegralNumber(), "a trained run keeps its seed: " + run);
            }
        }
        assertEquals(2, imported, doc.get("runs").toString());
    }
}
