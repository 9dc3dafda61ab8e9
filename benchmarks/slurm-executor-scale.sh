#!/usr/bin/env bash
# Scale of the Slurm executor without a cluster: fake sbatch/squeue/scancel on PATH, a 1,001-run
# grid (4 methods x 5 budgets x 50 seeds + the base run).
#   1. plan + submit (--submit-only): one array of 1,001 tasks;
#   2. coordinator overhead per run: every task's manifest present, the coordinator ingests them all
#      (registry writes, one transaction per run); minus a plan-only run, divided by the run count.
# Usage: benchmarks/slurm-executor-scale.sh [WORKDIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
W=${1:-/tmp/peft-arena-slurm-scale}
rm -rf "$W"; mkdir -p "$W/bin"
cat > "$W/bin/sbatch" <<SH
#!/bin/sh
echo "\$*" >> "$W/sbatch.log"; echo "4242;fake"
SH
cat > "$W/bin/squeue" <<SH
#!/bin/sh
cat "$W/queue.txt" 2>/dev/null || true
SH
printf '#!/bin/sh\necho "$*" >> %s/scancel.log\n' "$W" > "$W/bin/scancel"
chmod +x "$W/bin/"*
export PATH="$W/bin:$PATH" PEFT_ARENA_NO_REBUILD=${PEFT_ARENA_NO_REBUILD:-1}
cat > "$W/grid.yaml" <<YAML
name: scale
methods: [lora, dora, pissa, oft]
budgets:
  - {name: r2, lora_rank: 2}
  - {name: r4, lora_rank: 4}
  - {name: r6, lora_rank: 6}
  - {name: r8, lora_rank: 8}
  - {name: r16, lora_rank: 16}
seeds: [$(seq -s, 1 50)]
executor: {type: slurm, parallel: 64, poll_seconds: 1}
YAML
now() { date +%s.%N; }
t0=$(now)
"$root/peft-arena" arena --config "$W/grid.yaml" --workdir "$W/work" --plan-only > "$W/plan.txt"
t1=$(now)
"$root/peft-arena" arena --config "$W/grid.yaml" --workdir "$W/work" --submit-only --no-progress > "$W/submit.out" 2> "$W/submit.err"
t2=$(now)
runs=$(grep -c '^[0-9]' "$W/plan.txt")
# every task "finishes": a manifest per run, from a template with made-up scores
tpl=$(cat <<'JSON'
{"format":1,"run_id":"RID","status":"finished","error":null,"result":{"run_id":"RID","scores":{
"de":{"task":"de","kind":"text","score":0.3,"bits_per_token":null,"tokens":1,"items":1,"seconds":0.1},
"en":{"task":"en","kind":"text","score":0.3,"bits_per_token":null,"tokens":1,"items":1,"seconds":0.1},
"fr":{"task":"fr","kind":"text","score":0.3,"bits_per_token":null,"tokens":1,"items":1,"seconds":0.1},
"es":{"task":"es","kind":"text","score":0.3,"bits_per_token":null,"tokens":1,"items":1,"seconds":0.1},
"addition":{"task":"addition","kind":"problems","score":0.3,"bits_per_token":null,"tokens":1,"items":1,"seconds":0.1}},
"trajectory":[],"losses":[],"trainable_params":0,"train_seconds":0,"eval_seconds":0,"total_seconds":0,
"train_tokens":0,"backend":"cpu","versions":{},"checkpoints":{},"model_path":null},"diagnostics":null,
"timings":{"total":1.0},"artifacts":[],"host":"fake","finished_at":"now"}
JSON
)
while read -r i id; do
  mkdir -p "$W/work/runs/$id"; printf '%s\n' "${tpl//RID/$id}" > "$W/work/runs/$id/manifest.json"
done < <(grep '^[0-9]' "$W/plan.txt")
t3=$(now)
"$root/peft-arena" arena --config "$W/grid.yaml" --workdir "$W/work" --no-progress --no-report > "$W/ingest.out" 2> "$W/ingest.err"
t4=$(now)
finished=$(grep -o '[0-9]* already finished' "$W/ingest.out" | grep -o '^[0-9]*')
echo "runs planned: $runs; sbatch calls: $(wc -l < "$W/sbatch.log") ($(head -c 60 "$W/sbatch.log")...)"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v e="$t4" -v n="$runs" -v f="$finished" 'BEGIN {
  printf "plan only (JVM start + planning + plan.json):      %6.2f s\n", b - a;
  printf "plan + submit (--submit-only, one array):          %6.2f s\n", c - b;
  printf "coordinator ingesting %d manifests (%s finished): %6.2f s\n", n, f, e - d;
  printf "coordinator overhead per run ((ingest - plan only) / runs): %.1f ms\n", 1000 * ((e - d) - (b - a)) / n }'
