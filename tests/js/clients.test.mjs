// The service clients against the sandbox server (real HTTP): every call's happy path, and the
// failures a caller must be able to tell apart (HTTP_ERROR with status/apiCode, INVALID_RESPONSE,
// TIMEOUT, NETWORK, ABORTED, BROWSER_SECRET, INVALID_ARGUMENT), plus the retry rules. The
// LinkServerClient talks to the dapp's link server (createLinkServer) the harness starts next to
// the sandbox, which checks each proof and calls the sandbox's Snag with the key.
// Portable: runs in Node and, bundled, in headless Chromium (which sets globalThis.SANDBOX_URL and
// globalThis.LINK_SERVER_URL).
import { test, assert, platform } from './harness.mjs';
import { createDynamicSignInMessage, DynamicAdminClient, DynamicClient, LinkServerClient, SnagClient } from 'wallet-linker';
import { sandboxUrl, closeSandbox, linkServerUrl, linkDomain, LINK_SNAG_IDS } from './sandbox-url.mjs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

// The sandbox's default credentials (createSandbox() without options).
const SNAG_API_KEY = 'sandbox-snag-key';
const ADMIN_TOKEN = 'dyn_sandbox_admin_token';


const apiBase = `${sandboxUrl}/api/v0`;

async function control(path, init = {}) {
  const response = await fetch(`${sandboxUrl}/__sandbox/${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body = await response.json();
  assert.ok(response.ok, `sandbox ${path}: ${JSON.stringify(body)}`);
  return body;
}
const sandboxState = () => control('state');
const arm = (...faults) => control('faults', { method: 'POST', body: faults });
const disarm = () => control('faults', { method: 'DELETE' });
/** A signed-in user (email credential): { user, jwt, ... }. */
const newSession = () => control('session', { method: 'POST', body: {} });

const { environmentId } = await sandboxState();

/** Runs `body` with faults armed, disarming whatever is left afterwards. */
async function withFaults(faults, body) {
  await arm(...faults);
  try {
    return await body();
  } finally {
    await disarm();
  }
}

function dynamic(options = {}) {
  return new DynamicClient({ environmentId, baseUrl: apiBase, ...options });
}

/** The requests the sandbox logged for paths containing `fragment` since `since` entries. */
async function logged(fragment, since = 0) {
  const { requestLog } = await sandboxState();
  return requestLog.filter((entry) => entry.seq > since && entry.path.includes(fragment));
}
const logLength = async () => (await sandboxState()).requestSeq;

// The sign-in message's domain: the page's host in a browser (the sandbox compares it with the
// Origin header), a loopback host in Node (no Origin header).
const domain = typeof location !== 'undefined' && location.host ? location.host : 'localhost';

/** A fresh EVM wallet's proof over a sandbox nonce, as a VerifyRequest. */
async function signedRequest(client, account = privateKeyToAccount(generatePrivateKey())) {
  const nonce = await client.getNonce();
  const messageToSign = [
    `${domain} wants you to sign in with your Ethereum account:`,
    account.address,
    '',
    'Link this wallet to my account.',
    '',
    `URI: http://${domain}`,
    'Version: 1',
    'Chain ID: 1',
    `Nonce: ${nonce}`,
    `Issued At: ${new Date().toISOString()}`,
  ].join('\n');
  return {
    signedMessage: await account.signMessage({ message: messageToSign }),
    messageToSign,
    publicWalletAddress: account.address,
    chain: 'EVM',
    walletName: 'metamask',
    walletProvider: 'browserExtension',
  };
}

const walletCredentials = (user) => user.verifiedCredentials.filter((c) => c.format === 'blockchain');

/** What Snag received after the sandbox's request number `since`. */
async function snagRequestsSince(since) {
  return (await sandboxState()).snag.requests.filter((r) => r.seq > since);
}

/**
 * A proof for the link server: Dynamic's EVM template over a nonce it issued (or `nonce`), for
 * the domain it accepts (or `domain`), signed by `account`. { message, signature }.
 */
async function linkServerProof(link, account, { nonce, domain = linkDomain } = {}) {
  const message = createDynamicSignInMessage({
    chain: 'EVM',
    domain,
    address: account.address,
    appName: 'wallet-linker clients test',
    uri: `http://${domain}/`,
    chainId: 1,
    nonce: nonce ?? (await link.getNonce()),
    environmentId,
  });
  return { message, signature: await account.signMessage({ message }) };
}

/** Defines `window` for the duration of `body` when not in a real browser. */
async function asIfInBrowser(body) {
  if (platform === 'browser') return body();
  assert.equal(globalThis.window, undefined);
  globalThis.window = globalThis;
  try {
    return await body();
  } finally {
    delete globalThis.window;
  }
}

// ---------------------------------------------------------------------------------------------
// Happy paths

test('getNonce returns a nonce the sandbox issued', async () => {
  const nonce = await dynamic().getNonce();
  assert.equal(typeof nonce, 'string');
  assert.ok(nonce.length >= 8);
  const { nonces } = await sandboxState();
  assert.ok(nonces.some((n) => n.nonce === nonce && n.usedAt === null));
});

test('verify signs a new wallet in and keeps the returned JWT', async () => {
  const client = dynamic();
  assert.equal(client.authToken, undefined);
  assert.equal(client.environmentId, environmentId);
  const request = await signedRequest(client);
  const response = await client.verify(request);
  assert.equal(typeof response.jwt, 'string');
  assert.equal(client.authToken, response.jwt, 'the client now uses the new JWT');
  assert.equal(typeof response.expiresAt, 'number');
  const [credential] = walletCredentials(response.user);
  assert.equal(credential.address.toLowerCase(), request.publicWalletAddress.toLowerCase());
  assert.equal(credential.wallet_name, 'metamask');
  assert.equal(credential.wallet_provider, 'browserExtension');
  assert.equal(response.user.projectEnvironmentId, environmentId);
});

test('verifyLink adds a wallet to the signed-in user, verifyUnlink removes it', async () => {
  const session = await newSession();
  const client = dynamic({ authToken: session.jwt });
  const request = await signedRequest(client);
  const linked = await client.verifyLink(request);
  assert.equal(linked.user.id, session.user.id);
  const wallets = walletCredentials(linked.user);
  assert.equal(wallets.length, 1);
  assert.equal(wallets[0].address.toLowerCase(), request.publicWalletAddress.toLowerCase());
  assert.equal(client.authToken, linked.jwt);

  const unlinked = await client.verifyUnlink({ verifiedCredentialId: wallets[0].id });
  assert.equal(walletCredentials(unlinked.user).length, 0);
  const { users } = await sandboxState();
  const stored = users.find((u) => u.id === session.user.id);
  assert.equal(walletCredentials(stored).length, 0);
});

test('createGlobalWalletConnection accepts an ISO string or a Date', async () => {
  const session = await newSession();
  const client = dynamic({ authToken: session.jwt });
  const expires = new Date(Date.now() + 3_600_000);
  const fromDate = await client.createGlobalWalletConnection({ expiresAt: expires });
  assert.equal(fromDate.userId, session.user.id);
  assert.ok(['connected', 'disconnected'].includes(fromDate.status));
  assert.equal(typeof fromDate.createdAt, 'string');
  const fromString = await client.createGlobalWalletConnection({ expiresAt: expires.toISOString() });
  assert.notEqual(fromString.id, fromDate.id);
  const { globalWalletConnections } = await sandboxState();
  assert.ok(globalWalletConnections.some((c) => c.id === fromDate.id));
});

test('the authToken property and setAuthToken', async () => {
  const session = await newSession();
  const client = dynamic();
  client.authToken = session.jwt;
  assert.equal(client.authToken, session.jwt);
  await client.createGlobalWalletConnection({ expiresAt: new Date(Date.now() + 60_000) });
  client.setAuthToken(undefined);
  assert.equal(client.authToken, undefined);
  await assert.rejects(client.createGlobalWalletConnection({ expiresAt: new Date() }), {
    code: 'INVALID_ARGUMENT',
    field: 'authToken',
  });
  assert.throws(() => client.setAuthToken(42), { code: 'INVALID_ARGUMENT', field: 'authToken' });
  assert.throws(() => {
    client.authToken = 'two\nlines';
  }, { code: 'INVALID_ARGUMENT' });
});

test('DynamicAdminClient.bulkCreateUsers creates and upserts users', async () => {
  const admin = new DynamicAdminClient({ environmentId, apiToken: ADMIN_TOKEN, baseUrl: apiBase, dangerouslyAllowBrowser: true });
  const email = `bulk-${Math.random().toString(36).slice(2)}@example.com`;
  const created = await admin.bulkCreateUsers([{ email, alias: 'First' }]);
  assert.equal(created.created?.length, 1);
  assert.equal(created.created[0].email, email);
  const since = await logLength();
  const upserted = await admin.bulkCreateUsers([{ email, alias: 'Second' }], { upsert: true });
  assert.equal(upserted.updated?.length, 1);
  assert.equal(upserted.updated[0].alias, 'Second');
  const [entry] = await logged('/users/bulk', since);
  assert.ok(entry.path.endsWith('/users/bulk?upsert=true'), entry.path);

  const wrong = new DynamicAdminClient({ environmentId, apiToken: 'dyn_wrong', baseUrl: apiBase, dangerouslyAllowBrowser: true });
  await assert.rejects(wrong.bulkCreateUsers([{ email: 'x@example.com' }]), { code: 'HTTP_ERROR', status: 401 });
});

test('SnagClient.connectWallet with a key; LinkServerClient through the link server, which uses its own ids', async () => {
  const account = privateKeyToAccount(generatePrivateKey());
  const message = `Connect ${account.address} to Snag`;
  const params = {
    organizationId: '123e4567-e89b-12d3-a456-426614174001',
    websiteId: '123e4567-e89b-12d3-a456-426614174000',
    walletType: 'evm',
    walletAddress: account.address,
    verificationData: { message, signature: await account.signMessage({ message }) },
  };
  const direct = new SnagClient({ baseUrl: `${sandboxUrl}/snag`, apiKey: SNAG_API_KEY, dangerouslyAllowBrowser: true });
  const connected = await direct.connectWallet(params);
  assert.equal(connected.walletAddress.toLowerCase(), account.address.toLowerCase());
  assert.equal(typeof connected.id, 'string');

  // The page's way: a proof over the link server's nonce, with the user's JWT. The server ignores
  // the ids the page sends (SnagConnectParams are accepted, only the proof is posted).
  const link = new LinkServerClient({ baseUrl: linkServerUrl, authToken: (await newSession()).jwt });
  const since = await logLength();
  const linkProof = await linkServerProof(link, account);
  const viaServer = await link.connectWallet({ ...params, verificationData: { message: linkProof.message, signature: linkProof.signature } });
  assert.equal(viaServer.id, connected.id, 'the same wallet maps to the same Snag user');
  const [record, ...more] = await snagRequestsSince(since);
  assert.deepEqual(more, []);
  assert.deepEqual(record.body, {
    walletAddress: account.address,
    walletType: 'evm',
    ...LINK_SNAG_IDS,
    verificationData: { message: linkProof.message, signature: linkProof.signature },
  });

  await assert.rejects(new SnagClient({ baseUrl: `${sandboxUrl}/snag` }).connectWallet(params), { code: 'HTTP_ERROR', status: 401 });
  const wrongKey = new SnagClient({ baseUrl: `${sandboxUrl}/snag`, apiKey: 'wrong', dangerouslyAllowBrowser: true });
  await assert.rejects(wrongKey.connectWallet(params), { code: 'HTTP_ERROR', status: 403 });
  const badSignature = { ...params, verificationData: { message, signature: `0x${'11'.repeat(65)}` } };
  await assert.rejects(direct.connectWallet(badSignature), { code: 'HTTP_ERROR', status: 400 });
});

test("LinkServerClient.getNonce gives the server's single-use nonces; connectWallet posts only the proof, with the JWT", async () => {
  const link = new LinkServerClient({ baseUrl: linkServerUrl });
  const [a, b] = [await link.getNonce(), await link.getNonce()];
  for (const nonce of [a, b]) assert.match(nonce, /^[0-9A-Za-z]{22}$/);
  assert.notEqual(a, b);
  const { nonces } = await sandboxState();
  assert.ok(!nonces.some((n) => n.nonce === a), 'issued by the link server, not by Dynamic');

  // Exactly what goes over the wire (a stubbed fetch answers here).
  const sent = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ method: request.method, url: request.url, authorization: request.headers.get('authorization'), contentType: request.headers.get('content-type'), body: request.method === 'GET' ? undefined : JSON.parse(await request.text()) });
    const answer = request.method === 'GET' ? { nonce: 'N'.repeat(22), expiresAt: new Date().toISOString() } : { walletAddress: '0xabc', id: 'snag-user', createdAt: 'c', updatedAt: 'u' };
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  let outcome;
  try {
    const stub = new LinkServerClient({ baseUrl: 'http://127.0.0.1:9/api/link/', authToken: 'the.user.jwt', maxRetries: 0 });
    assert.equal(await stub.getNonce(), 'N'.repeat(22));
    outcome = await stub.connectWallet({
      walletType: 'evm', walletAddress: '0xabc', message: 'm', signature: '0xsig',
      userId: 'someone-else', websiteId: 'w', organizationId: 'o', confirmDisconnect: true,
    });
    await stub.connectWallet({ walletType: 'solana', walletAddress: 'So1', verificationData: { message: 'm2', signature: 's2' } });
  } finally {
    globalThis.fetch = original;
  }
  assert.deepEqual(outcome, { walletAddress: '0xabc', id: 'snag-user', createdAt: 'c', updatedAt: 'u' });
  assert.deepEqual(sent[0], { method: 'GET', url: 'http://127.0.0.1:9/api/link/nonce', authorization: null, contentType: null, body: undefined });
  assert.equal(sent[1].url, 'http://127.0.0.1:9/api/link/snag/connect');
  assert.equal(sent[1].authorization, 'Bearer the.user.jwt');
  assert.match(sent[1].contentType, /^application\/json/);
  assert.deepEqual(sent[1].body, { walletType: 'evm', walletAddress: '0xabc', message: 'm', signature: '0xsig' }, 'nothing but the proof is sent');
  assert.deepEqual(sent[2].body, { walletType: 'solana', walletAddress: 'So1', message: 'm2', signature: 's2' });
});

test('LinkServerClient without a JWT: connectWallet is INVALID_ARGUMENT before any request', async () => {
  const account = privateKeyToAccount(generatePrivateKey());
  const link = new LinkServerClient({ baseUrl: linkServerUrl });
  const proof = await linkServerProof(link, account);
  const params = { walletType: 'evm', walletAddress: account.address, ...proof };
  const since = await logLength();
  const { calls } = await countingFetches(async () => {
    await assert.rejects(link.connectWallet(params), { name: 'WalletLinkerError', code: 'INVALID_ARGUMENT', field: 'authToken' });
  });
  assert.equal(calls, 0, 'nothing was sent');
  // The JWT set afterwards (as linkWallet does) is used; forgetting it refuses again.
  link.authToken = (await newSession()).jwt;
  const connected = await link.connectWallet(params);
  assert.equal(connected.walletAddress, account.address);
  link.authToken = undefined;
  assert.equal(link.authToken, undefined);
  const again = await countingFetches(() => assert.rejects(link.connectWallet(params), { code: 'INVALID_ARGUMENT', field: 'authToken' }));
  assert.equal(again.calls, 0);
  assert.deepEqual((await snagRequestsSince(since)).map((r) => r.status), [200], 'Snag saw the one authenticated call');
});

test("the link server's refusals are HTTP_ERROR with its status and its code as apiCode (401, 409, 422); Snag is never called", async () => {
  const account = privateKeyToAccount(generatePrivateKey());
  const session = await newSession();
  const link = new LinkServerClient({ baseUrl: linkServerUrl, authToken: session.jwt, maxRetries: 0 });
  const since = await logLength();
  const refused = async (params, status, apiCode, client = link) => {
    await assert.rejects(client.connectWallet(params), (e) => {
      assert.equal(e.name, 'WalletLinkerError');
      assert.equal(e.code, 'HTTP_ERROR', e.message);
      assert.equal(e.status, status, e.message);
      assert.equal(e.apiCode, apiCode, e.message);
      assert.equal(JSON.parse(e.body).code, apiCode, 'the server answers { code, message }');
      assert.match(e.message, /LinkServer connectWallet failed with HTTP/);
      return true;
    });
  };
  const evm = (proof, walletAddress = account.address) => ({ walletType: 'evm', walletAddress, ...proof });

  // 401: no JWT the server can verify.
  const proof = await linkServerProof(link, account);
  await refused(evm(proof), 401, 'UNAUTHENTICATED', new LinkServerClient({ baseUrl: linkServerUrl, authToken: 'not.a.jwt' }));
  // (Expired beyond the server's 60 s clock skew.)
  const expired = await control('session', { method: 'POST', body: { ttlSeconds: -600 } });
  await refused(evm(proof), 401, 'UNAUTHENTICATED', new LinkServerClient({ baseUrl: linkServerUrl, authToken: expired.jwt }));
  // 422: another site's domain, another wallet's address, another key's signature.
  await refused(evm(await linkServerProof(link, account, { domain: 'evil.example' })), 422, 'DOMAIN_MISMATCH');
  const other = privateKeyToAccount(generatePrivateKey());
  await refused(evm(await linkServerProof(link, account), other.address), 422, 'ADDRESS_MISMATCH');
  const forged = await linkServerProof(link, account);
  await refused(evm({ message: forged.message, signature: await other.signMessage({ message: forged.message }) }), 422, 'SIGNATURE_MISMATCH');
  // 409: a nonce the server never issued; a proof used once already.
  await refused(evm(await linkServerProof(link, account, { nonce: 'Z'.repeat(22) })), 409, 'NONCE_UNKNOWN');
  const connected = await link.connectWallet(evm(proof));
  assert.equal(connected.walletAddress, account.address);
  await refused(evm(proof), 409, 'NONCE_UNKNOWN');

  const records = await snagRequestsSince(since);
  assert.deepEqual(records.map((r) => [r.status, r.body.verificationData.message]), [[200, proof.message]], 'only the one good proof reached Snag');
});

// ---------------------------------------------------------------------------------------------
// HTTP errors

test('401: an invalid or missing JWT', async () => {
  const client = dynamic({ authToken: 'not.a.jwt' });
  const request = await signedRequest(client);
  await assert.rejects(client.verifyLink(request), (e) => {
    assert.equal(e.name, 'WalletLinkerError');
    assert.equal(e.code, 'HTTP_ERROR');
    assert.equal(e.status, 401);
    assert.match(e.body, /error/);
    assert.match(e.message, /verifyLink.*401/);
    return true;
  });
  // Cookie mode sends no Authorization header; without a cookie the sandbox answers 401.
  const cookieClient = dynamic({ credentials: 'include' });
  await assert.rejects(cookieClient.verifyLink(await signedRequest(cookieClient)), { code: 'HTTP_ERROR', status: 401 });
});

test('422 carries Dynamic\'s code as apiCode', async () => {
  // A replayed proof: its nonce is spent.
  const session = await newSession();
  const client = dynamic({ authToken: session.jwt });
  const request = await signedRequest(client);
  await client.verifyLink(request);
  await assert.rejects(client.verifyLink(request), { code: 'HTTP_ERROR', status: 422, apiCode: 'invalid_verification' });

  // A wallet that is another user's only credential: merging is the way out.
  const account = privateKeyToAccount(generatePrivateKey());
  await dynamic().verify(await signedRequest(dynamic(), account));
  const other = dynamic({ authToken: (await newSession()).jwt });
  await assert.rejects(other.verifyLink(await signedRequest(other, account)), (e) => {
    assert.equal(e.apiCode, 'merge_accounts_confirmation');
    assert.equal(e.status, 422);
    assert.ok(JSON.parse(e.body).payload, 'the body keeps the payload');
    return true;
  });

  // A wallet of a user with other credentials: it would have to be reassigned.
  const owner = dynamic({ authToken: (await newSession()).jwt });
  const shared = privateKeyToAccount(generatePrivateKey());
  await owner.verifyLink(await signedRequest(owner, shared));
  await assert.rejects(other.verifyLink(await signedRequest(other, shared)), { status: 422, apiCode: 'reassign_wallet_confirm' });
});

// ---------------------------------------------------------------------------------------------
// Retries and faults

test('429 then success: the call waits as asked and succeeds', async () => {
  const since = await logLength();
  const nonce = await withFaults([{ kind: 'status', status: 429, path: '/nonce', retryAfterMs: 50 }], () => dynamic().getNonce());
  assert.equal(typeof nonce, 'string');
  const entries = await logged('/nonce', since);
  assert.deepEqual(entries.map((e) => e.status), [429, 200]);

  // State-changing calls are retried on 429 too: the server did not act.
  const session = await newSession();
  const client = dynamic({ authToken: session.jwt });
  const request = await signedRequest(client);
  const linkSince = await logLength();
  await withFaults([{ kind: 'status', status: 429, path: '/verify/link', retryAfter: 0 }], () => client.verifyLink(request));
  assert.deepEqual((await logged('/verify/link', linkSince)).map((e) => e.status), [429, 200]);
});

test('5xx and resets: GETs retry, a POST does not retry a 500', async () => {
  const since = await logLength();
  await withFaults(
    [
      { kind: 'reset', path: '/nonce' },
      { kind: 'status', status: 500, path: '/nonce' },
    ],
    () => dynamic().getNonce(),
  );
  assert.equal((await logged('/nonce', since)).length, 3);

  const client = dynamic();
  const request = await signedRequest(client);
  const postSince = await logLength();
  await withFaults([{ kind: 'status', status: 500, path: '/verify' }], async () => {
    await assert.rejects(client.verify(request), { code: 'HTTP_ERROR', status: 500 });
  });
  assert.equal((await logged('/verify', postSince)).length, 1);

  const since503 = await logLength();
  await withFaults([{ kind: 'status', status: 503, path: '/verify', retryAfter: 0 }], () => client.verify(request));
  assert.deepEqual((await logged('/verify', since503)).map((e) => e.status), [503, 200], '503 with Retry-After is retried');
});

test('maxRetries bounds the attempts; an HTML error page is still an HTTP_ERROR', async () => {
  const since = await logLength();
  await withFaults([{ kind: 'html', status: 502, path: '/nonce', times: 5 }], async () => {
    await assert.rejects(dynamic({ maxRetries: 1 }).getNonce(), (e) => {
      assert.equal(e.code, 'HTTP_ERROR');
      assert.equal(e.status, 502);
      assert.match(e.body, /<html/i);
      assert.equal(e.apiCode, undefined);
      return true;
    });
  });
  assert.equal((await logged('/nonce', since)).length, 2);
});

test('a timeout per attempt is TIMEOUT', async () => {
  const started = Date.now();
  await withFaults([{ kind: 'delay', path: '/nonce', delayMs: 3000 }], async () => {
    await assert.rejects(dynamic({ timeoutMs: 150, maxRetries: 0 }).getNonce(), (e) => {
      assert.equal(e.code, 'TIMEOUT');
      assert.match(e.message, /150 ms/);
      return true;
    });
  });
  assert.ok(Date.now() - started < 2500, 'the client did not wait for the slow response');
});

test('deadlineMs bounds the whole call, retries included', async () => {
  const since = await logLength();
  const started = Date.now();
  await withFaults([{ kind: 'delay', path: '/nonce', delayMs: 3000, times: 5 }], async () => {
    // Three 400 ms attempts with backoff would take about 2 s; the deadline ends it at 700 ms.
    await assert.rejects(dynamic({ timeoutMs: 400, deadlineMs: 700 }).getNonce(), (e) => {
      assert.equal(e.code, 'TIMEOUT');
      assert.match(e.message, /no response within 400 ms; no retry: it could not start before the 700 ms deadline/);
      return true;
    });
  });
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 1800, `took ${elapsed} ms`);
  assert.ok((await logged('/nonce', since)).length <= 2);
  assert.throws(() => dynamic({ deadlineMs: 0 }), { code: 'INVALID_ARGUMENT', field: 'deadlineMs' });
});

test('the caller\'s AbortSignal aborts pending and later calls', async () => {
  const controller = new AbortController();
  const client = dynamic({ signal: controller.signal });
  await withFaults([{ kind: 'delay', path: '/nonce', delayMs: 3000 }], async () => {
    const pending = client.getNonce();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, { code: 'ABORTED' });
  });
  const since = await logLength();
  await assert.rejects(client.getNonce(), { code: 'ABORTED' });
  assert.equal((await logged('/nonce', since)).length, 0, 'nothing is sent once aborted');

  // An abort during a retry's backoff ends the wait at once.
  const slow = new AbortController();
  const retrying = dynamic({ signal: slow.signal });
  await withFaults([{ kind: 'status', status: 503, path: '/nonce', retryAfter: 30 }], async () => {
    const started = Date.now();
    const pending = retrying.getNonce();
    setTimeout(() => slow.abort(), 100);
    await assert.rejects(pending, { code: 'ABORTED' });
    assert.ok(Date.now() - started < 5000);
  });
});

test('malformed JSON in a 200 is INVALID_RESPONSE', async () => {
  await withFaults([{ kind: 'malformed-json', path: '/nonce' }], async () => {
    await assert.rejects(dynamic().getNonce(), (e) => {
      assert.equal(e.code, 'INVALID_RESPONSE');
      assert.equal(e.status, 200);
      assert.equal(typeof e.body, 'string');
      return true;
    });
  });
});

/** Counts the calls the package makes to the global `fetch` while `body` runs. */
async function countingFetches(body) {
  const original = globalThis.fetch;
  let calls = 0;
  globalThis.fetch = function (...args) {
    calls += 1;
    return original.apply(this, args);
  };
  try {
    const outcome = await body();
    return { calls, outcome };
  } finally {
    globalThis.fetch = original;
  }
}

test('an oversized response is INVALID_RESPONSE, not read into memory', async () => {
  await withFaults([{ kind: 'oversized', path: '/nonce', sizeBytes: 9 * 1024 * 1024 }], async () => {
    await assert.rejects(dynamic().getNonce(), (e) => {
      assert.equal(e.code, 'INVALID_RESPONSE');
      assert.match(e.message, /larger than/);
      return true;
    });
  });
});

test('an oversized response without Content-Length (chunked) is refused while reading', async () => {
  await withFaults([{ kind: 'oversized', path: '/nonce', sizeBytes: 32 * 1024 * 1024, chunked: true }], async () => {
    await assert.rejects(dynamic().getNonce(), (e) => {
      assert.equal(e.code, 'INVALID_RESPONSE');
      // Reading stopped a chunk past the 8 MiB limit, far short of the 32 MiB body (browsers
      // deliver chunks of up to a few MiB).
      const size = Number(e.message.match(/\((\d+) bytes\)/)?.[1]);
      assert.ok(size > 8 * 1024 * 1024 && size < 16 * 1024 * 1024, e.message);
      return true;
    });
  });
});

test('a link whose response is lost is not retried and links once', async () => {
  const session = await newSession();
  const client = dynamic({ authToken: session.jwt });
  const request = await signedRequest(client);
  const since = await logLength();
  const { calls, outcome } = await withFaults([{ kind: 'lost-response', path: '/verify/link' }], () =>
    countingFetches(() => client.verifyLink(request).then(() => 'linked', (e) => e)),
  );
  assert.equal(calls, 1, 'the client made exactly one attempt');
  const attempts = await logged('/verify/link', since);
  assert.equal(attempts[0].fault, 'lost-response');
  if (outcome.code === 'NETWORK') {
    assert.equal(attempts.length, 1);
  } else {
    // Chromium's network stack itself re-sends a request whose reused keep-alive connection
    // closed without a response (even a POST); the sandbox's single-use nonce refuses the replay.
    assert.equal(platform, 'browser', `unexpected outcome ${outcome?.code ?? outcome}`);
    assert.equal(outcome.code, 'HTTP_ERROR');
    assert.equal(outcome.apiCode, 'invalid_verification');
    assert.deepEqual(attempts.slice(1).map((a) => a.status), [422]);
  }
  const { users } = await sandboxState();
  const user = users.find((u) => u.id === session.user.id);
  const wallets = walletCredentials(user);
  assert.equal(wallets.length, 1, 'the server linked the wallet once');
  assert.equal(wallets[0].address.toLowerCase(), request.publicWalletAddress.toLowerCase());

  // Opting in retries the lost call; the server's single-use nonce refuses the replay.
  const optIn = dynamic({ authToken: session.jwt, retryStateChanging: true });
  const second = await signedRequest(optIn);
  await withFaults([{ kind: 'lost-response', path: '/verify/link' }], async () => {
    await assert.rejects(optIn.verifyLink(second), { code: 'HTTP_ERROR', status: 422, apiCode: 'invalid_verification' });
  });
  const after = (await sandboxState()).users.find((u) => u.id === session.user.id);
  assert.equal(walletCredentials(after).length, 2, 'still one credential per wallet');
});

test('an unreachable server is NETWORK', async () => {
  // Port 9 (discard) on loopback: nothing listens there in the test environments.
  const client = new DynamicClient({ environmentId, baseUrl: 'http://127.0.0.1:9/api/v0', maxRetries: 0 });
  await assert.rejects(client.getNonce(), { code: 'NETWORK' });
});

// ---------------------------------------------------------------------------------------------
// Server keys in a browser

test('a browser refuses server keys unless dangerouslyAllowBrowser', async () => {
  await asIfInBrowser(async () => {
    assert.throws(() => new DynamicAdminClient({ environmentId, apiToken: ADMIN_TOKEN, baseUrl: apiBase }), {
      name: 'WalletLinkerError',
      code: 'BROWSER_SECRET',
      field: 'apiToken',
    });
    assert.throws(() => new SnagClient({ apiKey: SNAG_API_KEY }), { code: 'BROWSER_SECRET', field: 'apiKey' });
    assert.throws(() => new SnagClient({ apiKey: SNAG_API_KEY, baseUrl: `${sandboxUrl}/snag` }), { code: 'BROWSER_SECRET' });
    // Without a key there is nothing to expose: the page reaches Snag through its backend's link
    // server, which holds the key.
    assert.ok(new LinkServerClient({ baseUrl: linkServerUrl }) instanceof LinkServerClient);
    assert.ok(new LinkServerClient({ baseUrl: '/api/link', authToken: 'user.jwt' }) instanceof LinkServerClient);
    // Opting in works (for private tools).
    assert.ok(new SnagClient({ apiKey: SNAG_API_KEY, dangerouslyAllowBrowser: true }));
    assert.ok(new DynamicAdminClient({ environmentId, apiToken: ADMIN_TOKEN, dangerouslyAllowBrowser: true }));
  });
  // A web worker's code is served to visitors too.
  if (platform === 'node') {
    globalThis.importScripts = () => {};
    try {
      assert.throws(() => new SnagClient({ apiKey: SNAG_API_KEY }), { code: 'BROWSER_SECRET' });
    } finally {
      delete globalThis.importScripts;
    }
  } else {
    const source = `import(${JSON.stringify(new URL('/pkg/index.js', location.href).href)}).then((wl) => {
      try { new wl.SnagClient({ apiKey: 'k' }); postMessage('accepted'); } catch (e) { postMessage(e.code); }
    }, (e) => postMessage('import failed: ' + e));`;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
    const answer = await new Promise((resolve) => { worker.onmessage = (m) => resolve(m.data); });
    worker.terminate();
    assert.equal(answer, 'BROWSER_SECRET');
  }
  if (platform === 'node') {
    assert.ok(new DynamicAdminClient({ environmentId, apiToken: ADMIN_TOKEN }), 'a server may hold the token');
    assert.ok(new SnagClient({ apiKey: SNAG_API_KEY }));
  }
});

// ---------------------------------------------------------------------------------------------
// Bad input: coded errors, never glue TypeErrors or panics

test('constructors reject bad options with INVALID_ARGUMENT', () => {
  const invalid = (fn, field) => assert.throws(fn, (e) => e.name === 'WalletLinkerError' && e.code === 'INVALID_ARGUMENT' && (field === undefined || e.field === field));
  invalid(() => new DynamicClient(), 'options');
  invalid(() => new DynamicClient(null), 'options');
  invalid(() => new DynamicClient('env'), 'options');
  invalid(() => new DynamicClient([]), 'options');
  invalid(() => new DynamicClient({}), 'environmentId');
  invalid(() => new DynamicClient({ environmentId: 42 }), 'environmentId');
  invalid(() => new DynamicClient({ environmentId: '' }), 'environmentId');
  invalid(() => new DynamicClient({ environmentId, baseUrl: 'app.dynamicauth.com' }), 'baseUrl');
  invalid(() => new DynamicClient({ environmentId, baseUrl: 5 }), 'baseUrl');
  invalid(() => new DynamicClient({ environmentId, timeoutMs: '5' }), 'timeoutMs');
  invalid(() => new DynamicClient({ environmentId, timeoutMs: 0 }), 'timeoutMs');
  invalid(() => new DynamicClient({ environmentId, maxRetries: -1 }), 'maxRetries');
  invalid(() => new DynamicClient({ environmentId, maxRetries: 2.5 }), 'maxRetries');
  invalid(() => new DynamicClient({ environmentId, credentials: 'always' }), 'credentials');
  invalid(() => new DynamicClient({ environmentId, signal: {} }), 'signal');
  invalid(() => new DynamicClient({ environmentId, retryStateChanging: 'yes' }), 'retryStateChanging');
  invalid(() => new DynamicClient({ environmentId, authToken: 1 }), 'authToken');
  invalid(() => new DynamicAdminClient({ environmentId }), 'apiToken');
  invalid(() => new DynamicAdminClient(undefined), 'options');
  invalid(() => new SnagClient(null), 'options');
  invalid(() => new SnagClient(), 'options');
  invalid(() => new SnagClient({}), 'apiKey'); // keyless calls to Snag itself always fail
  invalid(() => new SnagClient({ apiKey: 7 }), 'apiKey');
  invalid(() => new SnagClient({ dangerouslyAllowBrowser: 'true' }), 'dangerouslyAllowBrowser');
  invalid(() => new LinkServerClient(), 'options');
  invalid(() => new LinkServerClient({}), 'baseUrl');
  invalid(() => new LinkServerClient({ baseUrl: 'app.example/api/link' }), 'baseUrl');
  invalid(() => new LinkServerClient({ baseUrl: linkServerUrl, authToken: 1 }), 'authToken');
  invalid(() => new LinkServerClient({ baseUrl: linkServerUrl, authToken: 'two words' }), 'authToken');
  invalid(() => new LinkServerClient({ baseUrl: linkServerUrl, timeoutMs: 0 }), 'timeoutMs');
  invalid(() => {
    new LinkServerClient({ baseUrl: linkServerUrl }).authToken = 5;
  }, 'authToken');
  const throwing = { get environmentId() { throw new Error('boom'); } };
  invalid(() => new DynamicClient(throwing), 'environmentId');
});

test('methods reject bad arguments (never throw synchronously)', async () => {
  const client = dynamic({ authToken: 'x' });
  for (const bad of [undefined, null, 'request', 7, []]) {
    const pending = client.verify(bad);
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, { code: 'INVALID_ARGUMENT' });
    await assert.rejects(client.verifyLink(bad), { code: 'INVALID_ARGUMENT' });
    await assert.rejects(client.verifyUnlink(bad), { code: 'INVALID_ARGUMENT' });
    await assert.rejects(client.createGlobalWalletConnection(bad), { code: 'INVALID_ARGUMENT' });
  }
  await assert.rejects(client.verify({ signedMessage: 'only this' }), { code: 'INVALID_ARGUMENT', field: 'request' });
  await assert.rejects(client.createGlobalWalletConnection({ expiresAt: new Date(NaN) }), { code: 'INVALID_ARGUMENT', field: 'expiresAt' });
  await assert.rejects(client.createGlobalWalletConnection({ expiresAt: 17 }), { code: 'INVALID_ARGUMENT', field: 'expiresAt' });

  const admin = new DynamicAdminClient({ environmentId, apiToken: ADMIN_TOKEN, baseUrl: apiBase, dangerouslyAllowBrowser: true });
  await assert.rejects(admin.bulkCreateUsers('users'), { code: 'INVALID_ARGUMENT', field: 'users' });
  await assert.rejects(admin.bulkCreateUsers([{ email: 5 }]), { code: 'INVALID_ARGUMENT', field: 'users' });
  await assert.rejects(admin.bulkCreateUsers([], { upsert: 'yes' }), { code: 'INVALID_ARGUMENT', field: 'upsert' });

  const snag = new SnagClient({ baseUrl: `${sandboxUrl}/snag` });
  await assert.rejects(snag.connectWallet(undefined), { code: 'INVALID_ARGUMENT', field: 'params' });
  await assert.rejects(snag.connectWallet({ walletType: 'evm' }), { code: 'INVALID_ARGUMENT', field: 'params' });

  const link = new LinkServerClient({ baseUrl: linkServerUrl, authToken: 'x' });
  const proof = { walletType: 'evm', walletAddress: '0xabc', message: 'm', signature: '0xsig' };
  const { calls } = await countingFetches(async () => {
    for (const bad of [undefined, null, 'params', 7]) {
      const pending = link.connectWallet(bad);
      assert.ok(pending instanceof Promise);
      await assert.rejects(pending, { code: 'INVALID_ARGUMENT', field: 'params' });
    }
    await assert.rejects(link.connectWallet({ walletType: 'evm' }), { code: 'INVALID_ARGUMENT', field: 'walletAddress' });
    await assert.rejects(link.connectWallet({ ...proof, walletType: 1 }), { code: 'INVALID_ARGUMENT', field: 'walletType' });
    await assert.rejects(link.connectWallet({ ...proof, message: undefined }), { code: 'INVALID_ARGUMENT', field: 'message' });
    await assert.rejects(link.connectWallet({ ...proof, signature: undefined, verificationData: { message: 'm' } }), { code: 'INVALID_ARGUMENT', field: 'signature' });
  });
  assert.equal(calls, 0, 'no bad argument was sent');
});

// ---------------------------------------------------------------------------------------------
// What is sent and what comes back: requests reduced to their model's members and checked;
// responses as parsed, checked for the members their model requires. A stubbed global fetch
// answers here (no sandbox), so the exact JSON on both sides is visible.

/** Runs `body` while the global fetch records each request and answers `status` with `answer`. */
async function withAnswer(status, answer, body) {
  const original = globalThis.fetch;
  const sent = [];
  globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ url: request.url, body: request.body === null ? undefined : JSON.parse(await request.text()) });
    const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
    return new Response(text, { status, headers: { 'content-type': 'application/json' } });
  };
  try {
    return { outcome: await body(), sent };
  } finally {
    globalThis.fetch = original;
  }
}

const STUB_BASE = 'http://127.0.0.1:9/api/v0';
const stubDynamic = (options = {}) => new DynamicClient({ environmentId, baseUrl: STUB_BASE, authToken: 'old.jwt', maxRetries: 0, ...options });
const stubAnswer = {
  user: { id: 'u1', projectEnvironmentId: environmentId, verifiedCredentials: [{ id: 'c1', format: 'blockchain', signInEnabled: true }] },
  expiresAt: 1767229200,
  jwt: 'new.jwt',
};
const minimalRequest = {
  signedMessage: '0xsig', messageToSign: 'msg', publicWalletAddress: '0xabc', chain: 'EVM', walletName: 'metamask', walletProvider: 'browserExtension',
};

test('a request sends only the members its model knows, at every level', async () => {
  const request = {
    ...minimalRequest,
    unknownTopLevel: 'dropped',
    captchaToken: undefined,
    network: null,
    oauth: { provider: 'google', accessToken: 'at', extra: 1 },
    additionalWalletAddresses: [{ address: 'bc1q', type: 'ordinals', hidden: true }],
    requestedScopes: ['credential:link'],
  };
  const { sent } = await withAnswer(200, stubAnswer, () => stubDynamic().verifyLink(request));
  assert.deepEqual(sent[0].body, {
    ...minimalRequest,
    oauth: { provider: 'google', accessToken: 'at' },
    additionalWalletAddresses: [{ address: 'bc1q', type: 'ordinals' }],
    requestedScopes: ['credential:link'],
  });
  // Free-form members are sent as given.
  const admin = new DynamicAdminClient({ environmentId, apiToken: ADMIN_TOKEN, baseUrl: STUB_BASE, dangerouslyAllowBrowser: true });
  const users = [{ email: 'a@example.com', metadata: { nested: [1, null, { deep: 'x' }] }, other: 'dropped' }];
  const bulk = await withAnswer(201, { total: 1 }, () => admin.bulkCreateUsers(users));
  assert.deepEqual(bulk.sent[0].body, [{ email: 'a@example.com', metadata: { nested: [1, null, { deep: 'x' }] } }]);
  assert.deepEqual(bulk.outcome, { total: 1 });
});

test('a request member of the wrong type is INVALID_ARGUMENT naming its path, and nothing is sent', async () => {
  const admin = new DynamicAdminClient({ environmentId, apiToken: ADMIN_TOKEN, baseUrl: STUB_BASE, dangerouslyAllowBrowser: true });
  const snag = new SnagClient({ baseUrl: `${STUB_BASE}/snag` });
  const ton = { account: { address: 'a', chain: '-239', publicKey: 'pk' }, proof: { domain: { lengthBytes: 3, value: 'a.b' }, payload: 'p', signature: 's', timestamp: 'now' } };
  const cases = [
    [() => stubDynamic().verify({ ...minimalRequest, chain: 1 }), 'request', /request\.chain must be a string, received number/],
    [() => stubDynamic().verifyLink({ ...minimalRequest, walletName: undefined }), 'request', /request\.walletName is required/],
    [() => stubDynamic().verifyLink({ ...minimalRequest, oauth: 'google' }), 'request', /request\.oauth must be an object/],
    [() => stubDynamic().verifyLink({ ...minimalRequest, additionalWalletAddresses: [{ address: 'a' }] }), 'request', /request\.additionalWalletAddresses\[0\]\.type is required/],
    [() => stubDynamic().verifyLink({ ...minimalRequest, requestedScopes: ['a', 7] }), 'request', /request\.requestedScopes must be an array of strings/],
    [() => stubDynamic().verifyLink({ ...minimalRequest, skipEmptyAccountCheck: 'yes' }), 'request', /skipEmptyAccountCheck must be a boolean/],
    [() => stubDynamic().verifyUnlink({ walletId: 5 }), 'request', /request\.walletId/],
    [() => admin.bulkCreateUsers([{ email: 'a@example.com' }, 'bob']), 'users', /users\[1\] must be an object/],
    [() => admin.bulkCreateUsers([{ wallets: [{ chain: 'EVM' }] }]), 'users', /users\[0\]\.wallets\[0\]\.publicWalletAddress is required/],
    [() => snag.connectWallet({ organizationId: 'o', walletAddress: 'w', walletType: 'ton', websiteId: 'x', verificationData: { tonVerification: ton } }),
      'params', /params\.verificationData\.tonVerification\.proof\.timestamp must be a finite number/],
  ];
  for (const [call, field, message] of cases) {
    const { sent } = await withAnswer(200, stubAnswer, async () => {
      await assert.rejects(call(), (e) => {
        assert.equal(e.code, 'INVALID_ARGUMENT');
        assert.equal(e.field, field);
        assert.match(e.message, message);
        return true;
      });
    });
    assert.equal(sent.length, 0);
  }
});

test('a response reaches the caller as parsed: unknown members kept, null members absent', async () => {
  const answer = {
    ...stubAnswer,
    newFeature: { x: [1, 2] },
    mfaToken: null,
    user: { ...stubAnswer.user, alias: null, metadata: { plan: null, list: [null] } },
  };
  const client = stubDynamic();
  const { outcome } = await withAnswer(200, answer, () => client.verifyLink(minimalRequest));
  assert.deepEqual(outcome, {
    ...stubAnswer,
    newFeature: { x: [1, 2] },
    user: { ...stubAnswer.user, metadata: { plan: null, list: [null] } },
  });
  assert.equal('mfaToken' in outcome, false);
  assert.equal(client.authToken, 'new.jwt');
  // An expiry the service writes as a numeric string is the number the type promises.
  const stringly = await withAnswer(200, { ...stubAnswer, expiresAt: '1715620310' }, () => stubDynamic().verify(minimalRequest));
  assert.equal(stringly.outcome.expiresAt, 1715620310);
});

test('a response without a member its model requires is INVALID_RESPONSE naming it', async () => {
  const { user } = stubAnswer;
  const cases = [
    [(c) => c.verifyLink(minimalRequest), { jwt: 'new.jwt', expiresAt: 1 }, 'user'],
    [(c) => c.verifyLink(minimalRequest), { user: { ...user, verifiedCredentials: {} }, expiresAt: 1, jwt: 'new.jwt' }, 'verifiedCredentials'],
    [(c) => c.verify(minimalRequest), { user, expiresAt: 'soon' }, 'expiresAt'],
    [(c) => c.verify(minimalRequest), [stubAnswer], undefined],
    [(c) => c.getNonce(), { nonce: '' }, 'nonce'],
    [(c) => c.createGlobalWalletConnection({ expiresAt: new Date() }), { userId: 'u', appUrl: 'a', status: 'connected', createdAt: 'c' }, 'id'],
  ];
  for (const [call, answer, field] of cases) {
    const client = stubDynamic();
    await withAnswer(200, answer, async () => {
      await assert.rejects(call(client), (e) => {
        assert.equal(e.code, 'INVALID_RESPONSE');
        assert.equal(e.status, 200);
        assert.equal(e.field, field);
        assert.equal(e.body, JSON.stringify(answer));
        return true;
      });
    });
    assert.equal(client.authToken, 'old.jwt', 'the jwt of an invalid response is not kept');
  }
  const snag = new SnagClient({ baseUrl: `${STUB_BASE}/snag` });
  await withAnswer(200, { id: 's', createdAt: 'c', updatedAt: 'u' }, async () => {
    await assert.rejects(snag.connectWallet({ organizationId: 'o', walletAddress: 'w', walletType: 'evm', websiteId: 'x' }), { code: 'INVALID_RESPONSE', field: 'walletAddress' });
  });
  await withAnswer(200, '[1, 2', async () => {
    await assert.rejects(stubDynamic().getNonce(), { code: 'INVALID_RESPONSE', body: '[1, 2' });
  });
});

test('close the sandbox', async () => {
  await closeSandbox();
});
