#!/usr/bin/env bash
# The RL regime end to end: `./peft-arena arena --preset quick-rl` (about 5 minutes on two cores)
# must finish within its 10 minutes and raise the arithmetic target's pass@1 above the base model's
# for every method in it, by more than one (conservative) standard error. Run from the repository
# root; WORK (default arena-work/quick-rl-check) is replaced.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="${WORK:-arena-work/quick-rl-check}"
rm -rf "$work"
start=$(date +%s)
./peft-arena arena --preset quick-rl --workdir "$work" --no-progress
seconds=$(( $(date +%s) - start ))
echo "rl-check: quick-rl took ${seconds} s"
java -cp java/cli/target/peft-arena.jar scripts/RlCheck.java "$work/report/report.json"
if [ "$seconds" -gt 600 ]; then
  echo "rl-check: quick-rl took ${seconds} s, more than its 10 minutes" >&2
  exit 1
fi
