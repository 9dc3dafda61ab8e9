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

// Shape checks of two fp32 operands [rows, n] with row strides, n split into blocks of b; on
// success a_bytes and c_bytes receive each operand's extent in bytes (0 when rows or n is 0).
int check_blocked_rows(const char* fn, int64_t rows, int64_t n, int32_t b, const char* a_name, int64_t a_stride,
                       const char* c_name, int64_t c_stride, uintptr_t* a_bytes, uintptr_t* c_bytes) {
  *a_bytes = *c_bytes = 0;
  if (rows < 0 || n < 0)
    return pa::fail(PA_ERR_SIZE, "%s: rows = %lld and n = %lld must be >= 0", fn, static_cast<long long>(rows),
                    static_cast<long long>(n));
  if (b < 1 || b > 128) return pa::fail(PA_ERR_SIZE, "%s: block size b = %d must be in 1..128", fn, b);
  if (n % b != 0)
    return pa::fail(PA_ERR_SIZE, "%s: block size b = %d does not divide n = %lld", fn, b, static_cast<long long>(n));
  if (a_stride < n || c_stride < n)
    return pa::fail(PA_ERR_SIZE, "%s: row strides %s_stride = %lld, %s_stride = %lld must be >= n = %lld", fn, a_name,
                    static_cast<long long>(a_stride), c_name, static_cast<long long>(c_stride), static_cast<long long>(n));
  if (rows == 0 || n == 0) return PA_OK;
  const int64_t a_span = pa::checked_product(rows - 1, a_stride);
  const int64_t c_span = pa::checked_product(rows - 1, c_stride);
  if (a_span < 0 || c_span < 0 || a_span > INT64_MAX / 8 - n || c_span > INT64_MAX / 8 - n)
    return pa::fail(PA_ERR_SIZE, "%s: rows * stride overflows", fn);
  *a_bytes = static_cast<uintptr_t>(a_span + n) * sizeof(float);
  *c_bytes = static_cast<uintptr_t>(c_span + n) * sizeof(float);
  return PA_OK;
}

bool overlap(const void* a, uintptr_t a_bytes, const void* c, uintptr_t c_bytes) {
  const uintptr_t a0 = reinterpret_cast<uintptr_t>(a), c0 = reinterpret_cast<uintptr_t>(c);
  return a0 < c0 + c_bytes && c0 < a0 + a_bytes;
}
}  // namespace

extern "C" {

int pa_block_rotate_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r, int32_t b,
                        int32_t transpose, float* y, int64_t y_stride) {
  const char* fn = __func__;
  PA_REQUIRE_PTR(x);
  PA_REQUIRE_PTR(r);
  PA_REQUIRE_PTR(y);
  uintptr_t x_bytes, y_bytes;
  if (int st = check_blocked_rows(fn, rows, n, b, "x", x_stride, "y", y_stride, &x_bytes, &y_bytes)) return st;
  if (transpose != 0 && transpose != 1) return pa::fail(PA_ERR_SIZE, "%s: transpose = %d must be 0 or 1", fn, transpose);
  if (rows == 0 || n == 0) return PA_OK;
  if (overlap(x, x_bytes, y, y_bytes)) return pa::fail(PA_ERR_SIZE, "%s: x and y overlap; the rotation cannot run in place", fn);
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
  PA_REQUIRE_PTR(x);
  PA_REQUIRE_PTR(g);
  PA_REQUIRE_PTR(out);
  uintptr_t x_bytes, g_bytes;
  if (int st = check_blocked_rows(fn, rows, n, b, "x", x_stride, "g", g_stride, &x_bytes, &g_bytes)) return st;
  if (n == 0) return PA_OK;
  const int64_t nblocks = n / b;
  const int64_t bb = static_cast<int64_t>(b) * b;
  const uintptr_t out_bytes = static_cast<uintptr_t>(nblocks * bb) * sizeof(float);
  if (rows > 0 && (overlap(out, out_bytes, x, x_bytes) || overlap(out, out_bytes, g, g_bytes)))
    return pa::fail(PA_ERR_SIZE, "%s: out overlaps x or g", fn);
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
