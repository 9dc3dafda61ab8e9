package org.peftarena.peft.dora;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.peftarena.peft.AdapterJson;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.lora.RankAlphaMethod;

/** Registers DoRA: HF PEFT {@code LORA} files with {@code use_dora}. */
public final class DoraMethod extends RankAlphaMethod<DoraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("dora", PeftMethod.SizeKnob.RANK, "LORA");

    public DoraMethod() {
        super(ID, DoraConfig.class, true, DoraConfig::new, DoraLayer::new);
    }

    /** {@code use_dora} decides, whatever the metadata says. */
    @Override
    public int claim(JsonNode json, Map<String, String> metadata) {
        return AdapterJson.bool(json, "use_dora", false) ? 3 : 0;
    }
}
