// Argument validation shared by the device-pointer entry points and the host wrappers; it runs
// before any CUDA call so bad input never reaches a device (or needs one).
#pragma once
#include <cmath>
#include <cstdint>

#include "peft_arena.h"
#include "../native/src/status.hpp"

namespace pa::cuda {

constexpr int kMaxBlock = 128;
constexpr int kMaxNeumannTerms = 64;  // same bound as the CPU kernels
constexpr int kMaxSvdDim = 128;

inline bool mul_overflows(int64_t a, int64_t b) { return a != 0 && b > INT64_MAX / a; }

inline int validate_cayley(const char* fn, const void* q, int64_t batch, int32_t b, int32_t terms, float scale,
                           const void* r) {
  if (q == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'q' is null", fn);
  if (r == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'r' is null", fn);
  if (batch < 0) return pa::fail(PA_ERR_SIZE, "%s: batch must be >= 0, got %lld", fn, static_cast<long long>(batch));
  if (b < 2 || b > kMaxBlock) return pa::fail(PA_ERR_SIZE, "%s: block size b must be in [2, 128], got %d", fn, b);
  if (terms < 0 || terms > kMaxNeumannTerms)
    return pa::fail(PA_ERR_SIZE, "%s: terms must be 0 (exact) or 1..%d (Cayley-Neumann), got %d", fn, kMaxNeumannTerms,
                    terms);
  if (!std::isfinite(scale)) return pa::fail(PA_ERR_NONFINITE, "%s: scale is not finite", fn);
  if (mul_overflows(batch, static_cast<int64_t>(b) * b))
    return pa::fail(PA_ERR_SIZE, "%s: batch * b * b overflows", fn);
  return PA_OK;
}

inline int validate_rotate(const char* fn, const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r,
                           int32_t b, int32_t transpose, const float* y, int64_t y_stride) {
  if (x == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'x' is null", fn);
  if (r == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'r' is null", fn);
  if (y == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'y' is null", fn);
  if (rows < 0 || n < 0)
    return pa::fail(PA_ERR_SIZE, "%s: rows and n must be >= 0, got %lld and %lld", fn, static_cast<long long>(rows),
                    static_cast<long long>(n));
  if (b < 1 || b > kMaxBlock) return pa::fail(PA_ERR_SIZE, "%s: block size b must be in [1, 128], got %d", fn, b);
  if (n % b != 0)
    return pa::fail(PA_ERR_SIZE, "%s: block size %d does not divide n = %lld", fn, b, static_cast<long long>(n));
  if (x_stride < n || y_stride < n)
    return pa::fail(PA_ERR_SIZE, "%s: row strides (%lld, %lld) must be >= n = %lld", fn,
                    static_cast<long long>(x_stride), static_cast<long long>(y_stride), static_cast<long long>(n));
  if (transpose != 0 && transpose != 1) return pa::fail(PA_ERR_SIZE, "%s: transpose must be 0 or 1, got %d", fn, transpose);
  if (rows > 0 && (mul_overflows(rows - 1, x_stride) || mul_overflows(rows - 1, y_stride)))
    return pa::fail(PA_ERR_SIZE, "%s: rows * stride overflows", fn);
  if (rows > 0 && n > 0) {
    const float* x_end = x + (rows - 1) * x_stride + n;
    const float* y_end = y + (rows - 1) * y_stride + n;
    if (x < y_end && y < x_end) return pa::fail(PA_ERR_SIZE, "%s: x and y overlap", fn);
  }
  return PA_OK;
}

inline int validate_svd(const char* fn, const void* a, int64_t batch, int32_t m, int32_t n, const void* s) {
  if (a == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'a' is null", fn);
  if (s == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 's' is null", fn);
  if (batch < 0) return pa::fail(PA_ERR_SIZE, "%s: batch must be >= 0, got %lld", fn, static_cast<long long>(batch));
  if (m < 1 || m > kMaxSvdDim || n < 1 || n > kMaxSvdDim)
    return pa::fail(PA_ERR_SIZE, "%s: m and n must be in [1, 128], got %d x %d", fn, m, n);
  if (mul_overflows(batch, static_cast<int64_t>(m) * n)) return pa::fail(PA_ERR_SIZE, "%s: batch * m * n overflows", fn);
  return PA_OK;
}

inline int validate_procrustes(const char* fn, const void* x1, const void* x0, int64_t batch, int64_t rows, int32_t d,
                               const void* rot, const void* residual) {
  if (x1 == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'x1' is null", fn);
  if (x0 == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'x0' is null", fn);
  if (rot == nullptr && residual == nullptr) return pa::fail(PA_ERR_NULL, "%s: rot and residual are both null", fn);
  if (batch < 0 || rows < 0)
    return pa::fail(PA_ERR_SIZE, "%s: batch = %lld and rows = %lld must be >= 0", fn, static_cast<long long>(batch),
                    static_cast<long long>(rows));
  if (d < 1 || d > kMaxSvdDim) return pa::fail(PA_ERR_SIZE, "%s: d must be in [1, 128], got %d", fn, d);
  if (mul_overflows(batch, rows) || mul_overflows(batch * rows, d))
    return pa::fail(PA_ERR_SIZE, "%s: batch * rows * d overflows", fn);
  return PA_OK;
}

// Host-side scan for NaN/Inf (the host wrappers check inputs before copying, like the CPU kernels).
inline int require_finite_host(const char* fn, const char* what, const float* p, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    if (!std::isfinite(p[i]))
      return pa::fail(PA_ERR_NONFINITE, "%s: %s[%lld] = %g is not finite", fn, what, static_cast<long long>(i),
                      static_cast<double>(p[i]));
  return PA_OK;
}

}  // namespace pa::cuda
