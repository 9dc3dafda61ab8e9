package org.peftarena.peft.io;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.TargetModules;

/**
 * An adapter as read from an HF PEFT directory.
 *
 * @param config the method and hyper-parameters
 * @param targets the target modules
 * @param tensors HF PEFT keys to float32 tensors
 * @param baseModel the {@code base_model_name_or_path} it was trained on (may be empty)
 */
public record AdapterCheckpoint(PeftConfig config, TargetModules targets, Map<String, Tensor> tensors, String baseModel) {
}
