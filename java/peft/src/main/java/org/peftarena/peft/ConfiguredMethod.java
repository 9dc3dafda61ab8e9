package org.peftarena.peft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A configuration bound to its method's provider, so that central code calls the provider without
 * knowing the configuration's type.
 *
 * @param provider the registered provider of the configuration's method
 * @param config the configuration, of the provider's type
 */
public record ConfiguredMethod<C extends PeftConfig>(PeftMethodProvider<C> provider, C config) {
    /**
     * Binds a configuration to the registered provider of its method.
     *
     * @throws UnknownMethodException if the method is not registered
     * @throws PeftException if the configuration is not of the provider's type
     */
    public static ConfiguredMethod<?> of(PeftConfig config) {
        return bind(MethodRegistry.provider(config.method()), config);
    }

    private static <C extends PeftConfig> ConfiguredMethod<C> bind(PeftMethodProvider<C> provider, PeftConfig config) {
        if (!provider.configType().isInstance(config)) {
            throw new PeftException(provider.method().cliName() + " expects a " + provider.configType().getSimpleName()
                    + ", got " + config.getClass().getSimpleName());
        }
        return new ConfiguredMethod<>(provider, provider.configType().cast(config));
    }

    /** See {@link PeftMethodProvider#layers}. */
    public LayerFactory layers(List<BaseLinear> targeted, long seed) {
        return provider.layers(config, targeted, seed);
    }

    /** See {@link PeftMethodProvider#writeConfig}. */
    public void writeConfig(ObjectNode json) {
        provider.writeConfig(config, json);
    }

    /** See {@link PeftMethodProvider#metadata}. */
    public Map<String, String> metadata() {
        return provider.metadata(config);
    }

    /** See {@link PeftMethodProvider#tensorsToSave}. */
    public Map<String, Tensor> tensorsToSave(AdapterSet adapters, ObjectNode json, Map<String, Tensor> state) {
        return provider.tensorsToSave(config, adapters, json, state);
    }

    /** See {@link PeftMethodProvider#tensorsLoaded}. */
    public AdapterTensors tensorsLoaded(JsonNode json, Map<String, Tensor> tensors) {
        return provider.tensorsLoaded(config, json, tensors);
    }

    /** See {@link PeftMethodProvider#trainingHook}. */
    public TrainingHook trainingHook(Map<String, AdapterLayer> layers) {
        return provider.trainingHook(config, layers);
    }
}
