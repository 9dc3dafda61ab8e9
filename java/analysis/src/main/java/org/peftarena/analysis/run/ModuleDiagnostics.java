package org.peftarena.analysis.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All diagnostics of one linear module in one run; each group maps JSON names to numbers (and a
 * few strings such as the update structure). A group is empty when it was not computed or does not
 * apply (an adapter that leaves the module untouched has no weight or drift diagnostics).
 *
 * @param module module path, e.g. {@code model.layers.9.self_attn.q_proj}
 * @param layer decoder layer index
 * @param weight weight-space diagnostics (spec section 1)
 * @param drift capability-conditioned drift on G and T and their ratios (section 2)
 * @param activationsGeneral activation-space diagnostics on the general prompts (section 3)
 * @param activationsTarget activation-space diagnostics on the target prompts
 */
public record ModuleDiagnostics(String module, int layer, Map<String, Object> weight, Map<String, Object> drift,
                                Map<String, Object> activationsGeneral, Map<String, Object> activationsTarget) {
    /** Group prefix of weight metrics in {@link #numericMetrics()}. */
    public static final String WEIGHT = "weight";
    /** Group prefix of drift metrics. */
    public static final String DRIFT = "drift";
    /** Group prefix of activation metrics on G. */
    public static final String ACT_GENERAL = "act_G";
    /** Group prefix of activation metrics on T. */
    public static final String ACT_TARGET = "act_T";

    /** Copies the groups, keeping their order. */
    public ModuleDiagnostics {
        weight = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weight));
        drift = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(drift));
        activationsGeneral = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(activationsGeneral));
        activationsTarget = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(activationsTarget));
    }

    /**
     * @return every numeric value keyed {@code module/group/name}, e.g.
     *     {@code model.layers.9.self_attn.q_proj/act_G/procrustes_residual}
     */
    public Map<String, Double> numericMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, WEIGHT, weight);
        put(m, DRIFT, drift);
        put(m, ACT_GENERAL, activationsGeneral);
        put(m, ACT_TARGET, activationsTarget);
        return m;
    }

    /**
     * @param key a key of {@link #numericMetrics()}
     * @return whether it measures the target side: activations on T or a drift value on T
     */
    public static boolean isTargetSide(String key) {
        String[] parts = key.split("/", 0);
        String group = parts.length >= 3 ? parts[parts.length - 2] : "";
        String name = parts[parts.length - 1];
        return ACT_TARGET.equals(group) || (DRIFT.equals(group) && name.endsWith("_T"));
    }

    private void put(Map<String, Double> out, String group, Map<String, Object> values) {
        values.forEach((name, v) -> {
            if (v instanceof Number n) {
                out.put(module + "/" + group + "/" + name, n.doubleValue());
            }
        });
    }
}
