package org.peftarena.peft.lora;

import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodOption;
import org.peftarena.peft.PeftMethod;

/** Registers LoRA: HF PEFT {@code LORA} files without {@code use_dora} that no other method claims. */
public final class LoraMethod extends RankAlphaMethod<LoraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("lora", PeftMethod.SizeKnob.RANK, "LORA",
            PeftMethod.Trait.FROZEN_BASE_AS_STORED);
    /** The LoRA-family scaling numerator (LoRA, DoRA, AdaLoRA). */
    public static final MethodOption<Double> ALPHA = MethodOption.of("alpha", Double.class, "A",
            "LoRA / DoRA / AdaLoRA alpha (default 8).");
    /** Scaling {@code B} scales {@code s B A}. */
    public static final LinearScaling SCALE_B = new LinearScaling(".lora_B.weight", 0);

    public LoraMethod() {
        super(ID, LoraConfig.class, false, LoraConfig::new, LoraLayer::new);
    }

    @Override
    public LinearScaling linearScaling() {
        return SCALE_B;
    }
}
