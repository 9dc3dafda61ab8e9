package org.peftarena.peft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Counts the trainable parameters of a method on a model from the model's shape alone. */
public final class ParameterBudget {
    private ParameterBudget() {}

    /**
     * Counts trainable parameters.
     *
     * @param shape the model's shape
     * @param config the method and its hyper-parameters
     * @param targets which linear layers the method adapts (ignored by full finetuning, which trains every block parameter)
     * @throws PeftException if no linear layer matches the targets
     */
    public static BudgetReport count(ModelShape shape, PeftConfig config, TargetModules targets) {
        boolean full = config.method().wholeModel();
        Map<String, Long> perModule = new LinkedHashMap<>();
        Set<String> notes = new LinkedHashSet<>();
        long total = 0;
        int targeted = 0;
        for (int layer = 0; layer < shape.numLayers(); layer++) {
            for (LinearShape m : shape.linears()) {
                if (!full && !targets.matches(ModelShape.modulePath(layer, m))) {
                    continue;
                }
                long n = config.moduleParams(m);
                perModule.merge(m.shortName(), n, Long::sum);
                total = Math.addExact(total, n);
                targeted++;
                String note = config.adjustmentNote(m);
                if (note != null) {
                    notes.add(note);
                }
            }
        }
        if (targeted == 0) {
            throw new PeftException("no linear layer matches the target modules " + describe(targets)
                    + "; the block has " + shape.linears().stream().map(LinearShape::name).toList());
        }
        long extra = (long) shape.numLayers() * config.blockExtraParams(shape);
        total = Math.addExact(total, extra);
        return new BudgetReport(config, perModule, extra, total, targeted, new ArrayList<>(notes));
    }

    static String describe(TargetModules t) {
        return t.regex() != null ? "regex '" + t.regex() + "'" : t.names().toString();
    }
}
