package org.peftarena.peft.adalora;

/**
 * User overrides of AdaLoRA's budget schedule and regulariser, each null for HF PEFT's default
 * ({@code tinit = 0}, {@code tfinal = 0}, {@code deltaT = 1}, {@code orth_reg_weight = 0.5}).
 *
 * @param tinit steps of warm-up before the budget starts to shrink
 * @param tfinal steps at the end that keep the final rank mask fixed
 * @param deltaT steps between two rank reallocations
 * @param orthRegWeight weight of the orthogonal regulariser on {@code P} and {@code Q}
 */
public record AdaLoraSchedule(Integer tinit, Integer tfinal, Integer deltaT, Double orthRegWeight) {
    /** No overrides: HF PEFT's defaults. */
    public static final AdaLoraSchedule DEFAULTS = new AdaLoraSchedule(null, null, null, null);

    /** Whether any setting is given. */
    public boolean isSet() {
        return tinit != null || tfinal != null || deltaT != null || orthRegWeight != null;
    }

    /** {@code config} with these overrides applied (validated by {@link AdaLoraConfig}). */
    public AdaLoraConfig applyTo(AdaLoraConfig config) {
        return new AdaLoraConfig(config.targetR(), config.initR(), config.alpha(),
                tinit == null ? config.tinit() : tinit,
                tfinal == null ? config.tfinal() : tfinal,
                deltaT == null ? config.deltaT() : deltaT,
                config.beta1(), config.beta2(),
                orthRegWeight == null ? config.orthRegWeight() : orthRegWeight,
                config.totalStep());
    }
}
