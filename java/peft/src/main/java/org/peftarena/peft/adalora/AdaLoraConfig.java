package org.peftarena.peft.adalora;

import org.peftarena.peft.LinearShape;
import org.peftarena.peft.PeftConfig;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.PeftMethod;

/**
 * AdaLoRA: SVD-shaped update {@code P diag(Lambda) Q}, started at {@code initR} triplets per layer and
 * pruned by importance to an average of {@code targetR}; parameter budgets count the initial rank.
 *
 * @param targetR average rank kept after pruning, at least 1
 * @param initR rank every layer starts with, at least {@code targetR}
 * @param alpha scaling numerator (HF PEFT divides it by {@code ranknum}, the initial rank)
 * @param tinit steps before pruning starts
 * @param tfinal steps at the end with the final budget fixed
 * @param deltaT steps between two budget allocations, at least 1
 * @param beta1 EMA factor of the sensitivity, in [0, 1)
 * @param beta2 EMA factor of the uncertainty, in [0, 1)
 * @param orthRegWeight weight of the orthogonality regulariser on P and Q, non-negative
 * @param totalStep training steps the budget schedule spans (HF PEFT {@code total_step}); 0 while unknown
 */
public record AdaLoraConfig(int targetR, int initR, double alpha, int tinit, int tfinal, int deltaT,
                            double beta1, double beta2, double orthRegWeight, int totalStep) implements PeftConfig {
    /** HF PEFT's default target rank. */
    public static final int DEFAULT_TARGET_R = 8;
    /** HF PEFT's default initial rank. */
    public static final int DEFAULT_INIT_R = 12;
    /** HF PEFT's default alpha (inherited from LoRA). */
    public static final double DEFAULT_ALPHA = 8;
    /** HF PEFT's default EMA factors. */
    public static final double DEFAULT_BETA = 0.85;
    /** HF PEFT's default orthogonal regularisation weight. */
    public static final double DEFAULT_ORTH_REG_WEIGHT = 0.5;
    /** HF PEFT adds this to {@code ranknum} before dividing by it. */
    public static final double RANKNUM_EPS = 1e-5;

    public AdaLoraConfig {
        if (targetR < 1 || initR < targetR) {
            throw new PeftException("adalora: need 1 <= target_r <= init_r, got target_r=" + targetR + " init_r=" + initR);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new PeftException("adalora: alpha must be positive, got " + alpha);
        }
        if (tinit < 0 || tfinal < 0 || deltaT < 1) {
            throw new PeftException("adalora: need tinit >= 0, tfinal >= 0, deltaT >= 1");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(orthRegWeight >= 0)) {
            throw new PeftException("adalora: betas must lie in [0, 1) and orth_reg_weight must be >= 0");
        }
        if (totalStep < 0) {
            throw new PeftException("adalora: total_step must be >= 0 (0 = not yet known), got " + totalStep);
        }
    }

    /** A schedule whose total step count is not yet known (set by the trainer). */
    public AdaLoraConfig(int targetR, int initR, double alpha, int tinit, int tfinal, int deltaT,
                         double beta1, double beta2, double orthRegWeight) {
        this(targetR, initR, alpha, tinit, tfinal, deltaT, beta1, beta2, orthRegWeight, 0);
    }

    /** The HF PEFT defaults (target 8, initial 12). */
    public AdaLoraConfig() {
        this(DEFAULT_TARGET_R, DEFAULT_INIT_R);
    }

    /** Default schedule with the given ranks. */
    public AdaLoraConfig(int targetR, int initR) {
        this(targetR, initR, DEFAULT_ALPHA, 0, 0, 1, DEFAULT_BETA, DEFAULT_BETA, DEFAULT_ORTH_REG_WEIGHT);
    }

    @Override
    public PeftMethod method() {
        return AdaLoraMethod.ID;
    }

    /** {@code P (out, initR)}, {@code Q (initR, in)} and {@code Lambda (initR)}. */
    @Override
    public long moduleParams(LinearShape m) {
        return (long) initR * (m.in() + m.out()) + initR;
    }

    @Override
    public int size() {
        return targetR;
    }

    /** Sets the target rank and scales the initial rank by the default 3:2 ratio. */
    @Override
    public AdaLoraConfig withSize(int size) {
        int init = (int) Math.ceil(size * (double) DEFAULT_INIT_R / DEFAULT_TARGET_R);
        return new AdaLoraConfig(size, init, alpha, tinit, tfinal, deltaT, beta1, beta2, orthRegWeight, totalStep);
    }

    /**
     * Records the run length the budget schedule spans.
     *
     * @throws PeftException if the schedule leaves no budgeting phase ({@code tinit >= totalSteps - tfinal}), as HF PEFT
     */
    @Override
    public AdaLoraConfig withTotalSteps(int totalSteps) {
        if (tinit >= totalSteps - tfinal) {
            throw new PeftException("adalora: tinit=" + tinit + " and tfinal=" + tfinal + " leave no budgeting phase in "
                    + totalSteps + " steps; decrease tinit/tfinal or train longer");
        }
        return new AdaLoraConfig(targetR, initR, alpha, tinit, tfinal, deltaT, beta1, beta2, orthRegWeight, totalSteps);
    }

    /**
     * The factor on every layer's update, HF PEFT's {@code scaling / (ranknum + 1e-5)}: {@code ranknum} is the
     * initial rank and stays so when triplets are pruned (also after loading a pruned adapter).
     */
    public double scaling() {
        return alpha / (initR + RANKNUM_EPS);
    }

    @Override
    public String scaleSetting() {
        return "lora_alpha " + alpha + " (scale alpha/init_r = " + scaling() + ")";
    }
}
