// Bad-argument table for the host entry points: each call must return its status without
// touching a device (so it holds on machines without one) and leave the outputs alone.
#pragma once
#include "backend.hpp"
#include "report.hpp"

namespace pa::check {

// Checks `test` against the expected statuses; with `cpu` also checks both agree.
void run_validation(const Backend& test, const Backend* cpu, Report& report);
// A valid call without a device must fail cleanly with PA_ERR_UNAVAILABLE and a message.
void run_no_device_checks(const Backend& gpu, Report& report);

}  // namespace pa::check
