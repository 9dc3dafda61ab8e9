// Function table of the SIMD kernels; one instance per instruction-set variant, chosen at run time.
#pragma once
#include <cstdint>

#include "pa_kernel_spec.h"

namespace pa {

// The interleaved Jacobi SVD works on kJacobiGroups blocks of one 256-bit vector of matrices
// each: 8 (fp32) or 4 (fp64) matrices per block; see svd_lanes.hpp for the element layout.
constexpr int kJacobiGroups = 1;

// Every kernel works on a sub-range of the batch (or of the rows) so the caller can split the
// work across threads; none of them allocates, validates or touches the C++ runtime.
struct KernelTable {
  const char* name;
  // Cayley of items [begin, end) of packed q; work holds cayley_work_elems(b) elements.
  void (*cayley_f32)(const float* q, int64_t begin, int64_t end, int b, int terms, float scale,
                     float* r, float* work);
  void (*cayley_f64)(const double* q, int64_t begin, int64_t end, int b, int terms, double scale,
                     double* r, double* work);
  // dL/dq of items [begin, end) from G = dL/dR (r needed for the exact variant only); work holds
  // cayley_vjp_work_elems(b, terms) elements.
  void (*cayley_vjp_f32)(const float* q, const float* r, const float* g, int64_t begin, int64_t end, int b, int terms,
                         float* dq, float* work);
  // y[r0:r1, :] = x[r0:r1, :] @ blockdiag(R_j) (R already transposed by the caller if requested).
  void (*block_rotate_f32)(const float* x, int64_t r0, int64_t r1, int64_t n, int64_t x_stride,
                           const float* rb, int b, float* y, int64_t y_stride);
  // Blocks [j0, j1) of out[j] = X_j^T G_j, summed over all rows (the rotation's block gradient).
  void (*block_cross_f32)(const float* x, int64_t x_stride, const float* g, int64_t g_stride, int64_t rows,
                          int b, int64_t j0, int64_t j1, float* out);
  // One-sided Jacobi on kJacobiGroups blocks of lane-interleaved matrices, a [G][n][m][lanes]
  // (m >= n), accumulating v [G][n][n][lanes] when v is non-null; nrm [G][n][lanes] is scratch.
  // Returns the number of sweeps, or -1 when max_sweeps passed without convergence.
  int (*jacobi_f32)(float* a, float* v, float* nrm, int m, int n, float tol, int max_sweeps);
  int (*jacobi_f64)(double* a, double* v, double* nrm, int m, int n, double tol, int max_sweeps);
  // Rows [i0, i1) of the lower triangle of G = Mt Mt^T; mt is [dp, rp] zero padded, g is [dp, dp].
  void (*gram_lower_f64)(const double* mt, int64_t rp, int64_t dp, double* g, int64_t i0, int64_t i1);
  // Fused row pass of the tridiagonalisation (see sym_kernels.inl); returns the row's dot product.
  double (*tridiag_fused_row)(double* arow, const double* vp, const double* wp, double vpi, double wpi,
                              const double* v, double vi, double* p, int64_t j0, int64_t j1);
};

// Padded leading dimension of the Cayley work matrices and the work size per thread.
inline int64_t cayley_pad(int b) { return (static_cast<int64_t>(b) + 7) / 8 * 8; }
// Work of the Neumann series: Q^1..Q^s (s <= PA_NEUMANN_MAX_POWERS), ACC and TMP; the exact variant needs less.
inline int64_t cayley_work_elems(int b) { return (PA_NEUMANN_MAX_POWERS + 2) * cayley_pad(b) * cayley_pad(b); }
// Work of the Cayley VJP: P, ACC, TMP and G P^k for k < degree (at most 63), or 4 matrices for exact.
inline int64_t cayley_vjp_work_elems(int b, int terms) {
  const int64_t mats = terms == 0 ? 4 : 3 + (terms > 1 ? terms : 1);
  return mats * cayley_pad(b) * cayley_pad(b);
}

const KernelTable& active_kernels();

namespace generic { extern const KernelTable kTable; }
#if defined(__x86_64__) || defined(__i386__)
namespace avx2 { extern const KernelTable kTable; }
#endif

}  // namespace pa
