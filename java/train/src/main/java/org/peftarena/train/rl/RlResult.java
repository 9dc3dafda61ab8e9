package org.peftarena.train.rl;

import java.nio.file.Path;
import java.util.List;
import org.peftarena.peft.PeftModel;

/**
 * What a finished RL run returns.
 *
 * @param model          the policy with its trained adapters attached (unmerged)
 * @param losses         policy loss of every step, from step 1 (including steps restored from a checkpoint)
 * @param meanRewards    mean reward of the rollouts of each step run now
 * @param resumedFrom    steps restored from a checkpoint (0 for a fresh run)
 * @param lastCheckpoint the last periodic checkpoint written, or null
 * @param times          wall time of the steps run now, split into rollout, reward and update
 * @param tokens         completion tokens sampled (stop tokens included) and trained on in the steps run now
 */
public record RlResult(PeftModel model, List<Double> losses, List<Double> meanRewards, int resumedFrom, Path lastCheckpoint,
                       StepTimes times, long tokens) {
    public RlResult {
        losses = List.copyOf(losses);
        meanRewards = List.copyOf(meanRewards);
    }
}
