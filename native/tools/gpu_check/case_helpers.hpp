// Helpers shared by the correctness case files: message formatting, the sampled indices compared against
// the (slow) double references, and the record of a call that returned a failing status.
#pragma once
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "cases.hpp"
#include "peft_arena.h"
#include "report.hpp"
#include "rng.hpp"

namespace pa::check {

inline constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

inline std::string fmt(const char* f, long long a, long long b, long long c = 0, long long d = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, a, b, c, d);
  return buf;
}

// Indices of items compared against the double reference: all of up to `want`, else first, last and
// random others.
inline std::vector<int64_t> sample(int64_t count, int64_t want, Rng& rng) {
  std::vector<int64_t> idx;
  if (count <= want) {
    for (int64_t i = 0; i < count; ++i) idx.push_back(i);
    return idx;
  }
  idx.push_back(0);
  idx.push_back(count - 1);
  while (static_cast<int64_t>(idx.size()) < want) idx.push_back(static_cast<int64_t>(rng.next() % count));
  return idx;
}

inline void record_status(CaseContext& ctx, const std::string& op, const std::string& shape, const char* backend,
                          int st) {
  Record r{"correctness", op, shape, "status"};
  r.pass = false;
  r.detail = std::string(backend) + " returned status " + std::to_string(st) + ": " + pa_last_error();
  ctx.report.add(r);
}

}  // namespace pa::check
