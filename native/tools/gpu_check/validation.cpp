#include "validation.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "peft_arena.h"

namespace pa::check {
namespace {

struct BadCall {
  const char* op;
  const char* what;
  int expected;
  std::function<int(const Backend&, float* out)> call;
};

// Finite values with one NaN and one Inf in the middle.
const float* bad_in() {
  static float v[4096];
  for (int i = 0; i < 4096; ++i) v[i] = 0.125f;
  v[5] = std::numeric_limits<float>::quiet_NaN();
  v[9] = std::numeric_limits<float>::infinity();
  return v;
}

std::vector<BadCall> table() {
  static float in[4096];
  static const float nan = std::numeric_limits<float>::quiet_NaN();
  return {
      {"cayley", "null q", PA_ERR_NULL, [](const Backend& be, float* o) { return be.cayley(nullptr, 1, 4, 5, 1.0f, o); }},
      {"cayley", "null r", PA_ERR_NULL, [](const Backend& be, float*) { return be.cayley(in, 1, 4, 5, 1.0f, nullptr); }},
      {"cayley", "b = 1", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley(in, 1, 1, 5, 1.0f, o); }},
      {"cayley", "b = 129", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley(in, 1, 129, 5, 1.0f, o); }},
      {"cayley", "batch < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley(in, -1, 4, 5, 1.0f, o); }},
      {"cayley", "terms < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley(in, 1, 4, -2, 1.0f, o); }},
      {"cayley", "NaN scale", PA_ERR_NONFINITE, [](const Backend& be, float* o) { return be.cayley(in, 1, 4, 5, nan, o); }},
      {"cayley", "terms = 65", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley(in, 1, 4, 65, 1.0f, o); }},
      {"cayley", "NaN in q", PA_ERR_NONFINITE, [](const Backend& be, float* o) { return be.cayley(bad_in(), 2, 8, 5, 1.0f, o); }},
      {"block_rotate", "null x", PA_ERR_NULL,
       [](const Backend& be, float* o) { return be.rotate(nullptr, 2, 8, 8, in, 4, 0, o, 8); }},
      {"block_rotate", "null r", PA_ERR_NULL,
       [](const Backend& be, float* o) { return be.rotate(in, 2, 8, 8, nullptr, 4, 0, o, 8); }},
      {"block_rotate", "null y", PA_ERR_NULL,
       [](const Backend& be, float*) { return be.rotate(in, 2, 8, 8, in, 4, 0, nullptr, 8); }},
      {"block_rotate", "b does not divide n", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.rotate(in, 2, 10, 10, in, 4, 0, o, 10); }},
      {"block_rotate", "b = 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.rotate(in, 2, 8, 8, in, 0, 0, o, 8); }},
      {"block_rotate", "b = 129", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.rotate(in, 1, 129, 129, in, 129, 0, o, 129); }},
      {"block_rotate", "x_stride < n", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.rotate(in, 2, 8, 7, in, 4, 0, o, 8); }},
      {"block_rotate", "y_stride < n", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.rotate(in, 2, 8, 8, in, 4, 0, o, 7); }},
      {"block_rotate", "rows < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.rotate(in, -1, 8, 8, in, 4, 0, o, 8); }},
      {"block_rotate", "transpose = 2", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.rotate(in, 2, 8, 8, in, 4, 2, o, 8); }},
      {"block_rotate", "x and y overlap", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.rotate(o, 2, 8, 8, in, 4, 0, o + 4, 8); }},
      {"block_rotate", "NaN in r", PA_ERR_NONFINITE,
       [](const Backend& be, float* o) { return be.rotate(in, 2, 16, 16, bad_in(), 8, 0, o, 16); }},
      {"block_cross", "null x", PA_ERR_NULL, [](const Backend& be, float* o) { return be.cross(nullptr, 2, 8, 8, in, 8, 4, o); }},
      {"block_cross", "null g", PA_ERR_NULL, [](const Backend& be, float* o) { return be.cross(in, 2, 8, 8, nullptr, 8, 4, o); }},
      {"block_cross", "null out", PA_ERR_NULL, [](const Backend& be, float*) { return be.cross(in, 2, 8, 8, in, 8, 4, nullptr); }},
      {"block_cross", "b does not divide n", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.cross(in, 2, 10, 10, in, 10, 4, o); }},
      {"block_cross", "b = 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cross(in, 2, 8, 8, in, 8, 0, o); }},
      {"block_cross", "b = 129", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.cross(in, 1, 129, 129, in, 129, 129, o); }},
      {"block_cross", "x_stride < n", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cross(in, 2, 8, 7, in, 8, 4, o); }},
      {"block_cross", "g_stride < n", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cross(in, 2, 8, 8, in, 7, 4, o); }},
      {"block_cross", "rows < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cross(in, -1, 8, 8, in, 8, 4, o); }},
      {"block_cross", "n < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cross(in, 2, -8, 8, in, 8, 4, o); }},
      {"block_cross", "out overlaps x", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.cross(o, 2, 8, 8, in, 8, 4, o + 4); }},
      {"block_cross", "out overlaps g", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.cross(in, 2, 8, 8, o + 8, 8, 4, o); }},
      {"cayley_vjp", "null q", PA_ERR_NULL, [](const Backend& be, float* o) { return be.cayley_vjp(nullptr, in, in, 1, 4, 5, o); }},
      {"cayley_vjp", "null g", PA_ERR_NULL, [](const Backend& be, float* o) { return be.cayley_vjp(in, in, nullptr, 1, 4, 5, o); }},
      {"cayley_vjp", "null dq", PA_ERR_NULL, [](const Backend& be, float*) { return be.cayley_vjp(in, in, in, 1, 4, 5, nullptr); }},
      {"cayley_vjp", "exact with null r", PA_ERR_NULL,
       [](const Backend& be, float* o) { return be.cayley_vjp(in, nullptr, in, 1, 4, PA_CAYLEY_EXACT, o); }},
      {"cayley_vjp", "b = 1", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley_vjp(in, in, in, 1, 1, 5, o); }},
      {"cayley_vjp", "b = 129", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley_vjp(in, in, in, 1, 129, 5, o); }},
      {"cayley_vjp", "batch < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley_vjp(in, in, in, -1, 4, 5, o); }},
      {"cayley_vjp", "terms < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley_vjp(in, in, in, 1, 4, -1, o); }},
      {"cayley_vjp", "terms = 65", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.cayley_vjp(in, in, in, 1, 4, 65, o); }},
      {"cayley_vjp", "batch too large", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.cayley_vjp(in, in, in, INT64_MAX / 2, 4, 5, o); }},
      {"svd", "Inf in a", PA_ERR_NONFINITE, [](const Backend& be, float* o) { return be.svd(bad_in(), 2, 4, 4, o, nullptr, nullptr); }},
      {"svd", "null a", PA_ERR_NULL, [](const Backend& be, float* o) { return be.svd(nullptr, 1, 4, 4, o, nullptr, nullptr); }},
      {"svd", "null s", PA_ERR_NULL, [](const Backend& be, float* o) { return be.svd(in, 1, 4, 4, nullptr, o, nullptr); }},
      {"svd", "m = 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.svd(in, 1, 0, 4, o, nullptr, nullptr); }},
      {"svd", "n = 129", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.svd(in, 1, 4, 129, o, nullptr, nullptr); }},
      {"svd", "batch < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.svd(in, -3, 4, 4, o, nullptr, nullptr); }},
      {"procrustes", "null x1", PA_ERR_NULL,
       [](const Backend& be, float* o) { return be.procrustes(nullptr, in, 1, 8, 4, nullptr, o); }},
      {"procrustes", "null x0", PA_ERR_NULL,
       [](const Backend& be, float* o) { return be.procrustes(in, nullptr, 1, 8, 4, nullptr, o); }},
      {"procrustes", "rot and residual null", PA_ERR_NULL,
       [](const Backend& be, float*) { return be.procrustes(in, in, 1, 8, 4, nullptr, nullptr); }},
      {"procrustes", "rows < 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.procrustes(in, in, 1, -1, 4, nullptr, o); }},
      {"procrustes", "NaN in x1", PA_ERR_NONFINITE,
       [](const Backend& be, float* o) { return be.procrustes(bad_in(), in, 2, 8, 4, nullptr, o); }},
      {"procrustes", "d = 0", PA_ERR_SIZE, [](const Backend& be, float* o) { return be.procrustes(in, in, 1, 8, 0, nullptr, o); }},
      {"procrustes", "d = 129", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.procrustes(in, in, 1, 8, 129, nullptr, o); }},
      {"procrustes", "batch < 0", PA_ERR_SIZE,
       [](const Backend& be, float* o) { return be.procrustes(in, in, -1, 8, 4, nullptr, o); }},
  };
}

constexpr size_t kOut = 4096;
constexpr float kPoison = -7.25f;

bool untouched(const std::vector<float>& out) {
  for (float v : out)
    if (v != kPoison) return false;
  return true;
}

}  // namespace

void run_validation(const Backend& test, const Backend* cpu, Report& report) {
  for (const BadCall& bc : table()) {
    std::vector<float> out(kOut, kPoison);
    const int got = bc.call(test, out.data());
    Record r{"validation", bc.op, bc.what, "status"};
    r.pass = got == bc.expected && untouched(out) && pa_last_error()[0] != '\0';
    r.detail = test.name + " returned " + std::to_string(got) + " (expected " + std::to_string(bc.expected) + "): " +
               pa_last_error();
    report.add(r);
    if (cpu) {
      std::vector<float> cout(kOut, kPoison);
      const int cpu_got = bc.call(*cpu, cout.data());
      Record c{"validation", bc.op, bc.what, "cpu"};
      c.pass = cpu_got == got;
      c.detail = "cpu returned " + std::to_string(cpu_got) + ", " + test.name + " returned " + std::to_string(got);
      report.add(c);
    }
  }
}

void run_no_device_checks(const Backend& gpu, Report& report) {
  std::vector<float> in(4096, 0.25f);
  struct Call { const char* op; std::function<int(float*)> fn; };
  const std::vector<Call> calls = {
      {"cayley", [&](float* o) { return gpu.cayley(in.data(), 2, 8, 5, 1.0f, o); }},
      {"block_rotate", [&](float* o) { return gpu.rotate(in.data(), 4, 16, 16, in.data(), 8, 0, o, 16); }},
      {"svd", [&](float* o) { return gpu.svd(in.data(), 2, 4, 4, o, o + 64, o + 128); }},
      {"procrustes", [&](float* o) { return gpu.procrustes(in.data(), in.data(), 2, 8, 4, o, o + 64); }},
      {"block_cross", [&](float* o) { return gpu.cross(in.data(), 4, 16, 16, in.data(), 16, 8, o); }},
      {"cayley_vjp", [&](float* o) { return gpu.cayley_vjp(in.data(), in.data(), in.data(), 2, 8, 0, o); }},
  };
  // The device-pointer entry points, given host memory: no device is found before anything is read.
  const std::vector<Call> device_calls = {
      {"cayley_device", [&](float* o) { return pa_cuda_cayley_f32(in.data(), 2, 8, 5, 1.0f, o, nullptr); }},
      {"block_rotate_device", [&](float* o) { return pa_cuda_block_rotate_f32(in.data(), 4, 16, 16, in.data(), 8, 0, o, 16, nullptr); }},
      {"svd_device", [&](float* o) { return pa_cuda_svd_batched_f32(in.data(), 2, 4, 4, o, o + 64, o + 128, nullptr); }},
      {"procrustes_device", [&](float* o) { return pa_cuda_procrustes_batched_f32(in.data(), in.data(), 2, 8, 4, o, o + 64, nullptr); }},
      {"block_cross_device", [&](float* o) { return pa_cuda_block_cross_f32(in.data(), 4, 16, 16, in.data(), 16, 8, o, nullptr); }},
      {"cayley_vjp_device", [&](float* o) { return pa_cuda_cayley_vjp_f32(in.data(), nullptr, in.data(), 2, 8, 5, o, nullptr); }},
  };
  std::vector<Call> all = calls;
  all.insert(all.end(), device_calls.begin(), device_calls.end());
  for (const Call& c : all) {
    std::vector<float> out(kOut, kPoison);
    const int got = c.fn(out.data());
    Record r{"validation", c.op, "valid call, no device", "status"};
    r.pass = got == PA_ERR_UNAVAILABLE && untouched(out) && pa_last_error()[0] != '\0';
    r.detail = "returned " + std::to_string(got) + ": " + pa_last_error();
    report.add(r);
  }
}

}  // namespace pa::check
