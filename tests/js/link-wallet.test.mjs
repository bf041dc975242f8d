// linkWallet: the whole flow against the sandbox (real HTTP), and each step's failure with its
// code and step, using duck-typed clients and wallets. Portable: runs in Node and, bundled, in
// headless Chromium (which sets globalThis.SANDBOX_URL).
import { test, assert } from './harness.mjs';
import * as wl from 'wallet-linker';
import { sandboxUrl, closeSandbox } from './sandbox-url.mjs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { parseSiweMessage } from 'viem/siwe';
import { ed25519 } from '@noble/curves/ed25519.js';
import { parseSignInMessageText } from '@solana/wallet-standard-util';
import bs58 from 'bs58';


async function control(path, init = {}) {
  const response = await fetch(`${sandboxUrl}/__sandbox/${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return response.json();
}
const sandboxState = () => control('state');
const { environmentId } = await sandboxState();
const apiBase = `${sandboxUrl}/api/v0`;

// The message's domain and URI: the page's in a browser (the sandbox compares the domain with the
// Origin header), a loopback host in Node (no Origin header, no location to default from).
const inPage = typeof location !== 'undefined' && Boolean(location.host);
const domain = inPage ? location.host : 'localhost:5173';
const uri = inPage ? `${location.origin}/` : 'http://localhost:5173/';
const where = { domain, uri, environmentId };

const dynamic = (options = {}) => new wl.DynamicClient({ environmentId, baseUrl: apiBase, ...options });
const snag = () => new wl.SnagClient({ baseUrl: `${sandboxUrl}/proxy/snag` });

function evmSigner() {
  const account = privateKeyToAccount(generatePrivateKey());
  return { account, address: account.address, sign: (message) => account.signMessage({ message }) };
}

function solanaSigner() {
  const secretKey = ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(secretKey);
  return {
    address: bs58.encode(publicKey),
    sign: (message) => ed25519.sign(new TextEncoder().encode(message), secretKey),
  };
}

/** A Dynamic client stand-in that records calls and answers like the service. */
function mockDynamic({ nonce = 'abcdef0123456789', authToken } = {}) {
  const calls = [];
  const answer = (request) => ({
    jwt: 'new.jwt.token',
    expiresAt: 1,
    user: { id: 'user-1', projectEnvironmentId: environmentId, verifiedCredentials: [{ id: 'c1', format: 'blockchain', address: request.publicWalletAddress, signInEnabled: true }] },
  });
  return {
    calls,
    authToken,
    getNonce: async () => (calls.push(['getNonce']), nonce),
    verify: async (request) => (calls.push(['verify', request]), answer(request)),
    verifyLink: async (request) => (calls.push(['verifyLink', request]), answer(request)),
  };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

function assertCoded(error, code, step) {
  assert.ok(wl.isWalletLinkerError(error), `a WalletLinkerError, got ${error}`);
  assert.equal(error.code, code, error.message);
  assert.equal(error.step, step, `step of ${error.code}: ${error.message}`);
}

// ---------------------------------------------------------------------------------------------
// Through the sandbox

test('linkWallet signs in with an EVM wallet, links a Solana wallet, connects Snag both ways', async () => {
  const client = dynamic();
  const evm = evmSigner();
  const steps = [];
  const signedIn = await wl.linkWallet({
    ...where,
    dynamic: client,
    chain: 'EVM',
    address: evm.address.toLowerCase(),
    walletName: 'metamask',
    signMessage: evm.sign,
    onStep: (step) => steps.push(step),
    snag: { client: snag(), websiteId: 'site-1', organizationId: 'org-1' },
  });
  assert.deepEqual(steps, ['connect', 'nonce', 'message', 'sign', 'verify', 'link', 'snag']);
  assert.equal(signedIn.mode, 'signIn', 'no JWT yet: the flow signs in');
  assert.equal(signedIn.address, evm.address, 'the EIP-55 form is sent');
  assert.equal(client.authToken, signedIn.jwt, 'the client keeps the new JWT');
  assert.equal(signedIn.localCheck.ok, true);
  assert.equal(signedIn.localCheck.address, evm.address);
  assert.ok(Number.isFinite(signedIn.localCheck.micros) && signedIn.localCheck.micros >= 0);
  assert.equal(await evm.account.signMessage({ message: signedIn.message }), signedIn.signature, 'the signature is over the returned message');
  assert.ok(signedIn.message.startsWith(`${domain} wants you to sign in with your Ethereum account:\n${evm.address}\n\n`));
  assert.match(signedIn.message, new RegExp(`\\nRequest ID: ${environmentId}$`));
  assert.equal(signedIn.snag.walletAddress, evm.address);

  const sol = solanaSigner();
  const linked = await wl.linkWallet({
    ...where,
    dynamic: client,
    chain: 'SOL',
    address: sol.address,
    walletName: 'phantom',
    signMessage: sol.sign,
    snag: { client: snag(), websiteId: 'site-1', organizationId: 'org-1', proof: 'dynamicAuthToken' },
  });
  assert.equal(linked.mode, 'link');
  assert.equal(linked.user.id, signedIn.user.id);
  assert.deepEqual(
    linked.verifiedCredentials.filter((c) => c.format === 'blockchain').map((c) => c.address).sort(),
    [evm.address, sol.address].sort(),
  );
  assert.equal(bs58.decode(linked.signature).length, 64, 'a Solana signature is sent as base58');
  assert.ok(!/\nChain ID:/.test(linked.message), "Dynamic's Solana template has no Chain ID");

  const state = await sandboxState();
  const user = state.users.find((u) => u.id === signedIn.user.id);
  assert.deepEqual(user.verifiedCredentials.filter((c) => c.format === 'blockchain').map((c) => c.address).sort(), [evm.address, sol.address].sort());
  const connections = state.snag.connections.filter((c) => [evm.address, sol.address].includes(c.walletAddress));
  assert.deepEqual(connections.map((c) => c.walletType).sort(), ['evm', 'solana']);
});

test('linkWallet with SIWE and SIWS messages that independent parsers read back', async () => {
  const client = dynamic();
  const evm = evmSigner();
  const siwe = await wl.linkWallet({ ...where, dynamic: client, chain: 'EVM', address: evm.address, walletName: 'metamask', signMessage: evm.sign, messageFormat: 'siwe', chainId: 10, appName: 'Test App' });
  const fields = parseSiweMessage(siwe.message);
  assert.equal(fields.address, evm.address);
  assert.equal(fields.domain, domain);
  assert.equal(fields.chainId, 10);
  assert.equal(fields.requestId, environmentId);
  assert.match(fields.statement, /^Welcome to Test App\. /);

  const sol = solanaSigner();
  const siws = await wl.linkWallet({ ...where, dynamic: client, chain: 'SOL', address: sol.address, walletName: 'phantom', signMessage: sol.sign, messageFormat: 'siws', chainId: 'devnet' });
  assert.equal(siws.mode, 'link');
  const input = parseSignInMessageText(siws.message);
  assert.equal(input.address, sol.address);
  assert.equal(input.domain, domain);
  assert.equal(input.chainId, 'devnet');
  assert.equal(input.version, '1');
  assert.ok(input.nonce && input.issuedAt);
});

test('a replayed nonce reaches the server and is refused there (HTTP 422 at step "link")', async () => {
  const real = dynamic();
  const nonce = await real.getNonce();
  // Same nonce twice: the second proof is valid locally, so only the server can refuse it.
  const pinned = { getNonce: async () => nonce, verify: (r) => real.verify(r), verifyLink: (r) => real.verifyLink(r) };
  const evm = evmSigner();
  const options = { ...where, dynamic: pinned, chain: 'EVM', address: evm.address, walletName: 'metamask', signMessage: evm.sign, mode: 'signIn' };
  await wl.linkWallet(options);
  const error = await rejection(wl.linkWallet(options));
  assertCoded(error, 'HTTP_ERROR', 'link');
  assert.equal(error.status, 422);
  assert.equal(error.apiCode, 'invalid_verification');
});

test('a failing nonce request keeps its code and names step "nonce"', async () => {
  const error = await rejection(
    wl.linkWallet({ ...where, dynamic: dynamic({ environmentId: 'no-such-environment', maxRetries: 0 }), chain: 'EVM', address: evmSigner().address, walletName: 'x', signMessage: () => '0x' }),
  );
  assertCoded(error, 'HTTP_ERROR', 'nonce');
  assert.ok(error.status >= 400);
});

// ---------------------------------------------------------------------------------------------
// Local verification and the steps, with stand-ins

test('a signature over other bytes is stopped locally: verifyLink is never called', async () => {
  const evm = evmSigner();
  const mock = mockDynamic({ authToken: 'jwt' });
  const error = await rejection(
    wl.linkWallet({ ...where, dynamic: mock, chain: 'EVM', address: evm.address, walletName: 'metamask', signMessage: (m) => evm.sign(`${m}!`) }),
  );
  assertCoded(error, 'SIGNATURE_MISMATCH', 'verify');
  assert.deepEqual(mock.calls.map(([name]) => name), ['getNonce']);

  const sol = solanaSigner();
  const other = solanaSigner();
  const solError = await rejection(
    wl.linkWallet({ ...where, dynamic: mock, chain: 'SOL', address: sol.address, walletName: 'phantom', signMessage: other.sign }),
  );
  assertCoded(solError, 'SIGNATURE_MISMATCH', 'verify');
  assert.deepEqual(mock.calls.map(([name]) => name), ['getNonce', 'getNonce']);
});

test('a malformed signature is refused locally with its format code', async () => {
  const mock = mockDynamic({ authToken: 'jwt' });
  const evmError = await rejection(wl.linkWallet({ ...where, dynamic: mock, chain: 'EVM', address: evmSigner().address, walletName: 'm', signMessage: () => '0x1234' }));
  assertCoded(evmError, 'INVALID_SIGNATURE_LENGTH', 'verify');
  const solError = await rejection(wl.linkWallet({ ...where, dynamic: mock, chain: 'SOL', address: solanaSigner().address, walletName: 'p', signMessage: () => new Uint8Array(63) }));
  assertCoded(solError, 'INVALID_SIGNATURE_LENGTH', 'verify');
  assert.equal(mock.calls.filter(([name]) => name !== 'getNonce').length, 0);
});

test('the request sent to Dynamic is the proof that was checked', async () => {
  const evm = evmSigner();
  const mock = mockDynamic({ authToken: 'jwt' });
  const result = await wl.linkWallet({ ...where, dynamic: mock, chain: 'EVM', address: evm.address.toLowerCase(), walletName: 'metamask', signMessage: evm.sign });
  const [[, request]] = mock.calls.filter(([name]) => name === 'verifyLink');
  assert.deepEqual(request, {
    signedMessage: result.signature,
    messageToSign: result.message,
    publicWalletAddress: evm.address,
    chain: 'EVM',
    walletName: 'metamask',
    walletProvider: 'browserExtension',
  });
  assert.match(result.message, /\nNonce: abcdef0123456789\n/);
  assert.match(result.message, /\nChain ID: 1\n/);
  assert.equal(result.jwt, 'new.jwt.token');
});

test("a duck-typed client's methods run on the caller's own object (its this and state)", async () => {
  const evm = evmSigner();
  const client = {
    authToken: 'jwt',
    nonces: ['abcdef0123456789'],
    sent: [],
    async getNonce() {
      return this.nonces.shift();
    },
    async verify() {
      throw new Error('not expected');
    },
    async verifyLink(request) {
      this.sent.push(request);
      return { user: { id: 'u', projectEnvironmentId: environmentId, verifiedCredentials: [] }, expiresAt: 1 };
    },
  };
  const result = await wl.linkWallet({ ...where, dynamic: client, chain: 'EVM', address: evm.address, walletName: 'm', signMessage: evm.sign });
  assert.deepEqual(client.nonces, [], 'getNonce ran with this = the client');
  assert.equal(client.sent.length, 1);
  assert.equal(client.sent[0].messageToSign, result.message);
  assert.equal(result.jwt, undefined, 'no jwt in the response, none in the result');
});

test('wallet refusals: 4001 is USER_REJECTED, other throws WALLET_ERROR, both at step "sign"', async () => {
  const base = { ...where, dynamic: mockDynamic(), chain: 'EVM', address: evmSigner().address, walletName: 'm' };
  const rejected = await rejection(
    wl.linkWallet({ ...base, signMessage: async () => { throw Object.assign(new Error('User rejected the request.'), { code: 4001 }); } }),
  );
  assertCoded(rejected, 'USER_REJECTED', 'sign');
  assert.equal(rejected.received, 'User rejected the request.');
  const broken = await rejection(wl.linkWallet({ ...base, signMessage: () => { throw new Error('device unplugged'); } }));
  assertCoded(broken, 'WALLET_ERROR', 'sign');
  assert.match(broken.message, /device unplugged/);
});

test('a wallet object: connect() gives the address, signMessage() signs, walletName and chain come from it', async () => {
  const evm = evmSigner();
  const calls = [];
  const wallet = {
    chain: 'EVM',
    walletName: 'examplewallet',
    chainId: 8453,
    connect: async () => (calls.push('connect'), evm.address.toLowerCase()),
    signMessage: async (message) => (calls.push('signMessage'), evm.sign(message)),
  };
  const mock = mockDynamic({ authToken: 'jwt' });
  const result = await wl.linkWallet({ ...where, dynamic: mock, wallet });
  assert.deepEqual(calls, ['connect', 'signMessage']);
  assert.equal(result.walletName, 'examplewallet');
  assert.match(result.message, /\nChain ID: 8453\n/);
  const rejecting = { ...wallet, connect: async () => { throw Object.assign(new Error('no'), { code: 4001 }); } };
  assertCoded(await rejection(wl.linkWallet({ ...where, dynamic: mock, wallet: rejecting })), 'USER_REJECTED', 'connect');
});

test('SIWS through a wallet signIn(): the wallet writes the message, the page checks its nonce and domain', async () => {
  const secretKey = ed25519.utils.randomSecretKey();
  const address = bs58.encode(ed25519.getPublicKey(secretKey));
  const signInWallet = (edit = (input) => input) => ({
    chain: 'SOL',
    walletName: 'phantom',
    canSignIn: true,
    signMessage: async () => assert.fail('signIn is used instead'),
    async signIn(input) {
      const fields = edit({ ...input, address });
      const message = wl.createSolanaSignInMessage(fields);
      return { address, message, signature: bs58.encode(ed25519.sign(new TextEncoder().encode(message), secretKey)) };
    },
  });
  const mock = mockDynamic({ authToken: 'jwt' });
  const result = await wl.linkWallet({ ...where, dynamic: mock, wallet: signInWallet(), messageFormat: 'siws' });
  assert.equal(result.address, address);
  assert.equal(parseSignInMessageText(result.message).nonce, 'abcdef0123456789');
  assert.deepEqual(mock.calls.map(([name]) => name), ['getNonce', 'verifyLink']);

  const stale = await rejection(
    wl.linkWallet({ ...where, dynamic: mock, wallet: signInWallet((i) => ({ ...i, nonce: 'zzzzzzzzzzzz' })), messageFormat: 'siws' }),
  );
  assertCoded(stale, 'NONCE_MISMATCH', 'verify');
  const elsewhere = await rejection(
    wl.linkWallet({ ...where, dynamic: mock, wallet: signInWallet((i) => ({ ...i, domain: 'evil.example' })), messageFormat: 'siws' }),
  );
  assertCoded(elsewhere, 'DOMAIN_MISMATCH', 'verify');
  assert.equal(mock.calls.filter(([name]) => name === 'verifyLink').length, 1, 'neither bad proof was sent');
});

test('an AbortSignal stops the flow while the wallet is waiting', async () => {
  const controller = new AbortController();
  const pending = wl.linkWallet({
    ...where,
    dynamic: mockDynamic(),
    chain: 'EVM',
    address: evmSigner().address,
    walletName: 'm',
    signal: controller.signal,
    signMessage: () => new Promise(() => {}),
    onStep: (step) => step === 'sign' && setTimeout(() => controller.abort(), 10),
  });
  assertCoded(await rejection(pending), 'ABORTED', 'sign');
  const already = await rejection(wl.linkWallet({ ...where, dynamic: mockDynamic(), chain: 'EVM', address: evmSigner().address, walletName: 'm', signal: AbortSignal.abort(), signMessage: () => '0x' }));
  assert.equal(already.code, 'ABORTED');
});

test('bad options are INVALID_ARGUMENT or UNSUPPORTED_CHAIN naming the field', async () => {
  const ok = { ...where, dynamic: mockDynamic(), chain: 'EVM', address: evmSigner().address, walletName: 'm', signMessage: () => '0x' };
  const cases = [
    [undefined, 'INVALID_ARGUMENT', 'options'],
    [{ ...ok, dynamic: {} }, 'INVALID_ARGUMENT', 'dynamic'],
    [{ ...ok, signMessage: undefined }, 'INVALID_ARGUMENT', 'wallet'],
    [{ ...ok, signMessage: 'sign' }, 'INVALID_ARGUMENT', 'signMessage'],
    [{ ...ok, chain: 'TON' }, 'UNSUPPORTED_CHAIN', 'chain'],
    [{ ...ok, messageFormat: 'siws' }, 'INVALID_ARGUMENT', 'messageFormat'],
    [{ ...ok, environmentId: undefined }, 'INVALID_ARGUMENT', 'environmentId'],
    [{ ...ok, signal: {} }, 'INVALID_ARGUMENT', 'signal'],
    [{ ...ok, chainId: 1.5 }, 'INVALID_ARGUMENT', 'chainId'],
  ];
  for (const [options, code, field] of cases) {
    const error = await rejection(wl.linkWallet(options));
    assert.equal(error.code, code, `${field}: ${error.message}`);
    assert.equal(error.field, field, `${code}: ${error.message}`);
  }
  const badAddress = await rejection(wl.linkWallet({ ...ok, address: '0x1234' }));
  assertCoded(badAddress, 'INVALID_ADDRESS', 'connect');
  if (!inPage) {
    // Without a location there is nothing to default the domain from.
    const error = await rejection(wl.linkWallet({ ...ok, domain: undefined }));
    assert.equal(error.field, 'domain');
  }
});

test('close the sandbox', async () => {
  await closeSandbox();
});
