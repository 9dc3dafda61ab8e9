#include "sym_eigen.hpp"

#include <cmath>
#include <vector>

#include "kernel_table.hpp"
#include "peft_arena.h"
#include "status.hpp"

namespace pa {

// Householder reflector H = I - tau v v^T (v[0] = 1) with H x = beta e1, for x = x[0:len].
// Returns beta; v is written over x's positions in vout.
static double householder(const double* x, int64_t len, double* vout, double* tau) {
  const double alpha = x[0];
  double tail = 0.0;
  for (int64_t i = 1; i < len; ++i) tail += x[i] * x[i];
  vout[0] = 1.0;
  if (tail == 0.0) {
    *tau = 0.0;
    for (int64_t i = 1; i < len; ++i) vout[i] = 0.0;
    return alpha;
  }
  const double norm = std::sqrt(alpha * alpha + tail);
  const double beta = alpha >= 0.0 ? -norm : norm;
  *tau = (beta - alpha) / beta;
  const double inv = 1.0 / (alpha - beta);
  for (int64_t i = 1; i < len; ++i) vout[i] = x[i] * inv;
  return beta;
}

int tridiagonalise_lower(double* a, int64_t n, int64_t lda, double* d, double* e) {
  if (n == 1) {
    d[0] = a[0];
    return PA_OK;
  }
  const auto fused_row = active_kernels().tridiag_fused_row;
  std::vector<double> vp(static_cast<size_t>(n), 0.0), wp(static_cast<size_t>(n), 0.0);
  std::vector<double> v(static_cast<size_t>(n), 0.0), p(static_cast<size_t>(n), 0.0), col(static_cast<size_t>(n));
  auto A = [&](int64_t i, int64_t j) -> double& { return a[i * lda + j]; };
  for (int64_t k = 0; k + 2 < n; ++k) {
    // The previous reflector's update (vp, wp), still pending on column k and beyond.
    for (int64_t i = k; i < n; ++i) A(i, k) -= vp[i] * wp[k] + wp[i] * vp[k];
    d[k] = A(k, k);
    const int64_t len = n - k - 1;
    for (int64_t i = 0; i < len; ++i) col[i] = A(k + 1 + i, k);
    double tau = 0.0;
    for (int64_t i = 0; i < k + 1; ++i) v[i] = 0.0;
    e[k] = householder(col.data(), len, v.data() + k + 1, &tau);
    // One pass over the trailing triangle: apply the pending update and form p = S v.
    for (int64_t i = k + 1; i < n; ++i) p[i] = 0.0;
    for (int64_t i = k + 1; i < n; ++i) {
      double* row = a + i * lda;
      const double dot = fused_row(row, vp.data(), wp.data(), vp[i], wp[i], v.data(), v[i], p.data(), k + 1, i);
      const double aii = row[i] - 2.0 * vp[i] * wp[i];
      row[i] = aii;
      p[i] += dot + aii * v[i];
    }
    // w = tau p - (tau^2 / 2)(p.v) v, so that S - v w^T - w v^T = H S H.
    double pv = 0.0;
    for (int64_t i = k + 1; i < n; ++i) pv += p[i] * v[i];
    const double kk = 0.5 * tau * tau * pv;
    for (int64_t i = 0; i < n; ++i) {
      vp[i] = v[i];
      wp[i] = (i > k) ? tau * p[i] - kk * v[i] : 0.0;
    }
  }
  const int64_t k = n - 2;
  for (int64_t i = k; i < n; ++i)
    for (int64_t j = k; j <= i; ++j) A(i, j) -= vp[i] * wp[j] + wp[i] * vp[j];
  d[k] = A(k, k);
  e[k] = A(k + 1, k);
  d[k + 1] = A(k + 1, k + 1);
  return PA_OK;
}

int tridiagonal_eigenvalues(double* d, double* e, int64_t n) {
  // Implicit QL with Wilkinson-type shifts (eigenvalues only); e[i] couples d[i] and d[i+1].
  if (n <= 1) return PA_OK;
  e[n - 1] = 0.0;
  constexpr double eps = 2.220446049250313e-16;
  for (int64_t l = 0; l < n; ++l) {
    int iter = 0;
    for (;;) {
      int64_t m = l;
      for (; m < n - 1; ++m) {
        const double dd = std::fabs(d[m]) + std::fabs(d[m + 1]);
        if (std::fabs(e[m]) <= eps * dd) break;
      }
      if (m == l) break;
      if (++iter > 60) return PA_ERR_NOCONVERGE;
      double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
      double r = std::sqrt(g * g + 1.0);
      g = d[m] - d[l] + e[l] / (g + (g >= 0.0 ? r : -r));
      double s = 1.0, c = 1.0, p = 0.0;
      bool deflated = false;
      for (int64_t i = m - 1; i >= l; --i) {
        const double f = s * e[i];
        const double b = c * e[i];
        r = std::sqrt(f * f + g * g);
        e[i + 1] = r;
        if (r == 0.0) {
          d[i + 1] -= p;
          e[m] = 0.0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2.0 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0.0;
    }
  }
  return PA_OK;
}

}  // namespace pa
