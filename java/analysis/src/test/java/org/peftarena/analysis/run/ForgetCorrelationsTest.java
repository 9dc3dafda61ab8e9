package org.peftarena.analysis.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForgetCorrelationsTest {
    private static final String M = "model.layers.9.self_attn.q_proj";

    @Test
    void correlatesEveryMetricWithForgetAndTargetSideMetricsWithGain() {
        double[] forget = {0.1, 0.4, 0.2, 0.8};
        double[] gain = {1.0, 2.0, 3.0, 4.0};
        List<ForgetCorrelations.RunPoint> runs = new java.util.ArrayList<>();
        for (int i = 0; i < forget.length; i++) {
            runs.add(new ForgetCorrelations.RunPoint("run" + i, Map.of(
                    M + "/act_G/procrustes_residual", 3 * forget[i] + 1,   // linear in Forget
                    M + "/act_T/raw_distance", -gain[i] * gain[i],          // monotone decreasing in Gain
                    M + "/weight/effective_rank", i == 2 ? Double.NaN : 5.0 - forget[i]), forget[i], gain[i]));
        }
        ForgetCorrelations.Result r = ForgetCorrelations.compute(runs);
        Map<String, ForgetCorrelations.Row> f = new java.util.HashMap<>();
        r.forget().forEach(row -> f.put(row.metric(), row));
        assertEquals(1.0, f.get(M + "/act_G/procrustes_residual").pearson(), 1e-12);
        assertEquals(1.0, f.get(M + "/act_G/procrustes_residual").spearman(), 1e-12);
        assertEquals(3, f.get(M + "/weight/effective_rank").runs(), "the NaN run is left out");
        assertEquals(-1.0, f.get(M + "/weight/effective_rank").pearson(), 1e-12);
        assertEquals(1, r.gain().size(), "only the target-side metric is correlated with Gain");
        ForgetCorrelations.Row g = r.gain().get(0);
        assertEquals(M + "/act_T/raw_distance", g.metric());
        assertEquals(-1.0, g.spearman(), 1e-12);
        assertTrue(g.pearson() < -0.9 && g.pearson() > -1.0, "not linear: " + g.pearson());
    }

    @Test
    void fewerThanThreePairedRunsGiveNoRow() {
        List<ForgetCorrelations.RunPoint> runs = List.of(
                new ForgetCorrelations.RunPoint("a", Map.of("m/weight/x", 1.0), 0.1, Double.NaN),
                new ForgetCorrelations.RunPoint("b", Map.of("m/weight/x", 2.0), 0.2, Double.NaN));
        assertTrue(ForgetCorrelations.compute(runs).forget().isEmpty());
    }
}
