package org.peftarena.train.rl;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;

/**
 * GRPO's policy loss: the PPO clipped surrogate per token,
 * {@code max(-A r, -A clip(r, 1 - eps, 1 + eps))} with {@code r = exp(logp - logp_old)}, aggregated as
 * the mean over every completion token of the batch; plus, when {@code klCoef > 0}, {@code klCoef}
 * times the token mean of the low-variance KL estimate to the reference policy,
 * {@code exp(ref - logp) - (ref - logp) - 1}. The entropy coefficient is 0 (no entropy term).
 */
public final class GrpoLoss {
    /** Default clip range of the ratio. */
    public static final double DEFAULT_CLIP = 0.2;

    private GrpoLoss() {}

    /**
     * @param logProbs    {@code [B, C]} float32 token log-probabilities of the current policy (with graph)
     * @param oldLogProbs {@code [B, C]} float32 of the policy that sampled the completions (no graph)
     * @param advantages  {@code [B, 1]} float32 advantage of each completion
     * @param mask        {@code [B, C]} float32, 1 at completion tokens
     * @param clip        clip range eps of the ratio, > 0
     * @return scalar float32 token-mean clipped policy loss
     */
    public static Tensor policyLoss(Tensor logProbs, Tensor oldLogProbs, Tensor advantages, Tensor mask, double clip) {
        Tensor ratio = logProbs.sub(oldLogProbs).exp();
        Tensor unclipped = ratio.mul(advantages).neg();
        Tensor clipped = ratio.clamp(new ScalarOptional(new Scalar(1 - clip)), new ScalarOptional(new Scalar(1 + clip)))
                .mul(advantages).neg();
        return tokenMean(unclipped.maximum(clipped), mask);
    }

    /**
     * @param logProbs    {@code [B, C]} float32 of the current policy (with graph)
     * @param refLogProbs {@code [B, C]} float32 of the frozen reference (no graph)
     * @param mask        {@code [B, C]} float32, 1 at completion tokens
     * @return scalar float32 token mean of {@code exp(ref - logp) - (ref - logp) - 1}, >= 0
     */
    public static Tensor klToReference(Tensor logProbs, Tensor refLogProbs, Tensor mask) {
        Tensor d = refLogProbs.sub(logProbs);
        return tokenMean(d.exp().sub(d).sub(new Scalar(1.0)), mask);
    }

    /** Fraction of completion tokens whose ratio lies outside {@code [1 - clip, 1 + clip]} (a diagnostic). */
    public static double clippedFraction(Tensor logProbs, Tensor oldLogProbs, Tensor mask, double clip) {
        Tensor ratio = logProbs.detach().sub(oldLogProbs).exp();
        Tensor outside = ratio.lt(new Scalar(1 - clip)).logical_or(ratio.gt(new Scalar(1 + clip))).to(org.bytedeco.pytorch.global.torch.ScalarType.Float);
        return outside.mul(mask).sum().item_double() / Math.max(1.0, mask.sum().item_double());
    }

    private static Tensor tokenMean(Tensor perToken, Tensor mask) {
        return perToken.mul(mask).sum().div(mask.sum().clamp_min(new Scalar(1.0)));
    }
}
