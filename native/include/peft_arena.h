/*
 * PEFT-Arena native kernels: the C ABI.
 *
 * Raw pointers, sizes and strides in; a status code out. No LibTorch or JNI headers here or in
 * any kernel source: Java hands us tensor data addresses. Every entry point validates its
 * arguments and returns a non-zero status instead of crashing; pa_last_error() then returns a
 * thread-local message describing the problem.
 *
 * Layout conventions (all row-major, C order):
 *   packed skew generators  q   [batch, b*(b-1)/2]  strict upper triangle of Mq, row-major
 *                                                  order of triu_indices(b, b, 1); Q = Mq - Mq^T
 *   rotations               r   [batch, b, b]
 *   block rotation input    x   [rows, n] with a row stride (elements) >= n; n = nblocks * b
 *   batched matrices        a   [batch, m, n]
 *   singular values         s   [batch, k]         k = min(m, n), descending, non-negative
 *   left vectors            u   [batch, m, k]
 *   right vectors (transp.) vt  [batch, k, n]
 */
#ifndef PEFT_ARENA_H
#define PEFT_ARENA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define PA_API __declspec(dllexport)
#else
#define PA_API __attribute__((visibility("default")))
#endif

/* Status codes. */
#define PA_OK 0
#define PA_ERR_NULL 1          /* a required pointer is null */
#define PA_ERR_SIZE 2          /* a size, stride or block size is invalid */
#define PA_ERR_NONFINITE 3     /* input contains NaN or Inf where that matters */
#define PA_ERR_NOCONVERGE 4    /* an iterative method did not converge */
#define PA_ERR_CUDA 5          /* a CUDA call failed (message has the CUDA error string) */
#define PA_ERR_UNAVAILABLE 6   /* the requested backend is not compiled in or has no device */
#define PA_ERR_ALLOC 7         /* memory allocation failed */
#define PA_ERR_DEVICE 8        /* a device pointer or stream is unusable: host memory, misaligned, or on
                                  another device than the current one (message names the argument) */

/* Cayley variants. PA_CAYLEY_EXACT computes R = (I - Q)(I + Q)^-1.
 * Any value k >= 1 selects the Cayley-Neumann series with k terms, exactly as HF PEFT's
 * _cayley_batch computes it (an approximation of (I + Q)(I - Q)^-1, i.e. the TRANSPOSE of the
 * exact variant):
 *   k = 1: R = I
 *   k = 2: R = I + 2Q
 *   k >= 3: R = I + 2Q + 2Q^2 + sum_{p=3}^{k-2} 2Q^p + Q^max(3, k-1)
 *   (k = 3 and k = 4 both give I + 2Q + 2Q^2 + Q^3; k = 5 gives I + 2Q + 2Q^2 + 2Q^3 + Q^4). */
#define PA_CAYLEY_EXACT 0

/* ---- library facts ---- */
PA_API const char* pa_last_error(void);
PA_API const char* pa_version(void);
/* Name of the CPU code path chosen at run time, e.g. "avx2-fma" or "generic". */
PA_API const char* pa_cpu_path(void);
/* Forces the generic path (1) or the best supported one (0); for tests and benchmarks. */
PA_API int pa_cpu_force_generic(int force);
/* Number of threads the CPU kernels may use (default: all online cores). */
PA_API int pa_set_num_threads(int n);
PA_API int pa_get_num_threads(void);

/* ---- kernel facts (the values of pa_kernel_spec.h, for bindings that cannot read a header) ---- */
#define PA_LIMIT_CAYLEY_MIN_BLOCK 0
#define PA_LIMIT_CAYLEY_MAX_BLOCK 1
#define PA_LIMIT_CAYLEY_MAX_NEUMANN_TERMS 2
#define PA_LIMIT_ROTATE_MIN_BLOCK 3
#define PA_LIMIT_ROTATE_MAX_BLOCK 4
#define PA_LIMIT_SVD_MAX_DIM 5
#define PA_LIMIT_PROCRUSTES_MAX_DIM 6
#define PA_LIMIT_RESIDUAL_MAX_DIM 7
#define PA_LIMIT_NEUMANN_MAX_POWERS 8
/* The limit with id `which` (a PA_LIMIT_* value), or -1 for an unknown id. */
PA_API int32_t pa_limit(int32_t which);
/* HF PEFT's Cayley-Neumann series with `terms` terms (1..PA_CAYLEY_MAX_NEUMANN_TERMS) as
 * sum_{i=0}^{d} c_i Q^i: *degree = d and coeffs[0..d] = c_0..c_d (coeffs may be NULL when capacity
 * is 0; capacity < d + 1 is PA_ERR_SIZE); *split = s, the power Q^s whose Horner steps the
 * Paterson-Stockmeyer evaluation of the kernels uses (split may be NULL). */
PA_API int pa_cayley_neumann_coefficients(int32_t terms, int32_t* degree, double* coeffs, int32_t capacity,
                                          int32_t* split);

/* ---- batched Cayley ----
 * q: [batch, b*(b-1)/2]; r: [batch, b, b]; 2 <= b <= 128 (limits: pa_kernel_spec.h). scale multiplies Q before the
 * transform (the interpolation path uses cayley(c * Q)). terms: PA_CAYLEY_EXACT or k >= 1.
 * Non-finite q is PA_ERR_NONFINITE. */
PA_API int pa_cayley_f32(const float* q, int64_t batch, int32_t b, int32_t terms, float scale, float* r);
PA_API int pa_cayley_f64(const double* q, int64_t batch, int32_t b, int32_t terms, double scale, double* r);
/* Vector-Jacobian product of pa_cayley_f32 at scale 1 (the OFT training backward): from
 * g = dL/dr [batch, b, b] to dq = dL/dq [batch, b*(b-1)/2]. r (the forward's output) is read by the
 * exact variant only and may be NULL for the Neumann series. No finiteness check: gradients pass through. */
PA_API int pa_cayley_vjp_f32(const float* q, const float* r, const float* g, int64_t batch, int32_t b, int32_t terms,
                             float* dq);

/* ---- block rotation apply (OFT input-centric forward) ----
 * x: [rows, n] with row stride x_stride; r: [n/b, b, b]; y: [rows, n] with row stride y_stride.
 * transpose = 0: y[:, j*b:(j+1)*b] = x[:, j*b:(j+1)*b] @ R_j
 * transpose = 1: y[:, j*b:(j+1)*b] = x[:, j*b:(j+1)*b] @ R_j^T
 * b must divide n; x and y must not overlap. */
PA_API int pa_block_rotate_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride,
                               const float* r, int32_t b, int32_t transpose,
                               float* y, int64_t y_stride);
/* The rotation's gradient with respect to its blocks (OFT training backward):
 * out[j] = X_j^T G_j over all rows, i.e. out[j][k][c] = sum_r x[r, j*b+k] g[r, j*b+c].
 * x: [rows, n] with row stride x_stride; g: [rows, n] with row stride g_stride; out: [n/b, b, b].
 * b must divide n; out must not overlap x or g. No finiteness check: gradients pass through. */
PA_API int pa_block_cross_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride,
                              const float* g, int64_t g_stride, int32_t b, float* out);

/* ---- batched SVD, 1 <= m, n <= 128 ----
 * a: [batch, m, n]; s: [batch, k]; u: [batch, m, k] or NULL; vt: [batch, k, n] or NULL.
 * One-sided Jacobi. Non-finite input is PA_ERR_NONFINITE. */
PA_API int pa_svd_batched_f32(const float* a, int64_t batch, int32_t m, int32_t n,
                              float* s, float* u, float* vt);
PA_API int pa_svd_batched_f64(const double* a, int64_t batch, int32_t m, int32_t n,
                              double* s, double* u, double* vt);

/* ---- Procrustes ----
 * Batched, small d (1 <= d <= 128): x1, x0: [batch, rows, d].
 * rot: [batch, d, d] = U V^T from svd(X1^T X0) (or NULL);
 * residual: [batch] = normF(X1 R - X0), computed from the singular values alone:
 *   normF(X1 R - X0)^2 = normF(X1)^2 + normF(X0)^2 - 2 * sum(svals(X1^T X0)). */
PA_API int pa_procrustes_batched_f32(const float* x1, const float* x0, int64_t batch, int64_t rows,
                                     int32_t d, float* rot, float* residual);
/* From a precomputed cross product m = X1^T X0 ([d, d], any d >= 1, e.g. from BLAS) and the
 * squared Frobenius norms of X1 and X0: residual = normF(X1 R - X0) (clamped at 0). */
PA_API int pa_procrustes_residual_from_cross_f32(const float* m, int32_t d, double x1_sq, double x0_sq,
                                                 double* residual);

/* ---- CUDA (present when compiled with nvcc; otherwise every call returns PA_ERR_UNAVAILABLE) ----
 * Device-pointer entry points (pa_cuda_* without _host_): every pointer is a device address on the
 * CURRENT device (cudaSetDevice / CUDAGuard / torch.cuda.device), e.g. a LibTorch tensor's
 * data_ptr(). Offsets are part of the address: a view's data_ptr() (storage offset included) may be
 * passed as is, at any element offset (4-byte alignment is all the kernels need); row strides are
 * the *_stride arguments. stream is a cudaStream_t passed as void* (NULL = the legacy default stream),
 * e.g. LibTorch's current stream; the work is queued on it and nothing synchronises, so the caller
 * keeps the buffers alive until the stream has passed the call (scratch memory is stream-ordered).
 * Checks before anything is queued, in this order: sizes and null pointers (PA_ERR_NULL, PA_ERR_SIZE,
 * as the CPU kernels), then each device argument (PA_ERR_DEVICE): a pointer not 4-byte aligned, a
 * pointer that is not device or managed memory (host memory), a pointer on another device than the
 * current one, a stream that belongs to another device. No device at all is PA_ERR_UNAVAILABLE.
 * Value problems are not reported (see cuda-kernels/README.md). */
PA_API int pa_cuda_compiled(void);
/* Device count; 0 with PA_OK when no driver or device is present (the message says why). */
PA_API int pa_cuda_device_count(int32_t* count);
PA_API int pa_cuda_device_name(int32_t device, char* buf, int32_t buf_len);
/* CUDA versions as 1000 * major + 10 * minor: *driver = the installed driver's (0 without a
 * driver), *runtime = the runtime linked into this library (0 when built without CUDA). Needs no
 * device; either pointer may be NULL. */
PA_API int pa_cuda_versions(int32_t* driver, int32_t* runtime);
PA_API int pa_cuda_cayley_f32(const float* q, int64_t batch, int32_t b, int32_t terms, float scale,
                              float* r, void* stream);
PA_API int pa_cuda_block_rotate_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride,
                                    const float* r, int32_t b, int32_t transpose,
                                    float* y, int64_t y_stride, void* stream);
/* Gradients of the OFT rotation (training backward), as pa_block_cross_f32 and pa_cayley_vjp_f32 with the
 * same limits (1 <= b <= 128 for the cross, 2 <= b <= 128 for the VJP) and no finiteness check; the
 * cross splits long row ranges into chunks whose partial sums (stream-ordered scratch) are added in a
 * fixed order, so equal inputs give bit-identical results. */
PA_API int pa_cuda_block_cross_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride,
                                   const float* g, int64_t g_stride, int32_t b, float* out, void* stream);
PA_API int pa_cuda_cayley_vjp_f32(const float* q, const float* r, const float* g, int64_t batch, int32_t b,
                                  int32_t terms, float* dq, void* stream);
PA_API int pa_cuda_svd_batched_f32(const float* a, int64_t batch, int32_t m, int32_t n,
                                   float* s, float* u, float* vt, void* stream);
PA_API int pa_cuda_procrustes_batched_f32(const float* x1, const float* x0, int64_t batch, int64_t rows,
                                          int32_t d, float* rot, float* residual, void* stream);
/* Host-memory convenience: copies in, runs, copies out, synchronises (used by Java and tests). The gradient
 * wrappers (block cross, Cayley VJP) do not scan their inputs for NaN/Inf: gradients pass through. */
PA_API int pa_cuda_host_cayley_f32(const float* q, int64_t batch, int32_t b, int32_t terms, float scale, float* r);
PA_API int pa_cuda_host_block_rotate_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride,
                                         const float* r, int32_t b, int32_t transpose,
                                         float* y, int64_t y_stride);
PA_API int pa_cuda_host_block_cross_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride,
                                        const float* g, int64_t g_stride, int32_t b, float* out);
PA_API int pa_cuda_host_cayley_vjp_f32(const float* q, const float* r, const float* g, int64_t batch, int32_t b,
                                       int32_t terms, float* dq);
PA_API int pa_cuda_host_svd_batched_f32(const float* a, int64_t batch, int32_t m, int32_t n,
                                        float* s, float* u, float* vt);
PA_API int pa_cuda_host_procrustes_batched_f32(const float* x1, const float* x0, int64_t batch, int64_t rows,
                                               int32_t d, float* rot, float* residual);

#ifdef __cplusplus
}
#endif
#endif /* PEFT_ARENA_H */
