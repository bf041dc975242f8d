// Node-only tests of the sandbox's Dynamic JWTs (www/sandbox/jwt.mjs, server.mjs): RS256 tokens, the
// JWKS route, key rotation, tokens minted for tests, and the refusal of every other algorithm. The
// tokens are cross-checked with jose (an independent JOSE implementation) over real HTTP: jose's
// createRemoteJWKSet fetches the sandbox's JWKS URL. Nothing here uses the package under test.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';

import { SDKApi, Configuration } from '@dynamic-labs/sdk-api-core';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  exportJWK,
  importJWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { SiweMessage } from 'siwe';
import { privateKeyToAccount } from 'viem/accounts';

import { checkDynamicModel, DYNAMIC_SDK } from '../../www/sandbox/contract.mjs';
import { decodeJwt, decodeJwtClaims, decodeJwtHeader, generateRsaSigningKey, signJwt } from '../../www/sandbox/jwt.mjs';
import { createSandbox, DEFAULT_ENVIRONMENT_ID } from '../../www/sandbox/server.mjs';

// ------------------------------------------------------------------------------------------------
// helpers

async function startSandbox(t, options = {}) {
  const sandbox = createSandbox({ logErrors: false, ...options });
  const server = await sandbox.listen(0);
  t.after(() => server.close());
  const env = sandbox.environmentId;
  const sdk = (path) => `${server.url}/api/v0/sdk/${env}/${path}`;
  return {
    sandbox,
    url: server.url,
    env,
    sdk,
    jwksUrl: new URL(sdk('.well-known/jwks.json')),
    issuer: `app.dynamicauth.com/${env}`,
  };
}

async function call(url, { method = 'GET', headers = {}, json } = {}) {
  const init = { method, headers: { ...headers } };
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  return { status: res.status, headers: res.headers, text, data };
}

async function session(s, body = {}) {
  const r = await call(`${s.url}/__sandbox/session`, { method: 'POST', json: body });
  assert.equal(r.status, 200, r.text);
  return r.data;
}

/** jose's verdict on a token against the sandbox's JWKS URL: the payload, or the error class name. */
async function joseVerdict(s, token, options = {}) {
  const jwks = createRemoteJWKSet(s.jwksUrl, { cooldownDuration: 0 });
  try {
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { algorithms: ['RS256'], issuer: s.issuer, ...options });
    return { payload, protectedHeader };
  } catch (e) {
    return { error: e.constructor.name, code: e.code };
  }
}

const tamper = (token, change) => {
  const [h, p, sig] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  return `${h}.${Buffer.from(JSON.stringify(change(claims))).toString('base64url')}.${sig}`;
};

async function linkProof(s, account) {
  const { nonce } = (await call(s.sdk('nonce'))).data;
  const message = new SiweMessage({
    domain: 'localhost',
    address: account.address,
    uri: 'http://localhost',
    version: '1',
    chainId: 1,
    nonce,
    issuedAt: new Date().toISOString(),
  }).prepareMessage();
  return {
    signedMessage: await account.signMessage({ message }),
    messageToSign: message,
    publicWalletAddress: account.address,
    chain: 'EVM',
    walletName: 'metamask',
    walletProvider: 'browserExtension',
  };
}

// ------------------------------------------------------------------------------------------------
// the JWKS route

test('JWKS: served at /sdk/{env}/.well-known/jwks.json (and /jwks) as the official JwksResponse', async (t) => {
  const s = await startSandbox(t);
  const r = await call(s.sdk('.well-known/jwks.json'), { headers: { origin: 'http://localhost:5173' } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  await checkDynamicModel(DYNAMIC_SDK, 'JwksResponse', r.data);
  assert.equal(r.data.keys.length, 1);
  const [key] = r.data.keys;
  assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
  assert.deepEqual({ kty: key.kty, alg: key.alg, use: key.use, e: key.e }, { kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
  assert.equal(Buffer.from(key.n, 'base64url').length * 8, 2048, 'an RSA 2048 modulus');
  // The kid is the RFC 7638 thumbprint, as jose computes it; jose reads the same public key.
  assert.equal(key.kid, await calculateJwkThumbprint({ kty: key.kty, n: key.n, e: key.e }));
  const exported = await exportJWK(s.sandbox.jwtKey().publicKey);
  assert.deepEqual({ n: exported.n, e: exported.e }, { n: key.n, e: key.e });
  assert.deepEqual(r.data, s.sandbox.jwks());
  assert.deepEqual((await call(s.sdk('.well-known/jwks'))).data, r.data);

  // The official client reads it.
  const api = new SDKApi(new Configuration({ basePath: `${s.url}/api/v0` }));
  assert.deepEqual((await api.getJwksJsonByEnvironmentId({ environmentId: s.env })).keys, r.data.keys);

  // Routes: other environment, bad id, wrong method.
  const other = await call(`${s.url}/api/v0/sdk/${DEFAULT_ENVIRONMENT_ID.replace(/^5/, '6')}/.well-known/jwks.json`);
  assert.equal(other.status, 404);
  assert.equal((await call(`${s.url}/api/v0/sdk/nope/.well-known/jwks.json`)).status, 400);
  const post = await call(s.sdk('.well-known/jwks.json'), { method: 'POST', json: {} });
  assert.equal(post.status, 405);
  assert.match(post.headers.get('allow'), /GET/);

  // Every sandbox has its own key; the private key never appears in the JWKS or the state.
  const second = await startSandbox(t);
  assert.notEqual((await call(second.sdk('.well-known/jwks.json'))).data.keys[0].kid, key.kid);
  const stateText = (await call(`${s.url}/__sandbox/state`)).text;
  assert.deepEqual(JSON.parse(stateText).jwks, r.data);
  const d = (await exportJWK(s.sandbox.jwtKey().privateKey)).d;
  assert.ok(!stateText.includes(d) && !r.text.includes(d));
});

test('JWKS: fetches are logged and can be faulted like any route (for the backend 503 tests)', async (t) => {
  const s = await startSandbox(t);
  await call(`${s.url}/__sandbox/faults`, { method: 'POST', json: { path: '/.well-known/jwks.json', kind: 'status', status: 503, times: 1 } });
  const token = s.sandbox.issueJwt();
  const failed = await joseVerdict(s, token);
  assert.equal(failed.code, 'ERR_JOSE_GENERIC', JSON.stringify(failed));
  const ok = await joseVerdict(s, token);
  assert.equal(ok.payload.sub, decodeJwtClaims(token).sub);
  const log = (await call(`${s.url}/__sandbox/state`)).data.requestLog;
  assert.deepEqual(log.map((e) => [e.method, e.path.replace(s.env, '{env}'), e.status, e.fault ?? null]), [
    ['GET', '/api/v0/sdk/{env}/.well-known/jwks.json', 503, 'status'],
    ['GET', '/api/v0/sdk/{env}/.well-known/jwks.json', 200, null],
  ]);
});

// ------------------------------------------------------------------------------------------------
// jose cross-checks

test('jose: the sandbox session tokens verify against the remote JWKS with the claims of Dynamic', async (t) => {
  const s = await startSandbox(t);
  const { jwt, minifiedJwt, user, expiresAt } = await session(s, { email: 'ada@example.com' });
  for (const token of [jwt, minifiedJwt]) {
    const { payload, protectedHeader, error } = await joseVerdict(s, token);
    assert.equal(error, undefined, error);
    assert.deepEqual(protectedHeader, { alg: 'RS256', typ: 'JWT', kid: s.sandbox.jwks().keys[0].kid });
    assert.equal(payload.sub, user.id);
    assert.equal(payload.environment_id, s.env);
    assert.ok(payload.iss.endsWith(`/${s.env}`));
    assert.equal(payload.exp, expiresAt);
    assert.equal(payload.kid, protectedHeader.kid);
    assert.equal(payload.scope, 'user:basic');
    assert.equal(payload.sid, user.sessionId);
  }
  assert.deepEqual((await joseVerdict(s, jwt)).payload.verified_credentials.map((c) => c.email), ['ada@example.com']);
  assert.equal((await joseVerdict(s, minifiedJwt)).payload.verified_credentials, undefined);
  // jose checks the environment through the issuer, as a backend would.
  assert.equal((await joseVerdict(s, jwt, { issuer: `app.dynamicauth.com/${DEFAULT_ENVIRONMENT_ID.replace(/^5/, '6')}` })).code, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
});

test('jose: a token jose signs with the sandbox key is accepted by the sandbox, and by jose', async (t) => {
  const s = await startSandbox(t);
  const start = await session(s);
  const { kid, privateKey } = s.sandbox.jwtKey();
  const iat = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ environment_id: s.env, sid: start.user.sessionId, scope: 'user:basic' })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer(s.issuer)
    .setSubject(start.user.id)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 600)
    .sign(privateKey);
  const checked = s.sandbox.verifyJwt(token);
  assert.equal(checked.ok, true, checked.error);
  assert.equal(checked.claims.sub, start.user.id);
  assert.equal((await joseVerdict(s, token)).payload.sub, start.user.id);
  // The sandbox's own routes take it as the user's bearer token.
  const linked = await call(s.sdk('verify/link'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    json: await linkProof(s, privateKeyToAccount(`0x${'2a'.repeat(32)}`)),
  });
  assert.equal(linked.status, 200, linked.text);
  assert.equal(linked.data.user.id, start.user.id);
  assert.equal((await joseVerdict(s, linked.data.jwt)).payload.verified_credentials.length, 2);
});

test('jose and the sandbox both refuse tampered, unsigned, confused, foreign and expired tokens', async (t) => {
  const s = await startSandbox(t);
  const good = s.sandbox.issueJwt({ sub: 'user-1' }, { ttlSeconds: 600 });
  const claims = decodeJwtClaims(good);
  const { kid, privateKey, publicKey } = s.sandbox.jwtKey();
  const stranger = generateRsaSigningKey();
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const cases = {
    'payload changed': [tamper(good, (c) => ({ ...c, sub: 'user-2' })), 'Invalid token signature', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    'signature of another token': [`${good.split('.').slice(0, 2).join('.')}.${s.sandbox.issueJwt().split('.')[2]}`, 'Invalid token signature', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    'signature cut short': [good.slice(0, -4), 'Invalid token signature', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    'alg none': [signJwt(claims, { alg: 'none', kid }), 'Unsupported token algorithm', 'ERR_JOSE_ALG_NOT_ALLOWED'],
    'HS256 keyed with the public key PEM': [signJwt(claims, { alg: 'HS256', key: publicKey, kid }), 'Unsupported token algorithm', 'ERR_JOSE_ALG_NOT_ALLOWED'],
    'HS256 keyed with the JWK': [signJwt(claims, { alg: 'HS256', key: s.sandbox.jwks().keys[0], kid }), 'Unsupported token algorithm', 'ERR_JOSE_ALG_NOT_ALLOWED'],
    'RS384 with the sandbox key': [signJwt(claims, { alg: 'RS384', key: privateKey, kid }), 'Unsupported token algorithm', 'ERR_JOSE_ALG_NOT_ALLOWED'],
    'PS256 with the sandbox key': [signJwt(claims, { alg: 'PS256', key: privateKey, kid }), 'Unsupported token algorithm', 'ERR_JOSE_ALG_NOT_ALLOWED'],
    'ES256': [signJwt(claims, { alg: 'ES256', key: ec.privateKey, kid }), 'Unsupported token algorithm', 'ERR_JOSE_ALG_NOT_ALLOWED'],
    'EdDSA': [signJwt(claims, { alg: 'EdDSA', key: ed.privateKey, kid }), 'Unsupported token algorithm', 'ERR_JOSE_ALG_NOT_ALLOWED'],
    'foreign key, its own kid': [signJwt(claims, { key: stranger.privateKey, kid: stranger.kid }), 'Unknown token key', 'ERR_JWKS_NO_MATCHING_KEY'],
    'foreign key, the sandbox kid': [signJwt(claims, { key: stranger.privateKey, kid }), 'Invalid token signature', 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'],
    'foreign key carried in the header': [
      signJwt(claims, { key: stranger.privateKey, kid: stranger.kid, header: { jwk: stranger.publicJwk } }),
      'Unknown token key',
      'ERR_JWKS_NO_MATCHING_KEY',
    ],
    'expired': [s.sandbox.issueJwt({}, { ttlSeconds: -10 }), 'Token expired', 'ERR_JWT_EXPIRED'],
    'not before in the future': [s.sandbox.issueJwt({ nbf: claims.iat + 3600 }), 'Token not yet valid', 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    'two parts only': [good.split('.').slice(0, 2).join('.'), 'Malformed token', 'ERR_JWS_INVALID'],
  };
  for (const [name, [token, sandboxError, joseCode]] of Object.entries(cases)) {
    assert.deepEqual(s.sandbox.verifyJwt(token), { ok: false, error: sandboxError }, name);
    const verdict = await joseVerdict(s, token);
    assert.equal(verdict.code, joseCode, `${name}: ${JSON.stringify(verdict)}`);
  }
  // The untouched token passes both.
  assert.equal(s.sandbox.verifyJwt(good).ok, true);
  assert.equal((await joseVerdict(s, good)).payload.sub, 'user-1');
});

test('signJwt makes genuine tokens of each algorithm (so the refusals above are about the algorithm)', async () => {
  const claims = { sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 };
  const rsa = generateRsaSigningKey();
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const ed = generateKeyPairSync('ed25519');
  const secret = Buffer.from('a-shared-secret-of-at-least-32-bytes!!');
  const cases = [
    ['RS256', rsa.privateKey, rsa.publicKey],
    ['RS512', rsa.privateKey, rsa.publicKey],
    ['PS256', rsa.privateKey, rsa.publicKey],
    ['PS384', rsa.privateKey, rsa.publicKey],
    ['ES256', ec.privateKey, ec.publicKey],
    ['ES384', ec384.privateKey, ec384.publicKey],
    ['EdDSA', ed.privateKey, ed.publicKey],
    ['HS256', secret, new Uint8Array(secret)],
    ['HS512', secret, new Uint8Array(secret)],
  ];
  for (const [alg, signingKey, verifyKey] of cases) {
    const token = signJwt(claims, { alg, key: signingKey, kid: 'k1' });
    const { payload, protectedHeader } = await jwtVerify(token, verifyKey, { algorithms: [alg] });
    assert.equal(payload.sub, 'x', alg);
    assert.deepEqual(protectedHeader, { alg, typ: 'JWT', kid: 'k1' });
  }
  // A private JWK or PEM works as the key too, and the HS256 confusion token is a real HMAC of the PEM.
  const privateJwk = rsa.privateKey.export({ format: 'jwk' });
  await jwtVerify(signJwt(claims, { key: privateJwk }), rsa.publicKey);
  await jwtVerify(signJwt(claims, { key: rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) }), rsa.publicKey);
  const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' });
  await jwtVerify(signJwt(claims, { alg: 'HS256', key: rsa.publicKey }), new TextEncoder().encode(pem));
  await jwtVerify(signJwt(claims, { alg: 'HS256', key: rsa.publicJwk }), new TextEncoder().encode(JSON.stringify(rsa.publicJwk)));
  // alg none is the unsecured JWT: an empty signature.
  const none = signJwt(claims, { alg: 'none', typ: null, header: { cty: 'x' } });
  assert.ok(none.endsWith('.'));
  assert.deepEqual(decodeJwtHeader(none), { alg: 'none', cty: 'x' });
  assert.throws(() => signJwt(claims, { alg: 'XS256', key: secret }), /unsupported alg XS256/);
  assert.equal(decodeJwt('a.b'), null);
  assert.equal(decodeJwt(`${'a'.repeat(17000)}.b.c`), null);
  assert.equal(decodeJwt('e30.W10.'), null, 'claims must be an object');
  assert.equal(decodeJwt('e30.e30.a+b/'), null, 'base64url only');
});

// ------------------------------------------------------------------------------------------------
// rotation and minted tokens

test('rotateJwtKey: keeping the old key verifies both generations; dropping it refuses the old tokens', async (t) => {
  const s = await startSandbox(t);
  const start = await session(s);
  const first = s.sandbox.jwtKey().kid;
  const old = start.jwt;

  const kept = s.sandbox.rotateJwtKey();
  assert.equal(kept.previousKid, first);
  assert.notEqual(kept.kid, first);
  assert.deepEqual(kept.kids, [kept.kid, first]);
  assert.deepEqual((await call(s.sdk('.well-known/jwks.json'))).data.keys.map((k) => k.kid), [kept.kid, first]);
  const renewed = await session(s, { userId: start.user.id });
  assert.equal(decodeJwtHeader(renewed.jwt).kid, kept.kid, 'new tokens use the new key');
  for (const token of [old, renewed.jwt]) {
    assert.equal(s.sandbox.verifyJwt(token).ok, true);
    assert.equal((await joseVerdict(s, token)).payload.sub, start.user.id);
  }
  // A verifier that cached the old JWKS meets an unknown kid and refetches once.
  const cachedJwks = createLocalJWKSet({ keys: [s.sandbox.jwks().keys[1]] });
  await assert.rejects(jwtVerify(renewed.jwt, cachedJwks), errors.JWKSNoMatchingKey);

  const dropped = s.sandbox.rotateJwtKey({ keepOld: false });
  assert.deepEqual(dropped.kids, [dropped.kid]);
  assert.deepEqual(s.sandbox.jwks().keys.map((k) => k.kid), [dropped.kid]);
  for (const token of [old, renewed.jwt]) {
    assert.deepEqual(s.sandbox.verifyJwt(token), { ok: false, error: 'Unknown token key' });
    assert.equal((await joseVerdict(s, token)).code, 'ERR_JWKS_NO_MATCHING_KEY');
    const link = await call(s.sdk('globalWallets/connections'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      json: { expiresAt: '2031-01-01T00:00:00Z' },
    });
    assert.equal(link.status, 401);
    assert.deepEqual(link.data, { error: 'Unknown token key' });
  }
  // A retired key can still sign (a "token of a rotated-out key"); it does not verify.
  const stale = s.sandbox.issueJwt({ sub: start.user.id }, { kid: first });
  assert.equal(decodeJwtHeader(stale).kid, first);
  assert.equal((await joseVerdict(s, stale)).code, 'ERR_JWKS_NO_MATCHING_KEY');
  assert.throws(() => s.sandbox.issueJwt({}, { kid: 'never-existed' }), /No sandbox JWT key with kid never-existed/);
  // A chosen kid; reusing one is refused.
  assert.equal(s.sandbox.rotateJwtKey({ kid: 'key-2031' }).kid, 'key-2031');
  assert.throws(() => s.sandbox.rotateJwtKey({ kid: 'key-2031' }), /already in use/);
  assert.equal((await joseVerdict(s, s.sandbox.issueJwt())).protectedHeader.kid, 'key-2031');
  // The keys survive a state reset (a verifier's cached JWKS stays right).
  await call(`${s.url}/__sandbox/reset`, { method: 'POST' });
  assert.deepEqual(s.sandbox.jwks().keys.map((k) => k.kid), ['key-2031', dropped.kid]);
});

test('issueJwt: Dynamic-shaped defaults, overrides, removed claims, ttl, and the clock', async (t) => {
  const clock = { ms: Date.parse('2031-03-04T05:06:07Z') };
  const s = await startSandbox(t, { now: () => clock.ms, jwtTtlSeconds: 900 });
  const nowSeconds = Math.floor(clock.ms / 1000);
  const token = s.sandbox.issueJwt();
  const { header, claims } = decodeJwt(token);
  assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: s.sandbox.jwtKey().kid });
  assert.deepEqual(Object.keys(claims).sort(), ['aud', 'environment_id', 'exp', 'iat', 'iss', 'kid', 'scope', 'sid', 'sub', 'verified_credentials']);
  assert.equal(claims.iss, `app.dynamicauth.com/${s.env}`);
  assert.equal(claims.environment_id, s.env);
  assert.match(claims.sub, /^[0-9a-f-]{36}$/);
  assert.deepEqual([claims.iat, claims.exp], [nowSeconds, nowSeconds + 900]);
  assert.deepEqual(claims.verified_credentials, []);

  const custom = decodeJwtClaims(
    s.sandbox.issueJwt({ sub: 'u-1', environment_id: 'another-env', iss: 'evil.example/x', exp: undefined, extra: [1] }, { ttlSeconds: 30 }),
  );
  assert.equal(custom.sub, 'u-1');
  assert.equal(custom.environment_id, 'another-env');
  assert.equal(custom.iss, 'evil.example/x');
  assert.equal('exp' in custom, false, 'a claim given as undefined is left out');
  assert.deepEqual(custom.extra, [1]);
  assert.equal(decodeJwtClaims(s.sandbox.issueJwt({}, { ttlSeconds: 30 })).exp, nowSeconds + 30);

  // The sandbox's check follows its clock: exp required, exp and nbf against `now`.
  assert.deepEqual(s.sandbox.verifyJwt(s.sandbox.issueJwt({ exp: undefined })), { ok: false, error: 'Token expired' });
  const short = s.sandbox.issueJwt({}, { ttlSeconds: 5 });
  assert.equal(s.sandbox.verifyJwt(short).ok, true);
  clock.ms += 5000;
  assert.deepEqual(s.sandbox.verifyJwt(short), { ok: false, error: 'Token expired' });
  assert.deepEqual(s.sandbox.verifyJwt(s.sandbox.issueJwt({}, { ttlSeconds: 0 })), { ok: false, error: 'Token expired' });
  assert.throws(() => s.sandbox.issueJwt({}, { ttlSeconds: 'long' }), /ttlSeconds must be a number/);
  // jose agrees on the expiry (its clock given as the sandbox's).
  const expired = await joseVerdict(s, short, { currentDate: new Date(clock.ms) });
  assert.equal(expired.code, 'ERR_JWT_EXPIRED');
});

test('control endpoints: POST /__sandbox/jwt mints, POST /__sandbox/jwt/rotate rotates', async (t) => {
  const s = await startSandbox(t);
  const minted = await call(`${s.url}/__sandbox/jwt`, { method: 'POST', json: { claims: { sub: 'over-http' }, ttlSeconds: 120 } });
  assert.equal(minted.status, 200, minted.text);
  assert.equal(minted.data.kid, s.sandbox.jwtKey().kid);
  assert.deepEqual(minted.data.claims, decodeJwtClaims(minted.data.jwt));
  assert.equal(minted.data.claims.exp - minted.data.claims.iat, 120);
  assert.equal((await joseVerdict(s, minted.data.jwt)).payload.sub, 'over-http');
  const empty = await call(`${s.url}/__sandbox/jwt`, { method: 'POST' });
  assert.equal(empty.status, 200);
  assert.equal(s.sandbox.verifyJwt(empty.data.jwt).ok, true);

  for (const body of [{ claims: [] }, { ttlSeconds: 1.5 }, { kid: 7 }, { kid: 'unknown' }, []]) {
    const bad = await call(`${s.url}/__sandbox/jwt`, { method: 'POST', json: body });
    assert.equal(bad.status, 400, JSON.stringify(body));
  }

  const first = s.sandbox.jwtKey().kid;
  const rotated = await call(`${s.url}/__sandbox/jwt/rotate`, { method: 'POST', json: { keepOld: false } });
  assert.equal(rotated.status, 200, rotated.text);
  assert.equal(rotated.data.previousKid, first);
  assert.deepEqual(rotated.data.kids, [rotated.data.kid]);
  assert.equal((await joseVerdict(s, minted.data.jwt)).code, 'ERR_JWKS_NO_MATCHING_KEY');
  const oldKid = await call(`${s.url}/__sandbox/jwt`, { method: 'POST', json: { kid: first } });
  assert.equal(decodeJwtHeader(oldKid.data.jwt).kid, first);
  const keep = await call(`${s.url}/__sandbox/jwt/rotate`, { method: 'POST' });
  assert.deepEqual(keep.data.kids, [keep.data.kid, rotated.data.kid]);
  assert.equal((await call(`${s.url}/__sandbox/jwt/rotate`, { method: 'POST', json: { keepOld: 'no' } })).status, 400);
  assert.equal((await call(`${s.url}/__sandbox/jwt/rotate`, { method: 'POST', json: { kid: keep.data.kid } })).status, 400);
  assert.equal((await call(`${s.url}/__sandbox/jwt`)).status, 405);
  // Control calls are not part of the request log.
  assert.deepEqual((await call(`${s.url}/__sandbox/state`)).data.requestLog.filter((e) => e.path.startsWith('/__sandbox')), []);
});

test('jose: importJWK of the served key verifies what the sandbox signs (a backend with a pinned key)', async (t) => {
  const s = await startSandbox(t);
  const [jwk] = (await call(s.sdk('.well-known/jwks.json'))).data.keys;
  const key = await importJWK(jwk, 'RS256');
  const { payload } = await jwtVerify(s.sandbox.issueJwt({ sub: 'pinned' }), key, { algorithms: ['RS256'] });
  assert.equal(payload.sub, 'pinned');
  await assert.rejects(jwtVerify(tamper(s.sandbox.issueJwt(), (c) => ({ ...c, exp: c.exp + 1 })), key), errors.JWSSignatureVerificationFailed);
});
