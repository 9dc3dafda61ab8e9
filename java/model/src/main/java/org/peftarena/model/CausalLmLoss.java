package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.cross_entropy_loss;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** Next-token cross-entropy in the Hugging Face causal-LM convention. */
public final class CausalLmLoss {
    /** Label value that takes no loss. */
    public static final long IGNORE_INDEX = -100;

    /** LibTorch's {@code at::Reduction::Mean}. */
    private static final long REDUCTION_MEAN = 1;

    private CausalLmLoss() {
    }

    /**
     * @param logits {@code [B, T, V]} float32 (bfloat16 ones, from autocast, are widened first)
     * @param labels {@code [B, T]} int64 aligned with the inputs, {@link #IGNORE_INDEX} where ignored;
     *               {@code logits[:, t]} is scored against {@code labels[:, t + 1]}
     * @return mean loss over the scored positions, scalar float32
     * @throws IllegalArgumentException when no position is scored
     */
    public static Tensor shiftedCrossEntropy(Tensor logits, Tensor labels) {
        long t = logits.size(1);
        long v = logits.size(2);
        if (t < 2) {
            throw new IllegalArgumentException("need at least two positions for a next-token loss");
        }
        Tensor predicted = logits.narrow(1, 0, t - 1).reshape(-1, v);
        if (predicted.scalar_type().intern() != torch.ScalarType.Float) {
            predicted = predicted.to(torch.ScalarType.Float); // bfloat16 logits (autocast): the loss in float32
        }
        Tensor targets = labels.narrow(1, 1, t - 1).reshape(-1);
        if (scoredCount(labels) == 0) {
            throw new IllegalArgumentException("every label is " + IGNORE_INDEX + ": nothing to score");
        }
        return cross_entropy_loss(predicted, targets, new TensorOptional(), REDUCTION_MEAN, IGNORE_INDEX, 0.0);
    }

    /**
     * @param labels {@code [B, T]} int64 aligned with the inputs
     * @return number of positions the shifted loss scores
     */
    public static long scoredCount(Tensor labels) {
        long t = labels.size(1);
        return labels.narrow(1, 1, t - 1).ne(new Scalar(IGNORE_INDEX)).sum().item_long();
    }
}
