// Entry points of the batched small SVD: lane packing, the Jacobi kernel, and the output layout.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "checks.hpp"
#include "kernel_table.hpp"
#include "parallel.hpp"
#include "svd_lanes.hpp"

namespace {

template <typename T>
using JacobiFn = int (*)(T*, T*, T*, int, int, T, int);

template <typename T>
int svd_entry(const char* fn, const T* a, int64_t batch, int32_t m, int32_t n, T* s, T* u, T* vt, JacobiFn<T> jacobi) {
  PA_REQUIRE_PTR(a);
  PA_REQUIRE_PTR(s);
  if (batch < 0) return pa::fail(PA_ERR_SIZE, "%s: batch = %lld must be >= 0", fn, static_cast<long long>(batch));
  if (m < 1 || m > 128 || n < 1 || n > 128)
    return pa::fail(PA_ERR_SIZE, "%s: matrix shape %d x %d must have 1 <= m, n <= 128", fn, m, n);
  if (pa::checked_product(batch, m, n) < 0) return pa::fail(PA_ERR_SIZE, "%s: batch = %lld is too large", fn, static_cast<long long>(batch));
  if (batch == 0) return PA_OK;
  const int64_t mn = static_cast<int64_t>(m) * n;
  if (int st = pa::require_finite(fn, "a", a, batch * mn)) return st;

  constexpr int L = pa::JacobiTraits<T>::kLanes;
  const bool transposed = m < n;  // Jacobi runs on the tall work matrix W = A or A^T
  const int mw = transposed ? n : m;
  const int nw = transposed ? m : n;
  const int k = nw;
  const bool want_wu = transposed ? (vt != nullptr) : (u != nullptr);
  const bool want_wv = transposed ? (u != nullptr) : (vt != nullptr);
  const T tol = pa::jacobi_tol<T>(mw);
  const int64_t groups = (batch + L - 1) / L;
  const int64_t min_groups = std::max<int64_t>(1, 4096 / (mn * L));
  std::atomic<int> not_converged{0};
  const int st = pa::parallel_for(groups, min_groups, [&](int64_t g0, int64_t g1) {
    pa::AlignedBuffer<T> aw(static_cast<int64_t>(mw) * nw * L), vw(want_wv ? static_cast<int64_t>(nw) * nw * L : 1),
        nrm(static_cast<int64_t>(nw) * L);
    PA_REQUIRE_ALLOC(aw, fn);
    PA_REQUIRE_ALLOC(vw, fn);
    PA_REQUIRE_ALLOC(nrm, fn);
    try {
      pa::LaneResult res(mw, nw);
      double scale[L];
      for (int64_t g = g0; g < g1; ++g) {
        T* A = aw.get();
        for (int l = 0; l < L; ++l) {
          const int64_t item = g * L + l;
          if (item >= batch) {
            for (int64_t e = 0; e < static_cast<int64_t>(mw) * nw; ++e) A[e * L + l] = T(0);
            scale[l] = 1.0;
            continue;
          }
          const T* src = a + item * mn;
          scale[l] = pa::power_of_two_scale(src, mn);
          const T sc = static_cast<T>(scale[l]);
          for (int j = 0; j < nw; ++j)
            for (int i = 0; i < mw; ++i) {
              const T x = transposed ? src[static_cast<int64_t>(j) * n + i] : src[static_cast<int64_t>(i) * n + j];
              A[(static_cast<int64_t>(j) * mw + i) * L + l] = x * sc;
            }
        }
        T* V = want_wv ? vw.get() : nullptr;
        if (jacobi(A, V, nrm.get(), mw, nw, tol, pa::kMaxJacobiSweeps) < 0) not_converged = 1;
        for (int l = 0; l < L; ++l) {
          const int64_t item = g * L + l;
          if (item >= batch) break;
          pa::finish_lane<T>(A, V, mw, nw, l, want_wu, res);
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
  return svd_entry<float>(__func__, a, batch, m, n, s, u, vt, pa::active_kernels().jacobi_f32);
}

int pa_svd_batched_f64(const double* a, int64_t batch, int32_t m, int32_t n, double* s, double* u, double* vt) {
  return svd_entry<double>(__func__, a, batch, m, n, s, u, vt, pa::active_kernels().jacobi_f64);
}

}
