package org.peftarena.peft.full;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;

/** Registers full finetuning: no adapter file, every block parameter trains. */
public final class FullMethod implements PeftMethodProvider<FullConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("full", PeftMethod.SizeKnob.NONE, null, PeftMethod.Trait.WHOLE_MODEL);

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<FullConfig> configType() {
        return FullConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of();
    }

    @Override
    public FullConfig configFor(MethodOptions options) {
        return new FullConfig();
    }

    @Override
    public LayerFactory layers(FullConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new FullLayer(base);
    }

    @Override
    public void writeConfig(FullConfig config, ObjectNode json) {
        throw new AdapterFormatException(ID.cliName() + " produces a full model, not an adapter");
    }

    @Override
    public int claim(JsonNode json, Map<String, String> metadata) {
        return 0;
    }

    @Override
    public FullConfig readConfig(JsonNode json, Map<String, String> metadata) {
        throw new AdapterFormatException(ID.cliName() + " produces a full model, not an adapter");
    }

    @Override
    public double defaultLearningRate() {
        return 3e-3;
    }
}
