// Entry points of the batched Cayley transform (validation, threading, dispatch).
#include <algorithm>

#include "checks.hpp"
#include "kernel_table.hpp"
#include "parallel.hpp"

namespace {

template <typename T>
int cayley_entry(const char* fn, const T* q, int64_t batch, int32_t b, int32_t terms, T scale, T* r,
                 void (*kernel)(const T*, int64_t, int64_t, int, int, T, T*, T*)) {
  if (int st = pa::check_cayley_args(fn, q, batch, b, terms, static_cast<double>(scale), r)) return st;
  const int64_t packed = static_cast<int64_t>(b) * (b - 1) / 2;
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
  return pa::require_finite_cayley_result(fn, r, batch * b * b);
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
  if (int st = pa::check_cayley_vjp_args(fn, q, r, g, batch, b, terms, dq)) return st;
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
