#!/usr/bin/env bash
# Benchmarks and package size report. Called by `./dev bench [--quick] [--no-variants] [--more-variants] [--readme]`
# after set-up and the package build (pkg/ is fresh). Results go to bench/out/ (git-ignored).
#   --quick        fewer, shorter samples (a smoke run)
#   --no-variants  skip the feature-variant wasm builds of the size report
#   --more-variants   also build k256 with its tables and two opt-level 3 variants (slow)
#   --readme       also refresh docs/bench.svg and the README's Performance block
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# twiggy (size attribution by function) from crates.io, only if missing (about 2 minutes).
if ! command -v twiggy >/dev/null; then
  echo "[bench] installing twiggy"
  cargo install twiggy --version 0.8.0
fi
exec node bench/run.mjs "$@"
