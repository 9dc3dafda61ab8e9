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
     * @param variant the Cayley variant
     * @return float32 {@code [batch, b, b]}, contiguous
     */
    static Tensor rotations(Tensor packed, int b, CayleyVariant variant) {
        return CayleyTransform.rotations(packed, b, variant).contiguous();
    }
}
