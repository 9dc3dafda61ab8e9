#!/usr/bin/env bash
# Builds what the GPU check carries in build/gpu-check/ (git-ignored; carry it with the tree):
#   gpu_check                  self-contained check binary (CPU + CUDA kernels, static cudart and
#                              libstdc++, SASS for sm_80 and sm_90)
#   libpeftarena_native.so     the native library with its C ABI (static cudart), which
#                              benchmarks/gpu/zero_copy.py loads from Python with ctypes
# Then runs the CPU self-tests of both here: gpu_check --cpu-selftest, and zero_copy.py --cpu (the
# ctypes bindings and reference formulas against the CPU kernels; needs numpy).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build/gpu-check-build}"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPEFTARENA_BUILD_TOOLS=ON -DPEFTARENA_CUDA=ON
cmake --build "$BUILD" --target gpu_check peftarena_native --parallel "${JOBS:-2}"
mkdir -p "$ROOT/build/gpu-check"
cp "$BUILD/native/tools/gpu_check/gpu_check" "$ROOT/build/gpu-check/gpu_check"
cp "$BUILD/libpeftarena_native.so" "$ROOT/build/gpu-check/libpeftarena_native.so"
strip "$ROOT/build/gpu-check/gpu_check" || true
strip --strip-unneeded "$ROOT/build/gpu-check/libpeftarena_native.so" || true
"$ROOT/build/gpu-check/gpu_check" --cpu-selftest --out "$BUILD" > "$BUILD/cpu-selftest.log"
echo "built $ROOT/build/gpu-check/gpu_check ($(du -h "$ROOT/build/gpu-check/gpu_check" | cut -f1)); CPU self-test passed"
if python3 -c "import numpy" 2>/dev/null; then
  python3 "$ROOT/benchmarks/gpu/zero_copy.py" --cpu --lib "$ROOT/build/gpu-check/libpeftarena_native.so" \
    --out "$BUILD/zero_copy_cpu.json" > "$BUILD/zero_copy_cpu.log"
  echo "built $ROOT/build/gpu-check/libpeftarena_native.so; zero_copy.py --cpu passed"
else
  echo "built $ROOT/build/gpu-check/libpeftarena_native.so; numpy missing, zero_copy.py --cpu not run"
fi
