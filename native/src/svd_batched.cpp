// Entry points of the batched small SVD: lane packing, the Jacobi kernel, and the output layout.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "checks.hpp"
#include "kernel_table.hpp"
#include "parallel.hpp"
#include "svd_lanes.hpp"

namespace {

// Up to this many work columns fp32 Jacobi keeps U, V orthogonal and the reconstruction within
// 1e-5 (measured: 6e-6 at 32 columns, 1.2e-5 at 64); wider problems run in fp64.
constexpr int kMaxFp32WorkColumns = 40;

template <typename T>
using JacobiFn = int (*)(T*, T*, T*, int, int, T, int);

// T: the caller's element type; W: the Jacobi work type (double for large fp32 problems, where
// fp32 rotation round-off would accumulate beyond 1e-5 in V over n * sweeps rotations).
template <typename T, typename W>
int svd_entry(const char* fn, const T* a, int64_t batch, int32_t m, int32_t n, T* s, T* u, T* vt, JacobiFn<W> jacobi) {
  if (int st = pa::check_svd_args(fn, a, batch, m, n, s)) return st;
  if (batch == 0) return PA_OK;
  const int64_t mn = static_cast<int64_t>(m) * n;
  if (int st = pa::require_finite(fn, "a", a, batch * mn)) return st;

  constexpr int L = pa::JacobiTraits<W>::kLanes;
  const bool transposed = m < n;  // Jacobi runs on the tall work matrix W = A or A^T
  const int mw = transposed ? n : m;
  const int nw = transposed ? m : n;
  const int k = nw;
  const bool want_wu = transposed ? (vt != nullptr) : (u != nullptr);
  const bool want_wv = transposed ? (u != nullptr) : (vt != nullptr);
  // Converge to the caller's precision, not the work type's.
  const W tol = static_cast<W>(pa::jacobi_tol<T>(mw));
  const int64_t groups = (batch + L - 1) / L;
  const int64_t min_groups = std::max<int64_t>(1, 4096 / (mn * L));
  std::atomic<int> not_converged{0};
  const int st = pa::parallel_for(groups, min_groups, [&](int64_t g0, int64_t g1) {
    pa::AlignedBuffer<W> aw(static_cast<int64_t>(mw) * nw * L), vw(want_wv ? static_cast<int64_t>(nw) * nw * L : 1),
        nrm(static_cast<int64_t>(nw) * L);
    PA_REQUIRE_ALLOC(aw, fn);
    PA_REQUIRE_ALLOC(vw, fn);
    PA_REQUIRE_ALLOC(nrm, fn);
    try {
      pa::LaneResult res(mw, nw);
      double scale[L];
      for (int64_t g = g0; g < g1; ++g) {
        W* A = aw.get();
        for (int l = 0; l < L; ++l) {
          const int64_t item = g * L + l;
          if (item >= batch) {
            for (int j = 0; j < nw; ++j)
              for (int i = 0; i < mw; ++i) A[pa::lane_offset<W>(l, j, i, mw, nw)] = W(0);
            scale[l] = 1.0;
            continue;
          }
          const T* src = a + item * mn;
          scale[l] = pa::power_of_two_scale(src, mn);
          const W sc = static_cast<W>(scale[l]);
          for (int j = 0; j < nw; ++j)
            for (int i = 0; i < mw; ++i) {
              const T x = transposed ? src[static_cast<int64_t>(j) * n + i] : src[static_cast<int64_t>(i) * n + j];
              A[pa::lane_offset<W>(l, j, i, mw, nw)] = static_cast<W>(x) * sc;
            }
        }
        W* V = want_wv ? vw.get() : nullptr;
        if (jacobi(A, V, nrm.get(), mw, nw, tol, pa::kMaxJacobiSweeps) < 0) not_converged = 1;
        for (int l = 0; l < L; ++l) {
          const int64_t item = g * L + l;
          if (item >= batch) break;
          pa::finish_lane<W>(A, V, mw, nw, l, want_wu, res);
          for (int r = 0; r < k; ++r) s[item * k + r] = static_cast<T>(res.sigma[static_cast<size_t>(r)] / scale[l]);
          // W = Uw S Vw^T; A = W (U = Uw, Vt = Vw^T) or A = W^T (U = Vw, Vt = Uw^T).
          const std::vector<double>& left = transposed ? res.v : res.u;
          const std::vector<double>& right = transposed ? res.u : res.v;
          if (u != nullptr) {
            T* uo = u + item * static_cast<int64_t>(m) * k;
            for (int i = 0; i < m; ++i)
              for (int r = 0; r < k; ++r) uo[static_cast<int64_t>(i) * k + r] = static_cast<T>(left[static_cast<size_t>(r) * m + i]);
          }
          if (vt != nullptr) {
            T* vo = vt + item * static_cast<int64_t>(k) * n;
            for (int r = 0; r < k; ++r)
              for (int c = 0; c < n; ++c) vo[static_cast<int64_t>(r) * n + c] = static_cast<T>(right[static_cast<size_t>(r) * n + c]);
          }
        }
      }
    } catch (const std::bad_alloc&) {
      return pa::fail(PA_ERR_ALLOC, "%s: out of memory for scratch buffers", fn);
    }
    return PA_OK;
  });
  if (st != PA_OK) return st;
  if (not_converged)
    return pa::fail(PA_ERR_NOCONVERGE, "%s: Jacobi sweeps did not converge within %d sweeps", fn, pa::kMaxJacobiSweeps);
  return PA_OK;
}

}  // namespace

extern "C" {

int pa_svd_batched_f32(const float* a, int64_t batch, int32_t m, int32_t n, float* s, float* u, float* vt) {
  if (std::min(m, n) > kMaxFp32WorkColumns)
    return svd_entry<float, double>(__func__, a, batch, m, n, s, u, vt, pa::active_kernels().jacobi_f64);
  return svd_entry<float, float>(__func__, a, batch, m, n, s, u, vt, pa::active_kernels().jacobi_f32);
}

int pa_svd_batched_f64(const double* a, int64_t batch, int32_t m, int32_t n, double* s, double* u, double* vt) {
  return svd_entry<double, double>(__func__, a, batch, m, n, s, u, vt, pa::active_kernels().jacobi_f64);
}

}
