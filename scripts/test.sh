#!/usr/bin/env bash
# Every test, in order of cost. Called by `./dev test` after set-up (and so by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
started=$(date +%s)
step() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

step "format and lints"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

step "supply chain: cargo deny check licenses bans sources"
cargo deny --log-level error check licenses bans sources

step "native tests (cargo test)"
cargo test

step "wasm-bindgen tests in Node and headless Chromium"
wasm_tests=()
for f in tests/wasm_*.rs; do [ -e "$f" ] && wasm_tests+=(--test "$(basename "$f" .rs)"); done
if [ ${#wasm_tests[@]} -gt 0 ]; then
  cargo test --target wasm32-unknown-unknown "${wasm_tests[@]}"
fi

step "build the npm package"
scripts/build.sh
ln -sfn ../pkg node_modules/wallet-linker

step "TypeScript consumers under tsc --strict: the package's users, every documented call, every README block"
node tests/js/readme-quickstart.mjs > tests/ts/quickstart.generated.ts
tsc -p tests/ts/tsconfig.json
node tests/js/readme-blocks.mjs
tsc -p tests/ts/readme/tsconfig.json
tsc -p tests/ts/readme/tsconfig.js.json

step "JS suite against the built package: Node, then headless Chromium, Vite and the demo"
node --test --test-timeout=900000 tests/js/*.test.mjs

step "fuzz smoke: every cargo-fuzz target for ${FUZZ_SECONDS:=15} s"
scripts/fuzz.sh "$FUZZ_SECONDS"

step "all tests passed"
