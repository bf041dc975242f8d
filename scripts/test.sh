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
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings

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

step "each entry's size within size-budget.json"
node scripts/sizes.mjs --check

step "wasm-pack build --target web (Cargo.toml's [package.metadata.wasm-pack]) gives pkg's files"
# --mode no-install: wasm-pack uses the wasm-bindgen on PATH (Cargo.lock's version, see setup.sh)
# and node_modules' wasm-opt, and fails rather than download anything. It reuses build.sh's cargo
# artifact, so with the same wasm-bindgen and the same wasm-opt flags the output is byte for byte
# pkg's: the .wasm, the JS glue and the snippets; the .d.ts differs only by build.sh's first line.
wasm_pack_out=$(mktemp -d)
trap 'rm -rf "$wasm_pack_out"' EXIT
wasm-pack build --target web --mode no-install --out-dir "$wasm_pack_out"
cmp "$wasm_pack_out/wallet_linker_bg.wasm" pkg/wallet_linker_bg.wasm \
  || { echo "wasm-pack's .wasm ($(stat -c %s "$wasm_pack_out/wallet_linker_bg.wasm") bytes) differs from pkg's ($(stat -c %s pkg/wallet_linker_bg.wasm)): keep [package.metadata.wasm-pack] in step with scripts/build.sh" >&2; exit 1; }
cmp "$wasm_pack_out/wallet_linker.js" pkg/wallet_linker.js
diff -r "$wasm_pack_out/snippets" pkg/snippets
diff <(grep -vxF '/// <reference lib="esnext.disposable" />' pkg/wallet_linker.d.ts) "$wasm_pack_out/wallet_linker.d.ts"
echo "wasm-pack build: same .wasm ($(stat -c %s pkg/wallet_linker_bg.wasm) bytes), JS glue, snippets and declarations as pkg/"

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

step "wasm-pack test --node --headless --chrome: the wasm suites again, as wasm-pack users run them"
# Last, so that its failure hides no other result: `wasm-pack test` builds every test target for
# wasm32 (`cargo build --tests`, whatever is passed after --), so a native-only test file must
# start with #![cfg(not(target_arch = "wasm32"))]. Each suite runs where it is configured to: the
# Node ones under --node, the run_in_browser ones in headless Chromium (webdriver.json names
# Debian's Chromium, --chromedriver Debian's ChromeDriver). --mode no-install: never a download.
if [ ${#wasm_tests[@]} -gt 0 ]; then
  wasm-pack test --node --headless --chrome --chromedriver "$CHROMEDRIVER" --mode no-install -- "${wasm_tests[@]}" \
    || { echo "wasm-pack test failed (a test file that does not build for wasm32 needs #![cfg(not(target_arch = \"wasm32\"))])" >&2; exit 1; }
fi

step "all tests passed"
