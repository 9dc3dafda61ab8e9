package org.peftarena.train.sft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.train.AdamWOptimizer;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.TrainingDivergedException;
import org.peftarena.peft.TrainingHook;
import org.peftarena.train.TrainingProgress;
import org.peftarena.train.WarmupCosineSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised finetuning with any method: loss on response tokens only, AdamW with warm-up and
 * cosine decay, clipping, gradient accumulation, periodic checkpoints and resume. A non-finite
 * loss or gradient stops the run before the update is applied, naming the last good checkpoint.
 * A method's {@link TrainingHook} adds its loss term (the reported loss stays the task loss) and runs
 * after each optimizer update, before the gradients are cleared.
 */
public final class SftTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);

    private SftTrainer() {}

    /** Where and how a run stores its results. */
    public record Output(Path dir, boolean resume, String baseModel) {
    }

    /**
     * Trains.
     *
     * @param model a float32 decoder; adapters are attached to it (full finetuning trains it in place)
     * @param batches the training data
     * @param config the method (a method with a run-length schedule, AdaLoRA, trains with {@code options.steps()} recorded)
     * @param targets the targeted linear layers
     * @param options the recipe
     * @param output result directory, or null to keep everything in memory
     * @param listener progress after every step
     * @throws TrainingDivergedException on a non-finite loss or gradient norm
     */
    public static SftResult train(LlamaModel model, SftBatches batches, PeftConfig config, TargetModules targets,
                                  SftOptions options, Output output, ProgressListener listener) {
        PeftModel pm = PeftModel.attach(model, config.withTotalSteps(options.steps()), targets, options.seed());
        List<Double> losses = new ArrayList<>();
        int start = 0;
        Path lastGood = null;
        try {
            Optional<Path> ckpt = output != null && output.resume() ? SftCheckpoints.latest(output.dir()) : Optional.empty();
            if (ckpt.isPresent()) {
                SftCheckpoints.State state = SftCheckpoints.restore(pm, ckpt.get());
                start = state.step();
                losses.addAll(state.losses());
                lastGood = ckpt.get();
                LOG.info("resumed from {} at step {} (optimizer moments restart)", ckpt.get(), start);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + output.dir(), e);
        }
        if (pm.needsGradientInit()) {
            SftBatches.Batch b = batches.batch(0);
            pm.initFromGradient(() -> model.loss(b.inputIds(), b.attentionMask(), b.labels()));
        }
        List<Tensor> params = new ArrayList<>(pm.trainableParameters().values());
        TrainingHook hook = pm.trainingHook();
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(options.adamW().learningRate(), options.steps(), options.warmupFraction(), 0.0);
        GradientClipper clipper = new GradientClipper(options.clipNorm());
        long t0 = System.nanoTime();
        long tokens = 0;
        try (AdamWOptimizer optimizer = new AdamWOptimizer(params, options.adamW())) {
            for (int s = start; s < options.steps(); s++) {
                double lr = schedule.learningRate(s);
                double loss = 0;
                double norm;
                try (PointerScope scope = new PointerScope()) {
                    optimizer.setLearningRate(lr);
                    for (int micro = 0; micro < options.gradAccumulation(); micro++) {
                        SftBatches.Batch b = batches.batch((long) s * options.gradAccumulation() + micro);
                        Tensor l = model.loss(b.inputIds(), b.attentionMask(), b.labels());
                        double v = l.item_double();
                        if (!Double.isFinite(v)) {
                            optimizer.zeroGrad();
                            throw diverged("loss is " + v, s + 1, lastGood);
                        }
                        Tensor extra = hook.extraLoss();
                        (extra == null ? l : l.add(extra)).div(new Scalar((double) options.gradAccumulation())).backward();
                        loss += v / options.gradAccumulation();
                        tokens += b.scoredTokens();
                    }
                    norm = clipper.clip(params);
                    if (!Double.isFinite(norm)) {
                        optimizer.zeroGrad();
                        throw diverged("gradient norm is " + norm, s + 1, lastGood);
                    }
                    optimizer.step();
                    hook.afterOptimizerStep(s);
                    optimizer.zeroGrad();
                }
                losses.add(loss);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                listener.onStep(new TrainingProgress(s + 1, options.steps(), loss, lr, norm, tokens, elapsed));
                if (output != null && options.checkpointEvery() > 0 && (s + 1) % options.checkpointEvery() == 0) {
                    lastGood = SftCheckpoints.save(pm, output.dir(), new SftCheckpoints.State(s + 1, losses), output.baseModel());
                }
            }
            if (output != null) {
                SftCheckpoints.write(pm, output.dir(), new SftCheckpoints.State(options.steps(), losses), output.baseModel());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training results to " + output.dir(), e);
        }
        return new SftResult(pm, losses, start, lastGood, (System.nanoTime() - t0) / 1e9, tokens);
    }

    private static TrainingDivergedException diverged(String what, int step, Path lastGood) {
        return new TrainingDivergedException(what + " at step " + step + "; the update was not applied; "
                + (lastGood == null ? "no checkpoint was written before it" : "the last good checkpoint is " + lastGood));
    }
}
