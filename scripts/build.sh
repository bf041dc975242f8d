#!/usr/bin/env bash
# Builds the npm package into pkg/: one wasm build (wasm-bindgen --target web) with three entry
# points, index.js (browsers and bundlers: fetches the .wasm next to it), node.js (Node, Deno, Bun:
# reads it from disk, no top-level await so `require` works) and workerd.js (imports it as a
# module), selected by conditional exports; plus the `./server` subpath.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
profile_dir=release
rm -rf pkg
# build_entry OUT_DIR [CARGO FLAGS...]: the release wasm, wasm-bindgen (--target web) and wasm-opt.
build_entry() {
  local out=$1 target_dir=${CARGO_TARGET_DIR:-target}
  shift
  # The verify entry has its own target directory, so the two builds do not undo each other.
  [ "$out" = pkg ] || target_dir="$target_dir/verify-entry"
  cargo build --lib --release --target wasm32-unknown-unknown --target-dir "$target_dir" "$@"
  wasm-bindgen "$target_dir/wasm32-unknown-unknown/$profile_dir/wallet_linker.wasm" \
    --out-dir "$out" --target web --remove-name-section --remove-producers-section
  # binaryen 132 from npm: Debian's binaryen 108 silently breaks the output.
  wasm-opt -O3 --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    "$out/wallet_linker_bg.wasm" -o "$out/wallet_linker_bg.wasm"
  # The glue's classes declare [Symbol.dispose]; this reference lets consumers whose `lib` predates
  # it (e.g. es2022 with skipLibCheck off) type-check the package without changing their config.
  sed -i '1i /// <reference lib="esnext.disposable" />' "$out/wallet_linker.d.ts"
  cp js/index.js js/index.d.ts js/node.js js/workerd.js "$out/"
}
build_entry pkg
# `wallet-linker/verify`: messages and local signature checks only (no clients, flow, wallets or
# server), for pages that only build or check what wallets sign.
build_entry pkg/verify --no-default-features
# Entries: index.js (browsers, bundlers), node.js (Node, Deno, Bun), workerd.js (Cloudflare Workers);
# the server subpath (server.js, with nonce-stores.js) reaches the right one through `#init`.
cp js/server.js js/server.d.ts js/nonce-stores.js js/nonce-stores.d.ts pkg/
# The README for users: without its developer parts (see scripts/package-readme.mjs).
node scripts/package-readme.mjs > pkg/README.md
cp LICENSE-MIT LICENSE-APACHE pkg/
node scripts/package-json.mjs > pkg/package.json
node scripts/sizes.mjs
