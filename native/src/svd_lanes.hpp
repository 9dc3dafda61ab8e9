// Packing matrices into the lane-interleaved Jacobi layout and turning a converged lane back
// into sorted singular values and orthonormal singular vectors (shared by SVD and Procrustes).
#pragma once
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernel_table.hpp"

namespace pa {

template <typename T> struct JacobiTraits;
template <> struct JacobiTraits<float> {
  static constexpr int kVec = 8;
  static constexpr int kLanes = kVec * kJacobiGroups;
  static constexpr double kEps = FLT_EPSILON;
};
template <> struct JacobiTraits<double> {
  static constexpr int kVec = 4;
  static constexpr int kLanes = kVec * kJacobiGroups;
  static constexpr double kEps = DBL_EPSILON;
};

constexpr int kMaxJacobiSweeps = 60;

// Offset of element (row i, column j) of matrix l (0 <= l < kLanes) in a Jacobi work array whose
// matrices have the given rows and cols: [group][column][row][lane].
template <typename T>
inline int64_t lane_offset(int l, int64_t j, int64_t i, int64_t rows, int64_t cols) {
  constexpr int W = JacobiTraits<T>::kVec;
  return ((l / W) * cols * rows + j * rows + i) * W + l % W;
}

// Rotation threshold |a_p . a_q| > tol * |a_p| |a_q|: a few rounding errors of a length-m dot.
template <typename T>
T jacobi_tol(int m) {
  return static_cast<T>(JacobiTraits<T>::kEps * std::sqrt(static_cast<double>(m)));
}

// Power of two that brings the largest magnitude of x[0:count) near 1 (exact scaling).
template <typename T>
double power_of_two_scale(const T* x, int64_t count) {
  double mx = 0.0;
  for (int64_t i = 0; i < count; ++i) mx = std::max(mx, std::fabs(static_cast<double>(x[i])));
  if (mx == 0.0) return 1.0;
  int e = 0;
  std::frexp(mx, &e);
  return std::ldexp(1.0, -e);
}

// Per-lane result of one Jacobi group: singular values sorted descending (unscaled), and the
// matching left (U: mw x nw) and right (V: nw x nw) vectors of the work matrix, column-major.
struct LaneResult {
  std::vector<double> sigma, u, v, work;
  std::vector<int> order;
  LaneResult(int mw, int nw)
      : sigma(static_cast<size_t>(nw)), u(static_cast<size_t>(mw) * nw), v(static_cast<size_t>(nw) * nw),
        work(static_cast<size_t>(std::max(mw, nw)) * 2), order(static_cast<size_t>(nw)) {}
};

// Orthonormalises c (length mw) against the first cols columns of u (column-major, mw rows)
// with two passes of modified Gram-Schmidt; returns the norm left before normalising.
inline double orthonormalise(double* c, const double* u, int mw, int cols) {
  for (int pass = 0; pass < 2; ++pass) {
    for (int r = 0; r < cols; ++r) {
      const double* ur = u + static_cast<int64_t>(r) * mw;
      double d = 0.0;
      for (int i = 0; i < mw; ++i) d += ur[i] * c[i];
      for (int i = 0; i < mw; ++i) c[i] -= d * ur[i];
    }
  }
  double nn = 0.0;
  for (int i = 0; i < mw; ++i) nn += c[i] * c[i];
  const double norm = std::sqrt(nn);
  if (norm > 0.0)
    for (int i = 0; i < mw; ++i) c[i] /= norm;
  return norm;
}

// Replaces column r of u by a unit vector orthogonal to columns 0..r-1 built from the standard
// basis (for zero singular values, whose column direction carries no information).
inline void complete_basis(double* u, int mw, int r, double* scratch) {
  double* c = u + static_cast<int64_t>(r) * mw;
  double best = -1.0;
  for (int t = 0; t < mw; ++t) {
    for (int i = 0; i < mw; ++i) scratch[i] = (i == t) ? 1.0 : 0.0;
    const double left = orthonormalise(scratch, u, mw, r);
    if (left > best) {
      best = left;
      for (int i = 0; i < mw; ++i) c[i] = scratch[i];
    }
    if (left > 0.5) return;
  }
}

// Reads matrix l of a converged group (a: mw x nw work matrices, v: nw x nw or null) into res.
template <typename T>
void finish_lane(const T* a, const T* v, int mw, int nw, int l, bool want_u, LaneResult& res) {
  for (int j = 0; j < nw; ++j) {
    double ss = 0.0;
    for (int i = 0; i < mw; ++i) {
      const double x = a[lane_offset<T>(l, j, i, mw, nw)];
      ss += x * x;
    }
    res.sigma[static_cast<size_t>(j)] = std::sqrt(ss);
  }
  for (int j = 0; j < nw; ++j) res.order[static_cast<size_t>(j)] = j;
  std::stable_sort(res.order.begin(), res.order.end(),
                   [&](int x, int y) { return res.sigma[static_cast<size_t>(x)] > res.sigma[static_cast<size_t>(y)]; });
  std::vector<double> sorted(res.sigma.size());
  for (int r = 0; r < nw; ++r) sorted[static_cast<size_t>(r)] = res.sigma[static_cast<size_t>(res.order[static_cast<size_t>(r)])];
  const double smax = sorted.empty() ? 0.0 : sorted[0];
  // Columns this small relative to the largest may have lost orthogonality to rounding.
  const double reorth_below = smax * std::sqrt(JacobiTraits<T>::kEps);
  if (want_u) {
    for (int r = 0; r < nw; ++r) {
      const int j = res.order[static_cast<size_t>(r)];
      const double sg = sorted[static_cast<size_t>(r)];
      double* c = res.u.data() + static_cast<int64_t>(r) * mw;
      if (sg > 0.0 && std::isnormal(sg)) {
        for (int i = 0; i < mw; ++i) c[i] = a[lane_offset<T>(l, j, i, mw, nw)] / sg;
        if (sg < reorth_below && orthonormalise(c, res.u.data(), mw, r) < 0.5) complete_basis(res.u.data(), mw, r, res.work.data());
      } else {
        complete_basis(res.u.data(), mw, r, res.work.data());
      }
    }
  }
  if (v != nullptr) {
    for (int r = 0; r < nw; ++r) {
      const int j = res.order[static_cast<size_t>(r)];
      for (int i = 0; i < nw; ++i)
        res.v[static_cast<size_t>(r) * nw + i] = v[lane_offset<T>(l, j, i, nw, nw)];
    }
  }
  res.sigma.swap(sorted);
}

}  // namespace pa
