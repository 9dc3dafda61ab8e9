package org.peftarena.arena.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.stats.BenjaminiHochberg;
import org.peftarena.analysis.stats.Correlation;
import org.peftarena.analysis.stats.StudentT;

/** Correlations with Forget in a report: n, intervals, adjusted p-values, the n < 8 caveat, within groups. */
class ForgetInferenceTest {
    /** Runs in 4 groups of 3: between groups the metric tracks Forget; within a group it runs against it. */
    private static List<DiagnosticsSection.RunEntry> entries(int runs) {
        List<DiagnosticsSection.RunEntry> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            int g = i / 3;
            int k = i % 3;
            double forget = 10 * g + k;
            out.add(new DiagnosticsSection.RunEntry("run" + i, "m" + g, "r4", "t", k, "m" + g + "/r4/t", 1, forget, null,
                    Map.of("mean/act_G/linear_cka", 10.0 * g - k, "mean/weight/dW_rel_norm", (i * 7 % 5) * 1.0,
                            "model.layers.0.q/act_G/linear_cka", 1.0 * i)));
        }
        return out;
    }

    @Test
    void pooledAndWithinGroupCorrelationsWithAdjustedPValues() {
        List<DiagnosticsSection.RunEntry> e = entries(12);
        ForgetInference.Result r = ForgetInference.compute(e);
        assertEquals(2, r.rows().size(), "averaged metrics only");
        ForgetInference.Row cka = r.rows().get(0);
        assertEquals("act_G/linear_cka", cka.metric());
        assertEquals(12, cka.n());
        assertTrue(cka.shown());
        double[] x = e.stream().mapToDouble(x0 -> x0.metrics().get("mean/act_G/linear_cka")).toArray();
        double[] y = e.stream().mapToDouble(DiagnosticsSection.RunEntry::forget).toArray();
        assertEquals(Correlation.pearson(x, y), cka.pearson(), 1e-12);
        assertTrue(cka.pearson() > 0.9, "pooled: the groups line up");
        assertEquals(-1, cka.withinPearson(), 1e-12, "within each group the metric runs against Forget");
        assertEquals(4, cka.withinGroups());
        assertTrue(cka.pearsonLow() <= cka.pearson() && cka.pearson() <= cka.pearsonHigh());
        // BH over the two shown rows
        ForgetInference.Row norm = r.rows().get(1);
        double[] p = {StudentT.correlationP(cka.pearson(), 10), StudentT.correlationP(norm.pearson(), 10)};
        double[] q = BenjaminiHochberg.adjust(p);
        assertEquals(q[0], cka.pearsonQ(), 1e-12);
        assertEquals(q[1], norm.pearsonQ(), 1e-12);
        assertEquals("act_G/linear_cka", r.strongest(), "the weight-norm baseline is not a candidate");
        assertEquals(1, r.comparisons().size());
        assertEquals("weight/dW_rel_norm", r.comparisons().get(0).baseline());
    }

    @Test
    void rowsUnderEightRunsAreHiddenBehindACaveat() {
        ForgetInference.Result r = ForgetInference.compute(entries(6));
        assertTrue(r.rows().stream().noneMatch(ForgetInference.Row::shown));
        assertNull(r.rows().get(0).pearsonQ(), "not adjusted");
        assertNull(r.strongest());
        List<DiagnosticsTables.Table> t = DiagnosticsTables.inference(r);
        assertEquals("Correlation with Forget across runs", t.get(0).title());
        assertTrue(t.get(0).rows().isEmpty());
        assertTrue(t.get(1).collapsed() && t.get(1).note().startsWith("Caveat: with fewer than 8 runs"));
        assertEquals(2, t.get(1).rows().size());
        assertEquals("6 (2)", t.get(1).rows().get(0).get(7), "within-group n and groups");
    }
}
