package org.peftarena.kernels;

import java.util.Objects;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.peftarena.kernels.jni.PeftArenaNative;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public entry point to the native kernels: batched Cayley transforms, block-diagonal
 * rotations, batched small SVDs and orthogonal Procrustes, on Java arrays or on raw native
 * addresses (for example LibTorch {@code tensor.data_ptr().address()}, zero-copy).
 *
 * <p>An instance is bound to a backend when created. fp32 kernels run on that backend; kernels
 * without a CUDA implementation (fp64 Cayley and SVD, the large Procrustes residual) run on the
 * CPU when the backend came from {@link Backend#AUTO} and throw {@link BackendUnavailableException}
 * when CUDA was requested explicitly. Every failure is a {@link KernelException} subclass carrying
 * the native message. Address-based methods trust the caller that the memory behind each address
 * holds the documented shape; array methods check lengths.
 */
public final class KernelOps {
    private static final Logger LOG = LoggerFactory.getLogger(KernelOps.class);

    private final Backend requested;
    private final Backend resolved;
    private final CayleyKernels cayley;
    private final RotationKernels rotation;
    private final SvdKernels svd;

    private KernelOps(Backend requested, Backend resolved) {
        this.requested = requested;
        this.resolved = resolved;
        this.cayley = new CayleyKernels(this);
        this.rotation = new RotationKernels(this);
        this.svd = new SvdKernels(this);
    }

    /**
     * Kernels on the requested backend.
     *
     * @param backend CPU, CUDA (fails without a usable device) or AUTO (CUDA when usable, logged)
     * @throws BackendUnavailableException when CUDA is requested and no device is usable
     */
    public static KernelOps create(Backend backend) {
        if (backend == null) {
            throw new KernelArgumentException(KernelStatus.NULL_POINTER, "argument 'backend' is null");
        }
        return switch (backend) {
            case CPU -> new KernelOps(Backend.CPU, Backend.CPU);
            case CUDA -> {
                if (cudaDeviceCount() == 0) {
                    throw new BackendUnavailableException("CUDA backend requested but no CUDA device is usable: " + cudaStatusMessage());
                }
                yield new KernelOps(Backend.CUDA, Backend.CUDA);
            }
            case AUTO -> {
                final Backend pick = cudaDeviceCount() > 0 ? Backend.CUDA : Backend.CPU;
                LOG.info("Kernel backend AUTO resolved to {} (cpu path {}, {})", pick, cpuPath(),
                        pick == Backend.CUDA ? "CUDA device available" : "no CUDA device: " + cudaStatusMessage());
                yield new KernelOps(Backend.AUTO, pick);
            }
        };
    }

    /** Kernels on the CPU. */
    public static KernelOps cpu() {
        return create(Backend.CPU);
    }

    /** The backend fp32 kernels run on (never AUTO). */
    public Backend backend() {
        return resolved;
    }

    /** The backend this instance was created with (may be AUTO). */
    public Backend requestedBackend() {
        return requested;
    }

    /** Backend for a kernel that may lack a CUDA implementation. */
    Backend backendFor(String op, boolean hasCudaKernel) {
        if (resolved == Backend.CUDA && !hasCudaKernel) {
            if (requested == Backend.CUDA) {
                throw new BackendUnavailableException(op + " has no CUDA kernel; use Backend.CPU or Backend.AUTO");
            }
            return Backend.CPU;
        }
        return resolved;
    }

    // ---- library facts -------------------------------------------------------------------

    /** Version string of the native library. */
    public static String version() {
        return PeftArenaNative.pa_version().getString();
    }

    /** The CPU code path in use, e.g. {@code "avx2-fma"} or {@code "generic"}. */
    public static String cpuPath() {
        return PeftArenaNative.pa_cpu_path().getString();
    }

    /** Forces the generic (baseline SIMD) CPU path, or returns to the best one; for tests and benchmarks. */
    public static void forceGenericCpu(boolean force) {
        NativeStatus.check(PeftArenaNative.pa_cpu_force_generic(force ? 1 : 0), "pa_cpu_force_generic");
    }

    /** Sets the number of CPU threads the kernels use; 0 restores the default (all online cores). */
    public static void setNumThreads(int threads) {
        NativeStatus.check(PeftArenaNative.pa_set_num_threads(threads), "pa_set_num_threads");
    }

    /** Number of CPU threads the kernels use. */
    public static int numThreads() {
        return PeftArenaNative.pa_get_num_threads();
    }

    /** Number of usable CUDA devices (0 when the library has no CUDA code or no driver/device). */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static int cudaDeviceCount() {
        try (PointerScope scope = new PointerScope(); IntPointer count = new IntPointer(1)) {
            count.put(0, 0);
            if (PeftArenaNative.pa_cuda_device_count(count) != KernelStatus.OK.code()) {
                return 0;
            }
            return count.get(0);
        }
    }

    private static String cudaStatusMessage() {
        final String msg = PeftArenaNative.pa_last_error().getString();
        return msg.isEmpty() ? "no device reported" : msg;
    }

    // ---- Cayley --------------------------------------------------------------------------

    /**
     * Batched Cayley transform of packed skew generators.
     *
     * @param q packed generators [batch, b(b-1)/2] fp32 (strict upper triangle, row-major triu order)
     * @param batch number of blocks
     * @param b block size, 2..128
     * @param variant exact or Neumann series
     * @param scale multiplies Q before the transform
     * @return rotations [batch, b, b] fp32
     */
    public float[] cayley(float[] q, int batch, int b, CayleyVariant variant, float scale) {
        return cayley.cayley(q, batch, b, variant, scale);
    }

    /**
     * Batched Cayley transform in fp64 (CPU only).
     *
     * @param q packed generators [batch, b(b-1)/2] fp64
     * @param batch number of blocks
     * @param b block size, 2..128
     * @param variant exact or Neumann series
     * @param scale multiplies Q before the transform
     * @return rotations [batch, b, b] fp64
     */
    public double[] cayley(double[] q, int batch, int b, CayleyVariant variant, double scale) {
        return cayley.cayley(q, batch, b, variant, scale);
    }

    /**
     * Batched Cayley transform on native memory.
     *
     * @param qAddress address of packed generators [batch, b(b-1)/2] fp32
     * @param batch number of blocks
     * @param b block size, 2..128
     * @param variant exact or Neumann series
     * @param scale multiplies Q before the transform
     * @param rAddress address of the output rotations [batch, b, b] fp32
     */
    public void cayley(long qAddress, long batch, int b, CayleyVariant variant, float scale, long rAddress) {
        cayley.cayley(qAddress, batch, b, variant, scale, rAddress);
    }

    // ---- block rotation --------------------------------------------------------------------

    /**
     * Block-diagonal rotation {@code y[:, jb:(j+1)b] = x[:, jb:(j+1)b] @ R_j} (or {@code R_j^T}).
     *
     * @param x input [rows, n] fp32, contiguous
     * @param rows number of rows
     * @param n features, a multiple of b
     * @param r blocks [n/b, b, b] fp32
     * @param b block size, 1..128
     * @param transpose use {@code R_j^T}
     * @return y [rows, n] fp32
     */
    public float[] blockRotate(float[] x, int rows, int n, float[] r, int b, boolean transpose) {
        return rotation.blockRotate(x, rows, n, r, b, transpose);
    }

    /**
     * Block-diagonal rotation with row strides, writing into {@code y}.
     *
     * @param x input [rows, n] fp32 with row stride xStride (elements)
     * @param rows number of rows
     * @param n features, a multiple of b
     * @param xStride row stride of x, >= n
     * @param r blocks [n/b, b, b] fp32
     * @param b block size, 1..128
     * @param transpose use {@code R_j^T}
     * @param y output [rows, n] fp32 with row stride yStride; must not be x
     * @param yStride row stride of y, >= n
     */
    public void blockRotate(float[] x, int rows, int n, int xStride, float[] r, int b, boolean transpose, float[] y, int yStride) {
        rotation.blockRotate(x, rows, n, xStride, r, b, transpose, y, yStride);
    }

    /**
     * Block-diagonal rotation on native memory; x and y must not overlap.
     *
     * @param xAddress input [rows, n] fp32 with row stride xStride
     * @param rows number of rows
     * @param n features, a multiple of b
     * @param xStride row stride of x (elements), >= n
     * @param rAddress blocks [n/b, b, b] fp32
     * @param b block size, 1..128
     * @param transpose use {@code R_j^T}
     * @param yAddress output [rows, n] fp32 with row stride yStride
     * @param yStride row stride of y (elements), >= n
     */
    public void blockRotate(long xAddress, long rows, long n, long xStride, long rAddress, int b, boolean transpose,
            long yAddress, long yStride) {
        rotation.blockRotate(xAddress, rows, n, xStride, rAddress, b, transpose, yAddress, yStride);
    }

    /**
     * The block rotation's gradient with respect to its blocks, {@code out[j] = X_j^T G_j} summed over
     * the rows (for {@code y = x blockdiag(R_j)} and output gradient {@code g}, this is {@code dL/dR_j}).
     * Runs on the CPU for either backend (host arrays).
     *
     * @param x input [rows, n] fp32, contiguous
     * @param rows number of rows
     * @param n features, a multiple of b
     * @param g output gradient [rows, n] fp32, contiguous
     * @param b block size, 1..128
     * @return out [n/b, b, b] fp32
     */
    public float[] blockCross(float[] x, int rows, int n, float[] g, int b) {
        return rotation.blockCross(x, rows, n, g, b);
    }

    /**
     * {@link #blockCross(float[], int, int, float[], int)} on native host memory (CPU backend only).
     *
     * @param xAddress input [rows, n] fp32 with row stride xStride
     * @param gAddress output gradient [rows, n] fp32 with row stride gStride
     * @param outAddress [n/b, b, b] fp32, not overlapping x or g
     */
    public void blockCross(long xAddress, long rows, long n, long xStride, long gAddress, long gStride, int b, long outAddress) {
        rotation.blockCross(xAddress, rows, n, xStride, gAddress, gStride, b, outAddress);
    }

    /**
     * Vector-Jacobian product of the fp32 Cayley transform at scale 1 (the backward of OFT training):
     * from {@code g = dL/dR} to {@code dL/dq} for the packed generators. Runs on the CPU for either
     * backend (host arrays).
     *
     * @param q packed generators [batch, b(b-1)/2]
     * @param r the transform's output [batch, b, b] (read by the exact variant; may be null for Neumann)
     * @param g gradient of the output [batch, b, b]
     * @param variant exact or Neumann with its number of terms
     * @return dq [batch, b(b-1)/2]
     */
    public float[] cayleyVjp(float[] q, float[] r, float[] g, int batch, int b, CayleyVariant variant) {
        return cayley.cayleyVjp(q, r, g, batch, b, variant);
    }

    /**
     * {@link #cayleyVjp(float[], float[], float[], int, int, CayleyVariant)} on native host memory
     * ({@code rAddress} may be 0 for the Neumann series).
     */
    public void cayleyVjp(long qAddress, long rAddress, long gAddress, long batch, int b, CayleyVariant variant, long dqAddress) {
        cayley.cayleyVjp(qAddress, rAddress, gAddress, batch, b, variant, dqAddress);
    }

    // ---- SVD -----------------------------------------------------------------------------

    /**
     * Batched SVD of small fp32 matrices (one-sided Jacobi).
     *
     * @param a matrices [batch, m, n] fp32, 1 &lt;= m, n &lt;= 128
     * @param batch number of matrices
     * @param m rows
     * @param n columns
     * @param computeVectors also compute U [batch, m, k] and Vt [batch, k, n]
     */
    public SvdResult svd(float[] a, int batch, int m, int n, boolean computeVectors) {
        return svd.svd(a, batch, m, n, computeVectors);
    }

    /**
     * Batched SVD of small fp64 matrices (CPU only).
     *
     * @param a matrices [batch, m, n] fp64, 1 &lt;= m, n &lt;= 128
     * @param batch number of matrices
     * @param m rows
     * @param n columns
     * @param computeVectors also compute U [batch, m, k] and Vt [batch, k, n]
     */
    public SvdResultF64 svd(double[] a, int batch, int m, int n, boolean computeVectors) {
        return svd.svd(a, batch, m, n, computeVectors);
    }

    /**
     * Batched fp32 SVD on native memory.
     *
     * @param aAddress matrices [batch, m, n] fp32
     * @param batch number of matrices
     * @param m rows, 1..128
     * @param n columns, 1..128
     * @param sAddress singular values [batch, k] fp32
     * @param uAddress left vectors [batch, m, k] fp32, or 0
     * @param vtAddress right vectors [batch, k, n] fp32, or 0
     */
    public void svd(long aAddress, long batch, int m, int n, long sAddress, long uAddress, long vtAddress) {
        svd.svd(aAddress, batch, m, n, sAddress, uAddress, vtAddress);
    }

    // ---- Procrustes ------------------------------------------------------------------------

    /**
     * Batched orthogonal Procrustes for small d.
     *
     * @param x1 [batch, rows, d] fp32
     * @param x0 [batch, rows, d] fp32
     * @param batch number of problems
     * @param rows rows per problem
     * @param d dimension, 1..128
     * @param computeRotation also return the rotations [batch, d, d]
     */
    public ProcrustesResult procrustes(float[] x1, float[] x0, int batch, int rows, int d, boolean computeRotation) {
        return svd.procrustes(x1, x0, batch, rows, d, computeRotation);
    }

    /**
     * Batched orthogonal Procrustes on native memory.
     *
     * @param x1Address [batch, rows, d] fp32
     * @param x0Address [batch, rows, d] fp32
     * @param batch number of problems
     * @param rows rows per problem
     * @param d dimension, 1..128
     * @param rotAddress rotations [batch, d, d] fp32, or 0
     * @param residualAddress residuals [batch] fp32, or 0
     */
    public void procrustes(long x1Address, long x0Address, long batch, long rows, int d, long rotAddress, long residualAddress) {
        svd.procrustes(x1Address, x0Address, batch, rows, d, rotAddress, residualAddress);
    }

    /**
     * Procrustes residual {@code normF(X1 R - X0)} of one large problem from its cross product (CPU only).
     *
     * <p>Uses {@code normF(X1 R - X0)^2 = normF(X1)^2 + normF(X0)^2 - 2 sum(svals(M))}, clamped at 0.
     * For {@code d <= 128} the singular values come from a double-precision Jacobi SVD; above, from the
     * eigenvalues of {@code M^T M} (double Householder tridiagonalisation + QL), which is accurate
     * to ~1e-12 relative in the sum for well-spread spectra. The fp32 rounding of M dominates the
     * error when the residual is small compared with the norms (cancellation).
     *
     * @param m cross product {@code X1^T X0} [d, d] fp32 (for example from LibTorch mm)
     * @param d dimension, >= 1
     * @param x1Sq {@code normF(X1)^2}
     * @param x0Sq {@code normF(X0)^2}
     */
    public double procrustesResidualFromCross(float[] m, int d, double x1Sq, double x0Sq) {
        return svd.residualFromCross(m, d, x1Sq, x0Sq);
    }

    /**
     * As {@link #procrustesResidualFromCross(float[], int, double, double)} on native memory.
     *
     * @param mAddress cross product [d, d] fp32
     * @param d dimension, >= 1
     * @param x1Sq {@code normF(X1)^2}
     * @param x0Sq {@code normF(X0)^2}
     */
    public double procrustesResidualFromCross(long mAddress, int d, double x1Sq, double x0Sq) {
        return svd.residualFromCross(mAddress, d, x1Sq, x0Sq);
    }

    // ---- device memory (CUDA) ----------------------------------------------------------------

    /**
     * Batched Cayley transform on device memory, queued on {@code stream} (see {@link #cudaBlockRotate} for the
     * contract every device call shares).
     *
     * @param qAddress packed generators [batch, b(b-1)/2] fp32, device memory
     * @param batch number of blocks
     * @param b block size, 2..128
     * @param variant exact or Neumann series
     * @param scale factor applied to the generators first
     * @param rAddress rotations [batch, b, b] fp32, device memory
     * @param stream a {@code cudaStream_t} on the current device (LibTorch's current stream), or 0 for the default one
     */
    public void cudaCayley(long qAddress, long batch, int b, CayleyVariant variant, float scale, long rAddress, long stream) {
        DeviceKernels.cayley(qAddress, batch, b, variant, scale, rAddress, stream);
    }

    /**
     * Block-diagonal rotation on device memory: every address is a device address on the current CUDA device
     * (a LibTorch CUDA tensor's {@code data_ptr().address()}, storage offset included), the work is queued on
     * {@code stream} and nothing synchronises, so the caller keeps the buffers alive until the stream has passed
     * the call. The library checks sizes, null pointers and each device argument (alignment, host memory,
     * another device, a stream of another device) before queuing anything; a library built without CUDA, or a
     * machine without a device, refuses. Refusals throw {@link KernelException} with the library's message.
     *
     * @param xAddress input rows [rows, n] fp32 with row stride {@code xStride}
     * @param rows rows
     * @param n features, a multiple of b
     * @param xStride row stride of x in elements
     * @param rAddress blocks [n/b, b, b] fp32
     * @param b block size
     * @param transpose apply the blocks' transposes
     * @param yAddress output rows [rows, n] fp32 with row stride {@code yStride}
     * @param yStride row stride of y in elements
     * @param stream a {@code cudaStream_t}, or 0 for the default stream
     */
    public void cudaBlockRotate(long xAddress, long rows, long n, long xStride, long rAddress, int b, boolean transpose,
                                long yAddress, long yStride, long stream) {
        DeviceKernels.blockRotate(xAddress, rows, n, xStride, rAddress, b, transpose, yAddress, yStride, stream);
    }

    /**
     * The block rotation's gradient with respect to its blocks, {@code out[j] = X_j^T G_j} summed over the rows, on
     * device memory (addresses, stream and refusals as {@link #cudaBlockRotate}). The row reduction is two passes in a
     * fixed order, so the result does not depend on scheduling.
     *
     * @param xAddress input rows [rows, n] fp32 with row stride {@code xStride}
     * @param rows rows
     * @param n features, a multiple of b
     * @param xStride row stride of x in elements
     * @param gAddress output gradient [rows, n] fp32 with row stride {@code gStride}
     * @param gStride row stride of g in elements
     * @param b block size
     * @param outAddress [n/b, b, b] fp32, not overlapping x or g
     * @param stream a {@code cudaStream_t}, or 0 for the default stream
     */
    public void cudaBlockCross(long xAddress, long rows, long n, long xStride, long gAddress, long gStride, int b,
                               long outAddress, long stream) {
        DeviceKernels.blockCross(xAddress, rows, n, xStride, gAddress, gStride, b, outAddress, stream);
    }

    /**
     * Vector-Jacobian product of the Cayley transform at scale 1 on device memory (addresses, stream and refusals as
     * {@link #cudaBlockRotate}): from {@code g = dL/dR} to {@code dL/dq} for the packed generators.
     *
     * @param qAddress packed generators [batch, b(b-1)/2] fp32
     * @param rAddress the transform's output [batch, b, b] fp32 (read by the exact variant; 0 for the Neumann series)
     * @param gAddress gradient of the output [batch, b, b] fp32
     * @param batch number of blocks
     * @param b block size
     * @param variant exact or Neumann series, as in the forward
     * @param dqAddress [batch, b(b-1)/2] fp32
     * @param stream a {@code cudaStream_t}, or 0 for the default stream
     */
    public void cudaCayleyVjp(long qAddress, long rAddress, long gAddress, long batch, int b, CayleyVariant variant,
                              long dqAddress, long stream) {
        DeviceKernels.cayleyVjp(qAddress, rAddress, gAddress, batch, b, variant, dqAddress, stream);
    }

    /**
     * Batched SVD on device memory (see {@link #cudaBlockRotate} for the contract).
     *
     * @param aAddress matrices [batch, m, n] fp32
     * @param batch number of matrices
     * @param m rows, 1..128
     * @param n columns, 1..128
     * @param sAddress singular values [batch, k] fp32
     * @param uAddress left vectors [batch, m, k] fp32, or 0
     * @param vtAddress right vectors [batch, k, n] fp32, or 0
     * @param stream a {@code cudaStream_t}, or 0 for the default stream
     */
    public void cudaSvd(long aAddress, long batch, int m, int n, long sAddress, long uAddress, long vtAddress, long stream) {
        DeviceKernels.svd(aAddress, batch, m, n, sAddress, uAddress, vtAddress, stream);
    }

    /**
     * Batched orthogonal Procrustes on device memory (see {@link #cudaBlockRotate} for the contract).
     *
     * @param x1Address [batch, rows, d] fp32
     * @param x0Address [batch, rows, d] fp32
     * @param batch number of problems
     * @param rows rows per problem
     * @param d dimension, 1..128
     * @param rotAddress rotations [batch, d, d] fp32, or 0
     * @param residualAddress residuals [batch] fp32, or 0
     * @param stream a {@code cudaStream_t}, or 0 for the default stream
     */
    public void cudaProcrustes(long x1Address, long x0Address, long batch, long rows, int d, long rotAddress,
                               long residualAddress, long stream) {
        DeviceKernels.procrustes(x1Address, x0Address, batch, rows, d, rotAddress, residualAddress, stream);
    }

    static <T> T nonNull(T value, String name) {
        ArrayArgs.requireNonNull(value, name);
        return Objects.requireNonNull(value);
    }

    static FloatPointer floats(float[] a) {
        return new FloatPointer(a);
    }

    static DoublePointer doubles(double[] a) {
        return new DoublePointer(a);
    }
}
