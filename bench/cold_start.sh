#!/usr/bin/env bash
# Cold start of `maillage serve` with all of France: time from launch until /health
# answers, and peak memory (VmHWM) once serving. Runs N times (default 5) on loopback.
# Usage: bench/cold_start.sh [N]   (MAILLAGE_BIN, MAILLAGE_DATA_DIR, MAILLAGE_CACHE_DIR as for serve)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${MAILLAGE_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/maillage}"
n="${1:-5}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
for i in $(seq "$n"); do
  start=$(date +%s.%N)
  "$bin" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "le serveur s'est arrêté" >&2; exit 1; }
    sleep 0.01
  done
  end=$(date +%s.%N)
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  sleep 5 # background warm-up of the OGC layers and default plans
  warm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf 'run %d: ready in %.2f s, peak memory %d MB when ready, %d MB after warm-up\n' \
    "$i" "$(python3 -c "print($end - $start)")" "$((hwm / 1024))" "$((warm / 1024))"
done
