package org.peftarena.peft;

import org.peftarena.peft.adalora.AdaLoraConfig;
import org.peftarena.peft.adalora.AdaLoraSchedule;
import org.peftarena.peft.boft.BoftConfig;
import org.peftarena.peft.dora.DoraConfig;
import org.peftarena.peft.full.FullConfig;
import org.peftarena.peft.hra.HraConfig;
import org.peftarena.peft.ia3.Ia3Config;
import org.peftarena.peft.keeplora.KeepLoraConfig;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.milora.MiloraConfig;
import org.peftarena.peft.miss.MissConfig;
import org.peftarena.peft.oft.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.peft.pissa.PissaConfig;
import org.peftarena.peft.vera.VeraConfig;

/**
 * Builds a method's configuration from optional user settings (null = the method's default);
 * a setting that does not apply to the method is an error, not silently ignored.
 *
 * @param rank rank (LoRA family, MiSS, VeRA, HRA; AdaLoRA's target rank)
 * @param blockSize block size (OFT, BOFT)
 * @param initR AdaLoRA's initial rank
 * @param alpha LoRA-family scaling numerator (LoRA, DoRA, AdaLoRA)
 * @param cayley OFT's Cayley variant
 * @param neumannTerms OFT's number of Neumann terms
 * @param butterflyFactors BOFT's number of butterfly factors
 * @param adaLoraSchedule AdaLoRA's schedule overrides ({@code tinit}, {@code tfinal}, {@code deltaT},
 *     {@code orth_reg_weight}); null or {@link AdaLoraSchedule#DEFAULTS} for HF PEFT's defaults
 */
public record MethodOptions(Integer rank, Integer blockSize, Integer initR, Double alpha,
                            CayleyVariant cayley, Integer neumannTerms, Integer butterflyFactors,
                            AdaLoraSchedule adaLoraSchedule) {
    /** No settings: every method's defaults. */
    public static final MethodOptions DEFAULTS = new MethodOptions(null, null, null, null, null, null);

    /** Settings without a BOFT butterfly factor count. */
    public MethodOptions(Integer rank, Integer blockSize, Integer initR, Double alpha, CayleyVariant cayley, Integer neumannTerms) {
        this(rank, blockSize, initR, alpha, cayley, neumannTerms, null);
    }

    /** Settings without AdaLoRA schedule overrides. */
    public MethodOptions(Integer rank, Integer blockSize, Integer initR, Double alpha, CayleyVariant cayley, Integer neumannTerms,
            Integer butterflyFactors) {
        this(rank, blockSize, initR, alpha, cayley, neumannTerms, butterflyFactors, null);
    }

    /**
     * The configuration of {@code method} with these settings applied.
     *
     * @throws PeftException if a setting does not apply to the method or is invalid
     */
    public PeftConfig configFor(PeftMethod method) {
        if (blockSize != null && method.knob() != PeftMethod.SizeKnob.BLOCK_SIZE) {
            throw new PeftException("--block-size does not apply to " + method.cliName());
        }
        if (rank != null && method.knob() != PeftMethod.SizeKnob.RANK) {
            throw new PeftException("--rank does not apply to " + method.cliName()
                    + (method.knob() == PeftMethod.SizeKnob.BLOCK_SIZE ? " (use --block-size)" : ""));
        }
        if (initR != null && method != PeftMethod.ADALORA) {
            throw new PeftException("--init-r applies to adalora only");
        }
        if (alpha != null && method != PeftMethod.LORA && method != PeftMethod.DORA && method != PeftMethod.ADALORA) {
            throw new PeftException("--alpha applies to lora, dora and adalora only");
        }
        if ((cayley != null || neumannTerms != null) && method != PeftMethod.OFT) {
            throw new PeftException("Cayley settings apply to oft only");
        }
        if (butterflyFactors != null && method != PeftMethod.BOFT) {
            throw new PeftException("--butterfly-factors applies to boft only");
        }
        if (adaLoraSchedule != null && adaLoraSchedule.isSet() && method != PeftMethod.ADALORA) {
            throw new PeftException("--tinit, --tfinal, --delta-t and --orth-reg-weight apply to adalora only");
        }
        double a = alpha == null ? LoraConfig.DEFAULT_ALPHA : alpha;
        return switch (method) {
            case FULL -> new FullConfig();
            case LORA -> new LoraConfig(or(rank, LoraConfig.DEFAULT_RANK), a);
            case DORA -> new DoraConfig(or(rank, LoraConfig.DEFAULT_RANK), a);
            case PISSA -> new PissaConfig(or(rank, LoraConfig.DEFAULT_RANK));
            case MILORA -> new MiloraConfig(or(rank, LoraConfig.DEFAULT_RANK));
            case KEEPLORA -> new KeepLoraConfig(or(rank, LoraConfig.DEFAULT_RANK), KeepLoraConfig.DEFAULT_PROTECTED_FACTOR);
            case ADALORA -> adaLora(a);
            case MISS -> new MissConfig(or(rank, MissConfig.DEFAULT_RANK));
            case VERA -> new VeraConfig(or(rank, VeraConfig.DEFAULT_RANK), VeraConfig.DEFAULT_D_INITIAL, 0);
            case IA3 -> new Ia3Config();
            case OFT -> new OftConfig(or(blockSize, OftConfig.DEFAULT_BLOCK_SIZE),
                    cayley == null ? OftConfig.DEFAULT_VARIANT : cayley, or(neumannTerms, OftConfig.DEFAULT_NEUMANN_TERMS));
            case BOFT -> new BoftConfig(or(blockSize, BoftConfig.DEFAULT_BLOCK_SIZE), or(butterflyFactors, BoftConfig.DEFAULT_BUTTERFLY_FACTORS));
            case HRA -> new HraConfig(or(rank, HraConfig.DEFAULT_RANK));
        };
    }

    private PeftConfig adaLora(double a) {
        AdaLoraConfig d = new AdaLoraConfig();
        AdaLoraConfig sized = rank == null ? d : d.withSize(rank);
        int init = initR == null ? Math.max(sized.initR(), sized.targetR()) : initR;
        AdaLoraConfig config = new AdaLoraConfig(sized.targetR(), init, a, d.tinit(), d.tfinal(), d.deltaT(), d.beta1(), d.beta2(),
                d.orthRegWeight());
        return adaLoraSchedule == null ? config : adaLoraSchedule.applyTo(config);
    }

    private static int or(Integer v, int fallback) {
        return v == null ? fallback : v;
    }
}
