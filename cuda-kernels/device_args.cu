// Checks of the device arguments of the device-pointer entry points (pa_cuda_* without _host_):
// alignment, memory kind and device of every pointer, device of the stream. Host code only.
#include <cuda_runtime.h>

#include <cstdint>

#include "cuda_launchers.cuh"
#include "pa_status.hpp"
#include "peft_arena.h"

namespace pa::cuda {

int check_device_args(const char* fn, std::initializer_list<DeviceArg> args, void* stream) {
  int count = 0, current = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err == cudaSuccess && count == 0) err = cudaErrorNoDevice;
  if (err == cudaSuccess) err = cudaGetDevice(&current);
  if (err != cudaSuccess) {
    cudaGetLastError();
    return pa::fail(PA_ERR_UNAVAILABLE, "%s: no usable CUDA device: %s", fn, cudaGetErrorString(err));
  }
  for (const DeviceArg& a : args) {
    if (a.ptr == nullptr) continue;  // optional outputs; required ones were checked before
    const auto addr = reinterpret_cast<uintptr_t>(a.ptr);
    if (addr % sizeof(float) != 0)
      return pa::fail(PA_ERR_DEVICE, "%s: argument '%s' (0x%llx) is not aligned to %zu bytes", fn, a.name,
                      static_cast<unsigned long long>(addr), sizeof(float));
    cudaPointerAttributes attr{};
    err = cudaPointerGetAttributes(&attr, a.ptr);
    if (err != cudaSuccess) {
      cudaGetLastError();
      return pa::fail(PA_ERR_DEVICE, "%s: argument '%s' (0x%llx) is not a CUDA pointer: %s", fn, a.name,
                      static_cast<unsigned long long>(addr), cudaGetErrorString(err));
    }
    if (attr.type != cudaMemoryTypeDevice && attr.type != cudaMemoryTypeManaged)
      return pa::fail(PA_ERR_DEVICE, "%s: argument '%s' (0x%llx) is host memory, not device memory", fn, a.name,
                      static_cast<unsigned long long>(addr));
    if (attr.type == cudaMemoryTypeDevice && attr.device != current)
      return pa::fail(PA_ERR_DEVICE,
                      "%s: argument '%s' is on CUDA device %d but the current device is %d (make its device current "
                      "first)",
                      fn, a.name, attr.device, current);
  }
  if (stream != nullptr) {
    int stream_device = 0;
    err = cudaStreamGetDevice(static_cast<cudaStream_t>(stream), &stream_device);
    if (err != cudaSuccess) {
      cudaGetLastError();
      return pa::fail(PA_ERR_DEVICE, "%s: stream is not a usable CUDA stream: %s", fn, cudaGetErrorString(err));
    }
    if (stream_device != current)
      return pa::fail(PA_ERR_DEVICE, "%s: stream belongs to CUDA device %d but the current device is %d", fn,
                      stream_device, current);
  }
  return PA_OK;
}

}  // namespace pa::cuda
