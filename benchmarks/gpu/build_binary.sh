#!/usr/bin/env bash
# Builds the self-contained gpu_check binary (CPU + CUDA kernels, static cudart and libstdc++,
# SASS for sm_80 and sm_90) into build/gpu-check/, the folder carried to the GPU machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build/gpu-check-build}"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPEFTARENA_BUILD_TOOLS=ON -DPEFTARENA_CUDA=ON
cmake --build "$BUILD" --target gpu_check --parallel "${JOBS:-2}"
mkdir -p "$ROOT/build/gpu-check"
cp "$BUILD/native/tools/gpu_check/gpu_check" "$ROOT/build/gpu-check/gpu_check"
strip "$ROOT/build/gpu-check/gpu_check" || true
"$ROOT/build/gpu-check/gpu_check" --cpu-selftest --out "$BUILD" > "$BUILD/cpu-selftest.log"
echo "built $ROOT/build/gpu-check/gpu_check ($(du -h "$ROOT/build/gpu-check/gpu_check" | cut -f1)); CPU self-test passed"
