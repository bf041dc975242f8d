// The link server and its nonce store: a store that hangs or throws fails the request with 503
// NONCE_STORE within `nonceStoreTimeoutMs`, and 405 answers name the allowed method.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLinkServer } from 'wallet-linker/server';

const config = (nonces, extra = {}) => ({
  domain: 'app.example.com',
  dynamic: { environmentId: 'env', baseUrl: 'http://127.0.0.1:9/api/v0' },
  snag: { apiKey: 'k', baseUrl: 'http://127.0.0.1:9', websiteId: 'w', organizationId: 'o' },
  nonces,
  ...extra,
});

test('a nonce store that never answers is a 503 after nonceStoreTimeoutMs', async () => {
  const hanging = { issue: () => new Promise(() => {}), consume: () => new Promise(() => {}) };
  const server = createLinkServer(config(hanging, { nonceStoreTimeoutMs: 200 }));
  const started = performance.now();
  const response = await server.fetch(new Request('http://x/nonce'));
  const elapsed = performance.now() - started;
  assert.equal(response.status, 503);
  const body = await response.json();
  assert.equal(body.code, 'NONCE_STORE');
  assert.match(body.message, /200 ms/);
  assert.ok(elapsed >= 190 && elapsed < 2000, `${elapsed} ms`);
});

test('a nonce store that throws, or answers nonsense, is a 503', async () => {
  const stores = [
    { issue: () => { throw new Error('redis down'); }, consume: () => false },
    { issue: async () => { throw new Error('redis down'); }, consume: () => false },
    { issue: () => 42, consume: () => false },
    { issue: () => 'short', consume: () => false },
  ];
  for (const store of stores) {
    const response = await createLinkServer(config(store)).fetch(new Request('http://x/nonce'));
    assert.equal(response.status, 503);
    assert.equal((await response.json()).code, 'NONCE_STORE');
  }
  assert.throws(() => createLinkServer(config({ issue() {} })), { code: 'INVALID_ARGUMENT', field: 'nonces' });
  assert.throws(() => createLinkServer(config(undefined, { nonceStoreTimeoutMs: 0 })), { code: 'INVALID_ARGUMENT', field: 'nonceStoreTimeoutMs' });
});

test('405 names the allowed method; 404 does not', async () => {
  const server = createLinkServer(config(undefined));
  const wrong = await server.fetch(new Request('http://x/nonce', { method: 'POST', body: '{}' }));
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'GET');
  const connect = await server.fetch(new Request('http://x/snag/connect'));
  assert.equal(connect.headers.get('allow'), 'POST');
  const missing = await server.fetch(new Request('http://x/other'));
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('allow'), null);
});
