# Sourced by scripts/web-test.sh and bench/web.sh: builds web/dist, then sets what the
# browser runs need to start the real server (defaults for a clone beside ../shared) and
# enters web/.
# Environment: MAILLAGE_BIN (the `maillage` binary; default: release build in
# CARGO_TARGET_DIR or target/), MAILLAGE_DATA_DIR, MAILLAGE_CACHE_DIR (as for `maillage serve`),
# CHROMIUM (default /usr/bin/chromium).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/web-build.sh"
target="${CARGO_TARGET_DIR:-$root/target}"
export MAILLAGE_BIN="${MAILLAGE_BIN:-$target/release/maillage}"
export MAILLAGE_DATA_DIR="${MAILLAGE_DATA_DIR:-$(cd "$root/.." && pwd)/shared/data}"
export MAILLAGE_CACHE_DIR="${MAILLAGE_CACHE_DIR:-$root/data/cache}"
export MAILLAGE_WEB_DIST="$root/web/dist"
cd "$root/web"
