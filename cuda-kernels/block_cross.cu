// Gradient of the block rotation with respect to its blocks (OFT training backward):
// out[j] = X_j^T G_j summed over all rows, out[j][k][c] = sum_r x[r, j*b + k] g[r, j*b + c].
// A batched small GEMM reduction over rows, deterministic (no float atomics):
//  pass 1: each CUDA block owns a group of column blocks and a chunk of rows; rows are staged in
//          shared-memory tiles (zero-padded to bp = tpd * TM columns per block) and every thread
//          accumulates a TM x TM micro-tile of one b x b output in registers, rows
//          ti + a * tpd and columns tj + e * tpd (strided, so a warp's shared loads are
//          conflict-free or broadcasts). Small b put several column blocks in one CUDA block.
//  pass 2: when the rows were split into several chunks, the partial b x b sums (stream-ordered
//          scratch from cudaMallocAsync) are added in chunk order; with one chunk pass 1 writes
//          out directly. The chunking depends on the shapes only, so results are reproducible.
#include "pa_arg_checks.hpp"
#include "cuda_common.cuh"
#include "cuda_launchers.cuh"

namespace pa::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int kTileRows = 16;                        // rows per shared-memory tile
constexpr int64_t kTargetBlocks = 512;               // CUDA blocks pass 1 aims for
constexpr int64_t kMinChunkRows = 256;               // rows a CUDA block gets at least
constexpr int64_t kMaxScratchFloats = int64_t{1} << 23;  // partial sums kept at most (32 MB)

// Micro-tile edge for block size b: tpd = ceil(b / TM) <= 16, so a b x b output needs at most 256 threads.
int micro_tile(int b) { return b <= 8 ? 1 : b <= 32 ? 2 : b <= 64 ? 4 : 8; }

template <int TM>
__global__ void __launch_bounds__(kThreads)
    cross_partial_kernel(const float* __restrict__ x, int64_t rows, int64_t x_stride, const float* __restrict__ g,
                         int64_t g_stride, int b, int tpd, int groups, int64_t nblocks, int64_t ngroups,
                         int64_t chunk_rows, int64_t chunks, float* __restrict__ part) {
  PA_DYNAMIC_SMEM(float, smem);
  const int bp = tpd * TM;          // padded block width in shared memory
  const int width = groups * bp;    // one tile row: the column blocks of this CUDA block
  float* xs = smem;
  float* gs = smem + kTileRows * width;
  const int tid = static_cast<int>(threadIdx.x);
  const int per_block = tpd * tpd;  // threads per b x b output
  const int group = tid / per_block;
  const int p = tid % per_block;
  const int ti = p / tpd, tj = p % tpd;
  const int64_t bb = static_cast<int64_t>(b) * b;
  for (int64_t work = blockIdx.x; work < ngroups * chunks; work += gridDim.x) {
    const int64_t jg = work % ngroups;
    const int64_t chunk = work / ngroups;
    const int64_t row0 = chunk * chunk_rows;
    const int64_t row_end = row0 + chunk_rows < rows ? row0 + chunk_rows : rows;
    const int64_t j0 = jg * groups;
    float acc[TM][TM];
#pragma unroll
    for (int a = 0; a < TM; ++a)
#pragma unroll
      for (int e = 0; e < TM; ++e) acc[a][e] = 0.0f;
    for (int64_t t0 = row0; t0 < row_end; t0 += kTileRows) {
      const int tile = static_cast<int>(row_end - t0 < kTileRows ? row_end - t0 : kTileRows);
      __syncthreads();  // the previous tile has been read
      for (int idx = tid; idx < kTileRows * width; idx += kThreads) {
        const int u = idx / width, col = idx % width;
        const int gi = col / bp, k = col % bp;
        const bool valid = u < tile && k < b && j0 + gi < nblocks;
        const int64_t src = (j0 + gi) * b + k;
        xs[idx] = valid ? x[(t0 + u) * x_stride + src] : 0.0f;
        gs[idx] = valid ? g[(t0 + u) * g_stride + src] : 0.0f;
      }
      __syncthreads();
      if (group < groups) {
        const float* xr = xs + group * bp + ti;
        const float* gr = gs + group * bp + tj;
        for (int u = 0; u < tile; ++u) {
          float xv[TM], gv[TM];
#pragma unroll
          for (int a = 0; a < TM; ++a) xv[a] = xr[u * width + a * tpd];
#pragma unroll
          for (int e = 0; e < TM; ++e) gv[e] = gr[u * width + e * tpd];
#pragma unroll
          for (int a = 0; a < TM; ++a)
#pragma unroll
            for (int e = 0; e < TM; ++e) acc[a][e] = fmaf(xv[a], gv[e], acc[a][e]);
        }
      }
    }
    const int64_t j = j0 + group;
    if (group < groups && j < nblocks) {
      float* dst = part + chunk * nblocks * bb + j * bb;
#pragma unroll
      for (int a = 0; a < TM; ++a) {
        const int k = ti + a * tpd;
#pragma unroll
        for (int e = 0; e < TM; ++e) {
          const int c = tj + e * tpd;
          if (k < b && c < b) dst[k * b + c] = acc[a][e];
        }
      }
    }
  }
}

// out[e] = sum over chunks of part[chunk][e], in chunk order.
__global__ void __launch_bounds__(kThreads)
    cross_reduce_kernel(const float* __restrict__ part, int64_t chunks, int64_t count, float* __restrict__ out) {
  for (int64_t e = static_cast<int64_t>(blockIdx.x) * kThreads + threadIdx.x; e < count;
       e += static_cast<int64_t>(gridDim.x) * kThreads) {
    float sum = part[e];
    for (int64_t c = 1; c < chunks; ++c) sum += part[c * count + e];
    out[e] = sum;
  }
}

template <int TM>
int launch_partial(const float* x, int64_t rows, int64_t x_stride, const float* g, int64_t g_stride, int b, int tpd,
                   int groups, int64_t nblocks, int64_t ngroups, int64_t chunk_rows, int64_t chunks, float* part,
                   cudaStream_t stream) {
  const size_t shared = sizeof(float) * 2 * kTileRows * static_cast<size_t>(groups) * tpd * TM;
  return launch("block_cross_partial_kernel", cross_partial_kernel<TM>, dim3(grid_for(ngroups * chunks, 1)),
                dim3(kThreads), shared, stream, x, rows, x_stride, g, g_stride, b, tpd, groups, nblocks, ngroups,
                chunk_rows, chunks, part);
}

}  // namespace

int run_block_cross(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* g, int64_t g_stride, int b,
                    float* out, cudaStream_t stream) {
  if (n == 0) return PA_OK;
  const int64_t nblocks = n / b;
  const int64_t count = nblocks * b * b;
  if (rows == 0) {  // an empty sum, as the CPU kernel writes it
    PA_CUDA_TRY(cudaMemsetAsync(out, 0, static_cast<size_t>(count) * sizeof(float), stream), "pa_cuda_block_cross");
    return PA_OK;
  }
  const int tm = micro_tile(b);
  const int tpd = (b + tm - 1) / tm;
  const int groups = kThreads / (tpd * tpd);
  const int64_t ngroups = (nblocks + groups - 1) / groups;
  int64_t chunks = (kTargetBlocks + ngroups - 1) / ngroups;
  const int64_t by_rows = (rows + kMinChunkRows - 1) / kMinChunkRows;
  const int64_t by_scratch = kMaxScratchFloats / count;
  if (chunks > by_rows) chunks = by_rows;
  if (chunks > by_scratch) chunks = by_scratch;
  if (chunks < 1) chunks = 1;
  int64_t chunk_rows = (rows + chunks - 1) / chunks;
  chunk_rows = (chunk_rows + kTileRows - 1) / kTileRows * kTileRows;
  chunks = (rows + chunk_rows - 1) / chunk_rows;

  StreamScratch scratch(stream);
  float* part = out;
  if (chunks > 1) {
    void* p = nullptr;
    if (int st = scratch.alloc(&p, sizeof(float) * static_cast<size_t>(chunks * count), "pa_cuda_block_cross"))
      return st;
    part = static_cast<float*>(p);
  }
  int st = PA_OK;
  switch (tm) {
    case 1: st = launch_partial<1>(x, rows, x_stride, g, g_stride, b, tpd, groups, nblocks, ngroups, chunk_rows, chunks, part, stream); break;
    case 2: st = launch_partial<2>(x, rows, x_stride, g, g_stride, b, tpd, groups, nblocks, ngroups, chunk_rows, chunks, part, stream); break;
    case 4: st = launch_partial<4>(x, rows, x_stride, g, g_stride, b, tpd, groups, nblocks, ngroups, chunk_rows, chunks, part, stream); break;
    default: st = launch_partial<8>(x, rows, x_stride, g, g_stride, b, tpd, groups, nblocks, ngroups, chunk_rows, chunks, part, stream); break;
  }
  if (st != PA_OK || chunks == 1) return st;
  return launch("block_cross_reduce_kernel", cross_reduce_kernel, dim3(grid_for(count, kThreads, 4096)), dim3(kThreads),
                0, stream, static_cast<const float*>(part), chunks, count, out);
}

}  // namespace pa::cuda

extern "C" int pa_cuda_block_cross_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* g,
                                       int64_t g_stride, int32_t b, float* out, void* stream) {
  int st = pa::check_block_cross_args(__func__, x, rows, n, x_stride, g, g_stride, b, out);
  if (st != PA_OK) return st;
  if ((st = pa::cuda::check_device_args(__func__, {{"x", x}, {"g", g}, {"out", out}}, stream)) != PA_OK) return st;
  return pa::cuda::run_block_cross(x, rows, n, x_stride, g, g_stride, b, out, static_cast<cudaStream_t>(stream));
}
