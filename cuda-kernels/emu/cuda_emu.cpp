// Host emulation of the CUDA runtime subset declared in emu/include/cuda_runtime.h.
// Blocks run one after another; each CUDA thread of a block is a host thread. A barrier that
// waits too long aborts the process: it means a kernel reached __syncthreads or a shuffle from
// divergent code, which would also be a bug on a real GPU.
#include "cuda_runtime.h"

#include <chrono>
#include <condition_variable>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

thread_local dim3 threadIdx;
thread_local dim3 blockIdx;
thread_local dim3 blockDim;
thread_local dim3 gridDim;

namespace {

constexpr size_t kMaxDynamicShared = 232448;  // the sm_90 opt-in limit

class Barrier {
 public:
  explicit Barrier(int count) : count_(count) {}
  void wait() {
    std::unique_lock<std::mutex> lock(mu_);
    const uint64_t gen = generation_;
    if (++arrived_ == count_) {
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
      return;
    }
    if (!cv_.wait_for(lock, std::chrono::seconds(120), [&] { return generation_ != gen; })) {
      std::fprintf(stderr, "cuda emulator: barrier timeout (%d of %d threads arrived): divergent barrier or shuffle\n",
                   arrived_, count_);
      std::abort();
    }
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_;
  int arrived_ = 0;
  uint64_t generation_ = 0;
};

struct Warp {
  explicit Warp(int lanes) : lanes(lanes), barrier(lanes) {}
  int lanes;
  Barrier barrier;
  uint64_t slots[2][32] = {};  // double-buffered so one barrier per exchange suffices
  int phase[32] = {};
};

struct BlockState {
  std::unique_ptr<Barrier> barrier;
  std::vector<std::unique_ptr<Warp>> warps;
  std::vector<unsigned char> shared;
};

thread_local BlockState* t_block = nullptr;
thread_local int t_linear = 0;
thread_local cudaError_t t_last_error = cudaSuccess;

cudaError_t record(cudaError_t err) {
  if (err != cudaSuccess) t_last_error = err;
  return err;
}

Warp& my_warp() { return *t_block->warps[static_cast<size_t>(t_linear / 32)]; }

struct EmuEvent { std::chrono::steady_clock::time_point at; };
struct EmuStream { int device; };

constexpr int kDevices = 2;
thread_local int t_device = 0;

// Live device allocations: base address -> (bytes, device), for cudaPointerGetAttributes.
struct Allocation { size_t bytes; int device; };
std::mutex g_alloc_mu;
std::map<uintptr_t, Allocation>& allocations() {
  static std::map<uintptr_t, Allocation> m;
  return m;
}

}  // namespace

namespace pa_emu {

void launch(dim3 grid, dim3 block, size_t shared_bytes, const std::function<void()>& body) {
  const uint64_t threads = static_cast<uint64_t>(block.x) * block.y * block.z;
  if (threads == 0 || threads > 1024 || grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.y > 65535 ||
      grid.z > 65535 || shared_bytes > kMaxDynamicShared) {
    record(cudaErrorInvalidConfiguration);
    return;
  }
  const int n = static_cast<int>(threads);
  // One host thread per CUDA thread for the whole grid; blocks run one after another and the
  // block barrier separates them, so shared memory and warp state are reset in between.
  BlockState state;
  state.barrier = std::make_unique<Barrier>(n);
  state.shared.assign(shared_bytes + 16, 0xFF);  // uninitialised shared memory reads as NaN
  for (int w = 0; w < (n + 31) / 32; ++w) state.warps.push_back(std::make_unique<Warp>(std::min(32, n - 32 * w)));
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t) {
    pool.emplace_back([&, t] {
      t_block = &state;
      t_linear = t;
      threadIdx = dim3(t % block.x, (t / block.x) % block.y, t / (block.x * block.y));
      blockDim = block;
      gridDim = grid;
      for (unsigned bz = 0; bz < grid.z; ++bz)
        for (unsigned by = 0; by < grid.y; ++by)
          for (unsigned bx = 0; bx < grid.x; ++bx) {
            blockIdx = dim3(bx, by, bz);
            body();
            state.barrier->wait();
            if (t == 0) std::fill(state.shared.begin(), state.shared.end(), static_cast<unsigned char>(0xFF));
            state.barrier->wait();
          }
    });
  }
  for (auto& th : pool) th.join();
}

void* dynamic_shared() {
  auto addr = reinterpret_cast<uintptr_t>(t_block->shared.data());
  return reinterpret_cast<void*>((addr + 15) & ~uintptr_t(15));
}
void block_barrier() { t_block->barrier->wait(); }
void warp_barrier() { my_warp().barrier.wait(); }
int lane_count() { return my_warp().lanes; }

uint64_t exchange(uint64_t value, int src_lane) {
  Warp& w = my_warp();
  if (src_lane < 0 || src_lane >= w.lanes) {
    std::fprintf(stderr, "cuda emulator: shuffle from lane %d of a %d-lane warp\n", src_lane, w.lanes);
    std::abort();
  }
  const int lane = t_linear % 32;
  const int ph = w.phase[lane];
  w.phase[lane] ^= 1;
  // A lane can only rewrite this buffer after the next exchange's barrier, which every lane
  // reaches after reading from it.
  w.slots[ph][lane] = value;
  w.barrier.wait();
  return w.slots[ph][src_lane];
}

uint32_t ballot(bool pred) {
  Warp& w = my_warp();
  const int lane = t_linear % 32;
  const int ph = w.phase[lane];
  w.phase[lane] ^= 1;
  w.slots[ph][lane] = pred ? 1u : 0u;
  w.barrier.wait();
  uint32_t mask = 0;
  for (int l = 0; l < w.lanes; ++l)
    if (w.slots[ph][l]) mask |= 1u << l;
  return mask;
}

}  // namespace pa_emu

const char* cudaGetErrorString(cudaError_t err) {
  switch (err) {
    case cudaSuccess: return "no error";
    case cudaErrorInvalidValue: return "invalid argument";
    case cudaErrorMemoryAllocation: return "out of memory";
    case cudaErrorInvalidConfiguration: return "invalid configuration argument";
    case cudaErrorNoDevice: return "no CUDA-capable device is detected";
    case cudaErrorInvalidDevice: return "invalid device ordinal";
    default: return "unspecified launch failure";
  }
}
const char* cudaGetErrorName(cudaError_t err) { return cudaGetErrorString(err); }
cudaError_t cudaGetLastError(void) {
  cudaError_t e = t_last_error;
  t_last_error = cudaSuccess;
  return e;
}
cudaError_t cudaPeekAtLastError(void) { return t_last_error; }
cudaError_t cudaGetDeviceCount(int* count) { *count = kDevices; return cudaSuccess; }
cudaError_t cudaGetDevice(int* device) { *device = t_device; return cudaSuccess; }
cudaError_t cudaSetDevice(int device) {
  if (device < 0 || device >= kDevices) return record(cudaErrorInvalidDevice);
  t_device = device;
  return cudaSuccess;
}
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* prop, int device) {
  if (device < 0 || device >= kDevices) return record(cudaErrorInvalidDevice);
  std::memset(prop, 0, sizeof *prop);
  std::snprintf(prop->name, sizeof prop->name, "host emulator");
  prop->totalGlobalMem = size_t(1) << 32;
  prop->multiProcessorCount = 1;
  prop->major = 9;
  prop->l2CacheSize = 1 << 20;
  prop->sharedMemPerBlockOptin = kMaxDynamicShared;
  return cudaSuccess;
}
cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int) {
  *value = attr == cudaDevAttrMaxSharedMemoryPerBlockOptin ? static_cast<int>(kMaxDynamicShared) : 1;
  return cudaSuccess;
}
cudaError_t cudaMalloc(void** ptr, size_t bytes) {
  *ptr = nullptr;
  void* p = std::aligned_alloc(256, ((bytes + 255) / 256) * 256 + 256);
  if (!p) return record(cudaErrorMemoryAllocation);
  std::memset(p, 0xFF, bytes);  // fresh device memory is garbage; NaN makes forgotten writes visible
  *ptr = p;
  std::lock_guard<std::mutex> lock(g_alloc_mu);
  allocations()[reinterpret_cast<uintptr_t>(p)] = Allocation{bytes, t_device};
  return cudaSuccess;
}
cudaError_t cudaFree(void* ptr) {
  if (ptr) {
    std::lock_guard<std::mutex> lock(g_alloc_mu);
    allocations().erase(reinterpret_cast<uintptr_t>(ptr));
  }
  std::free(ptr);
  return cudaSuccess;
}
cudaError_t cudaPointerGetAttributes(cudaPointerAttributes* attr, const void* ptr) {
  if (attr == nullptr) return record(cudaErrorInvalidValue);
  *attr = cudaPointerAttributes{cudaMemoryTypeUnregistered, -2, nullptr, const_cast<void*>(ptr)};
  const auto addr = reinterpret_cast<uintptr_t>(ptr);
  std::lock_guard<std::mutex> lock(g_alloc_mu);
  auto& m = allocations();
  auto it = m.upper_bound(addr);
  if (it == m.begin()) return cudaSuccess;
  --it;
  if (addr < it->first + it->second.bytes) {
    *attr = cudaPointerAttributes{cudaMemoryTypeDevice, it->second.device, const_cast<void*>(ptr), nullptr};
  }
  return cudaSuccess;
}
cudaError_t cudaStreamCreate(cudaStream_t* stream) {
  *stream = reinterpret_cast<cudaStream_t>(new EmuStream{t_device});
  return cudaSuccess;
}
cudaError_t cudaStreamDestroy(cudaStream_t stream) { delete reinterpret_cast<EmuStream*>(stream); return cudaSuccess; }
cudaError_t cudaStreamGetDevice(cudaStream_t stream, int* device) {
  *device = stream == nullptr ? t_device : reinterpret_cast<EmuStream*>(stream)->device;
  return cudaSuccess;
}
cudaError_t cudaMallocAsync(void** ptr, size_t bytes, cudaStream_t) { return cudaMalloc(ptr, bytes); }
cudaError_t cudaFreeAsync(void* ptr, cudaStream_t) { return cudaFree(ptr); }
cudaError_t cudaMemcpy(void* dst, const void* src, size_t bytes, cudaMemcpyKind) {
  if (bytes) std::memmove(dst, src, bytes);
  return cudaSuccess;
}
cudaError_t cudaMemcpyAsync(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, cudaStream_t) {
  return cudaMemcpy(dst, src, bytes, kind);
}
cudaError_t cudaMemcpy2D(void* dst, size_t dpitch, const void* src, size_t spitch, size_t width, size_t height,
                         cudaMemcpyKind) {
  if (width > dpitch || width > spitch) return record(cudaErrorInvalidValue);
  for (size_t r = 0; r < height; ++r)
    std::memmove(static_cast<char*>(dst) + r * dpitch, static_cast<const char*>(src) + r * spitch, width);
  return cudaSuccess;
}
cudaError_t cudaMemset(void* dst, int value, size_t bytes) { std::memset(dst, value, bytes); return cudaSuccess; }
cudaError_t cudaMemsetAsync(void* dst, int value, size_t bytes, cudaStream_t) { return cudaMemset(dst, value, bytes); }
cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }
cudaError_t cudaDeviceSynchronize(void) { return cudaSuccess; }
cudaError_t cudaEventCreate(cudaEvent_t* event) {
  *event = reinterpret_cast<cudaEvent_t>(new EmuEvent{});
  return cudaSuccess;
}
cudaError_t cudaEventDestroy(cudaEvent_t event) { delete reinterpret_cast<EmuEvent*>(event); return cudaSuccess; }
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t) {
  reinterpret_cast<EmuEvent*>(event)->at = std::chrono::steady_clock::now();
  return cudaSuccess;
}
cudaError_t cudaEventSynchronize(cudaEvent_t) { return cudaSuccess; }
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  auto d = reinterpret_cast<EmuEvent*>(end)->at - reinterpret_cast<EmuEvent*>(start)->at;
  *ms = std::chrono::duration<float, std::milli>(d).count();
  return cudaSuccess;
}
cudaError_t cudaDriverGetVersion(int* version) { *version = 0; return cudaSuccess; }
cudaError_t cudaRuntimeGetVersion(int* version) { *version = 0; return cudaSuccess; }
