#!/usr/bin/env node
// The demo server: the repository's www/ at `/`, the built package pkg/ at `/pkg/`, the sandbox
// API (Dynamic + Snag, see sandbox/server.mjs), and the dapp's own backend at `/api/link/`: the
// package's `createLinkServer`, which checks each proof and calls Snag with the key it alone holds.
//
//   node www/serve.mjs [--port 8080] [--host 127.0.0.1] [--anvil]   (PORT in the environment also works)
//
// With an EVM chain (`evm` option of startDemoServer; `--anvil` starts a throw-away Anvil and
// deploys the test accounts, see demo-chain.mjs) the page also lists TEST-ONLY smart-account
// wallets, the demo EVM wallet lives on that chain, and the sandbox and the backend check
// smart-account signatures there. The page learns this from `GET /demo-config.json`
// (`{ evm: { rpcUrl, chainId, smartAccounts } }`, without `evm` when there is no chain).
//
// TON: `/demo-config.json` always has `ton: { address, publicKey, walletStateInit, secretSeed }`,
// the TEST-ONLY demo TON wallet (a wallet v4r2 of a fixed, public seed: demoTonConfig). The page
// cannot build a wallet's StateInit, so it is computed here with @ton/ton; the page's wallet signs
// its TON Connect proofs with that seed. `GET /tonconnect-manifest.json` is the demo's TON Connect
// manifest (`{ url, name, iconUrl }` of this server).
//
// Static files: GET/HEAD only, no directory listings (a directory serves its index.html), no
// path traversal (decoded paths are resolved and must stay inside the served root, symlinks
// included), no dotfiles, and the sandbox's own server code under /sandbox/ is not served.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLinkServer, toNodeHandler } from '../pkg/server.js';
import { createSandbox } from './sandbox/server.mjs';

/** Where the demo's backend routes live, and the Snag ids it (not the page) decides. */
export const LINK_BASE_PATH = '/api/link';
export const DEMO_SNAG_IDS = { websiteId: 'demo-website', organizationId: 'demo-organization' };

const WWW_ROOT = fileURLToPath(new URL('.', import.meta.url));
const PKG_ROOT = fileURLToPath(new URL('../pkg/', import.meta.url));
// The demo page's test-only wallets (www/demo-wallets.js) sign with these, via its import map.
const NOBLE_ROOT = fileURLToPath(new URL('../node_modules/@noble/', import.meta.url));

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function sendText(res, status, text, headers = {}) {
  const body = Buffer.from(text);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, ...headers });
  res.end(body);
}

/** Resolves a URL path below `root`, or null when it would leave it. */
async function resolveInside(root, relativePath) {
  const realRoot = await realpath(root);
  const candidate = resolve(root, `.${sep}${relativePath}`);
  if (candidate !== resolve(root) && !candidate.startsWith(resolve(root) + sep)) return null;
  let real;
  try {
    real = await realpath(candidate);
  } catch {
    return { path: candidate, missing: true };
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) return null;
  return { path: real, missing: false };
}

/**
 * A static file handler for the mounts [{ prefix, root, hidden? }] (longest prefix first).
 * `hidden` lists path prefixes (relative to the mount) that are never served.
 */
export function createStaticHandler(mounts) {
  const sorted = [...mounts].sort((a, b) => b.prefix.length - a.prefix.length);
  return async function serveStatic(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://static.invalid').pathname);
    } catch {
      sendText(res, 400, 'Bad request\n');
      return;
    }
    if (pathname.includes('\0') || pathname.includes('\\')) {
      sendText(res, 400, 'Bad request\n');
      return;
    }
    const mount = sorted.find((m) => pathname === m.prefix.replace(/\/$/, '') || pathname.startsWith(m.prefix));
    if (!mount) {
      sendText(res, 404, 'Not found\n');
      return;
    }
    if (pathname === mount.prefix.replace(/\/$/, '') && mount.prefix !== '/') {
      res.writeHead(301, { Location: mount.prefix, 'Content-Length': 0 });
      res.end();
      return;
    }
    const relative = pathname.slice(mount.prefix.length);
    const segments = relative.split('/');
    if (segments.some((s) => s === '..' || (s.startsWith('.') && s !== ''))) {
      sendText(res, 404, 'Not found\n');
      return;
    }
    if ((mount.hidden ?? []).some((h) => relative === h.replace(/\/$/, '') || relative.startsWith(h))) {
      sendText(res, 404, 'Not found\n');
      return;
    }
    let target = await resolveInside(mount.root, relative).catch(() => null);
    if (!target || target.missing) {
      sendText(res, 404, 'Not found\n');
      return;
    }
    let info = await stat(target.path).catch(() => null);
    if (info?.isDirectory()) {
      target = await resolveInside(mount.root, join(relative, 'index.html')).catch(() => null);
      info = target && !target.missing ? await stat(target.path).catch(() => null) : null;
    }
    if (!info || !info.isFile()) {
      sendText(res, 404, 'Not found\n');
      return;
    }
    const type = MIME_TYPES[extname(target.path).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': info.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(target.path)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/**
 * The TEST-ONLY demo TON wallet's seed: public, fixed, worthless. Never send funds to its address.
 * (sha256 of "wallet-linker demo TON wallet (test only)".)
 */
export const DEMO_TON_SEED_HEX = '106630fc140aacb682ca0c99d6453e86eeecff98ef68c62a88636592aff8f70b';

let demoTonConfigPromise;

/**
 * The demo TON wallet for `/demo-config.json`: a wallet v4r2 (workchain 0) of the Ed25519 key of
 * `DEMO_TON_SEED_HEX`, built with @ton/crypto, @ton/ton and @ton/core (loaded on first use):
 * `{ address (raw, 0:<hex>), publicKey (hex), walletStateInit (base64 bag of cells),
 * secretSeed (hex, TEST ONLY) }`. Computed once.
 */
export function demoTonConfig() {
  demoTonConfigPromise ??= (async () => {
    const [{ keyPairFromSeed }, { WalletContractV4 }, { beginCell, storeStateInit }] = await Promise.all([
      import('@ton/crypto'),
      import('@ton/ton'),
      import('@ton/core'),
    ]);
    const keys = keyPairFromSeed(Buffer.from(DEMO_TON_SEED_HEX, 'hex'));
    const wallet = WalletContractV4.create({ workchain: 0, publicKey: keys.publicKey });
    return Object.freeze({
      address: wallet.address.toRawString(),
      publicKey: keys.publicKey.toString('hex'),
      walletStateInit: beginCell().store(storeStateInit(wallet.init)).endCell().toBoc().toString('base64'),
      secretSeed: DEMO_TON_SEED_HEX,
    });
  })();
  return demoTonConfigPromise;
}

/** The demo's TON Connect manifest for the server at `url` (its origin); its icon is TONCONNECT_ICON_SVG. */
export function tonConnectManifest(url) {
  return { url, name: 'wallet-linker demo', iconUrl: `${url}/tonconnect-icon.svg` };
}

const TONCONNECT_ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M10 16h12M16 10v12" stroke="white" stroke-width="3" stroke-linecap="round"/></svg>';

/** Checks the `evm` option: { rpcUrl, chainId, smartAccounts: [{ name, rdns?, account, ownerKey, factory?, factoryCalldata? }] }. */
function checkEvmOption(evm) {
  if (evm === undefined || evm === null) return null;
  if (typeof evm.rpcUrl !== 'string' || !/^https?:\/\//.test(evm.rpcUrl)) throw new TypeError('evm.rpcUrl must be an http(s) URL');
  if (!Number.isSafeInteger(evm.chainId) || evm.chainId <= 0) throw new TypeError('evm.chainId must be a positive integer');
  const smartAccounts = evm.smartAccounts ?? [];
  for (const a of smartAccounts) {
    if (typeof a.name !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(a.account ?? '') || !/^0x[0-9a-fA-F]{64}$/.test(a.ownerKey ?? '')) {
      throw new TypeError('evm.smartAccounts entries need a name, an account address and an ownerKey');
    }
  }
  return { rpcUrl: evm.rpcUrl, chainId: evm.chainId, smartAccounts };
}

/**
 * Starts the demo server. Options: port (default PORT or 8080; 0 picks a free one), host
 * (default 127.0.0.1), wwwRoot, pkgRoot, sandbox (createSandbox options), linkServer (overrides of
 * the createLinkServer config), evm (a TEST-ONLY chain for the page's demo wallets:
 * { rpcUrl, chainId, smartAccounts }, see demo-chain.mjs; the sandbox gets it as `evmRpcUrl` and
 * the backend as `rpc: { [chainId]: rpcUrl }`). Resolves to { url, port, server, sandbox,
 * linkServer, evm, ton (demoTonConfig's), close() }.
 */
export async function startDemoServer(options = {}) {
  const evm = checkEvmOption(options.evm);
  const sandbox = createSandbox({ ...(evm ? { evmRpcUrl: evm.rpcUrl } : {}), ...options.sandbox });
  const serveStatic = createStaticHandler([
    { prefix: '/pkg/', root: options.pkgRoot ?? PKG_ROOT },
    { prefix: '/node_modules/@noble/curves/', root: join(NOBLE_ROOT, 'curves') },
    { prefix: '/node_modules/@noble/hashes/', root: join(NOBLE_ROOT, 'hashes') },
    { prefix: '/', root: options.wwwRoot ?? WWW_ROOT, hidden: ['sandbox/', 'serve.mjs', 'demo-chain.mjs'] },
  ]);
  const ton = await demoTonConfig();
  const demoConfig = JSON.stringify(evm ? { evm, ton } : { ton });
  let manifest = '{}';
  let linkHandler = null;
  const send = (req, res, body, type = 'application/json; charset=utf-8') => {
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const generated = {
    '/demo-config.json': () => [demoConfig],
    '/tonconnect-manifest.json': () => [manifest],
    '/tonconnect-icon.svg': () => [TONCONNECT_ICON_SVG, 'image/svg+xml'],
  };
  const server = createServer((req, res) => {
    if (linkHandler && (req.url ?? '').startsWith(`${LINK_BASE_PATH}/`)) return linkHandler(req, res);
    const pathname = (req.url ?? '').split('?')[0];
    if (Object.hasOwn(generated, pathname) && (req.method === 'GET' || req.method === 'HEAD')) {
      send(req, res, ...generated[pathname]());
      return;
    }
    if (sandbox.handle(req, res)) return;
    serveStatic(req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, 'Internal error\n');
      else res.destroy();
    });
  });
  const port = options.port ?? 8080;
  const host = options.host ?? '127.0.0.1';
  await new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolvePromise);
  });
  const address = server.address();
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostPart}:${address.port}`;
  manifest = JSON.stringify(tonConnectManifest(url));
  // The backend half: proofs must name this server's host, and the Snag key stays here.
  const linkServer = createLinkServer({
    domain: `${hostPart}:${address.port}`,
    basePath: LINK_BASE_PATH,
    dynamic: { environmentId: sandbox.environmentId, baseUrl: `${url}/api/v0` },
    snag: { apiKey: sandbox.snagApiKey, baseUrl: `${url}/snag`, ...DEMO_SNAG_IDS },
    ...(evm ? { rpc: { [String(evm.chainId)]: evm.rpcUrl } } : {}),
    ...options.linkServer,
  });
  linkHandler = toNodeHandler(linkServer);
  return {
    url,
    port: address.port,
    server,
    sandbox,
    linkServer,
    evm,
    ton,
    close: () =>
      new Promise((resolvePromise) => {
        sandbox.dispose();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (name === '--port') options.port = value();
    else if (name === '--host') options.host = value();
    else if (name === '--anvil') options.anvil = true;
    else if (name === '--help' || name === '-h') options.help = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log('usage: node www/serve.mjs [--port N] [--host HOST] [--anvil]   (PORT env var also sets the port)');
    console.log('  --anvil  start a throw-away Anvil with TEST-ONLY smart accounts for the demo wallets');
    return;
  }
  const portText = args.port ?? process.env.PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid port ${portText}`);
    process.exitCode = 2;
    return;
  }
  let chain = null;
  if (args.anvil) {
    const { startDemoChain } = await import('./demo-chain.mjs');
    chain = await startDemoChain();
  }
  const { url, sandbox } = await startDemoServer({ port, host: args.host ?? '127.0.0.1', evm: chain?.config });
  console.log(`wallet-linker demo: ${url}/`);
  if (chain) {
    console.log(`  test chain:          ${chain.env.url} (Anvil, chain ${chain.env.chainId}; stopped with this server)`);
    for (const a of chain.config.smartAccounts) console.log(`  smart account:       ${a.account} ${a.name}`);
  }
  console.log(`  sandbox Dynamic API: ${url}/api/v0 (environment ${sandbox.environmentId})`);
  console.log(`  link server:         ${url}${LINK_BASE_PATH}/ (nonce, snag/connect)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
