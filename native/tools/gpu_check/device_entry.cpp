#include "device_entry.hpp"

#include <cuda_runtime.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "pa_status.hpp"
#include "peft_arena.h"
#include "rng.hpp"

namespace pa::check {
namespace {

constexpr float kPoison = -7.25f;
constexpr size_t kGuard = 7;  // floats of poison on each side of every output

// One cudaMalloc'd buffer holding `n` floats at element offset `offset` with guards around them.
class DeviceSlot {
 public:
  DeviceSlot(size_t n, size_t offset) : n_(n), offset_(offset) {
    const size_t total = offset_ + n_ + kGuard;
    std::vector<float> poison(total, kPoison);
    if (cudaMalloc(&base_, total * sizeof(float)) != cudaSuccess) {
      base_ = nullptr;
      cudaGetLastError();
      return;
    }
    cudaMemcpy(base_, poison.data(), total * sizeof(float), cudaMemcpyHostToDevice);
  }
  DeviceSlot(const DeviceSlot&) = delete;
  DeviceSlot& operator=(const DeviceSlot&) = delete;
  ~DeviceSlot() {
    if (base_) cudaFree(base_);
  }
  bool ok() const { return base_ != nullptr; }
  float* ptr() const { return static_cast<float*>(base_) + offset_; }
  void upload(const std::vector<float>& v) const {
    cudaMemcpy(ptr(), v.data(), v.size() * sizeof(float), cudaMemcpyHostToDevice);
  }
  // The n floats and whether every float outside [offset, offset + n) except `inside_ok` is poison.
  std::vector<float> download(bool* guards_intact, const std::function<bool(size_t)>& inside_ok = nullptr) const {
    const size_t total = offset_ + n_ + kGuard;
    std::vector<float> all(total);
    cudaMemcpy(all.data(), base_, total * sizeof(float), cudaMemcpyDeviceToHost);
    bool intact = true;
    for (size_t i = 0; i < total; ++i) {
      const bool inside = i >= offset_ && i < offset_ + n_;
      if (inside && (!inside_ok || inside_ok(i - offset_))) continue;
      if (all[i] != kPoison) intact = false;
    }
    if (guards_intact) *guards_intact = intact;
    return std::vector<float>(all.begin() + static_cast<long>(offset_), all.begin() + static_cast<long>(offset_ + n_));
  }

 private:
  void* base_ = nullptr;
  size_t n_, offset_;
};

std::string status_text(int st) { return st == PA_OK ? "0" : std::to_string(st) + " (" + pa_last_error() + ")"; }

// Compares a device-pointer call's outputs with the host wrapper's on the same inputs.
void add_match(Report& report, const std::string& op, const std::string& shape, const std::vector<float>& got,
               const std::vector<float>& ref, bool guards, int st, const std::string& stream) {
  Record r{"device_entry", op, shape + " stream=" + stream, "host_wrapper"};
  Comparison c = compare(got.data(), ref.data(), got.size(), 1e-6, 1e-5);
  r.pass = st == PA_OK && guards && c.pass && got.size() == ref.size();
  r.max_abs = c.max_abs;
  r.ratio = c.ratio;
  r.detail = "status " + status_text(st) + (guards ? "" : "; guard zone or row padding overwritten") + "; " + c.describe();
  report.add(r);
}

struct Streams {
  cudaStream_t created = nullptr;
  Streams() {
    if (cudaStreamCreate(&created) != cudaSuccess) {
      created = nullptr;
      cudaGetLastError();
    }
  }
  ~Streams() {
    if (created) cudaStreamDestroy(created);
  }
};

void run_matches(uint64_t seed, Report& report) {
  Rng rng(seed ^ 0xD15EA5Eull);
  Streams streams;
  const std::vector<std::pair<cudaStream_t, std::string>> which = {{streams.created, "created"}, {nullptr, "default"}};
  for (const auto& [stream, sname] : which) {
    if (stream == nullptr && sname == "created") continue;
    const size_t off_in = 3, off_out = 5;  // element offsets: 4-byte aligned, not 16-byte aligned
    {  // Cayley, Neumann and exact
      for (int terms : {5, PA_CAYLEY_EXACT}) {
        const int64_t batch = 3;
        const int b = 8;
        const size_t qn = static_cast<size_t>(batch) * b * (b - 1) / 2, rn = static_cast<size_t>(batch) * b * b;
        auto q = rng.normals(qn, 0.2);
        std::vector<float> ref(rn, kPoison);
        const int rst = pa_cuda_host_cayley_f32(q.data(), batch, b, terms, 0.75f, ref.data());
        DeviceSlot dq(qn, off_in), dr(rn, off_out);
        dq.upload(q);
        int st = pa_cuda_cayley_f32(dq.ptr(), batch, b, terms, 0.75f, dr.ptr(), stream);
        cudaStreamSynchronize(stream);
        bool guards = false;
        auto got = dr.download(&guards);
        if (rst != PA_OK) st = rst;
        add_match(report, terms == PA_CAYLEY_EXACT ? "cayley_exact" : "cayley_neumann5", "batch=3 b=8 offset=3,5", got,
                  ref, guards, st, sname);
      }
    }
    for (int transpose : {0, 1}) {  // block rotation with padded row strides
      const int64_t rows = 5, n = 12, xs = 15, ys = 14;
      const int b = 4;
      auto x = rng.normals(static_cast<size_t>(rows * xs), 1.0);
      auto r = rng.normals(static_cast<size_t>(n / b) * b * b, 0.5);
      std::vector<float> ref(static_cast<size_t>(rows * ys), kPoison);
      const int rst = pa_cuda_host_block_rotate_f32(x.data(), rows, n, xs, r.data(), b, transpose, ref.data(), ys);
      DeviceSlot dx(x.size(), off_in), drm(r.size(), off_in + 1), dy(ref.size(), off_out);
      dx.upload(x);
      drm.upload(r);
      int st = pa_cuda_block_rotate_f32(dx.ptr(), rows, n, xs, drm.ptr(), b, transpose, dy.ptr(), ys, stream);
      cudaStreamSynchronize(stream);
      bool guards = false;
      auto got = dy.download(&guards, [&](size_t i) { return static_cast<int64_t>(i) % ys < n; });
      if (rst != PA_OK) st = rst;
      add_match(report, transpose ? "block_rotate_t" : "block_rotate", "rows=5 n=12 b=4 strides=15,14 offset=3,5", got,
                ref, guards, st, sname);
    }
    {  // block cross with padded row strides; 300 rows take the chunked path (scratch on the stream)
      const int64_t rows = 300, n = 12, xs = 15, gs = 14;
      const int b = 4;
      auto x = rng.normals(static_cast<size_t>(rows * xs), 1.0);
      auto g = rng.normals(static_cast<size_t>(rows * gs), 1.0);
      std::vector<float> ref(static_cast<size_t>(n / b) * b * b, kPoison);
      const int rst = pa_cuda_host_block_cross_f32(x.data(), rows, n, xs, g.data(), gs, b, ref.data());
      DeviceSlot dx(x.size(), off_in), dg(g.size(), off_in + 1), dout(ref.size(), off_out);
      dx.upload(x);
      dg.upload(g);
      int st = pa_cuda_block_cross_f32(dx.ptr(), rows, n, xs, dg.ptr(), gs, b, dout.ptr(), stream);
      cudaStreamSynchronize(stream);
      bool guards = false;
      auto got = dout.download(&guards);
      if (rst != PA_OK) st = rst;
      add_match(report, "block_cross", "rows=300 n=12 b=4 strides=15,14 offset=3,4,5", got, ref, guards, st, sname);
    }
    for (int terms : {5, PA_CAYLEY_EXACT}) {  // Cayley VJP; r (exact only) is the forward's output
      const int64_t batch = 3;
      const int b = 8;
      const size_t qn = static_cast<size_t>(batch) * b * (b - 1) / 2, rn = static_cast<size_t>(batch) * b * b;
      auto q = rng.normals(qn, 0.2);
      auto g = rng.normals(rn, 1.0);
      std::vector<float> r(rn, 0.0f), ref(qn, kPoison);
      int rst = pa_cuda_host_cayley_f32(q.data(), batch, b, PA_CAYLEY_EXACT, 1.0f, r.data());
      if (rst == PA_OK) rst = pa_cuda_host_cayley_vjp_f32(q.data(), r.data(), g.data(), batch, b, terms, ref.data());
      DeviceSlot dq(qn, off_in), dr(rn, off_in + 2), dg(rn, off_in + 1), ddq(qn, off_out);
      dq.upload(q);
      dr.upload(r);
      dg.upload(g);
      const bool exact = terms == PA_CAYLEY_EXACT;
      int st = pa_cuda_cayley_vjp_f32(dq.ptr(), exact ? dr.ptr() : nullptr, dg.ptr(), batch, b, terms, ddq.ptr(), stream);
      cudaStreamSynchronize(stream);
      bool guards = false;
      auto got = ddq.download(&guards);
      if (rst != PA_OK) st = rst;
      add_match(report, exact ? "cayley_vjp_exact" : "cayley_vjp_neumann5", "batch=3 b=8 offset=3..5", got, ref, guards,
                st, sname);
    }
    {  // SVD with U and Vt
      const int64_t batch = 2;
      const int m = 6, n = 4, k = 4;
      auto a = rng.normals(static_cast<size_t>(batch) * m * n, 1.0);
      const size_t sn = static_cast<size_t>(batch) * k, un = static_cast<size_t>(batch) * m * k,
                   vn = static_cast<size_t>(batch) * k * n;
      std::vector<float> s(sn, kPoison), u(un, kPoison), vt(vn, kPoison);
      const int rst = pa_cuda_host_svd_batched_f32(a.data(), batch, m, n, s.data(), u.data(), vt.data());
      DeviceSlot da(a.size(), off_in), ds(sn, off_out), du(un, off_out + 2), dv(vn, off_out + 1);
      da.upload(a);
      int st = pa_cuda_svd_batched_f32(da.ptr(), batch, m, n, ds.ptr(), du.ptr(), dv.ptr(), stream);
      cudaStreamSynchronize(stream);
      bool g1 = false, g2 = false, g3 = false;
      auto gs = ds.download(&g1), gu = du.download(&g2), gv = dv.download(&g3);
      if (rst != PA_OK) st = rst;
      gs.insert(gs.end(), gu.begin(), gu.end());
      gs.insert(gs.end(), gv.begin(), gv.end());
      s.insert(s.end(), u.begin(), u.end());
      s.insert(s.end(), vt.begin(), vt.end());
      add_match(report, "svd", "batch=2 6x4 with U,Vt offset=3,5..7", gs, s, g1 && g2 && g3, st, sname);
    }
    {  // Procrustes, rotation and residual
      const int64_t batch = 2, rows = 9;
      const int d = 5;
      auto x1 = rng.normals(static_cast<size_t>(batch * rows * d), 1.0);
      auto x0 = rng.normals(x1.size(), 1.0);
      std::vector<float> rot(static_cast<size_t>(batch) * d * d, kPoison), res(static_cast<size_t>(batch), kPoison);
      const int rst = pa_cuda_host_procrustes_batched_f32(x1.data(), x0.data(), batch, rows, d, rot.data(), res.data());
      DeviceSlot d1(x1.size(), off_in), d0(x0.size(), off_in + 2), drot(rot.size(), off_out), dres(res.size(), 1);
      d1.upload(x1);
      d0.upload(x0);
      int st = pa_cuda_procrustes_batched_f32(d1.ptr(), d0.ptr(), batch, rows, d, drot.ptr(), dres.ptr(), stream);
      cudaStreamSynchronize(stream);
      bool g1 = false, g2 = false;
      auto grot = drot.download(&g1), gres = dres.download(&g2);
      if (rst != PA_OK) st = rst;
      grot.insert(grot.end(), gres.begin(), gres.end());
      rot.insert(rot.end(), res.begin(), res.end());
      add_match(report, "procrustes", "batch=2 rows=9 d=5 offset=3,5", grot, rot, g1 && g2, st, sname);
    }
  }
}

struct BadDeviceCall {
  const char* op;
  const char* what;
  int expected;
  bool needs_second_device;
  // Gets a valid input slot, an output slot, a host buffer, memory and a stream of device 1.
  std::function<int(float* in, float* out, float* host, float* other, cudaStream_t other_stream)> call;
};

std::vector<BadDeviceCall> bad_calls() {
  using F = float;
  auto mis = [](F* p) { return reinterpret_cast<F*>(reinterpret_cast<char*>(p) + 2); };
  return {
      {"cayley", "null q", PA_ERR_NULL, false, [](F*, F* o, F*, F*, cudaStream_t) { return pa_cuda_cayley_f32(nullptr, 2, 4, 5, 1.0f, o, nullptr); }},
      {"cayley", "misaligned q", PA_ERR_DEVICE, false, [mis](F* i, F* o, F*, F*, cudaStream_t) { return pa_cuda_cayley_f32(mis(i), 2, 4, 5, 1.0f, o, nullptr); }},
      {"cayley", "host memory r", PA_ERR_DEVICE, false, [](F* i, F*, F* h, F*, cudaStream_t) { return pa_cuda_cayley_f32(i, 2, 4, 5, 1.0f, h, nullptr); }},
      {"cayley", "q on device 1", PA_ERR_DEVICE, true, [](F*, F* o, F*, F* x, cudaStream_t) { return pa_cuda_cayley_f32(x, 2, 4, 5, 1.0f, o, nullptr); }},
      {"cayley", "stream of device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F*, cudaStream_t s) { return pa_cuda_cayley_f32(i, 2, 4, 5, 1.0f, o, s); }},
      {"block_rotate", "null r", PA_ERR_NULL, false, [](F* i, F* o, F*, F*, cudaStream_t) { return pa_cuda_block_rotate_f32(i, 2, 8, 8, nullptr, 4, 0, o, 8, nullptr); }},
      {"block_rotate", "misaligned y", PA_ERR_DEVICE, false, [mis](F* i, F* o, F*, F*, cudaStream_t) { return pa_cuda_block_rotate_f32(i, 2, 8, 8, i + 16, 4, 0, mis(o), 8, nullptr); }},
      {"block_rotate", "host memory x", PA_ERR_DEVICE, false, [](F* i, F* o, F* h, F*, cudaStream_t) { return pa_cuda_block_rotate_f32(h, 2, 8, 8, i, 4, 0, o, 8, nullptr); }},
      {"block_rotate", "r on device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F* x, cudaStream_t) { return pa_cuda_block_rotate_f32(i, 2, 8, 8, x, 4, 0, o, 8, nullptr); }},
      {"block_rotate", "stream of device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F*, cudaStream_t s) { return pa_cuda_block_rotate_f32(i, 2, 8, 8, i + 16, 4, 0, o, 8, s); }},
      {"block_cross", "null out", PA_ERR_NULL, false, [](F* i, F*, F*, F*, cudaStream_t) { return pa_cuda_block_cross_f32(i, 2, 8, 8, i + 16, 8, 4, nullptr, nullptr); }},
      {"block_cross", "misaligned g", PA_ERR_DEVICE, false, [mis](F* i, F* o, F*, F*, cudaStream_t) { return pa_cuda_block_cross_f32(i, 2, 8, 8, mis(i + 16), 8, 4, o, nullptr); }},
      {"block_cross", "host memory x", PA_ERR_DEVICE, false, [](F* i, F* o, F* h, F*, cudaStream_t) { return pa_cuda_block_cross_f32(h, 2, 8, 8, i, 8, 4, o, nullptr); }},
      {"block_cross", "out on device 1", PA_ERR_DEVICE, true, [](F* i, F*, F*, F* x, cudaStream_t) { return pa_cuda_block_cross_f32(i, 2, 8, 8, i + 16, 8, 4, x, nullptr); }},
      {"block_cross", "stream of device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F*, cudaStream_t s) { return pa_cuda_block_cross_f32(i, 2, 8, 8, i + 16, 8, 4, o, s); }},
      {"cayley_vjp", "null dq", PA_ERR_NULL, false, [](F* i, F*, F*, F*, cudaStream_t) { return pa_cuda_cayley_vjp_f32(i, nullptr, i + 16, 2, 4, 5, nullptr, nullptr); }},
      {"cayley_vjp", "misaligned g", PA_ERR_DEVICE, false, [mis](F* i, F* o, F*, F*, cudaStream_t) { return pa_cuda_cayley_vjp_f32(i, nullptr, mis(i + 16), 2, 4, 5, o, nullptr); }},
      {"cayley_vjp", "host memory r (exact)", PA_ERR_DEVICE, false, [](F* i, F* o, F* h, F*, cudaStream_t) { return pa_cuda_cayley_vjp_f32(i, h, i + 16, 2, 4, PA_CAYLEY_EXACT, o, nullptr); }},
      {"cayley_vjp", "q on device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F* x, cudaStream_t) { return pa_cuda_cayley_vjp_f32(x, nullptr, i + 16, 2, 4, 5, o, nullptr); }},
      {"cayley_vjp", "stream of device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F*, cudaStream_t s) { return pa_cuda_cayley_vjp_f32(i, i + 48, i + 16, 2, 4, PA_CAYLEY_EXACT, o, s); }},
      {"svd", "null s", PA_ERR_NULL, false, [](F* i, F*, F*, F*, cudaStream_t) { return pa_cuda_svd_batched_f32(i, 1, 4, 4, nullptr, nullptr, nullptr, nullptr); }},
      {"svd", "misaligned a", PA_ERR_DEVICE, false, [mis](F* i, F* o, F*, F*, cudaStream_t) { return pa_cuda_svd_batched_f32(mis(i), 1, 4, 4, o, nullptr, nullptr, nullptr); }},
      {"svd", "host memory u", PA_ERR_DEVICE, false, [](F* i, F* o, F* h, F*, cudaStream_t) { return pa_cuda_svd_batched_f32(i, 1, 4, 4, o, h, nullptr, nullptr); }},
      {"svd", "vt on device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F* x, cudaStream_t) { return pa_cuda_svd_batched_f32(i, 1, 4, 4, o, nullptr, x, nullptr); }},
      {"svd", "stream of device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F*, cudaStream_t s) { return pa_cuda_svd_batched_f32(i, 1, 4, 4, o, nullptr, nullptr, s); }},
      {"procrustes", "null x0", PA_ERR_NULL, false, [](F* i, F* o, F*, F*, cudaStream_t) { return pa_cuda_procrustes_batched_f32(i, nullptr, 1, 8, 4, nullptr, o, nullptr); }},
      {"procrustes", "misaligned residual", PA_ERR_DEVICE, false, [mis](F* i, F* o, F*, F*, cudaStream_t) { return pa_cuda_procrustes_batched_f32(i, i, 1, 8, 4, nullptr, mis(o), nullptr); }},
      {"procrustes", "host memory x1", PA_ERR_DEVICE, false, [](F* i, F* o, F* h, F*, cudaStream_t) { return pa_cuda_procrustes_batched_f32(h, i, 1, 8, 4, nullptr, o, nullptr); }},
      {"procrustes", "rot on device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F* x, cudaStream_t) { return pa_cuda_procrustes_batched_f32(i, i, 1, 8, 4, x, o, nullptr); }},
      {"procrustes", "stream of device 1", PA_ERR_DEVICE, true, [](F* i, F* o, F*, F*, cudaStream_t s) { return pa_cuda_procrustes_batched_f32(i, i, 1, 8, 4, nullptr, o, s); }},
  };
}

void run_bad_device_args(Report& report) {
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess) {
    cudaGetLastError();
    devices = 0;
  }
  int current = 0;
  cudaGetDevice(&current);
  const int other_device = current == 0 ? 1 : 0;
  float* other = nullptr;
  cudaStream_t other_stream = nullptr;
  if (devices >= 2 && cudaSetDevice(other_device) == cudaSuccess) {
    if (cudaMalloc(reinterpret_cast<void**>(&other), 256 * sizeof(float)) != cudaSuccess) other = nullptr;
    if (cudaStreamCreate(&other_stream) != cudaSuccess) other_stream = nullptr;
    cudaSetDevice(current);
  }
  cudaGetLastError();
  Rng rng(7);
  const std::vector<float> input = rng.normals(256, 0.1);
  std::vector<float> host(256, kPoison);
  for (const BadDeviceCall& bc : bad_calls()) {
    Record r{"device_validation", bc.op, bc.what, "status"};
    if (bc.needs_second_device && (other == nullptr || other_stream == nullptr)) {
      // Recorded, not failed: one device cannot own another device's memory. The emulator has two.
      r.detail = "not applicable: this machine has " + std::to_string(devices) + " CUDA device(s)";
      report.add(r);
      continue;
    }
    DeviceSlot in(input.size(), 3), out(256, 5);
    in.upload(input);
    std::fill(host.begin(), host.end(), kPoison);
    pa::clear_error();
    const int got = bc.call(in.ptr(), out.ptr(), host.data(), other, other_stream);
    const std::string msg = pa_last_error();
    cudaDeviceSynchronize();
    bool guards = false;
    auto after = out.download(&guards, [](size_t) { return false; });
    bool host_untouched = true;
    for (float v : host) host_untouched = host_untouched && v == kPoison;
    r.pass = got == bc.expected && guards && host_untouched && !msg.empty();
    r.detail = "returned " + std::to_string(got) + " (expected " + std::to_string(bc.expected) + "): " + msg +
               (guards && host_untouched ? "" : "; an output was written");
    report.add(r);
  }
  if (other) {
    cudaSetDevice(other_device);
    cudaFree(other);
    cudaStreamDestroy(other_stream);
    cudaSetDevice(current);
  }
}

}  // namespace

void run_device_entry_checks(uint64_t seed, Report& report) {
  run_matches(seed, report);
  run_bad_device_args(report);
}

}  // namespace pa::check
