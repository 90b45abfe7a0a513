#!/usr/bin/env bash
# The map in headless Chromium against the real server: first meaningful paint of the Tarn
# view (cold server, warm, CPU slowed 4×) and panning over France at three zooms.
# Usage: bench/web.sh [runs]  (default 10; environment: see scripts/web-env.sh)
set -euo pipefail
source "$(dirname "$0")/../scripts/web-env.sh"
exec node bench/map.bench.mjs "${1:-10}"
