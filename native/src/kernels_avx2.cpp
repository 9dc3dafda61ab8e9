// AVX2 + FMA build of the SIMD kernels. Only this file is compiled for that target (via the
// pragma below, after every system header), and it defines nothing but the kernel table, so no
// AVX2 code can leak into functions shared with the baseline build.
#if defined(__x86_64__) || defined(__i386__)
#include <cstdint>
#include <immintrin.h>
#include "kernel_table.hpp"

#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define PA_ISA_AVX2 1

namespace pa {
namespace avx2 {
#include "simd_vec.inl"
#include "cayley_kernels.inl"
#include "block_rotate_kernels.inl"
#include "svd_jacobi_kernels.inl"
#include "sym_kernels.inl"

extern const KernelTable kTable = {
    "avx2-fma", cayley_f32, cayley_f64, cayley_vjp_f32, block_rotate_f32, block_cross_f32, jacobi_f32, jacobi_f64, gram_lower_f64,
    tridiag_fused_row,
};
}  // namespace avx2
}  // namespace pa

#pragma GCC pop_options
#endif
