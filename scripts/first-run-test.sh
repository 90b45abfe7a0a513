#!/usr/bin/env bash
# What a newcomer gets: `make run` in a fresh clone of this repository with no ../shared
# beside it. Passes when the server answers all 34,875 communes of the registry and marks
# the venue and IFN layers missing with a message saying how to add them.
# Uses its own build cache (CARGO_TARGET_DIR of the caller + "-first-run"), so that the
# clone's build never replaces the binary the other tests run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
log="$work/make-run.log"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$root" "$work/main"
[ ! -e "$work/shared" ] || { echo "first run: $work/shared must not exist" >&2; exit 1; }
main_target="${CARGO_TARGET_DIR:-$HOME/.cache/maillage/target}"
target="$main_target-first-run"
# Start from the dependencies already built for the other tests: the clone rebuilds only
# its own crates (their paths differ), as a newcomer's second build would.
if [ ! -d "$target" ] && [ -d "$main_target/release" ]; then cp -a "$main_target" "$target"; fi
echo "first run: make run in a fresh clone without ../shared (port $port, log $log)"
# A new process group, so that the server and make stop together.
set -m
(cd "$work/main" && exec env -u MAILLAGE_DATA_DIR -u MAILLAGE_WEB_DIR \
  CARGO_TARGET_DIR="$target" MAILLAGE_CACHE_DIR="${MAILLAGE_CACHE_DIR:-$root/data/cache}" \
  make run ADDR="127.0.0.1:$port" >"$log" 2>&1) &
pid=$!
set +m

base="http://127.0.0.1:$port"
deadline=$((SECONDS + 1800))
until curl -sf "$base/health" >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "first run: make run stopped before serving:" >&2; tail -30 "$log" >&2; exit 1
  fi
  if [ $SECONDS -gt $deadline ]; then echo "first run: no answer after 30 min" >&2; tail -30 "$log" >&2; exit 1; fi
  sleep 2
done

curl -sf "$base/collections/communes/items?limit=1&f=json" >"$work/communes.json"
curl -sf "$base/api/layers" >"$work/layers.json"
python3 - "$work/communes.json" "$work/layers.json" <<'EOF'
import json, sys
communes = json.load(open(sys.argv[1]))
layers = json.load(open(sys.argv[2]))
layers = layers.get("layers", layers)
matched = communes.get("numberMatched")
assert matched == 34875, f"communes: expected 34875, got {matched}"
state = {l["id"]: l["status"] for l in layers}
venues = state.get("venues", {})
assert venues.get("state") == "missing", f"venues layer should be missing: {venues}"
assert "venues" in venues.get("message", ""), f"the message must say where to add venues: {venues}"
print(f"first run: {matched} communes served; missing layers:",
      ", ".join(k for k, v in state.items() if v.get("state") == "missing"))
EOF
