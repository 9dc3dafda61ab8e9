// Shared pieces of the CUDA kernels: launch with error capture, status flags, small helpers.
// Compiles under nvcc and, for the host emulator, under g++ with emu/include first on the path.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>
#include <utility>

#include "peft_arena.h"
#include "pa_status.hpp"

#ifdef PA_CUDA_EMU
#define PA_DYNAMIC_SMEM(T, name) T* name = reinterpret_cast<T*>(pa_emu::dynamic_shared())
#else
#define PA_DYNAMIC_SMEM(T, name)                                        \
  extern __shared__ __align__(16) unsigned char pa_dynamic_smem_raw[]; \
  T* name = reinterpret_cast<T*>(pa_dynamic_smem_raw)
#endif

namespace pa::cuda {

// Bits a kernel may set in the optional device status word (host wrappers read it back).
constexpr int kFlagNonFinite = 1;
constexpr int kFlagNoConverge = 2;
constexpr unsigned kFullMask = 0xffffffffu;
constexpr int kSharedDefaultLimit = 48 * 1024;

// Fails with PA_ERR_CUDA and the CUDA error string when err is not cudaSuccess.
inline int check(cudaError_t err, const char* what) {
  if (err == cudaSuccess) return PA_OK;
  return pa::fail(PA_ERR_CUDA, "%s: %s (%s %d)", what, cudaGetErrorString(err), "cudaError", static_cast<int>(err));
}

#define PA_CUDA_TRY(expr, what)                           \
  do {                                                    \
    int pa_status_ = ::pa::cuda::check((expr), (what));   \
    if (pa_status_ != PA_OK) return pa_status_;           \
  } while (0)

// Launches kernel<<<grid, block, shared, stream>>>(args...) and reports launch errors.
template <typename... Params, typename... Args>
int launch(const char* name, void (*kernel)(Params...), dim3 grid, dim3 block, size_t shared, cudaStream_t stream,
           Args&&... args) {
  if (shared > static_cast<size_t>(kSharedDefaultLimit)) {
    PA_CUDA_TRY(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, static_cast<int>(shared)),
                name);
  }
#ifdef PA_CUDA_EMU
  static_cast<void>(stream);  // the emulator runs every launch to completion: there are no streams
  pa_emu::launch(grid, block, shared, [&] { kernel(args...); });
#else
  kernel<<<grid, block, shared, stream>>>(std::forward<Args>(args)...);
#endif
  return check(cudaGetLastError(), name);
}

// Blocks to launch for `work` items of `per_block` each, capped (kernels loop over the rest).
inline unsigned grid_for(int64_t work, int64_t per_block, int64_t cap = 1 << 20) {
  int64_t blocks = (work + per_block - 1) / per_block;
  if (blocks < 1) blocks = 1;
  return static_cast<unsigned>(blocks < cap ? blocks : cap);
}

// Device scratch allocated on the stream and released on every path.
class StreamScratch {
 public:
  explicit StreamScratch(cudaStream_t stream) : stream_(stream) {}
  StreamScratch(const StreamScratch&) = delete;
  StreamScratch& operator=(const StreamScratch&) = delete;
  ~StreamScratch() {
    for (int i = 0; i < count_; ++i) cudaFreeAsync(ptrs_[i], stream_);
  }
  int alloc(void** out, size_t bytes, const char* what) {
    *out = nullptr;
    if (bytes == 0) return PA_OK;
    void* p = nullptr;
    cudaError_t err = cudaMallocAsync(&p, bytes, stream_);
    if (err != cudaSuccess) {
      cudaGetLastError();
      return pa::fail(err == cudaErrorMemoryAllocation ? PA_ERR_ALLOC : PA_ERR_CUDA, "%s: cudaMallocAsync(%zu bytes): %s",
                      what, bytes, cudaGetErrorString(err));
    }
    ptrs_[count_++] = p;
    *out = p;
    return PA_OK;
  }

 private:
  cudaStream_t stream_;
  void* ptrs_[8] = {};
  int count_ = 0;
};

inline int round_up(int v, int to) { return (v + to - 1) / to * to; }

// Smallest supported lane-group width (power of two, >= 4) holding n columns; 0 if n > 32.
inline int group_width(int n) {
  if (n <= 4) return 4;
  if (n <= 8) return 8;
  if (n <= 16) return 16;
  if (n <= 32) return 32;
  return 0;
}

// The launch for block size b: small(std::integral_constant<int, W>{}) for its lane-group width W
// (group_width), or large() when b is wider than 32 columns. Returns the launch's status.
template <class Small, class Large>
int by_group_width(int b, Small&& small, Large&& large) {
  switch (group_width(b)) {
    case 4: return small(std::integral_constant<int, 4>{});
    case 8: return small(std::integral_constant<int, 8>{});
    case 16: return small(std::integral_constant<int, 16>{});
    case 32: return small(std::integral_constant<int, 32>{});
    default: return large();
  }
}

// Round-robin (circle method) partner of player p among `players` (even) in round r < players-1:
// every pair meets exactly once per sweep and every player plays once per round.
__device__ __forceinline__ int round_robin_partner(int p, int r, int players) {
  const int last = players - 1;
  if (p == last) return r;
  if (p == r) return last;
  int q = 2 * r - p;
  q %= last;
  if (q < 0) q += last;
  return q;
}

}  // namespace pa::cuda
