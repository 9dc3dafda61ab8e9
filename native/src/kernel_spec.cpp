// pa_limit and pa_cayley_neumann_coefficients: pa_kernel_spec.h through the C ABI, so Java reads the
// limits and the series from the library instead of keeping copies.
#include "pa_kernel_spec.h"
#include "pa_status.hpp"
#include "peft_arena.h"

extern "C" {

int32_t pa_limit(int32_t which) {
  switch (which) {
    case PA_LIMIT_CAYLEY_MIN_BLOCK: return PA_CAYLEY_MIN_BLOCK;
    case PA_LIMIT_CAYLEY_MAX_BLOCK: return PA_CAYLEY_MAX_BLOCK;
    case PA_LIMIT_CAYLEY_MAX_NEUMANN_TERMS: return PA_CAYLEY_MAX_NEUMANN_TERMS;
    case PA_LIMIT_ROTATE_MIN_BLOCK: return PA_ROTATE_MIN_BLOCK;
    case PA_LIMIT_ROTATE_MAX_BLOCK: return PA_ROTATE_MAX_BLOCK;
    case PA_LIMIT_SVD_MAX_DIM: return PA_SVD_MAX_DIM;
    case PA_LIMIT_PROCRUSTES_MAX_DIM: return PA_PROCRUSTES_MAX_DIM;
    case PA_LIMIT_RESIDUAL_MAX_DIM: return PA_RESIDUAL_MAX_DIM;
    case PA_LIMIT_NEUMANN_MAX_POWERS: return PA_NEUMANN_MAX_POWERS;
    default: return -1;
  }
}

int pa_cayley_neumann_coefficients(int32_t terms, int32_t* degree, double* coeffs, int32_t capacity, int32_t* split) {
  const char* fn = __func__;
  PA_REQUIRE_PTR(degree);
  if (terms < 1 || terms > PA_CAYLEY_MAX_NEUMANN_TERMS)
    return pa::fail(PA_ERR_SIZE, "%s: terms = %d must be in 1..%d", fn, terms, PA_CAYLEY_MAX_NEUMANN_TERMS);
  const int d = pa_neumann_degree(terms);
  if (capacity > 0 && coeffs == nullptr) return pa::fail(PA_ERR_NULL, "%s: argument 'coeffs' is null", fn);
  if (coeffs != nullptr && capacity < d + 1)
    return pa::fail(PA_ERR_SIZE, "%s: coeffs must hold degree + 1 = %d values, capacity = %d", fn, d + 1, capacity);
  *degree = d;
  if (coeffs != nullptr)
    for (int i = 0; i <= d; ++i) coeffs[i] = pa_neumann_coefficient<double>(i, d);
  if (split != nullptr) *split = pa_neumann_split(d);
  return PA_OK;
}

}
