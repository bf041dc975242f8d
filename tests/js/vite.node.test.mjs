// The package in a Vite production build, loaded in headless Chromium: the bundler must find the
// .wasm through `new URL(..., import.meta.url)` and the app must run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launchChromium, serveStatic } from './browser-tools.mjs';

test('a Vite build of an app importing wallet-linker runs in Chromium', { timeout: 180_000 }, async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'wl-vite-'));
  try {
    await build({
      root: fileURLToPath(new URL('../vite-app', import.meta.url)),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    const assets = readdirSync(path.join(outDir, 'assets'));
    assert.ok(assets.some((f) => f.endsWith('.wasm')), `no .wasm emitted: ${assets}`);
    const server = await serveStatic(outDir);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => document.getElementById('out').textContent !== 'loading', null, { timeout: 30_000 });
      const text = await page.textContent('#out');
      // EIP-55's own example address.
      assert.match(text, /^\d+\.\d+\.\d+ 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359$/);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});
