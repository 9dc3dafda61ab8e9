package org.peftarena.peft.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.adalora.AdaLoraConfig;
import org.peftarena.peft.adalora.AdaLoraFormat;
import org.peftarena.peft.boft.BoftConfig;
import org.peftarena.peft.dora.DoraConfig;
import org.peftarena.peft.hra.HraConfig;
import org.peftarena.peft.ia3.Ia3Config;
import org.peftarena.peft.keeplora.KeepLoraConfig;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.milora.MiloraConfig;
import org.peftarena.peft.miss.MissConfig;
import org.peftarena.peft.oft.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.peft.pissa.PissaConfig;
import org.peftarena.peft.vera.VeraConfig;

/**
 * Converts method configurations to and from HF PEFT's {@code adapter_config.json}. PiSSA and
 * MiLoRA adapters are stored as the plain LoRA of rank 2r HF PEFT converts them to, KeepLoRA as a
 * plain LoRA; the engine's own method name travels in the safetensors metadata.
 */
public final class AdapterConfigCodec {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AdapterConfigCodec() {}

    /** The JSON object HF PEFT writes for this configuration. */
    public static ObjectNode write(PeftConfig config, TargetModules targets, String baseModel) {
        ObjectNode o = F.objectNode();
        PeftMethod m = config.method();
        if (m.hfPeftType() == null) {
            throw new AdapterFormatException(m.cliName() + " produces a full model, not an adapter");
        }
        o.put("peft_type", m.hfPeftType());
        o.put("task_type", "CAUSAL_LM");
        o.put("base_model_name_or_path", baseModel);
        o.put("inference_mode", true);
        if (targets.regex() != null) {
            o.put("target_modules", targets.regex());
        } else {
            ArrayNode a = o.putArray("target_modules");
            targets.names().forEach(a::add);
        }
        if (config instanceof LoraConfig c) {
            lora(o, c.rank(), c.alpha(), false);
        } else if (config instanceof DoraConfig c) {
            lora(o, c.rank(), c.alpha(), true);
        } else if (config instanceof PissaConfig c) {
            lora(o, 2 * c.rank(), 2 * c.rank(), false);
        } else if (config instanceof MiloraConfig c) {
            lora(o, 2 * c.rank(), 2 * c.rank(), false);
        } else if (config instanceof KeepLoraConfig c) {
            lora(o, c.rank(), c.rank(), false);
        } else if (config instanceof OftConfig c) {
            o.put("r", 0);
            o.put("oft_block_size", c.blockSize());
            o.put("use_cayley_neumann", c.variant() == CayleyVariant.NEUMANN);
            o.put("num_cayley_neumann_terms", c.neumannTerms());
            o.put("module_dropout", 0.0);
            o.put("coft", false);
            o.put("eps", 6e-5);
            o.put("block_share", false);
            o.put("bias", "none");
            o.put("init_weights", true);
        } else if (config instanceof BoftConfig c) {
            o.put("boft_block_size", c.blockSize());
            o.put("boft_block_num", 0);
            o.put("boft_n_butterfly_factor", c.butterflyFactors());
            o.put("boft_dropout", 0.0);
            o.put("fan_in_fan_out", false);
            o.put("bias", "none");
            o.put("init_weights", true);
        } else if (config instanceof Ia3Config c) {
            ArrayNode a = o.putArray("feedforward_modules");
            c.feedforwardModules().forEach(a::add);
            o.put("init_ia3_weights", true);
            o.put("fan_in_fan_out", false);
        } else if (config instanceof VeraConfig c) {
            o.put("r", c.rank());
            o.put("d_initial", c.dInitial());
            o.put("projection_prng_key", c.projectionSeed());
            o.put("save_projection", true);
            o.put("vera_dropout", 0.0);
            o.put("bias", "none");
        } else if (config instanceof MissConfig c) {
            o.put("r", c.rank());
            o.put("init_weights", true);
            o.put("mini_r", 1);
            o.put("miss_dropout", 0.0);
            o.put("bias", "none");
        } else if (config instanceof AdaLoraConfig c) {
            AdaLoraFormat.writeConfig(o, c);
        } else if (config instanceof HraConfig c) {
            o.put("r", c.rank());
            o.put("apply_GS", false);
            o.put("init_weights", true);
            o.put("bias", "none");
        } else {
            throw new AdapterFormatException(m.cliName() + " adapters cannot be written by this engine yet");
        }
        return o;
    }

    private static void lora(ObjectNode o, int r, double alpha, boolean dora) {
        o.put("r", r);
        o.put("lora_alpha", alpha);
        o.put("lora_dropout", 0.0);
        o.put("bias", "none");
        o.put("use_dora", dora);
        o.put("use_rslora", false);
        o.put("fan_in_fan_out", false);
        o.put("init_lora_weights", true);
    }

    /** Safetensors metadata key carrying this engine's method name. */
    public static final String METHOD_METADATA = "peft_arena_method";
    /** Safetensors metadata key carrying KeepLoRA's protected-subspace factor. */
    public static final String PROTECTED_FACTOR_METADATA = "peft_arena_protected_factor";

    /** What the adapter file's metadata records beyond HF PEFT's config (this engine's method name and extras). */
    public static Map<String, String> metadata(PeftConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(METHOD_METADATA, config.method().cliName());
        if (config instanceof KeepLoraConfig k) {
            m.put(PROTECTED_FACTOR_METADATA, Integer.toString(k.protectedFactor()));
        }
        return m;
    }

    /**
     * Reads a configuration.
     *
     * @param json the parsed {@code adapter_config.json}
     * @param metadata the adapter file's safetensors metadata (this engine's extras, absent in HF PEFT files)
     * @throws AdapterFormatException for an unknown or unsupported peft_type or option
     */
    public static PeftConfig readConfig(JsonNode json, Map<String, String> metadata) {
        String engineMethod = metadata.get(METHOD_METADATA);
        String type = text(json, "peft_type");
        for (String field : List.of("layers_to_transform", "modules_to_save", "trainable_token_indices")) {
            JsonNode n = json.get(field);
            if (n != null && !n.isNull() && !(n.isContainerNode() && n.size() == 0)) {
                throw new AdapterFormatException("adapter_config.json: '" + field + "' is not supported (found " + n + ")");
            }
        }
        return switch (type) {
            case "LORA" -> readLora(json, engineMethod, metadata);
            case "OFT" -> readOft(json);
            case "ADALORA" -> AdaLoraFormat.readConfig(json);
            case "BOFT" -> readBoft(json);
            case "IA3" -> new Ia3Config(strings(json.get("feedforward_modules"), List.of()));
            case "VERA" -> {
                if (!json.path("save_projection").asBoolean(true)) {
                    throw new AdapterFormatException("VeRA adapters without saved projections are not supported");
                }
                yield new VeraConfig(integer(json, "r"), json.path("d_initial").asDouble(VeraConfig.DEFAULT_D_INITIAL),
                        json.path("projection_prng_key").asLong(0));
            }
            case "MISS" -> {
                JsonNode init = json.get("init_weights");
                if (init != null && init.isTextual()) {
                    throw new AdapterFormatException("MiSS init_weights '" + init.asText() + "' is not supported (only the default)");
                }
                yield new MissConfig(integer(json, "r"));
            }
            case "HRA" -> {
                if (json.path("apply_GS").asBoolean(false)) {
                    throw new AdapterFormatException("HRA with apply_GS is not supported");
                }
                yield new HraConfig(integer(json, "r"));
            }
            default -> throw new AdapterFormatException("unsupported peft_type '" + type + "'; supported: LORA, ADALORA, OFT, BOFT, IA3, VERA, MISS, HRA");
        };
    }

    private static PeftConfig readLora(JsonNode json, String engineMethod, Map<String, String> metadata) {
        if (json.path("use_rslora").asBoolean(false)) {
            throw new AdapterFormatException("rsLoRA scaling is not supported");
        }
        for (String pattern : List.of("rank_pattern", "alpha_pattern")) {
            JsonNode p = json.get(pattern);
            if (p != null && p.isObject() && p.size() > 0) {
                throw new AdapterFormatException("LoRA " + pattern + " is not supported");
            }
        }
        int r = integer(json, "r");
        double alpha = json.path("lora_alpha").asDouble(LoraConfig.DEFAULT_ALPHA);
        if (json.path("use_dora").asBoolean(false)) {
            return new DoraConfig(r, alpha);
        }
        if (engineMethod != null) {
            switch (engineMethod) {
                case "pissa" -> {
                    return new PissaConfig(r / 2);
                }
                case "milora" -> {
                    return new MiloraConfig(r / 2);
                }
                case "keeplora" -> {
                    String factor = metadata.getOrDefault(PROTECTED_FACTOR_METADATA, Integer.toString(KeepLoraConfig.DEFAULT_PROTECTED_FACTOR));
                    try {
                        return new KeepLoraConfig(r, Integer.parseInt(factor));
                    } catch (NumberFormatException e) {
                        throw new AdapterFormatException("adapter metadata: bad " + PROTECTED_FACTOR_METADATA + " '" + factor + "'", e);
                    }
                }
                default -> { }
            }
        }
        return new LoraConfig(r, alpha);
    }

    private static PeftConfig readOft(JsonNode json) {
        if (json.path("coft").asBoolean(false) || json.path("block_share").asBoolean(false)) {
            throw new AdapterFormatException("OFT with coft or block_share is not supported");
        }
        int b = json.path("oft_block_size").asInt(0);
        if (b == 0) {
            throw new AdapterFormatException("OFT adapters given by r instead of oft_block_size are not supported");
        }
        CayleyVariant v = json.path("use_cayley_neumann").asBoolean(true) ? CayleyVariant.NEUMANN : CayleyVariant.EXACT;
        return new OftConfig(b, v, json.path("num_cayley_neumann_terms").asInt(OftConfig.DEFAULT_NEUMANN_TERMS));
    }

    /** BOFT as HF PEFT configures it; only the block-size form (not {@code boft_block_num}) and bias "none". */
    private static PeftConfig readBoft(JsonNode json) {
        int num = json.path("boft_block_num").asInt(0);
        int b = json.path("boft_block_size").asInt(num == 0 ? BoftConfig.DEFAULT_BLOCK_SIZE : 0);
        if (num != 0) {
            throw new AdapterFormatException("BOFT adapters given by boft_block_num (" + num + ") instead of boft_block_size"
                    + " are not supported" + (b != 0 ? " (and HF PEFT rejects setting both)" : ""));
        }
        String bias = json.path("bias").asText("none");
        if (!"none".equals(bias)) {
            throw new AdapterFormatException("BOFT with bias '" + bias + "' is not supported (only \"none\")");
        }
        if (json.path("fan_in_fan_out").asBoolean(false)) {
            throw new AdapterFormatException("BOFT with fan_in_fan_out is not supported");
        }
        JsonNode m = json.get("boft_n_butterfly_factor");
        int factors = m == null || m.isNull() ? BoftConfig.DEFAULT_BUTTERFLY_FACTORS : m.asInt();
        try {
            return new BoftConfig(b, factors);
        } catch (org.peftarena.peft.PeftException e) {
            throw new AdapterFormatException("adapter_config.json: " + e.getMessage(), e);
        }
    }

    /** The target modules of a configuration (list: names; string: regex; {@code all-linear}: every block linear). */
    public static TargetModules readTargets(JsonNode json) {
        JsonNode t = json.get("target_modules");
        if (t == null || t.isNull()) {
            throw new AdapterFormatException("adapter_config.json has no target_modules");
        }
        if (t.isTextual()) {
            return "all-linear".equals(t.asText()) ? TargetModules.ALL_LINEAR : TargetModules.ofRegex(t.asText());
        }
        return TargetModules.ofNames(strings(t, null));
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.isTextual()) {
            throw new AdapterFormatException("adapter_config.json: '" + field + "' must be a string");
        }
        return n.asText();
    }

    private static int integer(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw new AdapterFormatException("adapter_config.json: '" + field + "' must be an integer");
        }
        return n.asInt();
    }

    private static List<String> strings(JsonNode n, List<String> fallback) {
        if (n == null || n.isNull()) {
            if (fallback == null) {
                throw new AdapterFormatException("adapter_config.json: expected a list of module names");
            }
            return fallback;
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }
}
