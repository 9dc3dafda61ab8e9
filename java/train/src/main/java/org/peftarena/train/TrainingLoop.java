package org.peftarena.train;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plain optimisation loop: per step set the scheduled learning rate, compute the loss,
 * backpropagate, clip, update, clear gradients; every step inside its own {@code PointerScope} so
 * native memory stays flat over thousands of steps.
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private final AdamWOptimizer optimizer;
    private final LearningRateSchedule schedule;
    private final GradientClipper clipper;
    private final int totalSteps;

    /** Called after a step completed (checkpoints, periodic evaluation). */
    @FunctionalInterface
    public interface AfterStep {
        /** @param completedSteps steps done so far, 1..totalSteps */
        void afterStep(int completedSteps);
    }

    /**
     * @param optimizer  updates the trainable tensors
     * @param schedule   learning rate per step
     * @param clipper    gradient clipping
     * @param totalSteps number of steps to run, >= 1
     */
    public TrainingLoop(AdamWOptimizer optimizer, LearningRateSchedule schedule, GradientClipper clipper,
                        int totalSteps) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.clipper = clipper;
        this.totalSteps = totalSteps;
    }

    /**
     * Runs every step.
     *
     * @param step      computes the loss of a step
     * @param listener  receives progress after every step
     * @param afterStep called after each step (may be null)
     * @return the loss of every step, in order
     */
    public List<Double> run(TrainingStep step, ProgressListener listener, AfterStep afterStep) {
        List<Double> losses = new ArrayList<>(totalSteps);
        long start = System.nanoTime();
        long tokens = 0;
        for (int s = 0; s < totalSteps; s++) {
            double lr = schedule.learningRate(s);
            double loss;
            double norm;
            try (PointerScope scope = new PointerScope()) {
                optimizer.setLearningRate(lr);
                TrainingStep.StepLoss out = step.compute(s);
                out.loss().backward();
                loss = out.loss().item_double();
                norm = clipper.clip(optimizer.parameters());
                optimizer.step();
                optimizer.zeroGrad();
                tokens += out.tokens();
            }
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException("loss is " + loss + " at step " + (s + 1));
            }
            losses.add(loss);
            double elapsed = (System.nanoTime() - start) / 1e9;
            TrainingProgress p = new TrainingProgress(s + 1, totalSteps, loss, lr, norm, tokens, elapsed);
            listener.onStep(p);
            if (LOG.isDebugEnabled()) {
                LOG.debug("step {}/{} loss {} lr {} grad-norm {}", s + 1, totalSteps, loss, lr, norm);
            }
            if (afterStep != null) {
                afterStep.afterStep(s + 1);
            }
        }
        return losses;
    }
}
