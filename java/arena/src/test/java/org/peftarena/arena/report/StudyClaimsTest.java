package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.analysis.run.ForgetCorrelations;
import org.peftarena.arena.registry.RunRegistry;
import org.peftarena.arena.registry.SyntheticRuns;
import org.peftarena.arena.spec.RunSpec;

/** The claims section: each claim's rule on synthetic reports, and the section opening every format. */
class StudyClaimsTest {
    @TempDir
    Path tmp;

    private ArenaReport registryReport(double[][] oft, double[][] lora) {
        RunSpec base = SyntheticRuns.base("t");
        try (RunRegistry r = RunRegistry.open(tmp.resolve("r" + System.nanoTime() + ".db"))) {
            SyntheticRuns.store(r, base, SyntheticRuns.result(base, 10, 50, 50));
            for (int i = 0; i < oft.length; i++) {
                RunSpec s = SyntheticRuns.finetune("oft", "r4", "t", i + 1, base);
                SyntheticRuns.store(r, s, SyntheticRuns.result(s, oft[i][0], oft[i][1], oft[i][1]));
            }
            for (int i = 0; i < lora.length; i++) {
                RunSpec s = SyntheticRuns.finetune("lora", "r4", "t", i + 1, base);
                SyntheticRuns.store(r, s, SyntheticRuns.result(s, lora[i][0], lora[i][1], lora[i][1]));
            }
            return ReportBuilder.build(r, "claims");
        }
    }

    private static Claim claim(ArenaReport r, String id) {
        return r.claims().claims().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void oftDominatedBeyondItsSeedErrorsIsNotReproduced() {
        ArenaReport r = registryReport(new double[][] {{20, 40}, {21, 41}}, new double[][] {{30, 48}, {31, 49}});
        Claim a = claim(r, "a");
        assertEquals(Claim.NOT_REPRODUCED, a.verdict(), a.toString());
        assertEquals(1, a.n(), "one matched band");
        assertEquals(0, a.effect(), 0);
        FrontierMembership oft = r.frontierNoise().stream().filter(m -> m.method().equals("oft")
                && m.band().equals("r4")).findFirst().orElseThrow();
        assertEquals("dominated", oft.status());
        assertTrue(oft.errors());
    }

    @Test
    void oftOnTheFrontierIsReproducedAndWithinErrorsStaysOpen() {
        ArenaReport on = registryReport(new double[][] {{25, 52}, {26, 53}}, new double[][] {{30, 48}, {31, 49}});
        assertEquals(Claim.REPRODUCED, claim(on, "a").verdict(), claim(on, "a").toString());
        assertEquals(1, claim(on, "a").effect(), 0);
        // lora better by 0.3 on both axes while the seeds spread by 4: dominated within errors only
        ArenaReport near = registryReport(new double[][] {{28, 46}, {32, 50}}, new double[][] {{30.3, 48.3}, {30.3, 48.3}});
        FrontierMembership oft = near.frontierNoise().stream().filter(m -> m.method().equals("oft")
                && m.band().equals("r4")).findFirst().orElseThrow();
        assertEquals("dominated within errors", oft.status());
        assertTrue(oft.frequency() > 0.1 && oft.frequency() < 0.9, oft.toString());
        assertTrue(!claim(near, "a").verdict().equals(Claim.NOT_REPRODUCED), claim(near, "a").toString());
    }

    @Test
    void oneSeedWithoutErrorsCannotRefute() {
        ArenaReport r = registryReport(new double[][] {{20, 40}}, new double[][] {{30, 48}});
        assertEquals(Claim.INCONCLUSIVE, claim(r, "a").verdict(), claim(r, "a").toString());
    }

    private static ArenaReport withPostHoc(PostHocSection p) {
        return new ArenaReport("t", "now", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                new ReportTiming(0, 0, 0, 0, 0, 0), p, null);
    }

    private static PostHocSection.OvershootRow overshoot(int i, double dGeneral, boolean flagged) {
        return new PostHocSection.OvershootRow("run" + i, "lora", "r4", "t", "linear", 0.5, 40, 40 + dGeneral, 40, 40, 0,
                dGeneral, flagged);
    }

    @Test
    void overshootNeedsAnIntervalAboveZeroAndMostRunsFlagged() {
        List<PostHocSection.OvershootRow> yes = List.of(overshoot(1, 3, true), overshoot(2, 4, true),
                overshoot(3, 5, true), overshoot(4, 3.5, true));
        Claim b = StudyClaims.overshoot(withPostHoc(new PostHocSection("r", "d", 0.5, 0.5, List.of(), yes, List.of())));
        assertEquals(Claim.REPRODUCED, b.verdict(), b.toString());
        assertEquals(3.875, b.effect(), 1e-12);
        assertTrue(b.low() >= 3 && b.high() <= 5, b.toString());
        assertEquals(4, b.n());
        List<PostHocSection.OvershootRow> no = List.of(overshoot(1, 0, false), overshoot(2, 0.1, false),
                overshoot(3, 0, false));
        assertEquals(Claim.NOT_REPRODUCED, StudyClaims.overshoot(withPostHoc(
                new PostHocSection("r", "d", 0.5, 0.5, List.of(), no, List.of()))).verdict());
        List<PostHocSection.OvershootRow> two = List.of(overshoot(1, 3, true), overshoot(2, 4, true));
        assertEquals(Claim.INCONCLUSIVE, StudyClaims.overshoot(withPostHoc(
                new PostHocSection("r", "d", 0.5, 0.5, List.of(), two, List.of()))).verdict(), "fewer than 3 runs");
        assertEquals(Claim.INCONCLUSIVE, StudyClaims.overshoot(withPostHoc(null)).verdict());
    }

    private static PostHocSection.RewindRow rewound(int i, String recipe, double dTarget, double dGeneral) {
        return new PostHocSection.RewindRow("run" + i, "oft", "r4", "t", recipe, null, List.of(), 40 + dTarget,
                40 + dGeneral, dTarget, dGeneral);
    }

    @Test
    void rewindingNeedsGeneralBackAndTargetCostWithinTheTolerance() {
        // the study's case on the embedded model: 7 Target points for 12-14 General: a large cost
        List<PostHocSection.RewindRow> costly = List.of(rewound(1, "uniform 0.4", -7, 12), rewound(2, "uniform 0.4", -7.5, 14),
                rewound(3, "uniform 0.4", -6.5, 13));
        Claim c = StudyClaims.rewinding(withPostHoc(new PostHocSection("r", "d", 0.5, 0.5, List.of(), List.of(), costly)));
        assertEquals(Claim.NOT_REPRODUCED, c.verdict(), c.toString());
        assertEquals(13, c.effect(), 1e-12);
        List<PostHocSection.RewindRow> cheap = new ArrayList<>(costly);
        cheap.addAll(List.of(rewound(1, "min-rho", -0.1, 3), rewound(2, "min-rho", -0.2, 4), rewound(3, "min-rho", 0, 2)));
        Claim d = StudyClaims.rewinding(withPostHoc(new PostHocSection("r", "d", 0.5, 0.5, List.of(), List.of(), cheap)));
        assertEquals(Claim.REPRODUCED, d.verdict(), d.toString());
        assertTrue(d.effectName().endsWith("recipe min-rho"), d.effectName());
        assertTrue(d.detail().contains("uniform 0.4: 3 run(s)") && d.detail().contains("not reproduced"), d.detail());
    }

    private static DiagnosticsSection.RunEntry entry(int i, double forget, double act, double norm) {
        return new DiagnosticsSection.RunEntry("run" + i, "m" + (i % 3), "r4", "t", i, "m" + (i % 3) + "/r4/t", 1,
                forget, null, Map.of("mean/act_G/procrustes_residual", act, ForgetInference.RELATIVE_NORM, norm));
    }

    private static ArenaReport withDiagnostics(List<DiagnosticsSection.RunEntry> entries) {
        DiagnosticsSection d = new DiagnosticsSection(List.of("m"), entries, List.of(), List.of(),
                new ForgetCorrelations.Result(List.of(), List.of()), ForgetInference.compute(entries), List.of(), 0, 0);
        return new ArenaReport("t", "now", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                new ReportTiming(0, 0, 0, 0, 0, 0), null, d);
    }

    @Test
    void activationMetricMustBeatTheWeightNormOnEnoughRuns() {
        List<DiagnosticsSection.RunEntry> better = new ArrayList<>();
        List<DiagnosticsSection.RunEntry> worse = new ArrayList<>();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int i = 0; i < 24; i++) {
            double forget = i;
            double close = i + rnd.nextDouble();
            double noise = rnd.nextDouble();
            better.add(entry(i, forget, close, noise));
            worse.add(entry(i, forget, noise, close));
        }
        Claim yes = StudyClaims.activationBeatsWeightNorm(withDiagnostics(better));
        assertEquals(Claim.REPRODUCED, yes.verdict(), yes.toString());
        assertEquals(24, yes.n());
        assertTrue(yes.low() > 0, yes.toString());
        Claim no = StudyClaims.activationBeatsWeightNorm(withDiagnostics(worse));
        assertEquals(Claim.NOT_REPRODUCED, no.verdict(), no.toString());
        Claim few = StudyClaims.activationBeatsWeightNorm(withDiagnostics(better.subList(0, 5)));
        assertEquals(Claim.INCONCLUSIVE, few.verdict(), few.toString());
        assertNull(few.effect());
    }

    @Test
    void everyFormatOpensWithTheClaims() throws Exception {
        ArenaReport r = registryReport(new double[][] {{25, 52}}, new double[][] {{30, 48}});
        assertEquals(4, r.claims().claims().size());
        List<Path> files = ReportFiles.write(r, tmp.resolve("report"));
        String md = Files.readString(files.get(2));
        assertTrue(md.indexOf("## Claims") > 0 && md.indexOf("## Claims") < md.indexOf("## Base model"), md);
        assertTrue(md.contains("| (a) OFT is on or near the Target/General frontier at matched budgets. | inconclusive |"),
                md);
        assertTrue(md.contains("## Frontier under noise"), md);
        String html = Files.readString(files.get(3));
        assertTrue(html.indexOf("<h2 id=\"claims\">") < html.indexOf("<div id=\"charts\">"));
        assertTrue(html.contains("<tr class=\"inconclusive\"><td>(b) Final finetuning checkpoints overshoot"), html);
        JsonNode json = new ObjectMapper().readTree(files.get(0).toFile());
        Iterator<String> keys = json.fieldNames();
        assertEquals(List.of("title", "generated_at", "claims"), List.of(keys.next(), keys.next(), keys.next()));
        JsonNode first = json.get("claims").get("claims").get(0);
        for (String k : List.of("id", "statement", "verdict", "n", "effect_name", "effect", "low", "high", "rule")) {
            assertTrue(first.has(k), k);
        }
        assertNotNull(json.get("frontier_noise"));
    }

    @Test
    void scoresNameTheirMetric() {
        ArenaReport r = registryReport(new double[][] {{25, 52}}, new double[][] {{30, 48}});
        String md = MarkdownReportWriter.render(r);
        assertEquals("teacher-forced next-token accuracy", r.taskMetrics().get("t"));
        assertEquals("exact match", r.taskMetrics().get("g2"));
        assertTrue(md.contains("Scores: g1 teacher-forced next-token accuracy; g2 exact match;"), md);
        assertTrue(HtmlReportWriter.render(r).contains("<p class=\"metrics\">Scores: "));
    }
}
