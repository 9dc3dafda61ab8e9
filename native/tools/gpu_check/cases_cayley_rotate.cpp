#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "case_helpers.hpp"
#include "cases.hpp"
#include "peft_arena.h"
#include "reference.hpp"
#include "rng.hpp"

namespace pa::check {
namespace {

std::string cayley_name(int terms) { return terms == 0 ? "cayley_exact" : "cayley_neumann" + std::to_string(terms); }

void cayley_case(CaseContext& ctx, Rng& rng, int64_t batch, int b, int terms, float scale) {
  const int64_t np = static_cast<int64_t>(b) * (b - 1) / 2;
  const std::string op = cayley_name(terms);
  const std::string shape = fmt("batch=%lld b=%lld", batch, b) + (scale != 1.0f ? " scale=0.5" : "");
  std::vector<float> q = rng.normals(static_cast<size_t>(batch * np), 0.4 / std::sqrt(static_cast<double>(b)));
  std::vector<float> r(static_cast<size_t>(batch * b * b), kNaN);
  const int st = ctx.test.cayley(q.data(), batch, b, terms, scale, r.data());
  if (st != PA_OK) return record_status(ctx, op, shape, ctx.test.name.c_str(), st);
  const double atol = 4e-6 * b, rtol = 1e-4;
  Record rec{"correctness", op, shape, "reference"};
  rec.max_abs = 0;
  rec.ratio = 0;
  for (int64_t mat : sample(batch, ctx.size == Size::kFull ? 96 : 12, rng)) {
    const Mat ref = cayley_ref(q.data() + mat * np, b, terms, scale);
    const Comparison c = compare(r.data() + mat * b * b, ref.data(), ref.size(), atol, rtol);
    rec.max_abs = std::max(rec.max_abs, c.max_abs);
    rec.ratio = std::max(rec.ratio, c.ratio);
    if (!c.pass && rec.pass) {
      rec.pass = false;
      rec.detail = "matrix " + std::to_string(mat) + ": " + c.describe();
    }
  }
  const size_t bad = first_nonfinite(r.data(), r.size());
  if (bad < r.size()) {
    rec.pass = false;
    rec.detail += " unwritten/non-finite output at " + std::to_string(bad);
  }
  ctx.report.add(rec);
  if (ctx.cpu) {
    std::vector<float> rc(r.size(), kNaN);
    const int cs = ctx.cpu->cayley(q.data(), batch, b, terms, scale, rc.data());
    if (cs != PA_OK) return record_status(ctx, op, shape, "cpu", cs);
    const Comparison c = compare(r.data(), rc.data(), r.size(), 2 * atol, 2 * rtol);
    Record rr{"correctness", op, shape, "cpu", c.pass, c.max_abs, c.ratio};
    if (!c.pass) rr.detail = c.describe();
    ctx.report.add(rr);
  }
}

void rotate_case(CaseContext& ctx, Rng& rng, int64_t rows, int64_t nblocks, int b, int transpose) {
  const int64_t n = nblocks * b, xs = n + 3, ys = n + 1;
  const std::string op = transpose ? "block_rotate_t" : "block_rotate";
  const std::string shape = fmt("rows=%lld n=%lld b=%lld", rows, n, b);
  std::vector<float> x = rng.normals(static_cast<size_t>(rows * xs), 1.0);
  std::vector<float> r = rng.normals(static_cast<size_t>(nblocks * b * b), 1.0 / std::sqrt(static_cast<double>(b)));
  const float sentinel = 12345.0f;
  std::vector<float> y(static_cast<size_t>(rows * ys), sentinel);
  for (int64_t i = 0; i < rows; ++i) std::fill_n(y.begin() + i * ys, n, kNaN);
  const int st = ctx.test.rotate(x.data(), rows, n, xs, r.data(), b, transpose, y.data(), ys);
  if (st != PA_OK) return record_status(ctx, op, shape, ctx.test.name.c_str(), st);
  const double atol = 1e-6 * b + 1e-6, rtol = 1e-5;
  Record rec{"correctness", op, shape, "reference"};
  rec.max_abs = 0;
  rec.ratio = 0;
  for (int64_t row : sample(rows, ctx.size == Size::kFull ? 128 : 16, rng)) {
    const std::vector<double> ref = rotate_ref(x.data() + row * xs, 1, n, xs, r.data(), b, transpose);
    const Comparison c = compare(y.data() + row * ys, ref.data(), static_cast<size_t>(n), atol, rtol);
    rec.max_abs = std::max(rec.max_abs, c.max_abs);
    rec.ratio = std::max(rec.ratio, c.ratio);
    if (!c.pass && rec.pass) {
      rec.pass = false;
      rec.detail = "row " + std::to_string(row) + ": " + c.describe();
    }
  }
  for (int64_t i = 0; i < rows && rec.pass; ++i) {
    for (int64_t c = 0; c < n; ++c)
      if (!std::isfinite(y[i * ys + c])) { rec.pass = false; rec.detail = "unwritten output in row " + std::to_string(i); break; }
    for (int64_t c = n; c < ys; ++c)
      if (y[i * ys + c] != sentinel) { rec.pass = false; rec.detail = "row padding overwritten in row " + std::to_string(i); break; }
  }
  ctx.report.add(rec);
  if (ctx.cpu) {
    std::vector<float> yc(y.size(), sentinel);
    const int cs = ctx.cpu->rotate(x.data(), rows, n, xs, r.data(), b, transpose, yc.data(), ys);
    if (cs != PA_OK) return record_status(ctx, op, shape, "cpu", cs);
    const Comparison c = compare(y.data(), yc.data(), y.size(), 2 * atol, 2 * rtol);
    Record rr{"correctness", op, shape, "cpu", c.pass, c.max_abs, c.ratio};
    if (!c.pass) rr.detail = c.describe();
    ctx.report.add(rr);
  }
}

}  // namespace

void run_cayley_cases(CaseContext& ctx) {
  Rng rng(ctx.seed ^ 0xCA11E7);
  const bool full = ctx.size == Size::kFull;
  if (ctx.size == Size::kSmoke) {  // the lane-group kernel and the block-per-matrix kernel
    for (int b : {5, 33})
      for (int terms : {0, 5}) cayley_case(ctx, rng, 3, b, terms, 0.5f);
    return;
  }
  const std::vector<int> blocks = ctx.size == Size::kTiny ? std::vector<int>{2, 5, 16, 32, 33}
                                                          : std::vector<int>{2, 3, 16, 31, 32, 33, 64, 128};
  for (int b : blocks)
    for (int terms : {0, 5}) {
      cayley_case(ctx, rng, 1, b, terms, 1.0f);
      cayley_case(ctx, rng, ctx.size == Size::kTiny ? 9 : 1001, b, terms, 1.0f);
      if (full) cayley_case(ctx, rng, b <= 32 ? 65536 : 4097, b, terms, 1.0f);
    }
  for (int terms : {1, 2, 3, 4, 6, 8}) cayley_case(ctx, rng, 7, ctx.size == Size::kTiny ? 8 : 32, terms, 1.0f);
  cayley_case(ctx, rng, 7, 16, 0, 0.5f);
  cayley_case(ctx, rng, 7, 16, 5, 0.5f);
  if (ctx.size != Size::kTiny) cayley_case(ctx, rng, 3, 100, 5, 0.5f);
}

void run_rotate_cases(CaseContext& ctx) {
  Rng rng(ctx.seed ^ 0x2074A7E);
  if (ctx.size == Size::kSmoke) {
    for (int b : {7, 33})
      for (int t : {0, 1}) rotate_case(ctx, rng, 5, 2, b, t);
    return;
  }
  const bool tiny = ctx.size == Size::kTiny;
  const std::vector<int> blocks = tiny ? std::vector<int>{1, 2, 7, 32, 33} : std::vector<int>{1, 2, 16, 31, 32, 33, 64, 128};
  for (int b : blocks)
    for (int t : {0, 1}) {
      rotate_case(ctx, rng, 1, 1, b, t);
      rotate_case(ctx, rng, tiny ? 37 : 4099, tiny ? 3 : 5, b, t);
      if (ctx.size == Size::kFull) rotate_case(ctx, rng, 2048, 4096 / b, b, t);
    }
}

}  // namespace pa::check
