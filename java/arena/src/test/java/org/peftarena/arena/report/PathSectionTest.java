package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.arena.importer.ExternalScoreReader;
import org.peftarena.arena.importer.ScoreImporter;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.run.PostHocArtifact;
import org.peftarena.arena.spec.RunSpec;

/**
 * Imported alpha paths flow into the interpolation and overshoot sections like in-engine ones; the
 * report selects operating points on validation scores and reports test scores.
 */
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
            // an imported path has no validation scores: selected on test, and the row says so
            assertEquals("test", o.selectedOn());
            assertTrue(md.contains("| lora | r4 | t | imported | - | 0.5 | - | test | 0.50 | 39.80 | 47.00 | 40.00 | 40.00 |"
                    + " -0.20 | +7.00 | yes |"), md);
            assertTrue(PathSectionText.summary(p).contains("alpha 0.5, dTarget -0.20, dGeneral +7.00, overshoots"));
        }
    }

    /**
     * Test and validation disagree: on validation the best General within the tolerance is at 0.25,
     * on test at 0.5. The report must show 0.25 with its test scores.
     */
    @Test
    void inEngineOperatingPointsAreSelectedOnValidationAndReportedOnTest() throws Exception {
        RunSpec base = SyntheticRuns.base("t");
        RunSpec oft = SyntheticRuns.finetune("oft", "r4", "t", 1, base);
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r.db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            SyntheticRuns.store(r, oft, SyntheticRuns.result(oft, 40, 40, 40));
            List<PostHocArtifact.Point> path = List.of(
                    point(0, 10, 50, 10, 50, 0),
                    point(0.25, 36, 41, 39.8, 49, 0.51),
                    point(0.5, 39.9, 48, 36, 41, 0.72),
                    point(1, 40, 40, 40, 40, 1));
            List<PostHocArtifact.Rewound> rewound = List.of(
                    new PostHocArtifact.Rewound("uniform 0.4", Double.NaN, List.of(0.4, 0.4, 0.4, 0.4), 37, 45, Map.of(),
                            0.6, 0.5, 0.41, 4, 0, null),
                    new PostHocArtifact.Rewound("safe-rho", 0.2, List.of(1.0, 0.8, 0.6, 0.5), 38, 44, Map.of(), null,
                            null, 0.7, 4, 1, null));
            PostHocArtifact a = new PostHocArtifact(oft.id(), "k", "cayley", path, null, List.of(),
                    new PostHocArtifact.OperatingPoint("r", 0.25, 36, 41, -4, 1, true, "validation", 0.5, 0.51), rewound,
                    1, 1.0);
            r.replacePhases(oft.id(), PostHocArtifact.PHASE_PREFIX, a.rows());
            ArenaReport report = ReportBuilder.build(r, "validation");
            PostHocSection.OvershootRow o = report.postHoc().overshoot().get(0);
            assertEquals(0.25, o.alpha(), "chosen on test scores this would be 0.5");
            assertEquals("validation", o.selectedOn());
            assertEquals(36 - 40, o.dTarget(), 1e-9, "reported on test");
            assertEquals(41 - 40, o.dGeneral(), 1e-9);
            assertEquals(0.51, o.updateScale(), 1e-12);
            assertEquals(0.5, o.generatorScale(), 1e-12, "sqrt(0.25)");
            assertEquals(0.6, o.targetSe(), 1e-12);
            // the tolerance: 1 SE of the final validation Target (0.6) beats 0.5 points
            assertEquals(0.6, o.tolerance(), 1e-12);
            String md = MarkdownReportWriter.render(report);
            assertTrue(md.contains("alpha 0.25 (u 0.51, generator 0.500): 36.00 ± 0.60 / 41.00 ± 0.50"), md);
            assertTrue(md.contains("| oft | r4 | t | cayley | 0.51 | 0.25 | 0.500 | validation | 0.60 | 36.00 ± 0.60 |"),
                    md);
            PostHocSection.RewindRow uniform = report.postHoc().rewinding().get(0);
            assertEquals(0.16, uniform.cayleyAlpha(), 1e-12, "uniform 0.4 is the Cayley path at 0.16");
            assertEquals(0.41, uniform.updateScale(), 1e-12);
            PostHocSection.RewindRow safe = report.postHoc().rewinding().get(1);
            assertNull(safe.cayleyAlpha());
            assertTrue(safe.warning() != null && safe.warning().contains("4-layer"), String.valueOf(safe.warning()));
            assertTrue(md.contains("- warning: oft r4 t"), md);
            assertTrue(md.contains("| 0.160 | 0.41 | 37.00 ± 0.60 | 45.00 ± 0.50 |"), md);
        }
    }

    private static PostHocArtifact.Point point(double alpha, double target, double general, double validationTarget,
                                               double validationGeneral, double updateScale) {
        return new PostHocArtifact.Point(alpha, target, general, Map.of(), 0.6, 0.5, validationTarget, validationGeneral,
                0.6, 0.5, updateScale);
    }
}
