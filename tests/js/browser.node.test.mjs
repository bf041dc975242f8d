// Runs the portable JS suite (every tests/js/*.test.mjs that is not Node-only, see NODE_ONLY) inside
// headless Debian Chromium against the built package, and reports each browser-side test here. The
// page gets a sandbox (SANDBOX_URL) and, next to it, the dapp's link server (LINK_SERVER_URL:
// createLinkServer for the page's host, see harness-link-server.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { launchChromium, serveStatic } from './browser-tools.mjs';
import { startLinkServer } from './harness-link-server.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const here = path.join(root, 'tests/js');
const suiteFiles = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs') && !f.endsWith('.node.test.mjs'))
  .sort();

async function bundleSuite() {
  const entry = [
    ...suiteFiles.map((f) => `import './${f}';`),
    `import { runRegistered } from './harness.browser.mjs';`,
    `globalThis.__suite = runRegistered().then((r) => (globalThis.__suiteResults = r));`,
  ].join('\n');
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: here, sourcefile: 'suite-entry.mjs', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external: ['wallet-linker', 'wallet-linker/verify'],
    alias: { buffer: 'buffer/' },
    define: { global: 'globalThis', 'process.env.NODE_DEBUG': 'false' },
    inject: [path.join(here, 'browser-shims.mjs')],
    plugins: [
      {
        name: 'harness',
        setup(build) {
          build.onResolve({ filter: /harness\.mjs$/ }, () => ({ path: path.join(here, 'harness.browser.mjs') }));
        },
      },
    ],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

test(`portable JS suite in headless Chromium (${suiteFiles.join(', ')})`, { timeout: 15 * 60_000 }, async (t) => {
  const bundle = await bundleSuite();
  const { createSandbox } = await import('../../www/sandbox/server.mjs');
  const instance = createSandbox();
  const sandbox = await instance.listen(0);
  // The page is served first: the link server's domain is the page's host (what linkWallet signs).
  const routes = { '/__suite__.js': ['text/javascript', bundle] };
  const server = await serveStatic(root, routes);
  const link = await startLinkServer({
    sandboxUrl: sandbox.url,
    environmentId: instance.environmentId,
    snagApiKey: instance.snagApiKey,
    domain: new URL(server.url).host,
  });
  routes['/__suite__.html'] = [
    'text/html',
    `<!doctype html><meta charset="utf-8"><title>wallet-linker suite</title>
<script type="importmap">{"imports":{"wallet-linker":"/pkg/index.js","wallet-linker/verify":"/pkg/verify/index.js"}}</script>
<script>globalThis.SANDBOX_URL = ${JSON.stringify(sandbox.url)}; globalThis.LINK_SERVER_URL = ${JSON.stringify(link.url)};</script>
<script type="module" src="/__suite__.js"></script>`,
  ];
  const browser = await launchChromium();
  const problems = [];
  try {
    const tab = await browser.newPage();
    tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    tab.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    await tab.goto(`${server.url}/__suite__.html`);
    await tab
      .waitForFunction(() => globalThis.__suite !== undefined, null, { timeout: 60_000 })
      .catch((e) => assert.fail(`the suite did not start: ${e.message}\n${problems.join('\n')}`));
    const results = await tab.evaluate(() => globalThis.__suite);
    assert.ok(results.length > 0, 'the browser ran no test');
    for (const r of results) {
      await t.test(`[chromium] ${r.name}`, () => {
        if (!r.ok) assert.fail(r.error);
      });
    }
  } finally {
    await browser.close();
    await server.close();
    await link.close();
    await sandbox.close();
  }
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), [], 'the page logged errors');
});
