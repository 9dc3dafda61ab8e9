// Vector-Jacobian product of the batched Cayley transform at scale 1 (OFT training backward):
// from G = dL/dR to dq = dL/dq for the packed generator q (Q = Mq - Mq^T), the math of the CPU
// kernel (native/src/cayley_kernels.inl, cayley_vjp_one): with D = dL/dQ,
//   dq[(i, j), i < j] = D[i][j] - D[j][i]
//  - exact R = (I - Q)(I + Q)^-1: dR = -1/2 (R + I) dQ (R + I), so D = -1/2 A G A with A = (R + I)^T
//    (reads r, not q);
//  - Neumann series R = sum_m c_m Q^m (HF PEFT's coefficients, pa_kernel_spec.h):
//    D = sum_{m>=1} c_m S_m with S_m = sum_{j<m} P^j G P^(m-1-j), P = Q^T = -Q, evaluated by the
//    recurrence U_0 = S_1 = G, U_m = U_(m-1) P, S_m = P S_(m-1) + U_(m-1): 2 (d - 1) block products for
//    degree d, like the CPU kernel's Horner form, with a fixed number of matrices (any terms <= 64).
// b <= 32: a W-lane group per matrix, lane j keeps column j of every running matrix in registers
// and reads rows of the shared-memory operand as float4 broadcasts (as cayley.cu). Larger b: one
// block per matrix, three [bp, bp + 4] matrices in shared memory, every product a right product
// X <- X M done in place one 8-row block at a time (rows of X M need only the same rows of X);
// the left products are taken as right products of transposes.
#include "cuda_common.cuh"
#include "cuda_launchers.cuh"
#include "pa_arg_checks.hpp"
#include "pa_kernel_spec.h"

namespace pa::cuda {
namespace {

constexpr int kSmallWarps = 4;
constexpr int kLargeThreads = 128;

__host__ __device__ constexpr int round_up4(int v) { return (v + 3) / 4 * 4; }

// Offset of row i of the packed strict upper triangle of a b x b matrix.
__device__ __forceinline__ int packed_row(int i, int b) { return i * (2 * b - i - 1) / 2; }

// Row `row` (W floats, 16-byte aligned, shared memory) dotted with a register column.
template <int W>
__device__ __forceinline__ float row_dot(const float* row, const float (&v)[W]) {
  float acc = 0.0f;
#pragma unroll
  for (int l = 0; l < W; l += 4) {
    const float4 a = reinterpret_cast<const float4*>(row)[l / 4];
    acc = fmaf(a.x, v[l], acc);
    acc = fmaf(a.y, v[l + 1], acc);
    acc = fmaf(a.z, v[l + 2], acc);
    acc = fmaf(a.w, v[l + 3], acc);
  }
  return acc;
}

// Per group: ma [W, W] (A, or Q), mb [W, W] (G, or U; D at the end), then the staged generator.
template <int W, bool kExact>
__global__ void __launch_bounds__(kSmallWarps * 32)
    vjp_small_kernel(const float* __restrict__ q, const float* __restrict__ r, const float* __restrict__ g,
                     int64_t batch, int b, int terms, float* __restrict__ dq, int group_floats) {
  constexpr int G = 32 / W;
  PA_DYNAMIC_SMEM(float, smem);
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int group = lane / W;
  const int j = lane % W;
  float* ma = smem + static_cast<int64_t>(warp * G + group) * group_floats;
  float* mb = ma + W * W;
  float* packed = mb + W * W;
  const int np = b * (b - 1) / 2;
  const int64_t bb = static_cast<int64_t>(b) * b;
  const int deg = kExact ? 0 : pa_neumann_degree(terms);

  for (int64_t first = (static_cast<int64_t>(blockIdx.x) * kSmallWarps + warp) * G; first < batch;
       first += static_cast<int64_t>(gridDim.x) * kSmallWarps * G) {
    const int64_t mat = first + group;
    const bool active = mat < batch;
    const bool in_col = active && j < b;
    const float* gm = g + (active ? mat : 0) * bb;
    float d[W];  // column j of D
    if constexpr (kExact) {
      const float* rm = r + (active ? mat : 0) * bb;
      float acol[W];  // column j of A = (R + I)^T: row j of R plus e_j
#pragma unroll
      for (int i = 0; i < W; ++i) {
        acol[i] = (in_col && i < b) ? rm[static_cast<int64_t>(j) * b + i] + (i == j ? 1.0f : 0.0f) : 0.0f;
        ma[i * W + j] = acol[i];
        mb[i * W + j] = (in_col && i < b) ? gm[static_cast<int64_t>(i) * b + j] : 0.0f;
      }
      __syncwarp();
      float m[W];  // column j of G A
#pragma unroll
      for (int i = 0; i < W; ++i) m[i] = row_dot<W>(mb + i * W, acol);
#pragma unroll
      for (int i = 0; i < W; ++i) d[i] = -0.5f * row_dot<W>(ma + i * W, m);
      __syncwarp();  // every lane has read G before mb receives D
    } else {
      for (int e = j; e < np; e += W) packed[e] = active ? q[mat * np + e] : 0.0f;
      __syncwarp();
      float qcol[W];  // column j of Q; column j of P = Q^T is -qcol
      float u[W], s[W];
#pragma unroll
      for (int i = 0; i < W; ++i) {
        float v = 0.0f;
        if (i < b && j < b && i != j) {
          const int idx = i < j ? packed_row(i, b) + j - i - 1 : packed_row(j, b) + i - j - 1;
          v = i < j ? packed[idx] : -packed[idx];
        }
        qcol[i] = v;
        ma[i * W + j] = v;
        u[i] = s[i] = (in_col && i < b) ? gm[static_cast<int64_t>(i) * b + j] : 0.0f;
        d[i] = deg >= 1 ? pa_neumann_coefficient<float>(1, deg) * s[i] : 0.0f;
      }
      __syncwarp();
      for (int p = 2; p <= deg; ++p) {
        // U <- U P: row i of U (shared) times column j of P = -(column j of Q)
#pragma unroll
        for (int i = 0; i < W; ++i) mb[i * W + j] = u[i];
        __syncwarp();
#pragma unroll
        for (int i = 0; i < W; ++i) u[i] = -row_dot<W>(mb + i * W, qcol);
        __syncwarp();
        // S <- P S + U: row i of P = -(row i of Q) times column j of S; through lane j's own slots of mb
#pragma unroll
        for (int i = 0; i < W; ++i) mb[i * W + j] = u[i] - row_dot<W>(ma + i * W, s);
        const float c = pa_neumann_coefficient<float>(p, deg);
#pragma unroll
        for (int i = 0; i < W; ++i) {
          s[i] = mb[i * W + j];
          d[i] = fmaf(c, s[i], d[i]);
        }
      }
    }
    // dq = D[i][jj] - D[jj][i] over the strict upper triangle, D through shared memory
#pragma unroll
    for (int i = 0; i < W; ++i) mb[i * W + j] = d[i];
    __syncwarp();
    if (active) {
      float* dst = dq + mat * np;
      for (int i = 0; i + 1 < b; ++i)
        for (int e = j; e < b - 1 - i; e += W) {
          const int jj = i + 1 + e;
          dst[packed_row(i, b) + e] = mb[i * W + jj] - mb[jj * W + i];
        }
    }
    __syncwarp();
  }
}

// X <- sign * (X M) (+ Y^T when Y is given), in place one 8-row block at a time; X, M, Y are
// [bp, ld] in shared memory, zero outside [0, b)^2 (and stay so). Thread j computes column j.
__device__ void right_product_in_place(float* X, const float* M, const float* Y, float sign, int bp, int ld) {
  const int j = static_cast<int>(threadIdx.x);
  for (int i0 = 0; i0 < bp; i0 += 8) {
    float acc[8];
#pragma unroll
    for (int rr = 0; rr < 8; ++rr) acc[rr] = 0.0f;
    if (j < bp) {
      for (int l = 0; l < bp; l += 4) {
        const float m0 = M[l * ld + j], m1 = M[(l + 1) * ld + j];
        const float m2 = M[(l + 2) * ld + j], m3 = M[(l + 3) * ld + j];
#pragma unroll
        for (int rr = 0; rr < 8; ++rr) {
          const float4 a = reinterpret_cast<const float4*>(X + (i0 + rr) * ld + l)[0];
          acc[rr] = fmaf(a.x, m0, acc[rr]);
          acc[rr] = fmaf(a.y, m1, acc[rr]);
          acc[rr] = fmaf(a.z, m2, acc[rr]);
          acc[rr] = fmaf(a.w, m3, acc[rr]);
        }
      }
    }
    __syncthreads();  // every thread has read these rows of X
    if (j < bp) {
#pragma unroll
      for (int rr = 0; rr < 8; ++rr) {
        float v = sign * acc[rr];
        if (Y != nullptr) v += Y[j * ld + i0 + rr];
        X[(i0 + rr) * ld + j] = v;
      }
    }
    __syncthreads();
  }
}

// One block per matrix; bp = b rounded up to 8, ld = bp + 4 (float4 rows, and column reads of a
// transposed operand hit 8 banks instead of one). Exact: m0 = G (then (A G A)^T), m1 = A, m2 = A^T = R + I.
// Neumann: m0 = Q, m1 = U, m2 = S^T; dq accumulates c_m (S_m[i][jj] - S_m[jj][i]) in place.
__global__ void __launch_bounds__(kLargeThreads)
    vjp_large_kernel(const float* __restrict__ q, const float* __restrict__ r, const float* __restrict__ g,
                     int64_t batch, int b, int bp, int terms, float* __restrict__ dq) {
  PA_DYNAMIC_SMEM(float, smem);
  const int ld = bp + 4;
  float* m0 = smem;
  float* m1 = m0 + bp * ld;
  float* m2 = m1 + bp * ld;
  const int tid = static_cast<int>(threadIdx.x);
  const int np = b * (b - 1) / 2;
  const int64_t bb = static_cast<int64_t>(b) * b;
  const bool exact = terms == PA_CAYLEY_EXACT;
  const int deg = exact ? 0 : pa_neumann_degree(terms);

  for (int64_t mat = blockIdx.x; mat < batch; mat += gridDim.x) {
    for (int idx = tid; idx < 3 * bp * ld; idx += kLargeThreads) smem[idx] = 0.0f;
    __syncthreads();
    const float* gm = g + mat * bb;
    float* dst = dq + mat * np;
    if (exact) {
      const float* rm = r + mat * bb;
      for (int idx = tid; idx < bb; idx += kLargeThreads) {
        const int i = idx / b, l = idx % b;
        const float rv = rm[idx] + (i == l ? 1.0f : 0.0f);  // (R + I)[i][l]
        m0[i * ld + l] = gm[idx];
        m1[l * ld + i] = rv;  // A = (R + I)^T
        m2[i * ld + l] = rv;
      }
      __syncthreads();
      right_product_in_place(m0, m1, nullptr, 1.0f, bp, ld);  // V = G A
      for (int idx = tid; idx < bp * bp; idx += kLargeThreads) {
        const int i = idx / bp, l = idx % bp;
        if (i < l) {
          const float t = m0[i * ld + l];
          m0[i * ld + l] = m0[l * ld + i];
          m0[l * ld + i] = t;
        }
      }
      __syncthreads();
      right_product_in_place(m0, m2, nullptr, 1.0f, bp, ld);  // V^T A^T = (A G A)^T
      for (int i = 0; i + 1 < b; ++i)
        for (int e = tid; e < b - 1 - i; e += kLargeThreads) {
          const int jj = i + 1 + e;  // D = -1/2 A G A; m0 holds its transpose without the factor
          dst[packed_row(i, b) + e] = -0.5f * (m0[jj * ld + i] - m0[i * ld + jj]);
        }
    } else {
      const float* src = q + mat * np;
      for (int i = 0; i + 1 < b; ++i) {
        for (int e = tid; e < b - 1 - i; e += kLargeThreads) {
          const float v = src[packed_row(i, b) + e];
          const int jj = i + 1 + e;
          m0[i * ld + jj] = v;
          m0[jj * ld + i] = -v;
        }
      }
      for (int idx = tid; idx < bb; idx += kLargeThreads) {
        const int i = idx / b, l = idx % b;
        m1[i * ld + l] = gm[idx];  // U_0 = G
        m2[l * ld + i] = gm[idx];  // S_1^T = G^T
      }
      __syncthreads();
      const float c1 = deg >= 1 ? pa_neumann_coefficient<float>(1, deg) : 0.0f;
      for (int i = 0; i + 1 < b; ++i)
        for (int e = tid; e < b - 1 - i; e += kLargeThreads) {
          const int jj = i + 1 + e;
          dst[packed_row(i, b) + e] = deg >= 1 ? c1 * (m1[i * ld + jj] - m1[jj * ld + i]) : 0.0f;  // 1 term: R = I
        }
      for (int p = 2; p <= deg; ++p) {
        right_product_in_place(m1, m0, nullptr, -1.0f, bp, ld);  // U <- U P = -(U Q)
        right_product_in_place(m2, m0, m1, 1.0f, bp, ld);        // S^T <- S^T Q + U^T = (P S + U)^T
        const float c = pa_neumann_coefficient<float>(p, deg);
        for (int i = 0; i + 1 < b; ++i)
          for (int e = tid; e < b - 1 - i; e += kLargeThreads) {
            const int jj = i + 1 + e;  // S[i][jj] - S[jj][i] = S^T[jj][i] - S^T[i][jj]
            float* o = dst + packed_row(i, b) + e;
            *o = fmaf(c, m2[jj * ld + i] - m2[i * ld + jj], *o);
          }
      }
    }
    __syncthreads();
  }
}

template <int W>
int launch_small(const float* q, const float* r, const float* g, int64_t batch, int b, int terms, float* dq,
                 cudaStream_t stream) {
  constexpr int G = 32 / W;
  const int np = b * (b - 1) / 2;
  const int group_floats = 2 * W * W + round_up4(np > W ? np : W);
  const size_t shared = sizeof(float) * static_cast<size_t>(group_floats) * kSmallWarps * G;
  const dim3 grid(grid_for(batch, kSmallWarps * G)), block(kSmallWarps * 32);
  if (terms == PA_CAYLEY_EXACT)
    return launch("cayley_vjp_small_kernel", vjp_small_kernel<W, true>, grid, block, shared, stream, q, r, g, batch, b,
                  terms, dq, group_floats);
  return launch("cayley_vjp_small_kernel", vjp_small_kernel<W, false>, grid, block, shared, stream, q, r, g, batch, b,
                terms, dq, group_floats);
}

}  // namespace

int run_cayley_vjp(const float* q, const float* r, const float* g, int64_t batch, int b, int terms, float* dq,
                   cudaStream_t stream) {
  if (batch == 0) return PA_OK;
  return by_group_width(
      b, [&](auto w) { return launch_small<decltype(w)::value>(q, r, g, batch, b, terms, dq, stream); },
      [&] {
        const int bp = round_up(b, 8);
        const size_t shared = sizeof(float) * 3 * static_cast<size_t>(bp) * (bp + 4);
        return launch("cayley_vjp_large_kernel", vjp_large_kernel, dim3(grid_for(batch, 1)), dim3(kLargeThreads),
                      shared, stream, q, r, g, batch, b, bp, terms, dq);
      });
}

}  // namespace pa::cuda

extern "C" int pa_cuda_cayley_vjp_f32(const float* q, const float* r, const float* g, int64_t batch, int32_t b,
                                      int32_t terms, float* dq, void* stream) {
  int st = pa::check_cayley_vjp_args(__func__, q, r, g, batch, b, terms, dq);
  if (st != PA_OK) return st;
  if ((st = pa::cuda::check_device_args(__func__, {{"q", q}, {"r", r}, {"g", g}, {"dq", dq}}, stream)) != PA_OK)
    return st;
  return pa::cuda::run_cayley_vjp(q, terms == PA_CAYLEY_EXACT ? r : nullptr, g, batch, b, terms, dq,
                                  static_cast<cudaStream_t>(stream));
}
