package org.peftarena.peft.oft;

/** Lets tests outside this package switch the kernels' code path of CUDA tensors on for CPU tensors. */
public final class OftTestAccess {
    private OftTestAccess() {}

    /** Sets {@code NativeBlockRotation.tensorKernelsOnCpu}: CPU tensors take the {@code TensorKernels} (CUDA) code path. */
    public static void tensorKernelsOnCpu(boolean on) {
        NativeBlockRotation.tensorKernelsOnCpu = on;
    }
}
