// Stand-ins for the CUDA entry points when the library is built without nvcc: every call
// reports PA_ERR_UNAVAILABLE with a message, so Java can say why CUDA cannot be used.
#include "peft_arena.h"
#include "pa_status.hpp"

namespace {
int unavailable(const char* fn) {
  return pa::fail(PA_ERR_UNAVAILABLE, "%s: this build of the native library has no CUDA kernels (nvcc was not found at build time)", fn);
}
}  // namespace

extern "C" {
int pa_cuda_compiled(void) { return 0; }
int pa_cuda_device_count(int32_t* count) {
  if (count) *count = 0;
  pa::fail(PA_OK, "compiled without CUDA");
  return PA_OK;
}
int pa_cuda_device_name(int32_t, char*, int32_t) { return unavailable(__func__); }
int pa_cuda_versions(int32_t* driver, int32_t* runtime) {
  if (driver) *driver = 0;
  if (runtime) *runtime = 0;
  return PA_OK;
}
int pa_cuda_cayley_f32(const float*, int64_t, int32_t, int32_t, float, float*, void*) { return unavailable(__func__); }
int pa_cuda_block_rotate_f32(const float*, int64_t, int64_t, int64_t, const float*, int32_t, int32_t, float*, int64_t, void*) { return unavailable(__func__); }
int pa_cuda_block_cross_f32(const float*, int64_t, int64_t, int64_t, const float*, int64_t, int32_t, float*, void*) { return unavailable(__func__); }
int pa_cuda_cayley_vjp_f32(const float*, const float*, const float*, int64_t, int32_t, int32_t, float*, void*) { return unavailable(__func__); }
int pa_cuda_svd_batched_f32(const float*, int64_t, int32_t, int32_t, float*, float*, float*, void*) { return unavailable(__func__); }
int pa_cuda_procrustes_batched_f32(const float*, const float*, int64_t, int64_t, int32_t, float*, float*, void*) { return unavailable(__func__); }
int pa_cuda_host_cayley_f32(const float*, int64_t, int32_t, int32_t, float, float*) { return unavailable(__func__); }
int pa_cuda_host_block_rotate_f32(const float*, int64_t, int64_t, int64_t, const float*, int32_t, int32_t, float*, int64_t) { return unavailable(__func__); }
int pa_cuda_host_block_cross_f32(const float*, int64_t, int64_t, int64_t, const float*, int64_t, int32_t, float*) { return unavailable(__func__); }
int pa_cuda_host_cayley_vjp_f32(const float*, const float*, const float*, int64_t, int32_t, int32_t, float*) { return unavailable(__func__); }
int pa_cuda_host_svd_batched_f32(const float*, int64_t, int32_t, int32_t, float*, float*, float*) { return unavailable(__func__); }
int pa_cuda_host_procrustes_batched_f32(const float*, const float*, int64_t, int64_t, int32_t, float*, float*) { return unavailable(__func__); }
}
