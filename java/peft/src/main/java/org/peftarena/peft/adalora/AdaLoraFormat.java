package org.peftarena.peft.adalora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.Devices;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.AdapterLayer;
import org.peftarena.peft.AdapterSet;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.lora.LoraConfig;

/**
 * AdaLoRA in HF PEFT's adapter layout: the {@code ADALORA} config fields, and the {@code rank_pattern}
 * (per {@code <module>.lora_E}, which triplets the allocator kept). As HF PEFT does, a pruned adapter
 * is stored with only its kept triplets; on reading, the pruned ones come back as zeros at their
 * original positions, which computes the same function (the scaling stays {@code alpha / init_r}).
 */
public final class AdaLoraFormat {
    private static final String[] ROW_TENSORS = {"lora_A", "lora_E"};

    private AdaLoraFormat() {}

    /** Writes the ADALORA fields of {@code adapter_config.json} ({@code rank_pattern} null until pruning). */
    public static void writeConfig(ObjectNode o, AdaLoraConfig c) {
        o.put("r", LoraConfig.DEFAULT_RANK);
        o.put("lora_alpha", c.alpha());
        o.put("lora_dropout", 0.0);
        o.put("bias", "none");
        o.put("use_dora", false);
        o.put("use_rslora", false);
        o.put("fan_in_fan_out", false);
        o.put("init_lora_weights", true);
        o.put("target_r", c.targetR());
        o.put("init_r", c.initR());
        o.put("tinit", c.tinit());
        o.put("tfinal", c.tfinal());
        o.put("deltaT", c.deltaT());
        o.put("beta1", c.beta1());
        o.put("beta2", c.beta2());
        o.put("orth_reg_weight", c.orthRegWeight());
        if (c.totalStep() > 0) {
            o.put("total_step", c.totalStep());
        } else {
            o.putNull("total_step");
        }
        o.putNull("rank_pattern");
    }

    /**
     * Reads the ADALORA fields (HF PEFT defaults for absent ones).
     *
     * @throws AdapterFormatException for DoRA or invalid values
     */
    public static AdaLoraConfig readConfig(JsonNode json) {
        if (AdapterJson.bool(json, "use_dora", false)) {
            throw new AdapterFormatException("ADALORA does not support DoRA (use_dora is true)");
        }
        int totalStep = AdapterJson.integer(json, "total_step", 0);
        try {
            return new AdaLoraConfig(AdapterJson.integer(json, "target_r", AdaLoraConfig.DEFAULT_TARGET_R),
                    AdapterJson.integer(json, "init_r", AdaLoraConfig.DEFAULT_INIT_R),
                    AdapterJson.number(json, "lora_alpha", AdaLoraConfig.DEFAULT_ALPHA),
                    AdapterJson.integer(json, "tinit", 0), AdapterJson.integer(json, "tfinal", 0), AdapterJson.integer(json, "deltaT", 1),
                    AdapterJson.number(json, "beta1", AdaLoraConfig.DEFAULT_BETA), AdapterJson.number(json, "beta2", AdaLoraConfig.DEFAULT_BETA),
                    AdapterJson.number(json, "orth_reg_weight", AdaLoraConfig.DEFAULT_ORTH_REG_WEIGHT), totalStep);
        } catch (PeftException e) {
            throw new AdapterFormatException("adapter_config.json: " + e.getMessage(), e);
        }
    }

    /**
     * The rank pattern of a set's AdaLoRA layers, keyed {@code <module>.lora_E}; null when no layer has been
     * masked (a layer never masked keeps every triplet).
     */
    public static Map<String, boolean[]> rankPattern(AdapterSet set) {
        Map<String, boolean[]> pattern = new LinkedHashMap<>();
        boolean any = false;
        for (Map.Entry<String, AdapterLayer> e : set.layers().entrySet()) {
            AdaLoraLayer l = (AdaLoraLayer) e.getValue();
            boolean[] keep = l.rankPattern();
            any |= keep != null;
            if (keep == null) {
                keep = new boolean[l.initRank()];
                java.util.Arrays.fill(keep, true);
            }
            pattern.put(e.getKey() + RankAllocator.PATTERN_SUFFIX, keep);
        }
        return any ? pattern : null;
    }

    /** Writes {@code rank_pattern} into a config object. */
    public static void writeRankPattern(ObjectNode o, Map<String, boolean[]> pattern) {
        ObjectNode p = o.putObject("rank_pattern");
        pattern.forEach((k, keep) -> {
            ArrayNode a = p.putArray(k);
            for (boolean b : keep) {
                a.add(b);
            }
        });
    }

    /** HF PEFT's {@code resize_state_dict_by_rank_pattern}: keeps only the kept triplets of each module. */
    public static Map<String, Tensor> prune(Map<String, Tensor> state, Map<String, boolean[]> pattern) {
        Map<String, Tensor> out = new LinkedHashMap<>(state);
        pattern.forEach((name, keep) -> {
            String prefix = AdapterSet.KEY_PREFIX + module(name) + ".";
            long[] kept = indices(keep);
            Tensor idx = HostTensors.longs(kept, kept.length);
            for (String row : ROW_TENSORS) {
                out.computeIfPresent(prefix + row, (k, t) -> t.index_select(0, Devices.on(t.device(), idx)));
            }
            out.computeIfPresent(prefix + "lora_B", (k, t) -> t.index_select(1, Devices.on(t.device(), idx)));
        });
        return out;
    }

    /**
     * Puts the triplets of an adapter stored with a rank pattern back at their positions in full
     * {@code init_r} tensors, zeros elsewhere. Without a pattern the tensors are returned unchanged.
     *
     * @throws AdapterFormatException if the pattern is malformed, names a module without tensors, or disagrees
     *     with the stored ranks
     */
    public static Map<String, Tensor> expand(JsonNode config, Map<String, Tensor> tensors, int initR) {
        JsonNode p = config.get("rank_pattern");
        if (p == null || p.isNull() || (p.isObject() && p.isEmpty())) {
            return tensors;
        }
        if (!p.isObject()) {
            throw new AdapterFormatException("adapter_config.json: rank_pattern must be an object of boolean lists");
        }
        Map<String, Tensor> out = new LinkedHashMap<>(tensors);
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean[] keep = flags(e.getKey(), e.getValue(), initR);
            String prefix = AdapterSet.KEY_PREFIX + module(e.getKey()) + ".";
            long[] idx = indices(keep);
            for (String name : new String[] {"lora_A", "lora_E", "lora_B"}) {
                Tensor t = out.get(prefix + name);
                if (t == null) {
                    throw new AdapterFormatException("rank_pattern names " + e.getKey() + " but the adapter has no " + prefix + name);
                }
                int dim = "lora_B".equals(name) ? 1 : 0;
                if (t.dim() != 2 || t.size(dim) != idx.length) {
                    throw new AdapterFormatException("rank_pattern keeps " + idx.length + " triplets of " + e.getKey()
                            + " but " + prefix + name + " has shape " + java.util.Arrays.toString(HostTensors.shape(t)));
                }
                long[] shape = HostTensors.shape(t);
                shape[dim] = initR;
                out.put(prefix + name, torch.zeros(shape, t.options())
                        .index_copy(dim, Devices.on(t.device(), HostTensors.longs(idx, idx.length)), t));
            }
        }
        return out;
    }

    private static boolean[] flags(String name, JsonNode list, int initR) {
        if (!list.isArray() || list.size() != initR) {
            throw new AdapterFormatException("rank_pattern entry " + name + " must list " + initR + " booleans (init_r), got " + list);
        }
        boolean[] keep = new boolean[initR];
        for (int i = 0; i < initR; i++) {
            JsonNode b = list.get(i);
            if (!b.isBoolean()) {
                throw new AdapterFormatException("rank_pattern entry " + name + " holds a non-boolean: " + b);
            }
            keep[i] = b.asBoolean();
        }
        return keep;
    }

    private static String module(String patternKey) {
        if (!patternKey.endsWith(RankAllocator.PATTERN_SUFFIX)) {
            throw new AdapterFormatException("rank_pattern key '" + patternKey + "' does not end in " + RankAllocator.PATTERN_SUFFIX);
        }
        return patternKey.substring(0, patternKey.length() - RankAllocator.PATTERN_SUFFIX.length());
    }

    private static long[] indices(boolean[] keep) {
        List<Long> idx = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                idx.add((long) i);
            }
        }
        return idx.stream().mapToLong(Long::longValue).toArray();
    }
}
