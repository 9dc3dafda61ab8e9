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

enum class Kind { kRandom, kRankDeficient, kZero, kDiagonal };
const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kRandom: return "random";
    case Kind::kRankDeficient: return "rank-deficient";
    case Kind::kZero: return "zero";
    default: return "diagonal";
  }
}

std::vector<float> make_matrices(Rng& rng, int64_t batch, int m, int n, Kind kind) {
  std::vector<float> a = rng.normals(static_cast<size_t>(batch) * m * n, 1.0);
  for (int64_t b = 0; b < batch; ++b) {
    float* x = a.data() + b * m * n;
    if (kind == Kind::kZero) std::fill_n(x, m * n, 0.0f);
    if (kind == Kind::kDiagonal)
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) x[i * n + j] = i == j ? static_cast<float>((i * 7 + 3) % 11) - 4.0f : 0.0f;
    if (kind == Kind::kRankDeficient)  // every column after the first two is a combination of those two
      for (int i = 0; i < m; ++i)
        for (int j = 2; j < n; ++j) x[i * n + j] = (j % 3 == 0 ? 1.0f : -0.5f) * x[i * n + (j % 2)];
  }
  return a;
}

void svd_case(CaseContext& ctx, Rng& rng, int64_t batch, int m, int n, bool want_u, bool want_vt, Kind kind) {
  const int k = std::min(m, n), maxdim = std::max(m, n);
  char shape[128];
  std::snprintf(shape, sizeof shape, "batch=%lld %dx%d %s%s%s", static_cast<long long>(batch), m, n, kind_name(kind),
                want_u ? " u" : "", want_vt ? " vt" : "");
  const std::vector<float> a = make_matrices(rng, batch, m, n, kind);
  std::vector<float> s(static_cast<size_t>(batch) * k, kNaN);
  std::vector<float> u(want_u ? static_cast<size_t>(batch) * m * k : 0, kNaN);
  std::vector<float> vt(want_vt ? static_cast<size_t>(batch) * k * n : 0, kNaN);
  const int st = ctx.test.svd(a.data(), batch, m, n, s.data(), want_u ? u.data() : nullptr, want_vt ? vt.data() : nullptr);
  if (st != PA_OK) {
    Record r{"correctness", "svd", shape, "status", false};
    r.detail = ctx.test.name + " returned " + std::to_string(st) + ": " + pa_last_error();
    return ctx.report.add(r);
  }
  Record sv{"correctness", "svd", shape, "reference"};
  Record inv{"correctness", "svd", shape, "invariant"};
  sv.max_abs = sv.ratio = inv.max_abs = inv.ratio = 0;
  const double orth_tol = 2e-6 * maxdim + 1e-5, recon_tol = 1e-6 * maxdim + 1e-5;
  const int64_t count = std::min<int64_t>(batch, ctx.size == Size::kFull ? (maxdim > 64 ? 12 : 48) : 6);
  for (int64_t i = 0; i < count; ++i) {
    const int64_t mat = i == 0 ? 0 : (i == 1 ? batch - 1 : static_cast<int64_t>(rng.next() % batch));
    const float* am = a.data() + mat * m * n;
    std::vector<double> ad(am, am + m * n), sref;
    Mat uref, vtref;
    svd_ref(ad.data(), m, n, sref, uref, vtref);
    const double smax = std::max(sref.empty() ? 0.0 : sref[0], 1e-30);
    const Comparison c = compare(s.data() + mat * k, sref.data(), static_cast<size_t>(k), 4e-6 * maxdim * smax, 0);
    sv.max_abs = std::max(sv.max_abs, c.max_abs);
    sv.ratio = std::max(sv.ratio, c.ratio);
    if (!c.pass && sv.pass) { sv.pass = false; sv.detail = "matrix " + std::to_string(mat) + ": " + c.describe(); }
    const SvdErrors e = svd_invariants(am, m, n, s.data() + mat * k, want_u ? u.data() + mat * m * k : nullptr,
                                       want_vt ? vt.data() + mat * k * n : nullptr);
    const double worst = std::max({e.recon / recon_tol, e.orth_u / orth_tol, e.orth_v / orth_tol});
    inv.ratio = std::max(inv.ratio, worst);
    inv.max_abs = std::max({inv.max_abs, e.recon, e.orth_u, e.orth_v});
    if ((!e.sorted || !(worst <= 1.0)) && inv.pass) {
      inv.pass = false;
      char buf[200];
      std::snprintf(buf, sizeof buf, "matrix %lld: recon %.3g (tol %.2g) orth_u %.3g orth_v %.3g (tol %.2g) sorted %d",
                    static_cast<long long>(mat), e.recon, recon_tol, e.orth_u, e.orth_v, orth_tol, e.sorted ? 1 : 0);
      inv.detail = buf;
    }
  }
  for (const std::vector<float>* out : {&s, &u, &vt}) {
    const size_t bad = first_nonfinite(out->data(), out->size());
    if (bad < out->size() && inv.pass) { inv.pass = false; inv.detail = "unwritten/non-finite output at " + std::to_string(bad); }
  }
  ctx.report.add(sv);
  ctx.report.add(inv);
  if (ctx.cpu) {
    std::vector<float> sc(s.size(), kNaN);
    const int cs = ctx.cpu->svd(a.data(), batch, m, n, sc.data(), nullptr, nullptr);
    Record rr{"correctness", "svd", shape, "cpu"};
    if (cs != PA_OK) {
      rr.pass = false;
      rr.detail = "cpu returned " + std::to_string(cs) + ": " + pa_last_error();
    } else {
      float smax = 0;
      for (float v : sc) smax = std::max(smax, std::fabs(v));
      const Comparison c = compare(s.data(), sc.data(), s.size(), 8e-6 * maxdim * std::max(smax, 1e-30f), 0);
      rr.pass = c.pass;
      rr.max_abs = c.max_abs;
      rr.ratio = c.ratio;
      if (!c.pass) rr.detail = c.describe();
    }
    ctx.report.add(rr);
  }
}

void procrustes_case(CaseContext& ctx, Rng& rng, int64_t batch, int64_t rows, int d, bool want_rot) {
  char shape[96];
  std::snprintf(shape, sizeof shape, "batch=%lld rows=%lld d=%d%s", static_cast<long long>(batch),
                static_cast<long long>(rows), d, want_rot ? " rot" : "");
  std::vector<float> x1 = rng.normals(static_cast<size_t>(batch * rows * d), 1.0);
  std::vector<float> x0(x1.size());
  for (int64_t b = 0; b < batch; ++b) {  // X0 = X1 R_true + noise with a planted rotation
    std::vector<float> q = rng.normals(static_cast<size_t>(d) * (d - 1) / 2 + 1, 1.0 / std::sqrt(d));
    const Mat rt = cayley_ref(q.data(), d, 0, 1.0);
    for (int64_t r = 0; r < rows; ++r)
      for (int j = 0; j < d; ++j) {
        double acc = 0.01 * rng.normal();
        for (int l = 0; l < d; ++l) acc += x1[(b * rows + r) * d + l] * rt[l * d + j];
        x0[(b * rows + r) * d + j] = static_cast<float>(acc);
      }
  }
  std::vector<float> rot(want_rot ? static_cast<size_t>(batch) * d * d : 0, kNaN), res(static_cast<size_t>(batch), kNaN);
  const int st = ctx.test.procrustes(x1.data(), x0.data(), batch, rows, d, want_rot ? rot.data() : nullptr, res.data());
  Record rr{"correctness", "procrustes", shape, "reference"};
  if (st != PA_OK) {
    rr.against = "status";
    rr.pass = false;
    rr.detail = ctx.test.name + " returned " + std::to_string(st) + ": " + pa_last_error();
    return ctx.report.add(rr);
  }
  rr.max_abs = rr.ratio = 0;
  for (int64_t b = 0; b < batch; ++b) {
    Mat m(static_cast<size_t>(d) * d, 0.0);
    double n1 = 0, n0 = 0;
    for (int64_t r = 0; r < rows; ++r)
      for (int i = 0; i < d; ++i) {
        const double a1 = x1[(b * rows + r) * d + i], a0 = x0[(b * rows + r) * d + i];
        n1 += a1 * a1;
        n0 += a0 * a0;
        for (int j = 0; j < d; ++j) m[i * d + j] += a1 * x0[(b * rows + r) * d + j];
      }
    std::vector<double> s;
    Mat u, vt;
    svd_ref(m.data(), d, d, s, u, vt);
    Mat rref(static_cast<size_t>(d) * d, 0.0);
    for (int i = 0; i < d; ++i)
      for (int j = 0; j < d; ++j)
        for (int l = 0; l < d; ++l) rref[i * d + j] += u[i * d + l] * vt[l * d + j];
    double r2 = 0;
    for (int64_t r = 0; r < rows; ++r)
      for (int j = 0; j < d; ++j) {
        double acc = -x0[(b * rows + r) * d + j];
        for (int l = 0; l < d; ++l) acc += x1[(b * rows + r) * d + l] * rref[l * d + j];
        r2 += acc * acc;
      }
    // Relative to the residual itself (not to normF(X1)^2 + normF(X0)^2, which a residual taken
    // from the difference of squared norms would need: that cancels when the fit is good).
    const double got = res[b];
    const double err2 = std::fabs(got * got - r2), tol2 = 1e-4 * r2 + 1e-9 * (n1 + n0);
    double worst = std::isfinite(got) ? err2 / tol2 : INFINITY;
    rr.max_abs = std::max(rr.max_abs, std::fabs(got - std::sqrt(r2)));
    if (want_rot) {
      const Comparison c = compare(rot.data() + b * d * d, rref.data(), rref.size(), 1e-4 + 2e-6 * d, 0);
      worst = std::max(worst, c.ratio);
      if (!c.pass && rr.pass) { rr.pass = false; rr.detail = "rotation of " + std::to_string(b) + ": " + c.describe(); }
    }
    rr.ratio = std::max(rr.ratio, worst);
    if (!(worst <= 1.0) && rr.pass) {
      rr.pass = false;
      char buf[160];
      std::snprintf(buf, sizeof buf, "element %lld: residual %.6g, reference %.6g", static_cast<long long>(b), got, std::sqrt(r2));
      rr.detail = buf;
    }
  }
  ctx.report.add(rr);
}

}  // namespace

void run_svd_cases(CaseContext& ctx) {
  Rng rng(ctx.seed ^ 0x5FD);
  const bool tiny = ctx.size == Size::kTiny, full = ctx.size == Size::kFull;
  if (ctx.size == Size::kSmoke) {  // lane groups (k <= 32) and block per matrix, with and without vectors
    svd_case(ctx, rng, 2, 3, 5, true, true, Kind::kRandom);
    svd_case(ctx, rng, 2, 40, 9, true, true, Kind::kRandom);
    svd_case(ctx, rng, 2, 40, 9, false, false, Kind::kRankDeficient);
    return;
  }
  struct Shape { int m, n; };
  const std::vector<Shape> shapes = tiny ? std::vector<Shape>{{1, 1}, {2, 2}, {3, 5}, {5, 3}, {8, 8}, {32, 32}, {40, 9}, {9, 36}}
                                         : std::vector<Shape>{{1, 1}, {2, 2}, {3, 5}, {5, 3}, {16, 16}, {31, 31}, {32, 32},
                                                              {33, 33}, {32, 7}, {7, 32}, {64, 64}, {100, 37}, {37, 100},
                                                              {128, 128}, {128, 1}, {1, 128}, {96, 128}};
  for (const Shape& sh : shapes) {
    const int64_t small_batch = tiny ? 3 : 17;
    svd_case(ctx, rng, small_batch, sh.m, sh.n, true, true, Kind::kRandom);
    svd_case(ctx, rng, 2, sh.m, sh.n, false, false, Kind::kRandom);
    if (full) {
      const int64_t big = sh.m * sh.n <= 1024 ? 65536 : (sh.m * sh.n <= 4096 ? 4096 : 512);
      svd_case(ctx, rng, big, sh.m, sh.n, true, true, Kind::kRandom);
    }
  }
  for (const Shape& sh : tiny ? std::vector<Shape>{{6, 6}, {32, 32}, {40, 9}, {20, 70}} : std::vector<Shape>{{6, 6}, {32, 32}, {64, 40}, {20, 70}}) {
    for (Kind kind : {Kind::kRankDeficient, Kind::kZero, Kind::kDiagonal}) svd_case(ctx, rng, 2, sh.m, sh.n, true, true, kind);
    svd_case(ctx, rng, 2, sh.m, sh.n, true, false, Kind::kRandom);
    svd_case(ctx, rng, 2, sh.m, sh.n, false, true, Kind::kRandom);
  }
}

void run_procrustes_cases(CaseContext& ctx) {
  Rng rng(ctx.seed ^ 0x960C);
  if (ctx.size == Size::kSmoke) {
    for (int d : {8, 33}) procrustes_case(ctx, rng, 1, 4 * d + 3, d, true);
    return;
  }
  const bool tiny = ctx.size == Size::kTiny;
  for (int d : tiny ? std::vector<int>{1, 2, 8, 17, 33} : std::vector<int>{1, 2, 16, 32, 33, 64, 128}) {
    procrustes_case(ctx, rng, tiny ? 2 : 5, 4 * d + 3, d, true);
    procrustes_case(ctx, rng, 2, tiny ? 70 : 300, d, false);
  }
  if (ctx.size == Size::kFull) procrustes_case(ctx, rng, 512, 256, 32, true);
}

}  // namespace pa::check
