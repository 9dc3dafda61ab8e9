package org.peftarena.peft.keeplora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LoraFormat;
import org.peftarena.peft.lora.LoraMethod;

/** Registers KeepLoRA: stored as a plain LoRA (alpha = r), its protected factor in the file's metadata. */
public final class KeepLoraMethod implements PeftMethodProvider<KeepLoraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("keeplora", PeftMethod.SizeKnob.RANK, "LORA");
    /** Safetensors metadata key carrying KeepLoRA's protected-subspace factor. */
    public static final String PROTECTED_FACTOR_METADATA = "peft_arena_protected_factor";

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<KeepLoraConfig> configType() {
        return KeepLoraConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK);
    }

    @Override
    public KeepLoraConfig configFor(MethodOptions o) {
        return new KeepLoraConfig(o.get(MethodOption.RANK, LoraConfig.DEFAULT_RANK), KeepLoraConfig.DEFAULT_PROTECTED_FACTOR);
    }

    @Override
    public LayerFactory layers(KeepLoraConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new KeepLoraLayer(base, config);
    }

    @Override
    public void writeConfig(KeepLoraConfig c, ObjectNode json) {
        LoraFormat.write(json, c.rank(), c.rank(), false);
    }

    @Override
    public Map<String, String> metadata(KeepLoraConfig config) {
        return Map.of(PROTECTED_FACTOR_METADATA, Integer.toString(config.protectedFactor()));
    }

    @Override
    public int claim(JsonNode json, Map<String, String> metadata) {
        return namedIn(metadata) ? 2 : 0;
    }

    @Override
    public KeepLoraConfig readConfig(JsonNode json, Map<String, String> metadata) {
        int r = LoraFormat.rank(json);
        String factor = metadata.getOrDefault(PROTECTED_FACTOR_METADATA, Integer.toString(KeepLoraConfig.DEFAULT_PROTECTED_FACTOR));
        try {
            return new KeepLoraConfig(r, Integer.parseInt(factor));
        } catch (NumberFormatException e) {
            throw new AdapterFormatException("adapter metadata: bad " + PROTECTED_FACTOR_METADATA + " '" + factor + "'", e);
        }
    }

    @Override
    public double defaultLearningRate() {
        return 3e-2;
    }

    @Override
    public LinearScaling linearScaling() {
        return LoraMethod.SCALE_B;
    }
}
