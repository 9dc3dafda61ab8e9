package org.peftarena.peft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.bytedeco.pytorch.Tensor;

/**
 * One method's adapters on every targeted linear layer of a model, with the model-wide operations:
 * trainable parameters, HF PEFT state dict, merge and unmerge.
 */
public final class AdapterSet {
    /** Prefix of every key in an HF PEFT adapter file. */
    public static final String KEY_PREFIX = "base_model.model.";

    private final PeftConfig config;
    private final TargetModules targets;
    private final Map<String, AdapterLayer> layers;
    private final LayerFactory factory;

    private AdapterSet(PeftConfig config, TargetModules targets, Map<String, AdapterLayer> layers, LayerFactory factory) {
        this.config = config;
        this.targets = targets;
        this.layers = Collections.unmodifiableMap(layers);
        this.factory = factory;
    }

    /**
     * Wraps every targeted linear layer (all of them for full finetuning).
     *
     * @param config the method
     * @param targets which layers to adapt
     * @param linears the model's linear layers (blocks only), in model order
     * @param seed initialisation seed
     * @throws PeftException if no layer matches, or the method cannot adapt a layer
     */
    public static AdapterSet attach(PeftConfig config, TargetModules targets, List<BaseLinear> linears, long seed) {
        List<BaseLinear> targeted = new ArrayList<>();
        for (BaseLinear l : linears) {
            if (config.method().wholeModel() || targets.matches(l.path())) {
                targeted.add(l);
            }
        }
        if (targeted.isEmpty()) {
            throw new PeftException("no linear layer matches the target modules " + ParameterBudget.describe(targets)
                    + " (first layers: " + linears.stream().limit(7).map(BaseLinear::path).toList() + ")");
        }
        LayerFactory factory = ConfiguredMethod.of(config).layers(targeted, seed);
        Map<String, AdapterLayer> layers = new LinkedHashMap<>();
        for (BaseLinear l : targeted) {
            layers.put(l.path(), factory.create(l, ParameterInit.moduleSeed(seed, l.path())));
        }
        return new AdapterSet(config, targets, layers, factory);
    }

    /** The method configuration. */
    public PeftConfig config() {
        return config;
    }

    /** The target modules. */
    public TargetModules targets() {
        return targets;
    }

    /** Adapted layers by module path, in model order. */
    public Map<String, AdapterLayer> layers() {
        return layers;
    }

    /** The adapter of a module path, or null when that layer is not adapted. */
    public AdapterLayer layer(String path) {
        return layers.get(path);
    }

    /** Trainable parameters under their HF PEFT keys ({@code base_model.model.<path>.<name>}). */
    public Map<String, Tensor> trainableParameters() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        layers.forEach((path, layer) -> layer.trainable().forEach((k, t) -> all.put(KEY_PREFIX + path + "." + k, t)));
        return all;
    }

    /** Number of trainable scalars. */
    public long trainableCount() {
        return layers.values().stream().mapToLong(AdapterLayer::trainableCount).sum();
    }

    /** Everything an HF PEFT adapter file holds for this set, keyed as HF PEFT keys it. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> all = new LinkedHashMap<>();
        layers.forEach((path, layer) -> layer.saved().forEach((k, t) -> all.put(KEY_PREFIX + path + "." + k, t)));
        all.putAll(factory.sharedSaved());
        return all;
    }

    /**
     * Loads an adapter state dict into this set.
     *
     * @param tensors HF PEFT keys to tensors; must hold exactly the keys of {@link #stateDict()}
     * @throws AdapterFormatException naming missing or unexpected keys, or a shape mismatch
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void load(Map<String, Tensor> tensors) {
        Map<String, Tensor> expected = stateDict();
        TreeSet<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(tensors.keySet());
        TreeSet<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(expected.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new AdapterFormatException("adapter does not fit the model: missing " + abbreviate(missing)
                    + ", unexpected " + abbreviate(unexpected));
        }
        layers.forEach((path, layer) -> {
            Map<String, Tensor> mine = new LinkedHashMap<>();
            String prefix = KEY_PREFIX + path + ".";
            tensors.forEach((k, t) -> {
                if (k.startsWith(prefix)) {
                    mine.put(k.substring(prefix.length()), t);
                }
            });
            layer.load(mine);
        });
        Map<String, Tensor> shared = factory.sharedSaved();
        if (!shared.isEmpty()) {
            try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                for (Map.Entry<String, Tensor> e : shared.entrySet()) {
                    ShapeCheck.require(e.getKey(), e.getValue(), tensors.get(e.getKey()));
                    e.getValue().copy_(tensors.get(e.getKey()));
                }
            }
        }
    }

    /** Folds every adapter into its base weight. */
    public void merge() {
        String scale = config.scaleSetting();
        layers.values().forEach(l -> l.merge(scale));
    }

    /** Takes every adapter out of its base weight again. */
    public void unmerge() {
        layers.values().forEach(AdapterLayer::unmerge);
    }

    private static String abbreviate(NavigableSet<String> keys) {
        if (keys.isEmpty()) {
            return "none";
        }
        List<String> first = keys.stream().limit(3).toList();
        return first + (keys.size() > 3 ? " and " + (keys.size() - 3) + " more" : "");
    }
}
