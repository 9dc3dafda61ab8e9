package org.peftarena.analysis.interp;

import org.bytedeco.pytorch.Tensor;
import org.peftarena.peft.oft.CayleyTransform;
import org.peftarena.kernels.CayleyVariant;

/** The engine's LibTorch Cayley transform, for block sizes outside the native kernel's range. */
final class LibTorchCayley {
    private LibTorchCayley() {}

    /**
     * @param packed float32 {@code [batch, b(b-1)/2]}
     * @param b block size
     * @param variant the kernels' variant (same meaning as the engine's)
     * @return float32 {@code [batch, b, b]}, contiguous
     */
    static Tensor rotations(Tensor packed, int b, CayleyVariant variant) {
        org.peftarena.peft.oft.CayleyVariant v = variant.isExact()
                ? org.peftarena.peft.oft.CayleyVariant.EXACT : org.peftarena.peft.oft.CayleyVariant.NEUMANN;
        return CayleyTransform.rotations(packed, b, v, variant.terms()).contiguous();
    }
}
