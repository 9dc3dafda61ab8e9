package org.peftarena.analysis.interp;

import org.peftarena.peft.EnumOption;
import org.peftarena.peft.NamedOption;
import org.peftarena.peft.PeftMethod;
import org.peftarena.peft.full.FullMethod;
import org.peftarena.peft.oft.OftMethod;

/** How the weights move from the base model (alpha = 0) to the finetuned one (alpha = 1). */
public enum PathKind implements EnumOption {
    /** Picks {@link #CAYLEY} for OFT adapters and {@link #LINEAR} for everything else. */
    AUTO,
    /** Weight-space interpolation by scaling the adapter itself where the method is linear in it. */
    LINEAR,
    /** OFT's generator path, which stays on the orthogonal manifold. */
    CAYLEY,
    /** The dense-delta baseline. */
    DENSE;

    /** One line saying what the path computes. */
    public String description() {
        return switch (this) {
            case AUTO -> "cayley for OFT adapters, linear for every other method";
            case LINEAR -> "W0 + alpha dW; LoRA, PiSSA, MiLoRA, KeepLoRA, VeRA, IA3 and MiSS by scaling the adapter"
                    + " and merging it (dW is never stored), other methods through their merged weights";
            case CAYLEY -> "OFT only: R(alpha) = cayley(sqrt(alpha) Q) per block with the adapter's own Cayley variant,"
                    + " W(alpha) = W0 R_bd(alpha)^T (singular values of W0 preserved)";
            case DENSE -> "W0 + alpha (W1 - W0) from the merged weights (the baseline the Cayley path is compared with)";
        };
    }

    /**
     * The concrete path for a method: resolves {@link #AUTO}, and {@link #LINEAR} to {@link #DENSE}
     * for methods that cannot be scaled in their own parameters.
     *
     * @param method the adapter's method ({@link FullMethod#ID} for a finetuned model directory)
     * @throws PathException when the Cayley path is asked for a method other than OFT
     */
    public PathKind resolve(PeftMethod method) {
        return switch (this) {
            case AUTO -> OftMethod.ID.equals(method) ? CAYLEY : LINEAR.resolve(method);
            case LINEAR -> AdapterScaling.supports(method) ? LINEAR : DENSE;
            case CAYLEY -> {
                if (!OftMethod.ID.equals(method)) {
                    throw new PathException("the cayley path needs an OFT adapter, not " + method.cliName());
                }
                yield CAYLEY;
            }
            case DENSE -> DENSE;
        };
    }

    /**
     * Looks a path up by its command-line name.
     *
     * @throws PathException naming the known paths
     */
    public static PathKind parse(String name) {
        return NamedOption.parse(name, values(), "path", PathException::new);
    }
}
