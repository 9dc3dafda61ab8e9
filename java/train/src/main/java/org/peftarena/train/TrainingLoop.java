package org.peftarena.train;

import org.peftarena.peft.TrainingHook;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimisation loop of every regime (SFT, pretraining, RL): per step set the scheduled learning
 * rate, then for each of the step's updates (one for SFT; the mini-batches of a rollout batch for
 * RL) and each micro-batch compute the loss, check it is finite, add the hook's term and
 * backpropagate the share of it; clip, check the gradient norm is finite, update, run the hook,
 * clear gradients. A non-finite loss or gradient norm stops the run before the update is applied.
 * With a {@link CollapseCheck} ({@link #detectingCollapse}; SFT and pretraining, not RL) a run whose
 * loss stopped depending on its parameters stops too, after the step that shows it and before that
 * step's checkpoint. After each step the method's hook checks the parameters
 * ({@link TrainingHook#afterStep}; OFT warns when its Cayley-Neumann series leaves the orthogonal regime).
 * Every step runs inside its own {@code PointerScope} so native memory stays flat over thousands of steps.
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private final AdamWOptimizer optimizer;
    private final LearningRateSchedule schedule;
    private final GradientClipper clipper;
    private final int totalSteps;
    private final int microBatches;
    private final int updatesPerStep;
    private final TrainingHook hook;
    private final List<Double> losses = new ArrayList<>();
    private CollapseCheck collapse;
    private long tokens;

    /** Called after a step completed (checkpoints, periodic evaluation). */
    @FunctionalInterface
    public interface AfterStep {
        /** @param completedSteps steps done so far, 1..totalSteps */
        void afterStep(int completedSteps);

        /** How to recover from a divergence (e.g. the last good checkpoint), appended to its message; null for nothing. */
        default String recoveryHint() {
            return null;
        }

        /**
         * How to recover from a collapse whose first collapsed step was {@code firstCollapsedStep}: the
         * parameters after step {@code firstCollapsedStep - 1} already produced it, so a checkpoint of
         * that step or a later one is no good (an implementation may set such checkpoints aside).
         * Defaults to {@link #recoveryHint()}.
         */
        default String collapseRecoveryHint(int firstCollapsedStep) {
            return recoveryHint();
        }
    }

    /**
     * A loop with one micro-batch per step and no hook.
     *
     * @param optimizer  updates the trainable tensors
     * @param schedule   learning rate per step
     * @param clipper    gradient clipping
     * @param totalSteps number of steps to run, >= 1
     */
    public TrainingLoop(AdamWOptimizer optimizer, LearningRateSchedule schedule, GradientClipper clipper,
                        int totalSteps) {
        this(optimizer, schedule, clipper, totalSteps, 1, TrainingHook.NONE);
    }

    /**
     * @param optimizer    updates the trainable tensors
     * @param schedule     learning rate per step
     * @param clipper      gradient clipping
     * @param totalSteps   number of steps of the whole run, >= 1
     * @param microBatches micro-batches accumulated per step, >= 1
     * @param hook         the method's loss term and after-update work
     */
    public TrainingLoop(AdamWOptimizer optimizer, LearningRateSchedule schedule, GradientClipper clipper,
                        int totalSteps, int microBatches, TrainingHook hook) {
        this(optimizer, schedule, clipper, totalSteps, 1, microBatches, hook);
    }

    /**
     * A loop whose steps each take several optimizer updates (RL: the mini-batches of one rollout
     * batch) at the step's learning rate; checkpoints and stops fall between steps only.
     *
     * @param optimizer      updates the trainable tensors
     * @param schedule       learning rate per step
     * @param clipper        gradient clipping
     * @param totalSteps     number of steps of the whole run, >= 1
     * @param updatesPerStep optimizer updates per step, >= 1
     * @param microBatches   micro-batches accumulated per update, >= 1
     * @param hook           the method's loss term and after-update work
     */
    public TrainingLoop(AdamWOptimizer optimizer, LearningRateSchedule schedule, GradientClipper clipper,
                        int totalSteps, int updatesPerStep, int microBatches, TrainingHook hook) {
        if (totalSteps < 1 || microBatches < 1 || updatesPerStep < 1) {
            throw new IllegalArgumentException("totalSteps, updatesPerStep and microBatches must be >= 1, got "
                    + totalSteps + ", " + updatesPerStep + ", " + microBatches);
        }
        this.updatesPerStep = updatesPerStep;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.clipper = clipper;
        this.totalSteps = totalSteps;
        this.microBatches = microBatches;
        this.hook = hook;
    }

    /**
     * Stops the run when {@code check} recognises a collapse. Only for cross-entropy regimes: in RL a
     * step whose rollout groups all have equal rewards has a zero gradient legitimately.
     *
     * @return this loop
     */
    public TrainingLoop detectingCollapse(CollapseCheck check) {
        this.collapse = check;
        return this;
    }

    /**
     * Runs every step from the first.
     *
     * @param step      computes the loss of a micro-batch
     * @param listener  receives progress after every step
     * @param afterStep called after each step (may be null)
     * @return the loss of every step, in order
     */
    public List<Double> run(TrainingStep step, ProgressListener listener, AfterStep afterStep) {
        return run(0, List.of(), step, listener, afterStep);
    }

    /**
     * Runs steps {@code startStep .. totalSteps - 1}, continuing a run whose earlier steps had the given losses.
     *
     * @param startStep   steps already done, in [0, totalSteps]
     * @param pastLosses  the loss of each step already done
     * @param step        computes the loss of a micro-batch
     * @param listener    receives progress after every step
     * @param afterStep   called after each step (may be null)
     * @return the loss of every step of the run, the past ones included, in order
     * @throws TrainingDivergedException on a non-finite loss or gradient norm; the update is not applied
     * @throws TrainingCollapsedException when the {@link #detectingCollapse collapse check} fires, after the
     *         step was reported and before {@code afterStep} runs for it
     * @throws TrainingStoppedException after a completed step when {@link StopRequest} asks for a stop
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public List<Double> run(int startStep, List<Double> pastLosses, TrainingStep step, ProgressListener listener,
                            AfterStep afterStep) {
        if (startStep < 0 || startStep > totalSteps || pastLosses.size() != startStep) {
            throw new IllegalArgumentException("cannot start at step " + startStep + " of " + totalSteps + " with "
                    + pastLosses.size() + " past losses");
        }
        losses.clear();
        losses.addAll(pastLosses);
        if (collapse != null) {
            collapse.reset();
        }
        tokens = 0;
        long start = System.nanoTime();
        for (int s = startStep; s < totalSteps; s++) {
            double lr = schedule.learningRate(s);
            double loss = 0;
            double norm;
            try (PointerScope scope = new PointerScope()) {
                optimizer.setLearningRate(lr);
                norm = 0;
                for (int u = 0; u < updatesPerStep; u++) {
                    long first = ((long) s * updatesPerStep + u) * microBatches;
                    for (int micro = 0; micro < microBatches; micro++) {
                        TrainingStep.StepLoss out = step.compute(first + micro);
                        Tensor l = out.loss();
                        double v = l.item_double();
                        if (!Double.isFinite(v)) {
                            optimizer.zeroGrad();
                            throw diverged("loss is " + v, s + 1, afterStep);
                        }
                        Tensor extra = hook.extraLoss();
                        (extra == null ? l : l.add(extra)).div(new Scalar((double) microBatches)).backward();
                        loss += v / ((double) microBatches * updatesPerStep);
                        tokens += out.tokens();
                    }
                    double n = clipper.clip(optimizer.parameters());
                    if (!Double.isFinite(n)) {
                        optimizer.zeroGrad();
                        throw diverged("gradient norm is " + n, s + 1, afterStep);
                    }
                    norm = Math.max(norm, n);
                    optimizer.step();
                    hook.afterOptimizerStep(s * updatesPerStep + u);
                    optimizer.zeroGrad();
                }
            }
            losses.add(loss);
            double elapsed = (System.nanoTime() - start) / 1e9;
            listener.onStep(new TrainingProgress(s + 1, totalSteps, loss, lr, norm, tokens, elapsed));
            if (LOG.isDebugEnabled()) {
                LOG.debug("step {}/{} loss {} lr {} grad-norm {}", s + 1, totalSteps, loss, lr, norm);
            }
            String evidence = collapse == null ? null : collapse.observe(s + 1, loss, norm);
            if (evidence != null) {
                throw collapsed(evidence, s + 1, collapse.firstStep(), afterStep);
            }
            try (PointerScope scope = new PointerScope()) {
                hook.afterStep(s + 1);
            }
            if (afterStep != null) {
                afterStep.afterStep(s + 1);
            }
            // only here, between steps, is it safe to stop: no native memory of a step is in use
            if (StopRequest.requested() && s + 1 < totalSteps) {
                throw new TrainingStoppedException(s + 1, null);
            }
        }
        return List.copyOf(losses);
    }

    /** The loss of every step done so far, the past ones included (a view for checkpoints taken during the run). */
    public List<Double> losses() {
        return Collections.unmodifiableList(losses);
    }

    /** Loss-bearing tokens of the steps run by the last {@code run} call. */
    public long tokens() {
        return tokens;
    }

    /** Micro-batches per update: update {@code u} reads micro-batches {@code u * microBatches ..}. */
    public int microBatches() {
        return microBatches;
    }

    /** Micro-batches a step reads: step {@code s} starts at micro-batch {@code s * microBatchesPerStep()}. */
    public long microBatchesPerStep() {
        return (long) microBatches * updatesPerStep;
    }

    private static TrainingCollapsedException collapsed(String evidence, int step, int firstStep, AfterStep afterStep) {
        String hint = afterStep == null ? null : afterStep.collapseRecoveryHint(firstStep);
        return new TrainingCollapsedException("training collapsed at step " + step + ": " + evidence
                + (hint == null ? "" : "; " + hint), step, firstStep);
    }

    private static TrainingDivergedException diverged(String what, int step, AfterStep afterStep) {
        String hint = afterStep == null ? null : afterStep.recoveryHint();
        return new TrainingDivergedException(what + " at step " + step + "; the update was not applied"
                + (hint == null ? "" : "; " + hint));
    }
}
