#!/usr/bin/env bash
# Runs the README's commands as written: every line of each ```bash block that follows a
# `<!-- readme-check -->` marker, from the repository root, through the real launcher (with
# PEFT_ARENA_NO_REBUILD=1: the jar of the build just made). Also checks that the JMH example's
# benchmark and parameters exist. Run after the build (./run-tests does).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PEFT_ARENA_NO_REBUILD=1
fail() { echo "readme-check: $*" >&2; exit 1; }
[ -f java/cli/target/peft-arena.jar ] || fail "java/cli/target/peft-arena.jar is missing; build first"

commands="$(awk '/<!-- readme-check -->/ {m=1; next}
                 m==1 && /^```bash$/ {m=2; next}
                 m==2 && /^```$/ {m=0; next}
                 m==2 && NF && $1 !~ /^#/ {print}' README.md)"
[ -n "$commands" ] || fail "no marked bash block in README.md"
n=0
while IFS= read -r cmd; do
  n=$((n + 1))
  echo "readme-check: \$ $cmd"
  if ! out="$(bash -c "$cmd" 2>&1)"; then
    echo "$out" >&2
    fail "README command failed: $cmd"
  fi
  printf '%s\n' "$out" | sed 's/^/    /' | head -n 12
done <<<"$commands"

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
echo "readme-check: OK ($n commands)"
