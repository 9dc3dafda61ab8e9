package org.peftarena.peft.hra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;

/** Registers HRA (without Gram-Schmidt). */
public final class HraMethod implements PeftMethodProvider<HraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("hra", PeftMethod.SizeKnob.RANK, "HRA", PeftMethod.Trait.ORTHOGONAL);

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<HraConfig> configType() {
        return HraConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK);
    }

    @Override
    public HraConfig configFor(MethodOptions o) {
        return new HraConfig(o.get(MethodOption.RANK, HraConfig.DEFAULT_RANK));
    }

    @Override
    public LayerFactory layers(HraConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new HraLayer(base, config, moduleSeed);
    }

    @Override
    public void writeConfig(HraConfig c, ObjectNode o) {
        o.put("r", c.rank());
        o.put("apply_GS", false);
        o.put("init_weights", true);
        o.put("bias", "none");
    }

    @Override
    public HraConfig readConfig(JsonNode json, Map<String, String> metadata) {
        if (AdapterJson.bool(json, "apply_GS", false)) {
            throw new AdapterFormatException("HRA with apply_GS is not supported");
        }
        return new HraConfig(AdapterJson.integer(json, "r"));
    }
}
