package org.peftarena.peft.miss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;

/** Registers MiSS (HF PEFT {@code MISS}, default init only). */
public final class MissMethod implements PeftMethodProvider<MissConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("miss", PeftMethod.SizeKnob.RANK, "MISS",
            PeftMethod.Trait.FROZEN_BASE_AS_STORED);

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<MissConfig> configType() {
        return MissConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK);
    }

    @Override
    public MissConfig configFor(MethodOptions o) {
        return new MissConfig(o.get(MethodOption.RANK, MissConfig.DEFAULT_RANK));
    }

    @Override
    public LayerFactory layers(MissConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new MissLayer(base, config);
    }

    @Override
    public void writeConfig(MissConfig c, ObjectNode o) {
        o.put("r", c.rank());
        o.put("init_weights", true);
        o.put("mini_r", 1);
        o.put("miss_dropout", 0.0);
        o.put("bias", "none");
    }

    @Override
    public MissConfig readConfig(JsonNode json, Map<String, String> metadata) {
        JsonNode init = json.get("init_weights");
        if (init != null && init.isTextual()) {
            throw new AdapterFormatException("MiSS init_weights '" + init.asText() + "' is not supported (only the default)");
        }
        return new MissConfig(AdapterJson.integer(json, "r"));
    }

    @Override
    public double defaultLearningRate() {
        return 1e-2;
    }

    @Override
    public LinearScaling linearScaling() {
        return new LinearScaling(".miss_block", 0);
    }
}
