// Batched Cayley transform of packed skew generators: the Cayley-Neumann series with HF PEFT's
// coefficients, or the exact R = (I - Q)(I + Q)^-1 = 2 (I + Q)^-1 - I by Gauss-Jordan.
// b <= 32: lane j of a W-lane group owns column j of the running matrix in registers and reads
// rows of Q as float4 broadcasts from shared memory, so a Horner step Q * T never leaves the
// lane. Larger b: one block per matrix, everything in shared memory.
#include "cuda_common.cuh"
#include "cuda_launchers.cuh"
#include "pa_arg_checks.hpp"
#include "pa_kernel_spec.h"

namespace pa::cuda {
namespace {

constexpr int kSmallWarps = 4;
constexpr int kLargeThreads = 128;

// Neumann series with `terms` terms written as sum_{p=0}^{deg} c_p Q^p (pa_kernel_spec.h).
struct NeumannPoly {
  int deg;
  __host__ __device__ explicit NeumannPoly(int terms) : deg(pa_neumann_degree(terms)) {}
  __host__ __device__ float coeff(int p) const { return pa_neumann_coefficient<float>(p, deg); }
};

__host__ __device__ constexpr int round_up4(int v) { return (v + 3) / 4 * 4; }

// Offset of row i of the packed strict upper triangle of a b x b matrix.
__device__ __forceinline__ int packed_row(int i, int b) { return i * (2 * b - i - 1) / 2; }

template <int W, bool kExact>
__global__ void __launch_bounds__(kSmallWarps * 32)
    cayley_small_kernel(const float* __restrict__ q, int64_t batch, int b, int terms, float scale,
                        float* __restrict__ r, int group_floats, int* flags) {
  constexpr int G = 32 / W;
  PA_DYNAMIC_SMEM(float, smem);
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int group = lane / W;
  const int j = lane % W;
  float* dense = smem + static_cast<int64_t>(warp * G + group) * group_floats;  // [W, W] row-major Q
  float* packed = dense + W * W;  // staged generator, later the Gauss-Jordan pivot column
  // packed is followed by a [W, W] scratch for Horner steps (see below)
  const int np = b * (b - 1) / 2;
  const NeumannPoly poly(terms);
  bool bad = false;

  for (int64_t first = (static_cast<int64_t>(blockIdx.x) * kSmallWarps + warp) * G; first < batch;
       first += static_cast<int64_t>(gridDim.x) * kSmallWarps * G) {
    const int64_t mat = first + group;
    const bool active = mat < batch;
    for (int e = j; e < np; e += W) {
      const float v = active ? q[mat * np + e] : 0.0f;
      bad |= !isfinite(v);
      packed[e] = v;
    }
    __syncwarp();
    float col[W];  // column j of scale * Q
#pragma unroll
    for (int i = 0; i < W; ++i) {
      float v = 0.0f;
      if (i < b && j < b && i != j) {
        const int idx = i < j ? packed_row(i, b) + j - i - 1 : packed_row(j, b) + i - j - 1;
        v = packed[idx];
        v = i < j ? v : -v;
      }
      col[i] = v * scale;
    }
    __syncwarp();
    float out[W];
    if constexpr (kExact) {
      float m[W];  // column j of I + Q, inverted in place step by step
#pragma unroll
      for (int i = 0; i < W; ++i) m[i] = col[i] + (i == j ? 1.0f : 0.0f);
#pragma unroll
      for (int p = 0; p < W; ++p) {
        if (p >= b) break;
        if (j == p) {
#pragma unroll
          for (int i = 0; i < W; i += 4) reinterpret_cast<float4*>(packed)[i / 4] = make_float4(m[i], m[i + 1], m[i + 2], m[i + 3]);
        }
        __syncwarp();
        float f[W];
#pragma unroll
        for (int i = 0; i < W; i += 4) {
          const float4 v = reinterpret_cast<const float4*>(packed)[i / 4];
          f[i] = v.x; f[i + 1] = v.y; f[i + 2] = v.z; f[i + 3] = v.w;
        }
        __syncwarp();
        const float inv = 1.0f / f[p];
        // The pivot column becomes e_p before the common update, which then yields column p of the inverse.
#pragma unroll
        for (int i = 0; i < W; ++i) m[i] = j == p ? (i == p ? 1.0f : 0.0f) : m[i];
        const float mp = m[p] * inv;
#pragma unroll
        for (int i = 0; i < W; ++i) m[i] = i == p ? mp : fmaf(-f[i], mp, m[i]);
      }
#pragma unroll
      for (int i = 0; i < W; ++i) out[i] = 2.0f * m[i] - (i == j ? 1.0f : 0.0f);
    } else {
#pragma unroll
      for (int i = 0; i < W; ++i) dense[i * W + j] = col[i];
      __syncwarp();
      if (poly.deg == 0) {
#pragma unroll
        for (int i = 0; i < W; ++i) out[i] = i == j ? 1.0f : 0.0f;
      } else {
        // Horner: T = c_deg Q + c_{deg-1} I, then T = Q T + c_p I for p = deg-2 .. 0.
        const float top = poly.coeff(poly.deg);
        const float next = poly.coeff(poly.deg - 1);
#pragma unroll
        for (int i = 0; i < W; ++i) out[i] = top * col[i] + (i == j ? next : 0.0f);
        // Row i of the product is written to lane j's slot of `next_col` (conflict-free) and read
        // back afterwards: keeping all W new values in registers while the unrolled loop hoists
        // every Q load would exhaust the register file.
        float* next_col = packed + round_up4(np > W ? np : W);
        for (int p = poly.deg - 2; p >= 0; --p) {
          const float c = poly.coeff(p);
#pragma unroll 2
          for (int i = 0; i < W; ++i) {
            const float4* row = reinterpret_cast<const float4*>(dense + i * W);
            float acc = i == j ? c : 0.0f;
#pragma unroll
            for (int l = 0; l < W; l += 4) {
              const float4 a = row[l / 4];
              acc = fmaf(a.x, out[l], acc);
              acc = fmaf(a.y, out[l + 1], acc);
              acc = fmaf(a.z, out[l + 2], acc);
              acc = fmaf(a.w, out[l + 3], acc);
            }
            next_col[i * W + j] = acc;
          }
#pragma unroll
          for (int i = 0; i < W; ++i) out[i] = next_col[i * W + j];
        }
      }
    }
    if (active && j < b) {
      float* dst = r + mat * b * b + j;
#pragma unroll
      for (int i = 0; i < W; ++i)
        if (i < b) dst[static_cast<int64_t>(i) * b] = out[i];
    }
    __syncwarp();
  }
  if (bad && flags) atomicOr(flags, kFlagNonFinite);
}

// One block per matrix; Bp = b rounded up to 8, Q, T, T2 are [Bp, Bp] row-major in shared memory.
__global__ void __launch_bounds__(kLargeThreads)
    cayley_large_kernel(const float* __restrict__ q, int64_t batch, int b, int bp, int terms, float scale,
                        float* __restrict__ r, int* flags) {
  PA_DYNAMIC_SMEM(float, smem);
  float* qs = smem;
  float* t = qs + bp * bp;
  float* t2 = t + bp * bp;
  float* colbuf = t2 + bp * bp;
  const int tid = static_cast<int>(threadIdx.x);
  const int np = b * (b - 1) / 2;
  const NeumannPoly poly(terms);
  bool bad = false;

  for (int64_t mat = blockIdx.x; mat < batch; mat += gridDim.x) {
    for (int idx = tid; idx < bp * bp; idx += kLargeThreads) qs[idx] = 0.0f;
    __syncthreads();
    const float* src = q + mat * np;
    for (int i = 0; i + 1 < b; ++i) {
      const int len = b - 1 - i;
      for (int e = tid; e < len; e += kLargeThreads) {
        const float v = src[packed_row(i, b) + e];
        bad |= !isfinite(v);
        const int jj = i + 1 + e;
        qs[i * bp + jj] = scale * v;
        qs[jj * bp + i] = -scale * v;
      }
    }
    __syncthreads();
    float* res = t;
    if (terms == PA_CAYLEY_EXACT) {
      for (int idx = tid; idx < bp * bp; idx += kLargeThreads) t[idx] = qs[idx] + (idx / bp == idx % bp ? 1.0f : 0.0f);
      __syncthreads();
      const int j = tid;
      for (int p = 0; p < b; ++p) {
        if (j < bp) colbuf[j] = t[j * bp + p];
        __syncthreads();
        if (j < bp) {
          const float inv = 1.0f / colbuf[p];
          const float mp = (j == p ? 1.0f : t[p * bp + j]) * inv;
          for (int i = 0; i < bp; ++i) {
            if (i == p) continue;
            const float mij = j == p ? 0.0f : t[i * bp + j];
            t[i * bp + j] = fmaf(-colbuf[i], mp, mij);
          }
          t[p * bp + j] = mp;
        }
        __syncthreads();
      }
      for (int idx = tid; idx < bp * bp; idx += kLargeThreads) t[idx] = 2.0f * t[idx] - (idx / bp == idx % bp ? 1.0f : 0.0f);
      __syncthreads();
    } else if (poly.deg == 0) {
      for (int idx = tid; idx < bp * bp; idx += kLargeThreads) t[idx] = idx / bp == idx % bp ? 1.0f : 0.0f;
      __syncthreads();
    } else {
      const float top = poly.coeff(poly.deg);
      const float next = poly.coeff(poly.deg - 1);
      for (int idx = tid; idx < bp * bp; idx += kLargeThreads)
        t[idx] = top * qs[idx] + (idx / bp == idx % bp ? next : 0.0f);
      __syncthreads();
      float* cur = t;
      float* nxt = t2;
      const int j = tid;
      for (int p = poly.deg - 2; p >= 0; --p) {
        const float c = poly.coeff(p);
        if (j < bp) {
          for (int i0 = 0; i0 < bp; i0 += 8) {
            float acc[8];
#pragma unroll
            for (int rr = 0; rr < 8; ++rr) acc[rr] = i0 + rr == j ? c : 0.0f;
            for (int l = 0; l < bp; l += 4) {
              const float t0 = cur[l * bp + j], t1 = cur[(l + 1) * bp + j];
              const float t2v = cur[(l + 2) * bp + j], t3 = cur[(l + 3) * bp + j];
#pragma unroll
              for (int rr = 0; rr < 8; ++rr) {
                const float4 a = reinterpret_cast<const float4*>(qs + (i0 + rr) * bp + l)[0];
                acc[rr] = fmaf(a.x, t0, fmaf(a.y, t1, fmaf(a.z, t2v, fmaf(a.w, t3, acc[rr]))));
              }
            }
#pragma unroll
            for (int rr = 0; rr < 8; ++rr) nxt[(i0 + rr) * bp + j] = acc[rr];
          }
        }
        __syncthreads();
        float* tmp = cur;
        cur = nxt;
        nxt = tmp;
      }
      res = cur;
    }
    float* dst = r + mat * b * b;
    for (int idx = tid; idx < b * b; idx += kLargeThreads) dst[idx] = res[(idx / b) * bp + idx % b];
    __syncthreads();
  }
  if (bad && flags) atomicOr(flags, kFlagNonFinite);
}

template <int W>
int launch_small(const float* q, int64_t batch, int b, int terms, float scale, float* r, cudaStream_t stream, int* flags) {
  constexpr int G = 32 / W;
  const int np = b * (b - 1) / 2;
  const int group_floats = 2 * W * W + round_up4(np > W ? np : W);
  const size_t shared = sizeof(float) * static_cast<size_t>(group_floats) * kSmallWarps * G;
  const dim3 grid(grid_for(batch, kSmallWarps * G)), block(kSmallWarps * 32);
  if (terms == PA_CAYLEY_EXACT)
    return launch("cayley_small_kernel", cayley_small_kernel<W, true>, grid, block, shared, stream, q, batch, b, terms,
                  scale, r, group_floats, flags);
  return launch("cayley_small_kernel", cayley_small_kernel<W, false>, grid, block, shared, stream, q, batch, b, terms,
                scale, r, group_floats, flags);
}

}  // namespace

int run_cayley(const float* q, int64_t batch, int b, int terms, float scale, float* r, cudaStream_t stream, int* flags) {
  if (batch == 0) return PA_OK;
  return by_group_width(
      b, [&](auto w) { return launch_small<decltype(w)::value>(q, batch, b, terms, scale, r, stream, flags); },
      [&] {
        const int bp = round_up(b, 8);
        const size_t shared = sizeof(float) * (3 * static_cast<size_t>(bp) * bp + bp);
        return launch("cayley_large_kernel", cayley_large_kernel, dim3(grid_for(batch, 1)), dim3(kLargeThreads),
                      shared, stream, q, batch, b, bp, terms, scale, r, flags);
      });
}

}  // namespace pa::cuda

extern "C" int pa_cuda_cayley_f32(const float* q, int64_t batch, int32_t b, int32_t terms, float scale, float* r,
                                  void* stream) {
  int st = pa::check_cayley_args(__func__, q, batch, b, terms, scale, r);
  if (st != PA_OK) return st;
  if ((st = pa::cuda::check_device_args(__func__, {{"q", q}, {"r", r}}, stream)) != PA_OK) return st;
  return pa::cuda::run_cayley(q, batch, b, terms, scale, r, static_cast<cudaStream_t>(stream), nullptr);
}
