#!/usr/bin/env bash
# Load test of the OGC API on loopback, against pygeoapi serving the same venues.
#
#   bench/ogc/run.sh            # needs a release build (make build) and wrk (apt)
#
# Measures, with wrk (bounded: DURATION seconds per run):
#   1. Maillage  GET /collections/venues/items?bbox=<Tarn>&limit=100
#   2. pygeoapi  the same request, on a GeoPackage exported from Maillage (same features),
#                with its SQLite/GeoPackage provider (SpatiaLite), 2 gunicorn workers
#   3. the whole-France communes GeoJSON export (f=geojson), streamed to /dev/null
# and prints requests/s, p99 latency and the ratio. pygeoapi (PyPI) is installed in a
# virtualenv of Debian's python3 (whose sqlite3 loads extensions) under $BENCH_DIR;
# SpatiaLite comes from apt (libsqlite3-mod-spatialite, python3-venv). Both servers
# listen on 127.0.0.1 and are stopped at the end. (pygeoapi's GeoJSON provider was
# tried first: it re-reads the file at each request and ignores bbox.)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${MAILLAGE_BIN:-$TARGET/release/maillage}"
DATA="${MAILLAGE_DATA_DIR:-$ROOT/../shared/data}"
CACHE="${MAILLAGE_CACHE_DIR:-$ROOT/data/cache}"
BENCH_DIR="${BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/maillage/bench-ogc}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-32}"
# pygeoapi answers in about 100 ms: fewer connections keep wrk's latencies meaningful.
PYGEOAPI_CONNECTIONS="${PYGEOAPI_CONNECTIONS:-4}"
THREADS="${THREADS:-2}"
PYGEOAPI_VERSION="${PYGEOAPI_VERSION:-0.20.0}"
PYGEOAPI_WORKERS="${PYGEOAPI_WORKERS:-2}"

command -v wrk >/dev/null || { echo "wrk absent : apt-get install wrk" >&2; exit 1; }
[ -e /usr/lib/x86_64-linux-gnu/mod_spatialite.so ] || ls /usr/lib/*/mod_spatialite.so >/dev/null 2>&1 ||
  { echo "SpatiaLite absent : apt-get install libsqlite3-mod-spatialite python3-venv" >&2; exit 1; }
[ -x "$BIN" ] || { echo "binaire absent : $BIN (make build)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_http() { # url, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "pas de réponse de $1" >&2; return 1
}

# wrk summary → "req/s p99_ms" (url, connections)
run_wrk() {
  local out
  out="$(wrk -t"$THREADS" -c"$2" -d"${DURATION}s" --timeout 20s --latency "$1")"
  echo "$out" >&2
  local rps p99
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  p99="$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')"
  echo "$rps $p99"
}

mkdir -p "$BENCH_DIR"
M_PORT="$(free_port)"
echo "== Maillage sur 127.0.0.1:$M_PORT" >&2
MAILLAGE_DATA_DIR="$DATA" MAILLAGE_CACHE_DIR="$CACHE" "$BIN" serve --addr "127.0.0.1:$M_PORT" \
  >"$BENCH_DIR/maillage.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$M_PORT/health" 60
M="http://127.0.0.1:$M_PORT"

# The Tarn's bounding box, from the département collection.
TARN="$(curl -fsS "$M/collections/departements/items/81?zoom=8" | python3 -c '
import json, sys
g = json.load(sys.stdin)["geometry"]["coordinates"]
xs = [p[0] for poly in g for ring in poly for p in ring]
ys = [p[1] for poly in g for ring in poly for p in ring]
print(f"{min(xs):.4f},{min(ys):.4f},{max(xs):.4f},{max(ys):.4f}")')"
QUERY="/collections/venues/items?bbox=$TARN&limit=100"
MATCHED="$(curl -fsS "$M$QUERY" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["numberMatched"], d["numberReturned"])')"
echo "Tarn : bbox=$TARN ; numberMatched, numberReturned = $MATCHED" >&2

read -r M_RPS M_P99 < <(run_wrk "$M$QUERY" "$CONNECTIONS")

# Whole-France communes export (GeoJSON), three runs, best time.
BEST=""
for _ in 1 2 3; do
  t="$(curl -fsS -o /dev/null -w '%{time_total}' "$M/collections/communes/items?f=geojson")"
  BEST="$(python3 -c "print(min(float('$t'), float('${BEST:-1e9}')))")"
done
SIZE="$(curl -fsS "$M/collections/communes/items?f=geojson" | wc -c)"

# pygeoapi on the same venues (GeoPackage exported by Maillage).
rm -f "$BENCH_DIR/venues.gpkg"
curl -fsS "$M/collections/venues/items?f=gpkg" -o "$BENCH_DIR/venues.gpkg"
VENV="$BENCH_DIR/venv-debian"
if [ ! -x "$VENV/bin/pygeoapi" ]; then
  /usr/bin/python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "pygeoapi==$PYGEOAPI_VERSION" gunicorn
fi
P_PORT="$(free_port)"
cat >"$BENCH_DIR/pygeoapi.yml" <<EOF
server:
  bind: {host: 127.0.0.1, port: $P_PORT}
  url: http://127.0.0.1:$P_PORT
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  language: fr-FR
  limits: {default_items: 100, max_items: 5000}
  map:
    url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    attribution: OSM
logging: {level: ERROR}
metadata:
  identification: {title: bench, description: bench, keywords: [bench], keywords_type: theme, terms_of_service: none, url: http://127.0.0.1}
  license: {name: etalab-2.0, url: https://www.etalab.gouv.fr/licence-ouverte-open-licence}
  provider: {name: bench, url: http://127.0.0.1}
  contact: {name: bench}
resources:
  venues:
    type: collection
    title: venues
    description: venues
    keywords: [venues]
    extents:
      spatial: {bbox: [-180, -90, 180, 90], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}
    providers:
      - type: feature
        name: SQLiteGPKG
        data: $BENCH_DIR/venues.gpkg
        id_field: fid
        table: venues
EOF
export PYGEOAPI_CONFIG="$BENCH_DIR/pygeoapi.yml" PYGEOAPI_OPENAPI="$BENCH_DIR/pygeoapi-openapi.yml"
"$VENV/bin/pygeoapi" openapi generate "$PYGEOAPI_CONFIG" --output-file "$PYGEOAPI_OPENAPI" >/dev/null
echo "== pygeoapi $PYGEOAPI_VERSION sur 127.0.0.1:$P_PORT ($PYGEOAPI_WORKERS workers gunicorn)" >&2
"$VENV/bin/gunicorn" -w "$PYGEOAPI_WORKERS" -b "127.0.0.1:$P_PORT" pygeoapi.flask_app:APP \
  >"$BENCH_DIR/pygeoapi.log" 2>&1 &
PIDS+=($!)
P="http://127.0.0.1:$P_PORT"
wait_http "$P/collections/venues/items?f=json&limit=1" 60
P_CHECK="$(curl -fsS "$P$QUERY&f=json" | python3 -c '
import json, sys
b = [float(v) for v in sys.argv[1].split(",")]
fs = json.load(sys.stdin)["features"]
inside = all(b[0] <= f["geometry"]["coordinates"][0] <= b[2] and b[1] <= f["geometry"]["coordinates"][1] <= b[3] for f in fs)
print(len(fs), "objets, tous dans la bbox" if inside else "objets, certains HORS de la bbox")' "$TARN")"
echo "pygeoapi : $P_CHECK" >&2
read -r P_RPS P_P99 < <(run_wrk "$P$QUERY&f=json" "$PYGEOAPI_CONNECTIONS")

python3 - "$M_RPS" "$M_P99" "$P_RPS" "$P_P99" "$BEST" "$SIZE" "$TARN" "$CONNECTIONS" "$PYGEOAPI_CONNECTIONS" <<'EOF'
import sys
m_rps, m_p99, p_rps, p_p99, best, size, tarn = sys.argv[1:8]
m_rps, p_rps = float(m_rps), float(p_rps)
print(f"venues, bbox du Tarn ({tarn}), limit=100 :")
print(f"  Maillage : {m_rps:,.0f} req/s, p99 {float(m_p99):.2f} ms ({sys.argv[8]} connexions)")
print(f"  pygeoapi : {p_rps:,.1f} req/s, p99 {float(p_p99):.2f} ms ({sys.argv[9]} connexions)")
print(f"  rapport  : {m_rps / p_rps:,.1f} × plus de requêtes par seconde")
print(f"export GeoJSON des communes de France : {float(best):.2f} s ({int(size) / 1e6:.0f} Mo)")
EOF
