// Writes pkg/package.json; the version comes from Cargo.toml so there is one source of truth.
import { readFileSync } from 'node:fs';

const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];

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
    '.': {
      types: './index.d.ts',
      node: './node.js',
      default: './index.js',
    },
    './wallet_linker_bg.wasm': './wallet_linker_bg.wasm',
    './package.json': './package.json',
  },
  files: [
    'index.js', 'index.d.ts', 'node.js',
    'wallet_linker.js', 'wallet_linker.d.ts', 'wallet_linker_bg.wasm', 'wallet_linker_bg.wasm.d.ts',
    'snippets/', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE',
  ],
  // Importing the package instantiates the module; nothing else runs at import time.
  sideEffects: ['./index.js', './node.js', './wallet_linker.js'],
  engines: { node: '>=20' },
};
process.stdout.write(JSON.stringify(pkg, null, 2) + '\n');
