// Run-time choice of the kernel variant (AVX2+FMA when the CPU has it) and the thread count.
#include <atomic>
#include <thread>

#include "kernel_table.hpp"
#include "parallel.hpp"
#include "peft_arena.h"
#include "pa_status.hpp"

#if defined(__linux__)
#include <unistd.h>
#endif

namespace pa {
namespace {

bool cpu_has_avx2_fma() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

int online_cores() {
#if defined(__linux__)
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n > 0) return static_cast<int>(n);
#endif
  const unsigned h = std::thread::hardware_concurrency();
  return h > 0 ? static_cast<int>(h) : 1;
}

std::atomic<bool> g_force_generic{false};
std::atomic<int> g_threads{0};  // 0 = not set: all online cores

const KernelTable& best_kernels() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool avx2 = cpu_has_avx2_fma();
  if (avx2) return avx2::kTable;
#endif
  return generic::kTable;
}

}  // namespace

const KernelTable& active_kernels() {
  return g_force_generic.load(std::memory_order_relaxed) ? generic::kTable : best_kernels();
}

int thread_count() {
  const int n = g_threads.load(std::memory_order_relaxed);
  if (n > 0) return n;
  static const int cores = online_cores();
  return cores;
}

}  // namespace pa

extern "C" {

const char* pa_cpu_path(void) { return pa::active_kernels().name; }

int pa_cpu_force_generic(int force) {
  pa::g_force_generic.store(force != 0, std::memory_order_relaxed);
  return PA_OK;
}

int pa_set_num_threads(int n) {
  if (n < 0 || n > 4096)
    return pa::fail(PA_ERR_SIZE, "pa_set_num_threads: n = %d must be in 0..4096 (0 = all online cores)", n);
  pa::g_threads.store(n, std::memory_order_relaxed);
  return PA_OK;
}

int pa_get_num_threads(void) { return pa::thread_count(); }

}
