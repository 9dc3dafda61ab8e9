package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.cross_entropy_loss;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Next-token cross-entropy in the Hugging Face causal-LM convention, from the logits or, for a
 * large vocabulary, from the last hidden states and the output head in row chunks
 * ({@link #headLoss}), so the {@code [B, T, V]} logits and their gradient never exist at once.
 */
public final class CausalLmLoss {
    /** Label value that takes no loss. */
    public static final long IGNORE_INDEX = -100;

    /**
     * Size of the float32 logits above which {@link #headLoss} works in chunks (256 MiB: e.g. 2 x 256
     * tokens over Qwen2.5's 151,936-token vocabulary is 311 MB). Below it the logits are formed whole,
     * as {@link LlamaModel#forward} returns them.
     */
    public static final long CHUNK_ABOVE_BYTES = 256L << 20;

    /** Size of one chunk's float32 logits (32 MiB), which sets the rows per chunk. */
    public static final long CHUNK_BYTES = 32L << 20;

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
        Tensor targets = labels.narrow(1, 1, t - 1).reshape(-1).to(logits.device(), torch.ScalarType.Long);
        if (scoredCount(labels) == 0) {
            throw new IllegalArgumentException("every label is " + IGNORE_INDEX + ": nothing to score");
        }
        return cross_entropy_loss(predicted, targets, new TensorOptional(), REDUCTION_MEAN, IGNORE_INDEX, 0.0);
    }

    /**
     * The same loss as {@link #shiftedCrossEntropy(Tensor, Tensor)} over {@code logits = hidden W^T},
     * whole when those logits are at most {@link #CHUNK_ABOVE_BYTES}, else in chunks of
     * {@link #CHUNK_BYTES} ({@link #shiftedCrossEntropy(Tensor, Tensor, Tensor, long)}).
     *
     * @param hidden     {@code [B, T, d]} last hidden states (after the final norm)
     * @param headWeight {@code [V, d]} output head in any dtype (a narrower frozen one is widened)
     * @param labels     {@code [B, T]} int64, as for {@link #shiftedCrossEntropy(Tensor, Tensor)}
     * @return mean loss over the scored positions, scalar float32, attached to the autograd graph
     */
    public static Tensor headLoss(Tensor hidden, Tensor headWeight, Tensor labels) {
        return headLoss(hidden, headWeight, labels, false);
    }

    /**
     * {@link #headLoss(Tensor, Tensor, Tensor)}, or, with {@code sliceNarrowHead}, for a frozen head narrower than
     * float32 whose logits are above {@link #CHUNK_ABOVE_BYTES}, the same loss by vocabulary slices
     * ({@link #shiftedCrossEntropyByVocabulary}): no float32 copy of the whole head, for one more pass over it.
     *
     * @param sliceNarrowHead trade that pass for the head's float32 copy (gradient checkpointing asks for it)
     */
    public static Tensor headLoss(Tensor hidden, Tensor headWeight, Tensor labels, boolean sliceNarrowHead) {
        long rows = hidden.size(0) * Math.max(0, hidden.size(1) - 1);
        long v = headWeight.size(0);
        if (rows * v * Float.BYTES <= CHUNK_ABOVE_BYTES) {
            return shiftedCrossEntropy(LinearModule.apply(hidden, headWeight, null).to(torch.ScalarType.Float), labels);
        }
        if (bySlices(rows, headWeight, sliceNarrowHead)) {
            return shiftedCrossEntropyByVocabulary(hidden, headWeight, labels, Math.max(1, CHUNK_BYTES / (rows * Float.BYTES)));
        }
        return shiftedCrossEntropy(hidden, headWeight, labels, Math.max(1, CHUNK_BYTES / (v * Float.BYTES)));
    }

    /** Whether {@link #headLoss(Tensor, Tensor, Tensor, boolean)} takes the vocabulary slices for {@code rows} scored rows. */
    static boolean bySlices(long rows, Tensor headWeight, boolean sliceNarrowHead) {
        return sliceNarrowHead && rows * headWeight.size(0) * Float.BYTES > CHUNK_ABOVE_BYTES
                && headWeight.scalar_type().intern() != torch.ScalarType.Float
                && !(GradMode.is_enabled() && headWeight.requires_grad());
    }

    /**
     * The shifted cross-entropy of {@code logits = hidden W^T} for a frozen head, {@code sliceRows} rows of {@code W}
     * (vocabulary entries) at a time, each slice widened to float32 only while it is used: a first pass over the
     * slices combines their log-sum-exps and picks the targets' logits; a second, when {@code hidden} needs a
     * gradient, forms each slice's {@code (softmax - onehot) / n} and accumulates {@code dL/dhidden}. The result
     * joins the autograd graph through the surrogate of {@link #shiftedCrossEntropy(Tensor, Tensor, Tensor, long)}.
     * Peak memory beyond the model is one slice of {@code W} in float32 and one slice's logits for every row; the
     * price is the slices' logits computed twice.
     *
     * @param headWeight {@code [V, d]}, frozen (no gradient is computed for it)
     * @param sliceRows  vocabulary entries per slice, at least 1
     * @throws IllegalArgumentException when no position is scored, the shapes disagree or the head needs a gradient
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static Tensor shiftedCrossEntropyByVocabulary(Tensor hidden, Tensor headWeight, Tensor labels, long sliceRows) {
        if (sliceRows < 1) {
            throw new IllegalArgumentException("slice rows must be at least 1, got " + sliceRows);
        }
        if (GradMode.is_enabled() && headWeight.requires_grad()) {
            throw new IllegalArgumentException("the loss by vocabulary slices computes no gradient for the head; a trainable"
                    + " head takes the loss by row chunks");
        }
        Tensor scored = scoredRows(hidden, headWeight, labels);
        long n = scoredCount(labels);
        boolean needHidden = GradMode.is_enabled() && scored.requires_grad();
        long t = hidden.size(1);
        long v = headWeight.size(0);
        Tensor gradHidden = null;
        Tensor lossSum;
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor rowsIn = scored.detach();
            Tensor targets = labels.narrow(1, 1, t - 1).reshape(-1).to(rowsIn.device(), torch.ScalarType.Long);
            Tensor valid = targets.ne(new Scalar(IGNORE_INDEX));
            Tensor index = targets.clamp_min(new Scalar(0L));
            Tensor lse = null;
            Tensor picked = torch.zeros_like(rowsIn.select(1, 0));
            for (long v0 = 0; v0 < v; v0 += sliceRows) {
                long vs = Math.min(sliceRows, v - v0);
                try (PointerScope slice = new PointerScope()) {
                    Tensor[] lw = sliceLogits(rowsIn, headWeight, v0, vs);
                    Tensor sliceLse = lw[0].logsumexp(new long[] {1}, false);
                    Tensor combined = lse == null ? sliceLse : torch.logaddexp(lse, sliceLse);
                    Tensor[] in = inSlice(index, v0, vs);
                    picked.add_(lw[0].gather(1, in[1].unsqueeze(1)).squeeze(1).mul(in[0]));
                    combined.retainReference(); // survives the slice's scope
                    if (lse != null) {
                        lse.releaseReference();
                    }
                    lse = combined;
                }
            }
            lossSum = lse.sub(picked).masked_fill(valid.logical_not(), new Scalar(0.0)).sum().div(new Scalar((double) n));
            if (needHidden) {
                gradHidden = torch.zeros_like(rowsIn);
                Tensor scale = valid.to(torch.ScalarType.Float).div(new Scalar((double) n)).unsqueeze(1);
                Tensor lseColumn = lse.unsqueeze(1);
                for (long v0 = 0; v0 < v; v0 += sliceRows) {
                    long vs = Math.min(sliceRows, v - v0);
                    try (PointerScope slice = new PointerScope()) {
                        Tensor[] lw = sliceLogits(rowsIn, headWeight, v0, vs);
                        Tensor[] in = inSlice(index, v0, vs);
                        Tensor dLogits = lw[0].sub_(lseColumn).exp_(); // softmax, in place
                        dLogits.scatter_add_(1, in[1].unsqueeze(1), in[0].neg().unsqueeze(1));
                        dLogits.mul_(scale);
                        gradHidden.add_(dLogits.matmul(lw[1]));
                    }
                }
            }
            lse.releaseReference();
        }
        if (!needHidden) {
            return lossSum;
        }
        Tensor surrogate = scored.mul(gradHidden).sum();
        return surrogate.sub(surrogate.detach()).add(lossSum);
    }

    /** One vocabulary slice: its float32 logits {@code [rows, vs]} and its float32 head rows {@code [vs, d]}. */
    private static Tensor[] sliceLogits(Tensor rowsIn, Tensor headWeight, long v0, long vs) {
        Tensor w = headWeight.narrow(0, v0, vs).to(torch.ScalarType.Float);
        Tensor logits = rowsIn.matmul(w.t());
        if (logits.scalar_type().intern() != torch.ScalarType.Float) {
            logits = logits.to(torch.ScalarType.Float); // autocast's bfloat16 product
        }
        return new Tensor[] {logits, w};
    }

    /** Which targets fall in {@code [v0, v0 + vs)} (float32 0/1) and their column there (clamped into the slice). */
    private static Tensor[] inSlice(Tensor index, long v0, long vs) {
        Tensor in = index.ge(new Scalar(v0)).logical_and(index.lt(new Scalar(v0 + vs))).to(torch.ScalarType.Float);
        Tensor column = index.sub(new Scalar(v0)).clamp(new ScalarOptional(new Scalar(0L)), new ScalarOptional(new Scalar(vs - 1)));
        return new Tensor[] {in, column};
    }

    /** The scored rows {@code hidden[:, :-1]} as float32 {@code [B(T-1), d]}, after checking the shapes and labels. */
    private static Tensor scoredRows(Tensor hidden, Tensor headWeight, Tensor labels) {
        long t = hidden.size(1);
        long d = hidden.size(2);
        if (t < 2) {
            throw new IllegalArgumentException("need at least two positions for a next-token loss");
        }
        if (headWeight.dim() != 2 || headWeight.size(1) != d || labels.size(0) != hidden.size(0) || labels.size(1) != t) {
            throw new IllegalArgumentException("hidden " + hidden.sizes().vec() + ", head " + headWeight.sizes().vec()
                    + " and labels " + labels.sizes().vec() + " do not fit [B, T, d], [V, d], [B, T]");
        }
        if (scoredCount(labels) == 0) {
            throw new IllegalArgumentException("every label is " + IGNORE_INDEX + ": nothing to score");
        }
        Tensor scored = hidden.narrow(1, 0, t - 1).reshape(-1, d);
        return scored.scalar_type().intern() != torch.ScalarType.Float ? scored.to(torch.ScalarType.Float) : scored;
    }

    /**
     * The shifted cross-entropy of {@code logits = hidden W^T} computed {@code chunkRows} scored rows
     * at a time: each chunk's logits (float32), log-sum-exp and gradient
     * {@code (softmax - onehot) / n} are formed and released before the next, and the gradients with
     * respect to {@code hidden} (and {@code W} when it is trainable) are accumulated as they go. The
     * result has the loss's value and joins the autograd graph through a surrogate,
     * {@code s - s.detach() + loss} with {@code s = sum(hidden * dL/dhidden) [+ sum(W * dL/dW)]}, whose
     * gradients are exactly those, so a later {@code backward()} (scaled or not) reaches the model as
     * the whole-logits loss would. Peak memory beyond the model is one chunk's logits and, for a
     * narrower frozen head, one float32 copy of {@code W}.
     *
     * @param chunkRows positions per chunk, at least 1
     * @throws IllegalArgumentException when no position is scored or the shapes disagree
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static Tensor shiftedCrossEntropy(Tensor hidden, Tensor headWeight, Tensor labels, long chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunk rows must be at least 1, got " + chunkRows);
        }
        long t = hidden.size(1);
        Tensor scored = scoredRows(hidden, headWeight, labels);
        long n = scoredCount(labels);
        boolean grad = GradMode.is_enabled();
        boolean needHidden = grad && scored.requires_grad();
        boolean needHead = grad && headWeight.requires_grad();
        Tensor gradHidden = null;
        Tensor gradHead = null;
        Tensor lossSum;
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor rowsIn = scored.detach();
            Tensor targets = labels.narrow(1, 1, t - 1).reshape(-1).to(rowsIn.device(), torch.ScalarType.Long);
            Tensor w = headWeight.scalar_type().intern() == torch.ScalarType.Float
                    ? headWeight.detach() : headWeight.to(torch.ScalarType.Float);
            gradHidden = needHidden ? torch.zeros_like(rowsIn) : null;
            gradHead = needHead ? torch.zeros_like(w) : null;
            lossSum = torch.zeros(new long[] {}, rowsIn.options());
            long total = rowsIn.size(0);
            Scalar minusOne = new Scalar(-1.0);
            for (long r0 = 0; r0 < total; r0 += chunkRows) {
                try (PointerScope chunk = new PointerScope()) {
                    long rows = Math.min(chunkRows, total - r0);
                    Tensor h = rowsIn.narrow(0, r0, rows);
                    Tensor y = targets.narrow(0, r0, rows);
                    Tensor valid = y.ne(new Scalar(IGNORE_INDEX));
                    Tensor index = y.clamp_min(new Scalar(0L)).unsqueeze(1);
                    Tensor logits = h.matmul(w.t());
                    if (logits.scalar_type().intern() != torch.ScalarType.Float) {
                        logits = logits.to(torch.ScalarType.Float); // autocast's bfloat16 product
                    }
                    Tensor lse = logits.logsumexp(new long[] {-1}, true); // [rows, 1]
                    Tensor picked = logits.gather(1, index);
                    lossSum.add_(lse.sub(picked).squeeze(1).masked_fill(valid.logical_not(), new Scalar(0.0)).sum());
                    if (needHidden || needHead) {
                        Tensor dLogits = logits.sub_(lse).exp_(); // softmax, in place
                        dLogits.scatter_add_(1, index, torch.full(new long[] {rows, 1}, minusOne, dLogits.options()));
                        dLogits.mul_(valid.unsqueeze(1).to(torch.ScalarType.Float).div(new Scalar((double) n)));
                        if (needHidden) {
                            gradHidden.narrow(0, r0, rows).copy_(dLogits.matmul(w));
                        }
                        if (needHead) {
                            gradHead.add_(dLogits.t().matmul(h));
                        }
                    }
                }
            }
            lossSum.div_(new Scalar((double) n));
            w.close(); // a handle of our own (the detached alias or the widened copy, which goes now)
        }
        if (!needHidden && !needHead) {
            return lossSum;
        }
        Tensor surrogate = needHidden ? scored.mul(gradHidden).sum() : null;
        if (needHead) {
            Tensor headTerm = headWeight.mul(gradHead.to(headWeight.scalar_type())).sum();
            surrogate = surrogate == null ? headTerm : surrogate.add(headTerm);
        }
        return surrogate.sub(surrogate.detach()).add(lossSum);
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
