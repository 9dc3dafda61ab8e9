package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        List<Path> files;
        try (RunRegistry r = RunRegistry.open(tmp.resolve("registry.db"))) {
            RunSpec base = SyntheticRuns.base("de");
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 20, 30));
            RunSpec lora = SyntheticRuns.finetune("lora", "r8", "de", 3, base);
            SyntheticRuns.store(r, lora, SyntheticRuns.result(lora, 30, 18, 28));
            ScoreImporter.apply(r, ExternalScoreReader.read(csv));
            JsonNode config = RunSpecJson.MAPPER.readTree("{\"name\": \"mine\", \"seeds\": [1, 2]}");
            files = ReportFiles.write(ReportBuilder.build(r, "t"), tmp.resolve("report"), config);
            doc = RunSpecJson.MAPPER.readTree(files.get(0).toFile());
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

        // the other files leave the unknowns blank too, rather than print a seed 0 or 0 parameters
        List<String> csvLines = Files.readAllLines(files.get(1));
        List<String> header = List.of(csvLines.get(0).split(",", -1));
        for (String line : csvLines.subList(1, csvLines.size())) {
            List<String> f = List.of(line.split(",", -1));
            String id = f.get(header.indexOf("run_id"));
            if (f.get(header.indexOf("status")).startsWith("imported")) {
                assertEquals("", f.get(header.indexOf("seed")), line);
                assertEquals("", f.get(header.indexOf("size")), line);
                assertEquals(id.contains("ext-b") ? "12345" : "", f.get(header.indexOf("params")), line);
                assertEquals("", f.get(header.indexOf("budget_deviation_percent")), line);
            } else {
                assertTrue(f.get(header.indexOf("seed")).matches("\\d+"), line);
            }
        }
        List<String> importedRows = Files.readAllLines(files.get(2)).stream()
                .filter(l -> l.startsWith("| lora |") && l.contains("| imported")).toList();
        assertEquals(2, importedRows.size(), importedRows.toString());
        for (String row : importedRows) {
            List<String> cells = List.of(row.split(" \\| ", -1));
            // | method | budget | size | params | vs budget | lr | steps | target | seed | ...
            assertEquals("-", cells.get(2), row);
            assertTrue(cells.get(3).equals("-") || cells.get(3).equals("12,345"), row);
            assertEquals("-", cells.get(8), row);
        }
        String html = Files.readString(files.get(3));
        assertTrue(!html.matches("(?s).*<td>r8</td><td>0</td>.*"), "no size 0 for an imported run");
        assertTrue(html.contains("<td>r8</td><td>-</td><td>-</td>"), "size and params unknown for ext-a");
    }
}
