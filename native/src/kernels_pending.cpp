// TEMPORARY: placeholders until the CPU kernels land; each returns PA_ERR_UNAVAILABLE.
#include "peft_arena.h"
#include "status.hpp"
#define PENDING return pa::fail(PA_ERR_UNAVAILABLE, "%s: not implemented yet", __func__)
extern "C" {
const char* pa_cpu_path(void) { return "generic"; }
int pa_cpu_force_generic(int) { return PA_OK; }
int pa_set_num_threads(int) { return PA_OK; }
int pa_get_num_threads(void) { return 1; }
int pa_cayley_f32(const float*, int64_t, int32_t, int32_t, float, float*) { PENDING; }
int pa_cayley_f64(const double*, int64_t, int32_t, int32_t, double, double*) { PENDING; }
int pa_block_rotate_f32(const float*, int64_t, int64_t, int64_t, const float*, int32_t, int32_t, float*, int64_t) { PENDING; }
int pa_svd_batched_f32(const float*, int64_t, int32_t, int32_t, float*, float*, float*) { PENDING; }
int pa_svd_batched_f64(const double*, int64_t, int32_t, int32_t, double*, double*, double*) { PENDING; }
int pa_procrustes_batched_f32(const float*, const float*, int64_t, int64_t, int32_t, float*, float*) { PENDING; }
int pa_procrustes_residual_from_cross_f32(const float*, int32_t, double, double, double*) { PENDING; }
}
