#include "backend.hpp"

#include <vector>

#include "peft_arena.h"

namespace pa::check {

Backend gpu_backend() {
  return {"gpu", pa_cuda_host_cayley_f32, pa_cuda_host_block_rotate_f32, pa_cuda_host_svd_batched_f32,
          pa_cuda_host_procrustes_batched_f32, pa_cuda_host_block_cross_f32, pa_cuda_host_cayley_vjp_f32};
}

Backend cpu_backend() {
  return {"cpu", pa_cayley_f32, pa_block_rotate_f32, pa_svd_batched_f32, pa_procrustes_batched_f32,
          pa_block_cross_f32, pa_cayley_vjp_f32};
}

bool cpu_available() {
  std::vector<float> q(1, 0.1f), r(4, 0.0f);
  return pa_cayley_f32(q.data(), 1, 2, 5, 1.0f, r.data()) == PA_OK;
}

bool gpu_available(std::string* why) {
  if (!pa_cuda_compiled()) {
    if (why) *why = "library built without CUDA";
    return false;
  }
  int32_t count = 0;
  pa_cuda_device_count(&count);
  if (count <= 0) {
    if (why) *why = pa_last_error();
    return false;
  }
  return true;
}

}  // namespace pa::check
