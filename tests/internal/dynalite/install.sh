#!/usr/bin/env bash
# Installs npm's dynalite (a DynamoDB implementation in Node.js, no Java)
# under tests/internal/dynalite/node_modules for the fleet-state tests.
# Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
cd "$(dirname "$0")"
version=4.0.0
if [ -f node_modules/dynalite/package.json ] &&
  grep -q "\"version\": \"$version\"" node_modules/dynalite/package.json; then
  exit 0
fi
command -v npm >/dev/null || { echo "dynalite: npm is required (apt-get install nodejs npm)" >&2; exit 1; }
# npm holds back dynalite's optional native build (leveldown); the
# in-memory store the tests use needs none of it.
npm install --no-save --no-audit --no-fund --ignore-scripts --prefix . "dynalite@$version" >&2
