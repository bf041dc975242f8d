// Entry for Cloudflare Workers (workerd) and bundlers that target it (wrangler, esbuild with the
// `workerd` condition): there, `new URL(..., import.meta.url)` throws and the .wasm is imported as
// a compiled WebAssembly.Module, which initSync instantiates without top-level await.
import wasm from './wallet_linker_bg.wasm';
import { initSync } from './wallet_linker.js';

initSync({ module: wasm });

export * from './wallet_linker.js';
