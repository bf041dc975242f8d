// The benchmark: `./dev bench [--quick] [--no-variants] [--more-variants] [--readme]` (scripts/bench.sh runs this after
// the package build). In order: fixtures, the native limit (cargo example), Node (own process),
// headless Chromium (bundled page on loopback), cold instantiation (fresh processes / fresh
// browsers), package size. Writes bench/out/{results.json,table.md,bench.svg,size.md} and prints
// the tables. `--readme` also refreshes docs/bench.svg and the README's Performance block.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { launchChromium, serveStatic } from '../tests/js/browser-tools.mjs';
import { makeFixtures } from './fixtures.mjs';
import { markdownReport, svgChart, summaryTable, targetsTable, evaluateTargets, environmentLines, fullTable } from './report.mjs';
import { sizeReport } from './size.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'bench/out');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const options = quick ? { samples: 3, sampleMs: 150 } : { samples: 5, sampleMs: 250 };
const coldSamples = quick ? 3 : 5;
const log = (line) => console.log(line);
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const load = [];
const phase = (name) => {
  load.push({ phase: name, loadavg: loadavg() });
  log(`\n[bench] ${name} (load average ${load.at(-1).loadavg})`);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A snapshot of the package and of the cargo output it was made from: others may rebuild pkg/
// while the benchmark runs.
mkdirSync(out, { recursive: true });
const pkgDir = path.join(out, 'pkg');
const cargoWasm = path.join(out, 'cargo/wallet_linker.wasm'); // wasm-bindgen names its output after the file
const PKG_FILES = ['package.json', 'index.js', 'node.js', 'wallet_linker.js', 'wallet_linker_bg.wasm'];
for (let attempt = 0; ; attempt++) {
  rmSync(pkgDir, { recursive: true, force: true });
  try {
    cpSync(path.join(root, 'pkg'), pkgDir, { recursive: true });
    if (PKG_FILES.every((f) => existsSync(path.join(pkgDir, f)))) break;
  } catch {
    // pkg/ vanished while being copied: a build is under way.
  }
  if (attempt === 30) throw new Error('pkg/ is incomplete (is a build under way?); run ./dev build');
  log('[bench] pkg/ is being rebuilt by someone else; waiting');
  await new Promise((r) => setTimeout(r, 10_000));
}
mkdirSync(path.dirname(cargoWasm), { recursive: true });
cpSync(path.join(process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target'), 'wasm32-unknown-unknown/release/wallet_linker.wasm'), cargoWasm);
const fixturesPath = path.join(out, 'fixtures.json');
const fixtures = await makeFixtures();
writeFileSync(fixturesPath, JSON.stringify(fixtures, null, 1));

// 1. Native limit, run again after the JS runs; the better figure per operation is the limit.
// opt-level 3 is what a native user of the crate would build with.
const runNative = () => {
  const native = spawnSync('cargo', ['run', '--release', '--quiet', '--example', 'bench_native', '--', fixturesPath, String(options.samples), String(options.sampleMs)], {
    cwd: root,
    env: { ...process.env, CARGO_PROFILE_RELEASE_OPT_LEVEL: '3' },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 << 20,
  });
  if (native.status !== 0) throw new Error('the native bench failed (see above)');
  return JSON.parse(native.stdout.toString());
};
phase('native Rust (cargo run --release --example bench_native)');
const nativeFirst = runNative();

// 2. Node, in a process of its own.
phase('Node');
const nodeOut = path.join(out, 'node.json');
execFileSync('node', [path.join(root, 'bench/node-run.mjs'), pkgDir, fixturesPath, nodeOut, String(options.samples), String(options.sampleMs)], { cwd: root, stdio: 'inherit' });
const nodeRun = JSON.parse(readFileSync(nodeOut, 'utf8'));

// tiny-secp256k1's browser loader imports its .wasm as an ES module, which esbuild does not
// instantiate: this loader embeds the bytes and instantiates them with the module's own imports
// (top-level await: a module over 4 KB cannot be compiled synchronously on a page's main thread).
const tinySecpWasm = {
  name: 'tiny-secp256k1-wasm',
  setup(build) {
    build.onLoad({ filter: /tiny-secp256k1[\\/]lib[\\/]wasm_loader\.browser\.js$/ }, (args) => ({
      resolveDir: path.dirname(args.path),
      contents: `import * as rand from './rand.js';
import * as validate_error from './validate_error.js';
import bytes from './secp256k1.wasm';
const { instance } = await WebAssembly.instantiate(bytes, { './rand.js': rand, './validate_error.js': validate_error });
export default instance.exports;`,
    }));
  },
};
// 3. Chromium: every peer bundled, wallet-linker through the import map, as a dapp would load it.
phase('Chromium');
const bundle = await esbuild.build({
  entryPoints: [path.join(root, 'bench/browser-entry.mjs')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  external: ['wallet-linker'],
  alias: { buffer: 'buffer/' },
  define: { global: 'globalThis', 'process.env.NODE_DEBUG': 'false' },
  inject: [path.join(root, 'tests/js/browser-shims.mjs')],
  plugins: [tinySecpWasm],
  loader: { '.wasm': 'binary' },
  logLevel: 'silent',
});
const importMap = '<script type="importmap">{"imports":{"wallet-linker":"/bench/out/pkg/index.js","wallet-linker/verify":"/bench/out/pkg/verify/index.js"}}</script>';
const pages = {
  '/__bench__.html': ['text/html', `<!doctype html><meta charset="utf-8"><title>bench</title>${importMap}<script type="module" src="/__bench__.js"></script>`],
  '/__bench__.js': ['text/javascript', bundle.outputFiles[0].text],
  // Cold import of the package as published: fetch of the JS and the .wasm over loopback,
  // streaming compile, instantiate; also how much of it came after the last .wasm byte arrived.
  '/__blank__.html': ['text/html', '<!doctype html><title>blank</title>'],
  // Cold import of each entry as published: fetch of the JS and the .wasm over loopback, streaming
  // compile (instantiateStreaming: the server sends application/wasm), instantiate; also how much
  // of it came after the last .wasm byte arrived.
  ...Object.fromEntries(
    [['', 'wallet-linker'], ['_verify', 'wallet-linker/verify']].map(([suffix, entry]) => [
      `/__import${suffix}__.html`,
      ['text/html', `<!doctype html><meta charset="utf-8">${importMap}<script type="module">
const t0 = performance.now(); await import('${entry}'); const t1 = performance.now();
const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
globalThis.__ms = { total: t1 - t0, afterWasm: t1 - wasm.responseEnd };</script>`],
    ]),
  ),
  // Compile + instantiate only, from bytes already in memory (what index.js does once the bytes are in).
  ...Object.fromEntries(
    [['', 'pkg'], ['_verify', 'pkg/verify']].map(([suffix, dir]) => [
      `/__bytes${suffix}__.html`,
      ['text/html', `<!doctype html><meta charset="utf-8"><script type="module">
import init from '/bench/out/${dir}/wallet_linker.js';
const bytes = await (await fetch('/bench/out/${dir}/wallet_linker_bg.wasm')).arrayBuffer();
const t0 = performance.now(); await init({ module_or_path: bytes }); globalThis.__ms = { total: performance.now() - t0 };</script>`],
    ]),
  ),
};
const server = await serveStatic(root, pages);
const chromiumVersion = execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
let chromiumRun;
let chromiumImport;
let chromiumBytes;
let chromiumVerifyImport;
let chromiumVerifyBytes;
try {
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const problems = [];
    tab.on('console', (m) => (m.type() === 'error' ? problems.push(m.text()) : log(m.text())));
    tab.on('pageerror', (e) => problems.push(e.message));
    await tab.goto(`${server.url}/__bench__.html`);
    await tab.waitForFunction(() => globalThis.__benchReady === true, null, { timeout: 60_000 }).catch(() => {
      throw new Error(`the bench page did not load: ${problems.join('; ')}`);
    });
    const results = await tab.evaluate(([f, o]) => globalThis.__benchRun(f, o), [fixtures, options]);
    chromiumRun = { runtime: chromiumVersion, results };
  } finally {
    await browser.close();
  }

  // 4. Cold instantiation: a fresh browser (no compiled-code cache) and a fresh Node process each time.
  phase('cold instantiation');
  // A blank page first, so that the fresh browser's network start-up is not counted.
  const chromiumCold = async (page) => {
    const times = [];
    for (let i = 0; i < coldSamples; i++) {
      const fresh = await launchChromium();
      try {
        const tab = await fresh.newPage();
        await tab.goto(`${server.url}/__blank__.html`);
        await tab.goto(`${server.url}${page}`);
        await tab.waitForFunction(() => globalThis.__ms !== undefined, null, { timeout: 30_000 });
        times.push(await tab.evaluate(() => globalThis.__ms));
      } finally {
        await fresh.close();
      }
    }
    return times;
  };
  chromiumImport = await chromiumCold('/__import__.html');
  chromiumBytes = await chromiumCold('/__bytes__.html');
  chromiumVerifyImport = await chromiumCold('/__import_verify__.html');
  chromiumVerifyBytes = await chromiumCold('/__bytes_verify__.html');
} finally {
  await server.close();
}
const nodeCold = (script) =>
  Array.from({ length: coldSamples }, () => JSON.parse(execFileSync('node', ['--input-type=module', '-e', script], { cwd: root }).toString()));
const nodeImport = nodeCold(`const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(path.join(pkgDir, 'node.js')).href)}); console.log(JSON.stringify({ total: performance.now() - t0 }));`);
// What node.js does once the file is read: a synchronous compile + instantiate.
const nodeBytesOf = (dir) => nodeCold(`import { initSync } from ${JSON.stringify(pathToFileURL(path.join(dir, 'wallet_linker.js')).href)};
import { readFileSync } from 'node:fs';
const bytes = readFileSync(${JSON.stringify(path.join(dir, 'wallet_linker_bg.wasm'))});
const t0 = performance.now(); initSync({ module: bytes }); console.log(JSON.stringify({ total: performance.now() - t0 }));`);
const nodeBytes = nodeBytesOf(pkgDir);
const nodeVerifyBytes = nodeBytesOf(path.join(pkgDir, 'verify'));
const medianOf = (samples, key) => median(samples.map((s) => s[key]));
const instantiation = {
  node: { importMs: medianOf(nodeImport, 'total'), bytesMs: medianOf(nodeBytes, 'total'), importSamples: nodeImport, bytesSamples: nodeBytes },
  // wallet-linker/verify, the same measures.
  nodeVerify: { bytesMs: medianOf(nodeVerifyBytes, 'total'), bytesSamples: nodeVerifyBytes },
  chromiumVerify: {
    importMs: medianOf(chromiumVerifyImport, 'total'),
    importAfterWasmMs: medianOf(chromiumVerifyImport, 'afterWasm'),
    bytesMs: medianOf(chromiumVerifyBytes, 'total'),
    importSamples: chromiumVerifyImport,
    bytesSamples: chromiumVerifyBytes,
  },
  chromium: {
    importMs: medianOf(chromiumImport, 'total'),
    importAfterWasmMs: medianOf(chromiumImport, 'afterWasm'),
    bytesMs: medianOf(chromiumBytes, 'total'),
    importSamples: chromiumImport,
    bytesSamples: chromiumBytes,
  },
};
log(`  Node: import ${instantiation.node.importMs.toFixed(1)} ms, from bytes ${instantiation.node.bytesMs.toFixed(1)} ms`);
log(`  Chromium: import ${instantiation.chromium.importMs.toFixed(1)} ms (${instantiation.chromium.importAfterWasmMs.toFixed(1)} ms after the .wasm arrived), from bytes ${instantiation.chromium.bytesMs.toFixed(1)} ms`);

phase('native Rust, second run');
const nativeSecond = runNative();
const nativeRun = {
  runtime: `${nativeFirst.runtime}, best of two runs (before and after the JS runs)`,
  results: nativeFirst.results.map((first) => {
    const second = nativeSecond.results.find((r) => r.op === first.op);
    return { ...first, opsPerSec: Math.max(first.opsPerSec, second?.opsPerSec ?? 0), runs: [first.opsPerSec, second?.opsPerSec] };
  }),
};

// 5. Size.
phase('package size');
const size = await sizeReport({ root, pkgDir, cargoWasm, variants: !args.has('--no-variants'), moreVariants: args.has('--more-variants'), log });
load.push({ phase: 'end', loadavg: loadavg() });

const rustc = execFileSync('rustc', ['--version']).toString().trim();
const run = {
  options,
  environment: {
    date: new Date().toISOString().slice(0, 10),
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    chromium: chromiumVersion,
    rustc,
    load,
  },
  native: nativeRun,
  node: nodeRun,
  chromium: chromiumRun,
  instantiation,
  size: size.data,
};
const report = markdownReport(run);
writeFileSync(path.join(out, 'results.json'), JSON.stringify(run, null, 1));
writeFileSync(path.join(out, 'table.md'), report);
writeFileSync(path.join(out, 'size.md'), size.markdown);
const svg = svgChart(run);
writeFileSync(path.join(out, 'bench.svg'), svg);
console.log(`\n${report}\n${size.markdown}`);
console.log(`[bench] wrote bench/out/results.json, table.md, size.md, bench.svg`);

if (args.has('--readme')) {
  mkdirSync(path.join(root, 'docs'), { recursive: true });
  writeFileSync(path.join(root, 'docs/bench.svg'), svg);
  const readmePath = path.join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const begin = '<!-- bench:begin (generated by `./dev bench --readme`) -->';
  const end = '<!-- bench:end -->';
  const i = readme.indexOf(begin);
  const j = readme.indexOf(end);
  if (i < 0 || j < i) {
    console.log('[bench] README has no bench markers; not updated');
  } else {
    const entrySize = (e) => `.wasm ${e.wasm.gzip.toLocaleString('en-US')} B + JS ${e.js.gzip.toLocaleString('en-US')} B`;
    const sizeLine = `Sizes, gzip -9 (bounded by size-budget.json): \`wallet-linker\` ${entrySize(size.data.entries.main)}; \`wallet-linker/verify\` ${entrySize(size.data.entries.verify)}.`;
    const block = [
      begin,
      ...environmentLines(run).map((l) => `${l}  `),
      '',
      summaryTable(run),
      '',
      '<details><summary>Every contender</summary>',
      '',
      fullTable(run),
      '',
      '</details>',
      '',
      sizeLine,
      '',
      targetsTable(evaluateTargets(run)),
      '',
      // The chart (docs/bench.svg) is not in the npm package: its README leaves this part out.
      '<!-- package:omit:begin (the chart is not in the package) -->',
      '![Benchmark chart: operations per second of wallet-linker and the JS libraries in Node and Chromium](docs/bench.svg)',
      '<!-- package:omit:end -->',
      '',
    ].join('\n');
    writeFileSync(readmePath, readme.slice(0, i) + block + readme.slice(j));
    console.log('[bench] updated docs/bench.svg and the README Performance block');
  }
}
