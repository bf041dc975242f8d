// Entry for Node >= 20: the same build as index.js, with the .wasm read from disk.
import { readFile } from 'node:fs/promises';
import { initSync } from './wallet_linker.js';

initSync({ module: await readFile(new URL('./wallet_linker_bg.wasm', import.meta.url)) });

export * from './wallet_linker.js';
