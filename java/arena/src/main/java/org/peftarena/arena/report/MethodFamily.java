package org.peftarena.arena.report;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.PeftMethod;

/** The family a method belongs to, for one chart marker per family. */
final class MethodFamily {
    /** Full finetuning. */
    static final String FULL = "full";
    /** Rotations (OFT, BOFT, HRA). */
    static final String ORTHOGONAL = "orthogonal";
    /** Low-rank additive updates (LoRA and its relatives). */
    static final String LOW_RANK = "low-rank";
    /** Anything else, imported methods included. */
    static final String OTHER = "other";

    private MethodFamily() {
    }

    /** @return the family of a registered method, {@link #OTHER} for an unknown name */
    static String of(String method) {
        for (PeftMethod m : MethodRegistry.methods()) {
            if (m.cliName().equals(method)) {
                if (m.traits().contains(PeftMethod.Trait.WHOLE_MODEL)) {
                    return FULL;
                }
                if (m.traits().contains(PeftMethod.Trait.ORTHOGONAL)) {
                    return ORTHOGONAL;
                }
                return m.knob() == PeftMethod.SizeKnob.RANK ? LOW_RANK : OTHER;
            }
        }
        return OTHER;
    }

    /** @return method name to family */
    static Map<String, String> of(Collection<String> methods) {
        Map<String, String> out = new TreeMap<>();
        methods.forEach(m -> out.put(m, of(m)));
        return out;
    }
}
