#!/usr/bin/env bash
# Makes Node 24 LTS available in ./.tools (from the npm registry's `node@24` package) when the
# machine's Node is older, and prints the directory to put first on PATH.
# Usage: export PATH="$(bash scripts/ensure-node.sh):$PATH"
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.tools/node_modules/.bin"
major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ -x "$bin/node" ] && [ "$(major "$bin/node")" = "24" ]; then echo "$bin"; exit 0; fi
if command -v node >/dev/null && [ "$(major node)" = "24" ]; then dirname "$(command -v node)"; exit 0; fi
echo "why137: installing Node 24 into .tools (machine has $(node --version 2>/dev/null || echo 'no node'))" >&2
mkdir -p "$root/.tools"
npm install --prefix "$root/.tools" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
"$bin/node" --version >&2
echo "$bin"
