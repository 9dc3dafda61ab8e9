/*
 * PEFT-Arena kernels: the facts every implementation shares (CPU, CUDA, the host emulator, and
 * through pa_limit / pa_cayley_neumann_coefficients, Java): the argument limits of the C ABI and
 * HF PEFT's Cayley-Neumann polynomial. Framework-free: the limits are plain C macros; the
 * polynomial is C++ and CUDA (constexpr, and __host__ __device__ under nvcc via PA_HD).
 */
#ifndef PA_KERNEL_SPEC_H
#define PA_KERNEL_SPEC_H

#if defined(__CUDACC__)
#define PA_HD __host__ __device__
#else
#define PA_HD
#endif

/* ---- argument limits of the C ABI (inclusive) ---- */
#define PA_CAYLEY_MIN_BLOCK 2            /* pa_cayley_*, pa_cuda_*cayley_f32, pa_*cayley_vjp_f32: 2 <= b */
#define PA_CAYLEY_MAX_BLOCK 128          /*   b <= 128 */
#define PA_CAYLEY_MAX_NEUMANN_TERMS 64   /*   terms: PA_CAYLEY_EXACT or 1..64 */
#define PA_ROTATE_MIN_BLOCK 1            /* pa_*block_rotate_f32, pa_*block_cross_f32 (CPU and CUDA): 1 <= b */
#define PA_ROTATE_MAX_BLOCK 128          /*   b <= 128 */
#define PA_SVD_MAX_DIM 128               /* pa_*svd_batched_*: 1 <= m, n <= 128 */
#define PA_PROCRUSTES_MAX_DIM 128        /* pa_*procrustes_batched_f32: 1 <= d <= 128 */
#define PA_RESIDUAL_MAX_DIM 65536        /* pa_procrustes_residual_from_cross_f32: 1 <= d <= 65536 */

/* Paterson-Stockmeyer evaluation of the series: the powers Q^2..Q^s are formed once, then Horner's rule
 * in Q^s over chunks of degree < s. At most this many powers are kept (ceil(sqrt(64)) for 64 terms). */
#define PA_NEUMANN_MAX_POWERS 8

#if defined(__cplusplus)
/* ---- HF PEFT's Cayley-Neumann series (peft/tuners/oft/layer.py, _cayley_batch) ----
 * With k terms: R = I (k = 1), I + 2Q (k = 2), and for k >= 3
 *   R = I + 2Q + 2Q^2 + sum_{p=3}^{k-2} 2Q^p + Q^max(3, k-1),
 * i.e. sum_{i=0}^{d} c_i Q^i with degree d = pa_neumann_degree(k) and c_i = pa_neumann_coefficient<T>(i, d). */

/* Degree of the series with `terms` terms (1 <= terms <= PA_CAYLEY_MAX_NEUMANN_TERMS): k - 1 for k <= 2,
 * max(3, k - 1) above (k = 3 and k = 4 coincide). */
static PA_HD constexpr inline int pa_neumann_degree(int terms) {
  return terms <= 2 ? terms - 1 : (terms - 1 > 3 ? terms - 1 : 3);
}

/* Coefficient of Q^i in the series of degree d, in the caller's element type: 1 at i = 0 and, when
 * d >= 2, at i = d; 2 in between. */
template <typename T>
static PA_HD constexpr inline T pa_neumann_coefficient(int i, int degree) {
  return (i == 0 || (i == degree && degree >= 2)) ? T(1) : T(2);
}

/* Block products for degree d with powers up to Q^s: s - 1 powers, then one per Horner step, the first
 * of which is a scaling when the top chunk is a multiple of I. */
static PA_HD constexpr inline int pa_neumann_products(int degree, int s) {
  if (degree <= s) return degree > 1 ? degree - 1 : 0;
  const int m = degree / s;
  return (s - 1) + m - (degree == m * s ? 1 : 0);
}

/* The power s (1..PA_NEUMANN_MAX_POWERS) with the fewest block products for degree d; ties take the
 * smaller s. Every implementation that mirrors the CPU kernel's rounding order uses this split. */
static PA_HD constexpr inline int pa_neumann_split(int degree) {
  int best = 1;
  for (int s = 2; s <= PA_NEUMANN_MAX_POWERS && s <= degree; ++s)
    if (pa_neumann_products(degree, s) < pa_neumann_products(degree, best)) best = s;
  return best;
}
#endif /* __cplusplus */

#endif /* PA_KERNEL_SPEC_H */
