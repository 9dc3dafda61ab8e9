package org.peftarena.peft;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/** Creates one method's adapter layers for one model, holding whatever state they share. */
public interface LayerFactory {
    /**
     * The adapter layer of a base layer.
     *
     * @param moduleSeed the seed of this module ({@link ParameterInit#moduleSeed})
     */
    AdapterLayer create(BaseLinear base, long moduleSeed);

    /** Model-wide tensors an adapter file holds besides the layers' own (VeRA's projections), by HF PEFT key. */
    default Map<String, Tensor> sharedSaved() {
        return Map.of();
    }
}
