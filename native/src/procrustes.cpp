// Orthogonal Procrustes: batched small problems (rotation + residual) and the residual of one
// large problem from its precomputed cross product M = X1^T X0.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include "checks.hpp"
#include "kernel_table.hpp"
#include "parallel.hpp"
#include "svd_lanes.hpp"
#include "sym_eigen.hpp"

namespace {

// normF(X1 R - X0)^2 = normF(X1)^2 + normF(X0)^2 - 2 sum(svals(M)); rounding can push it below 0.
double residual_from_norms(double x1_sq, double x0_sq, double sum_svals) {
  return std::sqrt(std::max(0.0, x1_sq + x0_sq - 2.0 * sum_svals));
}

// Largest d solved by the (more accurate) Jacobi SVD in residual_from_cross (the batched SVD's
// limit); larger d squares M.
constexpr int kJacobiMaxD = PA_SVD_MAX_DIM;

// The batched Procrustes runs the SVD's Jacobi kernels on d x d problems.
static_assert(PA_PROCRUSTES_MAX_DIM <= PA_SVD_MAX_DIM, "Procrustes d must fit the Jacobi kernels");

// sum(svals(m)) for m [d, d] (d <= kJacobiMaxD) by one-sided Jacobi in double, one lane used.
int sum_svals_jacobi(const char* fn, const float* m, int d, double* out) {
  constexpr int L = pa::JacobiTraits<double>::kLanes;
  const double sc = pa::power_of_two_scale(m, static_cast<int64_t>(d) * d);
  pa::AlignedBuffer<double> a(static_cast<int64_t>(d) * d * L), nrm(static_cast<int64_t>(d) * L);
  PA_REQUIRE_ALLOC(a, fn);
  PA_REQUIRE_ALLOC(nrm, fn);
  for (int64_t e = 0; e < static_cast<int64_t>(d) * d * L; ++e) a.get()[e] = 0.0;
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) a.get()[pa::lane_offset<double>(0, j, i, d, d)] = m[static_cast<int64_t>(i) * d + j] * sc;
  if (pa::active_kernels().jacobi_f64(a.get(), nullptr, nrm.get(), d, d, pa::jacobi_tol<double>(d), pa::kMaxJacobiSweeps) < 0)
    return pa::fail(PA_ERR_NOCONVERGE, "%s: Jacobi sweeps did not converge", fn);
  double sum = 0.0;
  for (int j = 0; j < d; ++j) {
    double ss = 0.0;
    for (int i = 0; i < d; ++i) {
      const double x = a.get()[pa::lane_offset<double>(0, j, i, d, d)];
      ss += x * x;
    }
    sum += std::sqrt(ss);
  }
  *out = sum / sc;
  return PA_OK;
}

// sum(svals(m)) = sum(sqrt(eig(M^T M))) for any d: Gram matrix in double, then tridiagonal QL.
// Accuracy: eigenvalues of G = M^T M carry absolute errors ~ d eps_64 normF(M)^2, so a singular
// value sigma_i is off by at most ~sqrt(d eps_64) sigma_max when sigma_i is tiny and by
// ~d eps_64 sigma_max^2 / sigma_i otherwise; for Gaussian M the sum agrees with a
// double Jacobi SVD to better than 1e-12 relative (pa_bench check: 2e-14 at d = 200, 6e-14 at
// d = 512). The fp32 rounding of M itself (from the BLAS product)
// dominates: it moves sum(svals) by ~sqrt(rows) eps_32 relative, which the cancellation in
// normF(X1)^2 + normF(X0)^2 - 2 sum(svals) amplifies when the residual is small.
int sum_svals_gram(const char* fn, const float* m, int d, double* out) {
  const int64_t dp = (static_cast<int64_t>(d) + 3) / 4 * 4;
  const double sc = pa::power_of_two_scale(m, static_cast<int64_t>(d) * d);
  pa::AlignedBuffer<double> mt(dp * dp), g(dp * dp);
  PA_REQUIRE_ALLOC(mt, fn);
  PA_REQUIRE_ALLOC(g, fn);
  double* t = mt.get();
  for (int64_t e = 0; e < dp * dp; ++e) t[e] = 0.0;
  for (int64_t r = 0; r < d; ++r)
    for (int64_t j = 0; j < d; ++j) t[j * dp + r] = m[r * d + j] * sc;
  const auto gram = pa::active_kernels().gram_lower_f64;
  // Row panels of the lower triangle with equal work (work up to row i grows like i^2).
  const int threads = static_cast<int>(std::min<int64_t>(pa::thread_count(), dp / 64 + 1));
  std::vector<int64_t> bounds(static_cast<size_t>(threads) + 1, 0);
  for (int c = 1; c <= threads; ++c)
    bounds[static_cast<size_t>(c)] = std::min<int64_t>(dp, static_cast<int64_t>(std::llround(dp * std::sqrt(double(c) / threads) / 4.0)) * 4);
  bounds[static_cast<size_t>(threads)] = dp;
  int st = pa::parallel_chunks(bounds.data(), threads, [&](int64_t i0, int64_t i1) {
    if (i1 > i0) gram(t, dp, dp, g.get(), i0, i1);
    return PA_OK;
  });
  if (st != PA_OK) return st;
  std::vector<double> dd(static_cast<size_t>(d)), ee(static_cast<size_t>(d));
  st = pa::tridiagonalise_lower(g.get(), d, dp, dd.data(), ee.data());
  if (st != PA_OK) return pa::fail(st, "%s: out of memory in the tridiagonalisation", fn);
  if (pa::tridiagonal_eigenvalues(dd.data(), ee.data(), d) != PA_OK)
    return pa::fail(PA_ERR_NOCONVERGE, "%s: tridiagonal QL did not converge", fn);
  double sum = 0.0;
  for (double lam : dd) sum += std::sqrt(std::max(0.0, lam));
  *out = sum / sc;
  return PA_OK;
}

}  // namespace

extern "C" {

int pa_procrustes_batched_f32(const float* x1, const float* x0, int64_t batch, int64_t rows, int32_t d, float* rot,
                              float* residual) {
  const char* fn = __func__;
  if (int st = pa::check_procrustes_args(fn, x1, x0, batch, rows, d, rot, residual)) return st;
  const int64_t per = rows * d;
  if (batch == 0) return PA_OK;
  if (int st = pa::require_finite(fn, "x1", x1, batch * per)) return st;
  if (int st = pa::require_finite(fn, "x0", x0, batch * per)) return st;

  constexpr int L = pa::JacobiTraits<double>::kLanes;
  const int64_t dd = static_cast<int64_t>(d) * d;
  const int64_t groups = (batch + L - 1) / L;
  std::atomic<int> not_converged{0};
  const int st = pa::parallel_for(groups, 1, [&](int64_t g0, int64_t g1) {
    pa::AlignedBuffer<double> aw(dd * L), vw(rot ? dd * L : 1), nrm(static_cast<int64_t>(d) * L), mm(dd);
    PA_REQUIRE_ALLOC(aw, fn);
    PA_REQUIRE_ALLOC(vw, fn);
    PA_REQUIRE_ALLOC(nrm, fn);
    PA_REQUIRE_ALLOC(mm, fn);
    try {
      pa::LaneResult res(d, d);
      double scale[L], sq[L];
      for (int64_t g = g0; g < g1; ++g) {
        double* A = aw.get();
        for (int l = 0; l < L; ++l) {
          const int64_t item = g * L + l;
          double* M = mm.get();
          for (int64_t e = 0; e < dd; ++e) M[e] = 0.0;
          sq[l] = 0.0;
          if (item < batch) {
            const float* p1 = x1 + item * per;
            const float* p0 = x0 + item * per;
            double s1 = 0.0, s0 = 0.0;
            for (int64_t r = 0; r < rows; ++r) {
              const float* r1 = p1 + r * d;
              const float* r0 = p0 + r * d;
              for (int i = 0; i < d; ++i) {
                const double xi = r1[i];
                s1 += xi * xi;
                s0 += static_cast<double>(r0[i]) * r0[i];
                double* Mi = M + static_cast<int64_t>(i) * d;
                for (int j = 0; j < d; ++j) Mi[j] += xi * r0[j];
              }
            }
            sq[l] = s1 + s0;
          }
          scale[l] = pa::power_of_two_scale(M, dd);
          for (int j = 0; j < d; ++j)
            for (int i = 0; i < d; ++i) A[pa::lane_offset<double>(l, j, i, d, d)] = M[static_cast<int64_t>(i) * d + j] * scale[l];
        }
        double* V = rot ? vw.get() : nullptr;
        if (pa::active_kernels().jacobi_f64(A, V, nrm.get(), d, d, pa::jacobi_tol<double>(d), pa::kMaxJacobiSweeps) < 0)
          not_converged = 1;
        for (int l = 0; l < L; ++l) {
          const int64_t item = g * L + l;
          if (item >= batch) break;
          pa::finish_lane<double>(A, V, d, d, l, rot != nullptr, res);
          if (residual != nullptr) {
            double sum = 0.0;
            for (double s : res.sigma) sum += s;
            residual[item] = static_cast<float>(residual_from_norms(sq[l], 0.0, sum / scale[l]));
          }
          if (rot != nullptr) {
            float* R = rot + item * dd;
            for (int i = 0; i < d; ++i)
              for (int j = 0; j < d; ++j) {
                double acc = 0.0;
                for (int r = 0; r < d; ++r) acc += res.u[static_cast<size_t>(r) * d + i] * res.v[static_cast<size_t>(r) * d + j];
                R[static_cast<int64_t>(i) * d + j] = static_cast<float>(acc);
              }
          }
        }
      }
    } catch (const std::bad_alloc&) {
      return pa::fail(PA_ERR_ALLOC, "%s: out of memory for scratch buffers", fn);
    }
    return PA_OK;
  });
  if (st != PA_OK) return st;
  if (not_converged) return pa::fail(PA_ERR_NOCONVERGE, "%s: Jacobi sweeps did not converge", fn);
  return PA_OK;
}

int pa_procrustes_residual_from_cross_f32(const float* m, int32_t d, double x1_sq, double x0_sq, double* residual) {
  const char* fn = __func__;
  if (int st = pa::check_residual_args(fn, m, d, x1_sq, x0_sq, residual)) return st;
  if (int st = pa::require_finite(fn, "m", m, static_cast<int64_t>(d) * d)) return st;
  double sum = 0.0;
  const int st = d <= kJacobiMaxD ? sum_svals_jacobi(fn, m, d, &sum) : sum_svals_gram(fn, m, d, &sum);
  if (st != PA_OK) return st;
  *residual = residual_from_norms(x1_sq, x0_sq, sum);
  return PA_OK;
}

}
