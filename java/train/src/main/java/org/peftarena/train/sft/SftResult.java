package org.peftarena.train.sft;

import java.nio.file.Path;
import java.util.List;
import org.peftarena.peft.PeftModel;

/**
 * What a finished SFT run returns.
 *
 * @param model the model with its trained adapters attached (unmerged)
 * @param losses mean loss of every step, from step 1 (including steps restored from a checkpoint)
 * @param resumedFrom steps restored from a checkpoint (0 for a fresh run)
 * @param lastCheckpoint the last periodic checkpoint written, or null
 * @param seconds wall time of the steps run now
 * @param tokens loss-bearing tokens processed now
 */
public record SftResult(PeftModel model, List<Double> losses, int resumedFrom, Path lastCheckpoint, double seconds, long tokens) {
    public SftResult {
        losses = List.copyOf(losses);
    }

    /** Loss-bearing tokens per second of the steps run now. */
    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
