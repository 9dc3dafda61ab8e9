// Correctness cases of the OFT training backward: the block cross product (the rotation's gradient
// with respect to its blocks) and the vector-Jacobian product of the Cayley transform.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "case_helpers.hpp"
#include "cases.hpp"
#include "pa_kernel_spec.h"
#include "peft_arena.h"
#include "reference.hpp"
#include "rng.hpp"

namespace pa::check {
namespace {

// x, g [rows, n] with padded row strides; out [n/b, b, b] poisoned with NaN.
void cross_case(CaseContext& ctx, Rng& rng, int64_t rows, int64_t nblocks, int b) {
  const int64_t n = nblocks * b, xs = n + 3, gs = n + 5;
  const int64_t bb = static_cast<int64_t>(b) * b;
  const std::string op = "block_cross";
  const std::string shape = fmt("rows=%lld n=%lld b=%lld", rows, n, b);
  const std::vector<float> x = rng.normals(static_cast<size_t>(std::max<int64_t>(rows, 1) * xs), 1.0);
  const std::vector<float> g = rng.normals(static_cast<size_t>(std::max<int64_t>(rows, 1) * gs), 1.0);
  std::vector<float> out(static_cast<size_t>(nblocks * bb), kNaN);
  const int st = ctx.test.cross(x.data(), rows, n, xs, g.data(), gs, b, out.data());
  if (st != PA_OK) return record_status(ctx, op, shape, ctx.test.name.c_str(), st);
  // fp32 sums of `rows` products of unit normals: errors grow with the number of rows.
  const double atol = 1e-6 * (static_cast<double>(rows) + 16.0), rtol = 1e-5;
  Record rec{"correctness", op, shape, "reference"};
  rec.max_abs = 0;
  rec.ratio = 0;
  for (int64_t j : sample(nblocks, ctx.size == Size::kFull ? 8 : 4, rng)) {
    const Mat ref = cross_ref(x.data(), rows, xs, g.data(), gs, b, j);
    const Comparison c = compare(out.data() + j * bb, ref.data(), ref.size(), atol, rtol);
    rec.max_abs = std::max(rec.max_abs, c.max_abs);
    rec.ratio = std::max(rec.ratio, c.ratio);
    if (!c.pass && rec.pass) {
      rec.pass = false;
      rec.detail = "block " + std::to_string(j) + ": " + c.describe();
    }
  }
  const size_t bad = first_nonfinite(out.data(), out.size());
  if (bad < out.size()) {
    rec.pass = false;
    rec.detail += " unwritten/non-finite output at " + std::to_string(bad);
  }
  ctx.report.add(rec);
  if (ctx.cpu) {
    std::vector<float> oc(out.size(), kNaN);
    const int cs = ctx.cpu->cross(x.data(), rows, n, xs, g.data(), gs, b, oc.data());
    if (cs != PA_OK) return record_status(ctx, op, shape, "cpu", cs);
    const Comparison c = compare(out.data(), oc.data(), out.size(), 2 * atol, 2 * rtol);
    Record rr{"correctness", op, shape, "cpu", c.pass, c.max_abs, c.ratio};
    if (!c.pass) rr.detail = c.describe();
    ctx.report.add(rr);
  }
}

std::string vjp_name(int terms) {
  return terms == 0 ? "cayley_vjp_exact" : "cayley_vjp_neumann" + std::to_string(terms);
}

// q as the forward's generators, r = cayley(q) (exact variant; from the double reference), g = dL/dr.
void vjp_case(CaseContext& ctx, Rng& rng, int64_t batch, int b, int terms) {
  const int64_t np = static_cast<int64_t>(b) * (b - 1) / 2, bb = static_cast<int64_t>(b) * b;
  const std::string op = vjp_name(terms);
  const std::string shape = fmt("batch=%lld b=%lld", batch, b);
  const std::vector<float> q = rng.normals(static_cast<size_t>(batch * np), 0.4 / std::sqrt(static_cast<double>(b)));
  const std::vector<float> g = rng.normals(static_cast<size_t>(batch * bb), 1.0);
  std::vector<float> r;
  if (terms == PA_CAYLEY_EXACT) {
    r.resize(static_cast<size_t>(batch * bb));
    for (int64_t m = 0; m < batch; ++m) {
      const Mat rm = cayley_ref(q.data() + m * np, b, 0, 1.0);
      for (int64_t e = 0; e < bb; ++e) r[static_cast<size_t>(m * bb + e)] = static_cast<float>(rm[e]);
    }
  }
  const float* rp = r.empty() ? nullptr : r.data();  // the Neumann VJP does not read r
  std::vector<float> dq(static_cast<size_t>(batch * np), kNaN);
  const int st = ctx.test.cayley_vjp(q.data(), rp, g.data(), batch, b, terms, dq.data());
  if (st != PA_OK) return record_status(ctx, op, shape, ctx.test.name.c_str(), st);
  const double atol = 4e-6 * b, rtol = 1e-4;
  Record rec{"correctness", op, shape, "reference"};
  rec.max_abs = 0;
  rec.ratio = 0;
  for (int64_t mat : sample(batch, ctx.size == Size::kFull ? 64 : 8, rng)) {
    const std::vector<double> ref = cayley_vjp_ref(q.data() + mat * np, g.data() + mat * bb, b, terms);
    const Comparison c = compare(dq.data() + mat * np, ref.data(), ref.size(), atol, rtol);
    rec.max_abs = std::max(rec.max_abs, c.max_abs);
    rec.ratio = std::max(rec.ratio, c.ratio);
    if (!c.pass && rec.pass) {
      rec.pass = false;
      rec.detail = "matrix " + std::to_string(mat) + ": " + c.describe();
    }
  }
  const size_t bad = first_nonfinite(dq.data(), dq.size());
  if (bad < dq.size()) {
    rec.pass = false;
    rec.detail += " unwritten/non-finite output at " + std::to_string(bad);
  }
  ctx.report.add(rec);
  if (ctx.cpu) {
    std::vector<float> dc(dq.size(), kNaN);
    const int cs = ctx.cpu->cayley_vjp(q.data(), rp, g.data(), batch, b, terms, dc.data());
    if (cs != PA_OK) return record_status(ctx, op, shape, "cpu", cs);
    const Comparison c = compare(dq.data(), dc.data(), dq.size(), 2 * atol, 2 * rtol);
    Record rr{"correctness", op, shape, "cpu", c.pass, c.max_abs, c.ratio};
    if (!c.pass) rr.detail = c.describe();
    ctx.report.add(rr);
  }
}

// Gradients pass through: NaN/Inf in an input is no error (status PA_OK, as the CPU kernels).
void pass_through_cases(CaseContext& ctx) {
  std::vector<float> in(4 * 8, 0.25f), out(64, kNaN);
  in[5] = std::numeric_limits<float>::infinity();
  in[9] = kNaN;
  const int cs = ctx.test.cross(in.data(), 4, 8, 8, in.data(), 8, 4, out.data());
  Record a{"correctness", "block_cross", "rows=4 n=8 b=4 NaN/Inf input", "status"};
  a.pass = cs == PA_OK;
  a.detail = ctx.test.name + " returned " + std::to_string(cs) + (cs ? std::string(": ") + pa_last_error() : "");
  ctx.report.add(a);
  std::vector<float> q(6, 0.1f), r(16, 0.0f), g(16, 0.5f), dq(6, kNaN);
  g[3] = kNaN;
  for (int terms : {PA_CAYLEY_EXACT, 5}) {
    const int vs = ctx.test.cayley_vjp(q.data(), r.data(), g.data(), 1, 4, terms, dq.data());
    Record v{"correctness", vjp_name(terms), "batch=1 b=4 NaN in g", "status"};
    v.pass = vs == PA_OK;
    v.detail = ctx.test.name + " returned " + std::to_string(vs) + (vs ? std::string(": ") + pa_last_error() : "");
    ctx.report.add(v);
  }
}

}  // namespace

void run_block_cross_cases(CaseContext& ctx) {
  Rng rng(ctx.seed ^ 0xC2055ull);
  if (ctx.size == Size::kSmoke) {  // every micro-tile width, one and several row chunks
    cross_case(ctx, rng, 5, 3, 7);
    cross_case(ctx, rng, 40, 2, 20);
    cross_case(ctx, rng, 600, 1, 33);
    cross_case(ctx, rng, 3, 1, 128);
    pass_through_cases(ctx);
    return;
  }
  const bool tiny = ctx.size == Size::kTiny;
  const std::vector<int> blocks = tiny ? std::vector<int>{1, 2, 7, 16, 20, 32, 33, 64, 128}
                                       : std::vector<int>{1, 2, 3, 16, 31, 32, 33, 64, 100, 128};
  for (int b : blocks) {
    cross_case(ctx, rng, 1, 1, b);
    cross_case(ctx, rng, tiny ? 37 : 4099, tiny ? 3 : 5, b);
    if (ctx.size == Size::kFull) cross_case(ctx, rng, 8192, 2048 / b + 1, b);
  }
  for (int b : tiny ? std::vector<int>{2, 33, 128} : std::vector<int>{2, 33, 128})  // several row chunks
    cross_case(ctx, rng, tiny ? 2500 : 20000, tiny ? 1 : 3, b);
  cross_case(ctx, rng, 37, 300, 1);  // many column blocks per CUDA block
  cross_case(ctx, rng, 19, 41, 3);
  cross_case(ctx, rng, 0, 3, 8);     // no rows: zeros
  pass_through_cases(ctx);
}

void run_cayley_vjp_cases(CaseContext& ctx) {
  Rng rng(ctx.seed ^ 0x7A1B0ull);
  if (ctx.size == Size::kSmoke) {  // the lane-group kernel and the block-per-matrix kernel
    for (int b : {5, 33})
      for (int terms : {0, 5}) vjp_case(ctx, rng, 3, b, terms);
    return;
  }
  const bool tiny = ctx.size == Size::kTiny;
  const std::vector<int> blocks = tiny ? std::vector<int>{2, 5, 16, 32, 33, 64, 128}
                                       : std::vector<int>{2, 3, 16, 31, 32, 33, 64, 100, 128};
  for (int b : blocks)
    for (int terms : {0, 5}) {
      vjp_case(ctx, rng, 1, b, terms);
      vjp_case(ctx, rng, tiny ? (b <= 32 ? 9 : 2) : 1001, b, terms);
      if (ctx.size == Size::kFull) vjp_case(ctx, rng, b <= 32 ? 65536 : 4097, b, terms);
    }
  for (int terms : {1, 2, 3, 4, 6, 8}) {
    vjp_case(ctx, rng, 7, tiny ? 8 : 32, terms);
    vjp_case(ctx, rng, 2, 40, terms);
  }
  vjp_case(ctx, rng, 3, 6, PA_CAYLEY_MAX_NEUMANN_TERMS);
  vjp_case(ctx, rng, 2, 36, PA_CAYLEY_MAX_NEUMANN_TERMS);
}

}  // namespace pa::check
