#!/usr/bin/env bash
# Browser tests of the web map: unit tests of the page's modules, then headless Chromium
# (Debian package chromium, driven by npm playwright-core) against the real server on
# 127.0.0.1 with the real data. Installs nothing except the npm dependencies (npm ci).
#
# Environment: MAILLAGE_BIN (the `maillage` binary; default: release build in
# CARGO_TARGET_DIR or target/), MAILLAGE_DATA_DIR, MAILLAGE_CACHE_DIR (as for `maillage serve`),
# CHROMIUM (default /usr/bin/chromium). Screenshots go to tests/artifacts/web/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/web-build.sh"
target="${CARGO_TARGET_DIR:-$root/target}"
export MAILLAGE_BIN="${MAILLAGE_BIN:-$target/release/maillage}"
export MAILLAGE_DATA_DIR="${MAILLAGE_DATA_DIR:-$(cd "$root/.." && pwd)/shared/data}"
export MAILLAGE_CACHE_DIR="${MAILLAGE_CACHE_DIR:-$root/data/cache}"
export MAILLAGE_WEB_DIST="$root/web/dist"
export MAILLAGE_ARTIFACTS="${MAILLAGE_ARTIFACTS:-$root/tests/artifacts/web}"
mkdir -p "$MAILLAGE_ARTIFACTS"
cd "$root/web"
exec node --test --test-concurrency=1 tests/
