// The fault matrix: every kind of HTTP failure the sandbox can inject, against an idempotent GET
// (nonce) and a state-changing POST (verify/link), from Node and (bundled) from Chromium. Each row
// states the outcome (success, or the error code) and how many attempts reached the server; for
// the link, that the wallet is linked at most once whatever happened.
import { test, assert, platform } from './harness.mjs';
import * as wl from 'wallet-linker';
import { sandboxUrl, closeSandbox } from './sandbox-url.mjs';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';


async function control(path, method = 'GET', body) {
  const response = await fetch(`${sandboxUrl}/__sandbox/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}
const { environmentId } = await control('state');
const domain = typeof location !== 'undefined' && location.host ? location.host : 'localhost';
const client = (options) => new wl.DynamicClient({ environmentId, baseUrl: `${sandboxUrl}/api/v0`, timeoutMs: 2000, ...options });
const httpDate = (msFromNow) => new Date(Date.now() + msFromNow).toUTCString();

async function linkRequest(dynamic) {
  const account = privateKeyToAccount(generatePrivateKey());
  const nonce = await dynamic.getNonce();
  const messageToSign = [
    `${domain} wants you to sign in with your Ethereum account:`, account.address, '',
    'Link this wallet.', '', `URI: http://${domain}`, 'Version: 1', 'Chain ID: 1',
    `Nonce: ${nonce}`, `Issued At: ${new Date().toISOString()}`,
  ].join('\n');
  return {
    address: account.address,
    request: {
      signedMessage: await account.signMessage({ message: messageToSign }),
      messageToSign, publicWalletAddress: account.address, chain: 'EVM', walletName: 'metamask', walletProvider: 'browserExtension',
    },
  };
}

// [name, fault spec (path filled in), GET outcome, GET attempts, POST outcome, POST attempts]
// Outcomes: 'ok' or an error code; attempts are the requests the server logged. `NETWORK|...`
// lists codes the platform may pick between (e.g. a body cut short reads as a network failure in
// one engine and as bad JSON in another); `,` in attempts likewise.
const MATRIX = [
  ['slow response within the timeout', { kind: 'delay', delayMs: 300 }, 'ok', '1', 'ok', '1'],
  ['slow response past the timeout', { kind: 'delay', delayMs: 4000, times: 3 }, 'TIMEOUT', '3', 'TIMEOUT', '1'],
  // Chromium itself re-sends a request whose reused keep-alive connection was reset before any
  // response byte (the server did not act), so the POST may succeed there on its second attempt.
  ['connection reset before any byte', { kind: 'reset' }, 'ok', '2', 'NETWORK|ok', '1,2'],
  ['connection reset mid-body', { kind: 'reset-mid-body' }, 'ok', '2', 'NETWORK|INVALID_RESPONSE', '1'],
  ['503 burst (3x, no Retry-After): retries are bounded', { kind: 'status', status: 503, times: 3 }, 'HTTP_ERROR', '3', 'HTTP_ERROR', '1'],
  ['503 burst (2x) then success', { kind: 'status', status: 503, times: 2 }, 'ok', '3', 'HTTP_ERROR', '1'],
  ['503 with Retry-After seconds', { kind: 'status', status: 503, retryAfter: 1 }, 'ok', '2', 'ok', '2'],
  ['429 with Retry-After as an HTTP date', { kind: 'status', status: 429, retryAfter: () => httpDate(1500) }, 'ok', '2', 'ok', '2'],
  ['429 with retry-after-ms', { kind: 'status', status: 429, retryAfterMs: 200 }, 'ok', '2', 'ok', '2'],
  ['500 error', { kind: 'status', status: 500 }, 'ok', '2', 'HTTP_ERROR', '1'],
  ['HTML error page (502)', { kind: 'html', status: 502, times: 3 }, 'HTTP_ERROR', '3', 'HTTP_ERROR', '1'],
  ['malformed JSON in a 200', { kind: 'malformed-json' }, 'INVALID_RESPONSE', '1', 'INVALID_RESPONSE', '1'],
  ['truncated body (Content-Length too large)', { kind: 'truncated' }, 'ok|NETWORK|INVALID_RESPONSE', '1,2', 'NETWORK|INVALID_RESPONSE', '1'],
  ['oversized body (20 MiB)', { kind: 'oversized' }, 'INVALID_RESPONSE', '1', 'INVALID_RESPONSE', '1'],
  ['JSON labelled text/plain', { kind: 'wrong-content-type' }, 'ok|INVALID_RESPONSE', '1', 'ok|INVALID_RESPONSE', '1'],
  ['response lost after the server acted', { kind: 'lost-response' }, 'ok', '2', 'NETWORK|HTTP_ERROR', '1,2'],
];

async function run(call, fault, path, method) {
  const before = (await control('state')).requestSeq;
  const retryAfter = typeof fault.retryAfter === 'function' ? fault.retryAfter() : fault.retryAfter;
  await control('faults', 'POST', [{ ...fault, retryAfter, path, method }]);
  let outcome = 'ok';
  let error;
  try {
    await call();
  } catch (e) {
    error = e;
    outcome = wl.isWalletLinkerError(e) ? e.code : `foreign ${e?.name}: ${e?.message}`;
  } finally {
    await control('faults', 'DELETE');
  }
  // The server logs a request when it has answered it: let delayed answers land first.
  if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs + 300));
  // By method too: a browser's CORS preflights (OPTIONS) are logged under the same path.
  const log = (await control('state')).requestLog.filter((r) => r.seq > before && r.method === method && r.path.includes(path));
  return { outcome, attempts: log.length, error };
}

const matrix = [];
for (const [name, fault, getOutcome, getAttempts, postOutcome, postAttempts] of MATRIX) {
  test(`fault: ${name}`, { timeout: 60_000 }, async () => {
    const get = await run(() => client().getNonce(), fault, '/nonce', 'GET');
    assert.ok(getOutcome.split('|').includes(get.outcome), `GET nonce: ${get.outcome} (${get.error?.message}), expected ${getOutcome}`);
    assert.ok(getAttempts.split(',').includes(String(get.attempts)), `GET nonce: ${get.attempts} attempts, expected ${getAttempts}`);

    const session = await control('session', 'POST', {});
    const dynamic = client({ authToken: session.jwt });
    const { address, request } = await linkRequest(dynamic);
    const post = await run(() => dynamic.verifyLink(request), fault, '/verify/link', 'POST');
    assert.ok(postOutcome.split('|').includes(post.outcome), `POST link: ${post.outcome} (${post.error?.message}), expected ${postOutcome}`);
    assert.ok(postAttempts.split(',').includes(String(post.attempts)), `POST link: ${post.attempts} attempts, expected ${postAttempts}`);
    const user = (await control('state')).users.find((u) => u.id === session.user.id);
    const copies = user.verifiedCredentials.filter((c) => c.address === address).length;
    assert.ok(copies <= 1, `the wallet is linked ${copies} times`);
    if (post.outcome === 'ok') assert.equal(copies, 1);
    matrix.push(`| ${name} | ${get.outcome} (${get.attempts}) | ${post.outcome} (${post.attempts}), linked ${copies}x |`);
  });
}

// A refused connection (nothing listens on the port) is a configuration error: Node's fetch names
// it (ECONNREFUSED), and the client fails at once with NETWORK, without a retry or a wait, for a
// GET as for a POST. A browser's fetch reports every network failure as a bare TypeError, so a
// page cannot tell a refused port from a reset: there the GET is retried like any failure and the
// POST is not (Chromium refuses port 9 itself, which looks the same to the page).
test('a refused connection is NETWORK at once (one attempt, no wait) where the runtime names the refusal', { timeout: 30_000 }, async () => {
  let baseUrl = 'http://127.0.0.1:9/api/v0';
  if (platform === 'node') {
    // A loopback port that was just free: nothing listens there. (Non-literal: Node only.)
    const net = await import(['node', 'net'].join(':'));
    const server = net.createServer();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(resolve));
    baseUrl = `http://127.0.0.1:${port}/api/v0`;
  }
  const request = {
    signedMessage: '0x00', messageToSign: 'm', publicWalletAddress: '0xbF394748301603f18d953C90F0b087CBEC0E1834',
    chain: 'EVM', walletName: 'metamask', walletProvider: 'browserExtension',
  };
  const calls = [
    // [name, call, attempts in a browser]
    ['GET nonce', (dynamic) => dynamic.getNonce(), 3],
    ['POST verify/link', (dynamic) => dynamic.verifyLink(request), 1],
  ];
  const attempts = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (url.startsWith(baseUrl)) attempts.push(url);
    return realFetch(input, init);
  };
  try {
    for (const [name, call, browserAttempts] of calls) {
      attempts.length = 0;
      const dynamic = new wl.DynamicClient({ environmentId, baseUrl, authToken: 'test.jwt', maxRetries: 2 });
      const started = performance.now();
      let error;
      try {
        await call(dynamic);
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - started;
      assert.ok(wl.isWalletLinkerError(error), `${name}: ${error}`);
      assert.equal(error.code, 'NETWORK', `${name}: ${error.message}`);
      if (platform === 'node') {
        assert.match(error.message, /ECONNREFUSED/, name);
        assert.match(error.message, /not retried/, name);
        assert.equal(attempts.length, 1, `${name}: ${attempts.length} attempts`);
        // Faster than the first backoff (at least 375 ms): no wait at all.
        assert.ok(ms < 375, `${name}: ${Math.round(ms)} ms`);
      } else {
        assert.equal(attempts.length, browserAttempts, `${name}: ${attempts.length} attempts`);
      }
    }
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('fault matrix summary', async (t) => {
  t.diagnostic?.(`\n| fault (${platform}) | GET nonce (attempts) | POST verify/link (attempts) |\n|---|---|---|\n${matrix.join('\n')}`);
  if (platform === 'node') console.log(`| fault (${platform}) | GET nonce | POST verify/link |\n|---|---|---|\n${matrix.join('\n')}`);
  assert.equal(matrix.length, MATRIX.length);
  await closeSandbox();
});
