// gpu_check: checks every CUDA kernel against the double references and the CPU kernels, then
// times them. Modes:
//   (default)       full correctness + validation + bench on a CUDA device; exit 2 without one
//   --cpu-selftest  harness known answers, argument validation of the CUDA host wrappers
//                   (errors without a device), CPU kernels vs references; runs anywhere
//   --emu           (emulator build) small correctness cases with the kernels run on the host
// Options: --out DIR (results), --seed N, --quick (smaller shapes; with --emu: each kernel path once,
// for the sanitizer build), --no-bench, --repeats N, --ops LIST (comma-separated subset of
// cayley,block_rotate,svd,procrustes,block_cross,cayley_vjp for the correctness cases; default all).
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "backend.hpp"
#include "bench.hpp"
#include "cases.hpp"
#include "device_entry.hpp"
#include "peft_arena.h"
#include "report.hpp"
#include "selftest.hpp"
#include "validation.hpp"

using namespace pa::check;

namespace {

struct Options {
  std::string mode = "device";
  std::string out = ".";
  uint64_t seed = 20240607;
  bool quick = false;
  bool bench = true;
  int repeats = 15;
  std::string ops = "cayley,block_rotate,svd,procrustes,block_cross,cayley_vjp";
};

bool wants(const std::string& ops, const char* op) {
  return ("," + ops + ",").find(std::string(",") + op + ",") != std::string::npos;
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", name); std::exit(64); }
      return argv[++i];
    };
    if (a == "--cpu-selftest") o.mode = "cpu-selftest";
    else if (a == "--emu") o.mode = "emu";
    else if (a == "--out") o.out = value("--out");
    else if (a == "--seed") o.seed = std::strtoull(value("--seed"), nullptr, 10);
    else if (a == "--quick") o.quick = true;
    else if (a == "--no-bench") o.bench = false;
    else if (a == "--repeats") o.repeats = std::atoi(value("--repeats"));
    else if (a == "--ops") {
      o.ops = value("--ops");
      for (size_t p = 0, q; p <= o.ops.size(); p = q + 1) {
        q = o.ops.find(',', p);
        if (q == std::string::npos) q = o.ops.size();
        const std::string op = o.ops.substr(p, q - p);
        if (op != "cayley" && op != "block_rotate" && op != "svd" && op != "procrustes" && op != "block_cross" &&
            op != "cayley_vjp") {
          std::fprintf(stderr,
                       "--ops: unknown kernel '%s' (cayley, block_rotate, svd, procrustes, block_cross, cayley_vjp)\n",
                       op.c_str());
          std::exit(64);
        }
      }
    }
    else {
      std::fprintf(a == "--help" ? stdout : stderr,
                   "usage: %s [--cpu-selftest | --emu] [--out DIR] [--seed N] [--quick] [--no-bench] [--repeats N] [--ops LIST]\n",
                   argv[0]);
      if (a == "--help") std::exit(0);
      return false;
    }
  }
  return true;
}

std::string header_json(const Options& o, bool gpu, bool cpu) {
  char name[256] = "none";
  if (gpu) pa_cuda_device_name(0, name, sizeof name);
  int runtime = 0, driver = 0;
  if (gpu) {
    cudaRuntimeGetVersion(&runtime);
    cudaDriverGetVersion(&driver);
  }
  char buf[768];
  std::snprintf(buf, sizeof buf,
                "{\"mode\": \"%s\", \"seed\": %llu, \"quick\": %s, \"device\": \"%s\", \"cuda_runtime\": %d, "
                "\"cuda_driver\": %d, \"cpu_kernels\": %s, \"cpu_path\": \"%s\", \"library\": \"%s\"}",
                o.mode.c_str(), static_cast<unsigned long long>(o.seed), o.quick ? "true" : "false", name, runtime, driver,
                cpu ? "true" : "false", pa_cpu_path(), pa_version());
  return buf;
}

void run_cases(const Backend& test, const Backend* cpu, Size size, uint64_t seed, const std::string& ops, Report& report) {
  CaseContext ctx{test, cpu, size, seed, report};
  if (wants(ops, "cayley")) {
    std::printf("[%s] cayley\n", test.name.c_str());
    run_cayley_cases(ctx);
  }
  if (wants(ops, "block_rotate")) {
    std::printf("[%s] block rotate\n", test.name.c_str());
    run_rotate_cases(ctx);
  }
  if (wants(ops, "svd")) {
    std::printf("[%s] svd\n", test.name.c_str());
    run_svd_cases(ctx);
  }
  if (wants(ops, "procrustes")) {
    std::printf("[%s] procrustes\n", test.name.c_str());
    run_procrustes_cases(ctx);
  }
  if (wants(ops, "block_cross")) {
    std::printf("[%s] block cross\n", test.name.c_str());
    run_block_cross_cases(ctx);
  }
  if (wants(ops, "cayley_vjp")) {
    std::printf("[%s] cayley vjp\n", test.name.c_str());
    run_cayley_vjp_cases(ctx);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!parse(argc, argv, o)) return 64;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::string why;
  const bool gpu = gpu_available(&why);
  const bool cpu = cpu_available();
  const Backend gpu_be = gpu_backend(), cpu_be = cpu_backend();
  std::printf("gpu_check mode=%s device=%s cpu_kernels=%s\n", o.mode.c_str(), gpu ? "yes" : ("no (" + why + ")").c_str(),
              cpu ? "yes" : "no (not compiled in)");
  Report report;
  if (o.mode == "cpu-selftest") {
    run_harness_selftest(report);
    run_validation(gpu_be, cpu ? &cpu_be : nullptr, report);
    if (!gpu) run_no_device_checks(gpu_be, report);
    if (cpu) run_cases(cpu_be, nullptr, Size::kQuick, o.seed, o.ops, report);
    if (gpu) run_cases(gpu_be, cpu ? &cpu_be : nullptr, Size::kQuick, o.seed, o.ops, report);
  } else if (o.mode == "emu") {
    if (!gpu) { std::fprintf(stderr, "emulated device unavailable: %s\n", why.c_str()); return 2; }
    run_harness_selftest(report);
    run_validation(gpu_be, cpu ? &cpu_be : nullptr, report);
    run_cases(gpu_be, cpu ? &cpu_be : nullptr, o.quick ? Size::kSmoke : Size::kTiny, o.seed, o.ops, report);
    std::printf("[%s] device-pointer entry points\n", gpu_be.name.c_str());
    run_device_entry_checks(o.seed, report);
  } else {
    if (!gpu) {
      std::fprintf(stderr, "gpu_check: no CUDA device: %s\n", why.c_str());
      return 2;
    }
    run_harness_selftest(report);
    run_validation(gpu_be, cpu ? &cpu_be : nullptr, report);
    run_cases(gpu_be, cpu ? &cpu_be : nullptr, o.quick ? Size::kQuick : Size::kFull, o.seed, o.ops, report);
    std::printf("[%s] device-pointer entry points\n", gpu_be.name.c_str());
    run_device_entry_checks(o.seed, report);
    if (o.bench) {
      std::printf("[gpu] bench\n");
      BenchOptions bo;
      bo.repeats = o.repeats;
      run_bench(bo, report, o.out + "/bench_plan.json");
    }
  }
  const std::string json = o.out + "/gpu_check.json";
  if (!report.write_json(json, header_json(o, gpu, cpu)) || !report.write_csv(o.out + "/gpu_check.csv"))
    std::fprintf(stderr, "gpu_check: could not write results under %s\n", o.out.c_str());
  const int failures = report.failures();
  std::printf("gpu_check: %zu checks, %d failed; results in %s\n", report.size(), failures, json.c_str());
  if (failures) report.print_failures();
  return failures ? 1 : 0;
}
