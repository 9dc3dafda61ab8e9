// Eigenvalues of a dense symmetric matrix (double): Householder tridiagonalisation fused with the
// symmetric product, then implicit QL on the tridiagonal matrix. Used for sum(svals(M)) of a
// large M through eig(M^T M).
#pragma once
#include <cstdint>

namespace pa {

// Reduces the symmetric matrix whose lower triangle is in a (row-major, leading dimension lda,
// n x n; the triangle is overwritten) to tridiagonal form: diagonal d[0:n], off-diagonal e[0:n-1].
// Returns PA_OK or PA_ERR_ALLOC.
int tridiagonalise_lower(double* a, int64_t n, int64_t lda, double* d, double* e);

// Eigenvalues of the symmetric tridiagonal (d, e) in place in d (unsorted); e is destroyed.
// Returns PA_OK or PA_ERR_NOCONVERGE.
int tridiagonal_eigenvalues(double* d, double* e, int64_t n);

}  // namespace pa
