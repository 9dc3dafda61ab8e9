// Entry points of the batched Cayley transform (validation, threading, dispatch).
#include <algorithm>
#include <cmath>

#include "checks.hpp"
#include "kernel_table.hpp"
#include "parallel.hpp"

namespace {

constexpr int kMaxNeumannTerms = 64;

template <typename T>
int cayley_entry(const char* fn, const T* q, int64_t batch, int32_t b, int32_t terms, T scale, T* r,
                 void (*kernel)(const T*, int64_t, int64_t, int, int, T, T*, T*)) {
  PA_REQUIRE_PTR(q);
  PA_REQUIRE_PTR(r);
  if (batch < 0) return pa::fail(PA_ERR_SIZE, "%s: batch = %lld must be >= 0", fn, static_cast<long long>(batch));
  if (b < 2 || b > 128) return pa::fail(PA_ERR_SIZE, "%s: block size b = %d must be in 2..128", fn, b);
  if (terms < 0 || terms > kMaxNeumannTerms)
    return pa::fail(PA_ERR_SIZE, "%s: terms = %d must be 0 (exact) or 1..%d (Cayley-Neumann)", fn, terms,
                    kMaxNeumannTerms);
  if (!std::isfinite(scale)) return pa::fail(PA_ERR_NONFINITE, "%s: scale = %g is not finite", fn, static_cast<double>(scale));
  const int64_t packed = static_cast<int64_t>(b) * (b - 1) / 2;
  if (pa::checked_product(batch, b, b) < 0) return pa::fail(PA_ERR_SIZE, "%s: batch = %lld is too large", fn, static_cast<long long>(batch));
  if (batch == 0) return PA_OK;
  if (int st = pa::require_finite(fn, "q", q, batch * packed)) return st;
  const int64_t min_chunk = std::max<int64_t>(1, 8192 / (static_cast<int64_t>(b) * b));
  const int st = pa::parallel_for(batch, min_chunk, [&](int64_t begin, int64_t end) {
    pa::AlignedBuffer<T> work(pa::cayley_work_elems(b));
    PA_REQUIRE_ALLOC(work, fn);
    kernel(q, begin, end, b, terms, scale, r, work.get());
    return PA_OK;
  });
  if (st != PA_OK) return st;
  // Finite q can still overflow once scaled or raised to powers; report it instead of returning Inf/NaN.
  const int64_t bad = pa::first_nonfinite(r, batch * b * b);
  if (bad >= 0)
    return pa::fail(PA_ERR_NONFINITE, "%s: result r[%lld] is not finite (scale * q too large for this precision)", fn,
                    static_cast<long long>(bad));
  return PA_OK;
}

}  // namespace

extern "C" {

int pa_cayley_f32(const float* q, int64_t batch, int32_t b, int32_t terms, float scale, float* r) {
  return cayley_entry<float>(__func__, q, batch, b, terms, scale, r, pa::active_kernels().cayley_f32);
}

int pa_cayley_f64(const double* q, int64_t batch, int32_t b, int32_t terms, double scale, double* r) {
  return cayley_entry<double>(__func__, q, batch, b, terms, scale, r, pa::active_kernels().cayley_f64);
}

int pa_cayley_vjp_f32(const float* q, const float* r, const float* g, int64_t batch, int32_t b, int32_t terms,
                      float* dq) {
  const char* fn = __func__;
  PA_REQUIRE_PTR(q);
  PA_REQUIRE_PTR(g);
  PA_REQUIRE_PTR(dq);
  if (terms == 0) PA_REQUIRE_PTR(r);
  if (batch < 0) return pa::fail(PA_ERR_SIZE, "%s: batch = %lld must be >= 0", fn, static_cast<long long>(batch));
  if (b < 2 || b > 128) return pa::fail(PA_ERR_SIZE, "%s: block size b = %d must be in 2..128", fn, b);
  if (terms < 0 || terms > kMaxNeumannTerms)
    return pa::fail(PA_ERR_SIZE, "%s: terms = %d must be 0 (exact) or 1..%d (Cayley-Neumann)", fn, terms,
                    kMaxNeumannTerms);
  if (pa::checked_product(batch, b, b) < 0) return pa::fail(PA_ERR_SIZE, "%s: batch = %lld is too large", fn, static_cast<long long>(batch));
  if (batch == 0) return PA_OK;
  const auto kernel = pa::active_kernels().cayley_vjp_f32;
  const int64_t per_item = 8 * static_cast<int64_t>(b) * b * b;
  const int64_t min_chunk = std::max<int64_t>(1, (int64_t{4} << 20) / per_item);
  return pa::parallel_for(batch, min_chunk, [&](int64_t begin, int64_t end) {
    pa::AlignedBuffer<float> work(pa::cayley_vjp_work_elems(b, terms));
    PA_REQUIRE_ALLOC(work, fn);
    kernel(q, terms == 0 ? r : nullptr, g, begin, end, b, terms, dq, work.get());
    return PA_OK;
  });
}

}
