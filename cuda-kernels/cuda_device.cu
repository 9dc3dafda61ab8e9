// Device discovery. Our library links the static cudart, so it loads without a driver;
// cudaGetDeviceCount then fails (e.g. error 35, insufficient driver) and we report 0 devices.
#include <cuda_runtime.h>
#include <cstring>
#include "peft_arena.h"
#include "pa_status.hpp"

extern "C" {

int pa_cuda_compiled(void) { return 1; }

int pa_cuda_device_count(int32_t* count) {
  PA_REQUIRE_PTR(count);
  int n = 0;
  cudaError_t err = cudaGetDeviceCount(&n);
  if (err != cudaSuccess) {
    *count = 0;
    pa::fail(PA_OK, "cudaGetDeviceCount: %s (%d)", cudaGetErrorString(err), static_cast<int>(err));
    cudaGetLastError();  // clear the sticky error so later probes start clean
    return PA_OK;
  }
  *count = n;
  return PA_OK;
}

int pa_cuda_versions(int32_t* driver, int32_t* runtime) {
  if (driver) {
    int v = 0;
    if (cudaDriverGetVersion(&v) != cudaSuccess) {
      v = 0;
      cudaGetLastError();
    }
    *driver = v;
  }
  if (runtime) {
    int v = 0;
    if (cudaRuntimeGetVersion(&v) != cudaSuccess) {
      v = 0;
      cudaGetLastError();
    }
    *runtime = v;
  }
  return PA_OK;
}

int pa_cuda_device_name(int32_t device, char* buf, int32_t buf_len) {
  PA_REQUIRE_PTR(buf);
  if (buf_len <= 0) return pa::fail(PA_ERR_SIZE, "pa_cuda_device_name: buf_len must be positive");
  cudaDeviceProp prop;
  cudaError_t err = cudaGetDeviceProperties(&prop, device);
  if (err != cudaSuccess) return pa::fail(PA_ERR_CUDA, "cudaGetDeviceProperties(%d): %s", device, cudaGetErrorString(err));
  std::strncpy(buf, prop.name, static_cast<size_t>(buf_len) - 1);
  buf[buf_len - 1] = '\0';
  return PA_OK;
}

}
