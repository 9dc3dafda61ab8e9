// Internal launchers behind the pa_cuda_* entry points. Pointers are device pointers; `flags`
// is an optional device int that kernels OR status bits into (kFlagNonFinite, kFlagNoConverge),
// which lets the host wrappers report value errors without an extra pass over the data.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <initializer_list>

namespace pa::cuda {

// One pointer argument of a device-pointer entry point, by its name in peft_arena.h.
struct DeviceArg {
  const char* name;
  const void* ptr;
};
// PA_ERR_DEVICE naming the first unusable argument (misaligned, host memory, another device than
// the current one) or a stream of another device; PA_ERR_UNAVAILABLE without a device; else PA_OK.
// Null pointers are skipped (the shape checks reject the required ones first).
int check_device_args(const char* fn, std::initializer_list<DeviceArg> args, void* stream);

int run_cayley(const float* q, int64_t batch, int b, int terms, float scale, float* r, cudaStream_t stream, int* flags);
int run_block_rotate(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r, int b, int transpose,
                     float* y, int64_t y_stride, cudaStream_t stream);
// out = blockdiag(X_j^T G_j) (pa_cuda_block_cross_f32); stream-ordered scratch when rows are split.
int run_block_cross(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* g, int64_t g_stride, int b,
                    float* out, cudaStream_t stream);
// dq from g = dL/dr (pa_cuda_cayley_vjp_f32); r is read by the exact variant only.
int run_cayley_vjp(const float* q, const float* r, const float* g, int64_t batch, int b, int terms, float* dq,
                   cudaStream_t stream);
int run_svd(const float* a, int64_t batch, int m, int n, float* s, float* u, float* vt, cudaStream_t stream, int* flags);
int run_procrustes(const float* x1, const float* x0, int64_t batch, int64_t rows, int d, float* rot, float* residual,
                   cudaStream_t stream, int* flags);

}  // namespace pa::cuda
