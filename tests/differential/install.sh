#!/usr/bin/env bash
# Installs the parsers the differential suite compares the agent's decoder
# with: Python's python-multipart and werkzeug (Debian packages, PyPI is not
# reachable) and Node's busboy (npm, pinned, into this directory). The
# standard libraries of Go, Python and Node need nothing. Idempotent: what
# is present is not installed again.
set -euo pipefail
cd "$(dirname "$0")"

py=/usr/bin/python3
[ -x "$py" ] || py=python3
if ! "$py" -c 'import multipart, werkzeug' 2>/dev/null; then
  missing=(python3-multipart python3-werkzeug)
  command -v /usr/bin/python3 >/dev/null || missing+=(python3)
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
fi

if ! command -v node >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq nodejs npm
fi
if [ ! -f node_modules/busboy/package.json ] || ! grep -q '"version": "1.6.0"' node_modules/busboy/package.json; then
  npm install --no-save --no-audit --no-fund --prefix . busboy@1.6.0
fi
