// The size of each entry of the package as a page downloads it, gzip -9: its .wasm, and its
// JavaScript (glue, entry file and snippets, gzipped together). `--check` compares them with
// size-budget.json and fails on any entry over its budget: growth is a decision, taken by raising
// the budget in the same change.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const budget = JSON.parse(readFileSync(process.env.SIZE_BUDGET ?? path.join(root, 'size-budget.json'), 'utf8'));
const ENTRIES = { 'wallet-linker': 'pkg', 'wallet-linker/verify': 'pkg/verify' };

const gzip = (files) => execFileSync('gzip', ['-9', '-c', ...files], { maxBuffer: 64 << 20 }).length;
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const file = path.join(dir, name);
  return statSync(file).isDirectory() ? walk(file) : [file];
});

/** `{ wasm: {raw, gzip}, js: {gzip} }` of the entry built in `dir`. */
export function entrySizes(dir) {
  const wasm = path.join(dir, 'wallet_linker_bg.wasm');
  const js = [path.join(dir, 'wallet_linker.js'), path.join(dir, 'index.js'), ...walk(path.join(dir, 'snippets'))];
  return {
    wasm: { raw: statSync(wasm).size, gzip: gzip([wasm]) },
    // Concatenated then gzipped: what one compressed transfer of the files costs, about.
    js: { gzip: execFileSync('sh', ['-c', `cat ${js.map((f) => `'${f}'`).join(' ')} | gzip -9 -c`]).length },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const over = [];
  for (const [entry, dir] of Object.entries(ENTRIES)) {
    const size = entrySizes(path.join(root, dir));
    const limit = budget.entries[entry];
    console.log(`[size] ${entry}: .wasm ${size.wasm.raw} B raw, ${size.wasm.gzip} B gzip -9 (budget ${limit.wasmGzip}); JS ${size.js.gzip} B gzip -9 (budget ${limit.jsGzip})`);
    if (size.wasm.gzip > limit.wasmGzip) over.push(`${entry} .wasm ${size.wasm.gzip} > ${limit.wasmGzip}`);
    if (size.js.gzip > limit.jsGzip) over.push(`${entry} JS ${size.js.gzip} > ${limit.jsGzip}`);
  }
  if (check && over.length) {
    console.error(`[size] over budget (size-budget.json): ${over.join('; ')}`);
    process.exit(1);
  }
}
