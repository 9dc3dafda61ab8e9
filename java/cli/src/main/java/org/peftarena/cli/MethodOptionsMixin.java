package org.peftarena.cli;

import org.peftarena.peft.MethodOptions;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.TargetModules;
import org.peftarena.peft.adalora.AdaLoraSchedule;
import org.peftarena.peft.oft.CayleyVariant;
import java.util.Locale;
import org.peftarena.peft.UnknownMethodException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options that choose a PEFT method and its size, shared by {@code params} and {@code train}. */
final class MethodOptionsMixin {
    @Option(names = "--method", required = true, paramLabel = "NAME", converter = MethodConverter.class,
            description = "PEFT method: full, lora, dora, pissa, milora, adalora, keeplora, miss, vera, ia3, oft, boft, hra.")
    PeftMethod method;

    @Option(names = "--rank", paramLabel = "R", description = "Rank (LoRA family, MiSS, VeRA, HRA; AdaLoRA's target rank).")
    Integer rank;

    @Option(names = "--block-size", paramLabel = "B", description = "Block size (OFT default 32, BOFT default 4).")
    Integer blockSize;

    @Option(names = "--init-r", paramLabel = "R", description = "AdaLoRA's initial rank (default 1.5 x target rank, 12 for 8).")
    Integer initR;

    @Option(names = "--alpha", paramLabel = "A", description = "LoRA / DoRA / AdaLoRA alpha (default 8).")
    Double alpha;

    @Option(names = "--cayley", paramLabel = "VARIANT", converter = CayleyConverter.class,
            description = "OFT rotation: neumann (default, R ~ (I+Q)(I-Q)^-1, HF use_cayley_neumann) or exact (R = (I-Q)(I+Q)^-1).")
    CayleyVariant cayley;

    @Option(names = "--neumann-terms", paramLabel = "N", description = "OFT Neumann series terms (default 5).")
    Integer neumannTerms;

    @Option(names = "--butterfly-factors", paramLabel = "M",
            description = "BOFT butterfly factors (default 1, block-diagonal); in-features must be multiples of block size x 2^(M-1).")
    Integer butterflyFactors;

    @Option(names = "--tinit", paramLabel = "STEPS", description = "AdaLoRA: warm-up steps before the rank budget shrinks (default 0).")
    Integer tinit;

    @Option(names = "--tfinal", paramLabel = "STEPS", description = "AdaLoRA: final steps with the rank mask fixed (default 0).")
    Integer tfinal;

    @Option(names = "--delta-t", paramLabel = "STEPS", description = "AdaLoRA: steps between rank reallocations (default 1).")
    Integer deltaT;

    @Option(names = "--orth-reg-weight", paramLabel = "W", description = "AdaLoRA: orthogonal regulariser weight (default 0.5).")
    Double orthRegWeight;

    @Option(names = "--targets", paramLabel = "REGEX",
            description = "Regular expression over module paths (full match), default: every linear layer of each block.")
    String targets;

    PeftMethod parsedMethod() {
        return method;
    }

    MethodOptions options() {
        return new MethodOptions(rank, blockSize, initR, alpha, cayley, neumannTerms, butterflyFactors,
                new AdaLoraSchedule(tinit, tfinal, deltaT, orthRegWeight));
    }

    /** Parses a method name; an unknown one is a usage error listing the known names. */
    static final class MethodConverter implements ITypeConverter<PeftMethod> {
        @Override
        public PeftMethod convert(String value) {
            try {
                return PeftMethod.parse(value);
            } catch (UnknownMethodException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses {@code neumann} or {@code exact}. */
    static final class CayleyConverter implements ITypeConverter<CayleyVariant> {
        @Override
        public CayleyVariant convert(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "neumann" -> CayleyVariant.NEUMANN;
                case "exact" -> CayleyVariant.EXACT;
                default -> throw new TypeConversionException("--cayley must be neumann or exact, got " + value);
            };
        }
    }

    TargetModules targetModules() {
        return targets == null ? TargetModules.ALL_LINEAR : TargetModules.ofRegex(targets);
    }
}
