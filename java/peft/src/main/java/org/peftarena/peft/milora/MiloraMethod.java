package org.peftarena.peft.milora;

import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.pissa.SvdLoraLayer;
import org.peftarena.peft.pissa.SvdLoraMethod;

/** Registers MiLoRA. */
public final class MiloraMethod extends SvdLoraMethod<MiloraConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("milora", PeftMethod.SizeKnob.RANK, "LORA");

    public MiloraMethod() {
        super(ID, MiloraConfig.class, MiloraConfig::new, SvdLoraLayer.Triplets.MINOR, 2e-2);
    }
}
