package org.peftarena.train.sft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.model.Autocast;
import org.peftarena.model.LlamaModel;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftModel;
import org.peftarena.peft.TargetModules;
import org.peftarena.train.AdamWOptimizer;
import org.peftarena.train.CollapseCheck;
import org.peftarena.train.GradientClipper;
import org.peftarena.train.ProgressListener;
import org.peftarena.train.ResumeState;
import org.peftarena.train.TrainingDivergedException;
import org.peftarena.peft.TrainingHook;
import org.peftarena.train.TrainingLoop;
import org.peftarena.train.TrainingStep;
import org.peftarena.train.TrainingStoppedException;
import org.peftarena.train.WarmupCosineSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised finetuning with any method: loss on response tokens only, AdamW with warm-up and
 * cosine decay, clipping, gradient accumulation, periodic checkpoints and exact resume, on the
 * shared {@link TrainingLoop}. A non-finite loss or gradient stops the run before the update is
 * applied, naming the last good checkpoint; so does a collapse ({@link CollapseCheck}), after setting
 * aside the checkpoints that already hold the collapsed model.
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
     * @throws TrainingDivergedException on a non-finite loss or gradient norm, or a collapse ({@link CollapseCheck})
     * @throws TrainingStoppedException when a stop was requested; a checkpoint of the last step is written first
     */
    @SuppressWarnings("try") // the autocast region is used for its extent
    public static SftResult train(LlamaModel model, SftBatches batches, PeftConfig config, TargetModules targets,
                                  SftOptions options, Output output, ProgressListener listener) {
        PeftModel pm = PeftModel.attach(model, config.withTotalSteps(options.steps()), targets, options.seed());
        Optional<SftCheckpoints.Restored> restored = SftCheckpoints.restoreLatest(pm, output);
        Optional<Path> ckpt = restored.map(SftCheckpoints.Restored::dir);
        int start = restored.map(r -> r.state().step()).orElse(0);
        List<Double> past = new ArrayList<>(restored.map(r -> r.state().losses()).orElse(List.of()));
        if (pm.needsGradientInit()) {
            SftBatches.Batch b = batches.batch(0);
            pm.initFromGradient(() -> model.loss(b.inputIds(), b.attentionMask(), b.labels()));
        }
        Map<String, Tensor> named = pm.trainableParameters();
        List<Tensor> params = new ArrayList<>(named.values());
        TrainingHook hook = pm.trainingHook();
        WarmupCosineSchedule schedule = new WarmupCosineSchedule(options.adamW().learningRate(), options.steps(), options.warmupFraction(), 0.0);
        GradientClipper clipper = new GradientClipper(options.clipNorm());
        long t0 = System.nanoTime();
        try (AdamWOptimizer optimizer = new AdamWOptimizer(params, options.adamW())) {
            ResumeState resume = new ResumeState(optimizer, named, hook, recipe(pm, batches, options));
            TrainingLoop loop = new TrainingLoop(optimizer, schedule, clipper, options.steps(), options.gradAccumulation(), hook)
                    .detectingCollapse(CollapseCheck.forVocabulary(model.config().vocabSize()));
            PeriodicCheckpoints checkpoints = new PeriodicCheckpoints(pm, output, options.checkpointEvery(), resume, loop, options.gradAccumulation(), ckpt.orElse(null));
            if (ckpt.isPresent()) {
                SftCheckpoints.resume(ckpt.get(), resume, (long) start * options.gradAccumulation());
                LOG.info("resumed from {} at step {}", ckpt.get(), start);
            }
            List<Double> losses;
            try {
                losses = loop.run(start, past, index -> {
                    SftBatches.Batch b = batches.batch(index);
                    try (Autocast.Region r = options.autocast().enter(model.device().type())) {
                        return new TrainingStep.StepLoss(model.loss(b.inputIds(), b.attentionMask(), b.labels()),
                                b.scoredTokens());
                    }
                }, listener, checkpoints);
            } catch (TrainingStoppedException stop) {
                Path saved = output == null ? null : SftCheckpoints.save(pm, output.dir(),
                        new SftCheckpoints.State(stop.step(), loop.losses()), output.baseModel(), resume,
                        (long) stop.step() * options.gradAccumulation());
                LOG.info("stopped after step {}{}", stop.step(), saved == null ? "" : "; checkpoint " + saved);
                throw new TrainingStoppedException(stop.step(), saved);
            }
            if (output != null) {
                SftCheckpoints.write(pm, output.dir(), new SftCheckpoints.State(options.steps(), losses), output.baseModel());
            }
            return new SftResult(pm, losses, start, checkpoints.lastGood(), (System.nanoTime() - t0) / 1e9, loop.tokens());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training results to " + output.dir(), e);
        }
    }

    /** Everything besides the checkpoint interval that shapes a run; a resumed run must have the same. */
    private static String recipe(PeftModel pm, SftBatches batches, SftOptions options) {
        SftOptions o = options;
        SftOptions withoutInterval = new SftOptions(o.steps(), o.batchSize(), o.gradAccumulation(), o.maxLength(), o.adamW(),
                o.warmupFraction(), o.clipNorm(), o.seed(), 0, o.autocast());
        return pm.config() + " " + withoutInterval + " " + batches.describe();
    }
}
