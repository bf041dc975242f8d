#!/usr/bin/env bash
# Builds the npm package into pkg/: one wasm build (wasm-bindgen --target web) with three entry
# points, index.js (browsers and bundlers: fetches the .wasm next to it), node.js (Node, Deno, Bun:
# reads it from disk, no top-level await so `require` works) and workerd.js (imports it as a
# module), selected by conditional exports; plus the `./server` subpath.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
profile_dir=release
cargo build --lib --release --target wasm32-unknown-unknown
rm -rf pkg
wasm-bindgen "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/$profile_dir/wallet_linker.wasm" \
  --out-dir pkg --target web --remove-name-section --remove-producers-section
# binaryen 132 from npm: Debian's binaryen 108 silently breaks the output.
wasm-opt -O3 --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/wallet_linker_bg.wasm -o pkg/wallet_linker_bg.wasm
# The glue's classes declare [Symbol.dispose]; this reference lets consumers whose `lib` predates
# it (e.g. es2022 with skipLibCheck off) type-check the package without changing their config.
sed -i '1i /// <reference lib="esnext.disposable" />' pkg/wallet_linker.d.ts
# Entries: index.js (browsers, bundlers), node.js (Node, Deno, Bun), workerd.js (Cloudflare Workers);
# the server subpath (server.js, with nonce-stores.js) reaches the right one through `#init`.
cp js/index.js js/index.d.ts js/node.js js/workerd.js \
  js/server.js js/server.d.ts js/nonce-stores.js js/nonce-stores.d.ts pkg/
# The README for users: without its developer parts (see scripts/package-readme.mjs).
node scripts/package-readme.mjs > pkg/README.md
cp LICENSE-MIT LICENSE-APACHE pkg/
node scripts/package-json.mjs > pkg/package.json
raw=$(stat -c %s pkg/wallet_linker_bg.wasm)
gz=$(gzip -9 -c pkg/wallet_linker_bg.wasm | wc -c)
glue=$(cat pkg/wallet_linker.js pkg/index.js | gzip -9 | wc -c)
echo "[build] pkg/wallet_linker_bg.wasm: $raw bytes raw, $gz gzip -9; JS glue $glue gzip -9"
