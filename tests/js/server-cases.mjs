// The attack list of `wallet-linker/server`, as cases that run against any base URL serving
// server-app.mjs's link servers: in Node through toNodeHandler (server.node.test.mjs) and in
// workerd, Deno and Bun through tests/js/runtimes.mjs (server-runtimes.node.test.mjs). The cases run in
// Node; only the server under test moves between runtimes.
//
// Every refusal is checked for its HTTP status, its JSON `{ code, field? }`, its JSON content type,
// and for the sandbox's record of Snag calls being empty: nothing reached Snag. Most attacks then
// send the same proof with nothing wrong (`control`), which must be accepted: so each refused
// request was valid but for the one thing under attack, and the refusal did not burn the nonce.
//
// ctx: { url(path) → absolute URL of the server under test, sandbox (createSandbox instance, in
// this process), environmentId }.
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';

import { SignJWT, UnsecuredJWT, importPKCS8 } from 'jose';

import { signJwt } from '../../www/sandbox/jwt.mjs';
import {
  DOMAIN,
  assertRefusal,
  dynamicEvmProof,
  dynamicSolanaProof,
  evmWallet,
  expectedSnagBody,
  foreignNonce,
  oversizedThenReuse,
  post,
  read,
  siweProof,
  siwsProof,
  solanaWallet,
  withSnagRecord,
} from './server-fixtures.mjs';

// ------------------------------------------------------------------------------------------------
// helpers

const connectUrl = (ctx, server = 'link') => ctx.url(`/${server}/snag/connect`);

/** GET {server}/nonce; asserts the answer's shape and gives the nonce. */
export async function issueNonce(ctx, server = 'link') {
  const res = await read(await fetch(ctx.url(`/${server}/nonce`)));
  assert.equal(res.status, 200, res.text);
  assert.match(res.json.nonce, /^[0-9A-Za-z]{22}$/);
  return res.json.nonce;
}

/** A fresh token of the sandbox's current key (`claims` override the payload). */
const validJwt = (ctx, claims = {}, options = {}) => ctx.sandbox.issueJwt(claims, options);

/** The payload the sandbox would sign, for tokens made here. */
function payload(ctx, overrides = {}) {
  const iat = Math.floor(Date.now() / 1000);
  return {
    kid: ctx.sandbox.jwtKey().kid,
    aud: 'sandbox',
    iss: ctx.sandbox.issuer,
    sub: randomUUID(),
    sid: randomUUID(),
    environment_id: ctx.environmentId,
    scope: 'user:basic',
    iat,
    exp: iat + 3600,
    verified_credentials: [],
    ...overrides,
  };
}

/**
 * Sends one request and asserts it is refused with `status`/`code`/`field` and that Snag received
 * nothing. `request`: `{ server?, jwt?, authorization?, body }` or a function giving a response.
 */
async function refused(ctx, request, status, code, field) {
  const [res, calls] = await withSnagRecord(ctx.sandbox, () =>
    typeof request === 'function' ? request() : post(connectUrl(ctx, request.server), request),
  );
  assertRefusal(res, status, code, field);
  assert.deepEqual(calls, [], `Snag must receive nothing for a refused request (${code})`);
  return res;
}

/**
 * Sends `proof` with a valid token and asserts it is accepted: 200, exactly one Snag call whose
 * body is exactly `expectedSnagBody(proof, extra)` with the server's key, and Snag's answer passed
 * through. `body` replaces the request body (default: the proof).
 */
async function accepted(ctx, proof, { server = 'link', jwt = validJwt(ctx), extra = {}, body = proof } = {}) {
  const [res, calls] = await withSnagRecord(ctx.sandbox, () => post(connectUrl(ctx, server), { jwt, body }));
  assert.equal(res.status, 200, res.text);
  assert.equal(calls.length, 1, 'exactly one Snag call');
  const [call] = calls;
  assert.equal(call.method, 'POST');
  assert.equal(call.path, '/snag/api/users/connect');
  assert.equal(call.apiKey, 'valid');
  assert.equal(call.status, 200, JSON.stringify(call.response));
  assert.deepEqual(call.body, expectedSnagBody(proof, extra));
  assert.deepEqual(res.json, call.response, "the server answers with Snag's response");
  assert.match(res.headers.get('content-type'), /^application\/json/);
  return { res, call };
}

/** A fresh SIWE proof with a nonce of `server`. */
async function freshProof(ctx, server = 'link', options = {}) {
  return siweProof({ nonce: await issueNonce(ctx, server), ...options });
}

// Token forgery ----------------------------------------------------------------------------------

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** HS256 by hand: node:crypto's HMAC over `header.payload` with `secret` bytes. */
function hs256ByHand(header, claims, secret) {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The byte strings an algorithm-confusion attacker would try as the HMAC secret. */
function publicKeySecrets(ctx) {
  const key = ctx.sandbox.jwtKey();
  const served = ctx.sandbox.jwks().keys.find((k) => k.kid === key.kid);
  const { kty, n, e } = served;
  return {
    'SPKI PEM': Buffer.from(key.publicKey.export({ type: 'spki', format: 'pem' })),
    'PKCS#1 PEM': Buffer.from(key.publicKey.export({ type: 'pkcs1', format: 'pem' })),
    'SPKI DER': key.publicKey.export({ type: 'spki', format: 'der' }),
    'the JWKS entry as served (JSON)': Buffer.from(JSON.stringify(served)),
    'the JWK {kty,n,e} (JSON)': Buffer.from(JSON.stringify({ kty, n, e })),
    'the RFC 7638 thumbprint input': Buffer.from(JSON.stringify({ e, kty, n })),
    'the modulus bytes': Buffer.from(n, 'base64url'),
  };
}

/** Flips one bit in the middle of the token's signature (strict base64url kept). */
function flipSignatureBit(token) {
  const [h, p, s] = token.split('.');
  const sig = Buffer.from(s, 'base64url');
  sig[Math.floor(sig.length / 2)] ^= 0x01;
  return `${h}.${p}.${sig.toString('base64url')}`;
}

// ------------------------------------------------------------------------------------------------
// The cases: each needs nothing but HTTP to the server under test and the sandbox in this process.

export const cases = [
  // ----- happy paths -----
  {
    name: 'GET nonce: a fresh 22-character nonce and its expiry (nonceTtlMs, default 5 min)',
    async run(ctx) {
      const before = Date.now();
      const res = await read(await fetch(ctx.url('/link/nonce')));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type'), /^application\/json/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.deepEqual(Object.keys(res.json).sort(), ['expiresAt', 'nonce']);
      assert.match(res.json.nonce, /^[0-9A-Za-z]{22}$/);
      const expires = Date.parse(res.json.expiresAt);
      assert.match(res.json.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      assert.ok(expires >= before + 300_000 - 2000 && expires <= Date.now() + 300_000 + 2000, res.json.expiresAt);
      const again = await issueNonce(ctx);
      assert.notEqual(again, res.json.nonce);
    },
  },
  {
    name: 'happy path EVM: SIWE made and signed by viem; Snag receives exactly the five members',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const { call } = await accepted(ctx, proof);
      assert.deepEqual(Object.keys(call.body).sort(), ['organizationId', 'verificationData', 'walletAddress', 'walletType', 'websiteId']);
    },
  },
  {
    name: "happy path EVM: Dynamic's sign-in template (createDynamicSignInMessage), signed by viem",
    async run(ctx) {
      const proof = await dynamicEvmProof({ nonce: await issueNonce(ctx), environmentId: ctx.environmentId });
      assert.match(proof.message, /^Request ID: /m);
      await accepted(ctx, proof);
    },
  },
  {
    name: 'happy path Solana: Sign-In With Solana (createSolanaSignInMessage) signed by tweetnacl, and by @noble/curves',
    async run(ctx) {
      const wallet = solanaWallet();
      const proof = siwsProof({ wallet, nonce: await issueNonce(ctx) });
      await accepted(ctx, proof);
      const noble = siwsProof({ wallet, nonce: await issueNonce(ctx), noble: true });
      assert.equal(noble.signature, wallet.sign(noble.message), 'ed25519 is deterministic: both libraries agree');
      await accepted(ctx, noble);
    },
  },
  {
    name: "happy path Solana: Dynamic's Solana template, signed by tweetnacl",
    async run(ctx) {
      await accepted(ctx, dynamicSolanaProof({ nonce: await issueNonce(ctx), environmentId: ctx.environmentId }));
    },
  },

  // ----- the caller's JWT -----
  {
    name: 'no JWT: no Authorization header, another scheme, an empty Bearer → 401, nothing to Snag',
    async run(ctx) {
      const proof = await freshProof(ctx);
      await refused(ctx, { body: proof }, 401, 'UNAUTHENTICATED', 'authorization');
      await refused(ctx, { body: proof, authorization: `Basic ${btoa('user:pass')}` }, 401, 'UNAUTHENTICATED', 'authorization');
      await refused(ctx, { body: proof, authorization: 'Bearer ' }, 401, 'UNAUTHENTICATED', 'authorization');
      await refused(ctx, { body: proof, authorization: validJwt(ctx) }, 401, 'UNAUTHENTICATED', 'authorization');
      await refused(ctx, { body: proof, jwt: 'not-a-jwt' }, 401, 'UNAUTHENTICATED', 'token');
      await accepted(ctx, proof);
    },
  },
  {
    name: 'a JWT with a bad signature: one bit flipped; signed by another RSA key under the real kid → 401',
    async run(ctx) {
      const proof = await freshProof(ctx);
      await refused(ctx, { body: proof, jwt: flipSignatureBit(validJwt(ctx)) }, 401, 'UNAUTHENTICATED', 'signature');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const forged = signJwt(payload(ctx), { key: privateKey, alg: 'RS256', kid: ctx.sandbox.jwtKey().kid });
      await refused(ctx, { body: proof, jwt: forged }, 401, 'UNAUTHENTICATED', 'signature');
      // The payload of one valid token under the signature of another.
      const [h, , s] = validJwt(ctx).split('.');
      const [, p] = validJwt(ctx, { sub: 'someone-else' }).split('.');
      await refused(ctx, { body: proof, jwt: `${h}.${p}.${s}` }, 401, 'UNAUTHENTICATED', 'signature');
      await accepted(ctx, proof);
    },
  },
  {
    name: 'alg none (by hand, with the real kid, in three spellings; and jose UnsecuredJWT) → 401 alg',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const kid = ctx.sandbox.jwtKey().kid;
      for (const alg of ['none', 'None', 'NONE']) {
        const token = `${b64url({ alg, typ: 'JWT', kid })}.${b64url(payload(ctx))}.`;
        await refused(ctx, { body: proof, jwt: token }, 401, 'UNAUTHENTICATED', 'alg');
        // With a signature part present (some verifiers only look at an empty one).
        const signed = `${b64url({ alg, typ: 'JWT', kid })}.${b64url(payload(ctx))}.${b64url('x')}`;
        await refused(ctx, { body: proof, jwt: signed }, 401, 'UNAUTHENTICATED', 'alg');
      }
      const unsecured = new UnsecuredJWT(payload(ctx)).encode();
      assert.match(unsecured, /\.$/);
      await refused(ctx, { body: proof, jwt: unsecured }, 401, 'UNAUTHENTICATED', 'alg');
      await accepted(ctx, proof);
    },
  },
  {
    name: 'HS256 keyed with the public key (PEM, DER, JWK bytes, modulus) — made with jose and by hand → 401 alg',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const kid = ctx.sandbox.jwtKey().kid;
      for (const [what, secret] of Object.entries(publicKeySecrets(ctx))) {
        const claims = payload(ctx);
        const byJose = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(new Uint8Array(secret));
        const byHand = hs256ByHand({ alg: 'HS256', typ: 'JWT', kid }, claims, secret);
        assert.equal(byJose, byHand, `jose and the hand-made token agree (${what})`);
        await refused(ctx, { body: proof, jwt: byJose }, 401, 'UNAUTHENTICATED', 'alg');
        // Without a kid, and with HS384/HS512.
        await refused(ctx, { body: proof, jwt: hs256ByHand({ alg: 'HS256' }, claims, secret) }, 401, 'UNAUTHENTICATED', 'alg');
      }
      const pem = publicKeySecrets(ctx)['SPKI PEM'];
      for (const alg of ['HS384', 'HS512']) {
        const token = await new SignJWT(payload(ctx)).setProtectedHeader({ alg, kid }).sign(new Uint8Array(pem));
        await refused(ctx, { body: proof, jwt: token }, 401, 'UNAUTHENTICATED', 'alg');
      }
      // The sandbox's own signer, given the public KeyObject and the JWK object (its PEM / JSON text).
      const key = ctx.sandbox.jwtKey();
      await refused(ctx, { body: proof, jwt: signJwt(payload(ctx), { key: key.publicKey, alg: 'HS256', kid }) }, 401, 'UNAUTHENTICATED', 'alg');
      await refused(ctx, { body: proof, jwt: signJwt(payload(ctx), { key: key.publicJwk, alg: 'HS256', kid }) }, 401, 'UNAUTHENTICATED', 'alg');
      await accepted(ctx, proof);
    },
  },
  {
    name: 'other algorithms signed with the right RSA key (RS384, RS512, PS256 by jose) and a crit header → 401',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const key = ctx.sandbox.jwtKey();
      const pkcs8 = await importPKCS8(String(key.privateKey.export({ type: 'pkcs8', format: 'pem' })), 'PS256');
      await refused(ctx, { body: proof, jwt: await new SignJWT(payload(ctx)).setProtectedHeader({ alg: 'PS256', kid: key.kid }).sign(pkcs8) }, 401, 'UNAUTHENTICATED', 'alg');
      for (const alg of ['RS384', 'RS512']) {
        await refused(ctx, { body: proof, jwt: signJwt(payload(ctx), { key: key.privateKey, alg, kid: key.kid }) }, 401, 'UNAUTHENTICATED', 'alg');
      }
      // RS256 signed correctly, but a critical extension this verifier does not know (RFC 7515 4.1.11).
      const crit = signJwt(payload(ctx), { key: key.privateKey, alg: 'RS256', kid: key.kid, header: { crit: ['exp'], exp: 1 } });
      await refused(ctx, { body: proof, jwt: crit }, 401, 'UNAUTHENTICATED', 'crit');
      // jose's own RS256 with the same key is accepted (control for the header handling).
      const rs256 = await importPKCS8(String(key.privateKey.export({ type: 'pkcs8', format: 'pem' })), 'RS256');
      const joseToken = await new SignJWT(payload(ctx)).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(rs256);
      await accepted(ctx, proof, { jwt: joseToken });
    },
  },
  {
    name: 'an expired JWT (exp 2 min ago, past the 60 s skew), one without exp, nbf 10 min ahead → 401',
    async run(ctx) {
      const proof = await freshProof(ctx);
      await refused(ctx, { body: proof, jwt: validJwt(ctx, {}, { ttlSeconds: -120 }) }, 401, 'UNAUTHENTICATED', 'exp');
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { exp: undefined }) }, 401, 'UNAUTHENTICATED', 'exp');
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { exp: String(Math.floor(Date.now() / 1000) + 3600) }) }, 401, 'UNAUTHENTICATED', 'exp');
      const nbf = Math.floor(Date.now() / 1000) + 600;
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { nbf }) }, 401, 'UNAUTHENTICATED', 'nbf');
      await accepted(ctx, proof);
    },
  },
  {
    name: 'a JWT for another environment: environment_id, iss, iss with the id glued on, no sub → 401',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const other = randomUUID();
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { environment_id: other, iss: `app.dynamicauth.com/${other}` }) }, 401, 'UNAUTHENTICATED', 'environment_id');
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { environment_id: other }) }, 401, 'UNAUTHENTICATED', 'environment_id');
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { iss: `app.dynamicauth.com/${other}` }) }, 401, 'UNAUTHENTICATED', 'iss');
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { iss: `app.dynamicauth.com/x${ctx.environmentId}` }) }, 401, 'UNAUTHENTICATED', 'iss');
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { iss: undefined }) }, 401, 'UNAUTHENTICATED', 'iss');
      await refused(ctx, { body: proof, jwt: validJwt(ctx, { sub: '' }) }, 401, 'UNAUTHENTICATED', 'sub');
      await accepted(ctx, proof);
    },
  },
  {
    name: 'an unknown kid (the real key under another kid; a foreign key with its own kid) → 401 kid',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const key = ctx.sandbox.jwtKey();
      await refused(ctx, { body: proof, jwt: signJwt(payload(ctx), { key: key.privateKey, kid: 'not-in-the-jwks' }) }, 401, 'UNAUTHENTICATED', 'kid');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      await refused(ctx, { body: proof, jwt: signJwt(payload(ctx), { key: privateKey, kid: randomUUID() }) }, 401, 'UNAUTHENTICATED', 'kid');
      await refused(ctx, { body: proof, jwt: signJwt(payload(ctx), { key: key.privateKey, kid: 42 }) }, 401, 'UNAUTHENTICATED', 'kid');
      await accepted(ctx, proof);
    },
  },

  // ----- the proof -----
  {
    name: 'a proof for another domain (evil.example; the right host on another port) → 422 DOMAIN_MISMATCH',
    async run(ctx) {
      const nonce = await issueNonce(ctx);
      const wallet = evmWallet();
      const jwt = validJwt(ctx);
      await refused(ctx, { jwt, body: await siweProof({ wallet, nonce, fields: { domain: 'evil.example' } }) }, 422, 'DOMAIN_MISMATCH', 'domain');
      await refused(ctx, { jwt, body: await siweProof({ wallet, nonce, fields: { domain: `${DOMAIN}:8443` } }) }, 422, 'DOMAIN_MISMATCH', 'domain');
      const sol = solanaWallet();
      await refused(ctx, { jwt, body: siwsProof({ wallet: sol, nonce, input: { domain: 'evil.example' } }) }, 422, 'DOMAIN_MISMATCH', 'domain');
      // The refusals did not use the nonce up: the right proof with it goes through.
      await accepted(ctx, await siweProof({ wallet, nonce }));
    },
  },
  {
    name: "a proof whose address is not walletAddress (EVM and Solana) → 422 ADDRESS_MISMATCH",
    async run(ctx) {
      const nonce = await issueNonce(ctx);
      const jwt = validJwt(ctx);
      const victim = evmWallet().address;
      await refused(ctx, { jwt, body: await siweProof({ nonce, walletAddress: victim }) }, 422, 'ADDRESS_MISMATCH', 'address');
      await refused(ctx, { jwt, body: siwsProof({ nonce, walletAddress: solanaWallet().address }) }, 422, 'ADDRESS_MISMATCH', 'address');
      // A malformed walletAddress is refused as such, not sent on.
      await refused(ctx, { jwt, body: await siweProof({ nonce, walletAddress: '0x1234' }) }, 422, 'INVALID_ADDRESS');
      await accepted(ctx, await siweProof({ nonce }));
    },
  },
  {
    name: 'a replayed proof (its nonce already consumed) → 409 NONCE_UNKNOWN; Snag got the first only',
    async run(ctx) {
      const proof = await freshProof(ctx);
      await accepted(ctx, proof);
      await refused(ctx, { jwt: validJwt(ctx), body: proof }, 409, 'NONCE_UNKNOWN', 'nonce');
      // Another user's token, the same proof: still the same used nonce.
      await refused(ctx, { jwt: validJwt(ctx, { sub: randomUUID() }), body: proof }, 409, 'NONCE_UNKNOWN', 'nonce');
      // A new proof with the used nonce, by the same wallet.
      const sol = solanaWallet();
      const n = await issueNonce(ctx);
      await accepted(ctx, siwsProof({ wallet: sol, nonce: n }));
      await refused(ctx, { jwt: validJwt(ctx), body: siwsProof({ wallet: sol, nonce: n }) }, 409, 'NONCE_UNKNOWN', 'nonce');
    },
  },
  {
    name: 'identical requests in parallel (8): exactly one 200, seven 409, exactly one reaches Snag',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const jwt = validJwt(ctx);
      const [results, calls] = await withSnagRecord(ctx.sandbox, () =>
        Promise.all(Array.from({ length: 8 }, () => post(connectUrl(ctx), { jwt, body: proof }))),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409], results.map((r) => r.text).join('\n'));
      for (const r of results.filter((x) => x.status === 409)) assertRefusal(r, 409, 'NONCE_UNKNOWN', 'nonce');
      assert.equal(calls.length, 1, 'exactly one request reached Snag');
      assert.deepEqual(calls[0].body, expectedSnagBody(proof));
    },
  },
  {
    name: 'a nonce this server never issued (well-formed, validly signed) → 409 NONCE_UNKNOWN',
    async run(ctx) {
      const jwt = validJwt(ctx);
      await refused(ctx, { jwt, body: await siweProof({ nonce: foreignNonce() }) }, 409, 'NONCE_UNKNOWN', 'nonce');
      await refused(ctx, { jwt, body: siwsProof({ nonce: foreignNonce() }) }, 409, 'NONCE_UNKNOWN', 'nonce');
      // A nonce issued by another server (its own store) is unknown here too.
      await refused(ctx, { jwt, body: await siweProof({ nonce: await issueNonce(ctx, 'move') }) }, 409, 'NONCE_UNKNOWN', 'nonce');
    },
  },
  {
    name: 'a message older than maxAgeSeconds (issued 301 s ago, default 300) → 422 EXPIRED issuedAt',
    async run(ctx) {
      const nonce = await issueNonce(ctx);
      const wallet = evmWallet();
      const jwt = validJwt(ctx);
      const old = new Date(Date.now() - 301_000);
      await refused(ctx, { jwt, body: await siweProof({ wallet, nonce, fields: { issuedAt: old } }) }, 422, 'EXPIRED', 'issuedAt');
      await refused(ctx, { jwt, body: siwsProof({ nonce, input: { issuedAt: old.toISOString() } }) }, 422, 'EXPIRED', 'issuedAt');
      // Its own window: expirationTime passed, notBefore ahead, issuedAt in the future (past the skew).
      await refused(ctx, { jwt, body: await siweProof({ wallet, nonce, fields: { expirationTime: new Date(Date.now() - 120_000) } }) }, 422, 'EXPIRED');
      await refused(ctx, { jwt, body: await siweProof({ wallet, nonce, fields: { notBefore: new Date(Date.now() + 120_000) } }) }, 422, 'NOT_YET_VALID');
      await refused(ctx, { jwt, body: await siweProof({ wallet, nonce, fields: { issuedAt: new Date(Date.now() + 120_000) } }) }, 422, 'ISSUED_IN_FUTURE');
      // 200 s old is within the limit.
      await accepted(ctx, await siweProof({ wallet, nonce, fields: { issuedAt: new Date(Date.now() - 200_000) } }));
    },
  },
  {
    name: 'a message without nonce: SIWE (no Nonce line) → 422 MESSAGE_PARSE; Sign-In With Solana → 400 MISSING_FIELD',
    async run(ctx) {
      const jwt = validJwt(ctx);
      const wallet = evmWallet();
      const withNonce = (await siweProof({ wallet, nonce: await issueNonce(ctx) })).message;
      const message = withNonce.replace(/\nNonce: [^\n]*/, '');
      assert.doesNotMatch(message, /Nonce:/);
      const body = { walletType: 'evm', walletAddress: wallet.address, message, signature: await wallet.signMessage({ message }) };
      await refused(ctx, { jwt, body }, 422, 'MESSAGE_PARSE', 'nonce');
      const siws = siwsProof({ nonce: undefined });
      assert.doesNotMatch(siws.message, /Nonce:/);
      await refused(ctx, { jwt, body: siws }, 400, 'MISSING_FIELD', 'nonce');
    },
  },
  {
    name: 'a Sign-In With Solana message without issuedAt → 400 MISSING_FIELD issuedAt',
    async run(ctx) {
      const nonce = await issueNonce(ctx);
      const wallet = solanaWallet();
      const proof = siwsProof({ wallet, nonce, input: { issuedAt: undefined } });
      assert.doesNotMatch(proof.message, /Issued At/);
      await refused(ctx, { jwt: validJwt(ctx), body: proof }, 400, 'MISSING_FIELD', 'issuedAt');
      await accepted(ctx, siwsProof({ wallet, nonce }));
    },
  },
  {
    name: 'a bad signature: of another message, by another key, malformed, wrong length (EVM and Solana) → 422',
    async run(ctx) {
      const nonce = await issueNonce(ctx);
      const jwt = validJwt(ctx);
      const wallet = evmWallet();
      const proof = await siweProof({ wallet, nonce });
      const other = await siweProof({ wallet, nonce, fields: { statement: 'Something else.' } });
      await refused(ctx, { jwt, body: { ...proof, signature: other.signature } }, 422, 'SIGNATURE_MISMATCH', 'signature');
      const byOther = await evmWallet().signMessage({ message: proof.message });
      await refused(ctx, { jwt, body: { ...proof, signature: byOther } }, 422, 'SIGNATURE_MISMATCH', 'signature');
      await refused(ctx, { jwt, body: { ...proof, signature: '0xzz' } }, 422, 'INVALID_HEX');
      await refused(ctx, { jwt, body: { ...proof, signature: proof.signature.slice(0, 40) } }, 422, 'INVALID_SIGNATURE_LENGTH');
      const sol = solanaWallet();
      const siws = siwsProof({ wallet: sol, nonce });
      await refused(ctx, { jwt, body: { ...siws, signature: sol.sign(`${siws.message} `) } }, 422, 'SIGNATURE_MISMATCH', 'signature');
      await refused(ctx, { jwt, body: { ...siws, signature: solanaWallet().sign(siws.message) } }, 422, 'SIGNATURE_MISMATCH', 'signature');
      await refused(ctx, { jwt, body: { ...siws, signature: '0OIl' } }, 422, 'INVALID_BASE58');
      await accepted(ctx, proof);
    },
  },
  {
    name: 'a walletType this server cannot check, or a message of the other family → refused',
    async run(ctx) {
      const nonce = await issueNonce(ctx);
      const jwt = validJwt(ctx);
      const proof = await siweProof({ nonce });
      await refused(ctx, { jwt, body: { ...proof, walletType: 'btc' } }, 422, 'UNSUPPORTED_CHAIN', 'walletType');
      await refused(ctx, { jwt, body: { ...proof, walletType: 'sui' } }, 422, 'MESSAGE_PARSE');
      const siws = siwsProof({ nonce });
      await refused(ctx, { jwt, body: { ...siws, walletType: 'evm' } }, 422, 'MESSAGE_PARSE');
      await refused(ctx, { jwt, body: { ...proof, walletType: 'solana' } }, 422, 'MESSAGE_PARSE');
      await accepted(ctx, proof);
    },
  },

  {
    name: 'order of checks: size → JWT → body → message and nonce → signature encoding → address → domain → time → age → signature → nonce',
    async run(ctx) {
      const nonce = await issueNonce(ctx);
      const jwt = validJwt(ctx);
      const expired = validJwt(ctx, {}, { ttlSeconds: -600 });
      const wallet = evmWallet();
      const evil = await siweProof({ wallet, nonce, fields: { domain: 'evil.example', issuedAt: new Date(Date.now() - 3_600_000) } });
      // Too large, without a token.
      await refused(ctx, { body: 'x'.repeat(65 * 1024) }, 413, 'INPUT_TOO_LARGE');
      // An expired token with a broken body: the token answers.
      await refused(ctx, { jwt: expired, body: '{' }, 401, 'UNAUTHENTICATED', 'exp');
      // A body without signature, whose message is wrong in every way: the body answers.
      await refused(ctx, { jwt, body: { ...evil, signature: undefined } }, 400, 'MISSING_FIELD', 'signature');
      // A malformed signature on that message: the encoding answers before the message's content.
      await refused(ctx, { jwt, body: { ...evil, signature: '0xzz' } }, 422, 'INVALID_HEX');
      // The wrong address, the wrong domain, an old message: the address answers.
      await refused(ctx, { jwt, body: { ...evil, walletAddress: evmWallet().address } }, 422, 'ADDRESS_MISMATCH', 'address');
      // The wrong domain and an old message: the domain answers.
      await refused(ctx, { jwt, body: evil }, 422, 'DOMAIN_MISMATCH', 'domain');
      // An expired message window and too old: the window answers (field expirationTime).
      const late = await siweProof({ wallet, nonce, fields: { issuedAt: new Date(Date.now() - 3_600_000), expirationTime: new Date(Date.now() - 1_800_000) } });
      await refused(ctx, { jwt, body: late }, 422, 'EXPIRED', 'expirationTime');
      // Too old with a wrong signature: the age answers.
      const old = await siweProof({ wallet, nonce, fields: { issuedAt: new Date(Date.now() - 3_600_000) } });
      await refused(ctx, { jwt, body: { ...old, signature: (await siweProof({ wallet, nonce })).signature } }, 422, 'EXPIRED', 'issuedAt');
      // A wrong signature over an unknown nonce: the signature answers (the store is not asked).
      const unknown = await siweProof({ wallet, nonce: foreignNonce() });
      await refused(ctx, { jwt, body: { ...unknown, signature: old.signature } }, 422, 'SIGNATURE_MISMATCH', 'signature');
      await refused(ctx, { jwt, body: unknown }, 409, 'NONCE_UNKNOWN', 'nonce');
      await accepted(ctx, await siweProof({ wallet, nonce }));
    },
  },

  // ----- the body -----
  {
    name: 'body members userId, websiteId, organizationId, confirmDisconnect, verificationData are ignored',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const body = {
        ...proof,
        userId: 'attacker-chosen-user',
        websiteId: 'attacker-website',
        organizationId: 'attacker-organization',
        confirmDisconnect: true,
        verificationData: { message: 'x', signature: 'y' },
        apiKey: 'x',
      };
      const { call } = await accepted(ctx, proof, { body });
      assert.equal('userId' in call.body, false);
      assert.equal('confirmDisconnect' in call.body, false);
    },
  },
  {
    name: 'allowMoveWallet: true → Snag receives confirmDisconnect: true (and still no userId from the body)',
    async run(ctx) {
      const proof = await freshProof(ctx, 'move');
      const body = { ...proof, confirmDisconnect: false, userId: 'attacker-chosen-user', websiteId: 'w' };
      await accepted(ctx, proof, { server: 'move', body, extra: { confirmDisconnect: true } });
    },
  },
  {
    name: 'snagUserId hook → Snag receives the hook\'s id for the token\'s user, never the body\'s',
    async run(ctx) {
      const proof = await freshProof(ctx, 'hook');
      const sub = randomUUID();
      const body = { ...proof, userId: 'attacker-chosen-user' };
      const { res } = await accepted(ctx, proof, { server: 'hook', jwt: validJwt(ctx, { sub }), body, extra: { userId: `snag-${sub}` } });
      assert.equal(res.json.id, `snag-${sub}`, 'Snag linked the wallet to that user');
    },
  },
  {
    name: 'a 1 MiB body → 413 INPUT_TOO_LARGE, with Content-Length and chunked without it (the connection stays usable)',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const jwt = validJwt(ctx);
      const big = JSON.stringify({ ...proof, padding: 'x'.repeat(1 << 20) });
      await refused(ctx, { jwt, body: big }, 413, 'INPUT_TOO_LARGE');
      // Chunked without Content-Length (64 chunks of 16 KiB written after the headers) on a
      // keep-alive connection, then a GET on the same connection; 20 times, each on a new
      // connection, because losing the answer to a reset is a race (a server that closes with the
      // upload unread makes the kernel reset the connection, and the 413 can be lost with it).
      for (let attempt = 1; attempt <= 20; attempt += 1) {
        const [reuse, calls] = await withSnagRecord(ctx.sandbox, () =>
          oversizedThenReuse(ctx.url('/'), { path: '/link/snag/connect', nextPath: '/link/nonce', headers: { authorization: `Bearer ${jwt}` } }).catch(
            (error) => ({ first: `no answer: ${error.code ?? error.message}` }),
          ),
        );
        assert.deepEqual(calls, []);
        const seen = `attempt ${attempt}: ${JSON.stringify(reuse)}`;
        assert.match(reuse.first, /^HTTP\/1\.1 413/, `the client gets the 413 (${seen})`);
        // The connection is not left wedged: the next request on it is answered, or the 413 said
        // `Connection: close` and the server closed it.
        if (reuse.connection === 'close') assert.equal(reuse.second, 'closed', seen);
        else assert.equal(reuse.second, 200, `after a chunked 413 on a keep-alive connection, the next request on it got: ${reuse.second} (${seen})`);
      }
      // A body within the limit whose message is over 16 KiB.
      await refused(ctx, { jwt, body: { ...proof, message: `${proof.message}\n${'r'.repeat(17 * 1024)}` } }, 413, 'INPUT_TOO_LARGE', 'message');
      // Just under the limit (64 KiB of padding in total) is read and checked as usual.
      const fits = JSON.stringify({ ...proof, padding: '' });
      const padded = JSON.stringify({ ...proof, padding: 'x'.repeat(64 * 1024 - fits.length) });
      assert.equal(Buffer.byteLength(padded), 64 * 1024);
      await accepted(ctx, proof, { body: JSON.parse(padded) });
    },
  },
  {
    name: 'malformed JSON, a non-object, missing or mistyped members → 400',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const jwt = validJwt(ctx);
      await refused(ctx, { jwt, body: '{"walletType":' }, 400, 'INVALID_ARGUMENT', 'body');
      await refused(ctx, { jwt, body: '' }, 400, 'INVALID_ARGUMENT', 'body');
      await refused(ctx, { jwt, body: '[1,2]' }, 400, 'INVALID_ARGUMENT', 'body');
      await refused(ctx, { jwt, body: 'null' }, 400, 'INVALID_ARGUMENT', 'body');
      for (const member of ['walletType', 'message', 'walletAddress', 'signature']) {
        await refused(ctx, { jwt, body: { ...proof, [member]: undefined } }, 400, 'MISSING_FIELD', member);
        await refused(ctx, { jwt, body: { ...proof, [member]: 7 } }, 400, 'MISSING_FIELD', member);
      }
      await accepted(ctx, proof);
    },
  },
  {
    name: 'a non-UTF-8 body → 400 INVALID_ARGUMENT',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const jwt = validJwt(ctx);
      const text = JSON.stringify(proof);
      const bytes = Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])]);
      await refused(ctx, { jwt, body: new Uint8Array(bytes) }, 400, 'INVALID_ARGUMENT');
      await refused(ctx, { jwt, body: new Uint8Array([0xc0, 0xaf]) }, 400, 'INVALID_ARGUMENT');
      await accepted(ctx, proof);
    },
  },
  {
    name: 'unknown routes → 404, a known route with the wrong method → 405 (ROUTE_NOT_FOUND)',
    async run(ctx) {
      const jwt = validJwt(ctx);
      const get = (path, init) => async () => read(await fetch(ctx.url(path), init));
      await refused(ctx, get('/link/nope'), 404, 'ROUTE_NOT_FOUND');
      await refused(ctx, get('/nonce'), 404, 'ROUTE_NOT_FOUND');
      await refused(ctx, get('/link/snag/connect/'), 404, 'ROUTE_NOT_FOUND');
      await refused(ctx, get('/link/Snag/Connect', { method: 'POST', body: '{}' }), 404, 'ROUTE_NOT_FOUND');
      await refused(ctx, get('/link/snag/connect'), 405, 'ROUTE_NOT_FOUND');
      await refused(ctx, get('/link/snag/connect', { method: 'PUT', headers: { authorization: `Bearer ${jwt}` }, body: '{}' }), 405, 'ROUTE_NOT_FOUND');
      await refused(ctx, get('/link/nonce', { method: 'POST', body: '{}' }), 405, 'ROUTE_NOT_FOUND');
      await refused(ctx, get('/link/nonce', { method: 'DELETE' }), 405, 'ROUTE_NOT_FOUND');
    },
  },

  {
    name: 'a 405 names the allowed method in Allow (RFC 9110 section 15.5.6: MUST)',
    async run(ctx) {
      for (const [path, method, allowed] of [['/link/snag/connect', 'GET', 'POST'], ['/link/nonce', 'POST', 'GET']]) {
        const res = await refused(ctx, async () => read(await fetch(ctx.url(path), { method, body: method === 'POST' ? '{}' : undefined })), 405, 'ROUTE_NOT_FOUND');
        assert.equal(res.headers.get('allow'), allowed, `${method} ${path}: Allow header`);
      }
    },
  },

  // ----- failures around the server -----
  {
    name: 'Snag answers 500 → 502 HTTP_ERROR; the nonce is consumed (the same proof again → 409)',
    async run(ctx) {
      const proof = await freshProof(ctx);
      const jwt = validJwt(ctx);
      ctx.sandbox.state.faults.arm({ kind: 'status', status: 500, path: '/snag/api/users/connect', method: 'POST' });
      const [res, calls] = await withSnagRecord(ctx.sandbox, () => post(connectUrl(ctx), { jwt, body: proof }));
      assertRefusal(res, 502, 'HTTP_ERROR');
      assert.equal(calls.length, 1, 'one call reached Snag (a 500 is not retried: Snag may have acted)');
      assert.equal(calls[0].status, 500);
      assert.deepEqual(calls[0].body, expectedSnagBody(proof));
      // Documented: the nonce was consumed before Snag was called; the client asks for a new one.
      await refused(ctx, { jwt, body: proof }, 409, 'NONCE_UNKNOWN', 'nonce');
    },
  },
  {
    name: 'Snag down (nothing listening) → 502 NETWORK; Snag untouched; the nonce is consumed',
    async run(ctx) {
      const proof = await freshProof(ctx, 'snag-down');
      const jwt = validJwt(ctx);
      await refused(ctx, { server: 'snag-down', jwt, body: proof }, 502, 'NETWORK');
      await refused(ctx, { server: 'snag-down', jwt, body: proof }, 409, 'NONCE_UNKNOWN', 'nonce');
    },
  },
  {
    name: 'a nonce store that throws → 503 NONCE_STORE (consume: connect refused, Snag untouched; issue: GET nonce)',
    async run(ctx) {
      const proof = await freshProof(ctx, 'store-down');
      await refused(ctx, { server: 'store-down', jwt: validJwt(ctx), body: proof }, 503, 'NONCE_STORE');
      await refused(ctx, async () => read(await fetch(ctx.url('/store-full/nonce'))), 503, 'NONCE_STORE');
    },
  },
  {
    name: 'JWKS unreachable → 503 NETWORK (neither a refusal of the token nor an acceptance)',
    async run(ctx) {
      const proof = await freshProof(ctx, 'jwks-down');
      await refused(ctx, { server: 'jwks-down', jwt: validJwt(ctx), body: proof }, 503, 'NETWORK');
      // A forged token gets no further: still 503, never 200.
      await refused(ctx, { server: 'jwks-down', jwt: flipSignatureBit(validJwt(ctx)), body: proof }, 503, 'NETWORK');
    },
  },
];
