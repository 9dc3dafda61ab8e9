// The device-pointer entry points (pa_cuda_*): inputs and outputs at element offsets inside larger
// device allocations, padded row strides, a created (non-default) stream and the default one;
// results must equal the host wrappers' and the guard zones around every output stay untouched.
// Then the device-argument checks: null, misaligned, host memory, another device's memory or
// stream must each return its status and message and leave the outputs alone.
#pragma once
#include <cstdint>

#include "report.hpp"

namespace pa::check {

void run_device_entry_checks(uint64_t seed, Report& report);

}  // namespace pa::check
