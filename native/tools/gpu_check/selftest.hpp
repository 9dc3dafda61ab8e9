// Known-answer checks of the harness itself (references, comparison), so a broken harness
// cannot pass kernels by accident.
#pragma once
#include "report.hpp"

namespace pa::check {

void run_harness_selftest(Report& report);

}  // namespace pa::check
