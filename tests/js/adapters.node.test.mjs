// The wallet adapters (discoverEvmWallets, discoverSolanaWallets, WalletAdapter) in headless
// Chromium, each scenario in a fresh page with only the wallets it injects: EIP-6963 discovery
// and its window.ethereum fallback, the Wallet Standard register protocol and its legacy
// window.phantom.solana fallback, signing through the test-only demo wallets (checked with this
// package's verifiers and viem), user rejections, and linkWallet's SIWS path through solana:signIn.
// Sui: discoverSuiWallets finds the test-only demo Sui wallet (and no Solana-only wallet), its
// signatures verify with this package in the page and with @mysten/sui in Node, and linkWallet signs
// in with it (chain SUI) against the sandbox, which checks it with @mysten/sui.
// TON: discoverTonWallets finds the test-only demo TON wallet (a TON Connect injected bridge; not
// window properties without a usable bridge), tonProof gives its address and a tonVerification that
// verifyTonProof accepts in the page (and @ton/crypto in Node), reject is USER_REJECTED, and
// connect()/signMessage() are INVALID_ARGUMENT (TON Connect wallets connect with a proof).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as wl from 'wallet-linker';
import { verifyMessage } from 'viem';
import { verifyPersonalMessageSignature } from '@mysten/sui/verify';
import { launchChromium, serveStatic } from './browser-tools.mjs';
import { createSandbox } from '../../www/sandbox/server.mjs';
import { demoTonConfig, tonConnectManifest } from '../../www/serve.mjs';
import { Address } from '@ton/core';
import { signVerify } from '@ton/crypto';
import { proofDigest } from './ton-fixtures.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

const PAGE = `<!doctype html><meta charset="utf-8"><title>adapters</title>
<script type="importmap">{"imports":{"wallet-linker":"/pkg/index.js","@noble/curves/":"/node_modules/@noble/curves/","@noble/hashes/":"/node_modules/@noble/hashes/"}}</script>
<script type="module">
  import * as wl from 'wallet-linker';
  import * as demo from '/www/demo-wallets.js';
  import { ed25519 } from '@noble/curves/ed25519.js';
  globalThis.wl = wl;
  globalThis.demo = demo;
  globalThis.ed25519 = ed25519;
  globalThis.ready = true;
</script>`;

/** @mysten/sui's verdict on a Sui personal message (text, as UTF-8): true, or false when it throws. */
async function mystenAccepts(message, signature, address) {
  try {
    return (await verifyPersonalMessageSignature(new TextEncoder().encode(message), signature, { address })).toSuiAddress() === address;
  } catch {
    return false;
  }
}

test('discovery in Node (no window) finds nothing and checks its timeout', async () => {
  assert.deepEqual(await wl.discoverEvmWallets(0), []);
  assert.deepEqual(await wl.discoverSolanaWallets(), []);
  assert.deepEqual(await wl.discoverSuiWallets(0), []);
  assert.deepEqual(await wl.discoverTonWallets(), []);
  await assert.rejects(wl.discoverEvmWallets(-1), { code: 'INVALID_ARGUMENT', field: 'timeoutMs' });
  await assert.rejects(wl.discoverSolanaWallets('soon'), { code: 'INVALID_ARGUMENT', field: 'timeoutMs' });
  assert.throws(() => wl.WalletAdapter.fromEip1193({}), { code: 'INVALID_ARGUMENT', field: 'provider' });
  assert.throws(() => wl.WalletAdapter.fromWalletStandard({ name: 'x', chains: ['sui:mainnet'], features: {} }), { code: 'WALLET_NOT_FOUND' });
});

test('wallet adapters in headless Chromium', { timeout: 5 * 60_000 }, async (t) => {
  const server = await serveStatic(root, {
    '/__adapters.html': ['text/html', PAGE],
    '/tonconnect-manifest.json': ['application/json', JSON.stringify(tonConnectManifest('http://127.0.0.1'))],
  });
  const sandbox = await createSandbox({ logErrors: false }).listen(0);
  const browser = await launchChromium();
  const problems = [];
  /** A fresh page with `setup` run before any page script. */
  async function freshPage(setup) {
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    if (setup) await page.addInitScript(setup);
    await page.goto(`${server.url}/__adapters.html`);
    await page.waitForFunction(() => globalThis.ready === true, null, { timeout: 30_000 });
    return page;
  }
  try {
    await t.test('EIP-6963: one adapter per uuid, malformed announcements ignored, late ones heard, window.ethereum unused', async () => {
      const page = await freshPage(() => {
        const provider = (name) => ({ name, request: async ({ method }) => (method === 'eth_chainId' ? '0x1' : []) });
        const announce = (info, p) => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider: p }) }));
        const a = provider('A');
        const b = provider('B');
        window.ethereum = provider('legacy');
        window.addEventListener('eip6963:requestProvider', () => {
          announce({ uuid: 'uuid-a', name: 'Wallet A', icon: 'data:image/png;base64,AA==', rdns: 'test.a' }, a);
          announce({ uuid: 'uuid-a', name: 'Wallet A', icon: 'data:image/png;base64,AA==', rdns: 'test.a' }, a);
          announce({ uuid: 'uuid-x', name: 'No provider' }, {});
          announce({ name: 'No uuid' }, provider('C'));
          setTimeout(() => announce({ uuid: 'uuid-b', name: 'Wallet B', icon: 'data:image/png;base64,AA==', rdns: 'test.b' }, b), 20);
        });
      });
      const found = await page.evaluate(async () =>
        (await wl.discoverEvmWallets()).map((w) => ({ name: w.name, uuid: w.uuid, rdns: w.rdns, icon: w.icon, chain: w.chain, source: w.source, provider: w.provider.name })),
      );
      assert.deepEqual(found, [
        { name: 'Wallet A', uuid: 'uuid-a', rdns: 'test.a', icon: 'data:image/png;base64,AA==', chain: 'EVM', source: 'eip6963', provider: 'A' },
        { name: 'Wallet B', uuid: 'uuid-b', rdns: 'test.b', icon: 'data:image/png;base64,AA==', chain: 'EVM', source: 'eip6963', provider: 'B' },
      ]);
      // Asking again re-announces; still one adapter per wallet.
      assert.equal(await page.evaluate(async () => (await wl.discoverEvmWallets(50)).length), 2);
      await page.close();
    });

    await t.test('without EIP-6963, window.ethereum is used; eth_requestAccounts gives the EIP-55 address', async () => {
      const page = await freshPage(() => {
        window.ethereum = {
          isMetaMask: true,
          async request({ method }) {
            if (method === 'eth_requestAccounts') return ['0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359'];
            if (method === 'eth_chainId') return '0x2105';
            throw Object.assign(new Error('nope'), { code: 4200 });
          },
        };
      });
      const result = await page.evaluate(async () => {
        const [wallet, ...rest] = await wl.discoverEvmWallets(0);
        const address = await wallet.connect();
        return { count: rest.length + 1, name: wallet.name, source: wallet.source, walletName: wallet.walletName, address, stored: wallet.address, chainId: wallet.chainId };
      });
      // The EIP-55 form of this address is one of the EIP-55 specification's examples.
      assert.deepEqual(result, {
        count: 1,
        name: 'MetaMask',
        source: 'injected',
        walletName: 'metamask',
        address: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
        stored: '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
        chainId: 8453,
      });
      await page.close();
    });

    await t.test('the demo EVM wallet signs through the adapter; viem and this package verify it', async () => {
      const page = await freshPage();
      const signed = await page.evaluate(async () => {
        const evm = new demo.DemoEvmWallet().announce();
        const [wallet] = await wl.discoverEvmWallets(0);
        const message = 'héllo ✓\nsecond line';
        const signature = await wallet.signMessage(message);
        return {
          name: wallet.name,
          message,
          signature,
          address: wallet.address,
          ours: wl.verifyEvmSignature(message, signature, wallet.address),
          recovered: wl.recoverEvmAddress(message, signature),
          calls: evm.calls,
        };
      });
      assert.equal(signed.name, 'Demo EVM wallet (test only)');
      assert.deepEqual(signed.calls, ['eth_requestAccounts', 'eth_chainId', 'personal_sign']);
      assert.equal(signed.ours, true);
      assert.equal(signed.recovered, signed.address);
      assert.equal(await verifyMessage({ address: signed.address, message: signed.message, signature: signed.signature }), true, 'viem agrees');
      await page.close();
    });

    await t.test('rejections: 4001 (number or string) is USER_REJECTED, other errors WALLET_ERROR with the message', async () => {
      const page = await freshPage();
      const outcomes = await page.evaluate(async () => {
        const code = async (promise) => promise.then(() => 'resolved', (e) => `${e.code}:${e.received ?? ''}`);
        const provider = (error) => ({ request: async () => { throw error; } });
        const evm = new demo.DemoEvmWallet();
        evm.behaviour = 'reject';
        const sol = new demo.DemoSolanaWallet();
        sol.behaviour = 'reject';
        return [
          await code(wl.WalletAdapter.fromEip1193(evm).connect()),
          await code(wl.WalletAdapter.fromEip1193(provider({ code: '4001', message: 'declined' })).connect()),
          await code(wl.WalletAdapter.fromEip1193(provider({ code: -32603, message: 'internal' })).connect()),
          await code(wl.WalletAdapter.fromWalletStandard(sol).connect()),
          await code(wl.WalletAdapter.fromWalletStandard(sol).signMessage('hi')),
          await code(wl.WalletAdapter.fromEip1193(evm).signMessage(undefined)),
        ];
      });
      assert.deepEqual(outcomes, [
        'USER_REJECTED:User rejected the request.',
        'USER_REJECTED:declined',
        'WALLET_ERROR:internal',
        'USER_REJECTED:User rejected the request.',
        'USER_REJECTED:User rejected the request.',
        'INVALID_ARGUMENT:undefined',
      ]);
      await page.close();
    });

    await t.test('Wallet Standard: wallets registered before and after discovery are found, others filtered, unregister works', async () => {
      const page = await freshPage(() => {
        const wallet = (name, chains, features) => ({ version: '1.0.0', name, icon: 'data:image/png;base64,AA==', chains, accounts: [], features });
        const feature = { version: '1.0.0', connect: async () => ({ accounts: [] }), signMessage: async () => [], signIn: async () => [] };
        const register = (w) => {
          const callback = ({ register: r }) => {
            window.unregister ??= {};
            window.unregister[w.name] = r(w);
          };
          window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: callback }));
          window.addEventListener('wallet-standard:app-ready', ({ detail }) => callback(detail));
        };
        register(wallet('Early', ['solana:mainnet'], { 'standard:connect': feature, 'solana:signMessage': feature }));
        register(wallet('Sui only', ['sui:mainnet'], { 'standard:connect': feature, 'solana:signMessage': feature }));
        register(wallet('No signing', ['solana:mainnet'], { 'standard:connect': feature }));
        window.registerLate = () =>
          register(wallet('Late, sign-in only', ['solana:devnet'], { 'standard:connect': feature, 'solana:signIn': feature }));
      });
      const names = await page.evaluate(async () => {
        setTimeout(() => window.registerLate(), 20);
        const first = await wl.discoverSolanaWallets();
        const canSignIn = first.map((w) => w.canSignIn);
        window.unregister.Early();
        const second = await wl.discoverSolanaWallets(0);
        return { first: first.map((w) => `${w.name}/${w.source}/${w.chain}`), canSignIn, second: second.map((w) => w.name) };
      });
      assert.deepEqual(names, {
        first: ['Early/wallet-standard/SOL', 'Late, sign-in only/wallet-standard/SOL'],
        canSignIn: [false, true],
        second: ['Late, sign-in only'],
      });
      await page.close();
    });

    await t.test('legacy window.phantom.solana is the fallback; its signature verifies', async () => {
      const page = await freshPage();
      const result = await page.evaluate(async () => {
        const secretKey = ed25519.utils.randomSecretKey();
        const publicKey = ed25519.getPublicKey(secretKey);
        const address = demo.base58(publicKey);
        let asked;
        window.phantom = {
          solana: {
            isPhantom: true,
            connect: async () => ({ publicKey: { toBase58: () => address } }),
            signMessage: async (bytes, display) => {
              asked = display;
              return { signature: ed25519.sign(bytes, secretKey), publicKey };
            },
          },
        };
        const [wallet, ...rest] = await wl.discoverSolanaWallets(0);
        const signature = await wallet.signMessage('sign me');
        return {
          count: rest.length + 1,
          name: wallet.name,
          source: wallet.source,
          address: wallet.address === address,
          asked,
          valid: wl.verifySolanaSignature('sign me', signature, address),
          otherMessage: wl.verifySolanaSignature('sign me!', signature, address),
        };
      });
      assert.deepEqual(result, { count: 1, name: 'Phantom', source: 'legacy-injected', address: true, asked: 'utf8', valid: true, otherMessage: false });
      await page.close();
    });

    await t.test('the demo Solana wallet: signMessage and solana:signIn through the adapter, tampering detected', async () => {
      const page = await freshPage();
      const result = await page.evaluate(async () => {
        const sol = new demo.DemoSolanaWallet().register();
        const [wallet] = await wl.discoverSolanaWallets(0);
        const signature = await wallet.signMessage('hello');
        const signIn = await wallet.signIn({ domain: location.host, nonce: 'n0nce12345678', statement: 'Sign in to the test.', version: '1' });
        const checked = wl.verifySolanaSignIn({ message: signIn.message, signature: signIn.signature, publicKey: sol.address, domain: location.host, nonce: 'n0nce12345678' });
        sol.behaviour = 'tamper';
        const tampered = await wallet.signMessage('hello');
        return {
          name: wallet.name,
          canSignIn: wallet.canSignIn,
          valid: wl.verifySolanaSignature('hello', signature, sol.address),
          signInAddress: signIn.address === sol.address,
          checkedStatement: checked.statement,
          tamperedValid: wl.verifySolanaSignature('hello', tampered, sol.address),
        };
      });
      assert.deepEqual(result, {
        name: 'Demo Solana wallet (test only)',
        canSignIn: true,
        valid: true,
        signInAddress: true,
        checkedStatement: 'Sign in to the test.',
        tamperedValid: false,
      });
      await page.close();
    });

    await t.test('Sui: discoverSuiWallets finds the demo Sui wallet (not a Solana-only one); lowercase address; signatures verify in the page and with @mysten/sui; USER_REJECTED', async () => {
      const page = await freshPage(() => {
        // A wallet on a Sui chain that cannot sign personal messages: not a usable Sui wallet.
        const wallet = {
          version: '1.0.0', name: 'Sui, no signing', icon: 'data:image/png;base64,AA==', chains: ['sui:mainnet'], accounts: [],
          features: { 'standard:connect': { version: '1.0.0', connect: async () => ({ accounts: [] }) } },
        };
        const callback = ({ register }) => register(wallet);
        window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: callback }));
        window.addEventListener('wallet-standard:app-ready', ({ detail }) => callback(detail));
      });
      const result = await page.evaluate(async () => {
        new demo.DemoSolanaWallet().register();
        const sui = new demo.DemoSuiWallet().register();
        const found = await wl.discoverSuiWallets(0);
        const solana = await wl.discoverSolanaWallets(0);
        const [wallet] = found;
        const address = await wallet.connect();
        // Over 127 bytes: a two-byte length prefix.
        const message = `héllo Sui ✓\n${'x'.repeat(200)}`;
        const signature = await wallet.signMessage(message);
        // A wallet that reports its account in upper-case hex: the adapter's address is lower case.
        const upperAccount = { ...sui.account, address: `0x${sui.address.slice(2).toUpperCase()}` };
        const shouting = {
          version: '1.0.0', name: 'Upper-case Sui', icon: sui.icon, chains: sui.chains, accounts: [],
          features: {
            'standard:connect': { version: '1.0.0', connect: async () => ({ accounts: [upperAccount] }) },
            'sui:signPersonalMessage': sui.features['sui:signPersonalMessage'],
          },
        };
        const upper = wl.WalletAdapter.fromWalletStandard(shouting);
        const upperAddress = await upper.connect();
        const upperSignature = await upper.signMessage('case');
        sui.behaviour = 'tamper';
        const tampered = await wallet.signMessage(message);
        sui.behaviour = 'reject';
        const code = (promise) => promise.then(() => 'resolved', (e) => `${e.code}:${e.received ?? ''}`);
        const rejected = [await code(wallet.signMessage(message)), await code(wl.WalletAdapter.fromWalletStandard(sui).connect())];
        return {
          found: found.map((w) => `${w.name}/${w.source}/${w.chain}`),
          solana: solana.map((w) => w.name),
          walletName: wallet.walletName,
          address,
          adapterAddress: wallet.address,
          expected: sui.address,
          message,
          signature,
          inPage: wl.verifySuiPersonalMessage(message, signature, address),
          otherMessage: wl.verifySuiPersonalMessage(`${message}!`, signature, address),
          upperAddress,
          upperSignature,
          upperValid: wl.verifySuiPersonalMessage('case', upperSignature, upperAddress),
          tampered,
          tamperedValid: wl.verifySuiPersonalMessage(message, tampered, address),
          rejected,
          calls: sui.calls,
        };
      });
      assert.deepEqual(result.found, ['Demo Sui wallet (test only)/wallet-standard/SUI']);
      assert.deepEqual(result.solana, ['Demo Solana wallet (test only)'], 'the Sui wallet is not a Solana one either');
      assert.match(result.address, /^0x[0-9a-f]{64}$/);
      assert.equal(result.address, result.expected);
      assert.equal(result.adapterAddress, result.expected);
      assert.equal(result.upperAddress, result.expected, 'upper-case hex from the wallet, lower case from the adapter');
      assert.equal(result.inPage, true, 'verifySuiPersonalMessage in the page');
      assert.equal(result.otherMessage, false);
      assert.equal(result.upperValid, true);
      assert.equal(await mystenAccepts(result.message, result.signature, result.address), true, '@mysten/sui agrees, in Node');
      assert.equal(await mystenAccepts('case', result.upperSignature, result.address), true);
      assert.equal(result.tamperedValid, false);
      assert.equal(await mystenAccepts(result.message, result.tampered, result.address), false, '@mysten/sui refuses the tampered one too');
      assert.deepEqual(result.rejected, ['USER_REJECTED:User rejected the request.', 'USER_REJECTED:User rejected the request.']);
      assert.deepEqual(result.calls, ['connect', 'signPersonalMessage', 'signPersonalMessage', 'signPersonalMessage', 'signPersonalMessage', 'connect']);
      await page.close();
    });

    await t.test('linkWallet with chain SUI signs in the demo Sui wallet against the sandbox (checked there with @mysten/sui)', async () => {
      const page = await freshPage();
      const environmentId = sandbox.environmentId ?? (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()).environmentId;
      const result = await page.evaluate(
        async ({ baseUrl, environmentId }) => {
          const sui = new demo.DemoSuiWallet().register();
          const [wallet] = await wl.discoverSuiWallets(0);
          const dynamic = new wl.DynamicClient({ environmentId, baseUrl });
          const linked = await wl.linkWallet({ dynamic, wallet, chain: 'SUI', environmentId, walletName: 'demosui' });
          return { mode: linked.mode, chain: linked.chain, address: linked.address, expected: sui.address, message: linked.message, signature: linked.signature };
        },
        { baseUrl: `${sandbox.url}/api/v0`, environmentId },
      );
      assert.equal(result.mode, 'signIn');
      assert.equal(result.address, result.expected);
      assert.match(result.message, new RegExp(`^127\\.0\\.0\\.1:\\d+ wants you to sign in with your Sui account:\\n${result.address}\\n`));
      assert.doesNotMatch(result.message, /Chain ID/);
      assert.equal(await mystenAccepts(result.message, result.signature, result.address), true);
      const state = await (await fetch(`${sandbox.url}/__sandbox/state`)).json();
      const credential = state.users.flatMap((u) => u.verifiedCredentials).find((c) => c.address === result.address);
      assert.deepEqual([credential?.chain, credential?.wallet_name], ['sui', 'demosui']);
      const check = state.suiSignatureChecks.at(-1);
      assert.deepEqual([check.address, check.scheme, check.verifier, check.valid], [result.address, 'ed25519', '@mysten/sui verifyPersonalMessageSignature', true]);
      await page.close();
    });

    await t.test('TON: discoverTonWallets finds the demo TON bridge only; tonProof verifies in the page and with @ton/crypto; reject is USER_REJECTED; connect/signMessage INVALID_ARGUMENT', async () => {
      const ton = await demoTonConfig();
      const page = await freshPage(() => {
        // Window properties that are not usable TON Connect bridges.
        window.notABridge = { tonconnect: { walletInfo: { name: 'No connect' }, connect: 'nope' } };
        window.nullBridge = { tonconnect: null };
        Object.defineProperty(window, 'throwingGetter', { enumerable: true, get() { throw new Error('no'); } });
      });
      const result = await page.evaluate(async (config) => {
        const wallet = new demo.DemoTonWallet(config).install();
        // The same bridge under a second name is one wallet; `window`'s own aliases (self, top,
        // frames, parent) are not wallets.
        window.sameBridgeAgain = window.demoTonWallet;
        const found = await wl.discoverTonWallets();
        const [adapter] = found;
        const payload = 'Q7bYk2VmL0pXr4TnW8cZsA';
        const manifestUrl = `${location.origin}/tonconnect-manifest.json`;
        const { address, tonVerification } = await adapter.tonProof({ payload, manifestUrl });
        const checked = wl.verifyTonProof({ ...tonVerification, domain: location.host, payload });
        const code = (promise) => promise.then(() => 'resolved', (e) => e.code);
        const refused = (options) => {
          try {
            wl.verifyTonProof({ ...tonVerification, domain: location.host, payload, ...options });
            return 'accepted';
          } catch (e) {
            return e.code;
          }
        };
        const misuse = [await code(adapter.connect()), await code(adapter.signMessage('hi'))];
        wallet.behaviour = 'tamper';
        const tampered = await adapter.tonProof({ payload, manifestUrl });
        let tamperedCode = 'accepted';
        try {
          wl.verifyTonProof({ ...tampered.tonVerification, domain: location.host, payload });
        } catch (e) {
          tamperedCode = e.code;
        }
        wallet.behaviour = 'reject';
        const rejected = await adapter.tonProof({ payload, manifestUrl }).then(() => 'resolved', (e) => `${e.code}`);
        return {
          found: found.map((w) => `${w.name}/${w.chain}/${w.source}`),
          provider: adapter.provider === wallet.tonconnect,
          icon: adapter.icon === wallet.tonconnect.walletInfo.image,
          address,
          adapterAddress: adapter.address,
          host: location.host,
          tonVerification,
          checked: { address: checked.address, wallet: checked.wallet, publicKey: checked.publicKey, chain: checked.chain },
          otherPayload: refused({ payload: `${payload}x` }),
          otherDomain: refused({ domain: 'evil.example' }),
          misuse,
          tamperedCode,
          rejected,
          request: wallet.lastRequest,
          calls: wallet.calls,
        };
      }, ton);
      assert.deepEqual(result.found, ['Demo TON wallet (test only)/TON/injected']);
      assert.equal(result.provider, true, "the adapter's provider is the bridge");
      assert.equal(result.icon, true, 'the icon is walletInfo.image');
      assert.equal(result.address, ton.address);
      assert.equal(result.adapterAddress, ton.address);
      assert.deepEqual(result.checked, { address: ton.address, wallet: 'v4r2', publicKey: ton.publicKey, chain: '-239' });
      const { proof, account } = result.tonVerification;
      assert.deepEqual(account, { address: ton.address, chain: '-239', publicKey: ton.publicKey, walletStateInit: ton.walletStateInit });
      assert.equal(proof.state_init, ton.walletStateInit);
      assert.deepEqual([proof.domain.value, proof.payload], [result.host, 'Q7bYk2VmL0pXr4TnW8cZsA']);
      const digest = proofDigest(Address.parse(account.address), proof.domain.value, proof.timestamp, proof.payload);
      assert.equal(signVerify(digest, Buffer.from(proof.signature, 'base64'), Buffer.from(ton.publicKey, 'hex')), true, '@ton/crypto agrees, in Node');
      assert.notEqual(result.otherPayload, 'accepted');
      assert.notEqual(result.otherDomain, 'accepted');
      assert.deepEqual(result.misuse, ['INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
      assert.equal(result.tamperedCode, 'SIGNATURE_MISMATCH');
      assert.equal(result.rejected, 'USER_REJECTED');
      assert.deepEqual(result.request.items, [{ name: 'ton_addr' }, { name: 'ton_proof', payload: 'Q7bYk2VmL0pXr4TnW8cZsA' }]);
      assert.deepEqual(result.calls, ['connect', 'connect', 'connect'], 'connect()/signMessage() never reached the wallet');
      await page.close();
    });

    await t.test('linkWallet with SIWS signs in through solana:signIn against the sandbox', async () => {
      const page = await freshPage();
      const environmentId = sandbox.environmentId ?? (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()).environmentId;
      const result = await page.evaluate(
        async ({ baseUrl, environmentId }) => {
          const sol = new demo.DemoSolanaWallet().register();
          const [wallet] = await wl.discoverSolanaWallets(0);
          const dynamic = new wl.DynamicClient({ environmentId, baseUrl });
          const linked = await wl.linkWallet({ dynamic, wallet, environmentId, messageFormat: 'siws', walletName: 'demosolana' });
          return { mode: linked.mode, address: linked.address, expected: sol.address, calls: sol.calls, message: linked.message, micros: linked.localCheck.micros };
        },
        { baseUrl: `${sandbox.url}/api/v0`, environmentId },
      );
      assert.equal(result.mode, 'signIn');
      assert.equal(result.address, result.expected);
      assert.deepEqual(result.calls, ['signIn'], 'the wallet built the message itself');
      assert.match(result.message, /^127\.0\.0\.1:\d+ wants you to sign in with your Solana account:\n/);
      assert.ok(result.micros >= 0);
      const state = await (await fetch(`${sandbox.url}/__sandbox/state`)).json();
      assert.ok(state.users.some((u) => u.verifiedCredentials.some((c) => c.address === result.address)), 'the sandbox linked the wallet');
      await page.close();
    });
  } finally {
    await browser.close();
    await server.close();
    await sandbox.close();
  }
  assert.deepEqual(problems, []);
});
