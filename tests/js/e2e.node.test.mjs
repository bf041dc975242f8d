// End-to-end: the demo page (www/) served with the sandbox API and the dapp's backend
// (createLinkServer at /api/link) by www/serve.mjs, driven in headless Debian Chromium. Signs in
// with one demo wallet, links the other, connects both to Snag through the backend (a second
// signature each) and again with the "Connect last wallet to Snag" button, creates a global wallet
// connection, and checks what the sandbox recorded, Snag's side included; then the failure paths a
// user can meet (a tampered signature stopped in the page, a replayed proof refused by the server,
// a user declining in an injected EIP-1193 or Wallet Standard wallet) and tampered requests sent
// from the page to the backend, none of which reaches Snag.
// Smart accounts: the file starts a throw-away Anvil (tests/js/anvil-harness.mjs through
// www/demo-chain.mjs) with a deployed EIP-1271 TestSmartAccount and an undeployed one (EIP-6492),
// and serves the demo with that chain: the demo EVM wallet lives on it, the page lists two TEST-ONLY
// smart-account wallets, and the sandbox (and the backend) check smart-account signatures on the
// same Anvil with viem. The page links both accounts, and a signature by a key that does not own
// the account is stopped in the page; without a chain the page lists no smart account. A Node-only
// test checks the sandbox's own verdicts on that chain.
// Sui: the page lists the TEST-ONLY demo Sui wallet (discoverSuiWallets) and links it to the signed-in
// user with Dynamic's Sui template (chain SUI) and Snag (walletType sui, through the backend); the
// sandbox checks both signatures with @mysten/sui, and so does this file, in Node. A tampered Sui
// signature is stopped in the page (step verify) and a declined one is USER_REJECTED.
// TON: the page lists the TEST-ONLY demo TON wallet (a TON Connect injected bridge, found by
// discoverTonWallets; its wallet v4r2 built by www/serve.mjs with @ton/ton) and links it to Snag
// only (Dynamic is not involved for TON): a ton_proof of the backend's nonce, checked in the page
// with verifyTonProof, then by the backend and by Snag's stand-in with @ton/core + @ton/crypto
// (walletType ton), and by this file with @ton/crypto. A tampered proof is stopped in the page
// before anything is posted (no Snag call, no TON check); a declined one is USER_REJECTED.
// Screenshots (desktop and 390 px wide) are written to test-results/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDynamicSignInMessage } from 'wallet-linker';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { createSiweMessage } from 'viem/siwe';
import { verifyPersonalMessageSignature } from '@mysten/sui/verify';
import { createSandbox } from '../../www/sandbox/server.mjs';
import { DEMO_SMART_ACCOUNT_NAMES, startDemoChain } from '../../www/demo-chain.mjs';
import { DEMO_SNAG_IDS, LINK_BASE_PATH, startDemoServer } from '../../www/serve.mjs';
import { freePort, wrap6492 } from './anvil-harness.mjs';
import { Address } from '@ton/core';
import { signVerify } from '@ton/crypto';
import { proofDigest } from './ton-fixtures.mjs';
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

/** Milliseconds of the smart-account and Sui parts (printed at the end). */
const timings = {};
const since = (t0) => Math.round(performance.now() - t0);
/** The demo chain: Anvil with the demo's smart accounts (www/demo-chain.mjs). */
let chain;

before(async () => {
  const t0 = performance.now();
  chain = await startDemoChain();
  timings['Anvil start'] = Math.round(chain.env.startMs);
  timings['Anvil start + accounts deployed'] = since(t0);
});

after(async () => {
  await chain?.stop();
  console.log(`e2e smart-account and Sui timings (ms): ${JSON.stringify(timings)}`);
});

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @mysten/sui's verdict on a Sui personal message (text, as UTF-8) by `address`: true, or false when it throws. */
async function mystenAccepts(message, signature, address) {
  try {
    return (await verifyPersonalMessageSignature(new TextEncoder().encode(message), signature, { address })).toSuiAddress() === address;
  } catch {
    return false;
  }
}

test('demo page end to end in headless Chromium', { timeout: 5 * 60_000 }, async (t) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startDemoServer({ port: 0, sandbox: { logErrors: false }, evm: chain.config });
  const browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    await page.addInitScript(injectTestWallets);
    // Every API call the page makes, as `METHOD path status` (Dynamic's SDK prefix shortened).
    const pageCalls = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin !== server.url || !url.pathname.startsWith('/api/')) return;
      const path = url.pathname.replace(/^\/api\/v0\/sdk\/[^/]+/, '/sdk');
      pageCalls.push(`${response.request().method()} ${path} ${response.status()}`);
    });

    const sandboxState = async () => (await fetch(`${server.url}/__sandbox/state`)).json();
    const host = `127.0.0.1:${server.port}`;
    const nonceOf = (message) => /\nNonce: (\S+)\n/.exec(message)?.[1];
    const withoutNonce = (message) => message.replace(/\nNonce: .*\nIssued At: .*\n/, '\n');
    /** The page's request log, oldest first: `METHOD path status`. */
    const requestLog = () =>
      page.locator('#log .log-item summary').evaluateAll((items) =>
        items.reverse().map((i) => [...i.querySelectorAll('.method, .log-path, .log-status')].map((n) => n.textContent).join(' ')),
      );
    /** Snag's record of a connect: the exact body the backend sent, with the proof the wallet signed. */
    const assertSnagConnect = (record, walletType, walletAddress) => {
      assert.deepEqual([record.method, record.path, record.status, record.apiKey], ['POST', '/snag/api/users/connect', 200, 'valid']);
      assert.deepEqual(Object.keys(record.body).sort(), ['organizationId', 'verificationData', 'walletAddress', 'walletType', 'websiteId']);
      assert.deepEqual(
        [record.body.walletType, record.body.walletAddress.toLowerCase(), record.body.websiteId, record.body.organizationId],
        [walletType, walletAddress.toLowerCase(), DEMO_SNAG_IDS.websiteId, DEMO_SNAG_IDS.organizationId],
      );
      assert.deepEqual(Object.keys(record.body.verificationData).sort(), ['message', 'signature']);
      const { message } = record.body.verificationData;
      const account = { evm: 'Ethereum', solana: 'Solana', sui: 'Sui' }[walletType];
      assert.ok(message.startsWith(`${host} wants you to sign in with your ${account} account:\n`), message);
      assert.match(nonceOf(message), /^[0-9A-Za-z]{22}$/, "a nonce of the backend's store");
      return message;
    };
    const idle = () => page.waitForFunction(() => document.querySelector('main').getAttribute('aria-busy') !== 'true', null, { timeout: 30_000 });
    const click = async (selector) => {
      await page.click(selector);
      await idle();
    };
    const pick = (name) => page.getByRole('radio', { name: new RegExp(name) }).check();
    const pickExactly = (name) => page.getByRole('radio', { name: new RegExp(`^${escapeRegExp(name)}`) }).check();
    const alertOf = async (id) => {
      const box = page.locator(`#${id}`);
      if (await box.isHidden()) return null;
      return { code: await box.getAttribute('data-code'), text: await box.innerText() };
    };
    /** Links `wallet` with the demo's "tamper" behaviour, which the page must stop at step verify;
     * returns what was counted before (the sandbox's state, Snag's requests, the page's calls). */
    const linkTampered = async (wallet) => {
      await pick(wallet);
      await page.selectOption('#demo-behaviour', 'tamper');
      const before = await sandboxState();
      const snagBefore = server.sandbox.snagRequests().length;
      const callsBefore = pageCalls.length;
      await click('#link');
      const error = await alertOf('error');
      assert.equal(error?.code, 'SIGNATURE_MISMATCH', JSON.stringify(error));
      assert.match(error.text, /step verify/);
      assert.match(error.text, /stopped in this page and never sent/);
      return { before, snagBefore, callsBefore };
    };

    await page.goto(`${server.url}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const demo = await page.evaluate(() => ({ evm: window.demoWallets.evm.address, sol: window.demoWallets.sol.address, sui: window.demoWallets.sui.address }));

    await t.test('discovery lists the demo wallets and the injected extensions by name and icon', async () => {
      for (const name of ['Demo EVM wallet \\(test only\\)', 'Demo Solana wallet \\(test only\\)', 'Demo Sui wallet \\(test only\\)', 'Injected Test EVM', 'Injected Test Solana']) {
        assert.equal(await page.getByRole('radio', { name: new RegExp(name) }).count(), 1, `${name} is listed once`);
      }
      // The demo chain's smart accounts, each its own EIP-6963 wallet, tagged as test-only.
      for (const name of Object.values(DEMO_SMART_ACCOUNT_NAMES)) {
        assert.equal(await page.getByRole('radio', { name: new RegExp(`^${escapeRegExp(name)}`) }).count(), 1, `${name} is listed once`);
        assert.equal(await page.locator('label.wallet', { hasText: name }).locator('.tag-warn').textContent(), 'Test only');
      }
      const evmIcon = await page.evaluate(() => window.__injected.evmIcon);
      const shown = await page.locator('label.wallet', { hasText: 'Injected Test EVM' }).locator('img').getAttribute('src');
      assert.equal(shown, evmIcon, 'the EIP-6963 icon is shown');
      assert.equal(await page.locator('label.wallet', { hasText: 'Demo EVM wallet' }).locator('.tag-warn').textContent(), 'Test only');
      // The demo Sui wallet, found through discoverSuiWallets: tagged Sui and test-only, with its 0x address.
      const suiLabel = page.locator('label.wallet', { hasText: 'Demo Sui wallet' });
      assert.equal(await suiLabel.locator('input').getAttribute('data-chain'), 'SUI');
      assert.deepEqual(await suiLabel.locator('.tag').allTextContents(), ['Sui', 'Test only']);
      assert.match(demo.sui, /^0x[0-9a-f]{64}$/);
      // Every form control has a label (keyboard and screen-reader users can reach and name it).
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('input, select')].filter((e) => e.labels.length === 0).map((e) => e.id || e.name),
      );
      assert.deepEqual(unlabelled, []);
      // Snag's ids and key are the backend's: the settings show that, and offer no field for them.
      const settings = await page.locator('#settings-form').evaluate((form) => [...form.elements].map((e) => e.name).filter(Boolean));
      assert.deepEqual(settings, ['environmentId', 'baseUrl', 'appName']);
      const snagSetting = await page.locator('#snag-backend').textContent();
      assert.match(snagSetting, new RegExp(`${server.url}${LINK_BASE_PATH}`));
      assert.match(snagSetting, /backend holds\s+the Snag API key and decides the website and organization IDs/);
    });

    await t.test('sign in with the demo EVM wallet, then link the demo Solana wallet and connect both to Snag through the backend', async () => {
      await pick('Demo EVM wallet');
      await page.locator('#with-snag').check();
      await click('#sign-in');
      assert.equal(await alertOf('error'), null, 'no error after sign-in');
      assert.match(await page.locator('#session').innerText(), /Signed in as user .* 1 wallet linked/);
      const signInMessage = await page.locator('#message').innerText();
      assert.match(signInMessage, /^127\.0\.0\.1:\d+ wants you to sign in with your Ethereum account:\n0x[0-9a-fA-F]{40}\n/);
      assert.match(await page.locator('#local-check').innerText(), /Valid signature by 0x[0-9a-fA-F]{40}, checked in this page in [\d,]+ µs/);
      const evmSigned = await page.evaluate(() => window.demoWallets.evm.calls.filter((c) => c === 'personal_sign').length);
      assert.equal(evmSigned, 2, 'the demo wallet signed twice: for Dynamic, then for Snag with the backend’s nonce');

      await pick('Demo Solana wallet');
      await click('#link');
      assert.equal(await alertOf('error'), null, 'no error after linking');
      assert.match(await page.locator('#session').innerText(), /2 wallets linked/);
      const solMessage = await page.locator('#message').innerText();
      assert.ok(solMessage.startsWith(`${host} wants you to sign in with your Solana account:\n${demo.sol}\n`), solMessage);
      const shownCredentials = await page.locator('#credentials li').evaluateAll((items) => items.map((i) => i.dataset.address));
      assert.deepEqual(shownCredentials.map((a) => a.toLowerCase()).sort(), [demo.evm, demo.sol.toLowerCase()].sort());

      const state = await sandboxState();
      const owners = state.users.filter((u) => u.verifiedCredentials.some((c) => c.address?.toLowerCase() === demo.evm));
      assert.equal(owners.length, 1, 'one user owns the EVM wallet');
      const wallets = owners[0].verifiedCredentials.filter((c) => c.format === 'blockchain');
      assert.deepEqual(wallets.map((c) => [c.chain, c.address.toLowerCase()]).sort(), [['eip155', demo.evm], ['solana', demo.sol.toLowerCase()]].sort());
      // The Solana message the sandbox accepted is the one the page shows, nonce included.
      const nonce = nonceOf(solMessage);
      assert.ok(state.nonces.some((n) => n.nonce === nonce && n.usedAt !== null), 'the shown nonce was consumed');
      const connections = state.snag.connections.map((c) => [c.walletType, c.walletAddress.toLowerCase(), c.websiteId, c.organizationId]);
      assert.deepEqual(connections.sort(), [['evm', demo.evm, 'demo-website', 'demo-organization'], ['solana', demo.sol.toLowerCase(), 'demo-website', 'demo-organization']].sort());

      // The page talks to Dynamic and to its own backend, never to Snag.
      assert.deepEqual(pageCalls, [
        'GET /sdk/nonce 200', 'POST /sdk/verify 200', `GET ${LINK_BASE_PATH}/nonce 200`, `POST ${LINK_BASE_PATH}/snag/connect 200`,
        'GET /sdk/nonce 200', 'POST /sdk/verify/link 200', `GET ${LINK_BASE_PATH}/nonce 200`, `POST ${LINK_BASE_PATH}/snag/connect 200`,
      ]);
      // What the sandbox served: Dynamic for the page; the JWKS (once, then cached) and Snag for the backend.
      const calls = state.requestLog.filter((r) => r.status < 400).map((r) => `${r.method} ${r.path.replace(/^\/api\/v0\/sdk\/[^/]+/, '')}`);
      assert.deepEqual(calls, ['GET /nonce', 'POST /verify', 'GET /.well-known/jwks.json', 'POST /snag/api/users/connect', 'GET /nonce', 'POST /verify/link', 'POST /snag/api/users/connect']);
      assert.deepEqual(state.requestLog.filter((r) => r.status >= 400), []);
      // Snag received exactly the demo's ids and each wallet, with a proof over the backend's nonce.
      const [evmRecord, solRecord, ...more] = server.sandbox.snagRequests();
      assert.deepEqual(more, []);
      const evmSnagMessage = assertSnagConnect(evmRecord, 'evm', demo.evm);
      assert.equal(withoutNonce(evmSnagMessage), withoutNonce(signInMessage), 'the same message format and fields, a new nonce');
      assert.notEqual(nonceOf(evmSnagMessage), nonceOf(signInMessage));
      const solSnagMessage = assertSnagConnect(solRecord, 'solana', demo.sol);
      assert.equal(solRecord.body.walletAddress, demo.sol);
      assert.equal(withoutNonce(solSnagMessage), withoutNonce(solMessage));
      assert.ok(!state.nonces.some((n) => n.nonce === nonceOf(solSnagMessage)), 'not a Dynamic nonce');
      // The page's own request log shows the backend calls.
      const log = await requestLog();
      assert.deepEqual(log.filter((l) => l.includes(LINK_BASE_PATH)), [
        `GET ${LINK_BASE_PATH}/nonce OK`, `POST ${LINK_BASE_PATH}/snag/connect OK`,
        `GET ${LINK_BASE_PATH}/nonce OK`, `POST ${LINK_BASE_PATH}/snag/connect OK`,
      ]);
      assert.equal(await page.locator('#more-result h3').textContent(), 'Snag connection');
      await page.screenshot({ path: `${SCREENSHOTS}demo-desktop.png`, fullPage: true });
    });

    await t.test('"Connect last wallet to Snag": a nonce from the backend, a message like the last proof, signed, posted with the JWT', async () => {
      const shown = await page.locator('#message').innerText();
      const before = server.sandbox.snagRequests().length;
      const callsBefore = pageCalls.length;
      const signsBefore = await page.evaluate(() => window.demoWallets.sol.calls.length);
      await click('#snag-connect');
      assert.equal(await alertOf('more-error'), null);
      assert.equal(await page.locator('#more-result h3').textContent(), 'Snag connection');
      assert.equal(JSON.parse(await page.locator('#more-result pre').textContent()).walletAddress, demo.sol);
      assert.match(await page.locator('#status').innerText(), /Connected .* to Snag user/);
      assert.deepEqual(pageCalls.slice(callsBefore), [`GET ${LINK_BASE_PATH}/nonce 200`, `POST ${LINK_BASE_PATH}/snag/connect 200`]);
      assert.deepEqual(await page.evaluate((n) => window.demoWallets.sol.calls.slice(n), signsBefore), ['signMessage']);
      const records = server.sandbox.snagRequests().slice(before);
      assert.equal(records.length, 1);
      const message = assertSnagConnect(records[0], 'solana', demo.sol);
      assert.equal(withoutNonce(message), withoutNonce(shown), 'the last proof’s format and fields');
      assert.notEqual(nonceOf(message), nonceOf(shown));
      const log = await requestLog();
      assert.deepEqual(log.slice(-2), [`GET ${LINK_BASE_PATH}/nonce OK`, `POST ${LINK_BASE_PATH}/snag/connect OK`]);
    });

    await t.test('tampered requests from the page to the backend never reach Snag', async () => {
      const before = server.sandbox.snagRequests();
      const accepted = before.at(-1).body;
      const attacker = privateKeyToAccount(generatePrivateKey());
      // An attacker with an account of their own, working from the page (its origin, its fetch).
      const post = (body, token) =>
        page.evaluate(
          async ({ body, token }) => {
            const headers = { 'Content-Type': 'application/json' };
            if (token) headers.Authorization = `Bearer ${token}`;
            const response = await fetch('/api/link/snag/connect', { method: 'POST', headers, body: JSON.stringify(body) });
            return { status: response.status, body: await response.json() };
          },
          { body, token },
        );
      const { jwt } = await page.evaluate(() => fetch('/__sandbox/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.json()));
      const nonce = async () => (await page.evaluate(() => fetch('/api/link/nonce').then((r) => r.json()))).nonce;
      const proofFor = async (address, signer, overrides = {}) => {
        const message = createDynamicSignInMessage({
          chain: 'EVM', domain: host, address, appName: 'wallet-linker demo', uri: `${server.url}/`, chainId: 1,
          nonce: await nonce(), environmentId: server.sandbox.environmentId, ...overrides,
        });
        return { message, signature: await signer.signMessage({ message }) };
      };
      const hijack = { userId: 'victim-snag-user', websiteId: 'attacker-website', organizationId: 'attacker-organization', confirmDisconnect: true };
      const replay = { walletType: accepted.walletType, walletAddress: accepted.walletAddress, ...accepted.verificationData };
      const victim = before[0].body.walletAddress;

      const outcomes = {
        'the proof Snag accepted last, replayed, with another userId and ids': await post({ ...replay, ...hijack }, jwt),
        'no JWT': await post(replay, undefined),
        'a forged JWT': await post(replay, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'),
        "the victim's wallet, signed by the attacker's key": await post({ walletType: 'evm', walletAddress: victim, ...(await proofFor(victim, attacker)) }, jwt),
        "the attacker's proof posted for the victim's wallet": await post({ walletType: 'evm', walletAddress: victim, ...(await proofFor(attacker.address, attacker)) }, jwt),
        'a proof for another site': await post({ walletType: 'evm', walletAddress: attacker.address, ...(await proofFor(attacker.address, attacker, { domain: 'evil.example', uri: 'https://evil.example/' })) }, jwt),
        'a nonce the backend never issued': await post({ walletType: 'evm', walletAddress: attacker.address, ...(await proofFor(attacker.address, attacker, { nonce: 'Q'.repeat(22) })) }, jwt),
      };
      assert.deepEqual(
        Object.fromEntries(Object.entries(outcomes).map(([what, r]) => [what, [r.status, r.body.code]])),
        {
          'the proof Snag accepted last, replayed, with another userId and ids': [409, 'NONCE_UNKNOWN'],
          'no JWT': [401, 'UNAUTHENTICATED'],
          'a forged JWT': [401, 'UNAUTHENTICATED'],
          "the victim's wallet, signed by the attacker's key": [422, 'SIGNATURE_MISMATCH'],
          "the attacker's proof posted for the victim's wallet": [422, 'ADDRESS_MISMATCH'],
          'a proof for another site': [422, 'DOMAIN_MISMATCH'],
          'a nonce the backend never issued': [409, 'NONCE_UNKNOWN'],
        },
      );
      assert.deepEqual(server.sandbox.snagRequests(), before, 'Snag received none of them');

      // The attacker's own valid proof goes through, but the ids and user it names do not: Snag
      // gets the backend's ids and no userId or confirmDisconnect.
      const own = await post({ walletType: 'evm', walletAddress: attacker.address, ...(await proofFor(attacker.address, attacker)), ...hijack }, jwt);
      assert.equal(own.status, 200, JSON.stringify(own.body));
      const records = server.sandbox.snagRequests().slice(before.length);
      assert.equal(records.length, 1);
      assertSnagConnect(records[0], 'evm', attacker.address);
      assert.notEqual(own.body.id, 'victim-snag-user');
      const state = await sandboxState();
      assert.ok(!state.snag.users.some((u) => u.id === 'victim-snag-user'));
      assert.ok(state.snag.connections.every((c) => c.websiteId === DEMO_SNAG_IDS.websiteId && c.organizationId === DEMO_SNAG_IDS.organizationId));
    });

    await t.test('Sign-In With Solana through the wallet’s signIn, with Snag: the backend’s message is SIWS too, and so is the button’s', async () => {
      await pick('Demo Solana wallet');
      await page.selectOption('#message-format', 'standard');
      const before = server.sandbox.snagRequests().length;
      const signsBefore = await page.evaluate(() => window.demoWallets.sol.calls.length);
      await click('#link');
      assert.equal(await alertOf('error'), null);
      const shown = await page.locator('#message').innerText();
      assert.ok(shown.startsWith(`${host} wants you to sign in with your Solana account:\n${demo.sol}\n\nURI: ${server.url}/\nVersion: 1\n`), shown);
      // The wallet wrote and signed the first message (signIn), then signed the backend's.
      assert.deepEqual(await page.evaluate((n) => window.demoWallets.sol.calls.slice(n), signsBefore), ['signIn', 'signMessage']);
      await click('#snag-connect');
      assert.equal(await alertOf('more-error'), null);
      const records = server.sandbox.snagRequests().slice(before);
      assert.equal(records.length, 2);
      for (const record of records) {
        const message = assertSnagConnect(record, 'solana', demo.sol);
        assert.equal(withoutNonce(message), withoutNonce(shown), 'SIWS with the same fields');
      }
      assert.notEqual(nonceOf(records[0].body.verificationData.message), nonceOf(records[1].body.verificationData.message));
      await page.selectOption('#message-format', 'dynamic');
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
      const { before } = await linkTampered('Demo EVM wallet');
      const added = (await sandboxState()).requestLog.slice(before.requestLog.length).map((r) => r.path);
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

    /** The page's last LinkResult (window.lastLinkResult), the parts the tests read. */
    const lastResult = () =>
      page.evaluate(() => {
        const r = window.lastLinkResult;
        return { kind: r.localCheck.kind, checkedAddress: r.localCheck.address, address: r.address, walletName: r.walletName, message: r.message, signature: r.signature, snag: r.snag ?? null };
      });
    const smartWallet = (index) => page.evaluate((i) => {
      const w = window.demoWallets.smartAccounts[i];
      return { calls: [...w.calls], lastSignature: w.lastSignature, behaviour: w.behaviour };
    }, index);
    /** What the sandbox recorded of `address`: its credential (on the signed-in user) and its EVM checks. */
    const sandboxRecordOf = async (address) => {
      const state = await sandboxState();
      const owner = state.users.find((u) => u.verifiedCredentials.some((c) => c.address?.toLowerCase() === demo.evm));
      const credential = owner.verifiedCredentials.find((c) => c.address?.toLowerCase() === address.toLowerCase());
      const checks = state.evmSignatureChecks.filter((c) => c.address.toLowerCase() === address.toLowerCase());
      return { state, credential, checks };
    };
    /** An EVM check the sandbox made with viem on the demo chain, as recorded. */
    const viemOnChain = (path, walletProvider) => ({
      path, walletProvider, chainId: String(chain.env.chainId), verifier: 'viem publicClient.verifyMessage',
      rpcUrl: chain.env.url, rpcChainId: chain.env.chainId, valid: true,
    });
    const checkFields = (c) => ({ path: c.path.replace(/^\/api\/v0\/sdk\/[^/]+/, '/sdk'), walletProvider: c.walletProvider, chainId: c.chainId, verifier: c.verifier, rpcUrl: c.rpcUrl, rpcChainId: c.rpcChainId, valid: c.valid });

    await t.test('link the deployed EIP-1271 demo smart account: checked on chain in the page, sent as smartContractWallet, verified by the sandbox with viem on the same Anvil', async () => {
      const t0 = performance.now();
      const account = chain.deployed.address;
      await pickExactly(DEMO_SMART_ACCOUNT_NAMES.deployed);
      assert.deepEqual(await page.locator('#demo-behaviour option').evaluateAll((os) => os.map((o) => o.value)), ['sign', 'reject', 'tamper', 'stranger']);
      const callsBefore = pageCalls.length;
      const snagBefore = server.sandbox.snagRequests().length;
      await click('#link');
      assert.equal(await alertOf('error'), null, 'no error after linking the smart account');

      // The LinkResult: accepted by the account contract (EIP-1271), the owner's plain signature.
      const result = await lastResult();
      assert.equal(result.kind, 'erc1271');
      assert.equal(result.address, account, 'the account (contract) address, EIP-55');
      assert.equal(result.checkedAddress.toLowerCase(), account.toLowerCase());
      assert.equal(result.walletName, 'demosmartaccount');
      assert.match(result.message, new RegExp(`^${escapeRegExp(host)} wants you to sign in with your Ethereum account:\\n${account}\\n[\\s\\S]*\\nChain ID: ${chain.env.chainId}\\n`));
      assert.equal(result.signature, await chain.owner.signMessage({ message: result.message }), "the owner key's EIP-191 signature, not wrapped");
      assert.deepEqual((await smartWallet(0)).lastSignature, { signer: chain.owner.address.toLowerCase(), wrapped: false, deployed: true });
      // Shown as such in the page.
      assert.equal(await page.locator('#local-check').getAttribute('data-kind'), 'erc1271');
      assert.match(await page.locator('#local-check').innerText(), /Valid smart-account signature \(EIP-1271\) by 0x[0-9a-fA-F]{40}, checked in this page in [\d,]+ µs, by its account contract/);
      assert.match(await page.locator('#session').innerText(), /3 wallets linked/);

      // The sandbox: the account linked to the signed-in user as smartContractWallet, its signature
      // checked with viem's publicClient.verifyMessage on the same Anvil (and so was Snag's proof).
      const { credential, checks } = await sandboxRecordOf(account);
      assert.deepEqual([credential.chain, credential.address, credential.wallet_name, credential.wallet_provider], ['eip155', account, 'demosmartaccount', 'smartContractWallet']);
      assert.deepEqual(checks.map(checkFields), [viemOnChain('/sdk/verify/link', 'smartContractWallet'), viemOnChain('/snag/api/users/connect', null)]);
      // Snag got the account, with the owner's second signature over the backend's nonce, after the
      // backend (createLinkServer, rpc on this chain) checked it.
      const records = server.sandbox.snagRequests().slice(snagBefore);
      assert.equal(records.length, 1);
      const snagMessage = assertSnagConnect(records[0], 'evm', account);
      assert.equal(records[0].body.verificationData.signature, await chain.owner.signMessage({ message: snagMessage }));
      assert.deepEqual(pageCalls.slice(callsBefore), ['GET /sdk/nonce 200', 'POST /sdk/verify/link 200', `GET ${LINK_BASE_PATH}/nonce 200`, `POST ${LINK_BASE_PATH}/snag/connect 200`]);
      // The page's check went through the wallet's own provider: eth_chainId, then one eth_call.
      const { calls } = await smartWallet(0);
      assert.deepEqual(calls.slice(0, 5), ['eth_requestAccounts', 'eth_chainId', 'personal_sign', 'eth_chainId', 'eth_call']);
      timings['EIP-1271 link (with Snag)'] = since(t0);
    });

    await t.test('link the undeployed demo smart account: an EIP-6492 signature, accepted without deploying it', async () => {
      const t0 = performance.now();
      const { address: account, factoryCalldata } = chain.undeployed;
      await pickExactly(DEMO_SMART_ACCOUNT_NAMES.undeployed);
      await click('#link');
      assert.equal(await alertOf('error'), null, 'no error after linking the undeployed account');
      const result = await lastResult();
      assert.equal(result.kind, 'erc6492');
      assert.equal(result.address, account);
      const ownerSignature = await chain.owner.signMessage({ message: result.message });
      assert.equal(result.signature, wrap6492(chain.accounts.factory, factoryCalldata, ownerSignature), "the owner's signature in the EIP-6492 wrapper (viem's encoding)");
      assert.deepEqual((await smartWallet(1)).lastSignature, { signer: chain.owner.address.toLowerCase(), wrapped: true, deployed: false });
      assert.equal(await page.locator('#local-check').getAttribute('data-kind'), 'erc6492');
      assert.match(await page.locator('#local-check').innerText(), /Valid smart-account signature \(EIP-6492, account not deployed yet\) by 0x[0-9a-fA-F]{40}/);
      const { credential, checks } = await sandboxRecordOf(account);
      assert.deepEqual([credential.address, credential.wallet_provider], [account, 'smartContractWallet']);
      assert.deepEqual(checks.map(checkFields), [viemOnChain('/sdk/verify/link', 'smartContractWallet'), viemOnChain('/snag/api/users/connect', null)]);
      assert.match(await page.locator('#session').innerText(), /4 wallets linked/);
      // Every check ran in an eth_call: the account is still not deployed.
      assert.equal(await chain.env.publicClient.getCode({ address: account }), undefined, 'no code at the account');
      timings['EIP-6492 link (with Snag)'] = since(t0);
      await page.screenshot({ path: `${SCREENSHOTS}demo-smart-account.png`, fullPage: true });
    });

    await t.test('"stranger": a signature by a key that does not own the account fails at step verify with SIGNATURE_MISMATCH; no verify request reaches the sandbox', async () => {
      const t0 = performance.now();
      await pickExactly(DEMO_SMART_ACCOUNT_NAMES.deployed);
      await page.selectOption('#demo-behaviour', 'stranger');
      const before = await sandboxState();
      const snagBefore = server.sandbox.snagRequests().length;
      const callsBefore = (await smartWallet(0)).calls.length;
      await click('#link');
      const error = await alertOf('error');
      assert.equal(error?.code, 'SIGNATURE_MISMATCH', JSON.stringify(error));
      assert.match(error.text, /step verify/);
      assert.match(error.text, /stopped in this page and never sent/);
      assert.match(error.text, /accepted by its account contract on chain 31337/);
      const wallet = await smartWallet(0);
      assert.notEqual(wallet.lastSignature.signer, chain.owner.address.toLowerCase(), 'signed by another key');
      // The chain was asked (and refused): eth_chainId, eth_call through the wallet's provider (the
      // wallet was already connected).
      assert.deepEqual(wallet.calls.slice(callsBefore), ['personal_sign', 'eth_chainId', 'eth_call']);
      const after = await sandboxState();
      const added = after.requestLog.slice(before.requestLog.length).map((r) => r.path);
      assert.equal(added.length, 1, `only the nonce was fetched: ${added}`);
      assert.match(added[0], /\/nonce$/);
      assert.deepEqual(after.evmSignatureChecks, before.evmSignatureChecks, 'the sandbox checked no signature');
      assert.equal(server.sandbox.snagRequests().length, snagBefore);
      await page.selectOption('#demo-behaviour', 'sign');
      timings['stranger refused'] = since(t0);
    });

    await t.test('link the demo Sui wallet (chain SUI) with Snag: Dynamic\'s Sui template, checked in the page, by the sandbox with @mysten/sui (a "sui" credential) and by the backend before Snag (walletType sui)', async () => {
      const t0 = performance.now();
      await pick('Demo Sui wallet');
      assert.deepEqual(await page.locator('#demo-behaviour option').evaluateAll((os) => os.map((o) => o.value)), ['sign', 'reject', 'tamper']);
      const callsBefore = pageCalls.length;
      const snagBefore = server.sandbox.snagRequests().length;
      const checksBefore = (await sandboxState()).suiSignatureChecks.length;
      await click('#link');
      assert.equal(await alertOf('error'), null, 'no error after linking the Sui wallet');

      // The LinkResult: Dynamic's template for Sui (no Chain ID), the wallet's serialized signature.
      const result = await lastResult();
      assert.equal(result.address, demo.sui);
      assert.equal(result.walletName, 'demosui');
      assert.ok(result.message.startsWith(`${host} wants you to sign in with your Sui account:\n${demo.sui}\n\n`), result.message);
      assert.match(result.message, new RegExp(`\nURI: ${escapeRegExp(server.url)}/\nVersion: 1\nNonce: [0-9a-f]{32}\nIssued At: \\S+\nRequest ID: ${server.sandbox.environmentId}$`));
      assert.doesNotMatch(result.message, /Chain ID/);
      assert.equal(Buffer.from(result.signature, 'base64')[0], 0, 'flag 0: Ed25519');
      assert.equal(await mystenAccepts(result.message, result.signature, demo.sui), true, '@mysten/sui accepts the signature, in Node');
      assert.match(await page.locator('#local-check').innerText(), /Valid signature by 0x[0-9a-f]{64}, checked in this page in [\d,]+ µs before anything was sent/);
      assert.match(await page.locator('#session').innerText(), /5 wallets linked/);
      const shown = page.locator('#credentials li[data-chain="sui"]');
      assert.equal(await shown.getAttribute('data-address'), demo.sui);
      assert.equal(await shown.locator('.tag-sui').textContent(), 'Sui');

      // The sandbox: a "sui" credential on the signed-in user, its signature checked with @mysten/sui.
      const { state, credential } = await sandboxRecordOf(demo.sui);
      assert.deepEqual(
        [credential.chain, credential.address, credential.wallet_name, credential.wallet_provider, credential.format],
        ['sui', demo.sui, 'demosui', 'browserExtension', 'blockchain'],
      );
      assert.ok(state.nonces.some((n) => n.nonce === nonceOf(result.message) && n.usedAt !== null), 'the nonce was consumed');
      const checks = state.suiSignatureChecks.slice(checksBefore).map((c) => [c.path.replace(/^\/api\/v0\/sdk\/[^/]+/, '/sdk'), c.address, c.scheme, c.verifier, c.valid]);
      const mysten = '@mysten/sui verifyPersonalMessageSignature';
      assert.deepEqual(checks, [
        ['/sdk/verify/link', demo.sui, 'ed25519', mysten, true],
        ['/snag/api/users/connect', demo.sui, 'ed25519', mysten, true],
      ]);

      // Snag got the wallet as walletType sui, with a second signature over the backend's nonce.
      const records = server.sandbox.snagRequests().slice(snagBefore);
      assert.equal(records.length, 1);
      const snagMessage = assertSnagConnect(records[0], 'sui', demo.sui);
      assert.equal(records[0].body.walletAddress, demo.sui);
      assert.equal(withoutNonce(snagMessage), withoutNonce(result.message), "Dynamic's Sui template again, a new nonce");
      assert.equal(await mystenAccepts(snagMessage, records[0].body.verificationData.signature, demo.sui), true);
      assert.deepEqual(pageCalls.slice(callsBefore), ['GET /sdk/nonce 200', 'POST /sdk/verify/link 200', `GET ${LINK_BASE_PATH}/nonce 200`, `POST ${LINK_BASE_PATH}/snag/connect 200`]);
      assert.deepEqual(await page.evaluate(() => window.demoWallets.sui.calls), ['connect', 'signPersonalMessage', 'signPersonalMessage']);
      timings['Sui link (with Snag)'] = since(t0);
      await page.screenshot({ path: `${SCREENSHOTS}demo-sui.png`, fullPage: true });
    });

    await t.test('"Connect last wallet to Snag" with the Sui wallet: walletType sui through the backend, checked with @mysten/sui', async () => {
      const t0 = performance.now();
      const shown = await page.locator('#message').innerText();
      const before = server.sandbox.snagRequests().length;
      const callsBefore = pageCalls.length;
      const signsBefore = await page.evaluate(() => window.demoWallets.sui.calls.length);
      await click('#snag-connect');
      assert.equal(await alertOf('more-error'), null);
      assert.equal(JSON.parse(await page.locator('#more-result pre').textContent()).walletAddress, demo.sui);
      assert.deepEqual(pageCalls.slice(callsBefore), [`GET ${LINK_BASE_PATH}/nonce 200`, `POST ${LINK_BASE_PATH}/snag/connect 200`]);
      assert.deepEqual(await page.evaluate((n) => window.demoWallets.sui.calls.slice(n), signsBefore), ['signPersonalMessage']);
      const records = server.sandbox.snagRequests().slice(before);
      assert.equal(records.length, 1);
      const message = assertSnagConnect(records[0], 'sui', demo.sui);
      assert.equal(withoutNonce(message), withoutNonce(shown), 'the last proof’s format and fields');
      assert.notEqual(nonceOf(message), nonceOf(shown));
      assert.equal(await mystenAccepts(message, records[0].body.verificationData.signature, demo.sui), true);
      const last = (await sandboxState()).suiSignatureChecks.at(-1);
      assert.deepEqual([last.path, last.address, last.valid], ['/snag/api/users/connect', demo.sui, true]);
      const connections = (await sandboxState()).snag.connections.filter((c) => c.walletType === 'sui');
      assert.deepEqual(connections.map((c) => [c.walletAddress, c.websiteId, c.organizationId]), [[demo.sui, DEMO_SNAG_IDS.websiteId, DEMO_SNAG_IDS.organizationId]]);
      timings['Sui Snag button'] = since(t0);
    });

    await t.test('Sui "tamper" fails at step verify with SIGNATURE_MISMATCH and nothing is sent; "reject" is USER_REJECTED at step sign', async () => {
      const t0 = performance.now();
      const { before, snagBefore, callsBefore } = await linkTampered('Demo Sui wallet');
      assert.equal(await page.locator('#steps [data-step="verify"]').getAttribute('data-state'), 'failed');
      const after = await sandboxState();
      const added = after.requestLog.slice(before.requestLog.length).map((r) => r.path);
      assert.equal(added.length, 1, `only the nonce was fetched: ${added}`);
      assert.match(added[0], /\/nonce$/);
      assert.deepEqual(pageCalls.slice(callsBefore), ['GET /sdk/nonce 200']);
      assert.deepEqual(after.suiSignatureChecks, before.suiSignatureChecks, 'the sandbox checked no signature');
      assert.equal(server.sandbox.snagRequests().length, snagBefore, 'nothing reached Snag');
      const count = (s) => s.users.reduce((n, u) => n + u.verifiedCredentials.length, 0);
      assert.equal(count(after), count(before), 'no credential was added');

      await page.selectOption('#demo-behaviour', 'reject');
      await click('#link');
      const declined = await alertOf('error');
      assert.equal(declined?.code, 'USER_REJECTED', JSON.stringify(declined));
      assert.match(declined.text, /step sign/);
      assert.deepEqual((await sandboxState()).suiSignatureChecks, before.suiSignatureChecks);
      await page.selectOption('#demo-behaviour', 'sign');
      timings['Sui tamper + reject'] = since(t0);
    });

    /** The demo TON wallet's record in the page: its address, the bridge calls, the last connect request. */
    const tonWallet = () => page.evaluate(() => {
      const w = window.demoWallets.ton;
      return { address: w.address, calls: [...w.calls], lastRequest: w.lastRequest, behaviour: w.behaviour };
    });
    const stepStates = () => page.locator('#steps li').evaluateAll((items) => items.map((i) => `${i.dataset.step}:${i.dataset.state}`));
    /** Asserts one accepted TON connect reached Snag: the body, Snag's @ton check, @ton/crypto in Node. Returns the proof. */
    const assertTonSnag = (record, check, address) => {
      assert.deepEqual([record.method, record.path, record.status, record.apiKey], ['POST', '/snag/api/users/connect', 200, 'valid']);
      assert.deepEqual(
        [record.body.walletType, record.body.walletAddress, record.body.websiteId, record.body.organizationId],
        ['ton', address, DEMO_SNAG_IDS.websiteId, DEMO_SNAG_IDS.organizationId],
      );
      assert.deepEqual(Object.keys(record.body.verificationData), ['tonVerification']);
      const { proof, account } = record.body.verificationData.tonVerification;
      assert.deepEqual(account, { address, chain: '-239', publicKey: server.ton.publicKey, walletStateInit: server.ton.walletStateInit });
      assert.deepEqual([proof.domain.value, proof.domain.lengthBytes], [host, Buffer.byteLength(host)]);
      assert.match(proof.payload, /^[0-9A-Za-z]{22}$/, "a nonce of the backend's store");
      const digest = proofDigest(Address.parse(address), proof.domain.value, proof.timestamp, proof.payload);
      assert.equal(signVerify(digest, Buffer.from(proof.signature, 'base64'), Buffer.from(server.ton.publicKey, 'hex')), true, '@ton/crypto accepts it, in Node');
      assert.deepEqual(
        [check.seq, check.path, check.walletAddress, check.address, check.wallet, check.publicKey, check.domain, check.payload, check.verifier, check.valid],
        [record.seq, '/snag/api/users/connect', address, address, 'v4r2', server.ton.publicKey, host, proof.payload, '@ton/core + @ton/crypto', true],
      );
      return proof;
    };

    await t.test('TON: the demo TON wallet is listed (TON Connect); linking it sends a ton_proof of the backend\'s nonce, checked in the page, by the backend and by Snag\'s @ton check (walletType ton)', async () => {
      const t0 = performance.now();
      const label = page.locator('label.wallet', { hasText: 'Demo TON wallet' });
      assert.equal(await page.getByRole('radio', { name: /Demo TON wallet \(test only\)/ }).count(), 1, 'listed once');
      assert.equal(await label.locator('input').getAttribute('data-chain'), 'TON');
      assert.deepEqual(await label.locator('.tag').allTextContents(), ['TON', 'Test only']);
      assert.match(await label.locator('img').getAttribute('src'), /^data:image\/svg\+xml;base64,/);
      assert.match(await page.locator('#ton-hint').innerText(), /Dynamic is not involved for TON: its verify format for TON wallets is not documented/);
      const { address } = await tonWallet();
      assert.equal(address, server.ton.address);
      assert.match(address, /^0:[0-9a-f]{64}$/);

      await pick('Demo TON wallet');
      assert.equal(await page.locator('#sign-in').isDisabled(), true, 'a TON wallet does not sign in to Dynamic');
      assert.equal(await page.locator('#link').isDisabled(), false);
      assert.equal(await page.locator('#demo-behaviour option[value="reject"]').textContent(), 'Decline (TON Connect error 300)');
      const before = await sandboxState();
      const snagBefore = server.sandbox.snagRequests().length;
      const callsBefore = pageCalls.length;
      await click('#link');
      assert.equal(await alertOf('error'), null, 'no error after linking the TON wallet');
      assert.deepEqual(await stepStates(), ['nonce:done', 'sign:done', 'verify:done', 'snag:done']);
      assert.match(await page.locator('#local-check').innerText(), /^✓ Valid TON Connect proof \(wallet v4r2\) by 0:[0-9a-f]{64}, checked in this page in [\d,]+ µs before anything was sent\.$/);
      assert.match(await page.locator('#status').innerText(), /Linked .* \(TON\) to Snag user/);
      // The page talked to its backend only: no Dynamic call for TON.
      assert.deepEqual(pageCalls.slice(callsBefore), [`GET ${LINK_BASE_PATH}/nonce 200`, `POST ${LINK_BASE_PATH}/snag/connect 200`]);
      const wallet = await tonWallet();
      assert.deepEqual(wallet.calls, ['connect']);
      assert.equal(wallet.lastRequest.manifestUrl, `${server.url}/tonconnect-manifest.json`);

      const records = server.sandbox.snagRequests().slice(snagBefore);
      assert.equal(records.length, 1, 'one Snag call');
      const after = await sandboxState();
      const checks = after.tonProofChecks.slice(before.tonProofChecks.length);
      assert.equal(checks.length, 1);
      const proof = assertTonSnag(records[0], checks[0], address);
      assert.deepEqual(wallet.lastRequest.items, [{ name: 'ton_addr' }, { name: 'ton_proof', payload: proof.payload }], 'the wallet was asked for a proof of that nonce');
      assert.equal(await page.locator('#signature').innerText(), proof.signature, 'the page shows the proof it sent');
      assert.match(await page.locator('#message').innerText(), new RegExp(`payload:\\s+${proof.payload}`));
      const connections = after.snag.connections.filter((c) => c.walletType === 'ton');
      assert.deepEqual(connections.map((c) => [c.walletAddress, c.websiteId, c.organizationId]), [[address, DEMO_SNAG_IDS.websiteId, DEMO_SNAG_IDS.organizationId]]);
      const count = (st) => st.users.reduce((n, u) => n + u.verifiedCredentials.length, 0);
      assert.equal(count(after), count(before), 'Dynamic got no TON credential');
      assert.deepEqual(after.requestLog.slice(before.requestLog.length).map((r) => `${r.method} ${r.path} ${r.status}`), ['POST /snag/api/users/connect 200']);

      // "Connect last wallet to Snag": a new proof of a new nonce.
      await click('#snag-connect');
      assert.equal(await alertOf('more-error'), null);
      const again = server.sandbox.snagRequests().slice(snagBefore + 1);
      assert.equal(again.length, 1);
      const second = assertTonSnag(again[0], (await sandboxState()).tonProofChecks.at(-1), address);
      assert.notEqual(second.payload, proof.payload, 'a new nonce');
      assert.deepEqual(pageCalls.slice(callsBefore + 2), [`GET ${LINK_BASE_PATH}/nonce 200`, `POST ${LINK_BASE_PATH}/snag/connect 200`]);
      timings['TON link + Snag button'] = since(t0);
      await page.screenshot({ path: `${SCREENSHOTS}demo-ton.png`, fullPage: true });
    });

    await t.test('TON "tamper" is refused in the page (step verify, SIGNATURE_MISMATCH) before anything is posted; "reject" is USER_REJECTED at step sign', async () => {
      const t0 = performance.now();
      const { before, snagBefore, callsBefore } = await linkTampered('Demo TON wallet');
      assert.deepEqual(await stepStates(), ['nonce:done', 'sign:done', 'verify:failed', 'snag:pending']);
      assert.deepEqual(pageCalls.slice(callsBefore), [`GET ${LINK_BASE_PATH}/nonce 200`], 'only the nonce was fetched: nothing was posted');
      assert.equal(server.sandbox.snagRequests().length, snagBefore, 'no Snag call');
      const after = await sandboxState();
      assert.deepEqual(after.tonProofChecks, before.tonProofChecks, 'the sandbox checked no TON proof');
      assert.deepEqual(after.requestLog.slice(before.requestLog.length), [], 'the sandbox got no request at all');

      await page.selectOption('#demo-behaviour', 'reject');
      await click('#link');
      const declined = await alertOf('error');
      assert.equal(declined?.code, 'USER_REJECTED', JSON.stringify(declined));
      assert.match(declined.text, /step sign/);
      assert.equal(server.sandbox.snagRequests().length, snagBefore);
      assert.deepEqual((await sandboxState()).tonProofChecks, before.tonProofChecks);
      await page.selectOption('#demo-behaviour', 'sign');
      timings['TON tamper + reject'] = since(t0);
    });

    await t.test('without a chain the demo page lists no smart account (as ./dev demo without --anvil)', async () => {
      const t0 = performance.now();
      const plain = await startDemoServer({ port: 0, sandbox: { logErrors: false } });
      const other = await browser.newPage();
      try {
        other.on('pageerror', (e) => problems.push(`page error (no chain): ${e.message}`));
        // No `evm`; the demo TON wallet is always there (it needs no chain).
        assert.deepEqual(await (await fetch(`${plain.url}/demo-config.json`)).json(), { ton: plain.ton });
        await other.goto(`${plain.url}/`);
        await other.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
        assert.equal(await other.getByRole('radio', { name: /Demo Smart Account/ }).count(), 0);
        assert.equal(await other.getByRole('radio', { name: /Demo EVM wallet \(test only\)/ }).count(), 1);
        assert.equal(await other.getByRole('radio', { name: /Demo TON wallet \(test only\)/ }).count(), 1);
        assert.deepEqual(await other.evaluate(() => ({ smart: window.demoWallets.smartAccounts.length, chainId: window.demoWallets.evm.chainId })), { smart: 0, chainId: 1 });
      } finally {
        await other.close();
        await plain.close();
      }
      timings['no-chain page'] = since(t0);
    });

    await t.test('readable 390 px wide: no sideways scrolling', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#settings summary').click();
      await page.waitForTimeout(100);
      assert.equal(await page.locator('#snag-backend').isVisible(), true);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `the page is ${width} px wide`);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > 390.5 && e.closest('pre') === null).map((e) => e.id || e.className || e.tagName),
      );
      assert.deepEqual(wide, [], 'nothing sticks out on the right');
      await page.screenshot({ path: `${SCREENSHOTS}demo-390.png`, fullPage: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${SCREENSHOTS}demo-390-top.png` });
    });
  } finally {
    await browser.close();
    await server.close();
  }
  // The refused requests (the replayed proof's 422, the page-side attacks' 401, 409 and 422) are
  // logged by the browser as failed resource loads; nothing else may be.
  assert.deepEqual(problems.filter((p) => !/Failed to load resource: the server responded with a status of (?:401|409|422)/.test(p)), []);
});

test("the sandbox checks EVM signatures with viem on its RPC's chain: a smart account's only when the chain accepts it", { timeout: 60_000 }, async (t) => {
  const t0 = performance.now();
  const { owner } = chain;
  const stranger = privateKeyToAccount(generatePrivateKey());
  const start = async (options) => {
    const sandbox = createSandbox({ logErrors: false, ...options });
    const server = await sandbox.listen(0);
    t.after(() => server.close());
    return { sandbox, url: server.url, sdk: (path) => `${server.url}/api/v0/sdk/${sandbox.environmentId}/${path}` };
  };
  const onChain = await start({ evmRpcUrl: chain.env.url });
  const offline = await start({});
  // An RPC that is not there: a port that was free a moment ago.
  const down = await start({ evmRpcUrl: `http://127.0.0.1:${await freePort()}`, evmRpcTimeoutMs: 1000 });

  /** Signs in to `s` with a SIWE message for `address` on `chainId`, signed by `signer` (then `wrap`ped). */
  const signIn = async (s, { address, signer = owner, chainId = chain.env.chainId, wrap = (sig) => sig, walletProvider = 'smartContractWallet' }) => {
    const { nonce } = await (await fetch(s.sdk('nonce'))).json();
    const domain = new URL(s.url).host;
    const message = createSiweMessage({ domain, address, uri: `${s.url}/`, version: '1', chainId, nonce, issuedAt: new Date() });
    const signature = wrap(await signer.signMessage({ message }));
    const response = await fetch(s.sdk('verify'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signedMessage: signature, messageToSign: message, publicWalletAddress: address, chain: 'EVM', walletName: 'test', walletProvider }),
    });
    const body = await response.json();
    const credential = body.user?.verifiedCredentials?.find((c) => c.address?.toLowerCase() === address.toLowerCase());
    return { status: response.status, code: body.code, walletProvider: credential?.wallet_provider, check: s.sandbox.snapshot().evmSignatureChecks.at(-1), nonce };
  };
  const deployed = chain.deployed.address;
  const wrapUndeployed = (sig) => wrap6492(chain.accounts.factory, chain.undeployed.factoryCalldata, sig);
  const verdicts = {
    'EIP-1271, owner': await signIn(onChain, { address: deployed }),
    'EIP-1271, a stranger': await signIn(onChain, { address: deployed, signer: stranger }),
    'EIP-1271, owner, message on chain 1': await signIn(onChain, { address: deployed, chainId: 1 }),
    'EIP-6492 undeployed, owner': await signIn(onChain, { address: chain.undeployed.address, wrap: wrapUndeployed }),
    'EIP-6492 undeployed, a stranger': await signIn(onChain, { address: chain.undeployed.address, signer: stranger, wrap: wrapUndeployed }),
    'EOA': await signIn(onChain, { address: stranger.address, signer: stranger, walletProvider: 'browserExtension' }),
    'no RPC: EIP-1271, owner': await signIn(offline, { address: deployed }),
    'no RPC: EOA': await signIn(offline, { address: stranger.address, signer: stranger, walletProvider: 'browserExtension' }),
    'RPC down: EIP-1271, owner': await signIn(down, { address: deployed }),
    'RPC down: EOA': await signIn(down, { address: stranger.address, signer: stranger, walletProvider: 'browserExtension' }),
  };
  const summary = Object.fromEntries(Object.entries(verdicts).map(([k, v]) => [k, [v.status, v.code ?? null, v.walletProvider ?? null, v.check?.verifier ?? null, v.check?.valid ?? null]]));
  const viaRpc = 'viem publicClient.verifyMessage';
  const viaKey = 'viem verifyMessage';
  assert.deepEqual(summary, {
    'EIP-1271, owner': [200, null, 'smartContractWallet', viaRpc, true],
    'EIP-1271, a stranger': [422, 'invalid_verification', null, viaRpc, false],
    // The sandbox's RPC is not on chain 1: only a key's signature can be checked there.
    'EIP-1271, owner, message on chain 1': [422, 'invalid_verification', null, viaKey, false],
    'EIP-6492 undeployed, owner': [200, null, 'smartContractWallet', viaRpc, true],
    'EIP-6492 undeployed, a stranger': [422, 'invalid_verification', null, viaRpc, false],
    'EOA': [200, null, 'browserExtension', viaRpc, true],
    'no RPC: EIP-1271, owner': [422, 'invalid_verification', null, viaKey, false],
    'no RPC: EOA': [200, null, 'browserExtension', viaKey, true],
    // An RPC that cannot answer decides nothing: 503, the nonce stays unused; a key's signature needs no chain.
    'RPC down: EIP-1271, owner': [503, null, null, viaKey, false],
    'RPC down: EOA': [200, null, 'browserExtension', viaKey, true],
  });
  assert.match(verdicts['RPC down: EIP-1271, owner'].check.error, /could not answer/);
  const downNonce = down.sandbox.snapshot().nonces.find((n) => n.nonce === verdicts['RPC down: EIP-1271, owner'].nonce);
  assert.equal(downNonce.usedAt, null, 'the 503 consumed no nonce');
  assert.equal(await chain.env.publicClient.getCode({ address: chain.undeployed.address }), undefined, 'still not deployed');
  timings['sandbox verdicts (Node)'] = since(t0);
});
