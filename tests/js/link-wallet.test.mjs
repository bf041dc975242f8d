// linkWallet: the whole flow against the sandbox (real HTTP), and each step's failure with its
// code and step, using duck-typed clients and wallets. Snag is reached as a page reaches it,
// through the dapp's link server (createLinkServer, started next to the sandbox by the harness,
// with a LinkServerClient), and as a server reaches it (a SnagClient holding the key).
// Portable: runs in Node and, bundled, in headless Chromium (which sets globalThis.SANDBOX_URL and
// globalThis.LINK_SERVER_URL).
import { test, assert, platform } from './harness.mjs';
import * as wl from 'wallet-linker';
import { sandboxUrl, closeSandbox, linkServerUrl, linkDomain, LINK_SNAG_IDS } from './sandbox-url.mjs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { parseSiweMessage } from 'viem/siwe';
import { ed25519 } from '@noble/curves/ed25519.js';
import { parseSignInMessageText } from '@solana/wallet-standard-util';
import bs58 from 'bs58';

// The sandbox's default Snag key (createSandbox() without options).
const SNAG_API_KEY = 'sandbox-snag-key';

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
// Origin header), a loopback host in Node (no Origin header, no location to default from). The
// link server accepts proofs for this domain only.
const inPage = typeof location !== 'undefined' && Boolean(location.host);
const domain = linkDomain;
const uri = inPage ? `${location.origin}/` : `http://${domain}/`;
const where = { domain, uri, environmentId };

const dynamic = (options = {}) => new wl.DynamicClient({ environmentId, baseUrl: apiBase, ...options });
/** The page's way to Snag: the dapp's link server, which holds the key and decides the Snag ids. */
const linkClient = (options = {}) => new wl.LinkServerClient({ baseUrl: linkServerUrl, ...options });
/** The server's way to Snag: a SnagClient with the key. (In the Chromium run the explicit opt-in
 * stands in for a server; a page never holds this key.) */
const serverSnag = () => new wl.SnagClient({ apiKey: SNAG_API_KEY, baseUrl: `${sandboxUrl}/snag`, dangerouslyAllowBrowser: platform === 'browser' });

/** What Snag received after the sandbox's request number `since` (see sandboxSeq). */
async function snagRequestsSince(since) {
  return (await sandboxState()).snag.requests.filter((r) => r.seq > since);
}
const sandboxSeq = async () => (await sandboxState()).requestSeq;
const nonceOf = (message) => /\nNonce: (\S+)\n/.exec(message)?.[1];

function evmSigner() {
  const account = privateKeyToAccount(generatePrivateKey());
  const signed = [];
  return { account, address: account.address, signed, sign: (message) => (signed.push(message), account.signMessage({ message })) };
}

function solanaSigner() {
  const secretKey = ed25519.utils.randomSecretKey();
  const publicKey = ed25519.getPublicKey(secretKey);
  const signed = [];
  return {
    address: bs58.encode(publicKey),
    publicKey,
    signed,
    sign: (message) => (signed.push(message), ed25519.sign(new TextEncoder().encode(message), secretKey)),
  };
}

/** A Dynamic client stand-in that records calls and answers like the service (`jwt: null`: no JWT). */
function mockDynamic({ nonce = 'abcdef0123456789', authToken, jwt = 'new.jwt.token' } = {}) {
  const calls = [];
  const answer = (request) => ({
    ...(jwt === null ? {} : { jwt }),
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
// Through the sandbox and the link server

test('linkWallet signs in with an EVM wallet and links a Solana wallet, each connected to Snag through the link server', async () => {
  const client = dynamic();
  const link = linkClient();
  assert.equal(link.authToken, undefined);
  const evm = evmSigner();
  const steps = [];
  const since = await sandboxSeq();
  const signedIn = await wl.linkWallet({
    ...where,
    dynamic: client,
    chain: 'EVM',
    address: evm.address.toLowerCase(),
    walletName: 'metamask',
    signMessage: evm.sign,
    onStep: (step) => steps.push(step),
    // What the page says about Snag ids and users is not the link server's concern.
    snag: { client: link, websiteId: 'page-website', organizationId: 'page-organization', userId: 'page-chosen-user', confirmDisconnect: true },
  });
  assert.deepEqual(steps, ['connect', 'nonce', 'message', 'sign', 'verify', 'link', 'snag']);
  assert.equal(signedIn.mode, 'signIn', 'no JWT yet: the flow signs in');
  assert.equal(signedIn.address, evm.address, 'the EIP-55 form is sent');
  assert.equal(client.authToken, signedIn.jwt, 'the client keeps the new JWT');
  assert.equal(link.authToken, signedIn.jwt, 'the link server client is given the new JWT');
  assert.equal(signedIn.localCheck.ok, true);
  assert.equal(signedIn.localCheck.address, evm.address);
  assert.ok(Number.isFinite(signedIn.localCheck.micros) && signedIn.localCheck.micros >= 0);
  assert.equal(await evm.account.signMessage({ message: signedIn.message }), signedIn.signature, 'the signature is over the returned message');
  assert.ok(signedIn.message.startsWith(`${domain} wants you to sign in with your Ethereum account:\n${evm.address}\n\n`));
  assert.match(signedIn.message, new RegExp(`\\nRequest ID: ${environmentId}$`));
  assert.equal(signedIn.snag.walletAddress, evm.address);

  // The wallet signed twice: the proof for Dynamic, then one with the link server's nonce.
  assert.equal(evm.signed.length, 2);
  assert.equal(evm.signed[0], signedIn.message);
  const snagMessage = evm.signed[1];
  assert.notEqual(nonceOf(snagMessage), nonceOf(signedIn.message));
  assert.match(nonceOf(snagMessage), /^[0-9A-Za-z]{22}$/, "a nonce of the link server's store");
  assert.equal(snagMessage.replace(/\nNonce: .*\nIssued At: .*\n/, '\n'), signedIn.message.replace(/\nNonce: .*\nIssued At: .*\n/, '\n'), 'the same message format and fields');
  const { nonces } = await sandboxState();
  assert.ok(!nonces.some((n) => n.nonce === nonceOf(snagMessage)), 'not a Dynamic nonce');

  // What Snag received: the link server's ids, no user or move chosen by the page, the wallet's own proof.
  const [record, ...more] = await snagRequestsSince(since);
  assert.deepEqual(more, [], 'one call to Snag');
  assert.deepEqual([record.method, record.path, record.status, record.apiKey], ['POST', '/snag/api/users/connect', 200, 'valid']);
  assert.deepEqual(record.body, {
    walletAddress: evm.address,
    walletType: 'evm',
    ...LINK_SNAG_IDS,
    verificationData: { message: snagMessage, signature: await evm.account.signMessage({ message: snagMessage }) },
  });
  assert.equal(record.response.id, signedIn.snag.id);

  const sol = solanaSigner();
  const solSince = await sandboxSeq();
  const linked = await wl.linkWallet({
    ...where,
    dynamic: client,
    chain: 'SOL',
    address: sol.address,
    walletName: 'phantom',
    signMessage: sol.sign,
    snag: { client: link },
  });
  assert.equal(linked.mode, 'link');
  assert.equal(linked.user.id, signedIn.user.id);
  assert.equal(link.authToken, linked.jwt, 'the newest JWT authenticates the Snag call');
  assert.deepEqual(
    linked.verifiedCredentials.filter((c) => c.format === 'blockchain').map((c) => c.address).sort(),
    [evm.address, sol.address].sort(),
  );
  assert.equal(bs58.decode(linked.signature).length, 64, 'a Solana signature is sent as base58');
  assert.ok(!/\nChain ID:/.test(linked.message), "Dynamic's Solana template has no Chain ID");
  assert.equal(linked.snag.walletAddress, sol.address);
  assert.equal(sol.signed.length, 2);
  const [solRecord, ...solMore] = await snagRequestsSince(solSince);
  assert.deepEqual(solMore, []);
  assert.equal(solRecord.status, 200);
  assert.deepEqual(
    [solRecord.body.walletType, solRecord.body.walletAddress, solRecord.body.websiteId, solRecord.body.organizationId, solRecord.body.verificationData.message],
    ['solana', sol.address, LINK_SNAG_IDS.websiteId, LINK_SNAG_IDS.organizationId, sol.signed[1]],
  );
  const solSignature = bs58.decode(solRecord.body.verificationData.signature);
  assert.ok(ed25519.verify(solSignature, new TextEncoder().encode(sol.signed[1]), sol.publicKey), 'the key signed what Snag got');

  const state = await sandboxState();
  const user = state.users.find((u) => u.id === signedIn.user.id);
  assert.deepEqual(user.verifiedCredentials.filter((c) => c.format === 'blockchain').map((c) => c.address).sort(), [evm.address, sol.address].sort());
  const connections = state.snag.connections.filter((c) => [evm.address, sol.address].includes(c.walletAddress));
  assert.deepEqual(
    connections.map((c) => [c.walletType, c.websiteId, c.organizationId]).sort(),
    [['evm', LINK_SNAG_IDS.websiteId, LINK_SNAG_IDS.organizationId], ['solana', LINK_SNAG_IDS.websiteId, LINK_SNAG_IDS.organizationId]],
  );
});

test('server-side: linkWallet with a SnagClient holding the key proves the wallet by its signature or by the new Dynamic JWT', async () => {
  const client = dynamic();
  const evm = evmSigner();
  const since = await sandboxSeq();
  const signedIn = await wl.linkWallet({
    ...where,
    dynamic: client,
    chain: 'EVM',
    address: evm.address,
    walletName: 'metamask',
    signMessage: evm.sign,
    snag: { client: serverSnag(), websiteId: 'site-1', organizationId: 'org-1' },
  });
  assert.equal(evm.signed.length, 1, 'the same proof serves Dynamic and Snag');
  const [record] = await snagRequestsSince(since);
  assert.deepEqual(record.body, {
    organizationId: 'org-1',
    walletAddress: evm.address,
    walletType: 'evm',
    websiteId: 'site-1',
    verificationData: { message: signedIn.message, signature: signedIn.signature },
  });
  assert.equal(signedIn.snag.id, record.response.id);

  const sol = solanaSigner();
  const solSince = await sandboxSeq();
  const linked = await wl.linkWallet({
    ...where,
    dynamic: client,
    chain: 'SOL',
    address: sol.address,
    walletName: 'phantom',
    signMessage: sol.sign,
    snag: { client: serverSnag(), websiteId: 'site-1', organizationId: 'org-1', proof: 'dynamicAuthToken' },
  });
  assert.equal(linked.snag.walletAddress, sol.address);
  const [tokenRecord] = await snagRequestsSince(solSince);
  assert.equal(tokenRecord.status, 200);
  assert.deepEqual(tokenRecord.body.verificationData, { dynamicAuthToken: linked.jwt }, 'the JWT that lists the new wallet');

  // A JWT that does not list the wallet proves nothing: Snag refuses it (step "snag").
  const stale = { ...mockDynamic({ jwt: signedIn.jwt }), authToken: signedIn.jwt };
  const other = solanaSigner();
  const refused = await rejection(
    wl.linkWallet({ ...where, dynamic: stale, chain: 'SOL', address: other.address, walletName: 'phantom', signMessage: other.sign, snag: { client: serverSnag(), websiteId: 'site-1', organizationId: 'org-1', proof: 'dynamicAuthToken' } }),
  );
  assertCoded(refused, 'HTTP_ERROR', 'snag');
  assert.equal(refused.status, 400);
  assert.match(refused.body, /does not list walletAddress/);

  // A SnagClient needs the ids from the caller (a LinkServerClient's server has its own).
  const noIds = await rejection(
    wl.linkWallet({ ...where, dynamic: mockDynamic({ authToken: 'jwt' }), chain: 'EVM', address: evm.address, walletName: 'm', signMessage: evm.sign, snag: { client: serverSnag(), organizationId: 'org-1' } }),
  );
  assertCoded(noIds, 'INVALID_ARGUMENT', 'snag');
  assert.equal(noIds.field, 'snag.websiteId');
});

test("the link server's refusals reach linkWallet as HTTP_ERROR at step \"snag\" with its status and code; Snag is never called", async () => {
  const evm = evmSigner();
  const since = await sandboxSeq();
  const base = { ...where, chain: 'EVM', walletName: 'metamask', signMessage: evm.sign, address: evm.address };

  // 401: a JWT the server cannot verify (the mock's "new.jwt.token").
  const unauthenticated = await rejection(wl.linkWallet({ ...base, dynamic: mockDynamic({ authToken: 'jwt' }), snag: { client: linkClient() } }));
  assertCoded(unauthenticated, 'HTTP_ERROR', 'snag');
  assert.equal(unauthenticated.status, 401);
  assert.equal(unauthenticated.apiCode, 'UNAUTHENTICATED');

  // A real JWT of the sandbox from here on.
  const { jwt } = await control('session', { method: 'POST', body: {} });
  const withJwt = () => mockDynamic({ authToken: jwt, jwt });

  // 422: a proof for another site's domain.
  const foreign = await rejection(wl.linkWallet({ ...base, domain: 'evil.example', uri: 'https://evil.example/', dynamic: withJwt(), snag: { client: linkClient() } }));
  assertCoded(foreign, 'HTTP_ERROR', 'snag');
  assert.equal(foreign.status, 422);
  assert.equal(foreign.apiCode, 'DOMAIN_MISMATCH');

  // 409: a nonce the server never issued, and one it issued but already took.
  const real = linkClient();
  const pinnedTo = (nonce) => ({
    getNonce: async () => nonce,
    connectWallet: (params) => real.connectWallet(params),
    get authToken() {
      return real.authToken;
    },
    set authToken(token) {
      real.authToken = token;
    },
  });
  const invented = await rejection(wl.linkWallet({ ...base, dynamic: withJwt(), snag: { client: pinnedTo('A'.repeat(22)) } }));
  assertCoded(invented, 'HTTP_ERROR', 'snag');
  assert.equal(invented.status, 409);
  assert.equal(invented.apiCode, 'NONCE_UNKNOWN');
  assert.equal(real.authToken, jwt, 'linkWallet gave the JWT to the client it was handed');
  assert.equal((await snagRequestsSince(since)).length, 0, 'no refused proof reached Snag');

  const nonce = await real.getNonce();
  const first = await wl.linkWallet({ ...base, dynamic: withJwt(), snag: { client: pinnedTo(nonce) } });
  assert.equal(first.snag.walletAddress, evm.address);
  const replayed = await rejection(wl.linkWallet({ ...base, dynamic: withJwt(), snag: { client: pinnedTo(nonce) } }));
  assertCoded(replayed, 'HTTP_ERROR', 'snag');
  assert.equal(replayed.status, 409);
  assert.equal(replayed.apiCode, 'NONCE_UNKNOWN');
  const records = await snagRequestsSince(since);
  assert.deepEqual(records.map((r) => [r.status, r.body.walletAddress, nonceOf(r.body.verificationData.message)]), [[200, evm.address, nonce]], 'only the first proof reached Snag');
});

test('a LinkServerClient without a JWT: INVALID_ARGUMENT at step "snag", and nothing is posted', async () => {
  const evm = evmSigner();
  const since = await sandboxSeq();
  const original = globalThis.fetch;
  const requests = [];
  globalThis.fetch = function (input, init) {
    const request = new Request(input, init);
    requests.push(`${request.method} ${request.url}`);
    return original.call(this, input, init);
  };
  let error;
  try {
    // Cookie mode: Dynamic's answer carries no JWT, so there is none to give the link server.
    error = await rejection(
      wl.linkWallet({ ...where, dynamic: mockDynamic({ authToken: 'cookie', jwt: null }), chain: 'EVM', address: evm.address, walletName: 'm', signMessage: evm.sign, snag: { client: linkClient() } }),
    );
  } finally {
    globalThis.fetch = original;
  }
  assertCoded(error, 'INVALID_ARGUMENT', 'snag');
  assert.equal(error.field, 'authToken');
  assert.deepEqual(requests, [`GET ${linkServerUrl}/nonce`], 'only the nonce was fetched');
  assert.equal((await snagRequestsSince(since)).length, 0);
});

test('linkWallet with SIWE and SIWS messages that independent parsers read back, the link server included', async () => {
  const client = dynamic();
  const evm = evmSigner();
  const siwe = await wl.linkWallet({ ...where, dynamic: client, chain: 'EVM', address: evm.address, walletName: 'metamask', signMessage: evm.sign, messageFormat: 'siwe', chainId: 10, appName: 'Test App', snag: { client: linkClient() } });
  for (const message of evm.signed) {
    const fields = parseSiweMessage(message);
    assert.equal(fields.address, evm.address);
    assert.equal(fields.domain, domain);
    assert.equal(fields.chainId, 10);
    assert.equal(fields.requestId, environmentId);
    assert.match(fields.statement, /^Welcome to Test App\. /);
  }
  assert.equal(evm.signed[0], siwe.message);
  assert.notEqual(parseSiweMessage(evm.signed[1]).nonce, parseSiweMessage(siwe.message).nonce);
  assert.equal(siwe.snag.walletAddress, evm.address);

  const sol = solanaSigner();
  const siws = await wl.linkWallet({ ...where, dynamic: client, chain: 'SOL', address: sol.address, walletName: 'phantom', signMessage: sol.sign, messageFormat: 'siws', chainId: 'devnet', snag: { client: linkClient() } });
  assert.equal(siws.mode, 'link');
  for (const message of sol.signed) {
    const input = parseSignInMessageText(message);
    assert.equal(input.address, sol.address);
    assert.equal(input.domain, domain);
    assert.equal(input.chainId, 'devnet');
    assert.equal(input.version, '1');
    assert.ok(input.nonce && input.issuedAt);
  }
  assert.equal(sol.signed[0], siws.message);
  assert.equal(siws.snag.walletAddress, sol.address);
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
