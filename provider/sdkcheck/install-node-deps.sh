#!/usr/bin/env bash
# Installs what the SDK checks (go test ./provider/sdkcheck) compile the
# generated Node.js SDK with: TypeScript and the Pulumi Node.js SDK's type
# declarations, pinned, into dist/sdkcheck/node_modules. Skipped when they
# are already there. CI (.ci/run) calls it before `make test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=dist/sdkcheck
if [ -x "$dir/node_modules/.bin/tsc" ] && [ -f "$dir/node_modules/@pulumi/pulumi/package.json" ]; then
  exit 0
fi
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{"private":true}' > "$dir/package.json"
npm install --prefix "$dir" --no-audit --no-fund --ignore-scripts \
  typescript@5.9.3 @pulumi/pulumi@3.276.0 @types/node@20
