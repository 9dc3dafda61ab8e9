// Batched one-sided (Hestenes) Jacobi SVD for m, n <= 128, fp32.
// The work matrix Aw is A when m >= n and A^T otherwise, so it has k = min(m, n) columns and
// rows = max(m, n) rows; rotating column pairs until they are orthogonal gives Aw V = U S.
// Pairs follow the round-robin (circle) order, so one round rotates k/2 disjoint pairs at once.
//  - rows, k <= 32: a W-lane group per matrix, lane j holds column j (and column j of V) in
//    registers and fetches its partner's column with shuffles.
//  - otherwise: one block per matrix, columns in shared memory, one warp per pair.
// The input is scaled by a power of two (exact) so squares cannot overflow. Left vectors of
// singular values below max(m, n) * eps * s_max are completed to an orthonormal set afterwards.
#include <cfloat>

#include "pa_arg_checks.hpp"
#include "cuda_common.cuh"
#include "cuda_launchers.cuh"

namespace pa::cuda {
namespace {

constexpr int kMaxSweeps = 30;
constexpr int kWarpKernelWarps = 4;
constexpr int kBlockThreads = 256;

// Where the left (rows x k) and right (k x k) factors of the work matrix go in the outputs.
struct SvdLayout {
  float* left;
  int64_t left_mat, left_rs, left_cs;
  float* right;
  int64_t right_mat, right_rs, right_cs;
};

SvdLayout make_layout(int m, int n, float* u, float* vt) {
  const int64_t k = m < n ? m : n;
  SvdLayout l{};
  if (m >= n) {  // Aw = A: left -> u [m, k]; V -> vt [k, n] with V(i, c) = vt[c, i]
    l.left = u; l.left_mat = m * k; l.left_rs = k; l.left_cs = 1;
    l.right = vt; l.right_mat = k * n; l.right_rs = 1; l.right_cs = n;
  } else {       // Aw = A^T: left -> vt [k, n] transposed; V -> u [m, k]
    l.left = vt; l.left_mat = k * n; l.left_rs = 1; l.left_cs = n;
    l.right = u; l.right_mat = m * k; l.right_rs = k; l.right_cs = 1;
  }
  return l;
}

__device__ __forceinline__ float jacobi_tangent(float alpha, float beta, float gamma) {
  const float zeta = (beta - alpha) / (2.0f * gamma);
  const float az = fabsf(zeta);
  const float t = az > 1e15f ? 0.5f / az : 1.0f / (az + sqrtf(1.0f + az * az));
  return zeta < 0.0f ? -t : t;
}

__device__ __forceinline__ float conv_tol(int rows) { return fmaxf(sqrtf(static_cast<float>(rows)), 2.0f) * FLT_EPSILON; }

template <int W>
__device__ __forceinline__ float group_max(float v) {
#pragma unroll
  for (int off = W / 2; off > 0; off /= 2) v = fmaxf(v, __shfl_xor_sync(kFullMask, v, off, W));
  return v;
}

template <int W>
__device__ __forceinline__ float group_sum(float v) {
#pragma unroll
  for (int off = W / 2; off > 0; off /= 2) v += __shfl_xor_sync(kFullMask, v, off, W);
  return v;
}

// At most 128 registers (4 blocks of 4 warps per SM): without the bound, nvcc 13.0 gives the
// 32-lane, 32-row instance 168 registers (3 blocks per SM); that build ran the SVD at 65536 x 32 x 32
// 25% slower on an H200 than the one before. With the bound: 128 registers, 16 bytes spilled.
template <int W, int RR>
__global__ void __launch_bounds__(kWarpKernelWarps * 32, 4)
    svd_warp_kernel(const float* __restrict__ a, int64_t batch, int m, int n, float* __restrict__ s, SvdLayout out,
                    int stage_floats, int* flags) {
  constexpr int G = 32 / W;
  PA_DYNAMIC_SMEM(float, smem);
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int group = lane / W;
  const int j = lane % W;
  float* stage = smem + static_cast<int64_t>(warp * G + group) * stage_floats;
  const bool tall = m >= n;
  const int rows = tall ? m : n;
  const int k = tall ? n : m;
  const int ld = n | 1;
  const bool want_left = out.left != nullptr;
  const bool want_right = out.right != nullptr;
  const float tol = conv_tol(rows);
  int status = 0;

  for (int64_t first = (static_cast<int64_t>(blockIdx.x) * kWarpKernelWarps + warp) * G; first < batch;
       first += static_cast<int64_t>(gridDim.x) * kWarpKernelWarps * G) {
    const int64_t mat = first + group;
    const bool active = mat < batch;
    bool bad = false;
    for (int e = j; e < m * n; e += W) {
      const float v = active ? a[mat * m * n + e] : 0.0f;
      bad |= !isfinite(v);
      stage[(e / n) * ld + e % n] = v;
    }
    __syncwarp();
    float col[RR];
    float amax = 0.0f;
#pragma unroll
    for (int rr = 0; rr < RR; ++rr) {
      float v = 0.0f;
      if (j < k && rr < rows) v = tall ? stage[rr * ld + j] : stage[j * ld + rr];
      col[rr] = v;
      amax = fmaxf(amax, fabsf(v));
    }
    __syncwarp();
    bad = group_max<W>(bad ? 1.0f : 0.0f) > 0.0f;
    amax = group_max<W>(amax);
    int exponent = 0;
    if (!bad && amax > 0.0f) frexpf(amax, &exponent);
    const float down = ldexpf(1.0f, -exponent);
    float own2 = 0.0f;
#pragma unroll
    for (int rr = 0; rr < RR; ++rr) {
      col[rr] = bad ? 0.0f : col[rr] * down;
      own2 = fmaf(col[rr], col[rr], own2);
    }
    // Columns below tol * normF(A) are rounding noise (a rank-deficient input): rotating them
    // chases rounding errors forever; as in the CPU kernels, pairs with such a column are left alone.
    const float floor2 = tol * tol * group_sum<W>(own2);
    float v[W];
#pragma unroll
    for (int i = 0; i < W; ++i) v[i] = i == j ? 1.0f : 0.0f;

    float worst = 0.0f;  // largest relative off-diagonal seen in the last sweep
    for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
      bool rotated = false;
      worst = 0.0f;
      for (int round = 0; round < W - 1; ++round) {
        const int p = round_robin_partner(j, round, W);
        float other[RR];
#pragma unroll
        for (int rr = 0; rr < RR; ++rr) other[rr] = __shfl_sync(kFullMask, col[rr], p, W);
        float own = 0.0f, oth = 0.0f, g = 0.0f;
#pragma unroll
        for (int rr = 0; rr < RR; ++rr) {
          own = fmaf(col[rr], col[rr], own);
          oth = fmaf(other[rr], other[rr], oth);
          g = fmaf(col[rr], other[rr], g);
        }
        const bool lo = j < p;
        const float alpha = lo ? own : oth;
        const float beta = lo ? oth : own;
        const float scale = sqrtf(alpha) * sqrtf(beta);
        const bool rot = g != 0.0f && fabsf(g) > tol * scale && alpha > floor2 && beta > floor2;
        if (rot) worst = fmaxf(worst, fabsf(g) / scale);
        float c = 1.0f, sn = 0.0f;
        if (rot) {
          const float t = jacobi_tangent(alpha, beta, g);
          c = rsqrtf(1.0f + t * t);
          sn = c * t;
        }
        // low column: c*lo - s*hi; high column: s*lo + c*hi
        const float keep = c;
        const float take = lo ? -sn : sn;
#pragma unroll
        for (int rr = 0; rr < RR; ++rr) col[rr] = fmaf(keep, col[rr], take * other[rr]);
        if (want_right) {
#pragma unroll
          for (int i = 0; i < W; ++i) {
            const float pv = __shfl_sync(kFullMask, v[i], p, W);
            v[i] = fmaf(keep, v[i], take * pv);
          }
        }
        rotated |= rot;
      }
      if (!__any_sync(kFullMask, rotated)) break;
    }
    if (worst > 1e3f * tol) status |= kFlagNoConverge;

    float norm2 = 0.0f;
#pragma unroll
    for (int rr = 0; rr < RR; ++rr) norm2 = fmaf(col[rr], col[rr], norm2);
    const float sigma = sqrtf(norm2);
    const float smax = group_max<W>(sigma);
    int rank = 0;
    for (int q = 0; q < W; ++q) {
      const float sq = __shfl_sync(kFullMask, sigma, q, W);
      rank += (sq > sigma || (sq == sigma && q < j)) ? 1 : 0;
    }
    if (bad) rank = j;
    const float nan = __int_as_float(0x7fc00000);
    if (active && j < k) {
      const float up = ldexpf(1.0f, exponent);
      s[mat * k + rank] = bad ? nan : sigma * up;
      if (want_left) {
        const bool keep_col = sigma > smax * static_cast<float>(rows) * FLT_EPSILON;
        const float inv = keep_col ? 1.0f / sigma : 0.0f;
        float* dst = out.left + mat * out.left_mat + rank * out.left_cs;
#pragma unroll
        for (int rr = 0; rr < RR; ++rr)
          if (rr < rows) dst[rr * out.left_rs] = bad ? nan : col[rr] * inv;
      }
      if (want_right) {
        float* dst = out.right + mat * out.right_mat + rank * out.right_cs;
#pragma unroll
        for (int i = 0; i < W; ++i)
          if (i < k) dst[i * out.right_rs] = bad ? nan : v[i];
      }
    }
    if (bad && active) status |= kFlagNonFinite;
    __syncwarp();
  }
  if (status && flags) atomicOr(flags, status);
}

// One block per matrix; Aw column-major [k][lda], V column-major [k][ldv] in shared memory.
__global__ void __launch_bounds__(kBlockThreads)
    svd_block_kernel(const float* __restrict__ a, int64_t batch, int m, int n, float* __restrict__ s, SvdLayout out,
                     int* flags) {
  PA_DYNAMIC_SMEM(float, smem);
  const bool tall = m >= n;
  const int rows = tall ? m : n;
  const int k = tall ? n : m;
  const int lda = rows | 1;
  const int ldv = k | 1;
  float* aw = smem;
  float* vs = aw + k * lda;
  float* sig = vs + k * ldv;
  int* rank = reinterpret_cast<int*>(sig + k);
  int* shared_int = rank + k;   // [0], [1] rotated in even / odd sweeps, [2] non-finite seen
  float* red = reinterpret_cast<float*>(shared_int + 3);  // [kBlockThreads / 32] partial maxima
  const int tid = static_cast<int>(threadIdx.x);
  const int warp = tid / 32;
  const int lane = tid % 32;
  constexpr int kWarps = kBlockThreads / 32;
  const bool want_left = out.left != nullptr;
  const bool want_right = out.right != nullptr;
  const int players = k + (k & 1);
  const float tol = conv_tol(rows);
  int status = 0;

  for (int64_t mat = blockIdx.x; mat < batch; mat += gridDim.x) {
    if (tid == 0) { shared_int[0] = 0; shared_int[1] = 0; shared_int[2] = 0; }
    __syncthreads();
    float amax = 0.0f;
    bool bad = false;
    const float* src = a + mat * m * n;
    for (int e = tid; e < m * n; e += kBlockThreads) {
      const float v = src[e];
      bad |= !isfinite(v);
      amax = fmaxf(amax, fabsf(v));
      const int c = tall ? e % n : e / n;
      const int r = tall ? e / n : e % n;
      aw[c * lda + r] = v;
    }
    if (want_right)
      for (int e = tid; e < k * k; e += kBlockThreads) vs[(e / k) * ldv + e % k] = (e / k == e % k) ? 1.0f : 0.0f;
    if (bad) atomicOr(&shared_int[2], 1);
#pragma unroll
    for (int off = 16; off > 0; off /= 2) amax = fmaxf(amax, __shfl_xor_sync(kFullMask, amax, off));
    if (lane == 0) red[warp] = amax;
    __syncthreads();
    amax = 0.0f;
    for (int w = 0; w < kWarps; ++w) amax = fmaxf(amax, red[w]);
    const bool any_bad = shared_int[2] != 0;
    int exponent = 0;
    if (!any_bad && amax > 0.0f) frexpf(amax, &exponent);
    const float down = ldexpf(1.0f, -exponent);
    float part = 0.0f;
    for (int e = tid; e < k * lda; e += kBlockThreads) {
      const float x = any_bad ? 0.0f : aw[e] * down;
      aw[e] = x;
      if (e % lda < rows) part = fmaf(x, x, part);  // not the padding row
    }
#pragma unroll
    for (int off = 16; off > 0; off /= 2) part += __shfl_xor_sync(kFullMask, part, off);
    __syncthreads();  // every thread has read red (the maxima) above
    if (lane == 0) red[warp] = part;
    __syncthreads();
    float fro2 = 0.0f;
    for (int w = 0; w < kWarps; ++w) fro2 += red[w];
    // Columns below tol * normF(A) are rounding noise (see the lane-group kernel).
    const float floor2 = tol * tol * fro2;

    float worst = 0.0f;
    for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
      worst = 0.0f;
      for (int round = 0; round < players - 1; ++round) {
        for (int pi = warp; pi < players / 2; pi += kWarps) {
          int p0, p1;
          if (pi == 0) {
            p0 = round;
            p1 = players - 1;
          } else {
            p0 = (round + pi) % (players - 1);
            p1 = (round - pi + players - 1) % (players - 1);
          }
          const int lo = p0 < p1 ? p0 : p1;
          const int hi = p0 < p1 ? p1 : p0;
          if (hi >= k) continue;  // the padding player of an odd k: warp-uniform skip
          float* clo = aw + lo * lda;
          float* chi = aw + hi * lda;
          float al = 0.0f, be = 0.0f, g = 0.0f;
          for (int r = lane; r < rows; r += 32) {
            const float x = clo[r], y = chi[r];
            al = fmaf(x, x, al);
            be = fmaf(y, y, be);
            g = fmaf(x, y, g);
          }
#pragma unroll
          for (int off = 16; off > 0; off /= 2) {
            al += __shfl_xor_sync(kFullMask, al, off);
            be += __shfl_xor_sync(kFullMask, be, off);
            g += __shfl_xor_sync(kFullMask, g, off);
          }
          const float scale = sqrtf(al) * sqrtf(be);
          // identical on all lanes: warp-uniform
          if (g == 0.0f || !(fabsf(g) > tol * scale) || !(al > floor2) || !(be > floor2)) continue;
          worst = fmaxf(worst, fabsf(g) / scale);
          const float t = jacobi_tangent(al, be, g);
          const float c = rsqrtf(1.0f + t * t);
          const float sn = c * t;
          for (int r = lane; r < rows; r += 32) {
            const float x = clo[r], y = chi[r];
            clo[r] = fmaf(c, x, -sn * y);
            chi[r] = fmaf(sn, x, c * y);
          }
          if (want_right) {
            float* vlo = vs + lo * ldv;
            float* vhi = vs + hi * ldv;
            for (int r = lane; r < k; r += 32) {
              const float x = vlo[r], y = vhi[r];
              vlo[r] = fmaf(c, x, -sn * y);
              vhi[r] = fmaf(sn, x, c * y);
            }
          }
          if (lane == 0) atomicOr(&shared_int[sweep & 1], 1);
        }
        __syncthreads();
        // Everyone has read the other sweep's flag before this barrier, so it can be cleared now.
        if (round == 0 && tid == 0) shared_int[(sweep + 1) & 1] = 0;
      }
      if (shared_int[sweep & 1] == 0) break;
    }
    // worst differs per warp; any warp that still saw a large off-diagonal reports it
    if (worst > 1e3f * tol) status |= kFlagNoConverge;

    for (int c = tid; c < k; c += kBlockThreads) {
      float acc = 0.0f;
      for (int r = 0; r < rows; ++r) acc = fmaf(aw[c * lda + r], aw[c * lda + r], acc);
      sig[c] = sqrtf(acc);
    }
    __syncthreads();
    float smax = 0.0f;
    for (int c = 0; c < k; ++c) smax = fmaxf(smax, sig[c]);
    for (int c = tid; c < k; c += kBlockThreads) {
      int rk = 0;
      for (int q = 0; q < k; ++q) rk += (sig[q] > sig[c] || (sig[q] == sig[c] && q < c)) ? 1 : 0;
      rank[c] = any_bad ? c : rk;
    }
    __syncthreads();
    const float nan = __int_as_float(0x7fc00000);
    const float up = ldexpf(1.0f, exponent);
    for (int c = tid; c < k; c += kBlockThreads) s[mat * k + rank[c]] = any_bad ? nan : sig[c] * up;
    if (want_left) {
      const float cut = smax * static_cast<float>(rows) * FLT_EPSILON;
      float* base = out.left + mat * out.left_mat;
      for (int e = tid; e < rows * k; e += kBlockThreads) {
        // iterate along whichever output index is contiguous
        const int c = out.left_cs == 1 ? e % k : e / rows;
        const int r = out.left_cs == 1 ? e / k : e % rows;
        const float sc = sig[c];
        const float val = sc > cut ? aw[c * lda + r] / sc : 0.0f;
        base[r * out.left_rs + rank[c] * out.left_cs] = any_bad ? nan : val;
      }
    }
    if (want_right) {
      float* base = out.right + mat * out.right_mat;
      for (int e = tid; e < k * k; e += kBlockThreads) {
        const int c = out.right_cs == 1 ? e % k : e / k;
        const int i = out.right_cs == 1 ? e / k : e % k;
        base[i * out.right_rs + rank[c] * out.right_cs] = any_bad ? nan : vs[c * ldv + i];
      }
    }
    if (any_bad) status |= kFlagNonFinite;
    __syncthreads();
  }
  if (status && flags) atomicOr(flags, status);
}

// Replaces the (zeroed) left vectors of negligible singular values by unit vectors orthogonal
// to all earlier columns (Gram-Schmidt on e_0, e_1, ... twice). One thread per matrix; a no-op
// for full-rank matrices.
__global__ void svd_complete_kernel(int64_t batch, int rows, int k, const float* __restrict__ s, SvdLayout out) {
  for (int64_t mat = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; mat < batch;
       mat += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const float* sv = s + mat * k;
    const float smax = sv[0];
    if (!(smax >= 0.0f)) continue;  // NaN marks a non-finite input
    const float cut = smax * static_cast<float>(rows) * FLT_EPSILON;
    float* base = out.left + mat * out.left_mat;
    float w[PA_SVD_MAX_DIM];
    for (int c = 0; c < k; ++c) {
      if (sv[c] > cut) continue;
      for (int t = 0; t < rows; ++t) {
        for (int r = 0; r < rows; ++r) w[r] = r == t ? 1.0f : 0.0f;
        for (int pass = 0; pass < 2; ++pass)
          for (int c2 = 0; c2 < c; ++c2) {
            const float* col = base + c2 * out.left_cs;
            float d = 0.0f;
            for (int r = 0; r < rows; ++r) d = fmaf(col[r * out.left_rs], w[r], d);
            for (int r = 0; r < rows; ++r) w[r] = fmaf(-d, col[r * out.left_rs], w[r]);
          }
        float nrm = 0.0f;
        for (int r = 0; r < rows; ++r) nrm = fmaf(w[r], w[r], nrm);
        nrm = sqrtf(nrm);
        if (nrm > 0.5f) {
          float* dst = base + c * out.left_cs;
          for (int r = 0; r < rows; ++r) dst[r * out.left_rs] = w[r] / nrm;
          break;
        }
      }
    }
  }
}

template <int W, int RR>
int launch_warp(const float* a, int64_t batch, int m, int n, float* s, const SvdLayout& layout, cudaStream_t stream,
                int* flags) {
  constexpr int G = 32 / W;
  const int stage_floats = round_up(RR * W + (RR > W ? RR : W), 4);
  const size_t shared = sizeof(float) * static_cast<size_t>(stage_floats) * kWarpKernelWarps * G;
  return launch("svd_warp_kernel", svd_warp_kernel<W, RR>, dim3(grid_for(batch, kWarpKernelWarps * G)),
                dim3(kWarpKernelWarps * 32), shared, stream, a, batch, m, n, s, layout, stage_floats, flags);
}

template <int W>
int launch_warp_rows(int rows_pow2, const float* a, int64_t batch, int m, int n, float* s, const SvdLayout& layout,
                     cudaStream_t stream, int* flags) {
  switch (rows_pow2) {
    case 4: return launch_warp<W, 4>(a, batch, m, n, s, layout, stream, flags);
    case 8: return launch_warp<W, 8>(a, batch, m, n, s, layout, stream, flags);
    case 16: return launch_warp<W, 16>(a, batch, m, n, s, layout, stream, flags);
    default: return launch_warp<W, 32>(a, batch, m, n, s, layout, stream, flags);
  }
}

}  // namespace

int run_svd(const float* a, int64_t batch, int m, int n, float* s, float* u, float* vt, cudaStream_t stream, int* flags) {
  if (batch == 0) return PA_OK;
  const SvdLayout layout = make_layout(m, n, u, vt);
  const int rows = m > n ? m : n;
  const int k = m < n ? m : n;
  int st;
  const int wk = group_width(k);
  const int wr = group_width(rows);
  if (wk != 0 && wr != 0) {
    const int rr = wr > wk ? wr : wk;  // rows held per lane: at least the group width keeps the table small
    switch (wk) {
      case 4: st = launch_warp_rows<4>(rr, a, batch, m, n, s, layout, stream, flags); break;
      case 8: st = launch_warp_rows<8>(rr, a, batch, m, n, s, layout, stream, flags); break;
      case 16: st = launch_warp_rows<16>(rr, a, batch, m, n, s, layout, stream, flags); break;
      default: st = launch_warp_rows<32>(rr, a, batch, m, n, s, layout, stream, flags); break;
    }
  } else {
    const int lda = rows | 1;
    const int ldv = k | 1;
    const size_t shared = sizeof(float) * (static_cast<size_t>(k) * lda + static_cast<size_t>(k) * ldv + 2 * k + 3 +
                                           kBlockThreads / 32);
    st = launch("svd_block_kernel", svd_block_kernel, dim3(grid_for(batch, 1)), dim3(kBlockThreads), shared, stream, a,
                batch, m, n, s, layout, flags);
  }
  if (st != PA_OK || layout.left == nullptr) return st;
  return launch("svd_complete_kernel", svd_complete_kernel, dim3(grid_for(batch, 128)), dim3(128), 0, stream, batch,
                rows, k, s, layout);
}

}  // namespace pa::cuda

extern "C" int pa_cuda_svd_batched_f32(const float* a, int64_t batch, int32_t m, int32_t n, float* s, float* u, float* vt,
                                       void* stream) {
  int st = pa::check_svd_args(__func__, a, batch, m, n, s);
  if (st != PA_OK) return st;
  if ((st = pa::cuda::check_device_args(__func__, {{"a", a}, {"s", s}, {"u", u}, {"vt", vt}}, stream)) != PA_OK)
    return st;
  return pa::cuda::run_svd(a, batch, m, n, s, u, vt, static_cast<cudaStream_t>(stream), nullptr);
}
