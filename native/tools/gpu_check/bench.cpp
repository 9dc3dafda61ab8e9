#include "bench.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "peft_arena.h"
#include "rng.hpp"

namespace pa::check {
namespace {

struct Entry {
  std::string op;     // cayley | block_rotate | svd | procrustes | block_cross | cayley_vjp
  long long batch, b, terms, rows, n, transpose, m, d, want_uv;
  std::string key() const {
    char buf[160];
    if (op == "cayley") std::snprintf(buf, sizeof buf, "cayley terms=%lld batch=%lld b=%lld", terms, batch, b);
    else if (op == "block_rotate") std::snprintf(buf, sizeof buf, "block_rotate%s rows=%lld n=%lld b=%lld", transpose ? "_t" : "", rows, n, b);
    else if (op == "block_cross") std::snprintf(buf, sizeof buf, "block_cross rows=%lld n=%lld b=%lld", rows, n, b);
    else if (op == "cayley_vjp") std::snprintf(buf, sizeof buf, "cayley_vjp terms=%lld batch=%lld b=%lld", terms, batch, b);
    else if (op == "svd") std::snprintf(buf, sizeof buf, "svd%s batch=%lld %lldx%lld", want_uv ? "_uv" : "", batch, m, n);
    else std::snprintf(buf, sizeof buf, "procrustes batch=%lld rows=%lld d=%lld", batch, rows, d);
    return buf;
  }
};

std::vector<Entry> plan(bool small) {
  const long long s = small ? 64 : 1;  // divisor for the emulator smoke run
  std::vector<Entry> p;
  for (long long terms : {5LL, 0LL}) p.push_back({"cayley", 65536 / s, 32, terms, 0, 0, 0, 0, 0, 0});
  p.push_back({"cayley", 262144 / s, 16, 5, 0, 0, 0, 0, 0, 0});
  p.push_back({"cayley", 16384 / s, 64, 5, 0, 0, 0, 0, 0, 0});
  p.push_back({"cayley", 4096 / s, 128, 5, 0, 0, 0, 0, 0, 0});
  for (long long b : {32LL, 16LL, 64LL, 128LL})
    for (long long t : {0LL, 1LL}) {
      if (t == 1 && b != 32) continue;
      p.push_back({"block_rotate", 0, b, 0, 16384 / s, 4096, t, 0, 0, 0});
    }
  for (long long b : {32LL, 16LL, 64LL, 128LL}) p.push_back({"block_cross", 0, b, 0, 16384 / s, 4096, 0, 0, 0, 0});
  for (long long terms : {5LL, 0LL}) p.push_back({"cayley_vjp", 65536 / s, 32, terms, 0, 0, 0, 0, 0, 0});
  p.push_back({"cayley_vjp", 4096 / s, 128, 5, 0, 0, 0, 0, 0, 0});
  p.push_back({"cayley_vjp", 4096 / s, 128, 0, 0, 0, 0, 0, 0, 0});
  p.push_back({"svd", 65536 / s, 0, 0, 0, 32, 0, 32, 0, 0});
  p.push_back({"svd", 65536 / s, 0, 0, 0, 32, 0, 32, 0, 1});
  p.push_back({"svd", 65536 / s, 0, 0, 0, 16, 0, 16, 0, 1});
  p.push_back({"svd", 8192 / s, 0, 0, 0, 64, 0, 64, 0, 1});
  p.push_back({"svd", 1024 / s, 0, 0, 0, 128, 0, 128, 0, 1});
  p.push_back({"procrustes", 4096 / s, 0, 0, 256, 0, 0, 0, 32, 1});
  return p;
}

void fill_random(float* dev, size_t n, uint64_t seed, float sigma) {
  std::vector<float> host(n);
  Rng rng(seed);
  for (auto& v : host) v = static_cast<float>((static_cast<double>(rng.next() >> 40) / 16777216.0 - 0.5) * 3.4641 * sigma);
  cudaMemcpy(dev, host.data(), n * sizeof(float), cudaMemcpyHostToDevice);
}

struct DevBuf {
  float* p = nullptr;
  explicit DevBuf(size_t n) {
    if (cudaMalloc(reinterpret_cast<void**>(&p), std::max<size_t>(n, 1) * sizeof(float)) != cudaSuccess) p = nullptr;
  }
  ~DevBuf() { if (p) cudaFree(p); }
};

// Median of `repeats` event-timed calls after three warm-up calls; negative on failure.
double time_call(const std::function<int()>& fn, int repeats, std::string& err) {
  for (int i = 0; i < 3; ++i)
    if (fn() != PA_OK) { err = pa_last_error(); return -1; }
  if (cudaDeviceSynchronize() != cudaSuccess) { err = cudaGetErrorString(cudaGetLastError()); return -1; }
  cudaEvent_t a, b;
  cudaEventCreate(&a);
  cudaEventCreate(&b);
  std::vector<float> ms;
  for (int i = 0; i < repeats; ++i) {
    cudaEventRecord(a, nullptr);
    const int st = fn();
    cudaEventRecord(b, nullptr);
    cudaEventSynchronize(b);
    if (st != PA_OK) { err = pa_last_error(); break; }
    float t = 0;
    cudaEventElapsedTime(&t, a, b);
    ms.push_back(t);
  }
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  const cudaError_t late = cudaGetLastError();
  if (late != cudaSuccess) { err = cudaGetErrorString(late); return -1; }
  if (ms.empty()) return -1;
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

void run_bench(const BenchOptions& opt, Report& report, const std::string& plan_path) {
  const std::vector<Entry> entries = plan(opt.small);
  if (FILE* f = std::fopen(plan_path.c_str(), "w")) {
    std::fprintf(f, "[\n");
    for (size_t i = 0; i < entries.size(); ++i) {
      const Entry& e = entries[i];
      std::fprintf(f,
                   "  {\"key\": \"%s\", \"op\": \"%s\", \"batch\": %lld, \"b\": %lld, \"terms\": %lld, \"rows\": %lld, "
                   "\"n\": %lld, \"transpose\": %lld, \"m\": %lld, \"d\": %lld, \"want_uv\": %lld}%s\n",
                   e.key().c_str(), e.op.c_str(), e.batch, e.b, e.terms, e.rows, e.n, e.transpose, e.m, e.d, e.want_uv,
                   i + 1 < entries.size() ? "," : "");
    }
    std::fprintf(f, "]\n");
    std::fclose(f);
  }
  uint64_t seed = 1;
  for (const Entry& e : entries) {
    Record r{"bench", e.op, e.key(), "timing"};
    double bytes = 0;
    std::function<int()> fn;
    std::vector<std::unique_ptr<DevBuf>> bufs;
    auto buf = [&](size_t n, float sigma) {
      bufs.push_back(std::make_unique<DevBuf>(n));
      if (bufs.back()->p && sigma > 0) fill_random(bufs.back()->p, n, ++seed, sigma);
      return bufs.back()->p;
    };
    if (e.op == "cayley") {
      const size_t np = static_cast<size_t>(e.b * (e.b - 1) / 2), nb = static_cast<size_t>(e.batch);
      float* q = buf(nb * np, 0.4f / std::sqrt(static_cast<float>(e.b)));
      float* out = buf(nb * e.b * e.b, 0);
      bytes = 4.0 * nb * (np + e.b * e.b);
      const int b = static_cast<int>(e.b), terms = static_cast<int>(e.terms);
      fn = [=] { return pa_cuda_cayley_f32(q, e.batch, b, terms, 1.0f, out, nullptr); };
    } else if (e.op == "block_rotate") {
      const size_t xn = static_cast<size_t>(e.rows * e.n);
      float* x = buf(xn, 1.0f);
      float* rm = buf(static_cast<size_t>(e.n * e.b), 0.2f);
      float* y = buf(xn, 0);
      bytes = 4.0 * (2.0 * xn + e.n * e.b);
      const int b = static_cast<int>(e.b), t = static_cast<int>(e.transpose);
      fn = [=] { return pa_cuda_block_rotate_f32(x, e.rows, e.n, e.n, rm, b, t, y, e.n, nullptr); };
    } else if (e.op == "block_cross") {
      const size_t xn = static_cast<size_t>(e.rows * e.n);
      float* x = buf(xn, 1.0f);
      float* g = buf(xn, 1.0f);
      float* out = buf(static_cast<size_t>(e.n * e.b), 0);
      bytes = 4.0 * (2.0 * xn + e.n * e.b);
      const int b = static_cast<int>(e.b);
      fn = [=] { return pa_cuda_block_cross_f32(x, e.rows, e.n, e.n, g, e.n, b, out, nullptr); };
    } else if (e.op == "cayley_vjp") {
      const size_t np = static_cast<size_t>(e.b * (e.b - 1) / 2), nb = static_cast<size_t>(e.batch);
      const size_t bb = static_cast<size_t>(e.b * e.b);
      float* q = buf(nb * np, 0.4f / std::sqrt(static_cast<float>(e.b)));
      float* r = e.terms == 0 ? buf(nb * bb, 0.2f) : nullptr;  // timing only: any r
      float* g = buf(nb * bb, 1.0f);
      float* dq = buf(nb * np, 0);
      bytes = 4.0 * nb * ((e.terms == 0 ? bb : np) + bb + np);
      const int b = static_cast<int>(e.b), terms = static_cast<int>(e.terms);
      fn = [=] { return pa_cuda_cayley_vjp_f32(q, r, g, e.batch, b, terms, dq, nullptr); };
    } else if (e.op == "svd") {
      const size_t nb = static_cast<size_t>(e.batch), mn = static_cast<size_t>(e.m * e.n), k = static_cast<size_t>(std::min(e.m, e.n));
      float* a = buf(nb * mn, 1.0f);
      float* s = buf(nb * k, 0);
      float* u = e.want_uv ? buf(nb * e.m * k, 0) : nullptr;
      float* vt = e.want_uv ? buf(nb * k * e.n, 0) : nullptr;
      bytes = 4.0 * nb * (mn + k + (e.want_uv ? (e.m + e.n) * k : 0));
      const int m = static_cast<int>(e.m), n = static_cast<int>(e.n);
      fn = [=] { return pa_cuda_svd_batched_f32(a, e.batch, m, n, s, u, vt, nullptr); };
    } else {
      const size_t xn = static_cast<size_t>(e.batch * e.rows * e.d);
      float* x1 = buf(xn, 1.0f);
      float* x0 = buf(xn, 1.0f);
      float* rot = buf(static_cast<size_t>(e.batch * e.d * e.d), 0);
      float* res = buf(static_cast<size_t>(e.batch), 0);
      bytes = 4.0 * (2.0 * xn + e.batch * e.d * e.d + e.batch);
      const int d = static_cast<int>(e.d);
      fn = [=] { return pa_cuda_procrustes_batched_f32(x1, x0, e.batch, e.rows, d, rot, res, nullptr); };
    }
    bool alloc_ok = true;
    for (const auto& bptr : bufs) alloc_ok &= bptr->p != nullptr;
    std::string err = alloc_ok ? "" : "cudaMalloc failed";
    const double ms = alloc_ok ? time_call(fn, opt.repeats, err) : -1;
    r.bytes = bytes;
    r.floor_ms = bytes / (opt.peak_gbps * 1e9) * 1e3;
    if (ms < 0) {
      r.pass = false;
      r.detail = err;
    } else {
      r.ms = ms;
      r.ratio = ms / r.floor_ms;
      char buf[96];
      std::snprintf(buf, sizeof buf, "%.1f GB/s effective", bytes / (ms * 1e-3) / 1e9);
      r.detail = buf;
    }
    std::printf("  bench %-48s %9.3f ms  floor %8.3f ms  x%.2f\n", r.shape.c_str(), r.ms, r.floor_ms, r.ratio);
    report.add(r);
  }
}

}  // namespace pa::check
