// Entry for browsers, web workers and bundlers (Vite, webpack): the .wasm is fetched from next to
// this file, which bundlers recognise through `new URL(..., import.meta.url)`.
import init from './wallet_linker.js';

await init({ module_or_path: new URL('./wallet_linker_bg.wasm', import.meta.url) });

export * from './wallet_linker.js';
