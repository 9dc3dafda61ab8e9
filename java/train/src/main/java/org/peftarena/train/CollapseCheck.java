package org.peftarena.train;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Recognises a next-token training run that has stopped learning while every value stays finite:
 * the loss no longer depends on the trainable parameters. A step counts as collapsed when
 * <ul>
 *   <li>its gradient norm (before clipping, summed in float64) is exactly 0 while its loss is above
 *       {@value #MIN_LOSS} nats, or</li>
 *   <li>its gradient norm is below {@value #UNIFORM_GRAD_NORM} while its loss lies within
 *       {@value #UNIFORM_LOSS_TOLERANCE} of ln(vocabulary size), the loss of a uniform next-token
 *       distribution (the model's output no longer depends on its input).</li>
 * </ul>
 * The run has collapsed after {@value #DEFAULT_STEPS} consecutive collapsed steps.
 *
 * <p>Neither can happen in healthy cross-entropy training: a token with loss {@code l} has a
 * gradient on its logits of norm about {@code min(1, l)}, so a mean loss above {@value #MIN_LOSS}
 * leaves a gradient far above float32's underflow wherever the loss depends on the parameters, and
 * near the uniform loss every token's logit gradient has norm close to 1. Small gradients at a low
 * loss (a memorised batch) and a loss near ln(vocab) with a real gradient (an untrained model) do
 * not count.
 *
 * <p>Only for cross-entropy regimes (SFT, pretraining): in GRPO a rollout group whose rewards are
 * all equal has advantage 0, and a step of such groups has a zero gradient legitimately.
 */
public final class CollapseCheck {
    /** Consecutive collapsed steps that stop a run. */
    public static final int DEFAULT_STEPS = 10;
    /** Loss (nats per token) above which an exactly zero gradient is a collapse. */
    public static final double MIN_LOSS = 1e-3;
    /** Gradient norm below which a step at the uniform loss is a collapse. */
    public static final double UNIFORM_GRAD_NORM = 1e-6;
    /** Largest distance of the loss from ln(vocab) that counts as the uniform loss. */
    public static final double UNIFORM_LOSS_TOLERANCE = 1e-3;

    private final int vocabSize;
    private final double uniformLoss;
    private final int steps;
    private int run;
    private int firstStep;
    private boolean allUniform;
    private double maxNorm;
    private double minLoss;
    private double maxLoss;

    /**
     * @param vocabSize the model's vocabulary size (the uniform loss is its logarithm), >= 2
     * @param steps     consecutive collapsed steps that stop a run, >= 1
     */
    public CollapseCheck(int vocabSize, int steps) {
        if (vocabSize < 2 || steps < 1) {
            throw new IllegalArgumentException("need a vocabulary of >= 2 and >= 1 step, got " + vocabSize + ", " + steps);
        }
        this.vocabSize = vocabSize;
        this.uniformLoss = Math.log(vocabSize);
        this.steps = steps;
    }

    /** The check with {@link #DEFAULT_STEPS}. */
    public static CollapseCheck forVocabulary(int vocabSize) {
        return new CollapseCheck(vocabSize, DEFAULT_STEPS);
    }

    /** Consecutive collapsed steps that stop a run. */
    public int steps() {
        return steps;
    }

    /** Forgets the steps seen so far (a new run of the loop). */
    public void reset() {
        run = 0;
    }

    /** Whether one step with this loss and gradient norm counts as collapsed. */
    public boolean collapsed(double loss, double gradNorm) {
        return (gradNorm == 0 && loss > MIN_LOSS) || uniform(loss, gradNorm);
    }

    private boolean uniform(double loss, double gradNorm) {
        return gradNorm < UNIFORM_GRAD_NORM && Math.abs(loss - uniformLoss) <= UNIFORM_LOSS_TOLERANCE;
    }

    /**
     * Records a completed step.
     *
     * @param step     the step's number, counted from 1
     * @param loss     its loss
     * @param gradNorm its gradient norm before clipping (the largest of its updates)
     * @return the evidence when this step completes a collapse, else null
     */
    public String observe(int step, double loss, double gradNorm) {
        if (!collapsed(loss, gradNorm)) {
            run = 0;
            return null;
        }
        if (run == 0) {
            firstStep = step;
            allUniform = true;
            maxNorm = 0;
            minLoss = loss;
            maxLoss = loss;
        }
        run++;
        allUniform &= uniform(loss, gradNorm);
        maxNorm = Math.max(maxNorm, gradNorm);
        minLoss = Math.min(minLoss, loss);
        maxLoss = Math.max(maxLoss, loss);
        if (run < steps) {
            return null;
        }
        String norm = maxNorm == 0 ? "0" : "at most " + number(maxNorm);
        String losses = number(minLoss).equals(number(maxLoss)) ? number(minLoss) : number(minLoss) + " to " + number(maxLoss);
        String what = allUniform
                ? "the loss stayed at " + losses + " (ln " + vocabSize + " = " + number(uniformLoss)
                        + ", a uniform next-token distribution)"
                : "the loss stayed at " + losses;
        return "for " + run + " steps since step " + firstStep + " the gradient norm was " + norm + " and " + what
                + ": the loss no longer depends on the trained parameters";
    }

    /** The first step of the collapse {@link #observe} last reported (or is counting). */
    public int firstStep() {
        return firstStep;
    }

    /** Five significant digits, without trailing zeros; scientific notation below 1e-3. */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(5)).stripTrailingZeros();
        return Math.abs(v) >= 1e-3 ? d.toPlainString() : d.toString().replace('E', 'e');
    }
}
