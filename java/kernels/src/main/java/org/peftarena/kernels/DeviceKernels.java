package org.peftarena.kernels;

import org.bytedeco.javacpp.Pointer;
import org.peftarena.kernels.jni.PeftArenaNative;

/**
 * The CUDA kernels on device memory: every address is a device address on the current CUDA device (for
 * example a LibTorch CUDA tensor's {@code data_ptr().address()}, storage offset included) and
 * {@code stream} a {@code cudaStream_t} (LibTorch's current stream; 0 is the legacy default stream).
 * Work is queued on the stream and nothing synchronises: the caller keeps the buffers alive until the
 * stream has passed the call. The native library checks sizes, null pointers and then each device
 * argument (alignment, host memory, another device, a stream of another device) before queuing
 * anything, and a library built without CUDA refuses every call; each refusal is a
 * {@link KernelException} with the library's message.
 */
final class DeviceKernels {
    private DeviceKernels() {}

    static void cayley(long q, long batch, int b, CayleyVariant variant, float scale, long r, long stream) {
        KernelOps.nonNull(variant, "variant");
        NativeStatus.check(PeftArenaNative.pa_cuda_cayley_f32(q, batch, b, variant.terms(), scale, r, streamPointer(stream)),
                "pa_cuda_cayley_f32");
    }

    static void blockRotate(long x, long rows, long n, long xStride, long r, int b, boolean transpose, long y,
                            long yStride, long stream) {
        NativeStatus.check(PeftArenaNative.pa_cuda_block_rotate_f32(x, rows, n, xStride, r, b, transpose ? 1 : 0, y, yStride,
                streamPointer(stream)), "pa_cuda_block_rotate_f32");
    }

    static void svd(long a, long batch, int m, int n, long s, long u, long vt, long stream) {
        NativeStatus.check(PeftArenaNative.pa_cuda_svd_batched_f32(a, batch, m, n, s, u, vt, streamPointer(stream)),
                "pa_cuda_svd_batched_f32");
    }

    static void procrustes(long x1, long x0, long batch, long rows, int d, long rot, long residual, long stream) {
        NativeStatus.check(PeftArenaNative.pa_cuda_procrustes_batched_f32(x1, x0, batch, rows, d, rot, residual,
                streamPointer(stream)), "pa_cuda_procrustes_batched_f32");
    }

    static void blockCross(long x, long rows, long n, long xStride, long g, long gStride, int b, long out, long stream) {
        NativeStatus.check(PeftArenaNative.pa_cuda_block_cross_f32(x, rows, n, xStride, g, gStride, b, out,
                streamPointer(stream)), "pa_cuda_block_cross_f32");
    }

    static void cayleyVjp(long q, long r, long g, long batch, int b, CayleyVariant variant, long dq, long stream) {
        KernelOps.nonNull(variant, "variant");
        NativeStatus.check(PeftArenaNative.pa_cuda_cayley_vjp_f32(q, r, g, batch, b, variant.terms(), dq,
                streamPointer(stream)), "pa_cuda_cayley_vjp_f32");
    }

    /** A non-owning pointer holding the stream handle; 0 stays null (the legacy default stream). */
    private static Pointer streamPointer(long stream) {
        return stream == 0 ? null : new StreamPointer(stream);
    }

    private static final class StreamPointer extends Pointer {
        StreamPointer(long address) {
            super();
            this.address = address;
        }
    }
}
