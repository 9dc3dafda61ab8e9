package org.peftarena.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.config.LinearModuleSpec;
import org.peftarena.formats.config.LlamaConfig;

/**
 * A decoder's tensors by Hugging Face name ("model.embed_tokens.weight",
 * "model.layers.0.self_attn.q_proj.weight", ..., "model.norm.weight", "lm_head.weight"), all in
 * one {@link ModelDType}. The map's order is the order tensors are saved in.
 */
public final class ModelWeights {
    /** Name of the token embedding {@code [V, d]}. */
    public static final String EMBED = "model.embed_tokens.weight";
    /** Name of the final norm weight {@code [d]}. */
    public static final String FINAL_NORM = "model.norm.weight";
    /** Name of the output projection {@code [V, d]} (absent when tied to the embedding). */
    public static final String LM_HEAD = "lm_head.weight";

    private final Map<String, Tensor> tensors;
    private final ModelDType dtype;

    /**
     * @param tensors name to tensor, each already in {@code dtype}; the order is kept
     * @param dtype   their common dtype
     */
    public ModelWeights(Map<String, Tensor> tensors, ModelDType dtype) {
        this.tensors = new LinkedHashMap<>(tensors);
        this.dtype = dtype;
        for (Map.Entry<String, Tensor> e : this.tensors.entrySet()) {
            if (!dtype.matches(e.getValue())) {
                throw new IllegalArgumentException("weight " + e.getKey() + " is " + e.getValue().scalar_type()
                        + ", expected " + dtype.scalarType());
            }
        }
    }

    /** Name of the input norm weight of block {@code layer}. */
    public static String inputNorm(int layer) {
        return "model.layers." + layer + ".input_layernorm.weight";
    }

    /** Name of the post-attention norm weight of block {@code layer}. */
    public static String postAttentionNorm(int layer) {
        return "model.layers." + layer + ".post_attention_layernorm.weight";
    }

    /** The dtype of every tensor. */
    public ModelDType dtype() {
        return dtype;
    }

    /** @return the tensor of that name */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new UnknownModuleException("no weight named " + name);
        }
        return t;
    }

    /** Whether a tensor of that name exists. */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** Names in save order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /** Read-only view of the whole map. */
    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /**
     * Replaces a tensor by another of the same shape and dtype (e.g. a merged or interpolated
     * weight); the caller keeps the old one alive if it still needs it.
     */
    public void replace(String name, Tensor value) {
        Tensor old = get(name);
        if (!Arrays.equals(HostTensors.shape(old), HostTensors.shape(value))
                || old.scalar_type().intern() != value.scalar_type().intern() || !old.device().equals(value.device())) {
            throw new IllegalArgumentException("replacement for " + name + " is " + value.scalar_type()
                    + Arrays.toString(HostTensors.shape(value)) + " on " + Devices.name(value.device()) + ", expected "
                    + old.scalar_type() + Arrays.toString(HostTensors.shape(old)) + " on " + Devices.name(old.device()));
        }
        tensors.put(name, value);
    }

    /** The device the weights are on (the token embedding's; {@link #to} puts every tensor there). */
    public org.bytedeco.pytorch.Device device() {
        return get(EMBED).device();
    }

    /**
     * These weights on {@code device}, in the same dtype and order: the same tensors where they are
     * there already, else copies (a frozen bfloat16 base is copied as bfloat16).
     */
    public ModelWeights to(org.bytedeco.pytorch.Device device) {
        Map<String, Tensor> moved = new LinkedHashMap<>();
        tensors.forEach((name, t) -> moved.put(name, Devices.on(device, t)));
        return new ModelWeights(moved, dtype);
    }

    /** Total number of elements over all tensors. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /**
     * Checks that exactly the tensors the config describes are present, with the right shapes.
     *
     * @throws IllegalArgumentException naming the first missing, unexpected or misshapen tensor
     */
    public void validate(LlamaConfig config) {
        Map<String, long[]> expected = expectedShapes(config);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                problems.add("missing " + e.getKey());
            } else if (!Arrays.equals(HostTensors.shape(t), e.getValue())) {
                problems.add(e.getKey() + " has shape " + Arrays.toString(HostTensors.shape(t)) + ", expected "
                        + Arrays.toString(e.getValue()));
            }
        }
        for (String name : tensors.keySet()) {
            if (!expected.containsKey(name) && !(name.equals(LM_HEAD) && config.tieWordEmbeddings())) {
                problems.add("unexpected " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("weights do not match the config: " + String.join("; ",
                    problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : ""));
        }
    }

    /** Every tensor a config requires, name to shape, in Hugging Face order. */
    public static Map<String, long[]> expectedShapes(LlamaConfig c) {
        Map<String, long[]> m = new LinkedHashMap<>();
        long d = c.hiddenSize();
        m.put(EMBED, new long[] {c.vocabSize(), d});
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            m.put(inputNorm(l), new long[] {d});
            for (LinearModuleSpec s : c.linearModules(l)) {
                m.put(s.name() + ".weight", new long[] {s.out(), s.in()});
                if (s.bias()) {
                    m.put(s.name() + ".bias", new long[] {s.out()});
                }
            }
            m.put(postAttentionNorm(l), new long[] {d});
        }
        m.put(FINAL_NORM, new long[] {d});
        if (!c.tieWordEmbeddings()) {
            m.put(LM_HEAD, new long[] {c.vocabSize(), d});
        }
        return m;
    }
}
