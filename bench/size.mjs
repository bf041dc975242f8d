// Package size report: the shipped .wasm and JS glue (raw and gzip -9), what each dependency costs
// (twiggy over a build that keeps the name section), whether k256's 32-bit field backend is in,
// and two feature variants built for real (ed25519-dalek without its `fast` tables, k256 with its
// basepoint table) with their size and speed — so each lever is measured both ways.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { entrySizes } from '../scripts/sizes.mjs';

const WASM_OPT_FLAGS = [
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', '--enable-simd',
];

const gzipSize = (file) => execFileSync('gzip', ['-9', '-c', file], { maxBuffer: 64 << 20 }).length;
const gzipOf = (files) => execFileSync('sh', ['-c', `cat ${files.map((f) => `'${f}'`).join(' ')} | gzip -9 -c`], { maxBuffer: 64 << 20 }).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const fmt = (n) => Math.round(n).toLocaleString('en-US');

/**
 * Where a function's bytes go: the first rule whose pattern matches the demangled name. Serde
 * code generated for the API models is counted with the clients (it exists because of them).
 */
const RULES = [
  ['wallet-linker: clients (Dynamic, Snag, fetch transport, linkWallet flow), incl. their serde impls and gloo-net', /wallet_linker::api|wallet_linker::wasm::(clients|fetch|flow)|gloo_net|gloo_utils|\bhttp::|^(dynamicclient|dynamicadminclient|snagclient)_|^linkWallet /],
  ['wallet-linker: wallet adapters (EIP-1193 / EIP-6963, Wallet Standard)', /wallet_linker::wasm::wallets|^walletadapter_|^discover(Evm|Solana)Wallets /],
  ['wallet-linker: messages (SIWE, SIWS, Dynamic), incl. their serde impls', /wallet_linker::message|wallet_linker::wasm::messages|^(create|parse)(Siwe|SolanaSignIn|DynamicSignIn)Message |^(generateNonce|toChecksumAddress|isValidSolanaAddress) /],
  ['wallet-linker: EVM / Solana checks and sign-in', /wallet_linker::(evm|solana|signin)|wallet_linker::wasm::verify|^(verify\w+|recoverEvmAddress) |^solanaverifier_/],
  ['wallet-linker: errors and boundary helpers', /wallet_linker::|^(errorCodes|isWalletLinkerError|version) /],
  ['k256 + ecdsa + elliptic-curve + crypto-bigint', /\bk256::|\becdsa(_core)?::|elliptic_curve::|primeorder::|crypto_bigint::|\bff::|\bgroup::|^wnaf::|\bsignature::/],
  ['ed25519-dalek + curve25519-dalek', /ed25519_dalek|curve25519_dalek|\bed25519::/],
  ['sha2 (SHA-512 for ed25519)', /\bsha2::/],
  ['sha3 (Keccak-256)', /\bsha3::|\bkeccak::/],
  ['digest / block-buffer / subtle / zeroize (shared by both curves)', /\bdigest::|block_buffer|\bsubtle::|\bzeroize::/],
  ['bs58', /\bbs58::/],
  ['tsify', /\btsify/],
  ['serde-wasm-bindgen (generic, one copy per type: its types are not in the names)', /serde_wasm_bindgen/],
  ['serde (generic code)', /\bserde(_core)?::/],
  ['async exports: state machines of the async methods inlined into wasm-bindgen-futures', /wasm_bindgen_futures|js_sys::futures|\bfutures(_\w+)?::/],
  ['wasm-bindgen / js-sys / web-sys (imports, externref table)', /wasm_bindgen|js_sys|web_sys|__wbg|__wbindgen|externref/],
  ['core::fmt and panics (formatting, incl. f64 Display)', /core::fmt|alloc::fmt|core::panicking|core::panic|unwrap_failed|expect_failed|flt2dec|core::num::bignum|core::num::dec2flt|escape_debug|pad_integral/],
  ['allocator and alloc (dlmalloc, Vec, String)', /dlmalloc|\balloc::|__rust_(alloc|dealloc|realloc)|__rdl_|__rustc::/],
  ['core (str, slice, char, unicode)', /\bcore::|\bstd::|^<(char|str|\[\w+\]|u8|usize)/],
  ['data segments (string constants, static tables)', /^data\[|^data segment/],
];

/** A demangled name without crate disambiguators (`core[c5930c85a12de822]::fmt` -> `core::fmt`). */
const plainName = (name) => name.replace(/\[[0-9a-f]{8,}\]/g, '');

function twiggyItems(wasm) {
  const json = execFileSync('twiggy', ['top', '-n', '1000000', '-f', 'json', wasm], { maxBuffer: 256 << 20 }).toString();
  return JSON.parse(json);
}

function attribute(items) {
  const totals = new Map(RULES.map(([name]) => [name, 0]));
  let other = 0;
  let total = 0;
  const otherNames = [];
  for (const item of items) {
    // Name and producers sections are not shipped.
    if (/^custom section|subsection"?$|^"?producers/.test(item.name)) continue;
    total += item.shallow_size;
    const name = plainName(item.name);
    const rule = RULES.find(([, re]) => re.test(name));
    if (rule) totals.set(rule[0], totals.get(rule[0]) + item.shallow_size);
    else {
      other += item.shallow_size;
      otherNames.push(item);
    }
  }
  otherNames.sort((a, b) => b.shallow_size - a.shallow_size);
  return { totals, other, total, otherTop: otherNames.slice(0, 5) };
}

/** Runs wasm-bindgen and wasm-opt as scripts/build.sh does; `keepNames` keeps the name section. */
function bindAndOptimize(input, outDir, keepNames, level = '-O3') {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  execFileSync('wasm-bindgen', [input, '--out-dir', outDir, '--target', 'web', ...(keepNames ? [] : ['--remove-name-section', '--remove-producers-section'])]);
  const stem = path.basename(input, '.wasm');
  const wasm = path.join(outDir, `${stem}_bg.wasm`);
  execFileSync('wasm-opt', [level, ...(keepNames ? ['-g'] : ['--strip-debug', '--strip-producers']), ...WASM_OPT_FLAGS, wasm, '-o', wasm]);
  return { wasm, glue: path.join(outDir, `${stem}.js`) };
}

/** Hash of everything a variant build depends on, so an unchanged tree reuses the last result. */
function treeHash(root, spec) {
  const hash = createHash('sha256').update(JSON.stringify(spec));
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(full).update(readFileSync(full));
    }
  };
  for (const f of ['Cargo.toml', 'Cargo.lock', '.cargo/config.toml']) {
    if (existsSync(path.join(root, f))) hash.update(readFileSync(path.join(root, f)));
  }
  walk(path.join(root, 'src'));
  return hash.digest('hex').slice(0, 16);
}

const VARIANTS = [
  {
    id: 'dalek-no-fast',
    title: 'ed25519-dalek without `fast` (no precomputed tables)',
    patch: (toml) => toml.replace(/^(ed25519-dalek\s*=.*?features\s*=\s*\[)\s*"fast"\s*,?\s*/m, '$1'),
    changed: (toml) => !/^ed25519-dalek\s*=.*"fast"/m.test(toml),
    speedOp: 'solana',
  },
  {
    id: 'wasm-opt-Oz',
    title: 'the same cargo build, wasm-opt -Oz instead of -O3',
    noBuild: true,
    wasmOpt: '-Oz',
  },
];

/** Opt-in (`--more-variants`): levers already measured once, each rebuilding many crates. */
const EXTRA_VARIANTS = [
  {
    id: 'k256-tables',
    title: 'k256 with `precomputed-tables` (basepoint table, built lazily at first use)',
    // The lazily built table needs a lock: critical-section's std implementation serves on wasm32.
    patch: (toml) =>
      toml
        .replace(/^(k256\s*=.*?features\s*=\s*\[)/m, '$1"precomputed-tables", "critical-section", ')
        .replace(/^\[dependencies\]\n/m, '$&critical-section = { version = "1.2", features = ["std"] }\n'),
    changed: (toml) => /^k256\s*=.*"precomputed-tables"/m.test(toml),
    speedOp: 'evm',
  },
  {
    id: 'crypto-opt3',
    title: 'opt-level 3 for the curve and hash crates only (rest "s"); wasm-opt -O3',
    patch: (toml) =>
      `${toml}\n${['k256', 'elliptic-curve', 'primeorder', 'crypto-bigint', 'ctutils', 'subtle', 'ecdsa', 'curve25519-dalek', 'ed25519-dalek', 'sha2', 'sha3', 'keccak']
        .map((crate) => `[profile.release.package.${crate}]\nopt-level = 3\n`)
        .join('')}`,
    changed: (toml) => toml.includes('[profile.release.package.k256]'),
    wasmOpt: '-O3',
  },
  {
    id: 'opt3',
    title: 'opt-level 3 for everything; wasm-opt -O3',
    patch: (toml) => toml.replace(/^opt-level\s*=\s*"s"/m, 'opt-level = 3'),
    changed: (toml) => /^\[profile\.release\][^[]*opt-level = 3/m.test(toml),
    wasmOpt: '-O3',
  },
];

/** Builds one variant of the crate (patched Cargo.toml, same sources) into the shared target dir. */
function buildVariant(root, cargoWasm, variant, log) {
  const dir = path.join(root, 'bench/out/variants', variant.id);
  const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target');
  if (variant.noBuild) {
    const built = bindAndOptimize(cargoWasm, path.join(dir, 'pkg'), false, variant.wasmOpt);
    return { wasmRaw: statSync(built.wasm).size, wasmGzip: gzipSize(built.wasm), glue: built.glue, wasm: built.wasm };
  }
  const original = readFileSync(path.join(root, 'Cargo.toml'), 'utf8');
  const libName = `wallet_linker_${variant.id.replace(/-/g, '_')}`;
  let toml = variant.patch(original).replace(/^(\[lib\]\s*\nname\s*=\s*)"wallet_linker"/m, `$1"${libName}"`);
  if (!variant.changed(toml) || !toml.includes(libName)) return { error: 'Cargo.toml no longer has the expected shape; variant skipped' };
  toml += '\n[workspace]\n';
  const hash = treeHash(root, { id: variant.id, toml, wasmOpt: variant.wasmOpt });
  const cache = path.join(dir, `result-${hash}.json`);
  if (existsSync(cache)) return { ...JSON.parse(readFileSync(cache, 'utf8')), cached: true };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'Cargo.toml'), toml);
  writeFileSync(path.join(dir, 'Cargo.lock'), readFileSync(path.join(root, 'Cargo.lock')));
  if (variant.patchSources) {
    cpSync(path.join(root, 'src'), path.join(dir, 'src'), { recursive: true });
    variant.patchSources(path.join(dir, 'src'));
  } else {
    symlinkSync(path.join(root, 'src'), path.join(dir, 'src'));
  }
  log(`[size] building variant ${variant.id} (once per source tree; cached afterwards)`);
  const started = Date.now();
  // A lib name of its own keeps the shared target dir's wallet_linker.wasm untouched.
  const build = spawnSync('cargo', ['build', '--lib', '--release', '--target', 'wasm32-unknown-unknown', '--target-dir', targetDir], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    const errors = build.stderr.split('\n').filter((l) => /^error/.test(l)).slice(0, 3).join(' / ');
    throw new Error(errors || build.stderr.slice(-500));
  }
  const built = bindAndOptimize(path.join(targetDir, 'wasm32-unknown-unknown/release', `${libName}.wasm`), path.join(dir, 'pkg'), false, variant.wasmOpt);
  const result = {
    wasmRaw: statSync(built.wasm).size,
    wasmGzip: gzipSize(built.wasm),
    glue: built.glue,
    wasm: built.wasm,
    buildSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(cache, JSON.stringify(result));
  return result;
}

/** Ops/s of our EVM and Solana verification for the shipped module and each variant, interleaved. */
function variantSpeeds(root, modules) {
  const out = execFileSync('node', [path.join(root, 'bench/variant-speed.mjs'), path.join(root, 'bench/out/fixtures.json'), JSON.stringify(modules)], {
    cwd: root,
    maxBuffer: 16 << 20,
  });
  return JSON.parse(out.toString());
}

export async function sizeReport({ root, pkgDir, cargoWasm, variants = true, moreVariants = false, log = console.log }) {
  const pkg = pkgDir;
  const file = (f) => path.join(pkg, f);
  const snippets = existsSync(file('snippets'))
    ? readdirSync(file('snippets'), { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => path.join('snippets', f))
    : [];
  const shipped = {
    wasmRaw: statSync(file('wallet_linker_bg.wasm')).size,
    wasmGzip: gzipSize(file('wallet_linker_bg.wasm')),
    glueFiles: ['wallet_linker.js', 'index.js', 'node.js', ...snippets].map((f) => ({ name: f, raw: statSync(file(f)).size, gzip: gzipSize(file(f)) })),
    // What a browser loads: the wasm-bindgen glue, its inline-JS snippets and the browser entry.
    glueGzip: gzipOf(['wallet_linker.js', 'index.js', ...snippets].map(file)),
    dtsRaw: statSync(file('wallet_linker.d.ts')).size,
  };
  shipped.packageGzip = shipped.wasmGzip + shipped.glueGzip;
  // Each entry as a page downloads it (scripts/sizes.mjs, the figures size-budget.json bounds).
  shipped.entries = { main: entrySizes(pkgDir), verify: entrySizes(path.join(pkgDir, 'verify')) };

  const lines = [
    '# wallet-linker package size',
    '',
    '| file | raw | gzip -9 |',
    '|---|---:|---:|',
    `| wallet_linker_bg.wasm | ${fmt(shipped.wasmRaw)} B | ${fmt(shipped.wasmGzip)} B |`,
    ...shipped.glueFiles.map((g) => `| ${g.name} | ${fmt(g.raw)} B | ${fmt(g.gzip)} B |`),
    `| **browser package: wasm + wallet_linker.js + index.js${snippets.length ? ' + snippets' : ''}** (JS files gzipped together) | | **${fmt(shipped.packageGzip)} B (${kb(shipped.packageGzip)})** |`,
    `| wallet_linker.d.ts (types only, not loaded at run time; includes the tsify-generated types) | ${fmt(shipped.dtsRaw)} B | |`,
    '',
    '| entry | .wasm raw | .wasm gzip -9 | JS gzip -9 |',
    '|---|---:|---:|---:|',
    ...Object.entries({ 'wallet-linker': shipped.entries.main, 'wallet-linker/verify': shipped.entries.verify }).map(
      ([name, e]) => `| ${name} | ${fmt(e.wasm.raw)} B | ${fmt(e.wasm.gzip)} B | ${fmt(e.js.gzip)} B |`,
    ),
    '',
  ];

  // Attribution by function name on the same build with names kept.
  let attribution = null;
  let backend = null;
  try {
    const named = bindAndOptimize(cargoWasm, path.join(root, 'bench/out/named'), true);
    const items = twiggyItems(named.wasm);
    attribution = attribute(items);
    const names = items.map((i) => i.name).join('\n');
    backend = {
      field10x26: /field_10x26/.test(names),
      field5x52: /field_5x52/.test(names),
      multi3: /__multi3/.test(names),
    };
    lines.push(
      '## Where the wasm bytes go (twiggy, by function name)',
      '',
      `From \`twiggy top\` on the same build with its name section kept (wasm-opt -O3 -g): ${fmt(attribution.total)} B of code and data (the shipped file has ${fmt(shipped.wasmRaw)} B).`,
      'Each function is counted once, under the first crate its demangled name mentions in this order; inlined code counts where it was inlined, and LTO merges all constants into a few data segments (the variants below measure the tables directly).',
      '',
      '| part | raw bytes | share | ≈ gzip -9 (proportional) |',
      '|---|---:|---:|---:|',
    );
    const rows = [...attribution.totals.entries(), ['other (unnamed items, tables, types)', attribution.other]]
      .filter(([, bytes]) => bytes > 0)
      .sort((a, b) => b[1] - a[1]);
    for (const [name, bytes] of rows) {
      lines.push(`| ${name} | ${fmt(bytes)} | ${((100 * bytes) / attribution.total).toFixed(1)}% | ${fmt((bytes / attribution.total) * shipped.wasmGzip)} B |`);
    }
    lines.push(
      '',
      `Largest items left in "other": ${attribution.otherTop.map((i) => `\`${plainName(i.name).slice(0, 60)}\` ${fmt(i.shallow_size)} B`).join(', ')}.`,
      '',
      `k256 field backend in the wasm: ${backend.field10x26 ? '**10x26 (32-bit limbs)** — the `--cfg cpubits="32"` flag in .cargo/config.toml takes effect' : backend.field5x52 ? '**5x52 (64-bit limbs, emulated 128-bit multiplies)** — the cpubits flag did NOT take effect' : 'not identified by name'}${backend.multi3 ? '; `__multi3` (128-bit multiply emulation) is present' : '; no `__multi3` (128-bit multiply emulation)'}.`,
      '',
    );
  } catch (e) {
    lines.push(`Attribution unavailable: ${e.message.split('\n')[0]}`, '');
  }

  const variantResults = [];
  if (variants) {
    lines.push('## Feature variants, built for real', '', '| build | wasm raw | wasm gzip -9 | Δ gzip vs shipped | our EVM verify, Node | our Solana verify, Node | our SIWE parse, Node |', '|---|---:|---:|---:|---:|---:|---:|');
    const modules = [{ id: 'shipped', glue: file('wallet_linker.js'), wasm: file('wallet_linker_bg.wasm') }];
    for (const v of [...VARIANTS, ...(moreVariants ? EXTRA_VARIANTS : [])]) {
      try {
        const r = buildVariant(root, cargoWasm, v, log);
        variantResults.push({ ...v, ...r });
        if (!r.error) modules.push({ id: v.id, glue: r.glue, wasm: r.wasm });
      } catch (e) {
        variantResults.push({ ...v, error: `build failed: ${e.message.split('\n')[0]}` });
      }
    }
    let speeds = {};
    try {
      speeds = variantSpeeds(root, modules);
    } catch (e) {
      log(`[size] variant speed check failed: ${e.message.split('\n')[0]}`);
    }
    const speed = (id, op) => (speeds[id]?.[op] ? `${fmt(speeds[id][op])}/s` : '—');
    lines.push(`| shipped package | ${fmt(shipped.wasmRaw)} B | ${fmt(shipped.wasmGzip)} B | | ${speed('shipped', 'evm')} | ${speed('shipped', 'solana')} | ${speed('shipped', 'siweParse')} |`);
    for (const v of variantResults) {
      if (v.error) {
        lines.push(`| ${v.title} | ${v.error} | | | | | |`);
        continue;
      }
      const delta = v.wasmGzip - shipped.wasmGzip;
      lines.push(`| ${v.title} | ${fmt(v.wasmRaw)} B | ${fmt(v.wasmGzip)} B | ${delta > 0 ? '+' : ''}${fmt(delta)} B | ${speed(v.id, 'evm')} | ${speed(v.id, 'solana')} | ${speed(v.id, 'siweParse')} |`);
    }
    lines.push('', 'Speeds here are a short interleaved run of each module in one Node process (the same fixtures), for comparing builds with each other only.', '');
  }
  return { markdown: lines.join('\n'), data: { ...shipped, attribution: attribution && Object.fromEntries(attribution.totals), backend, variants: variantResults } };
}
