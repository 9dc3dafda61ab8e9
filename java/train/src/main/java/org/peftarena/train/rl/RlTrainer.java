package org.peftarena.train.rl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.tokenizer.TextTokenizer;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.TrainingHook;
import org.peftarena.train.AdamWOptimizer;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.ResumeState;
import org.peftarena.train.TrainingDivergedException;
import org.peftarena.train.TrainingLoop;
import org.peftarena.train.TrainingProgress;
import org.peftarena.train.TrainingStoppedException;
import org.peftarena.train.WarmupCosineSchedule;
import org.peftarena.train.sft.SftBatches;
import org.peftarena.train.sft.PeriodicCheckpoints;
import org.peftarena.train.sft.SftCheckpoints;
import org.peftarena.train.sft.SftExample;
import org.peftarena.train.sft.SftTrainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRPO with any method (adapters attached through the registry exactly as for SFT, or full
 * finetuning) on the shared {@link TrainingLoop}: one loop step is one rollout batch and its
 * mini-batch updates, so checkpoints (the SFT layout: HF PEFT adapter or HF model, optimizer, hook,
 * digests) fall between rollout batches and a resumed run samples exactly what the uninterrupted
 * run sampled. A non-finite loss or gradient, or a failing reward, stops the run before the update
 * and names the last good checkpoint. A policy whose mean reward falls to exactly 0 for good
 * ({@link RewardCollapseCheck}) is warned about; the run goes on.
 */
public final class RlTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(RlTrainer.class);

    private RlTrainer() {}

    /**
     * Trains.
     *
     * @param model     a float32 decoder; adapters are attached to it (full finetuning trains it in place)
     * @param reference the frozen base for the KL penalty (another instance of the base), or null when {@code klCoef} is 0
     * @param tokenizer encodes prompts, decodes completions; its EOS ends a completion
     * @param problems  the training problems
     * @param reward    scores completions
     * @param config    the method
     * @param targets   the targeted linear layers
     * @param options   the recipe
     * @param output    result directory, or null to keep everything in memory
     * @param listener  progress after every step; {@code onEvaluation(step, {"reward": mean})} after each rollout
     * @throws TrainingDivergedException on a non-finite loss or gradient norm
     * @throws RewardException when the reward throws or returns a non-finite value
     * @throws TrainingStoppedException when a stop was requested; a checkpoint of the last step is written first
     */
    public static RlResult train(LlamaModel model, LlamaModel reference, TextTokenizer tokenizer, List<RlProblem> problems,
                                 Reward reward, PeftConfig config, TargetModules targets, RlOptions options,
                                 SftTrainer.Output output, ProgressListener listener) {
        if (options.klCoef() > 0 && reference == null) {
            throw new IllegalArgumentException("a KL penalty needs the frozen reference model");
        }
        PromptOrder order = new PromptOrder(problems, options.promptBatch(), options.seed());
        int updates = options.steps() * options.miniBatches();
        PeftModel pm = PeftModel.attach(model, config.withTotalSteps(updates), targets, options.seed());
        Optional<SftCheckpoints.Restored> restored = SftCheckpoints.restoreLatest(pm, output);
        Optional<Path> ckpt = restored.map(SftCheckpoints.Restored::dir);
        int start = restored.map(r -> r.state().step()).orElse(0);
        List<Double> past = new ArrayList<>(restored.map(r -> r.state().losses()).orElse(List.of()));
        if (pm.needsGradientInit()) {
            // methods initialised from a gradient take it from the reference answers of the first prompt batch
            List<SftExample> first = new ArrayList<>();
            order.step(0).forEach(p -> first.add(new SftExample(p.prompt(), p.answer())));
            SftBatches.Batch b = new SftBatches(first, tokenizer, model.config().maxPositionEmbeddings(), first.size(),
                    options.seed()).batch(0);
            pm.initFromGradient(() -> model.loss(b.inputIds(), b.attentionMask(), b.labels()));
        }
        Map<String, Tensor> named = pm.trainableParameters();
        TrainingHook hook = pm.trainingHook();
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(options.adamW().learningRate(), options.steps(),
                options.warmupFraction(), 0.0);
        StepTimes times = new StepTimes();
        GrpoStep step = new GrpoStep(model, reference, tokenizer, order, reward, options, times);
        long t0 = System.nanoTime();
        try (AdamWOptimizer optimizer = new AdamWOptimizer(new ArrayList<>(named.values()), options.adamW())) {
            ResumeState resume = new ResumeState(optimizer, named, hook, recipe(pm, order, reward, options));
            TrainingLoop loop = new TrainingLoop(optimizer, schedule, new GradientClipper(options.clipNorm()), options.steps(),
                    options.miniBatches(), 1, hook);
            PeriodicCheckpoints checkpoints = new PeriodicCheckpoints(pm, output, options.checkpointEvery(), resume, loop, loop.microBatchesPerStep(), ckpt.orElse(null));
            if (ckpt.isPresent()) {
                SftCheckpoints.resume(ckpt.get(), resume, start * loop.microBatchesPerStep());
                LOG.info("resumed from {} at step {}", ckpt.get(), start);
            }
            RewardCollapseCheck collapse = new RewardCollapseCheck();
            ProgressListener withRewards = new ProgressListener() {
                @Override
                public void onStep(TrainingProgress p) {
                    listener.onStep(p);
                    List<Double> r = step.meanRewards();
                    double reward = r.get(r.size() - 1);
                    listener.onEvaluation(p.step(), Map.of("reward", reward));
                    String warning = collapse.observe(p.step(), reward);
                    if (warning != null) {
                        LOG.warn("step {}: {}", p.step(), warning);
                    }
                }

                @Override
                public void onPhase(String description) {
                    listener.onPhase(description);
                }
            };
            List<Double> losses;
            try {
                losses = loop.run(start, past, step, withRewards, checkpoints);
            } catch (TrainingStoppedException stop) {
                Path saved = output == null ? null : SftCheckpoints.save(pm, output.dir(),
                        new SftCheckpoints.State(stop.step(), loop.losses()), output.baseModel(), resume,
                        stop.step() * loop.microBatchesPerStep());
                LOG.info("stopped after step {}{}", stop.step(), saved == null ? "" : "; checkpoint " + saved);
                throw new TrainingStoppedException(stop.step(), saved);
            } catch (RewardException e) {
                throw new RewardException(e.getMessage() + "; the run stopped before updating step "
                        + (loop.losses().size() + 1) + "; " + checkpoints.recoveryHint(), e);
            }
            if (output != null) {
                SftCheckpoints.write(pm, output.dir(), new SftCheckpoints.State(options.steps(), losses), output.baseModel());
            }
            times.setTotal(System.nanoTime() - t0);
            LOG.info("RL time split: {}", times);
            return new RlResult(pm, losses, step.meanRewards(), start, checkpoints.lastGood(), times, loop.tokens());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training results to " + output.dir(), e);
        }
    }

    /** Everything besides the checkpoint interval that shapes a run; a resumed run must have the same. */
    private static String recipe(PeftModel pm, PromptOrder order, Reward reward, RlOptions options) {
        return "rl " + pm.config() + " " + options.withCheckpointEvery(0) + " reward=" + reward.name() + " " + order.describe();
    }
}
