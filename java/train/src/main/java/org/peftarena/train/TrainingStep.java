package org.peftarena.train;

import org.bytedeco.pytorch.Tensor;

/** Computes one step's loss (with its autograd graph) from the next batch. */
@FunctionalInterface
public interface TrainingStep {
    /**
     * The loss of one step; runs inside the loop's per-step {@code PointerScope}, so every tensor
     * it creates is freed when the step ends.
     *
     * @param step zero-based step index
     */
    StepLoss compute(int step);

    /**
     * @param loss   scalar float tensor attached to the graph of the trainable parameters
     * @param tokens number of loss-bearing positions in the batch
     */
    record StepLoss(Tensor loss, long tokens) {
    }
}
