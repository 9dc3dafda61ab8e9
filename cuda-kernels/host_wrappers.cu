// Host-memory entry points: validate, check for a device, copy in, run, copy out, synchronise,
// free. Value problems found by the kernels (NaN/Inf input, no convergence) come back through
// a device status word and become PA_ERR_NONFINITE / PA_ERR_NOCONVERGE.
#include "pa_arg_checks.hpp"
#include "cuda_common.cuh"
#include "cuda_launchers.cuh"

namespace pa::cuda {
namespace {

// One cudaMalloc'd region, freed on scope exit.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (ptr_) cudaFree(ptr_);
  }
  int alloc(size_t bytes, const char* fn) {
    if (bytes == 0) bytes = 4;
    cudaError_t err = cudaMalloc(&ptr_, bytes);
    if (err != cudaSuccess) {
      ptr_ = nullptr;
      cudaGetLastError();
      return pa::fail(err == cudaErrorMemoryAllocation ? PA_ERR_ALLOC : PA_ERR_CUDA, "%s: cudaMalloc(%zu bytes): %s", fn,
                      bytes, cudaGetErrorString(err));
    }
    return PA_OK;
  }
  template <typename T>
  T* as() const { return static_cast<T*>(ptr_); }

 private:
  void* ptr_ = nullptr;
};

int require_device(const char* fn) {
  int count = 0;
  cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess) {
    cudaGetLastError();
    return pa::fail(PA_ERR_UNAVAILABLE, "%s: no usable CUDA device: %s", fn, cudaGetErrorString(err));
  }
  if (count == 0) return pa::fail(PA_ERR_UNAVAILABLE, "%s: no CUDA device present", fn);
  return PA_OK;
}

int copy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, const char* fn) {
  if (bytes == 0) return PA_OK;
  return check(cudaMemcpy(dst, src, bytes, kind), fn);
}

// Status word: allocate zeroed, read back after the work, translate bits into a status.
class StatusWord {
 public:
  int init(const char* fn) {
    int st = buf_.alloc(sizeof(int), fn);
    if (st != PA_OK) return st;
    return check(cudaMemset(buf_.as<int>(), 0, sizeof(int)), fn);
  }
  int* device() const { return buf_.as<int>(); }
  int finish(const char* fn) {
    int bits = 0;
    int st = copy(&bits, buf_.as<int>(), sizeof(int), cudaMemcpyDeviceToHost, fn);
    if (st != PA_OK) return st;
    if (bits & kFlagNonFinite) return pa::fail(PA_ERR_NONFINITE, "%s: input contains NaN or Inf", fn);
    if (bits & kFlagNoConverge) return pa::fail(PA_ERR_NOCONVERGE, "%s: Jacobi SVD did not converge", fn);
    return PA_OK;
  }

 private:
  DeviceBuffer buf_;
};

}  // namespace
}  // namespace pa::cuda

using pa::cuda::DeviceBuffer;
using pa::cuda::StatusWord;

extern "C" {

int pa_cuda_host_cayley_f32(const float* q, int64_t batch, int32_t b, int32_t terms, float scale, float* r) {
  const char* fn = __func__;
  int st = pa::check_cayley_args(fn, q, batch, b, terms, scale, r);
  if (st != PA_OK || batch == 0) return st;
  const size_t qn = static_cast<size_t>(batch) * (static_cast<size_t>(b) * (b - 1) / 2);
  if ((st = pa::require_finite(fn, "q", q, static_cast<int64_t>(qn))) != PA_OK) return st;
  if ((st = pa::cuda::require_device(fn)) != PA_OK) return st;
  const size_t rn = static_cast<size_t>(batch) * b * b;
  DeviceBuffer dq, dr;
  StatusWord flags;
  if ((st = dq.alloc(qn * sizeof(float), fn)) != PA_OK) return st;
  if ((st = dr.alloc(rn * sizeof(float), fn)) != PA_OK) return st;
  if ((st = flags.init(fn)) != PA_OK) return st;
  if ((st = pa::cuda::copy(dq.as<float>(), q, qn * sizeof(float), cudaMemcpyHostToDevice, fn)) != PA_OK) return st;
  if ((st = pa::cuda::run_cayley(dq.as<float>(), batch, b, terms, scale, dr.as<float>(), nullptr, flags.device())) != PA_OK)
    return st;
  if ((st = pa::cuda::copy(r, dr.as<float>(), rn * sizeof(float), cudaMemcpyDeviceToHost, fn)) != PA_OK) return st;
  if ((st = flags.finish(fn)) != PA_OK) return st;
  // Finite q can still overflow once scaled and raised to powers (reported like the CPU kernels do).
  return pa::require_finite_cayley_result(fn, r, static_cast<int64_t>(rn));
}

int pa_cuda_host_block_rotate_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* r, int32_t b,
                                  int32_t transpose, float* y, int64_t y_stride) {
  const char* fn = __func__;
  int st = pa::check_block_rotate_args(fn, x, rows, n, x_stride, r, b, transpose, y, y_stride);
  if (st != PA_OK || rows == 0 || n == 0) return st;
  if ((st = pa::require_finite(fn, "r", r, n * b)) != PA_OK) return st;
  if ((st = pa::cuda::require_device(fn)) != PA_OK) return st;
  const size_t row_bytes = static_cast<size_t>(n) * sizeof(float);
  const size_t xy_bytes = row_bytes * static_cast<size_t>(rows);
  const size_t r_bytes = static_cast<size_t>(n / b) * b * b * sizeof(float);
  DeviceBuffer dx, dr, dy;
  if ((st = dx.alloc(xy_bytes, fn)) != PA_OK) return st;
  if ((st = dy.alloc(xy_bytes, fn)) != PA_OK) return st;
  if ((st = dr.alloc(r_bytes, fn)) != PA_OK) return st;
  PA_CUDA_TRY(cudaMemcpy2D(dx.as<float>(), row_bytes, x, static_cast<size_t>(x_stride) * sizeof(float), row_bytes,
                           static_cast<size_t>(rows), cudaMemcpyHostToDevice),
              fn);
  if ((st = pa::cuda::copy(dr.as<float>(), r, r_bytes, cudaMemcpyHostToDevice, fn)) != PA_OK) return st;
  if ((st = pa::cuda::run_block_rotate(dx.as<float>(), rows, n, n, dr.as<float>(), b, transpose, dy.as<float>(), n,
                                       nullptr)) != PA_OK)
    return st;
  // Row by row so the caller's padding between rows of y stays untouched.
  PA_CUDA_TRY(cudaMemcpy2D(y, static_cast<size_t>(y_stride) * sizeof(float), dy.as<float>(), row_bytes, row_bytes,
                           static_cast<size_t>(rows), cudaMemcpyDeviceToHost),
              fn);
  return PA_OK;
}

int pa_cuda_host_block_cross_f32(const float* x, int64_t rows, int64_t n, int64_t x_stride, const float* g,
                                 int64_t g_stride, int32_t b, float* out) {
  const char* fn = __func__;
  int st = pa::check_block_cross_args(fn, x, rows, n, x_stride, g, g_stride, b, out);
  if (st != PA_OK || n == 0) return st;
  const size_t out_n = static_cast<size_t>(n / b) * b * b;
  if (rows == 0) {  // an empty sum, as the CPU kernel writes it; no device needed
    for (size_t i = 0; i < out_n; ++i) out[i] = 0.0f;
    return PA_OK;
  }
  // No finiteness check: gradients pass through, as in the CPU kernel.
  if ((st = pa::cuda::require_device(fn)) != PA_OK) return st;
  const size_t row_bytes = static_cast<size_t>(n) * sizeof(float);
  const size_t in_bytes = row_bytes * static_cast<size_t>(rows);
  DeviceBuffer dx, dg, dout;
  if ((st = dx.alloc(in_bytes, fn)) != PA_OK) return st;
  if ((st = dg.alloc(in_bytes, fn)) != PA_OK) return st;
  if ((st = dout.alloc(out_n * sizeof(float), fn)) != PA_OK) return st;
  PA_CUDA_TRY(cudaMemcpy2D(dx.as<float>(), row_bytes, x, static_cast<size_t>(x_stride) * sizeof(float), row_bytes,
                           static_cast<size_t>(rows), cudaMemcpyHostToDevice),
              fn);
  PA_CUDA_TRY(cudaMemcpy2D(dg.as<float>(), row_bytes, g, static_cast<size_t>(g_stride) * sizeof(float), row_bytes,
                           static_cast<size_t>(rows), cudaMemcpyHostToDevice),
              fn);
  if ((st = pa::cuda::run_block_cross(dx.as<float>(), rows, n, n, dg.as<float>(), n, b, dout.as<float>(), nullptr)) !=
      PA_OK)
    return st;
  return pa::cuda::copy(out, dout.as<float>(), out_n * sizeof(float), cudaMemcpyDeviceToHost, fn);
}

int pa_cuda_host_cayley_vjp_f32(const float* q, const float* r, const float* g, int64_t batch, int32_t b, int32_t terms,
                                float* dq) {
  const char* fn = __func__;
  int st = pa::check_cayley_vjp_args(fn, q, r, g, batch, b, terms, dq);
  if (st != PA_OK || batch == 0) return st;
  // No finiteness check: gradients pass through, as in the CPU kernel.
  if ((st = pa::cuda::require_device(fn)) != PA_OK) return st;
  const bool exact = terms == PA_CAYLEY_EXACT;
  const size_t qn = static_cast<size_t>(batch) * (static_cast<size_t>(b) * (b - 1) / 2);
  const size_t rn = static_cast<size_t>(batch) * b * b;
  DeviceBuffer dqin, dr, dg, ddq;
  if ((st = dg.alloc(rn * sizeof(float), fn)) != PA_OK) return st;
  if ((st = ddq.alloc(qn * sizeof(float), fn)) != PA_OK) return st;
  if (exact) {  // the exact VJP reads r only, the Neumann one q only
    if ((st = dr.alloc(rn * sizeof(float), fn)) != PA_OK) return st;
    if ((st = pa::cuda::copy(dr.as<float>(), r, rn * sizeof(float), cudaMemcpyHostToDevice, fn)) != PA_OK) return st;
  } else {
    if ((st = dqin.alloc(qn * sizeof(float), fn)) != PA_OK) return st;
    if ((st = pa::cuda::copy(dqin.as<float>(), q, qn * sizeof(float), cudaMemcpyHostToDevice, fn)) != PA_OK) return st;
  }
  if ((st = pa::cuda::copy(dg.as<float>(), g, rn * sizeof(float), cudaMemcpyHostToDevice, fn)) != PA_OK) return st;
  if ((st = pa::cuda::run_cayley_vjp(exact ? nullptr : dqin.as<float>(), exact ? dr.as<float>() : nullptr,
                                     dg.as<float>(), batch, b, terms, ddq.as<float>(), nullptr)) != PA_OK)
    return st;
  return pa::cuda::copy(dq, ddq.as<float>(), qn * sizeof(float), cudaMemcpyDeviceToHost, fn);
}

int pa_cuda_host_svd_batched_f32(const float* a, int64_t batch, int32_t m, int32_t n, float* s, float* u, float* vt) {
  const char* fn = __func__;
  int st = pa::check_svd_args(fn, a, batch, m, n, s);
  if (st != PA_OK || batch == 0) return st;
  if ((st = pa::require_finite(fn, "a", a, batch * m * n)) != PA_OK) return st;
  if ((st = pa::cuda::require_device(fn)) != PA_OK) return st;
  const size_t k = static_cast<size_t>(m < n ? m : n);
  const size_t nb = static_cast<size_t>(batch);
  const size_t a_bytes = nb * m * n * sizeof(float);
  const size_t s_bytes = nb * k * sizeof(float);
  const size_t u_bytes = nb * m * k * sizeof(float);
  const size_t vt_bytes = nb * k * n * sizeof(float);
  DeviceBuffer da, ds, du, dvt;
  StatusWord flags;
  if ((st = da.alloc(a_bytes, fn)) != PA_OK) return st;
  if ((st = ds.alloc(s_bytes, fn)) != PA_OK) return st;
  if (u && (st = du.alloc(u_bytes, fn)) != PA_OK) return st;
  if (vt && (st = dvt.alloc(vt_bytes, fn)) != PA_OK) return st;
  if ((st = flags.init(fn)) != PA_OK) return st;
  if ((st = pa::cuda::copy(da.as<float>(), a, a_bytes, cudaMemcpyHostToDevice, fn)) != PA_OK) return st;
  if ((st = pa::cuda::run_svd(da.as<float>(), batch, m, n, ds.as<float>(), u ? du.as<float>() : nullptr,
                              vt ? dvt.as<float>() : nullptr, nullptr, flags.device())) != PA_OK)
    return st;
  if ((st = pa::cuda::copy(s, ds.as<float>(), s_bytes, cudaMemcpyDeviceToHost, fn)) != PA_OK) return st;
  if (u && (st = pa::cuda::copy(u, du.as<float>(), u_bytes, cudaMemcpyDeviceToHost, fn)) != PA_OK) return st;
  if (vt && (st = pa::cuda::copy(vt, dvt.as<float>(), vt_bytes, cudaMemcpyDeviceToHost, fn)) != PA_OK) return st;
  return flags.finish(fn);
}

int pa_cuda_host_procrustes_batched_f32(const float* x1, const float* x0, int64_t batch, int64_t rows, int32_t d,
                                        float* rot, float* residual) {
  const char* fn = __func__;
  int st = pa::check_procrustes_args(fn, x1, x0, batch, rows, d, rot, residual);
  if (st != PA_OK || batch == 0) return st;
  if ((st = pa::require_finite(fn, "x1", x1, batch * rows * d)) != PA_OK) return st;
  if ((st = pa::require_finite(fn, "x0", x0, batch * rows * d)) != PA_OK) return st;
  if ((st = pa::cuda::require_device(fn)) != PA_OK) return st;
  const size_t nb = static_cast<size_t>(batch);
  const size_t x_bytes = nb * static_cast<size_t>(rows) * d * sizeof(float);
  const size_t rot_bytes = nb * d * d * sizeof(float);
  DeviceBuffer d1, d0, drot, dres;
  StatusWord flags;
  if ((st = d1.alloc(x_bytes, fn)) != PA_OK) return st;
  if ((st = d0.alloc(x_bytes, fn)) != PA_OK) return st;
  if (rot && (st = drot.alloc(rot_bytes, fn)) != PA_OK) return st;
  if (residual && (st = dres.alloc(nb * sizeof(float), fn)) != PA_OK) return st;
  if ((st = flags.init(fn)) != PA_OK) return st;
  if ((st = pa::cuda::copy(d1.as<float>(), x1, x_bytes, cudaMemcpyHostToDevice, fn)) != PA_OK) return st;
  if ((st = pa::cuda::copy(d0.as<float>(), x0, x_bytes, cudaMemcpyHostToDevice, fn)) != PA_OK) return st;
  if ((st = pa::cuda::run_procrustes(d1.as<float>(), d0.as<float>(), batch, rows, d, rot ? drot.as<float>() : nullptr,
                                     residual ? dres.as<float>() : nullptr, nullptr, flags.device())) != PA_OK)
    return st;
  if (rot && (st = pa::cuda::copy(rot, drot.as<float>(), rot_bytes, cudaMemcpyDeviceToHost, fn)) != PA_OK) return st;
  if (residual && (st = pa::cuda::copy(residual, dres.as<float>(), nb * sizeof(float), cudaMemcpyDeviceToHost, fn)) != PA_OK)
    return st;
  return flags.finish(fn);
}

}  // extern "C"
