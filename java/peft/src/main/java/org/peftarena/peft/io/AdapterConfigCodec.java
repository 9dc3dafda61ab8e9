package org.peftarena.peft.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.ConfiguredMethod;
import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;
import org.peftarena.peft.TargetModules;

/**
 * Converts method configurations to and from HF PEFT's {@code adapter_config.json}: the common fields
 * here, each method's own through its registered {@link PeftMethodProvider}. Several methods share a
 * {@code peft_type} (PiSSA, MiLoRA and KeepLoRA are stored as plain LoRA); the engine's own method name
 * travels in the safetensors metadata and decides which of them reads a file.
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
        ConfiguredMethod.of(config).writeConfig(o);
        return o;
    }

    /** Safetensors metadata key carrying this engine's method name. */
    public static final String METHOD_METADATA = PeftMethodProvider.METHOD_METADATA;

    /** What the adapter file's metadata records beyond HF PEFT's config (this engine's method name and extras). */
    public static Map<String, String> metadata(PeftConfig config) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(METHOD_METADATA, config.method().cliName());
        m.putAll(ConfiguredMethod.of(config).metadata());
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
        String type = AdapterJson.text(json, "peft_type");
        for (String field : List.of("layers_to_transform", "modules_to_save", "trainable_token_indices")) {
            JsonNode n = json.get(field);
            if (n != null && !n.isNull() && !(n.isContainerNode() && n.size() == 0)) {
                throw new AdapterFormatException("adapter_config.json: '" + field + "' is not supported (found " + n + ")");
            }
        }
        PeftMethodProvider<?> reader = null;
        int best = 0;
        List<String> types = new java.util.ArrayList<>();
        for (PeftMethodProvider<?> p : MethodRegistry.providers()) {
            String t = p.method().hfPeftType();
            if (t == null) {
                continue;
            }
            if (!types.contains(t)) {
                types.add(t);
            }
            int claim = t.equals(type) ? p.claim(json, metadata) : 0;
            if (claim > best) {
                best = claim;
                reader = p;
            }
        }
        if (reader == null) {
            throw new AdapterFormatException("unsupported peft_type '" + type + "'; supported: " + String.join(", ", types));
        }
        requireMetadataAgrees(type, reader, metadata);
        return reader.readConfig(json, metadata);
    }

    /**
     * The method the metadata names (files written by this engine name one) only chooses among the methods
     * stored under the file's {@code peft_type}; a name of another {@code peft_type}, an unknown name or one
     * the config's own fields overrule (DoRA's {@code use_dora}) is a contradiction, not a choice.
     */
    private static void requireMetadataAgrees(String type, PeftMethodProvider<?> reader, Map<String, String> metadata) {
        String named = metadata.get(METHOD_METADATA);
        if (named == null || named.equals(reader.method().cliName())) {
            return;
        }
        PeftMethodProvider<?> namedProvider = null;
        for (PeftMethodProvider<?> p : MethodRegistry.providers()) {
            if (p.method().cliName().equals(named)) {
                namedProvider = p;
            }
        }
        if (namedProvider == null) {
            throw new AdapterFormatException("adapter metadata " + METHOD_METADATA + " names an unknown method '" + named
                    + "' (adapter_config.json says peft_type " + type + ")");
        }
        if (!type.equals(namedProvider.method().hfPeftType())) {
            throw new AdapterFormatException("adapter metadata " + METHOD_METADATA + " names " + named + ", whose peft_type is "
                    + namedProvider.method().hfPeftType() + ", but adapter_config.json says peft_type " + type);
        }
        throw new AdapterFormatException("adapter metadata " + METHOD_METADATA + " names " + named + " but adapter_config.json"
                + " describes " + reader.method().cliName());
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
        return TargetModules.ofNames(AdapterJson.strings(t, null));
    }
}
