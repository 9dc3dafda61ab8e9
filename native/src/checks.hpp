// Argument checks shared by the entry points; each returns PA_OK or records a message and
// returns the status code.
#pragma once
#include <cmath>
#include <cstring>
#include <type_traits>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "peft_arena.h"
#include "status.hpp"

namespace pa {

// Index of the first non-finite element of p[0:count), or -1.
template <typename T>
int64_t first_nonfinite(const T* p, int64_t count) {
  // Inf and NaN are exactly the values whose exponent bits are all ones. Testing the bits is an
  // integer OR-reduction, which the compiler vectorises (a floating-point sum would be a serial
  // dependency chain: without reassociation it cannot be split across lanes). The slow search for
  // the index only runs when something is wrong.
  using U = typename std::conditional<sizeof(T) == 4, uint32_t, uint64_t>::type;
  constexpr U kExp = sizeof(T) == 4 ? U(0x7f800000u) : U(0x7ff0000000000000ull);
  U bad = 0;
  for (int64_t i = 0; i < count; ++i) {
    U u;
    std::memcpy(&u, p + i, sizeof(U));
    bad |= static_cast<U>((u & kExp) == kExp);
  }
  if (bad == 0) return -1;
  for (int64_t i = 0; i < count; ++i)
    if (!std::isfinite(p[i])) return i;
  return -1;
}

template <typename T>
int require_finite(const char* fn, const char* what, const T* p, int64_t count) {
  const int64_t bad = first_nonfinite(p, count);
  if (bad < 0) return PA_OK;
  return fail(PA_ERR_NONFINITE, "%s: %s[%lld] = %g is not finite", fn, what, static_cast<long long>(bad),
              static_cast<double>(p[bad]));
}

// a * b * c without int64 overflow (all non-negative), or -1.
inline int64_t checked_product(int64_t a, int64_t b, int64_t c = 1) {
  int64_t ab = 0, abc = 0;
  if (__builtin_mul_overflow(a, b, &ab) || __builtin_mul_overflow(ab, c, &abc)) return -1;
  return abc;
}

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
