#!/usr/bin/env bash
# The one-call GPU check: device summary, correctness of every CUDA kernel against the CPU
# kernels and double references (host and device-pointer entry points), CUDA-event timings with
# bandwidth floors, PyTorch / HF PEFT baselines, the zero-copy contract from Python (ctypes on our
# library with torch CUDA tensors and torch's current stream) with timings against torch, golden
# files from Hugging Face transformers / peft, and a joined table plus results/gpu-check-<date>.md.
# Each phase is fail-soft: its failure is reported, the others still run. Results land in $OUT
# (default build/gpu-check-out). Phase limits add up to under 8 minutes (2 min 45 s on an H200 with
# the prebuilt files, 2026-12-04).
#
#   bash benchmarks/gpu/check.sh                      run everything (needs a CUDA device)
#   bash benchmarks/gpu/check.sh --dry-run            show what would run, time and build nothing
#   bash benchmarks/gpu/check.sh --archive FILE.tgz   also pack everything under $OUT into one archive
#                                                     (for transfers that bring back few files)
#
# The check binary is taken from $PEFTARENA_GPU_CHECK_BIN, else build/gpu-check/gpu_check
# (made by benchmarks/gpu/build_binary.sh), else built here with cmake or plain nvcc; the same for
# the shared library zero_copy.py loads ($PEFTARENA_NATIVE_LIB, build/gpu-check/libpeftarena_native.so).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${OUT:-$ROOT/build/gpu-check-out}"
DRY=0
ARCHIVE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY=1 ;;
    --archive) ARCHIVE="${2:?--archive needs a file name}"; shift ;;
    *) echo "usage: $0 [--dry-run] [--archive FILE.tgz]" >&2; exit 64 ;;
  esac
  shift
done
mkdir -p "$OUT"
PHASES="$OUT/phases.txt"
: > "$PHASES"
FAILED=0

note() { printf '%s\n' "$*" | tee -a "$PHASES"; }
# run_phase NAME TIMEOUT_S CMD...: runs CMD with a time limit, log in $OUT/NAME.log
run_phase() {
  local name="$1" limit="$2"; shift 2
  if [ "$DRY" = 1 ]; then note "[dry-run] $name (limit ${limit}s): $*"; return 0; fi
  local start=$SECONDS rc
  timeout --kill-after=10 "$limit" "$@" > >(tee "$OUT/$name.log") 2>&1
  rc=$?
  note "phase $name: exit $rc after $((SECONDS - start)) s"
  return $rc
}

find_binary() {
  local candidate="${PEFTARENA_GPU_CHECK_BIN:-$ROOT/build/gpu-check/gpu_check}"
  if [ -x "$candidate" ]; then
    "$candidate" --help >/dev/null 2>&1
    local rc=$?
    # --help exits 0; anything else means it cannot start here (loader, glibc, architecture)
    if [ $rc -eq 0 ]; then BIN="$candidate"; note "using prebuilt $candidate"; return 0; fi
    note "prebuilt $candidate does not start (exit $rc)"
  fi
  note "no runnable prebuilt binary at $candidate; building one"
  if [ "$DRY" = 1 ]; then BIN="$candidate"; note "[dry-run] would build with cmake or nvcc"; return 0; fi
  if command -v cmake >/dev/null 2>&1 && command -v nvcc >/dev/null 2>&1; then
    run_phase build-cmake 300 bash -c "cmake -S '$ROOT' -B '$OUT/build' -DPEFTARENA_BUILD_TOOLS=ON -DCMAKE_CUDA_ARCHITECTURES=90 \
      && cmake --build '$OUT/build' --target gpu_check -j 8" && BIN="$OUT/build/native/tools/gpu_check/gpu_check" && return 0
  fi
  local nvcc_bin; nvcc_bin="$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)"
  if [ -n "$nvcc_bin" ]; then
    run_phase build-nvcc 300 "$nvcc_bin" -O3 -std=c++17 -arch=sm_90 -DPEFTARENA_WITH_CUDA=1 -I"$ROOT/native/include" \
      "$ROOT"/native/tools/gpu_check/*.cpp "$ROOT"/native/src/*.cpp "$ROOT"/cuda-kernels/*.cu -o "$OUT/gpu_check" -lpthread \
      && BIN="$OUT/gpu_check" && return 0
  fi
  note "cannot build gpu_check here (no cmake+nvcc, no nvcc)"
  return 1
}

# find_library: sets LIB to a loadable libpeftarena_native.so (prebuilt, else built with nvcc)
find_library() {
  local candidate="${PEFTARENA_NATIVE_LIB:-$ROOT/build/gpu-check/libpeftarena_native.so}"
  if [ -f "$candidate" ] && [ -n "$PY" ] && "$PY" -c "import ctypes, sys; ctypes.CDLL(sys.argv[1])" "$candidate" 2>/dev/null; then
    LIB="$candidate"; note "using prebuilt $candidate"; return 0
  fi
  note "no loadable prebuilt library at $candidate; building one"
  if [ "$DRY" = 1 ]; then LIB="$candidate"; note "[dry-run] would build it with nvcc -shared"; return 0; fi
  local nvcc_bin; nvcc_bin="$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || true)"
  if [ -n "$nvcc_bin" ]; then
    run_phase build-lib 240 "$nvcc_bin" -O3 -std=c++17 -arch=sm_90 -shared -Xcompiler -fPIC,-fvisibility=hidden \
      -cudart static -DPEFTARENA_WITH_CUDA=1 -I"$ROOT/native/include" "$ROOT"/native/src/*.cpp "$ROOT"/cuda-kernels/*.cu \
      -o "$OUT/libpeftarena_native.so" -lpthread && LIB="$OUT/libpeftarena_native.so" && return 0
  fi
  note "cannot build libpeftarena_native.so here"
  return 1
}

echo "== PEFT-Arena GPU check, results in $OUT"
# 1. device summary
if command -v nvidia-smi >/dev/null 2>&1; then
  run_phase nvidia-smi 30 nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem,power.limit \
    --format=csv || note "nvidia-smi failed"
else
  note "nvidia-smi not found"
fi

# 2. correctness + timings of our kernels
BIN=""
CHECK_RC=1
if find_binary; then
  run_phase gpu_check 120 "$BIN" --out "$OUT"
  CHECK_RC=$?
  if [ "$DRY" = 1 ]; then CHECK_RC=0; note "[dry-run] gpu_check not run"; else case $CHECK_RC in
    0) note "gpu_check: all checks passed" ;;
    1) note "gpu_check: CORRECTNESS FAILURES (see $OUT/gpu_check.log)" ;;
    2) note "gpu_check: no usable CUDA device" ;;
    124|137) note "gpu_check: timed out" ;;
    *) note "gpu_check: failed with exit $CHECK_RC" ;;
  esac; fi
fi
[ "$CHECK_RC" -ne 0 ] && FAILED=1

# 3. PyTorch / HF PEFT baselines on the same plan
PY="$(command -v python3 || command -v python || true)"
if [ -n "$PY" ]; then
  # 3a. zero-copy contract: our C ABI on torch CUDA tensors and torch's current stream, timed against torch
  LIB=""
  if find_library; then
    run_phase zero_copy 80 "$PY" "$ROOT/benchmarks/gpu/zero_copy.py" --lib "$LIB" --out "$OUT/zero_copy.json" \
      || { note "zero_copy: FAILURES (see $OUT/zero_copy.log)"; FAILED=1; }
  else
    FAILED=1
  fi
  # 3b. golden files from HF transformers / peft (written to $OUT/hf-goldens, checked against the NumPy goldens)
  run_phase hf_goldens 80 "$PY" "$ROOT/benchmarks/gpu/hf_goldens.py" --out "$OUT/hf-goldens" \
    || { note "hf_goldens: FAILURES (see $OUT/hf_goldens.log)"; FAILED=1; }
  run_phase baseline 120 "$PY" "$ROOT/benchmarks/gpu/baseline.py" --plan "$OUT/bench_plan.json" --out "$OUT/baseline.json" \
    $([ "$DRY" = 1 ] && echo --dry-run) || note "baseline phase failed"
  # 4. joined table
  if [ "$DRY" = 0 ]; then
    run_phase report 30 "$PY" "$ROOT/benchmarks/gpu/report.py" --check "$OUT/gpu_check.json" \
      --baseline "$OUT/baseline.json" --zero-copy "$OUT/zero_copy.json" --hf "$OUT/hf-goldens/report.json" \
      --out "$OUT" || note "report phase failed"
  else
    note "[dry-run] report: report.py --check $OUT/gpu_check.json --baseline $OUT/baseline.json --out $OUT"
  fi
else
  note "python not found: baseline and report skipped"
fi

echo "== phases:"; cat "$PHASES"
if [ -n "$ARCHIVE" ] && [ "$DRY" = 0 ]; then
  tar czf "$ARCHIVE" -C "$OUT" . && echo "results packed into $ARCHIVE"
fi
exit $FAILED
