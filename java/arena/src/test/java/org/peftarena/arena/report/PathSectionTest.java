package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.importer.ExternalScoreReader;
import org.peftarena.arena.importer.ScoreImporter;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;

/** Imported alpha paths flow into the interpolation and overshoot sections like in-engine ones. */
class PathSectionTest {
    @TempDir
    Path tmp;

    @Test
    void importedPathGetsItsOperatingPointAndOvershootFlag() throws Exception {
        RunSpec base = SyntheticRuns.base("t");
        RunSpec lora = SyntheticRuns.finetune("lora", "r4", "t", 1, base);
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            SyntheticRuns.store(r, lora, SyntheticRuns.result(lora, 40, 40, 40));
            assertNull(ReportBuilder.build(r, "before").postHoc(), "no path yet: no section");
            Path csv = Files.writeString(tmp.resolve("s.csv"), "run,alpha,target,general\n"
                    + lora.id() + ",0,10,50\n" + lora.id() + ",0.5,39.8,47\n" + lora.id() + ",1,40,40\n");
            ScoreImporter.apply(r, ExternalScoreReader.read(csv));
            ArenaReport report = ReportBuilder.build(r, "after");
            PostHocSection p = report.postHoc();
            assertEquals(1, p.paths().size());
            assertEquals("imported", p.paths().get(0).kind());
            assertEquals(List.of(0.0, 0.5, 1.0), p.paths().get(0).alphas());
            PostHocSection.OvershootRow o = p.overshoot().get(0);
            assertEquals(0.5, o.alpha());
            assertEquals(-0.2, o.dTarget(), 1e-9);
            assertEquals(7.0, o.dGeneral(), 1e-9);
            assertTrue(o.overshoot());
            assertEquals(1, report.trajectories().size(), "imported rows stay out of the training path");
            assertEquals(List.of(0, 5, 10), report.trajectories().get(0).steps());
            String md = MarkdownReportWriter.render(report);
            assertTrue(md.contains("| lora | r4 | t | imported | 0.5 | 39.80 | 47.00 | 40.00 | 40.00 | -0.20 | +7.00 | yes |"), md);
            assertTrue(PathSectionText.summary(p).contains("alpha 0.5, dTarget -0.20, dGeneral +7.00, overshoots"));
        }
    }
}
