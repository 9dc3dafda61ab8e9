package org.peftarena.peft.ia3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;

/** Registers (IA)^3. */
public final class Ia3Method implements PeftMethodProvider<Ia3Config> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("ia3", PeftMethod.SizeKnob.NONE, "IA3",
            PeftMethod.Trait.FROZEN_BASE_AS_STORED);

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<Ia3Config> configType() {
        return Ia3Config.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of();
    }

    @Override
    public Ia3Config configFor(MethodOptions o) {
        return new Ia3Config();
    }

    @Override
    public LayerFactory layers(Ia3Config config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new Ia3Layer(base, config.isFeedforward(base.shape()));
    }

    @Override
    public void writeConfig(Ia3Config c, ObjectNode o) {
        ArrayNode a = o.putArray("feedforward_modules");
        c.feedforwardModules().forEach(a::add);
        o.put("init_ia3_weights", true);
        o.put("fan_in_fan_out", false);
    }

    @Override
    public Ia3Config readConfig(JsonNode json, Map<String, String> metadata) {
        return new Ia3Config(AdapterJson.strings(json.get("feedforward_modules"), List.of()));
    }

    @Override
    public double defaultLearningRate() {
        return 5e-2;
    }

    /** The vector multiplies: its zero update is all ones. */
    @Override
    public LinearScaling linearScaling() {
        return new LinearScaling(".ia3_l", 1);
    }
}
