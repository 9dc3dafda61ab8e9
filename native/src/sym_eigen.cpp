#include "sym_eigen.hpp"

#include <atomic>
#include <cmath>
#include <new>
#include <system_error>
#include <thread>
#include <vector>

#include "kernel_table.hpp"
#include "parallel.hpp"
#include "peft_arena.h"
#include "pa_status.hpp"

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

namespace {

// Barrier for a team of threads that meet once per reduction step (thousands of times per
// call): spins briefly, then yields so an oversubscribed machine still makes progress.
class SpinBarrier {
 public:
  explicit SpinBarrier(int parties) : parties_(parties) {}
  void wait() {
    const int gen = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == parties_) {
      arrived_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_acq_rel);
      return;
    }
    for (int spin = 0; generation_.load(std::memory_order_acquire) == gen; ++spin) {
      if (spin > 2000) std::this_thread::yield();
    }
  }

 private:
  const int parties_;
  std::atomic<int> arrived_{0};
  std::atomic<int> generation_{0};
};

// Householder tridiagonalisation of the lower triangle, one pass over the trailing triangle per
// reflector: the pass applies the previous reflector's rank-2 update and accumulates this
// reflector's product p = S v at the same time, so each element is read and written once per
// step. With two threads, the rows of the pass are split into halves of equal work, each with
// its own p accumulator; a single thread does the O(n) parts between the two barriers per step.
class Tridiagonaliser {
 public:
  Tridiagonaliser(double* a, int64_t n, int64_t lda, double* d, double* e, int team)
      : a_(a), n_(n), lda_(lda), d_(d), e_(e), team_(team), barrier_(team),
        vp_(static_cast<size_t>(n), 0.0), wp_(static_cast<size_t>(n), 0.0), v_(static_cast<size_t>(n), 0.0),
        col_(static_cast<size_t>(n), 0.0), fused_row_(active_kernels().tridiag_fused_row) {
    for (int t = 0; t < team; ++t) p_[t].assign(static_cast<size_t>(n), 0.0);
  }

  void run(int t) {
    for (int64_t k = 0; k + 2 < n_; ++k) {
      if (t == 0) reflector(k);
      if (team_ > 1) barrier_.wait();
      const int64_t lo = k + 1, len = n_ - lo;
      // Work of row i is ~(i - k): the first 1/sqrt(2) of the rows hold half of it.
      const int64_t mid = team_ > 1 ? lo + static_cast<int64_t>(static_cast<double>(len) * 0.7071067811865476) : n_;
      if (t == 0) pass(k, lo, mid, p_[0].data());
      else pass(k, mid, n_, p_[1].data());
      if (team_ > 1) barrier_.wait();
      if (t == 0) combine(k);
    }
  }

  void finish() {
    const int64_t k = n_ - 2;
    for (int64_t i = k; i < n_; ++i)
      for (int64_t j = k; j <= i; ++j) A(i, j) -= vp_[i] * wp_[j] + wp_[i] * vp_[j];
    d_[k] = A(k, k);
    e_[k] = A(k + 1, k);
    d_[k + 1] = A(k + 1, k + 1);
  }

 private:
  double& A(int64_t i, int64_t j) { return a_[i * lda_ + j]; }

  // Brings column k up to date and builds reflector k from it.
  void reflector(int64_t k) {
    for (int64_t i = k; i < n_; ++i) A(i, k) -= vp_[i] * wp_[k] + wp_[i] * vp_[k];
    d_[k] = A(k, k);
    const int64_t len = n_ - k - 1;
    for (int64_t i = 0; i < len; ++i) col_[i] = A(k + 1 + i, k);
    for (int64_t i = 0; i <= k; ++i) v_[i] = 0.0;
    e_[k] = householder(col_.data(), len, v_.data() + k + 1, &tau_);
  }

  // Rows [r0, r1) of the fused pass; p gets this share of S v.
  void pass(int64_t k, int64_t r0, int64_t r1, double* p) {
    for (int64_t i = k + 1; i < n_; ++i) p[i] = 0.0;
    for (int64_t i = r0; i < r1; ++i) {
      double* row = a_ + i * lda_;
      const double dot = fused_row_(row, vp_.data(), wp_.data(), vp_[i], wp_[i], v_.data(), v_[i], p, k + 1, i);
      const double aii = row[i] - 2.0 * vp_[i] * wp_[i];
      row[i] = aii;
      p[i] += dot + aii * v_[i];
    }
  }

  // w = tau p - (tau^2 / 2)(p.v) v, so that S - v w^T - w v^T = H S H; becomes the pending update.
  void combine(int64_t k) {
    double* p = p_[0].data();
    if (team_ > 1)
      for (int64_t i = k + 1; i < n_; ++i) p[i] += p_[1][i];
    double pv = 0.0;
    for (int64_t i = k + 1; i < n_; ++i) pv += p[i] * v_[i];
    const double kk = 0.5 * tau_ * tau_ * pv;
    for (int64_t i = 0; i < n_; ++i) {
      vp_[i] = v_[i];
      wp_[i] = (i > k) ? tau_ * p[i] - kk * v_[i] : 0.0;
    }
  }

  double* a_;
  const int64_t n_, lda_;
  double* d_;
  double* e_;
  const int team_;
  SpinBarrier barrier_;
  std::vector<double> vp_, wp_, v_, col_, p_[2];
  double tau_ = 0.0;
  double (*fused_row_)(double*, const double*, const double*, double, double, const double*, double, double*, int64_t, int64_t);
};

}  // namespace

int tridiagonalise_lower(double* a, int64_t n, int64_t lda, double* d, double* e) {
  if (n == 1) {
    d[0] = a[0];
    return PA_OK;
  }
  try {
    // Below this size the barriers cost more than the second thread saves.
    const int team = (n >= 256 && thread_count() >= 2) ? 2 : 1;
    Tridiagonaliser tri(a, n, lda, d, e, team);
    if (team == 2) {
      std::thread helper([&tri] { tri.run(1); });
      tri.run(0);
      helper.join();
    } else {
      tri.run(0);
    }
    tri.finish();
  } catch (const std::bad_alloc&) {
    return PA_ERR_ALLOC;
  } catch (const std::system_error&) {
    // No helper thread available: the single-thread reduction needs none.
    Tridiagonaliser tri(a, n, lda, d, e, 1);
    tri.run(0);
    tri.finish();
  }
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
