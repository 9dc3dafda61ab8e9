// The argument checks of pa_arg_checks.hpp: the one place where the C ABI's rules and messages live.
#include "pa_arg_checks.hpp"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "pa_status.hpp"

namespace pa {
namespace {

int null_arg(const char* fn, const char* name) { return fail(PA_ERR_NULL, "%s: argument '%s' is null", fn, name); }

int check_batch(const char* fn, int64_t batch) {
  if (batch < 0) return fail(PA_ERR_SIZE, "%s: batch = %lld must be >= 0", fn, static_cast<long long>(batch));
  return PA_OK;
}

int check_cayley_sizes(const char* fn, int64_t batch, int32_t b, int32_t terms) {
  if (int st = check_batch(fn, batch)) return st;
  if (b < PA_CAYLEY_MIN_BLOCK || b > PA_CAYLEY_MAX_BLOCK)
    return fail(PA_ERR_SIZE, "%s: block size b = %d must be in %d..%d", fn, b, PA_CAYLEY_MIN_BLOCK, PA_CAYLEY_MAX_BLOCK);
  if (terms < 0 || terms > PA_CAYLEY_MAX_NEUMANN_TERMS)
    return fail(PA_ERR_SIZE, "%s: terms = %d must be 0 (exact) or 1..%d (Cayley-Neumann)", fn, terms,
                PA_CAYLEY_MAX_NEUMANN_TERMS);
  return PA_OK;
}

int check_cayley_extent(const char* fn, int64_t batch, int32_t b) {
  if (checked_product(batch, b, b) < 0)
    return fail(PA_ERR_SIZE, "%s: batch = %lld is too large", fn, static_cast<long long>(batch));
  return PA_OK;
}

// Two fp32 operands [rows, n] with row strides, n split into blocks of b; on success a_bytes and
// c_bytes receive each operand's extent in bytes (0 when rows or n is 0).
int check_blocked_rows(const char* fn, int64_t rows, int64_t n, int32_t b, const char* a_name, int64_t a_stride,
                       const char* c_name, int64_t c_stride, uintptr_t* a_bytes, uintptr_t* c_bytes) {
  *a_bytes = *c_bytes = 0;
  if (rows < 0 || n < 0)
    return fail(PA_ERR_SIZE, "%s: rows = %lld and n = %lld must be >= 0", fn, static_cast<long long>(rows),
                static_cast<long long>(n));
  if (b < PA_ROTATE_MIN_BLOCK || b > PA_ROTATE_MAX_BLOCK)
    return fail(PA_ERR_SIZE, "%s: block size b = %d must be in %d..%d", fn, b, PA_ROTATE_MIN_BLOCK, PA_ROTATE_MAX_BLOCK);
  if (n % b != 0)
    return fail(PA_ERR_SIZE, "%s: block size b = %d does not divide n = %lld", fn, b, static_cast<long long>(n));
  if (a_stride < n || c_stride < n)
    return fail(PA_ERR_SIZE, "%s: row strides %s_stride = %lld, %s_stride = %lld must be >= n = %lld", fn, a_name,
                static_cast<long long>(a_stride), c_name, static_cast<long long>(c_stride), static_cast<long long>(n));
  if (rows == 0 || n == 0) return PA_OK;
  const int64_t a_span = checked_product(rows - 1, a_stride);
  const int64_t c_span = checked_product(rows - 1, c_stride);
  if (a_span < 0 || c_span < 0 || a_span > INT64_MAX / 8 - n || c_span > INT64_MAX / 8 - n)
    return fail(PA_ERR_SIZE, "%s: rows * stride overflows", fn);
  *a_bytes = static_cast<uintptr_t>(a_span + n) * sizeof(float);
  *c_bytes = static_cast<uintptr_t>(c_span + n) * sizeof(float);
  return PA_OK;
}

bool overlap(const void* a, uintptr_t a_bytes, const void* c, uintptr_t c_bytes) {
  const uintptr_t a0 = reinterpret_cast<uintptr_t>(a), c0 = reinterpret_cast<uintptr_t>(c);
  return a0 < c0 + c_bytes && c0 < a0 + a_bytes;
}

template <typename T>
int64_t first_nonfinite_impl(const T* p, int64_t count) {
  // Inf and NaN are exactly the values whose exponent bits are all ones. Testing the bits is an
  // integer OR-reduction, which the compiler vectorises (a floating-point sum would be a serial
  // dependency chain: without reassociation it cannot be split across lanes). The slow search for
  // the index only runs when something is wrong.
  using U = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
  constexpr U kExp = sizeof(T) == 4 ? U(0x7f800000u) : U(0x7ff0000000000000ull);
  U bad = 0;
  for (int64_t i = 0; i < count; ++i) {
    U u;
    std::memcpy(&u, p + i, sizeof(U));
    bad |= static_cast<U>((u & kExp) == kExp);
  }
  if (bad == 0) return -1;
  for (int64_t i = 0; i < count; ++i)
    if (!std::isfinite(p[i])) return i;
  return -1;
}

template <typename T>
int require_finite_impl(const char* fn, const char* what, const T* p, int64_t count) {
  const int64_t bad = first_nonfinite_impl(p, count);
  if (bad < 0) return PA_OK;
  return fail(PA_ERR_NONFINITE, "%s: %s[%lld] = %g is not finite", fn, what, static_cast<long long>(bad),
              static_cast<double>(p[bad]));
}

template <typename T>
int require_finite_cayley_result_impl(const char* fn, const T* r, int64_t count) {
  const int64_t bad = first_nonfinite_impl(r, count);
  if (bad < 0) return PA_OK;
  return fail(PA_ERR_NONFINITE, "%s: result r[%lld] is not finite (scale * q too large for this precision)", fn,
              static_cast<long long>(bad));
}

}  // namespace

int check_cayley_args(const char* fn, const void* q, int64_t batch, int32_t b, int32_t terms, double scale,
                      const void* r) {
  if (q == nullptr) return null_arg(fn, "q");
  if (r == nullptr) return null_arg(fn, "r");
  if (int st = check_cayley_sizes(fn, batch, b, terms)) return st;
  if (!std::isfinite(scale)) return fail(PA_ERR_NONFINITE, "%s: scale = %g is not finite", fn, scale);
  return check_cayley_extent(fn, batch, b);
}

int check_cayley_vjp_args(const char* fn, const void* q, const void* r, const void* g, int64_t batch, int32_t b,
                          int32_t terms, const void* dq) {
  if (q == nullptr) return null_arg(fn, "q");
  if (g == nullptr) return null_arg(fn, "g");
  if (dq == nullptr) return null_arg(fn, "dq");
  if (terms == PA_CAYLEY_EXACT && r == nullptr) return null_arg(fn, "r");
  if (int st = check_cayley_sizes(fn, batch, b, terms)) return st;
  return check_cayley_extent(fn, batch, b);
}

int check_block_rotate_args(const char* fn, const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r,
                            int32_t b, int32_t transpose, const float* y, int64_t y_stride) {
  if (x == nullptr) return null_arg(fn, "x");
  if (r == nullptr) return null_arg(fn, "r");
  if (y == nullptr) return null_arg(fn, "y");
  uintptr_t x_bytes, y_bytes;
  if (int st = check_blocked_rows(fn, rows, n, b, "x", x_stride, "y", y_stride, &x_bytes, &y_bytes)) return st;
  if (transpose != 0 && transpose != 1) return fail(PA_ERR_SIZE, "%s: transpose = %d must be 0 or 1", fn, transpose);
  if (overlap(x, x_bytes, y, y_bytes))
    return fail(PA_ERR_SIZE, "%s: x and y overlap; the rotation cannot run in place", fn);
  return PA_OK;
}

int check_block_cross_args(const char* fn, const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* g,
                           int64_t g_stride, int32_t b, const float* out) {
  if (x == nullptr) return null_arg(fn, "x");
  if (g == nullptr) return null_arg(fn, "g");
  if (out == nullptr) return null_arg(fn, "out");
  uintptr_t x_bytes, g_bytes;
  if (int st = check_blocked_rows(fn, rows, n, b, "x", x_stride, "g", g_stride, &x_bytes, &g_bytes)) return st;
  if (rows == 0 || n == 0) return PA_OK;
  const uintptr_t out_bytes = static_cast<uintptr_t>(n / b * b * b) * sizeof(float);
  if (overlap(out, out_bytes, x, x_bytes) || overlap(out, out_bytes, g, g_bytes))
    return fail(PA_ERR_SIZE, "%s: out overlaps x or g", fn);
  return PA_OK;
}

int check_svd_args(const char* fn, const void* a, int64_t batch, int32_t m, int32_t n, const void* s) {
  if (a == nullptr) return null_arg(fn, "a");
  if (s == nullptr) return null_arg(fn, "s");
  if (int st = check_batch(fn, batch)) return st;
  if (m < 1 || m > PA_SVD_MAX_DIM || n < 1 || n > PA_SVD_MAX_DIM)
    return fail(PA_ERR_SIZE, "%s: matrix shape %d x %d must have 1 <= m, n <= %d", fn, m, n, PA_SVD_MAX_DIM);
  if (checked_product(batch, m, n) < 0)
    return fail(PA_ERR_SIZE, "%s: batch = %lld is too large", fn, static_cast<long long>(batch));
  return PA_OK;
}

int check_procrustes_args(const char* fn, const void* x1, const void* x0, int64_t batch, int64_t rows, int32_t d,
                          const void* rot, const void* residual) {
  if (x1 == nullptr) return null_arg(fn, "x1");
  if (x0 == nullptr) return null_arg(fn, "x0");
  if (rot == nullptr && residual == nullptr) return fail(PA_ERR_NULL, "%s: rot and residual are both null", fn);
  if (batch < 0 || rows < 0)
    return fail(PA_ERR_SIZE, "%s: batch = %lld and rows = %lld must be >= 0", fn, static_cast<long long>(batch),
                static_cast<long long>(rows));
  if (d < 1 || d > PA_PROCRUSTES_MAX_DIM)
    return fail(PA_ERR_SIZE, "%s: d = %d must be in 1..%d", fn, d, PA_PROCRUSTES_MAX_DIM);
  if (checked_product(batch, rows, d) < 0) return fail(PA_ERR_SIZE, "%s: batch * rows * d overflows", fn);
  return PA_OK;
}

int check_residual_args(const char* fn, const void* m, int32_t d, double x1_sq, double x0_sq, const void* residual) {
  if (m == nullptr) return null_arg(fn, "m");
  if (residual == nullptr) return null_arg(fn, "residual");
  if (d < 1 || d > PA_RESIDUAL_MAX_DIM) return fail(PA_ERR_SIZE, "%s: d = %d must be in 1..%d", fn, d, PA_RESIDUAL_MAX_DIM);
  if (!std::isfinite(x1_sq) || !std::isfinite(x0_sq) || x1_sq < 0.0 || x0_sq < 0.0)
    return fail(PA_ERR_NONFINITE, "%s: squared norms x1_sq = %g, x0_sq = %g must be finite and >= 0", fn, x1_sq, x0_sq);
  return PA_OK;
}

int64_t first_nonfinite(const float* p, int64_t count) { return first_nonfinite_impl(p, count); }
int64_t first_nonfinite(const double* p, int64_t count) { return first_nonfinite_impl(p, count); }

int require_finite(const char* fn, const char* what, const float* p, int64_t count) {
  return require_finite_impl(fn, what, p, count);
}
int require_finite(const char* fn, const char* what, const double* p, int64_t count) {
  return require_finite_impl(fn, what, p, count);
}

int require_finite_cayley_result(const char* fn, const float* r, int64_t count) {
  return require_finite_cayley_result_impl(fn, r, count);
}
int require_finite_cayley_result(const char* fn, const double* r, int64_t count) {
  return require_finite_cayley_result_impl(fn, r, count);
}

}  // namespace pa
