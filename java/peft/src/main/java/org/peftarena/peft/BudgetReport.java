package org.peftarena.peft;

import java.util.List;
import java.util.Map;

/**
 * The trainable parameter count of one method on one model.
 *
 * @param config the method configuration counted
 * @param perModule trainable parameters per layer type (short name, e.g. {@code q_proj}), summed over blocks, in block order
 * @param blockExtra trainable parameters outside the targeted linear layers, summed over blocks
 * @param total the sum of everything
 * @param targetedModules number of targeted linear layers over all blocks
 * @param notes adjustments the model's shapes forced (one line each, deduplicated)
 */
public record BudgetReport(PeftConfig config, Map<String, Long> perModule, long blockExtra, long total,
                           int targetedModules, List<String> notes) {
    public BudgetReport {
        perModule = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perModule));
        notes = List.copyOf(notes);
    }
}
