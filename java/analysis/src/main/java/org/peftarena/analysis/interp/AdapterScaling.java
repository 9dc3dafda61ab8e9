package org.peftarena.analysis.interp;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.LinearScaling;
import org.peftarena.peft.MethodRegistry;
import org.peftarena.peft.PeftMethod;

/**
 * Scales an adapter so that its update becomes {@code alpha dW} exactly, for the methods whose
 * update is linear in one of their tensors: LoRA, PiSSA, MiLoRA and KeepLoRA ({@code dW = s B A},
 * with PiSSA/MiLoRA stored as the converted LoRA {@code [B, -B0] [A; A0]}: scale {@code lora_B}),
 * VeRA ({@code diag(lambda_b) B diag(lambda_d) A}: scale {@code lambda_b}), AdaLoRA ({@code s B (A * E)}:
 * scale the singular values {@code lora_E}), MiSS (linear in its block) and IA3 ({@code W = diag(l) W0}: {@code l -> 1 + alpha (l - 1)}).
 */
public final class AdapterScaling {
    private AdapterScaling() {}

    /** Whether {@link #scale} applies to a method. */
    public static boolean supports(PeftMethod method) {
        return scaling(method) != null;
    }

    /**
     * The key suffix of the one tensor per module that scaling changes.
     *
     * @throws PathException when the method is not linear in its tensors
     */
    public static String scaledSuffix(PeftMethod method) {
        LinearScaling s = scaling(method);
        if (s == null) {
            throw new PathException(method.cliName() + " adapters cannot be scaled linearly; use the dense path");
        }
        return s.suffix();
    }

    private static LinearScaling scaling(PeftMethod method) {
        return MethodRegistry.provider(method).linearScaling();
    }

    /**
     * The adapter tensors whose update is {@code alpha} times the original's.
     *
     * @param method the adapter's method
     * @param tensors HF PEFT keys to float32 tensors (not modified)
     * @param alpha the coefficient, finite
     * @return a new map: scaled tensors are new, the others are the same objects
     * @throws PathException when the method is not linear in its tensors
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static Map<String, Tensor> scale(PeftMethod method, Map<String, Tensor> tensors, double alpha) {
        if (!supports(method)) {
            throw new PathException(method.cliName() + " adapters cannot be scaled linearly; use the dense path");
        }
        if (!Double.isFinite(alpha)) {
            throw new PathException("alpha must be finite, got " + alpha);
        }
        LinearScaling scaling = scaling(method);
        String suffix = scaling.suffix();
        Map<String, Tensor> out = new LinkedHashMap<>();
        int scaled = 0;
        try (NoGradGuard g = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                if (e.getKey().endsWith(suffix)) {
                    // a multiplicative vector (IA3's l) has its identity at 1, so the update lives in l - 1
                    t = scaling.identity() != 0
                            ? t.sub(new Scalar(scaling.identity())).mul(new Scalar(alpha)).add(new Scalar(scaling.identity()))
                            : t.mul(new Scalar(alpha));
                    scaled++;
                }
                out.put(e.getKey(), t);
            }
        }
        if (scaled == 0) {
            throw new PathException(method.cliName() + " adapter holds no tensor ending in '" + suffix + "' to scale");
        }
        return out;
    }
}
