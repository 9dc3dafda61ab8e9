package org.peftarena.peft.pissa;

import org.peftarena.peft.BaseLinear;

/** Factory of PiSSA layers: LoRA factors from the principal singular triplets. */
public final class PissaLayer {
    private PissaLayer() {}

    /** A PiSSA adapter on {@code base}. */
    public static SvdLoraLayer create(BaseLinear base, PissaConfig config) {
        return new SvdLoraLayer(base, config.rank(), SvdLoraLayer.Triplets.PRINCIPAL);
    }
}
