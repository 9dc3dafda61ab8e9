package org.peftarena.kernels;

/** Where a kernel runs: the CPU, a CUDA device, or whichever is best on this machine. */
public enum Backend {
    /** The native CPU kernels (always available). */
    CPU,
    /** The CUDA kernels; requesting it without a usable device is a {@link BackendUnavailableException}. */
    CUDA,
    /** CUDA when a device is usable, otherwise CPU; the choice is logged and reported as {@code backendUsed}. */
    AUTO
}
