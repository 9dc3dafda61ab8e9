package org.peftarena.analysis.reference;

import java.util.Optional;
import org.peftarena.analysis.stats.EffectiveRank;
import org.peftarena.analysis.stats.FluctuationScore;
import org.peftarena.analysis.weights.Alignment;
import org.peftarena.analysis.weights.AlignmentOptions;
import org.peftarena.analysis.weights.WeightDiagnostics;

/** The weight-space diagnostics written literally from the spec, in double precision. */
public final class ReferenceWeightMetrics {
    private ReferenceWeightMetrics() {}

    /**
     * @param w0 pretrained weight, double [out, in]
     * @param w1 finetuned weight, double [out, in]
     * @param options intruder top-k and threshold
     * @return every weight-space diagnostic, alignment included
     */
    public static WeightDiagnostics compute(DMatrix w0, DMatrix w1, AlignmentOptions options) {
        JacobiSvd base = JacobiSvd.of(w0);
        JacobiSvd tuned = JacobiSvd.of(w1);
        DMatrix dw = w1.minus(w0);
        int k = base.s().length;
        double[] p = new double[k];
        double[] dp = new double[k];
        double[] e = new double[k];
        double[] sva = new double[k];
        for (int i = 0; i < k; i++) {
            double[] u = base.u().column(i);
            double[] v = base.v().column(i);
            p[i] = DMatrix.dot(u, times(w1, v));
            dp[i] = Math.abs(p[i] - base.s()[i]);
            e[i] = DMatrix.norm(times(dw, v));
            sva[i] = Math.abs(DMatrix.dot(v, tuned.v().column(i)));
        }
        int intruders = 0;
        for (int j = 0; j < Math.min(options.topK(), k); j++) {
            double best = 0;
            for (int i = 0; i < k; i++) {
                best = Math.max(best, Math.abs(DMatrix.dot(tuned.u().column(j), base.u().column(i))));
            }
            if (best < options.threshold()) {
                intruders++;
            }
        }
        double svaSum = 0;
        double svaMin = Double.POSITIVE_INFINITY;
        for (double a : sva) {
            svaSum += a;
            svaMin = Math.min(svaMin, a);
        }
        Alignment alignment = new Alignment(svaSum / k, svaMin, intruders, options.topK(), options.threshold());
        return new WeightDiagnostics(w0.rows(), w0.cols(), "reference", p, dp, e,
                EffectiveRank.ofSingularValues(JacobiSvd.values(dw)), dw.frobenius(), dw.frobenius() / w0.frobenius(),
                FluctuationScore.of(dp), FluctuationScore.of(e),
                Optional.of(alignment));
    }

    private static double[] times(DMatrix m, double[] x) {
        double[] y = new double[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            y[i] = DMatrix.dot(m.row(i), x);
        }
        return y;
    }
}
