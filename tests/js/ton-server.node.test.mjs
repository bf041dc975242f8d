// TON wallets through the backend: `createLinkServer` (wallet-linker/server), driven in-process
// with `server.fetch(new Request(...))`, against the sandbox (Dynamic's JWKS, and Snag's stand-in
// that checks every TON proof again with @ton/core + @ton/crypto, www/sandbox/ton.mjs). Wallets of
// each supported version come from @ton/ton, their proofs are signed with @ton/crypto
// (ton-fixtures.mjs) over a nonce the server issued and the server's domain. An accepted proof
// reaches Snag as `walletType: "ton"` with the `tonVerification` the wallet sent, and passes
// Snag's own check; every attack is refused with its status and code and reaches nothing (no
// Snag call), and a nonce it named stays usable.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';

import { sign } from '@ton/crypto';
import { createLinkServer } from 'wallet-linker/server';

import { signJwt } from '../../www/sandbox/jwt.mjs';
import { DOMAIN, ORGANIZATION_ID, WEBSITE_ID, startSandbox, withSnagRecord } from './server-fixtures.mjs';
import { makeProof, proofDigest, tonWallet } from './ton-fixtures.mjs';

const sandbox = await startSandbox();
after(() => sandbox.close());
const { sandbox: sb } = sandbox;

const link = createLinkServer({
  domain: DOMAIN,
  dynamic: { environmentId: sb.environmentId, baseUrl: `${sandbox.url}/api/v0` },
  snag: { apiKey: sb.snagApiKey, baseUrl: `${sandbox.url}/snag`, websiteId: WEBSITE_ID, organizationId: ORGANIZATION_ID, maxRetries: 0 },
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
const jwt = () => sb.issueJwt();

/** A nonce issued by the server under test. */
async function issueNonce() {
  const response = await link.fetch(new Request(`https://${DOMAIN}/nonce`));
  assert.equal(response.status, 200);
  const { nonce } = await response.json();
  assert.equal(typeof nonce, 'string');
  return nonce;
}

/** The connect body of a TON proof (`{ proof, account }`). */
const tonBody = ({ proof, account }, walletAddress = account.address) => ({
  walletType: 'ton',
  walletAddress,
  tonVerification: { proof, account },
});

/**
 * POSTs `body` to the server's connect route (with a fresh sandbox JWT, or `authorization` as is,
 * or none when `authorization` is null); resolves to `[{ status, json }, snagCalls]`.
 */
function connect(body, { authorization = `Bearer ${jwt()}` } = {}) {
  return withSnagRecord(sb, async () => {
    const headers = { 'content-type': 'application/json' };
    if (authorization !== null) headers.authorization = authorization;
    const response = await link.fetch(new Request(`https://${DOMAIN}/snag/connect`, { method: 'POST', headers, body: JSON.stringify(body) }));
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, json };
  });
}

/** The sandbox's TON check of a Snag call. */
const tonCheckOf = (call) => sb.snapshot().tonProofChecks.find((c) => c.seq === call.seq);

/** Asserts an accepted connect: 200, Snag's answer, one Snag call with `tonVerification` as expected, which Snag's @ton check accepted. */
function assertAccepted([res, snag], { walletAddress, tonVerification, version }) {
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.equal(snag.length, 1, 'one Snag call');
  assert.equal(snag[0].status, 200, JSON.stringify(snag[0].response));
  assert.equal(snag[0].apiKey, 'valid');
  assert.deepEqual(snag[0].body, {
    walletAddress,
    walletType: 'ton',
    websiteId: WEBSITE_ID,
    organizationId: ORGANIZATION_ID,
    verificationData: { tonVerification },
  });
  assert.deepEqual(res.json, snag[0].response, "the answer is Snag's");
  const check = tonCheckOf(snag[0]);
  assert.ok(check, 'Snag checked the proof itself');
  assert.equal(check.valid, true, check.error);
  assert.equal(check.verifier, '@ton/core + @ton/crypto');
  if (version) assert.equal(check.wallet, version);
}

/** Asserts a refusal `{ code, message }` with `status` that reached no Snag call. */
function assertRefused([res, snag], status, code, what) {
  assert.equal(res.status, status, `${what}: expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.json)}`);
  if (code !== undefined) assert.equal(res.json.code, code, `${what}: ${JSON.stringify(res.json)}`);
  assert.equal(typeof res.json.message, 'string', what);
  assert.equal(snag.length, 0, `${what}: Snag got nothing`);
}

describe('createLinkServer with TON wallets', () => {
  for (const [version, form] of [['v3r2', 'raw'], ['v4r2', 'non-bounceable'], ['v5r1', 'bounceable']]) {
    test(`${version}: a proof of the server's nonce and domain is accepted and reaches Snag as received (walletAddress ${form})`, async () => {
      const nonce = await issueNonce();
      const reply = makeProof(version, nonce, { domain: DOMAIN });
      const walletAddress =
        form === 'raw' ? reply.account.address : reply.wallet.address.toString({ bounceable: form === 'bounceable', urlSafe: true });
      const result = await connect(tonBody(reply, walletAddress));
      assertAccepted(result, { walletAddress, tonVerification: { proof: reply.proof, account: reply.account }, version });
      assert.equal(result[0].json.walletAddress, walletAddress);
      // The nonce is spent: the same proof again is a replay.
      assertRefused(await connect(tonBody(reply, walletAddress)), 409, 'NONCE_UNKNOWN', 'replay');
    });
  }

  test("TON Connect's wire form (timestamp as decimal text) is accepted; Snag gets the number its model has", async () => {
    const nonce = await issueNonce();
    const reply = makeProof('v4r2', nonce, { domain: DOMAIN });
    const wire = { ...reply, proof: { ...reply.proof, timestamp: String(reply.proof.timestamp) } };
    const result = await connect(tonBody(wire));
    assertAccepted(result, { walletAddress: reply.account.address, tonVerification: { proof: reply.proof, account: reply.account }, version: 'v4r2' });
    assert.equal(typeof result[1][0].body.verificationData.tonVerification.proof.timestamp, 'number');
  });

  test("the state init in the proof's state_init (no account.walletStateInit) is accepted and forwarded there", async () => {
    const nonce = await issueNonce();
    const reply = makeProof('v5r1', nonce, { domain: DOMAIN });
    const { walletStateInit, ...account } = reply.account;
    const moved = { proof: { ...reply.proof, state_init: walletStateInit }, account };
    assertAccepted(await connect(tonBody(moved)), { walletAddress: account.address, tonVerification: moved, version: 'v5r1' });
  });

  test('a payload the server never issued, and a replay of an accepted proof: 409 NONCE_UNKNOWN, nothing to Snag', async () => {
    const foreign = makeProof('v4r2', randomBytes(16).toString('hex'), { domain: DOMAIN });
    assertRefused(await connect(tonBody(foreign)), 409, 'NONCE_UNKNOWN', 'a payload not issued');
    const nonce = await issueNonce();
    const reply = makeProof('v3r2', nonce, { domain: DOMAIN });
    assertAccepted(await connect(tonBody(reply)), { walletAddress: reply.account.address, tonVerification: { proof: reply.proof, account: reply.account } });
    // The same proof, and the same nonce in a new proof by another wallet.
    assertRefused(await connect(tonBody(reply)), 409, 'NONCE_UNKNOWN', 'the accepted proof replayed');
    assertRefused(await connect(tonBody(makeProof('v5r1', nonce, { domain: DOMAIN }))), 409, 'NONCE_UNKNOWN', 'its nonce in another proof');
  });

  test('forged proofs are refused with their codes, reach nothing, and leave the nonce usable', async () => {
    const wallet = tonWallet('v4r2');
    const other = tonWallet('v4r2');
    const attacks = [
      ['another domain', 422, 'DOMAIN_MISMATCH', (nonce) => tonBody(makeProof('v4r2', nonce, { domain: 'evil.example.com', wallet }))],
      ['a timestamp 10 minutes old', 422, 'EXPIRED', (nonce) => tonBody(makeProof('v4r2', nonce, { domain: DOMAIN, wallet, timestamp: nowSeconds() - 600 }))],
      ['a signature by another key', 422, 'SIGNATURE_MISMATCH', (nonce) => {
        const reply = makeProof('v4r2', nonce, { domain: DOMAIN, wallet });
        const forged = sign(proofDigest(wallet.address, DOMAIN, reply.proof.timestamp, nonce), other.keys.secretKey).toString('base64');
        return tonBody({ ...reply, proof: { ...reply.proof, signature: forged } });
      }],
      ['a flipped signature bit', 422, 'SIGNATURE_MISMATCH', (nonce) => {
        const reply = makeProof('v4r2', nonce, { domain: DOMAIN, wallet });
        const bytes = Buffer.from(reply.proof.signature, 'base64');
        bytes[5] ^= 0x10;
        return tonBody({ ...reply, proof: { ...reply.proof, signature: bytes.toString('base64') } });
      }],
      ['walletAddress of another wallet', 422, 'ADDRESS_MISMATCH', (nonce) => tonBody(makeProof('v4r2', nonce, { domain: DOMAIN, wallet }), other.address.toRawString())],
      ['the state init of another wallet', 422, 'ADDRESS_MISMATCH', (nonce) => {
        const reply = makeProof('v4r2', nonce, { domain: DOMAIN, wallet });
        return tonBody({ ...reply, account: { ...reply.account, walletStateInit: other.stateInit } });
      }],
      ["the state init of another wallet, signed by its key, under this wallet's address", 422, 'ADDRESS_MISMATCH', (nonce) => {
        const reply = makeProof('v4r2', nonce, { domain: DOMAIN, wallet: other });
        return tonBody({ ...reply, account: { ...reply.account, address: wallet.address.toRawString() } });
      }],
      ['a wallet v3r1 (unsupported code)', 422, 'UNSUPPORTED_WALLET', (nonce) => tonBody(makeProof('v3r1', nonce, { domain: DOMAIN }))],
      ['no tonVerification', 400, 'MISSING_FIELD', (nonce) => {
        const { tonVerification, ...body } = tonBody(makeProof('v4r2', nonce, { domain: DOMAIN, wallet }));
        return body;
      }],
    ];
    for (const [what, status, code, make] of attacks) {
      const nonce = await issueNonce();
      const result = await connect(make(nonce));
      assertRefused(result, status, code, what);
      if (code === 'MISSING_FIELD') assert.equal(result[0].json.field, 'tonVerification');
      // The nonce was not spent: the wallet's own proof of it is accepted afterwards.
      const honest = makeProof('v4r2', nonce, { domain: DOMAIN, wallet });
      assertAccepted(await connect(tonBody(honest)), { walletAddress: honest.account.address, tonVerification: { proof: honest.proof, account: honest.account } });
    }
  });

  test('no JWT, or a forged one: 401 before the proof is looked at; the nonce stays usable', async () => {
    const nonce = await issueNonce();
    const reply = makeProof('v5r1', nonce, { domain: DOMAIN });
    const body = tonBody(reply);
    assertRefused(await connect(body, { authorization: null }), 401, 'UNAUTHENTICATED', 'no Authorization header');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const iat = nowSeconds();
    const claims = { kid: sb.jwtKey().kid, aud: 'sandbox', iss: sb.issuer, sub: 'user-ton', sid: 'sid', environment_id: sb.environmentId, scope: 'user:basic', iat, exp: iat + 600, verified_credentials: [] };
    const forged = signJwt(claims, { key: privateKey, kid: sb.jwtKey().kid });
    assertRefused(await connect(body, { authorization: `Bearer ${forged}` }), 401, 'UNAUTHENTICATED', 'a JWT signed by another key under the real kid');
    assertRefused(await connect(body, { authorization: `Bearer ${sb.issueJwt({}, { ttlSeconds: -600 })}` }), 401, 'UNAUTHENTICATED', 'a JWT expired 10 minutes ago');
    assertAccepted(await connect(body), { walletAddress: reply.account.address, tonVerification: { proof: reply.proof, account: reply.account }, version: 'v5r1' });
  });
});
