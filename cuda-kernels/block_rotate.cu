// Block rotation apply (OFT input-centric forward): y[:, jb:(j+1)b] = x[:, jb:(j+1)b] @ R_j (or R_j^T).
// Each CUDA block owns one column block j and a chunk of rows. For b <= 32 lane c of a W-lane
// group keeps column c of R_j in registers; a group loads 8 rows of its slice with coalesced
// loads (8 loads in flight per lane), stages them in shared memory and reads them back as float4
// broadcasts. Larger b stage R_j and row tiles in shared memory.
#include "pa_arg_checks.hpp"
#include "cuda_common.cuh"
#include "cuda_launchers.cuh"

namespace pa::cuda {
namespace {

constexpr int kWarps = 4;
constexpr int kThreads = kWarps * 32;
constexpr int kUnroll = 8;          // rows a group has in flight
constexpr int kLargeTile = 16;      // rows per shared-memory tile for b > 32
constexpr int kLargeChunk = 64;     // rows per CUDA block for b > 32

template <int W>
__global__ void __launch_bounds__(kThreads)
    rotate_small_kernel(const float* __restrict__ x, int64_t rows, int64_t x_stride, const float* __restrict__ r, int b,
                        int transpose, float* __restrict__ y, int64_t y_stride, int64_t nblocks, int64_t chunk_rows) {
  constexpr int G = 32 / W;
  constexpr int U = kUnroll;
  PA_DYNAMIC_SMEM(float, smem);
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int group = lane / W;
  const int c = lane % W;
  float* xs = smem + (warp * G + group) * U * W;
  const int64_t chunks = (rows + chunk_rows - 1) / chunk_rows;
  for (int64_t work = blockIdx.x; work < nblocks * chunks; work += gridDim.x) {
    const int64_t jblk = work % nblocks;
    const int64_t row0 = (work / nblocks) * chunk_rows;
    const int64_t row_end = row0 + chunk_rows < rows ? row0 + chunk_rows : rows;
    const int64_t col0 = jblk * b;
    const float* rj = r + jblk * b * b;
    float rc[W];  // column c of the effective rotation (R_j, or R_j^T)
#pragma unroll
    for (int k = 0; k < W; ++k)
      rc[k] = (k < b && c < b) ? (transpose ? rj[c * b + k] : rj[k * b + c]) : 0.0f;
    for (int64_t wb = row0 + static_cast<int64_t>(warp) * G * U; wb < row_end; wb += static_cast<int64_t>(kWarps) * G * U) {
      const int64_t gb = wb + static_cast<int64_t>(group) * U;
      float v[U];
#pragma unroll
      for (int u = 0; u < U; ++u) v[u] = (gb + u < row_end && c < b) ? x[(gb + u) * x_stride + col0 + c] : 0.0f;
#pragma unroll
      for (int u = 0; u < U; ++u) xs[u * W + c] = v[u];
      __syncwarp();
#pragma unroll
      for (int u = 0; u < U; ++u) {
        const float4* row = reinterpret_cast<const float4*>(xs + u * W);
        float acc = 0.0f;
#pragma unroll
        for (int k = 0; k < W; k += 4) {
          const float4 a = row[k / 4];
          acc = fmaf(a.x, rc[k], acc);
          acc = fmaf(a.y, rc[k + 1], acc);
          acc = fmaf(a.z, rc[k + 2], acc);
          acc = fmaf(a.w, rc[k + 3], acc);
        }
        if (gb + u < row_end && c < b) y[(gb + u) * y_stride + col0 + c] = acc;
      }
      __syncwarp();
    }
  }
}

// b > 32: Rs = effective R_j [b, b] and a row tile xs [kLargeTile, b] in shared memory; thread t
// computes column t % b for rows t / b, t / b + groups, ... four rows at a time.
__global__ void __launch_bounds__(kThreads)
    rotate_large_kernel(const float* __restrict__ x, int64_t rows, int64_t x_stride, const float* __restrict__ r, int b,
                        int transpose, float* __restrict__ y, int64_t y_stride, int64_t nblocks) {
  PA_DYNAMIC_SMEM(float, smem);
  float* rs = smem;
  float* xs = rs + b * b;
  const int tid = static_cast<int>(threadIdx.x);
  const int groups = kThreads / b;
  const int c = tid % b;
  const int rg = tid / b;
  const int64_t chunks = (rows + kLargeChunk - 1) / kLargeChunk;
  for (int64_t work = blockIdx.x; work < nblocks * chunks; work += gridDim.x) {
    const int64_t jblk = work % nblocks;
    const int64_t row0 = (work / nblocks) * kLargeChunk;
    const int64_t row_end = row0 + kLargeChunk < rows ? row0 + kLargeChunk : rows;
    const int64_t col0 = jblk * b;
    const float* rj = r + jblk * b * b;
    for (int idx = tid; idx < b * b; idx += kThreads) {
      const int k = idx / b, cc = idx % b;
      rs[idx] = transpose ? rj[cc * b + k] : rj[idx];
    }
    for (int64_t t0 = row0; t0 < row_end; t0 += kLargeTile) {
      const int tile = static_cast<int>(row_end - t0 < kLargeTile ? row_end - t0 : kLargeTile);
      __syncthreads();
      for (int idx = tid; idx < kLargeTile * b; idx += kThreads) {
        const int u = idx / b, k = idx % b;
        xs[idx] = u < tile ? x[(t0 + u) * x_stride + col0 + k] : 0.0f;
      }
      __syncthreads();
      if (rg < groups) {
        for (int u0 = 4 * rg; u0 < tile; u0 += 4 * groups) {
          float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
          for (int k = 0; k < b; ++k) {
            const float rk = rs[k * b + c];
#pragma unroll
            for (int uu = 0; uu < 4; ++uu) acc[uu] = fmaf(xs[(u0 + uu) * b + k], rk, acc[uu]);
          }
#pragma unroll
          for (int uu = 0; uu < 4; ++uu)
            if (u0 + uu < tile) y[(t0 + u0 + uu) * y_stride + col0 + c] = acc[uu];
        }
      }
    }
    __syncthreads();
  }
}

template <int W>
int launch_small(const float* x, int64_t rows, int64_t x_stride, const float* r, int b, int transpose, float* y,
                 int64_t y_stride, int64_t nblocks, cudaStream_t stream) {
  constexpr int G = 32 / W;
  const int64_t chunk_rows = static_cast<int64_t>(kWarps) * G * kUnroll * 4;
  const int64_t chunks = (rows + chunk_rows - 1) / chunk_rows;
  const size_t shared = sizeof(float) * static_cast<size_t>(kWarps) * G * kUnroll * W;
  return launch("rotate_small_kernel", rotate_small_kernel<W>, dim3(grid_for(nblocks * chunks, 1)), dim3(kThreads),
                shared, stream, x, rows, x_stride, r, b, transpose, y, y_stride, nblocks, chunk_rows);
}

}  // namespace

int run_block_rotate(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r, int b, int transpose,
                     float* y, int64_t y_stride, cudaStream_t stream) {
  if (rows == 0 || n == 0) return PA_OK;
  const int64_t nblocks = n / b;
  return by_group_width(
      b,
      [&](auto w) {
        return launch_small<decltype(w)::value>(x, rows, x_stride, r, b, transpose, y, y_stride, nblocks, stream);
      },
      [&] {
        const int64_t chunks = (rows + kLargeChunk - 1) / kLargeChunk;
        const size_t shared = sizeof(float) * (static_cast<size_t>(b) * b + static_cast<size_t>(kLargeTile) * b);
        return launch("rotate_large_kernel", rotate_large_kernel, dim3(grid_for(nblocks * chunks, 1)), dim3(kThreads),
                      shared, stream, x, rows, x_stride, r, b, transpose, y, y_stride, nblocks);
      });
}

}  // namespace pa::cuda

extern "C" int pa_cuda_block_rotate_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r,
                                        int32_t b, int32_t transpose, float* y, int64_t y_stride, void* stream) {
  int st = pa::check_block_rotate_args(__func__, x, rows, n, x_stride, r, b, transpose, y, y_stride);
  if (st != PA_OK) return st;
  if ((st = pa::cuda::check_device_args(__func__, {{"x", x}, {"r", r}, {"y", y}}, stream)) != PA_OK) return st;
  return pa::cuda::run_block_rotate(x, rows, n, x_stride, r, b, transpose, y, y_stride, static_cast<cudaStream_t>(stream));
}
