package org.peftarena.train.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.model.Autocast;
import org.peftarena.model.Devices;
import org.peftarena.model.HostTensors;
import org.peftarena.model.LlamaModel;
import org.peftarena.train.TrainingStep;

/**
 * The GRPO loss of one mini-batch for the shared training loop. The first mini-batch of a step
 * samples and scores the step's rollouts with the policy as it is then (before the step's updates),
 * computes the group advantages and the sampling policy's token log-probabilities (and the
 * reference's, with a KL penalty); each mini-batch then returns the clipped policy loss of its rows.
 */
final class GrpoStep implements TrainingStep {
    private final LlamaModel policy;
    private final LlamaModel reference;
    private final RolloutSampler sampler;
    private final PromptOrder prompts;
    private final Reward reward;
    private final RlOptions options;
    private final int padId;
    private final StepTimes times;
    private final List<Double> meanRewards = new ArrayList<>();

    private long cachedStep = -1;
    private final List<PolicyBatch> batches = new ArrayList<>();
    private final List<float[]> oldLogProbs = new ArrayList<>();
    private final List<float[]> refLogProbs = new ArrayList<>();
    private final List<float[]> advantages = new ArrayList<>();

    GrpoStep(LlamaModel policy, LlamaModel reference, TextTokenizer tokenizer, PromptOrder prompts, Reward reward,
             RlOptions options, StepTimes times) {
        this.policy = policy;
        this.reference = reference;
        this.sampler = new RolloutSampler(policy, tokenizer);
        this.prompts = prompts;
        this.reward = reward;
        this.options = options;
        this.padId = tokenizer.padId().orElse(tokenizer.eosId().orElse(0));
        this.times = times;
    }

    /** Mean reward of each step sampled so far. */
    List<Double> meanRewards() {
        return meanRewards;
    }

    /** The sampling seed of a step: a function of the run's seed and the step only. */
    static long rolloutSeed(long seed, long step) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1))).nextLong();
    }

    @Override
    @SuppressWarnings("try") // the autocast region is used for its extent
    public StepLoss compute(long microBatch) {
        long step = microBatch / options.miniBatches();
        int mini = (int) (microBatch % options.miniBatches());
        PolicyBatch b;
        Tensor logp;
        // the forward passes (rollout sampling, old and reference log-probabilities, the policy's) under the
        // recipe's autocast; the log-probabilities and the loss are float32 either way
        try (Autocast.Region r = options.autocast().enter(policy.device().type())) {
            if (step != cachedStep) {
                rollout(step);
            }
            b = batches.get(mini);
            logp = b.tokenLogProbs(policy);
        }
        int rows = b.rows();
        int width = b.completionWidth();
        org.bytedeco.pytorch.Device device = logp.device(); // the model's; the host-built tensors move there
        Tensor mask = Devices.on(device, b.completionMask());
        Tensor old = Devices.on(device, HostTensors.floats(oldLogProbs.get(mini), rows, width));
        Tensor adv = Devices.on(device, HostTensors.floats(advantages.get(mini), rows, 1));
        Tensor loss = GrpoLoss.policyLoss(logp, old, adv, mask, options.clip());
        if (options.klCoef() > 0) {
            Tensor ref = Devices.on(device, HostTensors.floats(refLogProbs.get(mini), rows, width));
            loss = loss.add(GrpoLoss.klToReference(logp, ref, mask).mul(new org.bytedeco.pytorch.Scalar(options.klCoef())));
        }
        return new StepLoss(loss, b.tokens());
    }

    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    private void rollout(long step) {
        List<Rollout> rollouts = sampler.sample(prompts.step(step), options.groupSize(), options.sampling(),
                rolloutSeed(options.seed(), step), reward, times);
        double[] rewards = new double[rollouts.size()];
        double sum = 0;
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = rollouts.get(i).reward();
            sum += rewards[i];
        }
        meanRewards.add(sum / rewards.length);
        double[] adv = GrpoAdvantages.compute(rewards, options.groupSize(), options.normAdvByStd(), options.advantageEps());
        batches.clear();
        oldLogProbs.clear();
        refLogProbs.clear();
        advantages.clear();
        int n = options.miniBatchRows();
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            for (int m = 0; m < options.miniBatches(); m++) {
                PolicyBatch b = new PolicyBatch(rollouts.subList(m * n, (m + 1) * n), padId);
                batches.add(b);
                oldLogProbs.add(HostTensors.toFloats(b.tokenLogProbs(policy)));
                if (options.klCoef() > 0) {
                    refLogProbs.add(HostTensors.toFloats(b.tokenLogProbs(reference)));
                }
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) adv[m * n + i];
                }
                advantages.add(a);
            }
        }
        cachedStep = step;
    }
}
