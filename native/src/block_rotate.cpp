// Entry point of the block-diagonal rotation apply (validation, transposition, threading).
#include <algorithm>
#include <cstdint>

#include "checks.hpp"
#include "kernel_table.hpp"
#include "parallel.hpp"

namespace {
// Multiply-adds a thread must get before the work is split: starting a thread costs tens of
// microseconds, about what one core does in this many multiply-adds, so the small rotations of a
// training step (e.g. 1024 x 192, b = 16: 3.1M) run on the calling thread.
constexpr int64_t kMinChunkWork = int64_t{4} << 20;
}  // namespace

extern "C" {

int pa_block_rotate_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r, int32_t b,
                        int32_t transpose, float* y, int64_t y_stride) {
  const char* fn = __func__;
  if (int st = pa::check_block_rotate_args(fn, x, rows, n, x_stride, r, b, transpose, y, y_stride)) return st;
  if (rows == 0 || n == 0) return PA_OK;
  const int64_t nblocks = n / b;
  const int64_t bb = static_cast<int64_t>(b) * b;
  if (int st = pa::require_finite(fn, "r", r, nblocks * bb)) return st;

  const float* rb = r;
  pa::AlignedBuffer<float> rt(transpose ? nblocks * bb : 1);
  PA_REQUIRE_ALLOC(rt, fn);
  if (transpose) {
    for (int64_t j = 0; j < nblocks; ++j)
      for (int64_t k = 0; k < b; ++k)
        for (int64_t c = 0; c < b; ++c) rt.get()[j * bb + c * b + k] = r[j * bb + k * b + c];
    rb = rt.get();
  }
  const auto kernel = pa::active_kernels().block_rotate_f32;
  const int64_t min_rows = std::max<int64_t>(8, kMinChunkWork / std::max<int64_t>(1, n * b));
  return pa::parallel_for(rows, min_rows, [&](int64_t r0, int64_t r1) {
    kernel(x, r0, r1, n, x_stride, rb, b, y, y_stride);
    return PA_OK;
  });
}

int pa_block_cross_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* g, int64_t g_stride,
                       int32_t b, float* out) {
  const char* fn = __func__;
  if (int st = pa::check_block_cross_args(fn, x, rows, n, x_stride, g, g_stride, b, out)) return st;
  if (n == 0) return PA_OK;
  const int64_t nblocks = n / b;
  const int64_t bb = static_cast<int64_t>(b) * b;
  if (rows == 0) {
    for (int64_t i = 0; i < nblocks * bb; ++i) out[i] = 0.0f;
    return PA_OK;
  }
  const auto kernel = pa::active_kernels().block_cross_f32;
  const int64_t min_blocks = std::max<int64_t>(1, kMinChunkWork / std::max<int64_t>(1, rows * bb));
  return pa::parallel_for(nblocks, min_blocks, [&](int64_t j0, int64_t j1) {
    kernel(x, x_stride, g, g_stride, rows, b, j0, j1, out);
    return PA_OK;
  });
}

}
