#!/usr/bin/env bash
# The arena's cluster path against a real single-node Slurm (scripts/slurm-single-node.sh):
#   1. the README's Slurm lines, run as written (scripts/readme-check.sh slurm: a cluster of their own,
#      the quick arena with --executor slurm into arena-work/quick-slurm, torn down after), give the
#      table and bit-identical scores, post-hoc rows and diagnostics of the README's main job,
#      arena-work/quick (resumed first, so nothing is recomputed when .ci/run has just run it);
#      CI_SLURM_GRID=small instead compares a 3-run grid, local against Slurm, to save time;
#   2. a grid where one run is made to fail: the failure is reported with its log, the others
#      finish, and a rerun resubmits only the failed run;
#   3. an array cancelled (scancel) mid-run is resumed to completion, training continuing from the
#      last checkpoint, with the same answers as the local run;
#   3b. Ctrl-C (SIGINT) in a coordinator run with --on-interrupt cancel cancels its array;
#   4. the cluster is torn down by the PIDs recorded at start-up (also on failure).
# Needs root (it installs slurmctld slurmd slurm-client munge if missing). Work goes to $CI_SLURM_WORK.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
W=${CI_SLURM_WORK:-/tmp/peft-arena-slurm-ci}
GRID=${CI_SLURM_GRID:-quick}
export SLURM_CI_DIR=${SLURM_CI_DIR:-/tmp/peft-arena-slurmci}
T0=$SECONDS
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*"; }
fail() { log "FAILED: $*"; exit 1; }

rm -rf "$W"; mkdir -p "$W"
if ! command -v sqlite3 >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 sqlite3 \
    >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlite3 >/dev/null; }
fi
if ! command -v slurmctld >/dev/null; then apt-get update -qq; fi
# the README's cluster (its default state folder) and ours, whichever is up when the script ends
trap 'env -u SLURM_CI_DIR scripts/slurm-single-node.sh down >/dev/null 2>&1 || true; scripts/slurm-single-node.sh down' EXIT
[ -f java/cli/target/peft-arena.jar ] || ./peft-arena --version >/dev/null
export PEFT_ARENA_NO_REBUILD=1

# tasks: one core each (two run at once on a 2-core machine), the launcher's thread counts
cat > "$W/executor.yaml" <<YAML
executor:
  type: slurm
  cpus_per_task: 1
  mem: 2G
  java_opts: -Xmx3g
  poll_seconds: 2
YAML
# the small grid: base + lora + oft, 20 steps, a checkpoint every 10 (checks 2 and 3)
cat > "$W/small.yaml" <<YAML
name: small
methods: [lora, oft]
training: {steps: 20, checkpoint_every: 10}
evaluation: {trajectory_every: 10}
YAML
sed -n '/^executor:/,$p' "$W/executor.yaml" >> "$W/small.yaml"

# every stored answer of a work directory, values at full precision (timings and the paths of the
# base and tuned models left out: hosts may mount them elsewhere)
answers() {
  sqlite3 "$1/registry.db" "SELECT run_id, phase, step, alpha, task, metric, printf('%!.20e', value) FROM scores
    WHERE metric != 'tokens_per_second' ORDER BY 1, 2, 3, 4, 5, 6"
  sqlite3 "$1/registry.db" "SELECT run_id, kind, status, config_hash FROM artifacts ORDER BY 1, 2"
  for f in "$1"/runs/*/diagnostics/diagnostics.json; do
    [ -f "$f" ] && grep -v '"seconds"\|"tuned_dir"\|"base_dir"' "$f"; done
  for f in "$1"/runs/*/posthoc.json; do [ -f "$f" ] && grep -v '"seconds"' "$f"; done
  return 0
}
same_answers() {  # same_answers <local workdir> <other workdir> <what>
  answers "$1" > "$1.answers"; answers "$2" > "$2.answers"
  [ "$(grep -c . "$1.answers")" -gt 10 ] || fail "$3: too few answers in $1"
  cmp -s "$1.answers" "$2.answers" || { diff "$1.answers" "$2.answers" | head -20; fail "$3: answers differ"; }
  log "$3: $(wc -l < "$1.answers") answer lines bit-identical to the local run"
}
table() { grep '^|' "$1"; }
array_job() { tail -n1 "$1/slurm/jobs.tsv" | cut -f1; }

# ---- 1. the README's Slurm lines as written against the README's main job (or the small grid: local vs slurm)
if [ "$GRID" = quick ]; then
  log "check 1: the README's main job, ./peft-arena arena (resumed: nothing is redone when it has run)"
  t=$SECONDS
  ./peft-arena arena --workdir arena-work/quick --no-progress --no-report > "$W/g-local.out" 2> "$W/g-local.err" \
    || { tail -n 30 "$W/g-local.err"; fail "./peft-arena arena"; }
  log "  local: $((SECONDS - t)) s"
  log "check 1: the README's Slurm lines, as written (scripts/readme-check.sh slurm)"
  t=$SECONDS
  rm -rf arena-work/quick-slurm
  env -u SLURM_CI_DIR scripts/readme-check.sh slurm > "$W/g-slurm.out" 2>&1 \
    || { tail -n 40 "$W/g-slurm.out"; fail "the README's Slurm lines"; }
  log "  slurm: $((SECONDS - t)) s; $(grep -m1 'submitted' "$W/g-slurm.out")"
  grep -q '^array: .* done' "$W/g-slurm.out" || fail "no array progress line"
  diff <(table "$W/g-local.out") <(table "$W/g-slurm.out") || fail "check 1: tables differ"
  same_answers arena-work/quick arena-work/quick-slurm "check 1"
else
  log "check 1: the small grid, local"
  t=$SECONDS
  ./peft-arena arena --config "$W/small.yaml" --executor local --workdir "$W/g-local" --no-progress --no-report \
    > "$W/g-local.out" 2> "$W/g-local.err" || { tail -n 30 "$W/g-local.err"; fail "local arena"; }
  log "  local: $((SECONDS - t)) s"
fi

scripts/slurm-single-node.sh up
eval "$(scripts/slurm-single-node.sh env)"
if [ "$GRID" != quick ]; then
  t=$SECONDS
  ./peft-arena arena --config "$W/small.yaml" --executor slurm --workdir "$W/g-slurm" --no-progress --no-report \
    > "$W/g-slurm.out" 2> "$W/g-slurm.err" || { tail -n 30 "$W/g-slurm.err"; fail "slurm arena"; }
  log "  slurm: $((SECONDS - t)) s; $(grep -m1 'submitted' "$W/g-slurm.err")"
  grep -q '^array: .* done' "$W/g-slurm.err" || fail "no array progress line"
  diff <(table "$W/g-local.out") <(table "$W/g-slurm.out") || fail "check 1: tables differ"
  same_answers "$W/g-local" "$W/g-slurm" "check 1"
fi
table "$W/g-slurm.out"

# the small grid's local reference (check 1 ran it already when GRID=small)
if [ "$GRID" = quick ]; then
  t=$SECONDS
  ./peft-arena arena --config "$W/small.yaml" --executor local --workdir "$W/s-local" --no-progress --no-report \
    > "$W/s-local.out" 2> "$W/s-local.err" || { tail -n 30 "$W/s-local.err"; fail "local small grid"; }
  log "small grid, local reference: $((SECONDS - t)) s"
else
  ln -s "$W/g-local" "$W/s-local"; cp "$W/g-local.out" "$W/s-local.out"
fi

# ---- 2. one run made to fail: its model folder is blocked by a file
log "check 2: one failing run"
./peft-arena arena --config "$W/small.yaml" --workdir "$W/fail" --plan-only > "$W/fail.plan"
bad=$(awk '$2 ~ /^lora-/ {print $2}' "$W/fail.plan")
[ -n "$bad" ] || fail "no lora run in the plan"
mkdir -p "$W/fail/runs/$bad"; echo "not a folder" > "$W/fail/runs/$bad/model"
rc=0
./peft-arena arena --config "$W/small.yaml" --executor slurm --workdir "$W/fail" --no-progress --no-report \
  > "$W/fail.out" 2> "$W/fail.err" || rc=$?
[ $rc = 1 ] || { tail -n 30 "$W/fail.err"; fail "check 2: expected exit 1, got $rc"; }
line=$(grep "FAILED" "$W/fail.err" | head -n1)
echo "  reported: $line"
case "$line" in *"log: "*) ;; *) fail "check 2: the failure names no log";; esac
logf=${line##*log: }
[ -s "$logf" ] || fail "check 2: log $logf missing"
grep -q "$bad" "$logf" || fail "check 2: log $logf is not the failed run's"
n_ok=$(sqlite3 "$W/fail/registry.db" "SELECT count(*) FROM runs WHERE status = 'finished'")
[ "$n_ok" = 2 ] || fail "check 2: expected the 2 other runs finished, got $n_ok"
rm "$W/fail/runs/$bad/model"
./peft-arena arena --config "$W/small.yaml" --executor slurm --workdir "$W/fail" --no-progress --no-report \
  > "$W/fail2.out" 2> "$W/fail2.err" || { tail -n 30 "$W/fail2.err"; fail "check 2: rerun"; }
grep -q "submitted 1 run(s)" "$W/fail2.err" || { grep submitted "$W/fail2.err"; fail "check 2: the rerun did not resubmit exactly one run"; }
[ "$(wc -l < "$W/fail/slurm/runs-2.txt")" = 1 ] && grep -qx "$bad" "$W/fail/slurm/runs-2.txt" || fail "check 2: runs-2.txt"
same_answers "$W/s-local" "$W/fail" "check 2"
log "check 2 OK: failure reported with its log, the others finished, the rerun resubmitted only $bad"

# ---- 3. scancel mid-run, then resume to completion
log "check 3: scancel mid-run, resume"
./peft-arena arena --config "$W/small.yaml" --executor slurm --workdir "$W/cancel" --submit-only --no-progress \
  > "$W/cancel0.out" 2> "$W/cancel0.err" || { tail -n 30 "$W/cancel0.err"; fail "check 3: submit"; }
job=$(array_job "$W/cancel")
deadline=$((SECONDS + 900))
until ls -d "$W"/cancel/runs/*/model/checkpoints/step-* >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || fail "check 3: no checkpoint after 900 s"; sleep 1; done
scancel "$job"
until [ -z "$(squeue -h -r -j "$job" -o %i 2>/dev/null)" ]; do sleep 1; done
done_before=$(ls "$W"/cancel/runs/*/manifest.json 2>/dev/null | wc -l)
log "  cancelled array $job with $done_before of 3 runs finished"
[ "$done_before" -lt 3 ] || fail "check 3: every run finished before the cancel"
./peft-arena arena --config "$W/small.yaml" --executor slurm --workdir "$W/cancel" --no-progress --no-report \
  > "$W/cancel.out" 2> "$W/cancel.err" || { tail -n 30 "$W/cancel.err"; fail "check 3: resume"; }
grep -m1 submitted "$W/cancel.err"
if grep -l "resumed from" "$W"/cancel/slurm/logs/*.log >/dev/null 2>&1; then
  log "  resumed from a checkpoint: $(grep -h -o 'resumed from .*' "$W"/cancel/slurm/logs/*.log | head -n1)"
else
  fail "check 3: no task resumed from a checkpoint"
fi
same_answers "$W/s-local" "$W/cancel" "check 3"
log "check 3 OK"

# ---- Ctrl-C in the coordinator with --on-interrupt cancel: the array is cancelled, exit 130
log "check 3b: Ctrl-C in the coordinator"
set -m  # job control: the background coordinator must not inherit an ignored SIGINT
./peft-arena arena --config "$W/small.yaml" --executor slurm --workdir "$W/sigint" --no-progress --no-report \
  --on-interrupt cancel > "$W/sigint.out" 2> "$W/sigint.err" &
cpid=$!
deadline=$((SECONDS + 120))
until grep -q '^submitted' "$W/sigint.err" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "check 3b: nothing submitted"; sleep 1; done
job=$(array_job "$W/sigint")
kill -INT "$cpid"
rc=0; wait "$cpid" || rc=$?
set +m
[ $rc = 130 ] || { tail -n 20 "$W/sigint.err"; fail "check 3b: expected exit 130, got $rc"; }
grep -q '^cancelled the array' "$W/sigint.err" || fail "check 3b: no cancel reported"
for i in $(seq 1 30); do [ -z "$(squeue -h -r -j "$job" -o %i 2>/dev/null)" ] && break; sleep 1; done
[ -z "$(squeue -h -r -j "$job" -o %i 2>/dev/null)" ] || fail "check 3b: array $job still queued"
log "check 3b OK: SIGINT cancelled array $job"

log "all Slurm checks passed in $((SECONDS - T0)) s"
