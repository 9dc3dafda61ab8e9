// The host-memory entry points of one backend (CUDA host wrappers or CPU kernels), so the same
// cases run against either.
#pragma once
#include <cstdint>
#include <string>

namespace pa::check {

struct Backend {
  std::string name;
  int (*cayley)(const float*, int64_t, int32_t, int32_t, float, float*);
  int (*rotate)(const float*, int64_t, int64_t, int64_t, const float*, int32_t, int32_t, float*, int64_t);
  int (*svd)(const float*, int64_t, int32_t, int32_t, float*, float*, float*);
  int (*procrustes)(const float*, const float*, int64_t, int64_t, int32_t, float*, float*);
  int (*cross)(const float*, int64_t, int64_t, int64_t, const float*, int64_t, int32_t, float*);
  int (*cayley_vjp)(const float*, const float*, const float*, int64_t, int32_t, int32_t, float*);
};

Backend gpu_backend();
Backend cpu_backend();
// True when the CPU kernels are compiled in (they answer a valid call with PA_OK).
bool cpu_available();
// True when a CUDA device (or the emulator) can run kernels.
bool gpu_available(std::string* why);

}  // namespace pa::check
