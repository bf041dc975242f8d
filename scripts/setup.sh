#!/usr/bin/env bash
# Idempotent set-up: installs what is missing, skips what is present. Safe to run every time.
set -euo pipefail
cd "$(dirname "$0")/.."
# --test: also the tools only the test command needs (cargo-deny, cargo-fuzz).
want_test_tools=0
[ "${1:-}" = "--test" ] && want_test_tools=1
say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# 1. The wasm32 standard library for the machine's toolchain.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI at exactly the version Cargo.lock pins (the glue and the CLI must agree).
wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (have: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# 3. Debian's Chromium and ChromeDriver (never a tool's own browser download).
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing Debian chromium and chromium-driver"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium chromium-driver >/dev/null
fi

# 3b. Debian's Redis (7.0: has GETDEL and SET NX PX) for the RedisNonceStore tests; the tests start
#     their own redis-server on a loopback port, so the package's service is never used.
if ! command -v redis-server >/dev/null; then
  say "installing Debian redis-server"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  # Wait for another apt (e.g. the chromium step of a concurrent set-up) instead of failing.
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 install -y -qq redis-server >/dev/null \
    || { $sudo_cmd apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 install -y -qq redis-server >/dev/null; }
fi

# 4. npm dev dependencies from the committed lockfile (binaryen's wasm-opt, playwright-core,
#    the reference JS libraries). Re-run only when the lockfile changed.
stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
# npm 11 runs no install scripts: deno, bun, workerd and anvil must still run from node_modules/.bin (they
# do, via their platform packages); if one does not, run its postinstall once, then insist.
for tool in deno bun workerd anvil; do
  if ! "node_modules/.bin/$tool" --version >/dev/null 2>&1; then
    say "running the postinstall of $tool"
    for script in install.cjs install.js; do
      if [ -f "node_modules/$tool/$script" ]; then (cd "node_modules/$tool" && node "$script"); break; fi
    done
    "node_modules/.bin/$tool" --version >/dev/null || { say "$tool does not run"; exit 1; }
  fi
done

# 5. Test-only tools: cargo-fuzz (runs on the machine's nightly toolchain), cargo-deny, and
#    wasm-pack (scripts/test.sh checks that `wasm-pack build` / `wasm-pack test` work on the crate;
#    it uses the wasm-bindgen above and node_modules' wasm-opt, never a download). A cold install
#    took about 2 min on 2 cores.
if [ "$want_test_tools" = 1 ]; then
  wasm_pack_version=0.15.1
  if [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}' || true)" != "$wasm_pack_version" ]; then
    say "installing wasm-pack $wasm_pack_version"
    cargo install wasm-pack --version "$wasm_pack_version" --locked
  fi
  if ! command -v cargo-fuzz >/dev/null; then
    say "installing cargo-fuzz"
    cargo install cargo-fuzz --version 0.13.2 --locked
  fi
  if ! command -v cargo-deny >/dev/null; then
    say "installing cargo-deny"
    cargo install cargo-deny --version 0.20.2 --locked
  fi
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "installing the nightly toolchain for cargo-fuzz"
    rustup toolchain install nightly --profile minimal
  fi
fi
say "ready"
