package org.peftarena.analysis.weights;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Weight-space diagnostics of one linear module (spec section 1).
 *
 * @param out rows of W
 * @param in columns of W
 * @param structure how dW was represented ("dense", "low-rank", "block-rotation")
 * @param retention {@code P_diag(i) = u_i^T W1 v_i}, double [k]
 * @param deviation {@code dP_diag(i) = abs(P_diag(i) - s_i)}, double [k]
 * @param adaptation {@code E(i) = norm2(dW v_i)}, double [k]
 * @param effectiveRank stable rank of dW (0 for dW = 0)
 * @param updateNorm {@code normF(dW)}, the weight-space baseline the activation metrics are compared with
 * @param relativeUpdateNorm {@code normF(dW) / normF(W0)} (0 when W0 = 0), {@code normF(W0)^2 = sum_i s_i^2}
 * @param deviationFluctuation fluctuation score of {@code dP_diag}
 * @param adaptationFluctuation fluctuation score of {@code E}
 * @param alignment SVA and intruders, when computed
 */
public record WeightDiagnostics(long out, long in, String structure, double[] retention, double[] deviation,
                                double[] adaptation, double effectiveRank, double updateNorm,
                                double relativeUpdateNorm, double deviationFluctuation,
                                double adaptationFluctuation, Optional<Alignment> alignment) {
    /** JSON name of {@code normF(dW)}. */
    public static final String UPDATE_NORM = "dW_norm";
    /** JSON name of {@code normF(dW) / normF(W0)}. */
    public static final String RELATIVE_UPDATE_NORM = "dW_rel_norm";

    /**
     * @param updateNorm {@code normF(dW)}
     * @param singularValues the singular values of W0
     * @return {@code normF(dW) / normF(W0)}, 0 when W0 = 0
     */
    public static double relativeNorm(double updateNorm, double[] singularValues) {
        double ss = 0;
        for (double v : singularValues) {
            ss += v * v;
        }
        return ss == 0 ? 0 : updateNorm / Math.sqrt(ss);
    }

    /** @return the scalar diagnostics by JSON name (profiles left out), in a stable order */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", out);
        m.put("in", in);
        m.put("structure", structure);
        m.put("effective_rank", effectiveRank);
        m.put(UPDATE_NORM, updateNorm);
        m.put(RELATIVE_UPDATE_NORM, relativeUpdateNorm);
        m.put("fluctuation_dP", deviationFluctuation);
        m.put("fluctuation_E", adaptationFluctuation);
        m.put("dP_mean", mean(deviation));
        m.put("E_mean", mean(adaptation));
        alignment.ifPresent(a -> {
            m.put("sva_mean", a.svaMean());
            m.put("sva_min", a.svaMin());
            m.put("intruders", a.intruders());
            m.put("intruder_top_k", a.topK());
            m.put("intruder_threshold", a.threshold());
        });
        return m;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return x.length == 0 ? 0 : s / x.length;
    }
}
