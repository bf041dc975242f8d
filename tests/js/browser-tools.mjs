// Shared by the browser suite runner, the e2e test and the benchmarks: Debian Chromium through
// playwright-core (never a downloaded browser), and a small static file server on loopback.
import { chromium } from 'playwright-core';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** A persistent-less headless Chromium with a fresh user-data-dir. Returns { newPage, close }. */
export async function launchChromium({ viewport } = {}) {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'wl-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: viewport ?? { width: 1280, height: 900 },
  });
  return { newPage: () => context.newPage(), context, close: () => context.close() };
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves files under `root` (no traversal) plus fixed in-memory routes on 127.0.0.1. */
export function serveStatic(rootDir, routes = {}) {
  const root = path.resolve(rootDir);
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const fixed = routes[url.pathname];
    if (fixed) {
      res.writeHead(200, { 'content-type': fixed[0], 'cache-control': 'no-store' });
      return res.end(fixed[1]);
    }
    const file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}
