// `wallet-linker/server` in Node: the attack list (server-cases.mjs) against toNodeHandler +
// http.createServer, then what only Node can do here: swapped nonce stores (Redis through
// node-redis and ioredis, stores that misbehave), a swapped clock, JWKS failures on a cold cache,
// and verifyDynamicJwt against a JWKS served by this file (tokens made by jose).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { createClient } from 'redis';
import { Redis as IORedis } from 'ioredis';
import { SignJWT, exportJWK, generateKeyPair, UnsecuredJWT } from 'jose';
import { createLinkServer, MemoryNonceStore, RedisNonceStore, WalletLinkerError, toNodeHandler, verifyDynamicJwt } from 'wallet-linker/server';

import { cases } from './server-cases.mjs';
import { createTestApp } from './server-app.mjs';
import {
  DOMAIN,
  ORGANIZATION_ID,
  WEBSITE_ID,
  appConfig,
  assertRefusal,
  deadUrl,
  evmWallet,
  expectedSnagBody,
  listen,
  post,
  read,
  siweProof,
  siwsProof,
  startSandbox,
  withSnagRecord,
} from './server-fixtures.mjs';
import { startRedis } from './redis-harness.mjs';
import { signJwt } from '../../www/sandbox/jwt.mjs';

const sb = await startSandbox();
const { sandbox } = sb;
const config = await appConfig(sandbox, sb.url);
const app = createTestApp({ createLinkServer, MemoryNonceStore }, config);
const node = await listen(toNodeHandler(app));
const ctx = { url: (path) => `${node.url}${path}`, sandbox, environmentId: sandbox.environmentId };
after(async () => {
  await node.close();
  await sb.close();
});

describe('attack list: toNodeHandler + http.createServer', () => {
  for (const c of cases) test(c.name, () => c.run(ctx));
});

// ------------------------------------------------------------------------------------------------
// Node-only: servers built here with their own store or clock.

/** A link server on the sandbox, served by Node; `overrides` go into its configuration. */
async function serve(overrides = {}, { dynamic = {}, snag = {} } = {}) {
  const server = createLinkServer({
    domain: DOMAIN,
    dynamic: { environmentId: sandbox.environmentId, baseUrl: `${sb.url}/api/v0`, ...dynamic },
    snag: { apiKey: sandbox.snagApiKey, baseUrl: `${sb.url}/snag`, websiteId: WEBSITE_ID, organizationId: ORGANIZATION_ID, ...snag },
    ...overrides,
  });
  const http = await listen(toNodeHandler(server));
  return { server, url: http.url, close: http.close };
}

async function nonceOf(url) {
  const res = await read(await fetch(`${url}/nonce`));
  assert.equal(res.status, 200, res.text);
  return res.json.nonce;
}

const connect = (url, body, jwt = sandbox.issueJwt()) => post(`${url}/snag/connect`, { jwt, body });

async function refusedHere(fn, status, code, field) {
  const [res, calls] = await withSnagRecord(sandbox, fn);
  assertRefusal(res, status, code, field);
  assert.deepEqual(calls, [], 'Snag receives nothing');
  return res;
}

async function acceptedHere(url, proof, jwt) {
  const [res, calls] = await withSnagRecord(sandbox, () => connect(url, proof, jwt));
  assert.equal(res.status, 200, res.text);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].body, expectedSnagBody(proof));
  return res;
}

describe('nonce stores (Node)', () => {
  let redis;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis?.stop());

  for (const [name, makeClient] of [
    ['node-redis', async (url) => {
      const client = createClient({ url, socket: { reconnectStrategy: false } });
      client.on('error', () => {});
      await client.connect();
      return { client, close: () => client.destroy() };
    }],
    ['ioredis', async (url) => {
      const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
      client.on('error', () => {});
      await client.connect();
      return { client, close: () => client.disconnect() };
    }],
  ]) {
    test(`RedisNonceStore (${name}): keys with TTL, consumed once; two servers sharing Redis race: exactly one reaches Snag`, async (t) => {
      const a = await makeClient(redis.url);
      const b = await makeClient(redis.url);
      const prefix = `test:${name}:${randomUUID()}:`;
      const one = await serve({ nonces: new RedisNonceStore(a.client, { prefix }), nonceTtlMs: 60_000 });
      const two = await serve({ nonces: new RedisNonceStore(b.client, { prefix }) });
      t.after(async () => {
        await one.close();
        await two.close();
        await a.close();
        await b.close();
      });
      const nonce = await nonceOf(one.url);
      // Stored in Redis under the prefix, with the server's nonce TTL.
      const ttl = Number(await (name === 'ioredis' ? a.client.pttl(prefix + nonce) : a.client.pTTL(prefix + nonce)));
      assert.ok(ttl > 55_000 && ttl <= 60_000, `PTTL ${ttl}`);
      const proof = await siweProof({ nonce });
      // Issued by one server, spent through the other: 8 identical requests, 4 on each.
      const jwt = sandbox.issueJwt();
      const [results, calls] = await withSnagRecord(sandbox, () =>
        Promise.all(Array.from({ length: 8 }, (_, i) => connect(i % 2 ? one.url : two.url, proof, jwt))),
      );
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409]);
      assert.equal(calls.length, 1);
      assert.deepEqual(calls[0].body, expectedSnagBody(proof));
      assert.equal(Number(await a.client.exists(prefix + nonce)), 0, 'the key is gone');
      // A nonce never issued, and a nonce under another prefix, are unknown.
      await refusedHere(() => connect(two.url, siwsProof({ nonce: 'AAAAAAAAAAAAAAAAAAAAAA' })), 409, 'NONCE_UNKNOWN', 'nonce');
    });
  }

  test('RedisNonceStore with Redis gone → 503 NONCE_STORE for GET nonce and connect; Snag untouched', async (t) => {
    const own = await startRedis();
    const client = createClient({ url: own.url, socket: { reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect();
    const s = await serve({ nonces: new RedisNonceStore(client) });
    t.after(async () => {
      await s.close();
      await own.stop();
    });
    const proof = await siweProof({ nonce: await nonceOf(s.url) });
    await own.stop();
    await refusedHere(() => connect(s.url, proof), 503, 'NONCE_STORE');
    await refusedHere(async () => read(await fetch(`${s.url}/nonce`)), 503, 'NONCE_STORE');
  });

  test('a store that answers nonsense → 503 NONCE_STORE, never a success', async (t) => {
    const inner = new MemoryNonceStore();
    const stores = {
      'consume gives a string': { issue: (ttl) => inner.issue(ttl), consume: () => 'yes' },
      'consume gives 1': { issue: (ttl) => inner.issue(ttl), consume: async () => 1 },
      'consume throws synchronously': { issue: (ttl) => inner.issue(ttl), consume: () => { throw new Error('boom'); } },
    };
    for (const [what, nonces] of Object.entries(stores)) {
      const s = await serve({ nonces });
      t.after(s.close);
      const proof = await siweProof({ nonce: await nonceOf(s.url) });
      const res = await refusedHere(() => connect(s.url, proof), 503, 'NONCE_STORE');
      assert.ok(res.json.message.length > 0, what);
    }
    for (const [what, issue] of [['a short nonce', () => 'short'], ['a number', () => 12345678901], ['a nonce with a space', () => 'abcdefgh ijklmnop']]) {
      const s = await serve({ nonces: { issue, consume: () => true } });
      t.after(s.close);
      const res = await refusedHere(async () => read(await fetch(`${s.url}/nonce`)), 503, 'NONCE_STORE');
      assert.ok(res.json.message.length > 0, what);
    }
  });

  test('MemoryNonceStore: a nonce past nonceTtlMs → 409; maxEntries full → GET nonce 503 without evicting', async (t) => {
    const s = await serve({ nonceTtlMs: 1000 });
    t.after(s.close);
    const proof = await siweProof({ nonce: await nonceOf(s.url) });
    await sleep(1100);
    await refusedHere(() => connect(s.url, proof), 409, 'NONCE_UNKNOWN', 'nonce');
    const full = await serve({ nonces: new MemoryNonceStore({ maxEntries: 2 }) });
    t.after(full.close);
    const first = await nonceOf(full.url);
    await nonceOf(full.url);
    await refusedHere(async () => read(await fetch(`${full.url}/nonce`)), 503, 'NONCE_STORE');
    // The live nonces were kept: the first still works.
    await acceptedHere(full.url, await siweProof({ nonce: first }));
  });
});

describe('configuration (Node)', () => {
  test('the clock (`now`) drives message age and token expiry', async (t) => {
    const hourAhead = await serve({ now: () => Date.now() + 3_600_000 });
    t.after(hourAhead.close);
    // A message issued now is an hour old for this server; the 2 h token is still valid.
    await refusedHere(async () => connect(hourAhead.url, await siweProof({ nonce: await nonceOf(hourAhead.url) })), 422, 'EXPIRED', 'issuedAt');
    const proof = await siweProof({ nonce: await nonceOf(hourAhead.url), fields: { issuedAt: new Date(Date.now() + 3_600_000) } });
    await refusedHere(() => connect(hourAhead.url, proof, sandbox.issueJwt({}, { ttlSeconds: 1800 })), 401, 'UNAUTHENTICATED', 'exp');
    await acceptedHere(hourAhead.url, proof);
  });

  test('maxAgeSeconds and basePath: a 31 s old message is refused at 30; routes live under the path only', async (t) => {
    const s = await serve({ maxAgeSeconds: 30, basePath: '/api/link/' });
    t.after(s.close);
    const nonce = await nonceOf(`${s.url}/api/link`);
    await refusedHere(() => connect(`${s.url}/api/link`, siwsProof({ nonce, input: { issuedAt: new Date(Date.now() - 31_000).toISOString() } })), 422, 'EXPIRED', 'issuedAt');
    await refusedHere(async () => read(await fetch(`${s.url}/nonce`)), 404, 'ROUTE_NOT_FOUND');
    // A query string does not change the route.
    const q = await read(await fetch(`${s.url}/api/link/nonce?cache=bust`));
    assert.equal(q.status, 200);
    await acceptedHere(`${s.url}/api/link`, siwsProof({ nonce, input: { issuedAt: new Date(Date.now() - 20_000).toISOString() } }));
  });

  test('bad configurations throw INVALID_ARGUMENT before serving', () => {
    const good = {
      domain: DOMAIN,
      dynamic: { environmentId: sandbox.environmentId },
      snag: { apiKey: 'k', websiteId: 'w', organizationId: 'o' },
    };
    assert.doesNotThrow(() => createLinkServer(good));
    for (const [what, bad] of [
      ['no domain', { ...good, domain: undefined }],
      ['a domain with a path', { ...good, domain: 'example.com/x' }],
      ['no environment', { ...good, dynamic: {} }],
      ['no websiteId', { ...good, snag: { ...good.snag, websiteId: '' } }],
      ['no apiKey', { ...good, snag: { websiteId: 'w', organizationId: 'o' } }],
      ['maxAgeSeconds 0', { ...good, maxAgeSeconds: 0 }],
      ['maxAgeSeconds 2 days', { ...good, maxAgeSeconds: 172_800 }],
      ['nonceTtlMs 10', { ...good, nonceTtlMs: 10 }],
      ['a relative basePath', { ...good, basePath: 'api' }],
      ['a store without consume', { ...good, nonces: { issue() {} } }],
      ['snagUserId not a function', { ...good, snagUserId: 'u' }],
    ]) {
      assert.throws(() => createLinkServer(bad), (e) => e instanceof WalletLinkerError && ['INVALID_ARGUMENT', 'MISSING_FIELD', 'INVALID_FIELD'].includes(e.code), what);
    }
  });

  test('an upload that breaks off rejects with a WalletLinkerError (NETWORK), the cause attached', async () => {
    const server = createLinkServer({
      domain: DOMAIN,
      dynamic: { environmentId: sandbox.environmentId },
      snag: { apiKey: 'k', websiteId: 'w', organizationId: 'o' },
    });
    const broken = new Error('connection reset by the client');
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"walletType":'));
      },
      pull(controller) {
        controller.error(broken);
      },
    });
    const request = new Request(`http://${DOMAIN}/snag/connect`, { method: 'POST', body, duplex: 'half' });
    await assert.rejects(server.fetch(request), (e) => e instanceof WalletLinkerError && e.code === 'NETWORK' && e.cause === broken && /connection reset/.test(e.message));
  });

  test('the snagUserId hook: an async id, undefined (Snag decides), a throw → 500 INTERNAL, nonce spent, Snag untouched', async (t) => {
    const asyncHook = await serve({ snagUserId: async (user) => `async-${user.userId}` });
    const none = await serve({ snagUserId: () => undefined });
    const throws = await serve({ snagUserId: () => { throw new Error('user table down'); } });
    t.after(async () => {
      await asyncHook.close();
      await none.close();
      await throws.close();
    });
    const sub = randomUUID();
    const p1 = await siweProof({ nonce: await nonceOf(asyncHook.url) });
    const [r1, c1] = await withSnagRecord(sandbox, () => connect(asyncHook.url, p1, sandbox.issueJwt({ sub })));
    assert.equal(r1.status, 200, r1.text);
    assert.deepEqual(c1[0].body, expectedSnagBody(p1, { userId: `async-${sub}` }));
    await acceptedHere(none.url, await siweProof({ nonce: await nonceOf(none.url) }));
    const p3 = await siweProof({ nonce: await nonceOf(throws.url) });
    const res = await refusedHere(() => connect(throws.url, p3), 500, 'INTERNAL');
    assert.match(res.json.message, /user table down/);
    // The hook runs after the nonce was consumed: the same proof is now a replay.
    await refusedHere(() => connect(throws.url, p3), 409, 'NONCE_UNKNOWN', 'nonce');
  });
});

// ------------------------------------------------------------------------------------------------
// A JWKS served here, counting its requests, for verifyDynamicJwt and cold-cache failures.

/** `{ url(path), hits(path), keys: Map<path, jwks>, mode, close }`: serves `keys.get(path)`. */
async function startJwksServer() {
  const hits = new Map();
  const documents = new Map();
  const state = { mode: 'ok', paths: [] };
  const http = await listen((req, res) => {
    const path = req.url;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    state.paths.push(path);
    if (state.mode === 'hang') return; // never answers (closed with the server)
    if (state.mode === '500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      return res.end('{"error":"down"}');
    }
    if (state.mode === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html>maintenance</html>');
    }
    if (state.mode === 'not-jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"keys":"none"}');
    }
    const doc = documents.get(path);
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(doc ?? { error: 'not found' }));
  });
  return {
    base: http.url,
    url: (path) => `${http.url}${path}`,
    hits: (path) => hits.get(path) ?? 0,
    documents,
    state,
    close: http.close,
  };
}

/** An RS256 key by jose: `{ kid, privateKey, jwk (public, with kid/alg/use) }`. */
async function joseKey(kid = randomUUID(), modulusLength = 2048) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true, modulusLength });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

const ENV = '0f6a4d0e-3c57-4a53-a2e3-7c9b0f1e2d3c';
const ISS = `app.dynamicauth.com/${ENV}`;

/** A token by jose's SignJWT; `at` (epoch s) sets iat, exp = at + ttl. */
function joseToken(key, { at = Math.floor(Date.now() / 1000), ttl = 3600, claims = {}, kid = key.kid } = {}) {
  return new SignJWT({ environment_id: ENV, ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(ISS)
    .setSubject(claims.sub ?? randomUUID())
    .setIssuedAt(at)
    .setExpirationTime(at + ttl)
    .sign(key.privateKey);
}

describe('verifyDynamicJwt (Node, jose-signed tokens, a JWKS served here)', () => {
  let jwks;
  before(async () => {
    jwks = await startJwksServer();
  });
  after(() => jwks.close());

  /** A fresh JWKS path (its own cache entry in the package) holding `keys`. */
  const fresh = (keys) => {
    const path = `/${randomUUID()}/jwks.json`;
    jwks.documents.set(path, { keys: keys.map((k) => k.jwk) });
    return path;
  };

  test('a jose token verifies; the user and every claim come back', async () => {
    const key = await joseKey();
    const path = fresh([key]);
    const sub = randomUUID();
    const credentials = [{ id: randomUUID(), format: 'blockchain', address: evmWallet().address, chain: 'eip155' }];
    const token = await joseToken(key, { claims: { sub, verified_credentials: credentials, scope: 'user:basic', custom: { nested: [1, 2] } } });
    const user = await verifyDynamicJwt(token, { environmentId: ENV, jwksUrl: jwks.url(path) });
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
    assert.deepEqual(user, {
      userId: sub,
      environmentId: ENV,
      issuer: ISS,
      expiresAt: claims.exp,
      verifiedCredentials: credentials,
      claims,
    });
    // Without verified_credentials: an empty array.
    const bare = await verifyDynamicJwt(await joseToken(key), { environmentId: ENV, jwksUrl: jwks.url(path) });
    assert.deepEqual(bare.verifiedCredentials, []);
    assert.equal(jwks.hits(path), 1, 'the JWKS is fetched once and cached');
  });

  test('baseUrl: the JWKS is fetched from {baseUrl}/sdk/{environmentId}/.well-known/jwks.json', async () => {
    const key = await joseKey();
    const prefix = `/${randomUUID()}/api/v0`;
    const path = `${prefix}/sdk/${ENV}/.well-known/jwks.json`;
    jwks.documents.set(path, { keys: [key.jwk] });
    const user = await verifyDynamicJwt(await joseToken(key), { environmentId: ENV, baseUrl: jwks.url(prefix) });
    assert.equal(user.environmentId, ENV);
    assert.equal(jwks.hits(path), 1);
  });

  test('key rotation: a new kid refetches once; unknown kids refetch at most once per 30 s; a removed key stops after the cache ages', async () => {
    const a = await joseKey('key-a');
    const b = await joseKey('key-b');
    const path = fresh([a]);
    const options = (now) => ({ environmentId: ENV, jwksUrl: jwks.url(path), now });
    const t0 = Date.now();
    const s = (ms) => Math.floor(ms / 1000);
    // First use: one fetch; five more: none.
    for (let i = 0; i < 6; i += 1) await verifyDynamicJwt(await joseToken(a, { at: s(t0) }), options(t0));
    assert.equal(jwks.hits(path), 1);
    // Dynamic rotates: b is published; a token of b 31 s later triggers exactly one refetch.
    jwks.documents.set(path, { keys: [b.jwk, a.jwk] });
    const atB = t0 + 31_000;
    const userB = await verifyDynamicJwt(await joseToken(b, { at: s(atB) }), options(atB));
    assert.equal(typeof userB.userId, 'string');
    assert.equal(jwks.hits(path), 2, 'one refetch for the new kid');
    await verifyDynamicJwt(await joseToken(b, { at: s(atB) }), options(atB + 1000));
    assert.equal(jwks.hits(path), 2, 'b is cached now');
    // A burst of 50 unknown kids 10 s later: no fetch (the last was < 30 s ago); all refused.
    const forger = await joseKey();
    const burst = async (at) =>
      Promise.allSettled(
        Array.from({ length: 50 }, async () => verifyDynamicJwt(await joseToken(forger, { at: s(at), kid: randomUUID() }), options(at))),
      );
    for (const r of await burst(atB + 10_000)) {
      assert.equal(r.status, 'rejected');
      assert.equal(r.reason.code, 'UNAUTHENTICATED');
      assert.equal(r.reason.field, 'kid');
    }
    assert.equal(jwks.hits(path), 2, 'no refetch within 30 s of the last');
    // 30 s after the last fetch: a burst of 50 (concurrent) makes at most one.
    const later = atB + 31_000;
    for (const r of await burst(later)) assert.equal(r.reason?.field, 'kid');
    assert.equal(jwks.hits(path), 3, 'exactly one refetch for the whole burst');
    for (const r of await burst(later + 5_000)) assert.equal(r.reason?.field, 'kid');
    assert.equal(jwks.hits(path), 3);
    // Known keys keep working through all this without fetches.
    await verifyDynamicJwt(await joseToken(a, { at: s(later) }), options(later));
    assert.equal(jwks.hits(path), 3);
    // a leaves the JWKS; once the cached copy is older than 10 min it is fetched again and a fails.
    jwks.documents.set(path, { keys: [b.jwk] });
    const aged = later + 10 * 60_000 + 1000;
    await assert.rejects(verifyDynamicJwt(await joseToken(a, { at: s(aged) }), options(aged)), (e) => e.code === 'UNAUTHENTICATED' && e.field === 'kid');
    assert.equal(jwks.hits(path), 4);
    await verifyDynamicJwt(await joseToken(b, { at: s(aged) }), options(aged));
    assert.equal(jwks.hits(path), 4);
  });

  test('a cold cache hit by a burst of 20 concurrent tokens fetches the JWKS at most once', async () => {
    const key = await joseKey();
    const path = fresh([key]);
    const token = await joseToken(key);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => verifyDynamicJwt(token, { environmentId: ENV, jwksUrl: jwks.url(path) })));
    assert.deepEqual(results.map((r) => r.status), Array(20).fill('fulfilled'));
    assert.equal(jwks.hits(path), 1, `JWKS requests for one cold burst: ${jwks.hits(path)}`);
  });

  test('refusals: alg none / HS256 with the public JWK, another key under a known kid, a 1024-bit key, exp, environment', async () => {
    const key = await joseKey();
    // jose refuses to make RSA keys under 2048 bits; node:crypto makes this one.
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const small = { kid: 'small', privateKey: weak.privateKey, jwk: { ...weak.publicKey.export({ format: 'jwk' }), kid: 'small', alg: 'RS256', use: 'sig' } };
    const path = fresh([key, small]);
    const options = { environmentId: ENV, jwksUrl: jwks.url(path) };
    const refusedWith = (field) => (e) => e.name === 'WalletLinkerError' && e.code === 'UNAUTHENTICATED' && e.field === field;
    const claims = { environment_id: ENV, iss: ISS, sub: 'u', exp: Math.floor(Date.now() / 1000) + 600 };
    await assert.rejects(verifyDynamicJwt(new UnsecuredJWT(claims).encode(), options), refusedWith('alg'));
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(new TextEncoder().encode(JSON.stringify(key.jwk)));
    await assert.rejects(verifyDynamicJwt(hs, options), refusedWith('alg'));
    const other = await joseKey(key.kid);
    await assert.rejects(verifyDynamicJwt(await joseToken(other), options), refusedWith('signature'));
    const weakToken = signJwt({ ...claims, sub: 'weak' }, { key: small.privateKey, alg: 'RS256', kid: 'small' });
    await assert.rejects(verifyDynamicJwt(weakToken, options), refusedWith('kid'), 'keys under 2048 bits are not used');
    await assert.rejects(verifyDynamicJwt(await joseToken(key, { at: Math.floor(Date.now() / 1000) - 3600, ttl: 60 }), options), refusedWith('exp'));
    await assert.rejects(verifyDynamicJwt(await joseToken(key), { ...options, environmentId: randomUUID() }), refusedWith('environment_id'));
    await assert.rejects(verifyDynamicJwt(await joseToken(key, { claims: { nbf: Math.floor(Date.now() / 1000) + 600 } }), options), refusedWith('nbf'));
    // The skew: 30 s past exp is still accepted (default 60 s), not with clockSkewSeconds 0.
    const justExpired = await joseToken(key, { at: Math.floor(Date.now() / 1000) - 90, ttl: 60 });
    await verifyDynamicJwt(justExpired, options);
    await assert.rejects(verifyDynamicJwt(justExpired, { ...options, clockSkewSeconds: 0 }), refusedWith('exp'));
    await assert.rejects(verifyDynamicJwt('', options), refusedWith('token'));
    await assert.rejects(verifyDynamicJwt(42, options), (e) => e.code === 'INVALID_ARGUMENT');
  });

  test('a JWKS that cannot be had: NETWORK, HTTP_ERROR (retried), INVALID_RESPONSE, TIMEOUT — never a verdict on the token', async (t) => {
    const key = await joseKey();
    const token = await joseToken(key);
    await assert.rejects(verifyDynamicJwt(token, { environmentId: ENV, jwksUrl: `${await deadUrl()}/jwks.json` }), (e) => e.code === 'NETWORK');
    t.after(() => {
      jwks.state.mode = 'ok';
    });
    for (const [mode, code] of [['500', 'HTTP_ERROR'], ['html', 'INVALID_RESPONSE'], ['not-jwks', 'INVALID_RESPONSE']]) {
      jwks.state.mode = mode;
      const path = fresh([key]);
      await assert.rejects(verifyDynamicJwt(token, { environmentId: ENV, jwksUrl: jwks.url(path) }), (e) => e.code === code, mode);
      if (mode === '500') assert.equal(jwks.hits(path), 3, 'a GET is retried twice on 5xx');
    }
    jwks.state.mode = 'hang';
    const started = Date.now();
    await assert.rejects(verifyDynamicJwt(token, { environmentId: ENV, jwksUrl: jwks.url(fresh([key])), timeoutMs: 200 }), (e) => e.code === 'TIMEOUT');
    assert.ok(Date.now() - started < 5000);
  });
});

describe('JWKS failures on a cold server (Node)', () => {
  test('JWKS answering 500, HTML, or hanging → 503 from the handler; Snag untouched', async (t) => {
    const jwks = await startJwksServer();
    t.after(() => jwks.close());
    for (const [mode, code, dynamic] of [
      ['500', 'HTTP_ERROR', {}],
      ['html', 'INVALID_RESPONSE', {}],
      ['hang', 'TIMEOUT', { timeoutMs: 300 }],
    ]) {
      jwks.state.mode = mode;
      const s = await serve({}, { dynamic: { jwksUrl: jwks.url(`/${mode}/jwks.json`), ...dynamic } });
      t.after(s.close);
      const proof = await siweProof({ nonce: await nonceOf(s.url) });
      await refusedHere(() => connect(s.url, proof), 503, code);
    }
  });
});
