#!/usr/bin/env bash
# Builds the web map into web/dist/ (served by `maillage serve` at /).
# Installs the npm dependencies from web/package-lock.json (npm ci) only when
# web/node_modules is missing or older than the lockfile.
set -euo pipefail
cd "$(dirname "$0")/../web"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm introuvable : installez Node.js 18 ou plus récent (paquets Debian nodejs et npm)." >&2
  exit 1
fi
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "Installation des dépendances web (npm ci)…"
  # --ignore-scripts: no package needs an install script (esbuild ships its binary as an
  # optional platform package).
  npm ci --no-audit --no-fund --ignore-scripts
fi
node build.mjs
