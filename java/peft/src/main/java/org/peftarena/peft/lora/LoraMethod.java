package org.peftarena.peft.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.LayerFactory;
import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.PeftMethodProvider;

/** Registers LoRA: HF PEFT {@code LORA} files without {@code use_dora} that no other method claims. */
public final class LoraMethod implements PeftMethodProvider<LoraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("lora", PeftMethod.SizeKnob.RANK, "LORA");
    /** The LoRA-family scaling numerator (LoRA, DoRA, AdaLoRA). */
    public static final MethodOption<Double> ALPHA = MethodOption.of("alpha", Double.class, "A",
            "LoRA / DoRA / AdaLoRA alpha (default 8).");
    /** Scaling {@code B} scales {@code s B A}. */
    public static final LinearScaling SCALE_B = new LinearScaling(".lora_B.weight", 0);

    @Override
    public PeftMethod method() {
        return ID;
    }

    @Override
    public Class<LoraConfig> configType() {
        return LoraConfig.class;
    }

    @Override
    public List<MethodOption<?>> options() {
        return List.of(MethodOption.RANK, ALPHA);
    }

    @Override
    public LoraConfig configFor(MethodOptions o) {
        return new LoraConfig(o.get(MethodOption.RANK, LoraConfig.DEFAULT_RANK), o.get(ALPHA, LoraConfig.DEFAULT_ALPHA));
    }

    @Override
    public LayerFactory layers(LoraConfig config, List<BaseLinear> targeted, long seed) {
        return (base, moduleSeed) -> new LoraLayer(base, config, moduleSeed);
    }

    @Override
    public void writeConfig(LoraConfig c, ObjectNode json) {
        LoraFormat.write(json, c.rank(), c.alpha(), false);
    }

    @Override
    public LoraConfig readConfig(JsonNode json, Map<String, String> metadata) {
        int r = LoraFormat.rank(json);
        return new LoraConfig(r, LoraFormat.alpha(json));
    }

    @Override
    public LinearScaling linearScaling() {
        return SCALE_B;
    }
}
