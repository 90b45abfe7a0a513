#!/usr/bin/env bash
# The map in headless Chromium against the real server: first meaningful paint of the Tarn
# view (cold server, warm, CPU slowed 4×) and panning over France at three zooms.
# Usage: bench/web.sh [runs]  (default 10; MAILLAGE_BIN, MAILLAGE_DATA_DIR, MAILLAGE_CACHE_DIR
# as for serve; Debian chromium at /usr/bin/chromium or CHROMIUM).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/web-build.sh"
target="${CARGO_TARGET_DIR:-$root/target}"
export MAILLAGE_BIN="${MAILLAGE_BIN:-$target/release/maillage}"
export MAILLAGE_DATA_DIR="${MAILLAGE_DATA_DIR:-$(cd "$root/.." && pwd)/shared/data}"
export MAILLAGE_CACHE_DIR="${MAILLAGE_CACHE_DIR:-$root/data/cache}"
export MAILLAGE_WEB_DIST="$root/web/dist"
cd "$root/web"
exec node bench/map.bench.mjs "${1:-10}"
