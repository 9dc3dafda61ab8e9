package org.peftarena.peft.milora;

import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.pissa.SvdLoraLayer;

/** Factory of MiLoRA layers: LoRA factors from the minor singular triplets. */
public final class MiloraLayer {
    private MiloraLayer() {}

    /** A MiLoRA adapter on {@code base}. */
    public static SvdLoraLayer create(BaseLinear base, MiloraConfig config) {
        return new SvdLoraLayer(base, config.rank(), SvdLoraLayer.Triplets.MINOR);
    }
}
