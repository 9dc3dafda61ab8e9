// Correctness cases: seeded random inputs of many shapes, outputs poisoned with NaN first,
// checked against the double references (sampled matrices) and, when given, the CPU kernels.
#pragma once
#include <cstdint>

#include "backend.hpp"
#include "report.hpp"

namespace pa::check {

// smoke: each kernel path once (the emulator under sanitizers); tiny: emulator; quick: CPU self-test;
// full: GPU run.
enum class Size { kSmoke, kTiny, kQuick, kFull };

struct CaseContext {
  const Backend& test;
  const Backend* cpu;  // compared against as well when non-null
  Size size;
  uint64_t seed;
  Report& report;
};

void run_cayley_cases(CaseContext& ctx);
void run_rotate_cases(CaseContext& ctx);
void run_svd_cases(CaseContext& ctx);
void run_procrustes_cases(CaseContext& ctx);
// The OFT training backward: the rotation's gradient w.r.t. its blocks and the Cayley VJP.
void run_block_cross_cases(CaseContext& ctx);
void run_cayley_vjp_cases(CaseContext& ctx);

}  // namespace pa::check
