// TEMPORARY: placeholders until the CUDA kernels land.
#include "peft_arena.h"
#include "../native/src/status.hpp"
#define PENDING return pa::fail(PA_ERR_UNAVAILABLE, "%s: not implemented yet", __func__)
extern "C" {
int pa_cuda_cayley_f32(const float*, int64_t, int32_t, int32_t, float, float*, void*) { PENDING; }
int pa_cuda_block_rotate_f32(const float*, int64_t, int64_t, int64_t, const float*, int32_t, int32_t, float*, int64_t, void*) { PENDING; }
int pa_cuda_svd_batched_f32(const float*, int64_t, int32_t, int32_t, float*, float*, float*, void*) { PENDING; }
int pa_cuda_procrustes_batched_f32(const float*, const float*, int64_t, int64_t, int32_t, float*, float*, void*) { PENDING; }
int pa_cuda_host_cayley_f32(const float*, int64_t, int32_t, int32_t, float, float*) { PENDING; }
int pa_cuda_host_block_rotate_f32(const float*, int64_t, int64_t, int64_t, const float*, int32_t, int32_t, float*, int64_t) { PENDING; }
int pa_cuda_host_svd_batched_f32(const float*, int64_t, int32_t, int32_t, float*, float*, float*) { PENDING; }
int pa_cuda_host_procrustes_batched_f32(const float*, const float*, int64_t, int64_t, int32_t, float*, float*) { PENDING; }
}
