package org.peftarena.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.analysis.interp.ModelScores;
import org.peftarena.analysis.interp.Overshoot;
import org.peftarena.analysis.interp.OvershootOptions;
import org.peftarena.analysis.interp.OvershootResult;
import org.peftarena.analysis.interp.PathKind;
import org.peftarena.analysis.interp.PathPoint;
import org.peftarena.analysis.rewind.LayerFactor;
import org.peftarena.analysis.rewind.RewindEvaluator;
import org.peftarena.analysis.rewind.RewindOptions;
import org.peftarena.analysis.rewind.RewindOutcome;
import org.peftarena.arena.config.ArenaConfig;
import org.peftarena.arena.config.InterpolationSettings;
import org.peftarena.arena.data.TaskCatalog;
import org.peftarena.arena.eval.TaskEvaluator;
import org.peftarena.arena.progress.ArenaListener;
import org.peftarena.arena.registry.RunRecord;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.ScoreRow;
import org.peftarena.arena.report.ArenaReport;
import org.peftarena.arena.report.PostHocSection;
import org.peftarena.arena.report.ReportFiles;
import org.peftarena.arena.run.PostHocArtifact;
import org.peftarena.arena.run.PostHocStage;
import org.peftarena.arena.spec.RunKind;
import org.peftarena.arena.run.RunListener;
import org.peftarena.arena.spec.RunSpec;
import org.peftarena.arena.spec.RunSpecJson;
import org.peftarena.arena.scores.ArenaScores;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.ModelDType;
import org.peftarena.peft.io.AdapterIO;
import org.peftarena.formats.tokenizer.Tokenizers;
import org.peftarena.kernels.Backend;
import org.peftarena.kernels.KernelOps;

/** The post-hoc stage inside a tiny arena: path artifacts, registry rows, overshoot, rewinding, report sections. */
class ArenaPostHocTest {
    private static final InterpolationSettings HALVES =
            new InterpolationSettings(true, "0:1:0.5", null, true, true, null, null, null);

    @TempDir
    Path tmp;

    static ArenaConfig with(ArenaConfig c, InterpolationSettings s) {
        return c.withInterpolation(s);
    }

    @Test
    void everyRunGetsItsPathOvershootAndOftRewindingAndARerunSkipsThem() throws Exception {
        ArenaConfig config = with(TinyArena.config(tmp.resolve("in"), List.of("full", "lora", "oft"), 6), HALVES);
        Path work = tmp.resolve("work");
        ArenaOutcome first = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(0, first.failed());
        Map<String, String> files = new HashMap<>();
        Map<String, RunRecord> finetunes = new HashMap<>();
        try (RunRegistry reg = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (RunRecord r : reg.all()) {
                // uniform rewinding has no rho*: its NaN must not be recorded as a failed score
                assertEquals(List.of(), reg.scoreFailures(r.id()), "score failures of " + r.id());
                Path f = Path.of(r.artifactDir()).resolve(PostHocArtifact.FILE);
                if (r.kind() != RunKind.FINETUNE) {
                    assertFalse(Files.exists(f), "no path for " + r.id());
                    continue;
                }
                finetunes.put(r.id(), r);
                assertTrue(Files.isRegularFile(f), r.id());
                files.put(r.id(), Files.readString(f));
                PostHocArtifact a = RunSpecJson.read(files.get(r.id()), PostHocArtifact.class);
                assertEquals(List.of(0.0, 0.5, 1.0), a.path().stream().map(PostHocArtifact.Point::alpha).toList());
                String kind = switch (r.method()) {
                    case "oft" -> "cayley";
                    case "full" -> "dense";
                    default -> "linear";
                };
                assertEquals(kind, a.pathKind(), r.id());
                assertEquals(r.method().equals("oft") ? 3 : 0, a.rewinding().size(), "rewinding for OFT only: " + r.id());
                assertEquals(r.method().equals("oft") ? 3 : 0, a.baseline().size(), "dense baseline for OFT only");
                // the end points are the stored base and final scores
                Map<String, Double> fin = finals(reg, r.id());
                Map<String, Double> base = finals(reg, r.baseRunId());
                double reused = Tolerances.of(Tolerances.Check.REUSED_SCORE).atol();
                assertEquals(fin.get(ScoreRow.TARGET), a.path().get(2).target(), reused);
                assertEquals(fin.get(ScoreRow.GENERAL), a.path().get(2).general(), reused);
                assertEquals(base.get(ScoreRow.TARGET), a.path().get(0).target(), reused);
                assertEquals(base.get(ScoreRow.GENERAL), a.path().get(0).general(), reused);
                assertEquals(3 * 5, reg.scores(r.id()).stream()
                        .filter(s -> s.phase().startsWith(PostHocArtifact.PATH_PHASE) && s.metric().equals(ScoreRow.SCORE))
                        .count(), "3 alphas x (Target, General, 3 tasks) score rows in the registry");
                // every point scored on the validation split too (the selection reads it), with standard errors
                for (PostHocArtifact.Point p : a.path()) {
                    assertNotNull(p.validationTarget(), r.id() + " alpha " + p.alpha());
                    assertNotNull(p.validationGeneral(), r.id() + " alpha " + p.alpha());
                    assertNotNull(p.targetSe(), r.id() + " alpha " + p.alpha());
                    assertNotNull(p.validationGeneralSe(), r.id() + " alpha " + p.alpha());
                    assertNotNull(p.updateScale(), r.id() + " alpha " + p.alpha());
                }
                assertEquals("validation", a.operatingPoint().selectedOn());
            }
        }
        assertEquals(3, finetunes.size());
        ArenaReport report = first.report();
        PostHocSection post = report.postHoc();
        assertNotNull(post);
        assertEquals(3, post.overshoot().size());
        for (PostHocSection.OvershootRow o : post.overshoot()) {
            PostHocArtifact a = RunSpecJson.read(files.get(o.runId()), PostHocArtifact.class);
            OvershootResult direct = Overshoot.select(points(a), OvershootOptions.DEFAULT);
            double derived = Tolerances.of(Tolerances.Check.DERIVED_SCORE).atol();
            assertEquals(direct.alpha(), o.alpha(), 0, o.runId());
            assertEquals(direct.dTarget(), o.dTarget(), derived, o.runId());
            assertEquals(direct.dGeneral(), o.dGeneral(), derived, o.runId());
            assertEquals(direct.overshoot(), o.overshoot(), o.runId());
            assertEquals(direct.alpha(), a.operatingPoint().alpha(), 0, o.runId());
        }
        Set<String> rewoundMethods = new TreeSet<>();
        post.rewinding().forEach(r -> rewoundMethods.add(r.method()));
        assertEquals(Set.of("oft"), rewoundMethods);
        assertEquals(List.of("uniform 0.4", "safe-rho", "min-rho"),
                post.rewinding().stream().map(PostHocSection.RewindRow::recipe).toList());
        assertTrue(post.paths().stream().anyMatch(p -> p.baseline() && p.kind().equals("dense")));
        assertEquals(3, report.trajectories().size(), "the training paths stay training-only");

        List<Path> written = ReportFiles.write(report, tmp.resolve("report"));
        String json = Files.readString(written.get(0));
        String md = Files.readString(written.get(2));
        String html = Files.readString(written.get(3));
        assertTrue(json.contains("\"post_hoc\"") && json.contains("\"overshoot\"") && json.contains("\"rewinding\""));
        assertTrue(md.contains("## Interpolation paths") && md.contains("## Overshoot") && md.contains("## Rewinding (OFT)"));
        assertTrue(md.contains("| oft | r2 | tgt | safe-rho |"), md);
        assertTrue(html.contains("id=\"post-hoc-charts\"") && html.contains("<h2>Overshoot</h2>")
                && html.contains("<h2>Rewinding (OFT)</h2>") && html.contains("postHocChartsRendered"));

        ArenaOutcome second = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(0, second.executed());
        for (RunRecord r : finetunes.values()) {
            assertEquals(files.get(r.id()), Files.readString(Path.of(r.artifactDir()).resolve(PostHocArtifact.FILE)),
                    "a rerun does not recompute a finished path: " + r.id());
        }
        assertEquals(post.overshoot(), second.report().postHoc().overshoot());
        // a stage interrupted before its file was written (e.g. by kill -9) is computed again on the next run
        RunRecord lora = finetunes.values().stream().filter(r -> r.method().equals("lora")).findFirst().orElseThrow();
        Path loraFile = Path.of(lora.artifactDir()).resolve(PostHocArtifact.FILE);
        Files.delete(loraFile);
        ArenaOutcome third = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(0, third.executed());
        assertEquals(RunSpecJson.read(files.get(lora.id()), PostHocArtifact.class).path(),
                RunSpecJson.read(Files.readString(loraFile), PostHocArtifact.class).path());
        assertEquals(post.overshoot(), third.report().postHoc().overshoot());
    }

    @Test
    void theScoredPathReproducesTheBaseAndTheFinalModelAtItsEnds() throws Exception {
        ArenaConfig config = with(TinyArena.config(tmp.resolve("in"), List.of("full", "lora", "oft"), 4),
                new InterpolationSettings(false, "0,1", null, false, false, null, null, null));
        Path work = tmp.resolve("work");
        new ArenaRunner(config, work, ArenaListener.NONE).run();
        InterpolationSettings ends = new InterpolationSettings(true, "0,1", null, false, false, null, null, null);
        PostHocStage stage = new PostHocStage(new TaskCatalog(config.tasks(), config.evaluation().problems(),
                config.evaluation().seed()), ends, false);
        try (RunRegistry reg = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (RunRecord r : reg.all()) {
                if (r.kind() != RunKind.FINETUNE) {
                    continue;
                }
                RunSpec spec = RunSpecJson.read(r.specJson(), RunSpec.class);
                Path dir = Path.of(r.artifactDir());
                assertEquals(PostHocStage.Outcome.COMPUTED, stage.ensure(spec, dir, reg, RunListener.NONE));
                PostHocArtifact a = RunSpecJson.read(Files.readString(dir.resolve(PostHocArtifact.FILE)), PostHocArtifact.class);
                // both ends on test, alpha 1 on validation; the base's validation scores (taken once per stage)
                // are not counted, so a run's artifact does not depend on the runs before it in the process
                assertEquals(3, a.evaluations(), "both ends scored again");
                Map<String, Double> fin = finals(reg, r.id());
                Map<String, Double> base = finals(reg, r.baseRunId());
                Tolerances.Tol tol = Tolerances.of(Tolerances.Check.PATH_END_TASK_SCORE);
                for (String task : List.of("tgt", "gen", "sum")) {
                    assertEquals(base.get(task), a.path().get(0).tasks().get(task), tol.atol(),
                            r.id() + " alpha 0 " + task + ": " + tol.reason());
                    assertEquals(fin.get(task), a.path().get(1).tasks().get(task), tol.atol(),
                            r.id() + " alpha 1 " + task + ": " + tol.reason());
                }
                assertEquals(PostHocStage.Outcome.SKIPPED, stage.ensure(spec, dir, reg, RunListener.NONE));
            }
        }
    }

    @Test
    void rewoundModelsScoreLikeTheUnmergedRewindEvaluator() throws Exception {
        ArenaConfig config = with(TinyArena.config(tmp.resolve("in"), List.of("oft"), 6),
                new InterpolationSettings(true, "0,1", null, false, true, null, null, null));
        Path work = tmp.resolve("work");
        new ArenaRunner(config, work, ArenaListener.NONE).run();
        TaskCatalog catalog = new TaskCatalog(config.tasks(), config.evaluation().problems(), config.evaluation().seed());
        try (RunRegistry reg = RunRegistry.open(ArenaRunner.registryFile(work))) {
            RunRecord oft = reg.all().stream().filter(r -> r.method().equals("oft")).findFirst().orElseThrow();
            RunSpec spec = RunSpecJson.read(oft.specJson(), RunSpec.class);
            Path dir = Path.of(oft.artifactDir());
            PostHocArtifact a = RunSpecJson.read(Files.readString(dir.resolve(PostHocArtifact.FILE)), PostHocArtifact.class);
            TaskEvaluator evaluator = new TaskEvaluator(catalog, Tokenizers.load(Path.of(spec.baseModel())), spec.evaluation());
            List<RewindOutcome> direct = RewindEvaluator.evaluate(
                    HfModelDirectory.load(Path.of(spec.baseModel()), ModelDType.FLOAT32), AdapterIO.load(dir.resolve("model")),
                    RewindOptions.ARENA_TABLE, m -> {
                        Map<String, Double> s = ArenaScores.percentages(evaluator.evaluate(m, spec.evaluationTasks()));
                        return new ModelScores(s.get(spec.target()), ArenaScores.general(s, spec.general()), s);
                    }, KernelOps.create(Backend.AUTO));
            assertEquals(3, a.rewinding().size());
            Tolerances.Tol tol = Tolerances.of(Tolerances.Check.REPEATED_SCORING);
            for (int i = 0; i < 3; i++) {
                PostHocArtifact.Rewound mine = a.rewinding().get(i);
                assertEquals(direct.get(i).plan().options().label(), mine.recipe());
                assertEquals(direct.get(i).plan().layers().stream().map(LayerFactor::factor).toList(), mine.factors());
                assertEquals(direct.get(i).scores().target(), mine.target(), tol.atol(), mine.recipe() + ": " + tol.reason());
                assertEquals(direct.get(i).scores().general(), mine.general(), tol.atol(), mine.recipe() + ": " + tol.reason());
            }
        }
    }

    @Test
    void disabledStageLeavesNoSectionAndNoFailure() throws Exception {
        ArenaConfig config = with(TinyArena.config(tmp.resolve("in"), List.of("lora"), 2),
                new InterpolationSettings(false, null, null, null, null, null, null, null));
        Path work = tmp.resolve("work");
        ArenaOutcome out = new ArenaRunner(config, work, ArenaListener.NONE).run();
        assertEquals(0, out.failed());
        assertNull(out.report().postHoc());
        try (RunRegistry reg = RunRegistry.open(ArenaRunner.registryFile(work))) {
            for (RunRecord r : reg.all()) {
                assertFalse(Files.exists(Path.of(r.artifactDir()).resolve(PostHocArtifact.FILE)), r.id());
            }
        }
        List<Path> written = ReportFiles.write(out.report(), tmp.resolve("report"));
        assertFalse(Files.readString(written.get(2), StandardCharsets.UTF_8).contains("Interpolation paths"));
        assertFalse(Files.readString(written.get(3), StandardCharsets.UTF_8).contains("id=\"post-hoc-charts\""));
    }

    private static List<PathPoint> points(PostHocArtifact a) {
        List<PathPoint> out = new ArrayList<>();
        for (PostHocArtifact.Point p : a.path()) {
            out.add(new PathPoint(PathKind.parse(a.pathKind()), p.alpha(),
                    ModelScores.of(p.target(), p.general(), p.targetSe(), p.generalSe()),
                    ModelScores.of(p.validationTarget(), p.validationGeneral(), p.validationTargetSe(),
                            p.validationGeneralSe()), p.updateScale()));
        }
        return out;
    }

    private static Map<String, Double> finals(RunRegistry reg, String runId) {
        Map<String, Double> out = new HashMap<>();
        for (ScoreRow s : reg.scores(runId)) {
            if (s.phase().equals(ScoreRow.FINAL) && s.metric().equals(ScoreRow.SCORE)) {
                out.put(s.task(), s.value());
            }
        }
        return out;
    }
}
