#!/usr/bin/env bash
# Renders an arena report page in headless Chromium (offline, from a file URL) and saves a PNG,
# to check by eye that the charts draw. Usage:
#   benchmarks/report-screenshot.sh [report.html] [out.png]
# Defaults: arena-work/quick/report/report.html -> <same folder>/report.png
set -euo pipefail
html="${1:-arena-work/quick/report/report.html}"
png="${2:-$(dirname "$html")/report.png}"
browser="${PEFTARENA_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}"
if [ -z "$browser" ]; then
  echo "no Chromium found (apt-get install chromium, or set PEFTARENA_CHROMIUM)" >&2
  exit 2
fi
[ -f "$html" ] || { echo "no report at $html (run: ./peft-arena report --workdir DIR)" >&2; exit 2; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless=new --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --virtual-time-budget=15000 --window-size=1400,2400 \
  --screenshot="$(realpath -m "$png")" "file://$(realpath "$html")" 2>/dev/null
echo "wrote $png"
