#!/usr/bin/env bash
# Runs the README's commands as written: every line of each ```bash block that follows a marker,
# from the repository root, through the real launcher (with PEFT_ARENA_NO_REBUILD=1: the jar of the
# build just made), in one shell per block (so an `eval` or `cd` holds for the lines after it).
#   scripts/readme-check.sh              blocks after `<!-- readme-check -->` (cheap; ./run-tests runs
#                                        them after the build), then the JMH example's names and the
#                                        --version of every subcommand
#   scripts/readme-check.sh after-arena  blocks after `<!-- readme-check: after-arena -->`: they need
#                                        the work directory of `./peft-arena arena` (.ci/run runs them)
#   scripts/readme-check.sh slurm        blocks after `<!-- readme-check: slurm -->`: a Slurm cluster of
#                                        its own (scripts/ci-slurm-checks.sh runs them)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PEFT_ARENA_NO_REBUILD=1
fail() { echo "readme-check: $*" >&2; exit 1; }
group="${1:-}"
case "$group" in
  "") marker='<!-- readme-check -->' ;;
  after-arena|slurm) marker="<!-- readme-check: $group -->" ;;
  *) echo "usage: $0 [after-arena|slurm]" >&2; exit 2 ;;
esac
[ -f java/cli/target/peft-arena.jar ] || fail "java/cli/target/peft-arena.jar is missing; build first"

# one script: each command echoed, then run (a line ending in \ continues on the next)
script="$(awk -v marker="$marker" '$0 == marker {m=1; next}
                 m==1 && /^```bash$/ {m=2; next}
                 m==1 && NF {m=0; next}
                 m==2 && /^```$/ {m=0; next}
                 m==2 && NF && $1 !~ /^#/ {
                   if (sub(/\\$/, "")) {cont = cont $0; next}
                   print cont $0; cont = ""}' README.md)"
[ -n "$script" ] || fail "no bash block after '$marker' in README.md"
n=0
runner=""
while IFS= read -r cmd; do
  n=$((n + 1))
  runner+="printf '%s\n' $(printf '%q' "readme-check: \$ $cmd")"$'\n'"$cmd"$'\n'
done <<<"$script"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! bash -euo pipefail -c "$runner" 2>&1 | tee "$log"; then
  fail "a README command failed (the last one echoed above)"
fi
if [ "$group" = after-arena ]; then
  # what the text says they do: a report elsewhere, a copy that redoes nothing, imported scores in its report
  [ -s /tmp/peft-arena-readme-report/report.html ] || fail "report --out wrote no report.html"
  grep -Eq '^arena: ([0-9]+) runs, \1 already finished' "$log" || fail "the copied work directory did not resume with every run finished"
  grep -q 'my-lora' /tmp/quick-copy/report/report.md || fail "the imported run is not in the copy's report"
  rm -rf /tmp/peft-arena-readme-report /tmp/quick-copy /tmp/my-scores.csv
fi
[ -n "$group" ] && { echo "readme-check: OK ($n commands after '$marker')"; exit 0; }

# the short JMH example names a benchmark and parameters that exist
jmh_line="$(grep -m1 'benchmarks.jar CayleyBenchmark' README.md || true)"
[ -n "$jmh_line" ] || fail "the short JMH example is gone from README.md"
if [ -f benchmarks/target/benchmarks.jar ]; then
  params="$(java -jar benchmarks/target/benchmarks.jar CayleyBenchmark -lp 2>&1)"
  for p in $(grep -A1 'benchmarks.jar CayleyBenchmark' README.md | grep -o -- '-p [a-zA-Z]*=' | sed 's/-p //; s/=//'); do
    grep -q "param \"$p\"" <<<"$params" || fail "the JMH example's parameter $p is not a parameter of CayleyBenchmark"
  done
fi
# the jar knows its version, and every subcommand prints it
version="$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -n 1)"
for cmd in "" "arena" "model info" "kernels bench"; do
  got="$(./peft-arena $cmd --version)"
  [ "$got" = "peft-arena $version" ] || fail "'peft-arena $cmd --version' printed '$got', expected 'peft-arena $version'"
done
rm -rf /tmp/peft-arena-readme-train
echo "readme-check: OK ($n commands after '$marker')"
