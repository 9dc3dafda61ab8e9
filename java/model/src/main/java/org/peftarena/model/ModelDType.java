package org.peftarena.model;

import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.peftarena.formats.io.SafetensorsDtype;

/** Floating-point type in which a model's weights are held and its forward pass runs. */
public enum ModelDType {
    /** 32-bit IEEE float: the CPU default. */
    FLOAT32,
    /** bfloat16: half the memory; logits and the loss are still computed in float32. */
    BFLOAT16,
    /**
     * IEEE half precision: held only as a frozen base under float32 compute
     * ({@link HfModelDirectory#loadFrozenBase}); {@link #forCheckpoint} widens it to FLOAT32.
     */
    FLOAT16;

    /** The LibTorch scalar type. */
    public ScalarType scalarType() {
        return switch (this) {
            case FLOAT32 -> torch.ScalarType.Float;
            case BFLOAT16 -> torch.ScalarType.BFloat16;
            case FLOAT16 -> torch.ScalarType.Half;
        };
    }

    /** Whether a tensor has this dtype (JavaCPP enum values must be interned before comparing). */
    public boolean matches(org.bytedeco.pytorch.Tensor t) {
        return t.scalar_type().intern() == scalarType();
    }

    /** The safetensors element type. */
    public SafetensorsDtype safetensorsDtype() {
        return switch (this) {
            case FLOAT32 -> SafetensorsDtype.F32;
            case BFLOAT16 -> SafetensorsDtype.BF16;
            case FLOAT16 -> SafetensorsDtype.F16;
        };
    }

    /** The Hugging Face {@code torch_dtype} name. */
    public String hfName() {
        return switch (this) {
            case FLOAT32 -> "float32";
            case BFLOAT16 -> "bfloat16";
            case FLOAT16 -> "float16";
        };
    }

    /**
     * The type a checkpoint of the given element type is held in by default: BF16 stays BF16,
     * every other floating type (F32, F16, F64) becomes FLOAT32.
     */
    public static ModelDType forCheckpoint(SafetensorsDtype dtype) {
        return dtype == SafetensorsDtype.BF16 ? BFLOAT16 : FLOAT32;
    }

    /**
     * The type a frozen base of the given element type is held in, as stored: BF16 and F16 stay
     * narrow, F32 and F64 are FLOAT32.
     */
    public static ModelDType frozenBaseFor(SafetensorsDtype dtype) {
        return switch (dtype) {
            case BF16 -> BFLOAT16;
            case F16 -> FLOAT16;
            default -> FLOAT32;
        };
    }
}
