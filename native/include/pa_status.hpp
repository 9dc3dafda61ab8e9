// Thread-local error message behind pa_last_error(), shared by the CPU entry points and the CUDA
// host code (C++ only; not for device code).
#pragma once
#include <cstdarg>
#include <cstdint>
#include "peft_arena.h"

namespace pa {

// Records a printf-style message for pa_last_error() and returns the status code.
int fail(int status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
void clear_error();

}  // namespace pa

#define PA_REQUIRE_PTR(p) \
  do { if ((p) == nullptr) return ::pa::fail(PA_ERR_NULL, "%s: argument '%s' is null", __func__, #p); } while (0)
