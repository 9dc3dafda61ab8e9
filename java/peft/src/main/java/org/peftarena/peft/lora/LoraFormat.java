package org.peftarena.peft.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterJson;

/**
 * HF PEFT's {@code LORA} config fields, which LoRA, DoRA, PiSSA, MiLoRA and KeepLoRA all write: the
 * methods differ only in the rank, alpha and {@code use_dora} they store.
 */
public final class LoraFormat {
    private LoraFormat() {}

    /** Writes the {@code LORA} fields. */
    public static void write(ObjectNode o, int r, double alpha, boolean dora) {
        o.put("r", r);
        o.put("lora_alpha", alpha);
        o.put("lora_dropout", 0.0);
        o.put("bias", "none");
        o.put("use_dora", dora);
        o.put("use_rslora", false);
        o.put("fan_in_fan_out", false);
        o.put("init_lora_weights", true);
    }

    /**
     * The stored rank {@code r}, after rejecting what no LoRA-family method here supports.
     *
     * @throws AdapterFormatException for rsLoRA, rank or alpha patterns, or a missing rank
     */
    public static int rank(JsonNode json) {
        if (AdapterJson.bool(json, "use_rslora", false)) {
            throw new AdapterFormatException("rsLoRA scaling is not supported");
        }
        for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
            JsonNode p = json.get(pattern);
            if (p != null && !p.isNull() && !(p.isObject() && p.size() == 0)) {
                throw new AdapterFormatException("LoRA " + pattern + " is not supported");
            }
        }
        return AdapterJson.integer(json, "r");
    }

    /** The stored {@code lora_alpha} (HF PEFT's default when absent). */
    public static double alpha(JsonNode json) {
        return AdapterJson.number(json, "lora_alpha", LoraConfig.DEFAULT_ALPHA);
    }
}
