package org.peftarena.kernels.jni;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Raw;

/**
 * Raw JavaCPP binding of the C ABI in {@code native/include/peft_arena.h}; use
 * {@code KernelOps} instead of calling this directly.
 *
 * <p>Every method returns a status code ({@code 0} = ok); the message of a failure is
 * {@link #pa_last_error()}. The {@code pa_jni_*} functions ({@code native/include/pa_jni_refs.h}) are
 * JNI helpers compiled into this binding only, not kernels; use {@code JniPeers} instead. The
 * {@code long}-address overloads take raw native addresses (for
 * example {@code tensor.data_ptr().address()}) so LibTorch tensors are used without copies.
 */
@Platform(include = {"peft_arena.h", "pa_jni_refs.h"}, link = "peftarena_native")
public final class PeftArenaNative {
    static {
        Loader.load();
    }

    private PeftArenaNative() {}

    public static native @Cast("const char*") BytePointer pa_last_error();
    public static native @Cast("const char*") BytePointer pa_version();
    public static native @Cast("const char*") BytePointer pa_cpu_path();
    public static native int pa_cpu_force_generic(int force);
    public static native int pa_set_num_threads(int n);
    public static native int pa_get_num_threads();

    // Kernel facts (native/include/pa_kernel_spec.h)
    public static native int pa_limit(int which);
    public static native int pa_cayley_neumann_coefficients(int terms, IntPointer degree, DoublePointer coeffs, int capacity, IntPointer split);

    // Cayley
    public static native int pa_cayley_f32(@Cast("const float*") long q, long batch, int b, int terms, float scale, @Cast("float*") long r);
    public static native int pa_cayley_f32(FloatPointer q, long batch, int b, int terms, float scale, FloatPointer r);
    public static native int pa_cayley_f64(DoublePointer q, long batch, int b, int terms, double scale, DoublePointer r);
    public static native int pa_cayley_vjp_f32(FloatPointer q, FloatPointer r, FloatPointer g, long batch, int b, int terms, FloatPointer dq);
    public static native int pa_cayley_vjp_f32(@Cast("const float*") long q, @Cast("const float*") long r, @Cast("const float*") long g, long batch, int b, int terms, @Cast("float*") long dq);
    public static native int pa_cayley_f64(@Cast("const double*") long q, long batch, int b, int terms, double scale, @Cast("double*") long r);

    // Block rotation
    public static native int pa_block_rotate_f32(FloatPointer x, long rows, long n, long xStride, FloatPointer r, int b, int transpose, FloatPointer y, long yStride);
    public static native int pa_block_rotate_f32(@Cast("const float*") long x, long rows, long n, long xStride, @Cast("const float*") long r, int b, int transpose, @Cast("float*") long y, long yStride);
    public static native int pa_block_cross_f32(FloatPointer x, long rows, long n, long xStride, FloatPointer g, long gStride, int b, FloatPointer out);
    public static native int pa_block_cross_f32(@Cast("const float*") long x, long rows, long n, long xStride, @Cast("const float*") long g, long gStride, int b, @Cast("float*") long out);

    // Batched SVD
    public static native int pa_svd_batched_f32(FloatPointer a, long batch, int m, int n, FloatPointer s, FloatPointer u, FloatPointer vt);
    public static native int pa_svd_batched_f32(@Cast("const float*") long a, long batch, int m, int n, @Cast("float*") long s, @Cast("float*") long u, @Cast("float*") long vt);
    public static native int pa_svd_batched_f64(DoublePointer a, long batch, int m, int n, DoublePointer s, DoublePointer u, DoublePointer vt);

    // Procrustes
    public static native int pa_procrustes_batched_f32(FloatPointer x1, FloatPointer x0, long batch, long rows, int d, FloatPointer rot, FloatPointer residual);
    public static native int pa_procrustes_batched_f32(@Cast("const float*") long x1, @Cast("const float*") long x0, long batch, long rows, int d, @Cast("float*") long rot, @Cast("float*") long residual);
    public static native int pa_procrustes_residual_from_cross_f32(FloatPointer m, int d, double x1Sq, double x0Sq, DoublePointer residual);
    public static native int pa_procrustes_residual_from_cross_f32(@Cast("const float*") long m, int d, double x1Sq, double x0Sq, DoublePointer residual);

    // CUDA
    public static native int pa_cuda_compiled();
    public static native int pa_cuda_device_count(IntPointer count);
    public static native int pa_cuda_device_name(int device, @Cast("char*") BytePointer buf, int bufLen);
    public static native int pa_cuda_versions(IntPointer driver, IntPointer runtime);
    public static native int pa_cuda_host_cayley_f32(FloatPointer q, long batch, int b, int terms, float scale, FloatPointer r);
    public static native int pa_cuda_host_block_rotate_f32(FloatPointer x, long rows, long n, long xStride, FloatPointer r, int b, int transpose, FloatPointer y, long yStride);
    public static native int pa_cuda_host_svd_batched_f32(FloatPointer a, long batch, int m, int n, FloatPointer s, FloatPointer u, FloatPointer vt);
    public static native int pa_cuda_host_procrustes_batched_f32(FloatPointer x1, FloatPointer x0, long batch, long rows, int d, FloatPointer rot, FloatPointer residual);
    public static native int pa_cuda_cayley_f32(@Cast("const float*") long q, long batch, int b, int terms, float scale, @Cast("float*") long r, Pointer stream);
    public static native int pa_cuda_block_rotate_f32(@Cast("const float*") long x, long rows, long n, long xStride, @Cast("const float*") long r, int b, int transpose, @Cast("float*") long y, long yStride, Pointer stream);
    public static native int pa_cuda_svd_batched_f32(@Cast("const float*") long a, long batch, int m, int n, @Cast("float*") long s, @Cast("float*") long u, @Cast("float*") long vt, Pointer stream);
    public static native int pa_cuda_procrustes_batched_f32(@Cast("const float*") long x1, @Cast("const float*") long x0, long batch, long rows, int d, @Cast("float*") long rot, @Cast("float*") long residual, Pointer stream);
    public static native int pa_cuda_block_cross_f32(@Cast("const float*") long x, long rows, long n, long xStride, @Cast("const float*") long g, long gStride, int b, @Cast("float*") long out, Pointer stream);
    public static native int pa_cuda_cayley_vjp_f32(@Cast("const float*") long q, @Cast("const float*") long r, @Cast("const float*") long g, long batch, int b, int terms, @Cast("float*") long dq, Pointer stream);

    // JNI references of JavaCPP callback peers (native/include/pa_jni_refs.h)
    public static native int pa_jni_is_weak_ref_to(@Raw(withEnv = true) long handle, @Raw Object obj);
    public static native int pa_jni_is_weak_ref(@Raw(withEnv = true) long handle);
    public static native void pa_jni_delete_weak_ref(@Raw(withEnv = true) long handle);
}
