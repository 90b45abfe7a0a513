#!/usr/bin/env bash
# Records the answers of every route of a `maillage` binary on the real data, and compares
# two recordings byte for byte (a refactor must not change any output).
#
#   scripts/compare-routes.sh record BIN OUT_DIR   # serve BIN on a free port, fetch, stop
#   scripts/compare-routes.sh compare DIR_A DIR_B  # diff two recordings
#
# Data: MAILLAGE_DATA_DIR (default ../shared/data), MAILLAGE_CACHE_DIR (default data/cache).
# Each answer is saved as NAME.head (status + stable headers) and NAME.body. Masked, since
# they legitimately vary from run to run: the `Date` and `Server-Timing` headers (not
# recorded), `"elapsed_ms":N` in solver reports and the `"timings_ms":{…}` of the import
# report. Shapefile zips and GeoPackages are compared by decoded content (`ogrinfo -al`,
# the DBF header date and SQLite page layout aside), their other files byte for byte.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

record() {
    local bin=$1 out=$2
    mkdir -p "$out"
    local data=${MAILLAGE_DATA_DIR:-$here/../shared/data}
    local cache=${MAILLAGE_CACHE_DIR:-$here/data/cache}
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    local base="http://127.0.0.1:$port"
    # A fixed Host, so that the links (and the ETags over them) do not name the port.
    local host=maillage.test:8080
    "$bin" serve --data-dir "$data" --cache-dir "$cache" --addr "127.0.0.1:$port" \
        >"$out/server.log" 2>&1 &
    local pid=$!
    trap 'kill $pid 2>/dev/null || true' EXIT
    for _ in $(seq 1 600); do
        curl -fs "$base/health" >/dev/null 2>&1 && break
        kill -0 $pid 2>/dev/null || { echo "server died" >&2; cat "$out/server.log" >&2; exit 1; }
        sleep 0.5
    done

    # fetch NAME PATH [ACCEPT] ; post NAME PATH BODY
    fetch() {
        local name=$1 path=$2 accept=${3:-}
        local args=(-s -H "Host: $host" -D "$out/$name.rawhead" -o "$out/$name.body")
        [ -n "$accept" ] && args+=(-H "Accept: $accept")
        curl "${args[@]}" "$base$path"
        finish "$name"
    }
    post() {
        local name=$1 path=$2 body=$3
        curl -s -H "Host: $host" -D "$out/$name.rawhead" -o "$out/$name.body" \
            -H 'Content-Type: application/json' --data-binary "$body" "$base$path"
        finish "$name"
    }
    finish() {
        local name=$1
        # Status line and the headers that belong to the answer (no Date, no timing).
        grep -iE '^(HTTP/|content-type|content-crs|content-disposition|etag|link|vary|allow):' \
            "$out/$name.rawhead" | tr -d '\r' | sort >"$out/$name.head"
        # The first line starts with HTTP/ and has no colon; keep it first.
        head -1 "$out/$name.rawhead" | tr -d '\r' >"$out/$name.status"
        rm "$out/$name.rawhead"
        sed -i -E 's/"elapsed_ms":[0-9]+/"elapsed_ms":0/g; s/"timings_ms":\{[^}]*\}/"timings_ms":{}/g' \
            "$out/$name.body" 2>/dev/null || true
    }

    # Meta, landing, conformance, OpenAPI.
    fetch health /health
    fetch layers /api/layers
    fetch import_report /api/import-report
    fetch root_json '/?f=json'
    fetch ogc_json '/ogc?f=json'
    fetch ogc_html '/ogc?f=html'
    fetch conformance '/conformance?f=json'
    fetch conformance_html '/conformance?f=html'
    fetch collections '/collections?f=json'
    fetch collections_html '/collections?f=html'
    fetch openapi '/api?f=json'
    fetch openapi_accept '/api' 'application/vnd.oai.openapi+json;version=3.0'

    # Every collection: metadata, schema, queryables, items in every format.
    local c
    for c in communes venues town-halls epci departements gaps sites tours; do
        fetch "c_${c}" "/collections/$c?f=json"
        fetch "c_${c}_html" "/collections/$c?f=html"
        fetch "c_${c}_schema" "/collections/$c/schema?f=json"
        fetch "c_${c}_queryables" "/collections/$c/queryables?f=json"
        fetch "i_${c}_json" "/collections/$c/items?f=json&limit=5"
        fetch "i_${c}_geojson_accept" "/collections/$c/items?limit=3" 'application/geo+json'
        fetch "i_${c}_html" "/collections/$c/items?f=html&limit=5"
        fetch "i_${c}_csv" "/collections/$c/items?f=csv&limit=20"
        fetch "i_${c}_page2" "/collections/$c/items?f=json&limit=7&offset=7"
        fetch "i_${c}_2154" "/collections/$c/items?f=json&limit=4&crs=http://www.opengis.net/def/crs/EPSG/0/2154"
        fetch "i_${c}_bbox" "/collections/$c/items?f=json&limit=50&bbox=2.0,43.8,2.3,44.0"
        fetch "i_${c}_bbox_csv" "/collections/$c/items?f=csv&bbox=1.8,43.6,2.6,44.2"
        fetch "i_${c}_zoom" "/collections/$c/items?f=json&limit=5&zoom=8"
        fetch "i_${c}_shp" "/collections/$c/items?f=shp&bbox=1.8,43.6,2.6,44.2"
        fetch "i_${c}_gpkg" "/collections/$c/items?f=gpkg&bbox=1.8,43.6,2.6,44.2"
    done
    # Whole layers in the streamed formats.
    fetch i_communes_all_csv '/collections/communes/items?f=csv&limit=100000'
    fetch i_venues_all_geojson '/collections/venues/items?f=geojson&limit=100000'
    fetch i_gaps_all_csv '/collections/gaps/items?f=csv&limit=100000'
    fetch i_departements_geojson '/collections/departements/items?f=geojson&limit=200&zoom=6'
    fetch i_epci_2154_bbox '/collections/epci/items?f=json&bbox=700000,6250000,720000,6300000&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/2154&crs=http://www.opengis.net/def/crs/EPSG/0/2154&zoom=10'
    # Items one by one, filters, gap variants.
    fetch item_commune '/collections/communes/items/81004?f=json'
    fetch item_commune_html '/collections/communes/items/81004?f=html'
    fetch item_commune_2154 '/collections/communes/items/81004?f=json&crs=http://www.opengis.net/def/crs/EPSG/0/2154'
    fetch item_gaps '/collections/gaps/items/81004?f=json'
    fetch item_missing '/collections/communes/items/00000?f=json'
    fetch filter_dep '/collections/communes/items?f=json&departement=81&limit=10'
    fetch gaps_variant '/collections/gaps/items?f=json&threshold=12&limit=10'
    fetch gaps_variant_csv '/collections/gaps/items?f=csv&threshold=12&speed_kmh=40&bbox=1.8,43.6,2.6,44.2'
    fetch gaps_variant_geojson '/collections/gaps/items?f=geojson&threshold=30&detour_factor=1.5&limit=20&offset=20'
    fetch gaps_variant_bad '/collections/gaps/items?f=json&threshold=-3'
    fetch sites_81 '/collections/sites/items?f=json&limit=100&bbox=1.5,43.3,3.0,44.3'
    fetch tours_81 '/collections/tours/items?f=json&limit=100&bbox=1.5,43.3,3.0,44.3'
    fetch tours_81_csv '/collections/tours/items?f=csv&bbox=1.5,43.3,3.0,44.3'
    # Errors of the OGC API.
    fetch err_collection '/collections/nope?f=json'
    fetch err_items '/collections/nope/items?f=json'
    fetch err_format '/collections/communes/items?f=xml'
    fetch err_bbox '/collections/communes/items?f=json&bbox=1,2,3'
    fetch err_limit '/collections/communes/items?f=json&limit=-1'
    fetch err_crs '/collections/communes/items?f=json&crs=EPSG:9999'
    fetch err_param '/collections/communes/items?f=json&pas=1'
    fetch err_zoom '/collections/communes/items?f=json&zoom=99'
    fetch err_404 '/nulle/part'

    # /api/*
    fetch search_albi '/api/search?q=albi'
    fetch search_code '/api/search?q=81000'
    fetch search_accent '/api/search?q=saint%20etienne&limit=5'
    fetch search_empty '/api/search?q='
    fetch nearest '/api/nearest?lon=2.148&lat=43.929&k=5'
    fetch nearest_bad '/api/nearest?lon=2.1'
    fetch commune '/api/communes/81004'
    fetch commune_missing '/api/communes/00000'
    fetch gaps_get '/api/gaps?departement=81&threshold=12'
    fetch gaps_get_csv '/api/gaps?departement=81&threshold=12&f=csv'
    fetch gaps_get_geojson '/api/gaps?departement=81,48&f=geojson'
    fetch gaps_get_accept '/api/gaps?epci=248100737' 'application/geo+json, application/json;q=0.5'
    fetch gaps_get_2020 '/api/gaps?departement=81&ifn_model=ifn2020&ifn_scale=departement'
    fetch gaps_get_bad '/api/gaps?departement=81&seuil=20'
    fetch gaps_get_bad2 '/api/gaps?departement=81&threshold=-1'
    fetch gaps_get_bad3 '/api/gaps?publics=pas-un-public'
    post gaps_post '/api/gaps' '{"territory":{"departements":["81"]},"threshold_minutes":15}'
    post gaps_post_whatif '/api/gaps?f=geojson' '{"territory":{"departements":["81"]},"added":[{"town_hall":"81065"},{"lonlat":[2.3,43.8],"label":"bus"}],"removed":[0]}'
    post gaps_post_csv '/api/gaps?f=csv' '{"territory":{"communes":["81004","81065","81099"]}}'
    post gaps_post_bad '/api/gaps' '{"threshold_minutes":"vingt"}'
    post gaps_post_array '/api/gaps' '[]'
    post gaps_post_param '/api/gaps?threshold=20' '{}'
    post sites_default '/api/plan/sites' '{"demand":[{"id":"a","commune":"81004"},{"id":"b","commune":"81065"},{"id":"c","lon":2.3,"lat":43.8,"weight":3}],"p":2,"objective":"median"}'
    post sites_geojson '/api/plan/sites?f=geojson' '{"demand":[{"id":"a","commune":"81004"},{"id":"b","commune":"81065"},{"id":"c","lon":2.3,"lat":43.8,"weight":3}],"p":1,"objective":"coverage","radius":15,"speed_kmh":50}'
    post sites_csv '/api/plan/sites?f=csv' '{"demand":[{"id":"a","commune":"81004"},{"id":"b","commune":"81065"}],"candidates":[{"id":"x","commune":"81004"},{"id":"y","commune":"81065"}],"p":1,"objective":"median"}'
    post sites_bad '/api/plan/sites' '{"demand":[{"id":"d","lon":2.0,"lat":44.0}],"candidates":[{"id":"c","lon":2.1,"lat":44.0}],"p":2,"objective":"median"}'
    post tours '/api/plan/tours' '{"base":{"commune":"81004"},"stops":[{"id":"81065","commune":"81065","weight":2,"service_minutes":120},{"id":"81099","commune":"81099","weight":1,"service_minutes":60},{"id":"81060","commune":"81060","weight":3,"service_minutes":90}],"days":2,"day_minutes":420}'
    post tours_geojson '/api/plan/tours?f=geojson' '{"base":{"commune":"81004"},"stops":[{"id":"81065","commune":"81065","weight":2,"service_minutes":120},{"id":"81099","commune":"81099","weight":1,"service_minutes":60}],"days":1,"day_minutes":420}'
    post tours_csv '/api/plan/tours?f=csv' '{"base":{"commune":"81004"},"stops":[{"id":"81065","commune":"81065","weight":2,"service_minutes":120}],"days":1,"day_minutes":420}'
    post tours_bad '/api/plan/tours' '{"base":{"commune":"81004"},"stops":[],"days":0}'
    post tours_too_many '/api/plan/tours' "{\"base\":{\"lon\":2,\"lat\":44},\"stops\":[$(python3 -c 'print(",".join("{\"id\":\"s%d\",\"lon\":2,\"lat\":44,\"service_minutes\":1}" % i for i in range(2001)))')],\"days\":1}"

    kill $pid
    wait $pid 2>/dev/null || true
    trap - EXIT
    echo "recorded $(ls "$out"/*.body | wc -l) answers in $out"
}

decode() {
    # Prints the decoded content of an export body (zip of a shapefile, GeoPackage).
    local f=$1 tmp
    tmp=$(mktemp -d)
    if head -c 2 "$f" | grep -q PK; then
        (cd "$tmp" && unzip -q "$f")
        local g
        for g in "$tmp"/*; do
            case "$g" in
            *.dbf | *.shp | *.shx) ;;
            *) echo "== $(basename "$g")"; cat "$g" ;;
            esac
        done
        for g in "$tmp"/*.shp; do
            [ -e "$g" ] && ogrinfo -ro -al "$g" 2>/dev/null | grep -v '^INFO: Open of'
        done
    elif head -c 16 "$f" | grep -q 'SQLite format 3'; then
        ogrinfo -ro -al "$f" 2>/dev/null | grep -v '^INFO: Open of'
    fi
    rm -rf "$tmp"
}

compare() {
    local a=$1 b=$2 bad=0 n=0 f name
    for f in "$a"/*.body; do
        name=$(basename "$f" .body)
        n=$((n + 1))
        for part in status head; do
            if ! cmp -s "$a/$name.$part" "$b/$name.$part"; then
                echo "DIFF $name.$part"; diff "$a/$name.$part" "$b/$name.$part" | head -5 || true; bad=$((bad + 1))
            fi
        done
        if ! cmp -s "$f" "$b/$name.body"; then
            if [[ $name == *_shp || $name == *_gpkg ]] &&
                cmp -s <(decode "$(realpath "$f")" | sed "s#$a#X#g") <(decode "$(realpath "$b/$name.body")" | sed "s#$b#X#g"); then
                continue
            fi
            echo "DIFF $name.body"; bad=$((bad + 1))
        fi
    done
    echo "$n answers compared, $bad differences"
    [ $bad -eq 0 ]
}

case ${1:-} in
record) record "$(realpath "$2")" "$(realpath -m "$3")" ;;
compare) compare "$(realpath "$2")" "$(realpath "$3")" ;;
*) sed -n 2,13p "$0"; exit 2 ;;
esac
