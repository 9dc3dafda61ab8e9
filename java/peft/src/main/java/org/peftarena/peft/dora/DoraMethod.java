package org.peftarena.peft.dora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.lora.LoraFormat;
import org.peftarena.peft.lora.LoraMethod;

/** Registers DoRA: HF PEFT {@code LORA} files with {@code use_dora}. */
public final class DoraMethod implements PeftMethodProvider<DoraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("dora", PeftMethod.SizeKnob.RANK, "LORA");

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<DoraConfig> configType() {
        return DoraConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK, LoraMethod.ALPHA);
    }

    @Override
    public DoraConfig configFor(MethodOptions o) {
        return new DoraConfig(o.get(MethodOption.RANK, LoraConfig.DEFAULT_RANK), o.get(LoraMethod.ALPHA, LoraConfig.DEFAULT_ALPHA));
    }

    @Override
    public LayerFactory layers(DoraConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new DoraLayer(base, config, moduleSeed);
    }

    @Override
    public void writeConfig(DoraConfig c, ObjectNode json) {
        LoraFormat.write(json, c.rank(), c.alpha(), true);
    }

    /** {@code use_dora} decides, whatever the metadata says. */
    @Override
    public int claim(JsonNode json, Map<String, String> metadata) {
        return AdapterJson.bool(json, "use_dora", false) ? 3 : 0;
    }

    @Override
    public DoraConfig readConfig(JsonNode json, Map<String, String> metadata) {
        int r = LoraFormat.rank(json);
        return new DoraConfig(r, LoraFormat.alpha(json));
    }
}
