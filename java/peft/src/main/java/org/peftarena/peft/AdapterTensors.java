package org.peftarena.peft;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A method configuration with the adapter tensors it reads.
 *
 * @param config the method and hyper-parameters
 * @param tensors HF PEFT keys to float32 tensors
 */
public record AdapterTensors(PeftConfig config, Map<String, Tensor> tensors) {
}
