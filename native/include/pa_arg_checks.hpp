// Argument validation of every C ABI entry point, CPU and CUDA alike (one rule and one message per
// problem). Each check returns PA_OK, or records a message for pa_last_error() and returns the
// status. Shape checks touch no memory; the finiteness checks read host memory only. C++ host code.
#pragma once
#include <cstdint>

#include "pa_kernel_spec.h"
#include "peft_arena.h"

namespace pa {

// pa_cayley_f32/_f64 and their CUDA twins: q [batch, b(b-1)/2], r [batch, b, b]; scale finite.
int check_cayley_args(const char* fn, const void* q, int64_t batch, int32_t b, int32_t terms, double scale,
                      const void* r);
// pa_cayley_vjp_f32: q, g, dq non-null, r non-null for the exact variant; sizes as check_cayley_args.
int check_cayley_vjp_args(const char* fn, const void* q, const void* r, const void* g, int64_t batch, int32_t b,
                          int32_t terms, const void* dq);
// pa_block_rotate_f32 and its CUDA twins: x, y [rows, n] with row strides, r [n/b, b, b], x and y disjoint.
int check_block_rotate_args(const char* fn, const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r,
                            int32_t b, int32_t transpose, const float* y, int64_t y_stride);
// pa_block_cross_f32: x, g [rows, n] with row strides, out [n/b, b, b] disjoint from both.
int check_block_cross_args(const char* fn, const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* g,
                           int64_t g_stride, int32_t b, const float* out);
// pa_svd_batched_* and its CUDA twins: a [batch, m, n], s [batch, min(m, n)].
int check_svd_args(const char* fn, const void* a, int64_t batch, int32_t m, int32_t n, const void* s);
// pa_procrustes_batched_f32 and its CUDA twins: x1, x0 [batch, rows, d]; rot or residual (or both).
int check_procrustes_args(const char* fn, const void* x1, const void* x0, int64_t batch, int64_t rows, int32_t d,
                          const void* rot, const void* residual);
// pa_procrustes_residual_from_cross_f32: m [d, d], squared norms finite and >= 0.
int check_residual_args(const char* fn, const void* m, int32_t d, double x1_sq, double x0_sq, const void* residual);

// Index of the first non-finite element of p[0:count), or -1.
int64_t first_nonfinite(const float* p, int64_t count);
int64_t first_nonfinite(const double* p, int64_t count);

// PA_ERR_NONFINITE naming the first NaN/Inf input element ("what[i] = v is not finite"), else PA_OK.
int require_finite(const char* fn, const char* what, const float* p, int64_t count);
int require_finite(const char* fn, const char* what, const double* p, int64_t count);

// PA_ERR_NONFINITE when a Cayley result overflowed although its input was finite, else PA_OK.
int require_finite_cayley_result(const char* fn, const float* r, int64_t count);
int require_finite_cayley_result(const char* fn, const double* r, int64_t count);

// a * b * c without int64 overflow (all non-negative), or -1.
inline int64_t checked_product(int64_t a, int64_t b, int64_t c = 1) {
  int64_t ab = 0, abc = 0;
  if (__builtin_mul_overflow(a, b, &ab) || __builtin_mul_overflow(ab, c, &abc)) return -1;
  return abc;
}

}  // namespace pa
