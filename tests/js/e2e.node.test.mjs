// End-to-end: the demo page (www/) served with the sandbox API by www/serve.mjs, driven in
// headless Debian Chromium. Signs in with one demo wallet, links the other, connects Snag and
// creates a global wallet connection, and checks what the sandbox recorded; then the failure
// paths a user can meet: a tampered signature stopped in the page, a replayed proof refused by
// the server, and a user declining in an injected EIP-1193 or Wallet Standard wallet.
// Screenshots (desktop and 390 px wide) are written to test-results/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from '../../www/serve.mjs';
import { launchChromium } from './browser-tools.mjs';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

// Wallets a browser extension would inject, installed before any page script runs. They connect
// but decline every signature with EIP-1193's 4001, and record what they were asked.
function injectTestWallets() {
  const icon = (color) =>
    `data:image/svg+xml;base64,${btoa(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="${color}"/></svg>`)}`;
  const declined = () => Object.assign(new Error('User rejected the request.'), { code: 4001 });
  const calls = [];
  window.__injected = { calls };

  // EIP-1193 provider announced through EIP-6963.
  const evmAddress = '0x52908400098527886e0f7030069857d2e4169ee7';
  const provider = {
    async request({ method, params }) {
      calls.push({ wallet: 'evm', method, params });
      if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [evmAddress];
      if (method === 'eth_chainId') return '0x89';
      if (method === 'personal_sign') throw declined();
      throw Object.assign(new Error(`unsupported ${method}`), { code: 4200 });
    },
  };
  const info = Object.freeze({ uuid: '6b1e5f04-5a8e-4c61-9a0b-7c2f4f2b9d11', name: 'Injected Test EVM', icon: icon('#d97706'), rdns: 'test.injected.evm' });
  window.__injected.evmIcon = info.icon;
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
  window.addEventListener('eip6963:requestProvider', announce);
  announce();

  // Wallet Standard wallet registered by the standard's window events.
  const solAddress = '4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T';
  const account = Object.freeze({ address: solAddress, publicKey: new Uint8Array(32), chains: ['solana:mainnet'], features: ['solana:signMessage'] });
  let connected = false;
  const wallet = {
    version: '1.0.0',
    name: 'Injected Test Solana',
    icon: icon('#7c3aed'),
    chains: ['solana:mainnet'],
    get accounts() {
      return connected ? [account] : [];
    },
    features: {
      'standard:connect': {
        version: '1.0.0',
        async connect() {
          calls.push({ wallet: 'solana', method: 'connect' });
          connected = true;
          return { accounts: [account] };
        },
      },
      'solana:signMessage': {
        version: '1.0.0',
        async signMessage(...inputs) {
          calls.push({ wallet: 'solana', method: 'signMessage', text: new TextDecoder().decode(inputs[0].message) });
          throw declined();
        },
      },
    },
  };
  const callback = ({ register }) => register(wallet);
  window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: callback }));
  window.addEventListener('wallet-standard:app-ready', ({ detail }) => callback(detail));
}

test('demo page end to end in headless Chromium', { timeout: 5 * 60_000 }, async (t) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startDemoServer({ port: 0, sandbox: { logErrors: false } });
  const browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    await page.addInitScript(injectTestWallets);

    const sandboxState = async () => (await fetch(`${server.url}/__sandbox/state`)).json();
    const idle = () => page.waitForFunction(() => document.querySelector('main').getAttribute('aria-busy') !== 'true', null, { timeout: 30_000 });
    const click = async (selector) => {
      await page.click(selector);
      await idle();
    };
    const pick = (name) => page.getByRole('radio', { name: new RegExp(name) }).check();
    const alertOf = async (id) => {
      const box = page.locator(`#${id}`);
      if (await box.isHidden()) return null;
      return { code: await box.getAttribute('data-code'), text: await box.innerText() };
    };

    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const demo = await page.evaluate(() => ({ evm: window.demoWallets.evm.address, sol: window.demoWallets.sol.address }));

    await t.test('discovery lists the demo wallets and the injected extensions by name and icon', async () => {
      for (const name of ['Demo EVM wallet \\(test only\\)', 'Demo Solana wallet \\(test only\\)', 'Injected Test EVM', 'Injected Test Solana']) {
        assert.equal(await page.getByRole('radio', { name: new RegExp(name) }).count(), 1, `${name} is listed once`);
      }
      const evmIcon = await page.evaluate(() => window.__injected.evmIcon);
      const shown = await page.locator('label.wallet', { hasText: 'Injected Test EVM' }).locator('img').getAttribute('src');
      assert.equal(shown, evmIcon, 'the EIP-6963 icon is shown');
      assert.equal(await page.locator('label.wallet', { hasText: 'Demo EVM wallet' }).locator('.tag-warn').textContent(), 'Test only');
      // Every form control has a label (keyboard and screen-reader users can reach and name it).
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select')].filter((e) => e.labels.length === 0).map((e) => e.id || e.name),
      );
      assert.deepEqual(unlabelled, []);
    });

    await t.test('sign in with the demo EVM wallet, then link the demo Solana wallet and connect both to Snag', async () => {
      await pick('Demo EVM wallet');
      await page.locator('#with-snag').check();
      await click('#sign-in');
      assert.equal(await alertOf('error'), null, 'no error after sign-in');
      assert.match(await page.locator('#session').innerText(), /Signed in as user .* 1 wallet linked/);
      const signInMessage = await page.locator('#message').innerText();
      assert.match(signInMessage, /^127\.0\.0\.1:\d+ wants you to sign in with your Ethereum account:\n0x[0-9a-fA-F]{40}\n/);
      assert.match(await page.locator('#local-check').innerText(), /Valid signature by 0x[0-9a-fA-F]{40}, checked in this page in [\d,]+ µs/);

      await pick('Demo Solana wallet');
      await click('#link');
      assert.equal(await alertOf('error'), null, 'no error after linking');
      assert.match(await page.locator('#session').innerText(), /2 wallets linked/);
      const solMessage = await page.locator('#message').innerText();
      assert.ok(solMessage.startsWith(`127.0.0.1:${server.port} wants you to sign in with your Solana account:\n${demo.sol}\n`), solMessage);
      const shownCredentials = await page.locator('#credentials li').evaluateAll((items) => items.map((i) => i.dataset.address));
      assert.deepEqual(shownCredentials.map((a) => a.toLowerCase()).sort(), [demo.evm, demo.sol.toLowerCase()].sort());

      const state = await sandboxState();
      const owners = state.users.filter((u) => u.verifiedCredentials.some((c) => c.address?.toLowerCase() === demo.evm));
      assert.equal(owners.length, 1, 'one user owns the EVM wallet');
      const wallets = owners[0].verifiedCredentials.filter((c) => c.format === 'blockchain');
      assert.deepEqual(wallets.map((c) => [c.chain, c.address.toLowerCase()]).sort(), [['eip155', demo.evm], ['solana', demo.sol.toLowerCase()]].sort());
      // The Solana message the sandbox accepted is the one the page shows, nonce included.
      const nonce = /\nNonce: (\S+)\n/.exec(solMessage)?.[1];
      assert.ok(state.nonces.some((n) => n.nonce === nonce && n.usedAt !== null), 'the shown nonce was consumed');
      const connections = state.snag.connections.map((c) => [c.walletType, c.walletAddress.toLowerCase(), c.websiteId, c.organizationId]);
      assert.deepEqual(connections.sort(), [['evm', demo.evm, 'demo-website', 'demo-organization'], ['solana', demo.sol.toLowerCase(), 'demo-website', 'demo-organization']].sort());
      const calls = state.requestLog.filter((r) => r.status < 400).map((r) => `${r.method} ${r.path.replace(/^\/api\/v0\/sdk\/[^/]+/, '')}`);
      assert.deepEqual(calls, ['GET /nonce', 'POST /verify', 'POST /proxy/snag/api/users/connect', 'GET /nonce', 'POST /verify/link', 'POST /proxy/snag/api/users/connect']);
      await page.screenshot({ path: `${SCREENSHOTS}demo-desktop.png`, fullPage: true });
    });

    await t.test('a global wallet connection is created for the signed-in user', async () => {
      await click('#global-connection');
      assert.equal(await alertOf('more-error'), null);
      assert.match(await page.locator('#more-result').innerText(), /"status": "connected"/);
      const state = await sandboxState();
      const owner = state.users.find((u) => u.verifiedCredentials.some((c) => c.address?.toLowerCase() === demo.evm));
      assert.equal(state.globalWalletConnections.length, 1);
      assert.equal(state.globalWalletConnections[0].userId, owner.id);
    });

    await t.test('a tampered signature is stopped in the page: no verify request reaches the server', async () => {
      const before = (await sandboxState()).requestLog;
      await pick('Demo EVM wallet');
      await page.selectOption('#demo-behaviour', 'tamper');
      await click('#link');
      const error = await alertOf('error');
      assert.equal(error?.code, 'SIGNATURE_MISMATCH', JSON.stringify(error));
      assert.match(error.text, /stopped in this page and never sent/);
      assert.match(error.text, /step verify/);
      const added = (await sandboxState()).requestLog.slice(before.length).map((r) => r.path);
      assert.equal(added.length, 1, `only the nonce was fetched: ${added}`);
      assert.match(added[0], /\/nonce$/);
      await page.selectOption('#demo-behaviour', 'sign');
    });

    await t.test('a replayed proof (used nonce) is refused by the server, visibly', async () => {
      const before = await sandboxState();
      await click('#replay');
      const error = await alertOf('more-error');
      assert.equal(error?.code, 'HTTP_ERROR', JSON.stringify(error));
      assert.match(error.text, /HTTP 422/);
      assert.match(error.text, /invalid_verification/);
      assert.match(error.text, /nonce/i);
      const after = await sandboxState();
      const last = after.requestLog.at(-1);
      assert.deepEqual([last.method, last.path.endsWith('/verify/link'), last.status], ['POST', true, 422]);
      const count = (s) => s.users.reduce((n, u) => n + u.verifiedCredentials.length, 0);
      assert.equal(count(after), count(before), 'no credential was added');
    });

    await t.test('an injected EIP-1193 wallet that declines (4001) gives USER_REJECTED; the message went hex-encoded', async () => {
      await pick('Injected Test EVM');
      await click('#link');
      const error = await alertOf('error');
      assert.equal(error?.code, 'USER_REJECTED', JSON.stringify(error));
      assert.match(error.text, /You declined the request in the wallet/);
      assert.match(error.text, /step sign/);
      const calls = await page.evaluate(() => window.__injected.calls.filter((c) => c.wallet === 'evm'));
      assert.deepEqual(calls.map((c) => c.method), ['eth_requestAccounts', 'eth_chainId', 'personal_sign']);
      const [hex, address] = calls[2].params;
      assert.equal(address, '0x52908400098527886E0F7030069857D2E4169EE7', 'the EIP-55 address');
      const text = Buffer.from(hex.slice(2), 'hex').toString('utf8');
      assert.ok(hex.startsWith('0x') && /^0x[0-9a-f]+$/.test(hex), 'lower-case 0x hex');
      assert.match(text, /wants you to sign in with your Ethereum account:\n0x52908400098527886E0F7030069857D2E4169EE7\n[\s\S]*\nChain ID: 137\n/);
    });

    await t.test('an injected Wallet Standard wallet that declines (4001) gives USER_REJECTED', async () => {
      await pick('Injected Test Solana');
      await click('#link');
      const error = await alertOf('error');
      assert.equal(error?.code, 'USER_REJECTED', JSON.stringify(error));
      assert.match(error.text, /step sign/);
      const calls = await page.evaluate(() => window.__injected.calls.filter((c) => c.wallet === 'solana'));
      assert.deepEqual(calls.map((c) => c.method), ['connect', 'signMessage']);
      assert.match(calls[1].text, /wants you to sign in with your Solana account:\n4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T\n/);
      await page.screenshot({ path: `${SCREENSHOTS}demo-desktop-error.png`, fullPage: true });
    });

    await t.test('readable 390 px wide: no sideways scrolling', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(100);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the page is ${width} px wide`);
      await page.screenshot({ path: `${SCREENSHOTS}demo-390.png`, fullPage: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${SCREENSHOTS}demo-390-top.png` });
    });
  } finally {
    await browser.close();
    await server.close();
  }
  // The replayed proof's 422 is logged by the browser as a failed resource load; nothing else may be.
  assert.deepEqual(problems.filter((p) => !/Failed to load resource: the server responded with a status of 422/.test(p)), []);
});
