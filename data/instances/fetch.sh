#!/usr/bin/env bash
# Fetches the published benchmark instances used by the maillage-plan benches into
# data/cache/instances/ (git-ignored). Registry packages only, checked by sha256.
#
# - TSPLIB symmetric instances (att48, eil51, berlin52, st70, kroA100, ch130, lin318,
#   att532) and two national TSPs (qa194, uy734), as shipped in the PyPI source
#   distribution TSP-Framework 1.27. Their proven optima are in tsplib_optima.csv.
#
# Usage: data/instances/fetch.sh   (idempotent; needs python3 with pip)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${MAILLAGE_INSTANCE_CACHE:-$here/../cache/instances}"
mkdir -p "$cache/downloads" "$cache/tsplib"

fetch_pypi_sdist() { # name version file sha256
    local name="$1" version="$2" file="$3" sha="$4"
    local dest="$cache/downloads/$file"
    if [[ ! -f "$dest" ]] || ! echo "$sha  $dest" | sha256sum --check --quiet 2>/dev/null; then
        rm -f "$dest"
        python3 -m pip download --quiet --no-deps --no-binary :all: \
            --dest "$cache/downloads" "$name==$version"
    fi
    if ! echo "$sha  $dest" | sha256sum --check --quiet; then
        echo "erreur : somme sha256 inattendue pour $dest" >&2
        exit 1
    fi
}

fetch_pypi_sdist TSP-Framework 1.27 TSP-Framework-1.27.tar.gz \
    898b6f0ef98107dfb9f84a429a66d6a381d1ddd3acb2bb2ae1ee9a7c2043c8a2

tar -xzf "$cache/downloads/TSP-Framework-1.27.tar.gz" -C "$cache/tsplib" \
    --strip-components=2 --wildcards 'TSP-Framework-1.27/instances/*.tsp'

# Keep only the instances with a published optimum (tsplib_optima.csv).
missing=0
while IFS=, read -r name n optimum source; do
    [[ "$name" == "name" ]] && continue
    if [[ ! -f "$cache/tsplib/$name.tsp" ]]; then
        echo "manquant : $name.tsp" >&2
        missing=1
    fi
done < "$here/tsplib_optima.csv"
[[ $missing == 0 ]] || exit 1
echo "instances TSPLIB prêtes dans $cache/tsplib"
