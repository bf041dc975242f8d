// Entry for Node (>= 20.19 for `require`), Deno and Bun: the same build as index.js, with the .wasm
// read from disk synchronously. No top-level await, so `require('wallet-linker')` works too
// (require(esm) refuses modules that await at the top level).
import { readFileSync } from 'node:fs';
import { initSync } from './wallet_linker.js';

initSync({ module: readFileSync(new URL('./wallet_linker_bg.wasm', import.meta.url)) });

export * from './wallet_linker.js';
