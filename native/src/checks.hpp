// What the CPU entry points share besides the argument checks (pa_arg_checks.hpp): scratch
// buffers and the out-of-memory status.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <new>

#include "pa_arg_checks.hpp"
#include "pa_status.hpp"
#include "peft_arena.h"

namespace pa {

// 64-byte aligned scratch that frees itself; empty after a failed allocation.
template <typename T>
class AlignedBuffer {
 public:
  explicit AlignedBuffer(int64_t count) {
    if (count <= 0) count = 1;
    const size_t bytes = (static_cast<size_t>(count) * sizeof(T) + 63) / 64 * 64;
    data_ = static_cast<T*>(std::aligned_alloc(64, bytes));
  }
  ~AlignedBuffer() { std::free(data_); }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  T* get() const { return data_; }
  bool ok() const { return data_ != nullptr; }

 private:
  T* data_ = nullptr;
};

}  // namespace pa

#define PA_REQUIRE_ALLOC(buf, fn) \
  do { if (!(buf).ok()) return ::pa::fail(PA_ERR_ALLOC, "%s: out of memory for scratch buffers", fn); } while (0)
