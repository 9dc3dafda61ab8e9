package org.peftarena.kernels;

/** Status codes of the native C ABI ({@code PA_*} in {@code peft_arena.h}). */
public enum KernelStatus {
    OK(0),
    NULL_POINTER(1),
    INVALID_SIZE(2),
    NON_FINITE(3),
    NO_CONVERGENCE(4),
    CUDA_ERROR(5),
    UNAVAILABLE(6),
    OUT_OF_MEMORY(7),
    /** A device pointer or stream is unusable: host memory, misaligned, or on another device. */
    BAD_DEVICE_ARGUMENT(8),
    UNKNOWN(-1);

    private final int code;

    KernelStatus(int code) {
        this.code = code;
    }

    /** The numeric status code used by the C ABI. */
    public int code() {
        return code;
    }

    /** Maps a numeric C ABI status to its constant ({@link #UNKNOWN} for unlisted values). */
    public static KernelStatus of(int code) {
        for (KernelStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
