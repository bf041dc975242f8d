// Writes pkg/package.json; the version comes from Cargo.toml so there is one source of truth.
import { readFileSync } from 'node:fs';

const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];

// Runtime conditions, most specific first: workerd (the .wasm imported as a module), then Deno,
// Bun and Node (the .wasm read from disk, no top-level await so `require` works), then browsers
// and bundlers (the .wasm fetched next to index.js).
const entriesIn = (dir) => ({
  types: `${dir}/index.d.ts`,
  workerd: `${dir}/workerd.js`,
  deno: `${dir}/node.js`,
  bun: `${dir}/node.js`,
  node: `${dir}/node.js`,
  default: `${dir}/index.js`,
});
const runtimeEntries = entriesIn('.');

const pkg = {
  name: 'wallet-linker',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  repository: { type: 'git', url: `git+${field('repository')}.git` },
  keywords: ['siwe', 'sign-in-with-ethereum', 'sign-in-with-solana', 'wallet', 'dynamic', 'snag', 'wasm'],
  type: 'module',
  main: './node.js',
  module: './index.js',
  browser: './index.js',
  types: './index.d.ts',
  exports: {
    '.': runtimeEntries,
    // The backend half. server.js imports the initialised core through `#init` (below), so it
    // gets the entry of the runtime it runs in.
    './server': {
      types: './server.d.ts',
      default: './server.js',
    },
    // Messages and local signature checks only: a smaller module for pages that need no clients,
    // flow, wallet adapters or server (its own build; its errors are its own WalletLinkerError).
    './verify': entriesIn('./verify'),
    './wallet_linker_bg.wasm': './wallet_linker_bg.wasm',
    './verify/wallet_linker_bg.wasm': './verify/wallet_linker_bg.wasm',
    './package.json': './package.json',
  },
  imports: { '#init': runtimeEntries },
  files: [
    'index.js', 'index.d.ts', 'node.js', 'workerd.js',
    'server.js', 'server.d.ts', 'nonce-stores.js', 'nonce-stores.d.ts',
    'wallet_linker.js', 'wallet_linker.d.ts', 'wallet_linker_bg.wasm', 'wallet_linker_bg.wasm.d.ts',
    'snippets/', 'verify/', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE',
  ],
  // Importing an entry instantiates the module; nothing else runs at import time. (A bundler drops
  // an import kept only for its side effect unless the file is listed here.)
  sideEffects: [
    './index.js', './node.js', './workerd.js', './wallet_linker.js',
    './verify/index.js', './verify/node.js', './verify/workerd.js', './verify/wallet_linker.js',
  ],
  // require(esm), which `require('wallet-linker')` relies on, is on by default from Node 20.19 and
  // 22.12 (Node 21 and 22.0-22.11 need --experimental-require-module).
  engines: { node: '^20.19.0 || >=22.12.0' },
};
process.stdout.write(JSON.stringify(pkg, null, 2) + '\n');
