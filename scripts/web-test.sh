#!/usr/bin/env bash
# Browser tests of the web map: unit tests of the page's modules, then headless Chromium
# (Debian package chromium, driven by npm playwright-core) against the real server on
# 127.0.0.1 with the real data. Installs nothing except the npm dependencies (npm ci).
# Environment: see scripts/web-env.sh. Screenshots go to tests/artifacts/web/.
set -euo pipefail
source "$(dirname "$0")/web-env.sh"
export MAILLAGE_ARTIFACTS="${MAILLAGE_ARTIFACTS:-$root/tests/artifacts/web}"
mkdir -p "$MAILLAGE_ARTIFACTS"
exec node --test --test-concurrency=1 tests/
