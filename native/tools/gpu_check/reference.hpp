// Double-precision references the GPU (and CPU) kernels are checked against: short and plainly
// right rather than fast. Matrices are row-major std::vector<double>.
#pragma once
#include <cstdint>
#include <vector>

namespace pa::check {

using Mat = std::vector<double>;

// Dense scale * Q from a packed strict upper triangle (row-major triu order), b x b.
Mat skew_from_packed(const float* q, int b, double scale);
// HF PEFT Cayley-Neumann series with `terms` terms (terms >= 1), or exact (terms == 0).
Mat cayley_ref(const float* q, int b, int terms, double scale);
// The same in double precision from a double generator (finite-difference checks of the VJP reference).
Mat cayley_ref(const double* q, int b, int terms, double scale);
// HF PEFT's Cayley-Neumann coefficients c_0..c_d of the series with `terms` >= 1 terms, built term by
// term as HF PEFT writes the series (not from pa_kernel_spec.h).
std::vector<double> neumann_coefficients_ref(int terms);
// dL/dq (packed, b(b-1)/2 values) of L = <G, cayley(q)> at scale 1, G = dL/dR [b, b]: D = dL/dQ by the
// chain rule written out (exact: D = -1/2 (R + I)^T G (R + I)^T with R from cayley_ref in double;
// Neumann: D = sum_i c_i sum_{j<i} (Q^T)^j G (Q^T)^(i-1-j)), then dq(i, j) = D[i][j] - D[j][i].
std::vector<double> cayley_vjp_ref(const float* q, const float* g, int b, int terms);
// Block j of the rotation's gradient: X_j^T G_j [b, b] over all rows (x and g with row strides).
Mat cross_ref(const float* x, int64_t rows, int64_t x_stride, const float* g, int64_t g_stride, int b, int64_t j);
// y = x @ R_j (or R_j^T) per column block; x is rows x n with row stride x_stride.
std::vector<double> rotate_ref(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r, int b,
                               int transpose);
// One-sided Jacobi SVD in double of an m x n matrix: s descending (k = min(m, n)), u [m, k], vt [k, n].
void svd_ref(const double* a, int m, int n, std::vector<double>& s, Mat& u, Mat& vt);

// Invariants of a float SVD result, all computed in double.
struct SvdErrors {
  double recon = 0;      // normF(U S Vt - A) / normF(A)
  double orth_u = 0;     // normMax(U^T U - I)
  double orth_v = 0;     // normMax(Vt Vt^T - I)
  bool sorted = true;    // descending and non-negative
};
SvdErrors svd_invariants(const float* a, int m, int n, const float* s, const float* u, const float* vt);

}  // namespace pa::check
