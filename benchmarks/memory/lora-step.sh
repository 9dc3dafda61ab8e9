#!/usr/bin/env bash
# Peak resident memory and tokens/s of LoRA training steps at 2 x 256 tokens on a Hugging Face
# model directory (e.g. the Qwen2.5-0.5B-shaped one qwen05_shaped.py writes).
#
# usage: benchmarks/memory/lora-step.sh JAR MODEL_DIR OUT_DIR [extra train options...]
# Writes OUT_DIR/time.txt (/usr/bin/time -v), OUT_DIR/train.json (the train summary) and
# OUT_DIR/train.err (progress lines); prints the peak RSS and tokens/s.
set -euo pipefail
jar=$1; model=$2; out=$3; shift 3
mkdir -p "$out"
data="$out/data.jsonl"
python3 - "$data" <<'PY'
import json, random, sys
random.seed(0)
words = "the of and to in is that for it as was with be by on not he this are or his from at which but".split()
with open(sys.argv[1], "w") as f:
    for _ in range(64):
        f.write(json.dumps({"text": " ".join(random.choice(words) for _ in range(160))}) + "\n")
PY
rm -rf "$out/run"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
/usr/bin/time -v -o "$out/time.txt" java ${JAVA_OPTS:--Xmx8g} -jar "$jar" train --base "$model" --method lora \
  --data "$data" --out "$out/run" --steps "${STEPS:-3}" --batch-size 2 --max-length 256 --log-every 1 \
  --warmup 0 --json "$@" > "$out/train.json" 2> "$out/train.err"
grep -E "Maximum resident|Elapsed" "$out/time.txt"
cat "$out/train.json"
