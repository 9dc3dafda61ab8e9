package org.peftarena.train;

import org.bytedeco.pytorch.Tensor;

/** Computes one micro-batch's loss (with its autograd graph). */
@FunctionalInterface
public interface TrainingStep {
    /**
     * The loss of one micro-batch; runs inside the loop's per-step {@code PointerScope}, so every
     * tensor it creates is freed when the step ends.
     *
     * @param microBatch zero-based micro-batch index, {@code (step * updatesPerStep + update) * microBatches + micro}
     */
    StepLoss compute(long microBatch);

    /**
     * @param loss   scalar float tensor attached to the graph of the trainable parameters
     * @param tokens number of loss-bearing positions in the batch
     */
    record StepLoss(Tensor loss, long tokens) {
    }
}
