package org.peftarena.peft.pissa;

import org.peftarena.peft.PeftMethod;

/** Registers PiSSA. */
public final class PissaMethod extends SvdLoraMethod<PissaConfig> {
    /** The method. */
    public static final PeftMethod ID = PeftMethod.of("pissa", PeftMethod.SizeKnob.RANK, "LORA");

    public PissaMethod() {
        super(ID, PissaConfig.class, PissaConfig::new, SvdLoraLayer.Triplets.PRINCIPAL, 1e-2);
    }
}
