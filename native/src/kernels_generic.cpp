// Baseline x86-64 (SSE2) build of the SIMD kernels; the 256-bit vector types split into halves.
#include <cstdint>
#if defined(__SSE2__)
#include <immintrin.h>
#endif
#include "kernel_table.hpp"

#pragma GCC diagnostic ignored "-Wpsabi"
#define PA_ISA_AVX2 0

namespace pa {
namespace generic {
#include "simd_vec.inl"
#include "cayley_kernels.inl"
#include "block_rotate_kernels.inl"
#include "svd_jacobi_kernels.inl"
#include "sym_kernels.inl"

extern const KernelTable kTable = {
    "generic", cayley_f32, cayley_f64, cayley_vjp_f32, block_rotate_f32, block_cross_f32, jacobi_f32, jacobi_f64, gram_lower_f64,
    tridiag_fused_row,
};
}  // namespace generic
}  // namespace pa
