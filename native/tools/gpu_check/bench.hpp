// Device timing of the pa_cuda_* entry points with CUDA events (warm-up, median of repeats,
// inputs larger than the H200's 60 MB L2) and the memory-bandwidth floor of each call.
#pragma once
#include <string>

#include "report.hpp"

namespace pa::check {

struct BenchOptions {
  double peak_gbps = 4800.0;  // H200 HBM3e
  int repeats = 15;
  bool small = false;         // shrink every shape (emulator / smoke runs)
};

// Runs the plan, adds one "bench" record per entry, writes the plan as JSON for the baseline.
void run_bench(const BenchOptions& opt, Report& report, const std::string& plan_path);

}  // namespace pa::check
