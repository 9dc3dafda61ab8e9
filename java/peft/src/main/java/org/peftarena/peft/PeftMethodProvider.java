package org.peftarena.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Everything central code needs from one finetuning method: its identity, its settings, its HF PEFT
 * {@code adapter_config.json} codec and its layers. A method's package implements it once and registers
 * it, through {@code META-INF/services/org.peftarena.peft.PeftMethodProvider} (found by
 * {@link java.util.ServiceLoader}) or with {@link MethodRegistry#register}.
 *
 * @param <C> the method's configuration record
 */
public interface PeftMethodProvider<C extends PeftConfig> {
    /** Safetensors metadata key carrying this engine's method name. */
    String METHOD_METADATA = "peft_arena_method";

    /** The method this provider implements. */
    PeftMethod method();

    /** The method's configuration type. */
    Class<C> configType();

    /** The settings the method accepts (its size knob first, if any). */
    List<MethodOption<?>> options();

    /**
     * The configuration with these settings (only the accepted ones are set) and defaults for the rest.
     *
     * @throws PeftException for invalid values
     */
    C configFor(MethodOptions options);

    /**
     * The layer factory for one model: creates any state the method's layers share (VeRA's projections).
     *
     * @param targeted every targeted base layer, in model order
     * @param seed the run's initialisation seed
     */
    LayerFactory layers(C config, List<BaseLinear> targeted, long seed);

    /**
     * Writes the method's own fields of {@code adapter_config.json} (after the common ones:
     * {@code peft_type}, {@code task_type}, {@code base_model_name_or_path}, {@code inference_mode},
     * {@code target_modules}).
     */
    void writeConfig(C config, ObjectNode json);

    /**
     * How strongly this method claims an {@code adapter_config.json} of its {@code peft_type}; the highest
     * positive claim reads it (several methods share HF PEFT's {@code LORA}).
     *
     * @param metadata the adapter file's safetensors metadata
     */
    default int claim(JsonNode json, Map<String, String> metadata) {
        return 1;
    }

    /** Whether an adapter file's metadata names this method (it was written by this engine). */
    default boolean namedIn(Map<String, String> metadata) {
        return method().cliName().equals(metadata.get(METHOD_METADATA));
    }

    /**
     * Reads the configuration from {@code adapter_config.json}.
     *
     * @throws AdapterFormatException for unsupported or invalid fields
     */
    C readConfig(JsonNode json, Map<String, String> metadata);

    /** Extra safetensors metadata the method needs to read its adapter back (beyond its name). */
    default Map<String, String> metadata(C config) {
        return Map.of();
    }

    /**
     * The tensors to write for an adapter, after recording anything they need in {@code json}
     * (AdaLoRA's rank pattern); {@code state} unchanged for most methods.
     */
    default Map<String, Tensor> tensorsToSave(C config, AdapterSet adapters, ObjectNode json, Map<String, Tensor> state) {
        return state;
    }

    /**
     * The configuration and tensors of a read adapter in this engine's form (AdaLoRA's pruned triplets
     * restored, BOFT's HF quirks resolved); unchanged for most methods.
     */
    default AdapterTensors tensorsLoaded(C config, JsonNode json, Map<String, Tensor> tensors) {
        return new AdapterTensors(config, tensors);
    }

    /** The method's work inside each training step; {@link TrainingHook#NONE} for most. */
    default TrainingHook trainingHook(C config, Map<String, AdapterLayer> layers) {
        return TrainingHook.NONE;
    }

    /** The peak learning rate for small models such as the embedded one. */
    default double defaultLearningRate() {
        return 2e-2;
    }

    /** The tensor whose scaling scales the update linearly, or null when there is none. */
    default LinearScaling linearScaling() {
        return null;
    }
}
