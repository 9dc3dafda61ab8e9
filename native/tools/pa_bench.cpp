// Standalone accuracy checks and min-of-N timings of the CPU kernels (no JVM needed).
// Usage: pa_bench [check|time|all] [reps]; environment: PA_THREADS=n, PA_GENERIC=1 (generic path),
// PA_BENCH_CPU=1 (report process CPU time / threads instead of wall time)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "peft_arena.h"

namespace {

std::vector<float> gaussian(size_t n, uint64_t seed, float sd = 1.0f) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, sd);
  std::vector<float> v(n);
  for (auto& x : v) x = nd(rng);
  return v;
}

double cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

// Min-of-N wall time; with PA_BENCH_CPU set, min-of-N process CPU time divided by the thread
// count instead (a steadier figure on a machine shared with other jobs).
double min_ms(int reps, const std::function<void()>& f) {
  static const bool use_cpu = std::getenv("PA_BENCH_CPU") != nullptr;
  f();  // warm-up
  double best = 1e30;
  for (int i = 0; i < reps; ++i) {
    const double c0 = cpu_ms();
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const auto t1 = std::chrono::steady_clock::now();
    const double c1 = cpu_ms();
    const double ms = use_cpu ? (c1 - c0) / pa_get_num_threads() : std::chrono::duration<double, std::milli>(t1 - t0).count();
    best = std::min(best, ms);
  }
  return best;
}

void check_status(int st, const char* what) {
  if (st != PA_OK) {
    std::fprintf(stderr, "%s failed: status %d: %s\n", what, st, pa_last_error());
    std::exit(1);
  }
}

// Worst reconstruction and orthogonality errors of a batched SVD result (computed in double).
void svd_errors(const std::vector<float>& a, int64_t batch, int m, int n, const std::vector<float>& s,
                const std::vector<float>& u, const std::vector<float>& vt, double* rec, double* orth_u, double* orth_v,
                bool* sorted) {
  const int k = std::min(m, n);
  *rec = *orth_u = *orth_v = 0.0;
  *sorted = true;
  for (int64_t b = 0; b < batch; ++b) {
    const float* A = a.data() + b * m * n;
    const float* S = s.data() + b * k;
    const float* U = u.data() + b * m * k;
    const float* Vt = vt.data() + b * k * n;
    double num = 0.0, den = 0.0;
    for (int i = 0; i < m; ++i)
      for (int j = 0; j < n; ++j) {
        double acc = 0.0;
        for (int r = 0; r < k; ++r) acc += double(U[i * k + r]) * S[r] * Vt[r * n + j];
        num += (acc - A[i * n + j]) * (acc - A[i * n + j]);
        den += double(A[i * n + j]) * A[i * n + j];
      }
    *rec = std::max(*rec, den > 0 ? std::sqrt(num / den) : std::sqrt(num));
    for (int r = 0; r < k; ++r) {
      if (S[r] < 0 || (r > 0 && S[r] > S[r - 1])) *sorted = false;
      for (int t = 0; t < k; ++t) {
        double du = 0.0, dv = 0.0;
        for (int i = 0; i < m; ++i) du += double(U[i * k + r]) * U[i * k + t];
        for (int j = 0; j < n; ++j) dv += double(Vt[r * n + j]) * Vt[t * n + j];
        *orth_u = std::max(*orth_u, std::fabs(du - (r == t)));
        *orth_v = std::max(*orth_v, std::fabs(dv - (r == t)));
      }
    }
  }
}

void check_svd() {
  const int shapes[][2] = {{1, 1}, {1, 7}, {7, 1}, {2, 2}, {31, 31}, {32, 32}, {33, 33}, {64, 64}, {128, 128},
                           {128, 32}, {32, 128}, {5, 17}, {100, 3}};
  for (const auto& sh : shapes) {
    const int m = sh[0], n = sh[1], k = std::min(m, n);
    const int64_t batch = 13;
    auto a = gaussian(batch * m * n, 1000 + m * 131 + n);
    // Rank-deficient items: a zero matrix and a duplicated column.
    std::fill(a.begin(), a.begin() + m * n, 0.0f);
    if (n > 1)
      for (int i = 0; i < m; ++i) a[m * n + i * n + 1] = a[m * n + i * n];
    std::vector<float> s(batch * k), u(batch * m * k), vt(batch * k * n);
    check_status(pa_svd_batched_f32(a.data(), batch, m, n, s.data(), u.data(), vt.data()), "svd");
    double rec, ou, ov;
    bool sorted;
    svd_errors(a, batch, m, n, s, u, vt, &rec, &ou, &ov, &sorted);
    std::printf("svd f32 %3dx%-3d rec %.2e orthU %.2e orthV %.2e sorted %d\n", m, n, rec, ou, ov, sorted);
  }
}

void check_cayley() {
  for (int b : {2, 3, 16, 31, 32, 33, 64, 128}) {
    const int64_t batch = 9, packed = int64_t(b) * (b - 1) / 2;
    auto q = gaussian(batch * packed, 7 + b, 0.05f);
    std::vector<double> qd(q.begin(), q.end());
    std::vector<float> r(batch * b * b);
    std::vector<double> rd(batch * b * b);
    for (int terms : {0, 1, 2, 3, 5, 8}) {
      check_status(pa_cayley_f32(q.data(), batch, b, terms, 1.0f, r.data()), "cayley f32");
      check_status(pa_cayley_f64(qd.data(), batch, b, terms, 1.0, rd.data()), "cayley f64");
      double diff = 0.0, orth = 0.0;
      for (int64_t e = 0; e < batch * b * b; ++e) diff = std::max(diff, std::fabs(r[e] - rd[e]));
      for (int64_t it = 0; it < batch; ++it) {
        const double* R = rd.data() + it * b * b;
        for (int i = 0; i < b; ++i)
          for (int j = 0; j < b; ++j) {
            double acc = 0.0;
            for (int t = 0; t < b; ++t) acc += R[t * b + i] * R[t * b + j];
            orth = std::max(orth, std::fabs(acc - (i == j)));
          }
      }
      std::printf("cayley b=%3d terms=%d  |f32-f64| %.2e  orth(f64) %.2e\n", b, terms, diff, orth);
    }
  }
}

// sum of singular values of m [d, d] by plain cyclic one-sided Jacobi in double.
double reference_sum_svals(const std::vector<float>& m, int d) {
  std::vector<double> a(m.begin(), m.end());  // row-major; columns rotated in place
  for (int sweep = 0; sweep < 60; ++sweep) {
    bool rotated = false;
    for (int p = 0; p < d - 1; ++p)
      for (int q = p + 1; q < d; ++q) {
        double app = 0, aqq = 0, apq = 0;
        for (int i = 0; i < d; ++i) {
          app += a[i * d + p] * a[i * d + p];
          aqq += a[i * d + q] * a[i * d + q];
          apq += a[i * d + p] * a[i * d + q];
        }
        if (std::fabs(apq) <= 1e-15 * std::sqrt(app * aqq)) continue;
        rotated = true;
        const double zeta = (aqq - app) / (2 * apq);
        const double t = (zeta >= 0 ? 1.0 : -1.0) / (std::fabs(zeta) + std::sqrt(1 + zeta * zeta));
        const double c = 1 / std::sqrt(1 + t * t), s = c * t;
        for (int i = 0; i < d; ++i) {
          const double x = a[i * d + p], y = a[i * d + q];
          a[i * d + p] = c * x - s * y;
          a[i * d + q] = s * x + c * y;
        }
      }
    if (!rotated) break;
  }
  double sum = 0;
  for (int j = 0; j < d; ++j) {
    double ss = 0;
    for (int i = 0; i < d; ++i) ss += a[i * d + j] * a[i * d + j];
    sum += std::sqrt(ss);
  }
  return sum;
}

void check_procrustes() {
  const int d = 16, rows = 200;
  auto x1 = gaussian(rows * d, 3);
  // Planted rotation: x0 = x1 @ R with R from the exact Cayley of a random generator.
  auto q = gaussian(d * (d - 1) / 2, 4, 0.3f);
  std::vector<float> R(d * d), x0(rows * d), rot(d * d);
  check_status(pa_cayley_f32(q.data(), 1, d, 0, 1.0f, R.data()), "cayley");
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < d; ++j) {
      double acc = 0.0;
      for (int t = 0; t < d; ++t) acc += double(x1[r * d + t]) * R[t * d + j];
      x0[r * d + j] = float(acc);
    }
  float res = -1.0f;
  check_status(pa_procrustes_batched_f32(x1.data(), x0.data(), 1, rows, d, rot.data(), &res), "procrustes");
  double err = 0.0;
  for (int e = 0; e < d * d; ++e) err = std::max(err, double(std::fabs(rot[e] - R[e])));
  std::printf("procrustes planted d=%d: residual %.3e  max|R-R0| %.2e\n", d, res, err);
  for (int dd : {100, 200, 300, 512}) {
    auto m = gaussian(int64_t(dd) * dd, 11 + dd);
    const double ref = reference_sum_svals(m, dd);
    // x1_sq = x0_sq = ref (1 + 1e-9): residual^2 / (2 ref) - 1e-9 is the relative error of the sum.
    const double half = ref * (1.0 + 1e-9);
    double res = 0;
    check_status(pa_procrustes_residual_from_cross_f32(m.data(), dd, half, half, &res), "residual");
    std::printf("residual_from_cross d=%d: sum(svals) relative error %.2e (%s path)\n", dd,
                res * res / (2.0 * ref) - 1e-9, dd <= 128 ? "jacobi" : "gram+tridiagonal");
  }
}

void time_all(int reps) {
  std::printf("threads %d, path %s\n", pa_get_num_threads(), pa_cpu_path());
  {  // SVD [4096, 32, 32]
    const int64_t batch = 4096;
    auto a = gaussian(batch * 32 * 32, 1);
    std::vector<float> s(batch * 32), u(batch * 32 * 32), vt(batch * 32 * 32);
    const double t_full = min_ms(reps, [&] { check_status(pa_svd_batched_f32(a.data(), batch, 32, 32, s.data(), u.data(), vt.data()), "svd"); });
    const double t_vals = min_ms(reps, [&] { check_status(pa_svd_batched_f32(a.data(), batch, 32, 32, s.data(), nullptr, nullptr), "svd"); });
    std::printf("svd  [4096,32,32] with U,V: %8.2f ms   values only: %8.2f ms\n", t_full, t_vals);
    auto a2 = gaussian(256 * 128 * 128, 2);
    std::vector<float> s2(256 * 128), u2(256 * 128 * 128), v2(256 * 128 * 128);
    const double t128 = min_ms(std::max(1, reps / 3), [&] { check_status(pa_svd_batched_f32(a2.data(), 256, 128, 128, s2.data(), u2.data(), v2.data()), "svd"); });
    std::printf("svd  [256,128,128] with U,V: %8.2f ms\n", t128);
  }
  {  // Cayley 4096 blocks of 32
    const int64_t batch = 4096;
    const int b = 32;
    auto q = gaussian(batch * b * (b - 1) / 2, 5, 0.05f);
    std::vector<float> r(batch * b * b);
    for (int terms : {0, 5}) {
      const double t = min_ms(reps, [&] { check_status(pa_cayley_f32(q.data(), batch, b, terms, 1.0f, r.data()), "cayley"); });
      const double flops = terms == 0 ? 2.0 * b * b * b * batch : 2.0 * b * b * b * (terms - 2) * batch;
      std::printf("cayley b=32 x4096 terms=%d: %8.2f ms  (%.1f GFLOP/s nominal)\n", terms, t, flops / t / 1e6);
    }
  }
  for (int b : {8, 16, 32, 64, 128}) {  // block rotation 4096 x 4096
    const int64_t rows = 4096, n = 4096;
    auto x = gaussian(rows * n, 6);
    auto r = gaussian(n * b, 7);
    std::vector<float> y(rows * n);
    const double t = min_ms(reps, [&] { check_status(pa_block_rotate_f32(x.data(), rows, n, n, r.data(), b, 0, y.data(), n), "rotate"); });
    std::printf("block_rotate 4096x4096 b=%3d: %8.2f ms  (%.1f GFLOP/s)\n", b, t, 2.0 * rows * n * b / t / 1e6);
  }
  {  // Procrustes residual from a 1024 x 1024 cross product
    auto m = gaussian(1024 * 1024, 8);
    double res = 0;
    const double t = min_ms(std::max(1, reps / 2), [&] { check_status(pa_procrustes_residual_from_cross_f32(m.data(), 1024, 1e7, 1e7, &res), "residual"); });
    std::printf("procrustes residual_from_cross d=1024: %8.2f ms\n", t);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "all";
  const int reps = argc > 2 ? std::atoi(argv[2]) : 5;
  if (std::getenv("PA_GENERIC")) pa_cpu_force_generic(1);
  if (const char* t = std::getenv("PA_THREADS")) pa_set_num_threads(std::atoi(t));
  if (mode == "check" || mode == "all") {
    check_cayley();
    check_svd();
    check_procrustes();
  }
  if (mode == "time" || mode == "all") time_all(reps);
  return 0;
}
