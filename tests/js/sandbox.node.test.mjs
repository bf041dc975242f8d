// Node-only tests of the sandbox server (www/sandbox/) and the demo server (www/serve.mjs), over
// real HTTP on free loopback ports. Messages are built with siwe, @solana/wallet-standard-util or
// template strings, and signed with viem / tweetnacl / @mysten/sui (Sui keypairs of each scheme);
// TON Connect proofs come from @ton/ton wallets signed with @ton/crypto (ton-fixtures.mjs):
// nothing here uses the package under test.
// The official generated clients (@dynamic-labs/sdk-api-core, @dynamic-labs/sdk-api,
// @snagsolutions/sdk) are pointed at the sandbox to prove it speaks their contract.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Configuration, SDKApi, VerifyResponseFromJSON } from '@dynamic-labs/sdk-api-core';
import { Configuration as AdminConfiguration, UsersApi } from '@dynamic-labs/sdk-api';
import { SnagSolutions } from '@snagsolutions/sdk';
import { Address, beginCell, Cell, contractAddress } from '@ton/core';
import { sign as tonSign } from '@ton/crypto';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { Secp256k1Keypair } from '@mysten/sui/keypairs/secp256k1';
import { Secp256r1Keypair } from '@mysten/sui/keypairs/secp256r1';
import { createSignInMessageText } from '@solana/wallet-standard-util';
import bs58 from 'bs58';
import { SiweMessage } from 'siwe';
import nacl from 'tweetnacl';
import { privateKeyToAccount } from 'viem/accounts';

import { checkDynamicModel, DYNAMIC_ADMIN, DYNAMIC_SDK } from '../../www/sandbox/contract.mjs';
import { decodeJwtClaims, decodeJwtHeader, generateRsaSigningKey, signJwt } from '../../www/sandbox/jwt.mjs';
import { parseSignInMessage } from '../../www/sandbox/message.mjs';
import {
  createSandbox,
  DEFAULT_DYNAMIC_API_TOKEN,
  DEFAULT_ENVIRONMENT_ID,
  DEFAULT_SNAG_API_KEY,
} from '../../www/sandbox/server.mjs';
import { startDemoServer } from '../../www/serve.mjs';
import { makeProof as makeTonProof, proofDigest as tonProofDigest, stateInitBase64, tonWallet } from './ton-fixtures.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

// ------------------------------------------------------------------------------------------------
// helpers

async function startSandbox(t, options = {}) {
  const sandbox = createSandbox(options);
  const server = await sandbox.listen(0);
  t.after(() => server.close());
  const env = sandbox.environmentId;
  return {
    sandbox,
    url: server.url,
    env,
    sdk: (path) => `${server.url}/api/v0/sdk/${env}/${path}`,
    bulk: (query = '') => `${server.url}/api/v0/environments/${env}/users/bulk${query}`,
  };
}

async function call(url, { method = 'GET', headers = {}, json, body } = {}) {
  const init = { method, headers: { ...headers } };
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
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

const bearer = (jwt) => ({ authorization: `Bearer ${jwt}` });

async function getNonce(s) {
  const r = await call(s.sdk('nonce'));
  assert.equal(r.status, 200);
  return r.data.nonce;
}

async function state(s) {
  return (await call(`${s.url}/__sandbox/state`)).data;
}

async function session(s, body = {}) {
  const r = await call(`${s.url}/__sandbox/session`, { method: 'POST', json: body });
  assert.equal(r.status, 200, r.text);
  return r.data;
}

async function armFault(s, spec) {
  const r = await call(`${s.url}/__sandbox/faults`, { method: 'POST', json: spec });
  assert.equal(r.status, 200, r.text);
  return r.data;
}

// Fixed test keys (not secrets: plain 32-byte patterns).
const evmAccount = (byte) => privateKeyToAccount(`0x${byte.repeat(32)}`);

function siweText({ domain = 'localhost', address, nonce, issuedAt, expirationTime, requestId, statement }) {
  return new SiweMessage({
    domain,
    address,
    statement: statement ?? 'Sign in to the wallet-linker sandbox',
    uri: `http://${domain}`,
    version: '1',
    chainId: 1,
    nonce,
    issuedAt: issuedAt ?? new Date().toISOString(),
    expirationTime,
    requestId,
  }).prepareMessage();
}

async function evmBody(account, message, extra = {}) {
  return {
    signedMessage: await account.signMessage({ message }),
    messageToSign: message,
    publicWalletAddress: account.address,
    chain: 'EVM',
    walletName: 'metamask',
    walletProvider: 'browserExtension',
    ...extra,
  };
}

/** Fetches a nonce, builds a SIWE message and signs it. */
async function evmProof(s, account, { domain, issuedAt, expirationTime, extra } = {}) {
  const nonce = await getNonce(s);
  const message = siweText({ domain, address: account.address, nonce, issuedAt, expirationTime, requestId: s.env });
  return evmBody(account, message, extra);
}

function solanaWallet(byte) {
  const pair = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(byte));
  return {
    address: bs58.encode(pair.publicKey),
    sign: (text) => nacl.sign.detached(new TextEncoder().encode(text), pair.secretKey),
  };
}

/** Dynamic's Solana template: EIP-4361-like, Request ID = environment id, no Chain ID line. */
function dynamicSolanaText({ domain = 'localhost', address, nonce, issuedAt, requestId }) {
  return (
    `${domain} wants you to sign in with your Solana account:\n${address}\n\n` +
    'Welcome to the sandbox. Signing is the only way we can truly know that you are the owner of the wallet you are connecting.\n\n' +
    `URI: http://${domain}\nVersion: 1\nNonce: ${nonce}\nIssued At: ${issuedAt ?? new Date().toISOString()}\nRequest ID: ${requestId}`
  );
}

/** A Sui key of a scheme (@mysten/sui keypair from a fixed byte pattern): its address, and Sui personal-message signing. */
function suiWallet(byte, Keypair = Ed25519Keypair) {
  const keypair = Keypair.fromSecretKey(new Uint8Array(32).fill(byte));
  return {
    keypair,
    address: keypair.toSuiAddress(),
    sign: async (text) => (await keypair.signPersonalMessage(new TextEncoder().encode(text))).signature,
  };
}

/** Dynamic's Sui template: as the Solana one, with "Sui account" (Request ID = environment id, no Chain ID). */
function dynamicSuiText({ domain = 'localhost', address, nonce, issuedAt, requestId }) {
  return dynamicSolanaText({ domain, address, nonce, issuedAt, requestId }).replace('with your Solana account:', 'with your Sui account:');
}

async function suiBody(wallet, message, extra = {}) {
  return {
    signedMessage: await wallet.sign(message),
    messageToSign: message,
    publicWalletAddress: wallet.address,
    chain: 'SUI',
    walletName: 'suiwallet',
    walletProvider: 'browserExtension',
    ...extra,
  };
}

/** Fetches a nonce, writes Dynamic's Sui template for `wallet` and signs it. */
async function suiProof(s, wallet, extra) {
  return suiBody(wallet, dynamicSuiText({ address: wallet.address, nonce: await getNonce(s), requestId: s.env }), extra);
}

function solanaBody(wallet, message, encoding = 'base58') {
  const signature = wallet.sign(message);
  return {
    signedMessage: encoding === 'base58' ? bs58.encode(signature) : Buffer.from(signature).toString('base64'),
    messageToSign: message,
    publicWalletAddress: wallet.address,
    chain: 'SOL',
    walletName: 'phantom',
    walletProvider: 'browserExtension',
  };
}

function userFromState(st, id) {
  return st.users.find((u) => u.id === id);
}

/** A raw HTTP request that reports exactly what arrived (for faults fetch would hide). */
function rawRequest(url, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve) => {
    let response = null;
    const chunks = [];
    const report = (error) =>
      resolve(
        response
          ? { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks), complete: response.complete, error }
          : { error },
      );
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      response = res;
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => report(undefined));
      res.on('error', (error) => report(error));
    });
    // A reset after the headers arrived surfaces here first: report what came before it.
    req.on('error', (error) => report(error));
    req.end();
  });
}

// ------------------------------------------------------------------------------------------------
// the contract readers

test('contract: required fields, JSON keys and enums are read from the official models', async () => {
  // JwtVerifiedCredential maps walletName <-> wallet_name: the JSON key comes from FromJSON.
  await assert.rejects(
    checkDynamicModel(DYNAMIC_SDK, 'JwtVerifiedCredential', { id: 'x', format: 'blockchain', signInEnabled: true, wallet_name: 7 }),
    /wallet_name must be a string/,
  );
  await checkDynamicModel(DYNAMIC_SDK, 'JwtVerifiedCredential', { id: 'x', format: 'blockchain', signInEnabled: true, wallet_name: 'w' });
  await assert.rejects(checkDynamicModel(DYNAMIC_SDK, 'JwtVerifiedCredential', { id: 'x', format: 'blockchain' }), /signInEnabled is required/);
  await assert.rejects(
    checkDynamicModel(DYNAMIC_SDK, 'JwtVerifiedCredential', { id: 'x', format: 'carrier-pigeon', signInEnabled: true }),
    /format must be one of: blockchain, email/,
  );
});

test('message parser reads SIWE, SIWS and the Dynamic template, and refuses malformed ones', () => {
  const address = evmAccount('11').address;
  const siwe = parseSignInMessage(siweText({ address, nonce: 'abcdef0123456789', issuedAt: '2030-01-01T00:00:00Z', requestId: 'r1' }));
  assert.equal(siwe.ok, true);
  assert.deepEqual(
    { domain: siwe.message.domain, account: siwe.message.account, address: siwe.message.address, chainId: siwe.message.chainId, nonce: siwe.message.nonce, requestId: siwe.message.requestId },
    { domain: 'localhost', account: 'Ethereum', address, chainId: '1', nonce: 'abcdef0123456789', requestId: 'r1' },
  );
  const sol = solanaWallet(7);
  const siws = parseSignInMessage(
    createSignInMessageText({ domain: 'localhost:8080', address: sol.address, nonce: 'n0nce1234', issuedAt: '2030-01-01T00:00:00Z', resources: ['https://a.example'] }),
  );
  assert.equal(siws.ok, true);
  assert.equal(siws.message.account, 'Solana');
  assert.equal(siws.message.domain, 'localhost:8080');
  assert.deepEqual(siws.message.resources, ['https://a.example']);
  assert.equal(siws.message.statement, undefined);
  const dyn = parseSignInMessage(dynamicSolanaText({ address: sol.address, nonce: 'n0nce1234', issuedAt: '2030-01-01T00:00:00Z', requestId: 'env' }));
  assert.equal(dyn.ok, true);
  assert.equal(dyn.message.chainId, undefined);
  assert.match(dyn.message.statement, /^Welcome to the sandbox/);

  const good = siweText({ address, nonce: 'abcdef0123456789', issuedAt: '2030-01-01T00:00:00Z' });
  assert.equal(parseSignInMessage(good.replace('Nonce:', 'Nonce: x\nNonce:')).ok, false, 'duplicate field');
  assert.equal(parseSignInMessage(good.replace('Version: 1', 'Version: 2')).ok, false, 'version');
  assert.equal(parseSignInMessage(good.replace('2030-01-01T00:00:00Z', 'yesterday')).ok, false, 'timestamp');
  assert.equal(parseSignInMessage(good.replace('wants you to sign in', 'wants you to log in')).ok, false, 'header');
  assert.equal(parseSignInMessage(`${good}\nSurprise: field`).ok, false, 'unknown trailing line');
  assert.equal(parseSignInMessage('x'.repeat(20000)).ok, false, 'length bound');
});

// ------------------------------------------------------------------------------------------------
// nonce

test('nonce: issued fresh each time, recorded, and single use', async (t) => {
  const s = await startSandbox(t);
  const a = await getNonce(s);
  const b = await getNonce(s);
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(a, b);
  const account = evmAccount('11');
  const message = siweText({ address: account.address, nonce: a, requestId: s.env });
  const body = await evmBody(account, message);
  assert.equal((await call(s.sdk('verify'), { method: 'POST', json: body })).status, 200);
  const replay = await call(s.sdk('verify'), { method: 'POST', json: body });
  assert.equal(replay.status, 422);
  assert.equal(replay.data.code, 'invalid_verification');
  assert.match(replay.data.error, /already used/);
  const st = await state(s);
  const used = st.nonces.find((n) => n.nonce === a);
  assert.ok(used.usedAt, 'nonce a is marked used');
  assert.equal(st.nonces.find((n) => n.nonce === b).usedAt, null);
});

test('nonce: a nonce the sandbox never issued is refused', async (t) => {
  const s = await startSandbox(t);
  const account = evmAccount('11');
  const body = await evmBody(account, siweText({ address: account.address, nonce: 'ffffffffffffffffffffffffffffffff' }));
  const r = await call(s.sdk('verify'), { method: 'POST', json: body });
  assert.equal(r.status, 422);
  assert.equal(r.data.code, 'invalid_verification');
  assert.match(r.data.error, /not issued/);
});

test('nonce: expires after nonceTtlMs (clock from the `now` option)', async (t) => {
  const clock = { ms: Date.parse('2030-01-01T00:00:00Z') };
  const s = await startSandbox(t, { now: () => clock.ms, nonceTtlMs: 60_000 });
  const account = evmAccount('11');
  const nonce = await getNonce(s);
  clock.ms += 60_001;
  const body = await evmBody(account, siweText({ address: account.address, nonce, issuedAt: new Date(clock.ms).toISOString() }));
  const r = await call(s.sdk('verify'), { method: 'POST', json: body });
  assert.equal(r.status, 422);
  assert.match(r.data.error, /expired/);
  // One millisecond inside the window is still fine.
  const fresh = await getNonce(s);
  clock.ms += 59_999;
  const ok = await evmBody(account, siweText({ address: account.address, nonce: fresh, issuedAt: new Date(clock.ms).toISOString() }));
  assert.equal((await call(s.sdk('verify'), { method: 'POST', json: ok })).status, 200);
});

// ------------------------------------------------------------------------------------------------
// verify (sign in)

test('verify: an EVM SIWE message signed with viem signs in and returns a real RS256 JWT', async (t) => {
  const s = await startSandbox(t);
  const account = evmAccount('11');
  const r = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, account) });
  assert.equal(r.status, 200, r.text);
  await checkDynamicModel(DYNAMIC_SDK, 'VerifyResponse', r.data);
  const { user, jwt, minifiedJwt, expiresAt } = r.data;
  assert.equal(user.projectEnvironmentId, s.env);
  assert.equal(user.newUser, true);
  assert.equal(user.verifiedCredentials.length, 1);
  const [credential] = user.verifiedCredentials;
  assert.deepEqual(
    { address: credential.address, chain: credential.chain, format: credential.format, wallet_name: credential.wallet_name, wallet_provider: credential.wallet_provider },
    { address: account.address, chain: 'eip155', format: 'blockchain', wallet_name: 'metamask', wallet_provider: 'browserExtension' },
  );
  assert.equal(user.lastVerifiedCredentialId, credential.id);
  const [published] = (await call(s.sdk('.well-known/jwks.json'))).data.keys;
  assert.deepEqual(decodeJwtHeader(jwt), { alg: 'RS256', typ: 'JWT', kid: published.kid });
  assert.deepEqual(decodeJwtHeader(minifiedJwt), { alg: 'RS256', typ: 'JWT', kid: published.kid });
  const claims = decodeJwtClaims(jwt);
  assert.equal(claims.sub, user.id);
  assert.equal(claims.sid, user.sessionId);
  assert.equal(claims.kid, published.kid);
  assert.equal(claims.environment_id, s.env);
  assert.equal(claims.iss, `app.dynamicauth.com/${s.env}`);
  assert.equal(claims.scope, 'user:basic');
  assert.equal(claims.last_verified_credential_id, credential.id);
  assert.equal(claims.exp, expiresAt);
  assert.equal(claims.exp - claims.iat, 2 * 60 * 60);
  assert.equal(claims.verified_credentials[0].address, account.address);
  const minified = decodeJwtClaims(minifiedJwt);
  assert.equal(minified.verified_credentials, undefined);
  assert.deepEqual(minified, (({ verified_credentials, ...rest }) => rest)(claims));
  // The signature is a real RS256 one by the published key (node:crypto, from the JWK).
  const publicKey = createPublicKey({ key: published, format: 'jwk' });
  const [h, p, sig] = jwt.split('.');
  assert.equal(cryptoVerify('sha256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(sig, 'base64url')), true);
  assert.equal(cryptoVerify('sha256', Buffer.from(`${h}.${p}x`), publicKey, Buffer.from(sig, 'base64url')), false);

  // Signing in again with the same wallet finds the same user.
  const again = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, account) });
  assert.equal(again.status, 200);
  assert.equal(again.data.user.id, user.id);
  assert.equal(again.data.user.newUser, false);
  assert.equal(again.data.user.verifiedCredentials.length, 1);
});

test('verify: a Solana message signed with tweetnacl, signature in base58 or base64', async (t) => {
  const s = await startSandbox(t);
  const wallet = solanaWallet(9);
  const first = dynamicSolanaText({ address: wallet.address, nonce: await getNonce(s), requestId: s.env });
  const r58 = await call(s.sdk('verify'), { method: 'POST', json: solanaBody(wallet, first, 'base58') });
  assert.equal(r58.status, 200, r58.text);
  assert.equal(r58.data.user.verifiedCredentials[0].address, wallet.address);
  assert.equal(r58.data.user.verifiedCredentials[0].chain, 'solana');

  // A Sign-In-With-Solana message (wallet-standard format) with a base64 signature.
  const second = createSignInMessageText({
    domain: 'localhost',
    address: wallet.address,
    statement: 'Sign in',
    uri: 'http://localhost',
    version: '1',
    nonce: await getNonce(s),
    issuedAt: new Date().toISOString(),
  });
  const r64 = await call(s.sdk('verify'), { method: 'POST', json: solanaBody(wallet, second, 'base64') });
  assert.equal(r64.status, 200, r64.text);
  assert.equal(r64.data.user.id, r58.data.user.id);

  // The signature of another key does not verify.
  const other = solanaWallet(10);
  const forged = dynamicSolanaText({ address: wallet.address, nonce: await getNonce(s), requestId: s.env });
  const bad = { ...solanaBody(wallet, forged), signedMessage: bs58.encode(other.sign(forged)) };
  const rBad = await call(s.sdk('verify'), { method: 'POST', json: bad });
  assert.equal(rBad.status, 422);
  assert.equal(rBad.data.code, 'invalid_verification');
});

test('verify: a wrong EVM signature is 422 invalid_verification and does not burn the nonce', async (t) => {
  const s = await startSandbox(t);
  const account = evmAccount('11');
  const impostor = evmAccount('22');
  const nonce = await getNonce(s);
  const message = siweText({ address: account.address, nonce });
  const forged = { ...(await evmBody(account, message)), signedMessage: await impostor.signMessage({ message }) };
  const r = await call(s.sdk('verify'), { method: 'POST', json: forged });
  assert.equal(r.status, 422);
  assert.deepEqual(Object.keys(r.data).sort(), ['code', 'error']);
  assert.equal(r.data.code, 'invalid_verification');
  assert.match(r.data.error, /Invalid signature/);
  const garbage = await call(s.sdk('verify'), { method: 'POST', json: { ...forged, signedMessage: '0x1234' } });
  assert.equal(garbage.status, 422);
  // The real owner can still use that nonce.
  assert.equal((await call(s.sdk('verify'), { method: 'POST', json: await evmBody(account, message) })).status, 200);
});

test('verify: the message domain must match the Origin host or the allowed domains', async (t) => {
  const s = await startSandbox(t);
  const account = evmAccount('11');
  const evil = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, account, { domain: 'evil.example' }) });
  assert.equal(evil.status, 422);
  assert.match(evil.data.error, /domain evil\.example is not allowed/);

  const origin = { origin: 'http://localhost:5173' };
  const mismatch = await call(s.sdk('verify'), { method: 'POST', headers: origin, json: await evmProof(s, account, { domain: 'localhost:3000' }) });
  assert.equal(mismatch.status, 422);
  assert.match(mismatch.data.error, /for origin http:\/\/localhost:5173/);
  const match = await call(s.sdk('verify'), { method: 'POST', headers: origin, json: await evmProof(s, account, { domain: 'localhost:5173' }) });
  assert.equal(match.status, 200, match.text);

  const configured = await startSandbox(t, { allowedDomains: ['app.example.com'] });
  const ok = await call(configured.sdk('verify'), { method: 'POST', json: await evmProof(configured, account, { domain: 'app.example.com' }) });
  assert.equal(ok.status, 200, ok.text);
  const loopbackNoLonger = await call(configured.sdk('verify'), { method: 'POST', json: await evmProof(configured, account, { domain: 'localhost' }) });
  assert.equal(loopbackNoLonger.status, 422);
});

test('verify: address, Request ID, times and account kind in the message are checked', async (t) => {
  const clock = { ms: Date.parse('2030-06-01T12:00:00Z') };
  const s = await startSandbox(t, { now: () => clock.ms });
  const account = evmAccount('11');
  const iso = (ms) => new Date(ms).toISOString();
  const expectRefusal = async (body, pattern) => {
    const r = await call(s.sdk('verify'), { method: 'POST', json: body });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.data.code, 'invalid_verification');
    assert.match(r.data.error, pattern);
  };
  // The message names another address than publicWalletAddress.
  const other = evmAccount('22');
  const otherMessage = siweText({ address: other.address, nonce: await getNonce(s), issuedAt: iso(clock.ms) });
  await expectRefusal({ ...(await evmBody(other, otherMessage)), publicWalletAddress: account.address }, /does not match publicWalletAddress/);
  // Request ID of another environment.
  const foreign = siweText({ address: account.address, nonce: await getNonce(s), issuedAt: iso(clock.ms), requestId: DEFAULT_ENVIRONMENT_ID.replace(/^5/, '6') });
  await expectRefusal(await evmBody(account, foreign), /Request ID/);
  // Issued in the future, beyond the skew.
  await expectRefusal(await evmProof(s, account, { issuedAt: iso(clock.ms + 5 * 60_000) }), /in the future/);
  // Expired message.
  await expectRefusal(await evmProof(s, account, { issuedAt: iso(clock.ms - 60_000), expirationTime: iso(clock.ms - 1) }), /expired/);
  // An Ethereum message presented as a Solana sign-in (address checks first).
  const sol = solanaWallet(3);
  const ethText = siweText({ address: account.address, nonce: await getNonce(s), issuedAt: iso(clock.ms) });
  await expectRefusal({ ...solanaBody(sol, ethText) }, /asks for a Ethereum account/);
  // Still fine when everything holds.
  const good = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, account, { issuedAt: iso(clock.ms), expirationTime: iso(clock.ms + 60_000) }) });
  assert.equal(good.status, 200, good.text);
});

test('verify: bodies that break the official VerifyRequest model are refused with 400', async (t) => {
  const s = await startSandbox(t);
  const account = evmAccount('11');
  const valid = await evmProof(s, account);
  const cases = [
    [{ ...valid, chain: 'DOGECOIN' }, /request\.body\.chain must be one of: ETH, EVM/],
    [{ ...valid, walletProvider: 'carrierPigeon' }, /request\.body\.walletProvider must be one of/],
    [(({ walletName, ...rest }) => rest)(valid), /request\.body\.walletName is required/],
    [{ ...valid, signedMessage: 42 }, /request\.body\.signedMessage must be a string/],
    [{ ...valid, additionalWalletAddresses: 'nope' }, /additionalWalletAddresses must be an array/],
    [{ ...valid, additionalWalletAddresses: [{ address: 'x', type: 'bogus' }] }, /additionalWalletAddresses\[0\]\.type must be one of/],
    [{ ...valid, oauth: { provider: 'myspace' } }, /oauth\.provider must be one of/],
    [[valid], /request\.body must be an object/],
  ];
  for (const [body, pattern] of cases) {
    const r = await call(s.sdk('verify'), { method: 'POST', json: body });
    assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
    assert.deepEqual(Object.keys(r.data), ['error']);
    assert.match(r.data.error, pattern);
  }
  assert.equal((await call(s.sdk('verify'), { method: 'POST', body: '{"chain":' })).status, 400);
  assert.equal((await call(s.sdk('verify'), { method: 'POST' })).status, 400);
  assert.equal((await call(s.sdk('verify'), { method: 'POST', body: `"${'x'.repeat(1100 * 1024)}"` })).status, 413);
  // A valid enum value the sandbox cannot verify (a chain beyond EVM/SOL) is a 422.
  const btc = await call(s.sdk('verify'), { method: 'POST', json: { ...valid, chain: 'BTC' } });
  assert.equal(btc.status, 422);
  assert.equal(btc.data.code, 'unsupported_chain');
  const badAddress = await call(s.sdk('verify'), { method: 'POST', json: { ...valid, publicWalletAddress: '0x1234' } });
  assert.equal(badAddress.data.code, 'invalid_wallet_address');
  // Nothing above consumed the nonce: the untouched request still works.
  assert.equal((await call(s.sdk('verify'), { method: 'POST', json: valid })).status, 200);
});

test('routes: unknown environment, bad id, wrong method, unknown path', async (t) => {
  const s = await startSandbox(t);
  const other = await call(`${s.url}/api/v0/sdk/${DEFAULT_ENVIRONMENT_ID.replace(/^5/, '6')}/nonce`);
  assert.equal(other.status, 404);
  assert.deepEqual(other.data, { error: 'Environment not found' });
  assert.equal((await call(`${s.url}/api/v0/sdk/not-a-uuid/nonce`)).status, 400);
  const wrongMethod = await call(s.sdk('nonce'), { method: 'POST', json: {} });
  assert.equal(wrongMethod.status, 405);
  assert.match(wrongMethod.headers.get('allow'), /GET/);
  assert.equal((await call(s.sdk('nope'))).status, 404);
  assert.equal((await call(`${s.url}/elsewhere`)).status, 404);
});

// ------------------------------------------------------------------------------------------------
// auth, link, unlink

test('auth: verify/link needs a valid, unexpired JWT of this sandbox', async (t) => {
  const clock = { ms: Date.now() };
  const s = await startSandbox(t, { now: () => clock.ms, jwtTtlSeconds: 3600 });
  const account = evmAccount('11');
  const body = await evmProof(s, account);
  const expect401 = async (headers, pattern) => {
    const r = await call(s.sdk('verify/link'), { method: 'POST', headers, json: body });
    assert.equal(r.status, 401, r.text);
    assert.deepEqual(Object.keys(r.data), ['error']);
    assert.match(r.data.error, pattern);
  };
  await expect401({}, /Missing authorization/);
  await expect401({ authorization: 'Basic abc' }, /Malformed/);
  await expect401(bearer('not.a.jwt'), /Malformed token/);
  const { jwt } = await session(s);
  const [h, p, sig] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${sig}`;
  await expect401(bearer(tampered), /Invalid token signature/);
  const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
  await expect401(bearer(unsigned), /Unsupported token algorithm/);
  // Algorithm confusion: HS256 keyed with the published public key (PEM, JWK JSON) is refused.
  const { kid } = JSON.parse(Buffer.from(h, 'base64url'));
  const publicKey = s.sandbox.jwtKey().publicKey;
  for (const key of [publicKey, s.sandbox.jwks().keys[0], String(publicKey.export({ format: 'pem', type: 'spki' }))]) {
    await expect401(bearer(signJwt(claims, { alg: 'HS256', key, kid })), /Unsupported token algorithm/);
  }
  // The sandbox's own private key under another algorithm is refused too.
  for (const alg of ['RS512', 'PS256']) {
    await expect401(bearer(signJwt(claims, { alg, key: s.sandbox.jwtKey().privateKey, kid })), /Unsupported token algorithm/);
  }
  // A foreign key: unknown kid, or the sandbox's kid with a signature that does not verify.
  const stranger = generateRsaSigningKey();
  await expect401(bearer(signJwt(claims, { key: stranger.privateKey, kid: stranger.kid })), /Unknown token key/);
  await expect401(bearer(signJwt(claims, { key: stranger.privateKey, kid })), /Invalid token signature/);
  await expect401(bearer(signJwt(claims, { key: stranger.privateKey })), /Unknown token key/);
  // A key carried in the token itself is never used.
  await expect401(bearer(signJwt(claims, { key: stranger.privateKey, kid: stranger.kid, header: { jwk: stranger.publicJwk } })), /Unknown token key/);
  const foreign = await startSandbox(t);
  await expect401(bearer((await session(foreign)).jwt), /Unknown token key/);
  await expect401(bearer((await session(s, { ttlSeconds: -10 })).jwt), /expired/);
  clock.ms += 3601 * 1000;
  await expect401(bearer(jwt), /expired/);
  // None of the refused calls used the nonce.
  assert.equal((await state(s)).nonces.every((n) => n.usedAt === null), true);
});

test('link: adds a verified credential and returns a new JWT; listing and unlinking work', async (t) => {
  const s = await startSandbox(t);
  const start = await session(s, { email: 'ada@example.com' });
  assert.equal(start.user.verifiedCredentials.length, 1);
  assert.equal(start.user.verifiedCredentials[0].format, 'email');
  const account = evmAccount('11');
  const linked = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(start.jwt), json: await evmProof(s, account) });
  assert.equal(linked.status, 200, linked.text);
  await checkDynamicModel(DYNAMIC_SDK, 'VerifyResponse', linked.data);
  assert.equal(linked.data.user.id, start.user.id);
  assert.notEqual(linked.data.jwt, start.jwt);
  assert.deepEqual(decodeJwtClaims(linked.data.jwt).verified_credentials.map((c) => c.format), ['email', 'blockchain']);
  const evmCredential = linked.data.user.verifiedCredentials.find((c) => c.format === 'blockchain');
  assert.equal(evmCredential.address, account.address);
  assert.equal(linked.data.user.lastVerifiedCredentialId, evmCredential.id);

  // The new token works; link a Solana wallet with it.
  const sol = solanaWallet(5);
  const solMessage = dynamicSolanaText({ address: sol.address, nonce: await getNonce(s), requestId: s.env });
  const both = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(linked.data.jwt), json: solanaBody(sol, solMessage) });
  assert.equal(both.status, 200, both.text);
  assert.deepEqual(both.data.user.verifiedCredentials.map((c) => c.address ?? c.email), ['ada@example.com', account.address, sol.address]);

  // Linking the same wallet again with a fresh nonce adds nothing.
  const again = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(both.data.jwt), json: await evmProof(s, account) });
  assert.equal(again.status, 200);
  assert.equal(again.data.user.verifiedCredentials.length, 3);
  assert.equal(userFromState(await state(s), start.user.id).verifiedCredentials.length, 3);

  // Unlink the EVM wallet.
  const unlinked = await call(s.sdk('verify/unlink'), {
    method: 'POST',
    headers: bearer(again.data.jwt),
    json: { verifiedCredentialId: evmCredential.id },
  });
  assert.equal(unlinked.status, 200, unlinked.text);
  assert.deepEqual(unlinked.data.user.verifiedCredentials.map((c) => c.address ?? c.email), ['ada@example.com', sol.address]);
  assert.equal(decodeJwtClaims(unlinked.data.jwt).verified_credentials.length, 2);
  // The wallet is free again: signing in with it now creates a new user.
  const fresh = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, account) });
  assert.equal(fresh.data.user.newUser, true);
  assert.notEqual(fresh.data.user.id, start.user.id);

  const unknown = await call(s.sdk('verify/unlink'), { method: 'POST', headers: bearer(unlinked.data.jwt), json: { verifiedCredentialId: evmCredential.id } });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.data.code, 'invalid_unlink_request');
  const empty = await call(s.sdk('verify/unlink'), { method: 'POST', headers: bearer(unlinked.data.jwt), json: {} });
  assert.equal(empty.data.code, 'invalid_unlink_request');
  const notString = await call(s.sdk('verify/unlink'), { method: 'POST', headers: bearer(unlinked.data.jwt), json: { walletId: 5 } });
  assert.equal(notString.status, 400);
  // walletId (the other documented field) unlinks too; the last credential cannot go.
  const solCredential = unlinked.data.user.verifiedCredentials.find((c) => c.address === sol.address);
  const byWalletId = await call(s.sdk('verify/unlink'), { method: 'POST', headers: bearer(unlinked.data.jwt), json: { walletId: solCredential.id } });
  assert.equal(byWalletId.status, 200);
  const last = byWalletId.data.user.verifiedCredentials[0];
  const refused = await call(s.sdk('verify/unlink'), { method: 'POST', headers: bearer(byWalletId.data.jwt), json: { verifiedCredentialId: last.id } });
  assert.equal(refused.status, 422);
  assert.equal(refused.data.code, 'cannot_delete_last_sign_in_verified_credential');
});

test('link: a replayed link is refused (nonce used) and never adds a second credential', async (t) => {
  const s = await startSandbox(t);
  const { jwt, user } = await session(s);
  const account = evmAccount('33');
  const body = await evmProof(s, account);
  assert.equal((await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: body })).status, 200);
  const replay = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: body });
  assert.equal(replay.status, 422);
  assert.equal(replay.data.code, 'invalid_verification');
  const credentials = userFromState(await state(s), user.id).verifiedCredentials;
  assert.equal(credentials.filter((c) => c.address === account.address).length, 1);
});

test('link: a wallet of another user gives merge_accounts_confirmation or reassign_wallet_confirm', async (t) => {
  const s = await startSandbox(t);
  const wallet = evmAccount('44');
  const owner = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, wallet) });
  assert.equal(owner.status, 200);
  const other = await session(s);

  const merge = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(other.jwt), json: await evmProof(s, wallet) });
  assert.equal(merge.status, 422);
  assert.equal(merge.data.code, 'merge_accounts_confirmation');
  await checkDynamicModel(DYNAMIC_SDK, 'UnprocessableEntity', merge.data);
  assert.equal(merge.data.payload.mergeConflicts.fromUser.id, owner.data.user.id);

  // Once the owner has a second credential, the wallet would be reassigned instead.
  const second = solanaWallet(44);
  const text = dynamicSolanaText({ address: second.address, nonce: await getNonce(s), requestId: s.env });
  assert.equal((await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(owner.data.jwt), json: solanaBody(second, text) })).status, 200);
  const reassign = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(other.jwt), json: await evmProof(s, wallet) });
  assert.equal(reassign.status, 422);
  assert.equal(reassign.data.code, 'reassign_wallet_confirm');

  const st = await state(s);
  assert.equal(userFromState(st, other.user.id).verifiedCredentials.length, 1, 'nothing was linked to the other user');
  assert.equal(userFromState(st, owner.data.user.id).verifiedCredentials.length, 2);
});

test('cookie mode: verify sets an httpOnly cookie instead of returning the jwt, and the cookie authenticates', async (t) => {
  const s = await startSandbox(t, { authMode: 'cookie' });
  const r = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, evmAccount('11')) });
  assert.equal(r.status, 200);
  assert.equal(r.data.jwt, undefined);
  assert.equal(r.data.minifiedJwt, undefined);
  assert.equal(typeof r.data.expiresAt, 'number');
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^DYNAMIC_JWT_TOKEN=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; HttpOnly/);
  const link = await call(s.sdk('verify/link'), {
    method: 'POST',
    headers: { cookie: cookie.split(';')[0] },
    json: await evmProof(s, evmAccount('22')),
  });
  assert.equal(link.status, 200, link.text);
  assert.equal(link.data.user.verifiedCredentials.length, 2);
});

// ------------------------------------------------------------------------------------------------
// global wallet connections

test('globalWallets/connections: creates a GlobalWalletConnection for the signed-in user', async (t) => {
  const s = await startSandbox(t);
  const { jwt, user } = await session(s);
  const expiresAt = '2031-02-03T04:05:06.000Z';
  const r = await call(s.sdk('globalWallets/connections'), { method: 'POST', headers: { ...bearer(jwt), origin: 'http://localhost:5173' }, json: { expiresAt } });
  assert.equal(r.status, 201, r.text);
  await checkDynamicModel(DYNAMIC_SDK, 'GlobalWalletConnection', r.data);
  assert.equal(r.data.userId, user.id);
  assert.equal(r.data.status, 'connected');
  assert.equal(r.data.expiresAt, expiresAt);
  assert.equal(r.data.appUrl, 'http://localhost:5173');
  assert.equal((await state(s)).globalWalletConnections[0].id, r.data.id);
  assert.equal((await call(s.sdk('globalWallets/connections'), { method: 'POST', json: { expiresAt } })).status, 401);
  const missing = await call(s.sdk('globalWallets/connections'), { method: 'POST', headers: bearer(jwt), json: {} });
  assert.equal(missing.status, 400);
  assert.match(missing.data.error, /expiresAt is required/);
  assert.equal((await call(s.sdk('globalWallets/connections'), { method: 'POST', headers: bearer(jwt), json: { expiresAt: 'soon' } })).status, 400);
});

// ------------------------------------------------------------------------------------------------
// admin users/bulk

test('users/bulk: created, failed without upsert, updated with upsert', async (t) => {
  const s = await startSandbox(t);
  const admin = { authorization: `Bearer ${DEFAULT_DYNAMIC_API_TOKEN}` };
  const wallet = evmAccount('55');
  const users = [
    { email: 'grace@example.com', firstName: 'Grace', wallets: [{ publicWalletAddress: wallet.address, chain: 'EVM', walletName: 'metamask', walletProvider: 'browserExtension' }] },
    { email: 'alan@example.com', username: 'alan' },
  ];
  assert.equal((await call(s.bulk(), { method: 'POST', json: users })).status, 401);
  const wrong = await call(s.bulk(), { method: 'POST', headers: { authorization: 'Bearer dyn_wrong' }, json: users });
  assert.equal(wrong.status, 401);
  assert.deepEqual(Object.keys(wrong.data), ['error']);
  const userJwt = (await session(s)).jwt;
  assert.equal((await call(s.bulk(), { method: 'POST', headers: bearer(userJwt), json: users })).status, 401);

  const created = await call(s.bulk(), { method: 'POST', headers: admin, json: users });
  assert.equal(created.status, 201, created.text);
  await checkDynamicModel(DYNAMIC_ADMIN, 'BulkUserCreateResponse', created.data);
  assert.equal(created.data.total, 2);
  assert.deepEqual(created.data.created.map((u) => u.email), ['grace@example.com', 'alan@example.com']);
  assert.deepEqual(created.data.updated, []);
  assert.deepEqual(created.data.failed, []);
  assert.equal(created.data.created[0].wallets[0].publicKey, wallet.address);

  const again = await call(s.bulk('?upsert=false'), { method: 'POST', headers: admin, json: users });
  assert.equal(again.status, 201);
  assert.deepEqual(again.data.failed.map((f) => f.code), ['email_already_exists', 'email_already_exists']);
  assert.equal(again.data.failed[0].user.id, created.data.created[0].id);

  const upserted = await call(s.bulk('?upsert=true'), {
    method: 'POST',
    headers: admin,
    json: [{ email: 'GRACE@example.com', jobTitle: 'Admiral' }, { email: 'new@example.com' }],
  });
  assert.equal(upserted.status, 201);
  assert.equal(upserted.data.updated.length, 1);
  assert.equal(upserted.data.updated[0].id, created.data.created[0].id);
  assert.equal(upserted.data.updated[0].jobTitle, 'Admiral');
  assert.equal(upserted.data.created.length, 1);

  // A wallet that already belongs to someone else fails that entry only.
  const taken = await call(s.bulk('?upsert=true'), {
    method: 'POST',
    headers: admin,
    json: [{ email: 'thief@example.com', wallets: [users[0].wallets[0]] }],
  });
  assert.equal(taken.data.failed[0].code, 'duplicate_exists');

  // The bulk-created wallet user signs in with that wallet as the same user.
  const signIn = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, wallet) });
  assert.equal(signIn.data.user.id, created.data.created[0].id);
  assert.equal(signIn.data.user.newUser, false);
});

test('users/bulk: bodies that break InternalUserFields[] are refused with 400', async (t) => {
  const s = await startSandbox(t);
  const admin = { authorization: `Bearer ${DEFAULT_DYNAMIC_API_TOKEN}` };
  const cases = [
    [{ email: 'a@example.com' }, /request\.body must be an array/],
    [[{ wallets: [{ publicWalletAddress: '0x', chain: 'STELLAR', walletName: 'w', walletProvider: 'browserExtension' }] }], /wallets\[0\]\.chain must be one of/],
    [[{ wallets: [{ chain: 'EVM', walletName: 'w', walletProvider: 'browserExtension' }] }], /wallets\[0\]\.publicWalletAddress is required/],
    [[{ mfaBackupCodeAcknowledgement: 'maybe' }], /mfaBackupCodeAcknowledgement must be one of: pending, complete/],
    [[{ oauthAccounts: [{ provider: 'github' }] }], /oauthAccounts\[0\]\.accountId is required/],
    [[{ emailVerifiedAt: 'last week' }], /emailVerifiedAt must be an ISO 8601/],
  ];
  for (const [body, pattern] of cases) {
    const r = await call(s.bulk(), { method: 'POST', headers: admin, json: body });
    assert.equal(r.status, 400, r.text);
    assert.match(r.data.error, pattern);
  }
  assert.equal((await call(s.bulk('?upsert=maybe'), { method: 'POST', headers: admin, json: [] })).status, 400);
  assert.equal((await state(s)).users.length, 0);
});

// ------------------------------------------------------------------------------------------------
// Snag

const SNAG_IDS = { organizationId: '123e4567-e89b-12d3-a456-426614174001', websiteId: '123e4567-e89b-12d3-a456-426614174000' };

/** Snag users/connect params with a proof: a message signed by the wallet (viem account or solanaWallet). */
async function snagParams(wallet, { walletType = 'evm', message, ...extra } = {}) {
  const text = message ?? `Connect ${wallet.address} to Snag`;
  const signature =
    walletType === 'evm' ? await wallet.signMessage({ message: text }) : bs58.encode(wallet.sign(text));
  return { ...SNAG_IDS, walletType, walletAddress: wallet.address, verificationData: { message: text, signature }, ...extra };
}

test('snag: users/connect checks X-API-KEY and the UserConnectParams model', async (t) => {
  const s = await startSandbox(t);
  const url = `${s.url}/snag/api/users/connect`;
  const wallet = evmAccount('66');
  const params = await snagParams(wallet);
  const noKey = await call(url, { method: 'POST', json: params });
  assert.equal(noKey.status, 401);
  assert.deepEqual(Object.keys(noKey.data), ['error']);
  assert.equal((await call(url, { method: 'POST', headers: { 'x-api-key': 'wrong' }, json: params })).status, 403);
  const key = { 'x-api-key': DEFAULT_SNAG_API_KEY };
  const r = await call(url, { method: 'POST', headers: key, json: params });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.data).sort(), ['createdAt', 'id', 'updatedAt', 'walletAddress']);
  assert.equal(r.data.walletAddress, wallet.address);
  const lower = await snagParams({ address: wallet.address.toLowerCase(), signMessage: (m) => wallet.signMessage(m) });
  const again = await call(url, { method: 'POST', headers: key, json: lower });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.data.id, r.data.id, 'same EVM wallet, any case: same Snag user');

  // Moving a wallet to another user needs confirmDisconnect.
  const otherUser = '123e4567-e89b-12d3-a456-426614174999';
  assert.equal((await call(url, { method: 'POST', headers: key, json: { ...params, userId: otherUser } })).status, 400);
  const moved = await call(url, { method: 'POST', headers: key, json: { ...params, userId: otherUser, confirmDisconnect: true } });
  assert.equal(moved.status, 200);
  assert.equal(moved.data.id, otherUser);

  const invalid = [
    [{ ...params, walletType: 'bitcoin' }, /walletType must be one of: evm, solana, imx, sui, ton/],
    [(({ websiteId, ...rest }) => rest)(params), /websiteId is required/],
    [{ ...params, confirmDisconnect: 'yes' }, /confirmDisconnect must be a boolean/],
    [{ ...params, verificationData: { ...params.verificationData, message: 42 } }, /verificationData\.message must be a string/],
    [{ ...params, verificationData: { tonVerification: { account: { address: 'a', chain: '-1', publicKey: 'p' } } } }, /tonVerification\.account\.chain must be one of: -239, -3/],
  ];
  for (const [body, pattern] of invalid) {
    const bad = await call(url, { method: 'POST', headers: key, json: body });
    assert.equal(bad.status, 400);
    assert.match(bad.data.error, pattern);
  }
  const st = await state(s);
  assert.equal(st.snag.connections.length, 1);
  assert.equal(st.snag.connections[0].userId, otherUser);
});

test('snag: users/connect refuses a connect without a proof (422) or with a proof by another wallet (400)', async (t) => {
  const s = await startSandbox(t);
  const url = `${s.url}/snag/api/users/connect`;
  const key = { 'x-api-key': DEFAULT_SNAG_API_KEY };
  const wallet = evmAccount('66');
  const signed = await snagParams(wallet);
  const { verificationData, ...bare } = signed;
  // No proof at all, an empty verificationData, or half of one: 422, and nothing is connected.
  const missing = [
    bare,
    { ...bare, verificationData: {} },
    { ...bare, verificationData: { message: verificationData.message } },
    { ...bare, verificationData: { signature: verificationData.signature } },
    { ...bare, verificationData: { message: '', signature: verificationData.signature } },
    { ...bare, verificationData: { accessToken: 'token' } },
  ];
  for (const body of missing) {
    const r = await call(url, { method: 'POST', headers: key, json: body });
    assert.equal(r.status, 422, JSON.stringify(body.verificationData));
    assert.deepEqual(Object.keys(r.data), ['error']);
    assert.match(r.data.error, /verificationData\.message and verificationData\.signature are required \(or verificationData\.dynamicAuthToken\)/);
  }
  // The official Snag SDK sees the refusal as its UnprocessableEntityError.
  const sdk = new SnagSolutions({ apiKey: DEFAULT_SNAG_API_KEY, baseURL: `${s.url}/snag`, maxRetries: 0 });
  await assert.rejects(sdk.users.connect(bare), (e) => e.status === 422 && e.constructor.name === 'UnprocessableEntityError');

  // A proof signed by another EVM key, or for another message, is refused (viem).
  const impostor = await snagParams(evmAccount('77'), { message: verificationData.message });
  const forged = [
    { ...bare, verificationData: impostor.verificationData },
    { ...bare, verificationData: { ...verificationData, message: `${verificationData.message}!` } },
    { ...bare, verificationData: { ...verificationData, signature: `0x${'11'.repeat(65)}` } },
    { ...bare, walletAddress: '0x1234', verificationData },
  ];
  for (const body of forged) {
    const r = await call(url, { method: 'POST', headers: key, json: body });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(r.data, { error: 'Invalid wallet signature' });
  }

  // Solana: the ed25519 signature of the message by walletAddress (tweetnacl), base58 or base64.
  const sol = solanaWallet(8);
  const solParams = await snagParams(sol, { walletType: 'solana' });
  const sol58 = await call(url, { method: 'POST', headers: key, json: solParams });
  assert.equal(sol58.status, 200, sol58.text);
  assert.equal(sol58.data.walletAddress, sol.address);
  const base64 = Buffer.from(bs58.decode(solParams.verificationData.signature)).toString('base64');
  const sol64 = await call(url, { method: 'POST', headers: key, json: { ...solParams, verificationData: { ...solParams.verificationData, signature: base64 } } });
  assert.equal(sol64.status, 200, sol64.text);
  assert.equal(sol64.data.id, sol58.data.id);
  const byOther = await snagParams(solanaWallet(9), { walletType: 'solana', message: solParams.verificationData.message });
  const solForged = await call(url, { method: 'POST', headers: key, json: { ...solParams, verificationData: byOther.verificationData } });
  assert.equal(solForged.status, 400);

  // Wallet types the sandbox cannot check are refused, not waved through; a ton wallet is
  // proven by tonVerification, never by a message and signature (see the TON tests).
  const imx = await call(url, { method: 'POST', headers: key, json: { ...signed, walletType: 'imx' } });
  assert.equal(imx.status, 422);
  assert.match(imx.data.error, /evm, solana, sui and ton wallet proofs only, not imx/);
  const tonSigned = await call(url, { method: 'POST', headers: key, json: { ...signed, walletType: 'ton' } });
  assert.equal(tonSigned.status, 422);
  assert.match(tonSigned.data.error, /proven by verificationData\.tonVerification/);
  // An EVM proof presented as a sui wallet is checked as Sui, and fails (see the Sui tests).
  const asSui = await call(url, { method: 'POST', headers: key, json: { ...signed, walletType: 'sui' } });
  assert.equal(asSui.status, 400);
  assert.deepEqual(asSui.data, { error: 'Invalid wallet signature' });

  // Only the Solana wallet got connected; no EVM refusal left a trace.
  const st = await state(s);
  assert.deepEqual(st.snag.connections.map((c) => c.walletAddress), [sol.address]);
  assert.equal(st.snag.users.length, 1);
});

test('snag: verificationData.dynamicAuthToken proves a wallet its token lists (RS256 of this sandbox, unexpired)', async (t) => {
  const s = await startSandbox(t);
  const url = `${s.url}/snag/api/users/connect`;
  const key = { 'x-api-key': DEFAULT_SNAG_API_KEY };
  const connect = (walletType, walletAddress, verificationData, extra = {}) =>
    call(url, { method: 'POST', headers: key, json: { ...SNAG_IDS, walletType, walletAddress, verificationData, ...extra } });

  // A real sign-in: the full `jwt` lists the wallet among its verified_credentials.
  const wallet = evmAccount('5a');
  const signIn = await call(s.sdk('verify'), { method: 'POST', json: await evmProof(s, wallet) });
  assert.equal(signIn.status, 200, signIn.text);
  const { jwt, minifiedJwt } = signIn.data;
  assert.ok(decodeJwtClaims(jwt).verified_credentials.some((c) => c.address?.toLowerCase() === wallet.address.toLowerCase()));
  const accepted = await connect('evm', wallet.address, { dynamicAuthToken: jwt });
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.data.walletAddress, wallet.address);
  // An EVM address in any case is the same wallet (and the same Snag user).
  const lower = await connect('evm', wallet.address.toLowerCase(), { dynamicAuthToken: jwt });
  assert.equal(lower.status, 200, lower.text);
  assert.equal(lower.data.id, accepted.data.id);
  // With a signature as well, both proofs are checked.
  const both = await snagParams(wallet);
  assert.equal((await connect('evm', wallet.address, { ...both.verificationData, dynamicAuthToken: jwt })).status, 200);
  // The official Snag SDK sends it as its model names it.
  const sdk = new SnagSolutions({ apiKey: DEFAULT_SNAG_API_KEY, baseURL: `${s.url}/snag`, maxRetries: 0 });
  const viaSdk = await sdk.users.connect({ ...SNAG_IDS, walletType: 'evm', walletAddress: wallet.address, verificationData: { dynamicAuthToken: jwt } });
  assert.equal(viaSdk.id, accepted.data.id);

  // Solana: a minted token listing the key (base58 compared exactly).
  const sol = solanaWallet(21);
  const solToken = s.sandbox.issueJwt({ verified_credentials: [{ id: 'c1', format: 'blockchain', address: sol.address, chain: 'solana' }] });
  const solAccepted = await connect('solana', sol.address, { dynamicAuthToken: solToken });
  assert.equal(solAccepted.status, 200, solAccepted.text);
  const connectedBefore = (await state(s)).snag.connections.map((c) => c.walletAddress).sort();
  assert.deepEqual(connectedBefore, [wallet.address, sol.address].sort());

  // Refused with 400, and nothing connected.
  const other = evmAccount('5b');
  const stranger = generateRsaSigningKey();
  const { kid } = s.sandbox.jwtKey();
  const listing = (address, claims = {}) => ({ verified_credentials: [{ id: 'c', format: 'blockchain', address, chain: 'eip155' }], ...claims });
  const nowSeconds = Math.floor(Date.now() / 1000);
  const refused = [
    ['a token that does not list the wallet', 'evm', other.address, jwt, /does not list walletAddress/],
    ['the minified token (no verified_credentials)', 'evm', wallet.address, minifiedJwt, /does not list walletAddress/],
    ['a token of no wallet at all', 'evm', wallet.address, s.sandbox.issueJwt(), /does not list walletAddress/],
    ['a solana key in another case', 'solana', sol.address.toLowerCase(), solToken, /not a valid solana address|does not list walletAddress/],
    ['an expired token', 'evm', wallet.address, s.sandbox.issueJwt(listing(wallet.address), { ttlSeconds: 0 }), /Token expired/],
    ['a token not valid yet', 'evm', wallet.address, s.sandbox.issueJwt(listing(wallet.address, { nbf: nowSeconds + 3600 })), /not yet valid/],
    ['a token without exp', 'evm', wallet.address, s.sandbox.issueJwt(listing(wallet.address, { exp: undefined })), /Token expired/],
    ['another environment', 'evm', wallet.address, s.sandbox.issueJwt(listing(wallet.address, { environment_id: '00000000-0000-4000-8000-000000000000' })), /another environment/],
    ['a foreign key under the sandbox kid', 'evm', wallet.address,
      signJwt({ ...decodeJwtClaims(jwt) }, { key: stranger.privateKey, kid }), /Invalid token signature/],
    ['a foreign key and kid', 'evm', wallet.address, signJwt({ ...decodeJwtClaims(jwt) }, { key: stranger.privateKey, kid: stranger.kid }), /Unknown token key/],
    ['HS256 keyed with the public JWK', 'evm', wallet.address,
      signJwt({ ...decodeJwtClaims(jwt) }, { alg: 'HS256', key: s.sandbox.jwks().keys[0], kid }), /Unsupported token algorithm/],
    ['alg none', 'evm', wallet.address, signJwt({ ...decodeJwtClaims(jwt) }, { alg: 'none', kid }), /Unsupported token algorithm/],
    ['not a JWT', 'evm', wallet.address, 'not.a.jwt', /Invalid dynamicAuthToken/],
    ['an invalid address', 'evm', '0x1234', s.sandbox.issueJwt(listing('0x1234')), /not a valid evm address/],
  ];
  for (const [what, walletType, address, token, pattern] of refused) {
    const r = await connect(walletType, address, { dynamicAuthToken: token });
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.deepEqual(Object.keys(r.data), ['error'], what);
    assert.match(r.data.error, pattern, what);
  }
  // A good token does not rescue a bad signature given with it.
  const badSignature = { message: both.verificationData.message, signature: `0x${'11'.repeat(65)}`, dynamicAuthToken: jwt };
  const mixed = await connect('evm', wallet.address, badSignature);
  assert.equal(mixed.status, 400);
  assert.deepEqual(mixed.data, { error: 'Invalid wallet signature' });
  // An EVM address is not a sui wallet, with a token either.
  const sui = await connect('sui', wallet.address, { dynamicAuthToken: jwt });
  assert.equal(sui.status, 400);
  assert.match(sui.data.error, /not a valid sui address/);
  // An EVM address is not a ton wallet either; imx is not checked here, with a token either.
  const asTon = await connect('ton', wallet.address, { dynamicAuthToken: jwt });
  assert.equal(asTon.status, 400);
  assert.match(asTon.data.error, /not a valid ton address/);
  assert.equal((await connect('imx', wallet.address, { dynamicAuthToken: jwt })).status, 422);

  // A key rotated out of the JWKS stops proving anything.
  const oldToken = s.sandbox.issueJwt(listing(other.address));
  assert.equal((await connect('evm', other.address, { dynamicAuthToken: oldToken })).status, 200);
  s.sandbox.rotateJwtKey({ keepOld: false });
  const rotated = await connect('evm', other.address, { dynamicAuthToken: oldToken });
  assert.equal(rotated.status, 400);
  assert.match(rotated.data.error, /Unknown token key/);

  const st = await state(s);
  assert.deepEqual(st.snag.connections.map((c) => c.walletAddress).sort(), [...connectedBefore, other.address].sort());
  // Snag's record keeps the token as it arrived.
  const last200 = st.snag.requests.filter((r) => r.status === 200).at(-1);
  assert.equal(last200.body.verificationData.dynamicAuthToken, oldToken);
});

test('snag: every call is recorded, accepted or refused, faulted or not, in arrival order', async (t) => {
  const s = await startSandbox(t);
  const url = `${s.url}/snag/api/users/connect`;
  const key = { 'x-api-key': DEFAULT_SNAG_API_KEY };
  // Nothing yet, and Dynamic traffic is not Snag traffic.
  await getNonce(s);
  assert.deepEqual((await state(s)).snag.requests, []);
  assert.deepEqual(s.sandbox.snagRequests(), []);

  const a = await snagParams(evmAccount('61'), { userId: '123e4567-e89b-12d3-a456-426614174aaa' });
  const b = await snagParams(evmAccount('62'));
  const { verificationData, ...bare } = b;
  assert.equal((await call(url, { method: 'POST', headers: key, json: a })).status, 200);
  assert.equal((await call(url, { method: 'POST', json: a })).status, 401);
  assert.equal((await call(url, { method: 'POST', headers: { 'x-api-key': 'nope' }, json: a })).status, 403);
  assert.equal((await call(url, { method: 'POST', headers: key, json: bare })).status, 422);
  assert.equal((await call(url, { method: 'POST', headers: key, body: '{"walletType":' })).status, 400);
  assert.equal((await call(url, { method: 'GET', headers: key })).status, 405);
  assert.equal((await call(`${s.url}/snag/api/users/elsewhere`, { method: 'POST', headers: key, json: a })).status, 404);
  await armFault(s, { path: '/snag/api/users/connect', kind: 'status', status: 503 });
  assert.equal((await call(url, { method: 'POST', headers: key, json: b })).status, 503);
  await armFault(s, { path: '/snag/api/users/connect', kind: 'lost-response' });
  await assert.rejects(call(url, { method: 'POST', headers: key, json: b }), TypeError);

  const records = s.sandbox.snagRequests();
  assert.deepEqual(records, (await state(s)).snag.requests, 'the instance API and GET /__sandbox/state agree');
  assert.deepEqual(
    records.map((r) => [r.method, r.path, r.status, r.apiKey, r.handled, r.fault ?? null]),
    [
      ['POST', '/snag/api/users/connect', 200, 'valid', true, null],
      ['POST', '/snag/api/users/connect', 401, 'missing', true, null],
      ['POST', '/snag/api/users/connect', 403, 'invalid', true, null],
      ['POST', '/snag/api/users/connect', 422, 'valid', true, null],
      ['POST', '/snag/api/users/connect', 400, 'valid', true, null],
      ['GET', '/snag/api/users/connect', 405, 'valid', true, null],
      ['POST', '/snag/api/users/elsewhere', 404, 'valid', true, null],
      ['POST', '/snag/api/users/connect', 503, 'valid', false, 'status'],
      ['POST', '/snag/api/users/connect', null, 'valid', true, 'lost-response'],
    ],
  );
  // Sequence numbers are the request log's: increasing, and shared with the Dynamic routes.
  const seqs = records.map((r) => r.seq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y));
  assert.equal(new Set(seqs).size, seqs.length);
  const log = (await state(s)).requestLog;
  for (const r of records) assert.equal(log.find((e) => e.seq === r.seq).path, r.path);
  assert.ok(seqs[0] > log.find((e) => e.path.endsWith('/nonce')).seq);

  // What was sent is there to compare: bodies as parsed JSON, text when not JSON.
  assert.deepEqual(records[0].body, a);
  assert.equal(records[0].body.userId, '123e4567-e89b-12d3-a456-426614174aaa');
  assert.equal(records[0].response.id, '123e4567-e89b-12d3-a456-426614174aaa');
  assert.deepEqual(records[3].body, bare);
  assert.match(records[3].response.error, /required/);
  assert.equal(records[4].body, '{"walletType":');
  assert.equal(records[7].body.walletAddress, b.walletAddress);
  assert.equal(records[7].response, null, 'the 503 fault answered in place of the sandbox');
  // The lost response was processed: Snag connected the wallet though the caller never heard.
  assert.equal(records[8].response.walletAddress, b.walletAddress);
  assert.deepEqual((await state(s)).snag.connections.map((c) => c.walletAddress).sort(), [a.walletAddress, b.walletAddress].sort());
  // Which wallets and users Snag accepted, in order.
  assert.deepEqual(
    records.filter((r) => r.handled && r.response?.id).map((r) => [r.body.walletAddress, r.response.id]),
    [
      [a.walletAddress, '123e4567-e89b-12d3-a456-426614174aaa'],
      [b.walletAddress, records[8].response.id],
    ],
  );

  // A preflight and a refused origin are calls too; reset forgets them all.
  await call(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' } });
  assert.equal((await call(url, { method: 'POST', headers: { ...key, origin: 'https://evil.example' }, json: a })).status, 403);
  assert.deepEqual(s.sandbox.snagRequests().slice(-2).map((r) => [r.method, r.status, r.handled]), [['OPTIONS', 204, false], ['POST', 403, false]]);
  await call(`${s.url}/__sandbox/reset`, { method: 'POST' });
  assert.deepEqual(s.sandbox.snagRequests(), []);
});

// ------------------------------------------------------------------------------------------------
// Sui (chain SUI, walletType sui): checked with @mysten/sui's verifyPersonalMessageSignature

test('message parser reads Dynamic\'s Sui template', () => {
  const wallet = suiWallet(1);
  const parsed = parseSignInMessage(dynamicSuiText({ address: wallet.address, nonce: 'n0nce1234', issuedAt: '2030-01-01T00:00:00Z', requestId: 'env' }));
  assert.equal(parsed.ok, true, parsed.error);
  assert.deepEqual(
    { account: parsed.message.account, address: parsed.message.address, nonce: parsed.message.nonce, chainId: parsed.message.chainId, requestId: parsed.message.requestId },
    { account: 'Sui', address: wallet.address, nonce: 'n0nce1234', chainId: undefined, requestId: 'env' },
  );
});

test('verify: Dynamic\'s Sui template signed by @mysten/sui keys (Ed25519, secp256k1, secp256r1) signs in; the credential is chain "sui"', async (t) => {
  const s = await startSandbox(t);
  for (const [byte, Keypair, scheme] of [[0x31, Ed25519Keypair, 'ed25519'], [0x32, Secp256k1Keypair, 'secp256k1'], [0x33, Secp256r1Keypair, 'secp256r1']]) {
    const wallet = suiWallet(byte, Keypair);
    const r = await call(s.sdk('verify'), { method: 'POST', json: await suiProof(s, wallet) });
    assert.equal(r.status, 200, `${scheme}: ${r.text}`);
    await checkDynamicModel(DYNAMIC_SDK, 'VerifyResponse', r.data);
    assert.equal(r.data.user.newUser, true);
    const [credential] = r.data.user.verifiedCredentials;
    assert.deepEqual(
      { address: credential.address, chain: credential.chain, format: credential.format, wallet_name: credential.wallet_name, wallet_provider: credential.wallet_provider },
      { address: wallet.address, chain: 'sui', format: 'blockchain', wallet_name: 'suiwallet', wallet_provider: 'browserExtension' },
      scheme,
    );
    const listed = decodeJwtClaims(r.data.jwt).verified_credentials[0];
    assert.deepEqual([listed.address, listed.chain], [wallet.address, 'sui']);
    const check = (await state(s)).suiSignatureChecks.at(-1);
    assert.deepEqual(
      { path: check.path, address: check.address, scheme: check.scheme, verifier: check.verifier, walletProvider: check.walletProvider, valid: check.valid },
      { path: `/api/v0/sdk/${s.env}/verify`, address: wallet.address, scheme, verifier: '@mysten/sui verifyPersonalMessageSignature', walletProvider: 'browserExtension', valid: true },
    );
  }
  // The same wallet written in upper-case hex (in the request and the message) is the same user,
  // and its credential keeps the lower-case form.
  const wallet = suiWallet(0x31);
  const upper = { ...wallet, address: `0x${wallet.address.slice(2).toUpperCase()}` };
  const again = await call(s.sdk('verify'), { method: 'POST', json: await suiProof(s, upper) });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.data.user.newUser, false);
  assert.deepEqual(again.data.user.verifiedCredentials.map((c) => c.address), [wallet.address]);
  assert.equal((await state(s)).users.length, 3);
});

test('verify: Sui refusals: a forged signature, another address, a wrong nonce, a malformed address or signature', async (t) => {
  const s = await startSandbox(t);
  const wallet = suiWallet(0x41);
  const other = suiWallet(0x42);
  const expectRefusal = async (body, pattern, code = 'invalid_verification') => {
    const r = await call(s.sdk('verify'), { method: 'POST', json: body });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.data.code, code);
    assert.match(r.data.error, pattern);
  };
  const nonce = await getNonce(s);
  const message = dynamicSuiText({ address: wallet.address, nonce, requestId: s.env });
  const good = await suiBody(wallet, message);

  // Forged: the message for `wallet`, signed by another key (of each scheme), or a signature of another message.
  await expectRefusal({ ...good, signedMessage: await other.sign(message) }, /Invalid signature/);
  await expectRefusal({ ...good, signedMessage: await suiWallet(0x42, Secp256k1Keypair).sign(message) }, /Invalid signature/);
  await expectRefusal({ ...good, signedMessage: await wallet.sign(`${message} `) }, /Invalid signature/);
  // Not Sui's serialized form: the raw 64-byte signature, a multisig flag, garbage.
  const serialized = Buffer.from(good.signedMessage, 'base64');
  await expectRefusal({ ...good, signedMessage: serialized.subarray(1, 65).toString('base64') }, /Invalid signature/);
  await expectRefusal({ ...good, signedMessage: Buffer.concat([Buffer.from([3]), serialized.subarray(1)]).toString('base64') }, /Invalid signature/);
  await expectRefusal({ ...good, signedMessage: 'not base64!' }, /Invalid signature/);
  // Another address: the other wallet's own proof presented for `wallet`, or the message naming
  // another address than the request.
  const theirs = await suiBody(other, dynamicSuiText({ address: other.address, nonce, requestId: s.env }));
  await expectRefusal({ ...theirs, publicWalletAddress: wallet.address }, /does not match publicWalletAddress/);
  await expectRefusal({ ...good, publicWalletAddress: other.address }, /does not match publicWalletAddress/);
  // Malformed addresses (a short Sui form, an EVM address), and a Solana header for chain SUI.
  await expectRefusal({ ...good, publicWalletAddress: '0x2' }, /not a Sui address/, 'invalid_wallet_address');
  await expectRefusal({ ...good, publicWalletAddress: evmAccount('11').address }, /not a Sui address/, 'invalid_wallet_address');
  const solanaHeader = message.replace('with your Sui account:', 'with your Solana account:');
  await expectRefusal(await suiBody(wallet, solanaHeader), /asks for a Solana account, chain is SUI/);
  // Not Dynamic's Sui template: without its Request ID, or with a Chain ID.
  await expectRefusal(await suiBody(wallet, message.replace(/\nRequest ID: .*$/, '')), /not Dynamic's Sui template: no Request ID/);
  await expectRefusal(await suiBody(wallet, message.replace('\nVersion: 1\n', '\nVersion: 1\nChain ID: 1\n')), /not Dynamic's Sui template: it has a Chain ID/);
  const checks = (await state(s)).suiSignatureChecks;
  assert.deepEqual(checks.map((c) => c.valid), [false, false, false, false, false, false]);
  assert.deepEqual(checks.map((c) => c.scheme), ['ed25519', 'secp256k1', 'ed25519', null, null, null]);

  // Wrong nonces: one the sandbox never issued, and (after the real proof) a used one.
  const unissued = await suiBody(wallet, dynamicSuiText({ address: wallet.address, nonce: 'f'.repeat(32), requestId: s.env }));
  await expectRefusal(unissued, /not issued/);
  // None of the refusals burned the nonce: the owner's proof still goes through, once.
  const accepted = await call(s.sdk('verify'), { method: 'POST', json: good });
  assert.equal(accepted.status, 200, accepted.text);
  await expectRefusal(good, /already used/);
  // Another environment's Request ID.
  await expectRefusal(await suiBody(wallet, dynamicSuiText({ address: wallet.address, nonce: await getNonce(s), requestId: DEFAULT_ENVIRONMENT_ID.replace(/^5/, '6') })), /Request ID/);
  const st = await state(s);
  assert.equal(st.users.length, 1);
  assert.deepEqual(st.users[0].verifiedCredentials.map((c) => [c.chain, c.address]), [['sui', wallet.address]]);
});

test('link: a Sui wallet links to the signed-in user; a replay or another user\'s Sui wallet adds nothing', async (t) => {
  const s = await startSandbox(t);
  const { jwt, user } = await session(s);
  const wallet = suiWallet(0x51, Secp256r1Keypair);
  const body = await suiProof(s, wallet, { walletName: 'slush' });
  const linked = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: body });
  assert.equal(linked.status, 200, linked.text);
  const credential = linked.data.user.verifiedCredentials.find((c) => c.format === 'blockchain');
  assert.deepEqual([credential.chain, credential.address, credential.wallet_name, credential.wallet_provider], ['sui', wallet.address, 'slush', 'browserExtension']);
  assert.equal(linked.data.user.lastVerifiedCredentialId, credential.id);
  const replay = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: body });
  assert.equal(replay.status, 422);
  assert.equal(replay.data.code, 'invalid_verification');
  // The wallet is this user's now: another user linking it meets a conflict.
  const intruder = await session(s);
  const conflict = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(intruder.jwt), json: await suiProof(s, wallet) });
  assert.equal(conflict.status, 422);
  assert.equal(conflict.data.code, 'reassign_wallet_confirm');
  const st = await state(s);
  assert.deepEqual(userFromState(st, user.id).verifiedCredentials.map((c) => c.format).sort(), ['blockchain', 'email']);
  assert.equal(userFromState(st, intruder.user.id).verifiedCredentials.length, 1);
});

test('snag: users/connect checks sui proofs with @mysten/sui, and sui credentials in a dynamicAuthToken', async (t) => {
  const s = await startSandbox(t);
  const url = `${s.url}/snag/api/users/connect`;
  const key = { 'x-api-key': DEFAULT_SNAG_API_KEY };
  const connect = (body) => call(url, { method: 'POST', headers: key, json: { ...SNAG_IDS, walletType: 'sui', ...body } });
  const wallet = suiWallet(0x61);
  const message = `Connect ${wallet.address} to Snag`;
  const verificationData = { message, signature: await wallet.sign(message) };
  const accepted = await connect({ walletAddress: wallet.address, verificationData });
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.data.walletAddress, wallet.address);
  // Upper-case hex is the same wallet and the same Snag user.
  const upper = await connect({ walletAddress: `0x${wallet.address.slice(2).toUpperCase()}`, verificationData });
  assert.equal(upper.status, 200, upper.text);
  assert.equal(upper.data.id, accepted.data.id);

  const other = suiWallet(0x62, Secp256k1Keypair);
  const forged = [
    ['signed by another key', { walletAddress: wallet.address, verificationData: { message, signature: await other.sign(message) } }],
    ['another message', { walletAddress: wallet.address, verificationData: { ...verificationData, message: `${message}!` } }],
    ['another address', { walletAddress: other.address, verificationData }],
    ['not a Sui address', { walletAddress: evmAccount('11').address, verificationData }],
    ['a short Sui address', { walletAddress: '0x2', verificationData }],
  ];
  for (const [what, body] of forged) {
    const r = await connect(body);
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.deepEqual(r.data, { error: 'Invalid wallet signature' }, what);
  }

  // A real Sui sign-in's JWT lists the wallet (chain "sui"): it proves the wallet, in any case.
  const signedIn = suiWallet(0x63);
  const signIn = await call(s.sdk('verify'), { method: 'POST', json: await suiProof(s, signedIn) });
  assert.equal(signIn.status, 200, signIn.text);
  const byToken = await connect({ walletAddress: `0x${signedIn.address.slice(2).toUpperCase()}`, verificationData: { dynamicAuthToken: signIn.data.jwt } });
  assert.equal(byToken.status, 200, byToken.text);
  const notListed = await connect({ walletAddress: wallet.address, verificationData: { dynamicAuthToken: signIn.data.jwt } });
  assert.equal(notListed.status, 400);
  assert.match(notListed.data.error, /does not list walletAddress/);

  const st = await state(s);
  assert.deepEqual(
    st.snag.connections.map((c) => [c.walletType, c.walletAddress.toLowerCase()]).sort(),
    [['sui', signedIn.address], ['sui', wallet.address]].sort(),
  );
  // Every signature Snag was given was checked with @mysten/sui (the two short-circuited on the address were not).
  const snagChecks = st.suiSignatureChecks.filter((c) => c.path === '/snag/api/users/connect');
  assert.deepEqual(snagChecks.map((c) => c.valid), [true, true, false, false, false]);
  assert.ok(snagChecks.every((c) => c.verifier === '@mysten/sui verifyPersonalMessageSignature'));
});

// ------------------------------------------------------------------------------------------------
// TON (walletType ton, Snag only): verificationData.tonVerification checked with @ton/core + @ton/crypto

const TON_DOMAIN = 'app.example.com';

/** Snag users/connect params for a TON proof (ton-fixtures.mjs's `{ proof, account }`). */
const tonParams = ({ proof, account }, walletAddress = account.address, extra = {}) => ({
  ...SNAG_IDS,
  walletType: 'ton',
  walletAddress,
  verificationData: { tonVerification: { proof, account } },
  ...extra,
});

/** A TON proof signed by another key over the same message (the wallet's own state init kept). */
function tonForgedSignature(reply) {
  const forger = tonWallet('v4r2');
  const original = Address.parse(reply.account.address);
  const { proof } = reply;
  const signature = tonSign(tonProofDigest(original, proof.domain.value, proof.timestamp, proof.payload), forger.keys.secretKey).toString('base64');
  return { ...reply, proof: { ...proof, signature } };
}

test('snag: users/connect accepts TON proofs of wallets v3r2, v4r2 and v5r1 (@ton/core + @ton/crypto), in any address form', async (t) => {
  const s = await startSandbox(t);
  const url = `${s.url}/snag/api/users/connect`;
  const key = { 'x-api-key': DEFAULT_SNAG_API_KEY };
  const connect = (body) => call(url, { method: 'POST', headers: key, json: body });
  const accepted = [];
  for (const version of ['v3r2', 'v4r2', 'v5r1']) {
    const reply = makeTonProof(version, `payload-${version}`, { domain: TON_DOMAIN });
    const friendly = reply.wallet.address.toString({ bounceable: false, urlSafe: true });
    const r = await connect(tonParams(reply, friendly));
    assert.equal(r.status, 200, `${version}: ${r.text}`);
    assert.equal(r.data.walletAddress, friendly);
    // The raw form, the bounceable form: the same wallet, the same Snag user.
    for (const form of [reply.account.address, reply.wallet.address.toString()]) {
      const again = await connect(tonParams(reply, form));
      assert.equal(again.status, 200, again.text);
      assert.equal(again.data.id, r.data.id, `${version} as ${form}`);
    }
    accepted.push({ version, reply });
  }
  // The state init in proof.state_init (Snag's other place for it), or in both places.
  const { reply } = accepted[1];
  const { walletStateInit, ...account } = reply.account;
  const inProof = await connect(tonParams({ proof: { ...reply.proof, state_init: walletStateInit }, account }));
  assert.equal(inProof.status, 200, inProof.text);
  const inBoth = await connect(tonParams({ proof: { ...reply.proof, state_init: walletStateInit }, account: reply.account }));
  assert.equal(inBoth.status, 200, inBoth.text);
  // A v5r1 wallet whose code is a library cell naming the v5r1 code (how some wallets deploy it).
  const v5 = tonWallet('v5r1');
  const code = v5.contract.init.code;
  const library = new Cell({ exotic: true, bits: beginCell().storeUint(2, 8).storeBuffer(code.hash()).endCell().bits });
  const libraryInit = { code: library, data: v5.contract.init.data };
  const libraryWallet = { ...v5, address: contractAddress(0, libraryInit), stateInit: stateInitBase64(libraryInit) };
  const libraryReply = makeTonProof('v5r1', 'payload-library', { domain: TON_DOMAIN, wallet: libraryWallet });
  const libraryCoded = await connect(tonParams(libraryReply));
  assert.equal(libraryCoded.status, 200, libraryCoded.text);
  // The official Snag SDK sends it as its model names it.
  const sdk = new SnagSolutions({ apiKey: DEFAULT_SNAG_API_KEY, baseURL: `${s.url}/snag`, maxRetries: 0 });
  const viaSdk = await sdk.users.connect(tonParams(accepted[2].reply));
  assert.equal(viaSdk.walletAddress, accepted[2].reply.account.address);

  const st = await state(s);
  assert.deepEqual(
    st.snag.connections.map((c) => [c.walletType, Address.parse(c.walletAddress).toRawString()]).sort(),
    [...accepted.map(({ reply: r }) => r.account.address), libraryReply.account.address].map((a) => ['ton', a]).sort(),
  );
  assert.equal(st.tonProofChecks.length, 3 * 3 + 2 + 1 + 1);
  assert.ok(st.tonProofChecks.every((c) => c.valid && c.verifier === '@ton/core + @ton/crypto' && c.path === '/snag/api/users/connect'));
  assert.deepEqual(st.tonProofChecks.slice(0, 9).map((c) => c.wallet), ['v3r2', 'v3r2', 'v3r2', 'v4r2', 'v4r2', 'v4r2', 'v5r1', 'v5r1', 'v5r1']);
  const first = st.tonProofChecks[0];
  assert.deepEqual(
    { address: first.address, publicKey: first.publicKey, domain: first.domain, payload: first.payload, timestamp: first.timestamp },
    { address: accepted[0].reply.account.address, publicKey: accepted[0].reply.account.publicKey, domain: TON_DOMAIN, payload: 'payload-v3r2', timestamp: accepted[0].reply.proof.timestamp },
  );
  assert.equal(st.tonProofChecks.at(-2).wallet, 'v5r1', 'the library-coded wallet is a v5r1');
});

test('snag: TON refusals: a forged signature, another address, a stale timestamp, a malformed or foreign state init, an unsupported wallet', async (t) => {
  let clock = Date.now();
  const s = await startSandbox(t, { now: () => clock });
  const url = `${s.url}/snag/api/users/connect`;
  const key = { 'x-api-key': DEFAULT_SNAG_API_KEY };
  const connect = (body) => call(url, { method: 'POST', headers: key, json: body });
  const nowSeconds = () => Math.floor(clock / 1000);
  const wallet = tonWallet('v4r2');
  const reply = makeTonProof('v4r2', 'p-refusals', { domain: TON_DOMAIN, wallet, timestamp: nowSeconds() });
  const other = makeTonProof('v4r2', 'p-refusals', { domain: TON_DOMAIN, timestamp: nowSeconds() });
  const sameKeyV3 = tonWallet('v3r2', wallet.keys);
  const v3r1 = makeTonProof('v3r1', 'p-refusals', { domain: TON_DOMAIN, timestamp: nowSeconds() });
  const flipped = Buffer.from(reply.proof.signature, 'base64');
  flipped[10] ^= 1;
  const withAccount = (fields) => ({ ...reply, account: { ...reply.account, ...fields } });
  const withProof = (fields) => ({ ...reply, proof: { ...reply.proof, ...fields } });
  const cases = [
    ['signed by another key', tonParams(tonForgedSignature(reply)), /signature is not the wallet key's/],
    ['a flipped signature bit', tonParams(withProof({ signature: flipped.toString('base64') })), /signature is not the wallet key's/],
    ['a signature of 63 bytes', tonParams(withProof({ signature: flipped.subarray(1).toString('base64') })), /not 64 bytes/],
    ['another payload than signed', tonParams(withProof({ payload: 'p-other' })), /signature is not the wallet key's/],
    ['another domain than signed', tonParams(withProof({ domain: { lengthBytes: 15, value: 'app.example.org' } })), /signature is not the wallet key's/],
    ['domain.lengthBytes not its length', tonParams(withProof({ domain: { lengthBytes: 14, value: TON_DOMAIN } })), /lengthBytes/],
    ['walletAddress of another wallet', tonParams(reply, other.account.address), /walletAddress is not the address of the proof's account/],
    ['walletAddress not a TON address', tonParams(reply, '0x1234'), /walletAddress is not a TON address/],
    ['account.address of another wallet', tonParams(reply, other.account.address, { verificationData: { tonVerification: { proof: reply.proof, account: withAccount({ address: other.account.address }).account } } }),
      /not the state init of account.address/],
    ['the state init of another wallet', tonParams(withAccount({ walletStateInit: other.account.walletStateInit })), /not the state init of account.address/],
    ['the same key in a v3r2 wallet', tonParams(withAccount({ walletStateInit: sameKeyV3.stateInit })), /not the state init of account.address/],
    ['account.publicKey not the wallet key', tonParams(withAccount({ publicKey: other.account.publicKey })), /account.publicKey is not the key of the v4r2 wallet/],
    ['a state init that is not base64', tonParams(withAccount({ walletStateInit: 'te6cc!!' })), /walletStateInit is not base64/],
    ['a state init that is no bag of cells', tonParams(withAccount({ walletStateInit: Buffer.from('not a bag of cells').toString('base64') })), /walletStateInit is not a state init/],
    ['a truncated state init', tonParams(withAccount({ walletStateInit: reply.account.walletStateInit.slice(0, 40) })), /walletStateInit is not (base64|a state init)/],
    ['no state init', tonParams(withAccount({ walletStateInit: undefined })), /walletStateInit \(or proof.state_init\) is required/],
    ['two different state inits', tonParams(withProof({ state_init: other.account.walletStateInit })), /different state inits/],
    ['account.address not a TON address', tonParams(withAccount({ address: 'EQnot-an-address' }), reply.account.address), /account.address is not a TON address/],
    ['a wallet v3r1', tonParams(v3r1), /not a wallet v3r2, v4r2 or v5r1/],
    ['a timestamp 16 minutes old, signed', tonParams(makeTonProof('v4r2', 'p', { domain: TON_DOMAIN, wallet, timestamp: nowSeconds() - 16 * 60 })), /older than 900 seconds/],
    ['a timestamp 5 minutes ahead, signed', tonParams(makeTonProof('v4r2', 'p', { domain: TON_DOMAIN, wallet, timestamp: nowSeconds() + 5 * 60 })), /dated in the future/],
  ];
  for (const [what, body, pattern] of cases) {
    const r = await connect(body);
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.deepEqual(Object.keys(r.data), ['error'], what);
    assert.match(r.data.error, /^Invalid wallet signature: /, what);
    assert.match(r.data.error, pattern, what);
  }
  let st = await state(s);
  assert.equal(st.snag.connections.length, 0, 'no refusal connected anything');
  assert.equal(st.tonProofChecks.length, cases.length, 'every refusal was a recorded @ton check');
  assert.ok(st.tonProofChecks.every((c) => c.valid === false && typeof c.error === 'string'));
  assert.equal(st.tonProofChecks.find((c) => /v3r2, v4r2 or v5r1/.test(c.error)).wallet, null);

  // Refused before any TON check: a model break (400), a message and signature, no proof, a
  // tonVerification for another wallet type (422).
  const before = [
    ['the timestamp as text (Snag\'s model has a number)', tonParams(withProof({ timestamp: String(reply.proof.timestamp) })), 400, /tonVerification\.proof\.timestamp must be a number/],
    ['a message and signature', { ...SNAG_IDS, walletType: 'ton', walletAddress: reply.account.address, verificationData: { message: 'm', signature: 's' } }, 422, /proven by verificationData\.tonVerification/],
    ['no proof', { ...SNAG_IDS, walletType: 'ton', walletAddress: reply.account.address, verificationData: {} }, 422, /tonVerification is required/],
    ['tonVerification of an evm wallet', { ...tonParams(reply), walletType: 'evm', walletAddress: evmAccount('12').address }, 422, /proves ton wallets only, not evm/],
  ];
  for (const [what, body, status, pattern] of before) {
    const r = await connect(body);
    assert.equal(r.status, status, `${what}: ${r.text}`);
    assert.match(r.data.error, pattern, what);
  }
  assert.equal((await state(s)).tonProofChecks.length, cases.length, 'none of those reached a TON check');

  // The age is the sandbox's clock's: the proof accepted now is refused 15 minutes and a second later.
  const fresh = await connect(tonParams(reply));
  assert.equal(fresh.status, 200, fresh.text);
  clock += (15 * 60 + 1) * 1000;
  const stale = await connect(tonParams(reply));
  assert.equal(stale.status, 400);
  assert.match(stale.data.error, /older than 900 seconds/);
  st = await state(s);
  assert.deepEqual(st.tonProofChecks.slice(-2).map((c) => c.valid), [true, false]);
});

test('snag: TON with dynamicAuthToken: a token listing the ton wallet (any address form) proves it', async (t) => {
  const s = await startSandbox(t);
  const url = `${s.url}/snag/api/users/connect`;
  const key = { 'x-api-key': DEFAULT_SNAG_API_KEY };
  const connect = (walletAddress, verificationData) => call(url, { method: 'POST', headers: key, json: { ...SNAG_IDS, walletType: 'ton', walletAddress, verificationData } });
  const wallet = tonWallet('v5r1');
  const token = s.sandbox.issueJwt({ verified_credentials: [{ id: 'c1', format: 'blockchain', address: wallet.address.toRawString(), chain: 'ton' }] });
  const friendly = wallet.address.toString({ bounceable: false });
  const accepted = await connect(friendly, { dynamicAuthToken: token });
  assert.equal(accepted.status, 200, accepted.text);
  // A proof and a token: both must hold.
  const reply = makeTonProof('v5r1', 'p-token', { domain: TON_DOMAIN, wallet });
  assert.equal((await connect(friendly, { tonVerification: reply, dynamicAuthToken: token })).status, 200);
  const notListed = await connect(tonWallet('v5r1').address.toString(), { dynamicAuthToken: token });
  assert.equal(notListed.status, 400);
  assert.match(notListed.data.error, /does not list walletAddress/);
  const forgedWithToken = await connect(friendly, { tonVerification: tonForgedSignature(reply), dynamicAuthToken: token });
  assert.equal(forgedWithToken.status, 400);
  assert.match(forgedWithToken.data.error, /^Invalid wallet signature: /);
  assert.equal((await state(s)).snag.connections.length, 1);
});

test('snag: the key-adding proxy route is gone', async (t) => {
  const s = await startSandbox(t);
  const r = await call(`${s.url}/proxy/snag/api/users/connect`, { method: 'POST', json: await snagParams(evmAccount('66')) });
  assert.equal(r.status, 404);
  const st = await state(s);
  assert.deepEqual([st.snag.requests.length, st.snag.connections.length, st.requestLog.length], [0, 0, 0]);
  // Unrelated paths fall through to the host server (handle() answers false).
  assert.equal(s.sandbox.handle({ url: '/proxy/snag/api/users/connect', method: 'POST', headers: {} }, null), false);
});

// ------------------------------------------------------------------------------------------------
// the official clients against the sandbox

test('official clients: sdk-api-core SDKApi, sdk-api UsersApi and the Snag SDK talk to the sandbox', async (t) => {
  const s = await startSandbox(t);
  const basePath = `${s.url}/api/v0`;
  const api = new SDKApi(new Configuration({ basePath }));
  const account = evmAccount('88');
  const { nonce } = await api.getNonce({ environmentId: s.env });
  const message = siweText({ address: account.address, nonce, requestId: s.env });
  const verifyRequest = {
    signedMessage: await account.signMessage({ message }),
    messageToSign: message,
    publicWalletAddress: account.address,
    chain: 'EVM',
    walletName: 'metamask',
    walletProvider: 'browserExtension',
  };
  const signedIn = await api.verify({ environmentId: s.env, verifyRequest });
  assert.equal(signedIn.user.verifiedCredentials[0].walletName, 'metamask');
  assert.ok(signedIn.user.verifiedCredentials[0].verifiedAt instanceof Date);

  const authed = new SDKApi(new Configuration({ basePath, accessToken: signedIn.jwt }));
  const sol = solanaWallet(88);
  const solText = dynamicSolanaText({ address: sol.address, nonce: (await authed.getNonce({ environmentId: s.env })).nonce, requestId: s.env });
  const linked = await authed.verifyLink({ environmentId: s.env, verifyRequest: { ...solanaBody(sol, solText) } });
  assert.equal(linked.user.verifiedCredentials.length, 2);
  const connection = await authed.createGlobalWalletConnection({
    environmentId: s.env,
    globalWalletConnectionCreateRequest: { expiresAt: new Date('2031-01-01T00:00:00Z') },
  });
  assert.equal(connection.userId, signedIn.user.id);
  assert.ok(connection.createdAt instanceof Date);
  const unlinked = await new SDKApi(new Configuration({ basePath, accessToken: linked.jwt })).verifyUnlink({
    environmentId: s.env,
    verifyUnlinkRequest: { verifiedCredentialId: linked.user.verifiedCredentials[1].id },
  });
  assert.equal(unlinked.user.verifiedCredentials.length, 1);
  // Errors reach the official client as the Response it throws.
  await assert.rejects(api.verifyLink({ environmentId: s.env, verifyRequest }), (response) => response.status === 401);

  const users = new UsersApi(new AdminConfiguration({ basePath, accessToken: DEFAULT_DYNAMIC_API_TOKEN }));
  const bulk = await users.bulkCreateUser({ environmentId: s.env, internalUserFields: [{ email: 'x@example.com' }], upsert: true });
  assert.equal(bulk.created.length, 1);
  assert.equal(bulk.total, 1);

  const jwks = await api.getJwksJsonByEnvironmentId({ environmentId: s.env });
  assert.deepEqual(jwks.keys.map((k) => k.kid), [decodeJwtHeader(signedIn.jwt).kid]);
  assert.deepEqual(await api.getJwksByEnvironmentId({ environmentId: s.env }), jwks);

  const snag = new SnagSolutions({ apiKey: DEFAULT_SNAG_API_KEY, baseURL: `${s.url}/snag`, maxRetries: 0 });
  const snagParamsWithProof = await snagParams(account, { organizationId: 'org', websiteId: 'site' });
  const snagUser = await snag.users.connect(snagParamsWithProof);
  assert.equal(snagUser.walletAddress, account.address);
  const wrongKey = new SnagSolutions({ apiKey: 'wrong', baseURL: `${s.url}/snag`, maxRetries: 0 });
  await assert.rejects(wrongKey.users.connect(snagParamsWithProof), (e) => e.status === 403);
});

// ------------------------------------------------------------------------------------------------
// CORS

test('CORS: loopback origins get echoed headers and preflights; other origins are refused', async (t) => {
  const s = await startSandbox(t);
  const origin = 'http://127.0.0.1:5173';
  const preflight = await call(s.sdk('verify/link'), {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
  assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
  const allowed = preflight.headers.get('access-control-allow-headers').toLowerCase().split(/,\s*/);
  for (const h of ['authorization', 'content-type', 'x-api-key']) assert.ok(allowed.includes(h), h);
  assert.match(preflight.headers.get('access-control-allow-methods'), /POST/);

  const actual = await call(s.sdk('nonce'), { headers: { origin } });
  assert.equal(actual.headers.get('access-control-allow-origin'), origin);
  assert.equal(actual.headers.get('access-control-allow-credentials'), 'true');
  assert.equal(actual.headers.get('access-control-expose-headers'), 'Retry-After, retry-after-ms');
  assert.match(actual.headers.get('vary'), /Origin/);

  const evil = await call(s.sdk('nonce'), { headers: { origin: 'https://evil.example' } });
  assert.equal(evil.status, 403);
  assert.equal(evil.headers.get('access-control-allow-origin'), null);
  const evilPreflight = await call(s.sdk('nonce'), { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
  assert.equal(evilPreflight.status, 403);
  assert.equal(evilPreflight.headers.get('access-control-allow-origin'), null);

  const custom = await startSandbox(t, { allowedOrigins: ['https://app.example.com'] });
  assert.equal((await call(custom.sdk('nonce'), { headers: { origin: 'https://app.example.com' } })).status, 200);
  assert.equal((await call(custom.sdk('nonce'), { headers: { origin } })).status, 403);
});

// ------------------------------------------------------------------------------------------------
// faults

test('faults: status 503 N times with Retry-After (seconds or HTTP-date) and retry-after-ms, then success', async (t) => {
  const s = await startSandbox(t);
  await armFault(s, { path: '/nonce', kind: 'status', status: 503, times: 2, retryAfter: 3 });
  const origin = { origin: 'http://localhost:8080' };
  for (let i = 0; i < 2; i++) {
    const r = await call(s.sdk('nonce'), { headers: origin });
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '3');
    assert.equal(r.headers.get('access-control-allow-origin'), 'http://localhost:8080', 'fault responses keep CORS');
    assert.match(r.data.error, /503/);
  }
  assert.equal((await call(s.sdk('nonce'))).status, 200);

  const date = new Date(Date.now() + 5000).toUTCString();
  await armFault(s, [
    { path: '/nonce', kind: 'status', status: 429, retryAfter: date },
    { path: '/nonce', kind: 'status', status: 503, retryAfterMs: 1500 },
  ]);
  const limited = await call(s.sdk('nonce'));
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), date);
  const ms = await call(s.sdk('nonce'));
  assert.equal(ms.status, 503);
  assert.equal(ms.headers.get('retry-after-ms'), '1500');
  assert.equal(ms.headers.get('retry-after'), null);
  const log = (await state(s)).requestLog.filter((e) => e.path.endsWith('/nonce'));
  assert.deepEqual(log.map((e) => [e.status, e.fault ?? null]), [
    [503, 'status'],
    [503, 'status'],
    [200, null],
    [429, 'status'],
    [503, 'status'],
  ]);
  // A status fault does not carry the request out: no nonce was issued for them.
  assert.equal((await state(s)).nonces.length, 1);
});

test('faults: method filter, preflights never consume a fault, bad specs are refused', async (t) => {
  const s = await startSandbox(t);
  await armFault(s, { path: '/nonce', method: 'POST', kind: 'status' });
  assert.equal((await call(s.sdk('nonce'))).status, 200, 'GET does not match a POST fault');
  await call(`${s.url}/__sandbox/faults`, { method: 'DELETE' });
  await armFault(s, { path: '/nonce', kind: 'status', status: 500 });
  const preflight = await call(s.sdk('nonce'), { method: 'OPTIONS', headers: { origin: 'http://localhost' } });
  assert.equal(preflight.status, 204);
  assert.equal((await call(`${s.url}/__sandbox/faults`)).data.faults.length, 1);
  assert.equal((await call(s.sdk('nonce'))).status, 500);
  assert.equal((await call(`${s.url}/__sandbox/faults`)).data.faults.length, 0);
  for (const spec of [{ path: '/x', kind: 'gremlins' }, { kind: 'status' }, { path: '/x', kind: 'status', times: 0 }, { path: '/x', kind: 'status', method: 'OPTIONS' }]) {
    assert.equal((await call(`${s.url}/__sandbox/faults`, { method: 'POST', json: spec })).status, 400, JSON.stringify(spec));
  }
});

test('faults: delay holds the (applied) response for delayMs', async (t) => {
  const s = await startSandbox(t);
  await armFault(s, { path: '/nonce', kind: 'delay', delayMs: 300 });
  const start = performance.now();
  const r = await call(s.sdk('nonce'));
  const elapsed = performance.now() - start;
  assert.equal(r.status, 200);
  assert.match(r.data.nonce, /^[0-9a-f]{32}$/);
  assert.ok(elapsed >= 290, `took ${elapsed} ms`);
  // A client that gives up early sees a timeout.
  await armFault(s, { path: '/nonce', kind: 'delay', delayMs: 2000 });
  await assert.rejects(fetch(s.sdk('nonce'), { signal: AbortSignal.timeout(100) }), (e) => e.name === 'TimeoutError');
});

test('faults: reset destroys the connection before any response and does not apply the request', async (t) => {
  const s = await startSandbox(t);
  const { jwt, user } = await session(s);
  await armFault(s, { path: '/verify/link', kind: 'reset' });
  const body = await evmProof(s, evmAccount('11'));
  await assert.rejects(call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: body }), TypeError);
  assert.equal(userFromState(await state(s), user.id).verifiedCredentials.length, 1);
  // Nothing was applied, so the very same request still works afterwards.
  assert.equal((await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: body })).status, 200);
  const entry = (await state(s)).requestLog.find((e) => e.fault === 'reset');
  assert.equal(entry.status, null);
});

test('faults: reset-mid-body sends headers and part of the body, then resets', async (t) => {
  const s = await startSandbox(t);
  await armFault(s, { path: '/nonce', kind: 'reset-mid-body' });
  const raw = await rawRequest(s.sdk('nonce'));
  assert.equal(raw.status, 200);
  const declared = Number(raw.headers['content-length']);
  assert.ok(raw.body.length < declared, `got ${raw.body.length} of ${declared} bytes`);
  assert.ok(raw.error || !raw.complete, 'the response did not complete');
  await armFault(s, { path: '/nonce', kind: 'reset-mid-body' });
  const res = await fetch(s.sdk('nonce'));
  assert.equal(res.status, 200);
  await assert.rejects(res.text());
});

test('faults: malformed-json, html, wrong-content-type', async (t) => {
  const s = await startSandbox(t);
  await armFault(s, [
    { path: '/nonce', kind: 'malformed-json' },
    { path: '/nonce', kind: 'html' },
    { path: '/nonce', kind: 'wrong-content-type' },
  ]);
  const malformed = await fetch(s.sdk('nonce'));
  assert.equal(malformed.status, 200);
  assert.match(malformed.headers.get('content-type'), /^application\/json/);
  await assert.rejects(malformed.json(), SyntaxError);

  const html = await call(s.sdk('nonce'));
  assert.equal(html.status, 502);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.match(html.text, /^<!DOCTYPE html>/);

  const plain = await call(s.sdk('nonce'));
  assert.equal(plain.status, 200);
  assert.match(plain.headers.get('content-type'), /^text\/plain/);
  assert.match(plain.data.nonce, /^[0-9a-f]{32}$/, 'the body itself is the real JSON');
  // malformed-json and wrong-content-type were applied (a nonce issued each), html was not.
  assert.equal((await state(s)).nonces.length, 2);
});

test('faults: truncated declares more bytes than it sends, then closes', async (t) => {
  const s = await startSandbox(t);
  await armFault(s, { path: '/nonce', kind: 'truncated' });
  const raw = await rawRequest(s.sdk('nonce'));
  assert.equal(raw.status, 200);
  assert.equal(Number(raw.headers['content-length']), raw.body.length + 1024);
  assert.match(raw.body.toString(), /^\{"nonce":"[0-9a-f]{32}"\}$/);
  assert.ok(raw.error || !raw.complete);
  await armFault(s, { path: '/nonce', kind: 'truncated' });
  const res = await fetch(s.sdk('nonce'));
  await assert.rejects(res.text());
});

test('faults: oversized sends a valid JSON body of about 20 MB', async (t) => {
  const s = await startSandbox(t);
  await armFault(s, { path: '/nonce', kind: 'oversized' });
  const res = await fetch(s.sdk('nonce'));
  assert.equal(res.status, 200);
  assert.equal(Number(res.headers.get('content-length')), 20 * 1024 * 1024);
  const text = await res.text();
  assert.equal(Buffer.byteLength(text), 20 * 1024 * 1024);
  const data = JSON.parse(text);
  assert.match(data.nonce, /^[0-9a-f]{32}$/);
  await armFault(s, { path: '/nonce', kind: 'oversized', sizeBytes: 4096 });
  assert.equal((await call(s.sdk('nonce'))).text.length, 4096);
});

test('faults: lost-response applies the link, then drops the connection; the retry cannot link twice', async (t) => {
  const s = await startSandbox(t);
  const { jwt, user } = await session(s);
  const account = evmAccount('99');
  const body = await evmProof(s, account);
  await armFault(s, { path: '/verify/link', method: 'POST', kind: 'lost-response' });
  await assert.rejects(call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: body }), TypeError);
  const after = userFromState(await state(s), user.id);
  assert.equal(after.verifiedCredentials.filter((c) => c.address === account.address).length, 1, 'the link happened');
  const retry = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: body });
  assert.equal(retry.status, 422);
  assert.equal(retry.data.code, 'invalid_verification');
  const final = userFromState(await state(s), user.id);
  assert.equal(final.verifiedCredentials.filter((c) => c.address === account.address).length, 1, 'still one credential');
  assert.equal(final.verifiedCredentials.length, 2);
});

test('faults: a status fault with apply:true acts, then answers the error (the risky 503)', async (t) => {
  const s = await startSandbox(t);
  const { jwt, user } = await session(s);
  await armFault(s, { path: '/verify/link', kind: 'status', status: 503, apply: true });
  const r = await call(s.sdk('verify/link'), { method: 'POST', headers: bearer(jwt), json: await evmProof(s, evmAccount('12')) });
  assert.equal(r.status, 503);
  assert.equal(userFromState(await state(s), user.id).verifiedCredentials.length, 2);
});

test('control: reset forgets everything', async (t) => {
  const s = await startSandbox(t);
  await session(s);
  await getNonce(s);
  await armFault(s, { path: '/never', kind: 'status' });
  assert.equal((await call(`${s.url}/__sandbox/reset`, { method: 'POST' })).status, 200);
  const st = await state(s);
  assert.deepEqual([st.users.length, st.nonces.length, st.faults.length, st.requestLog.length], [0, 0, 0, 0]);
  assert.equal(st.environmentId, DEFAULT_ENVIRONMENT_ID);
});

// ------------------------------------------------------------------------------------------------
// the demo server

test('serve.mjs: static files with MIME types, no traversal, sandbox API mounted', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'wl-serve-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const www = join(root, 'www');
  const pkg = join(root, 'pkg');
  await mkdir(join(www, 'sandbox'), { recursive: true });
  await mkdir(join(www, 'sub'), { recursive: true });
  await mkdir(pkg);
  await writeFile(join(www, 'index.html'), '<!doctype html><title>demo</title>');
  await writeFile(join(www, 'app.js'), 'export const x = 1;');
  await writeFile(join(www, 'sub', 'index.html'), 'sub');
  await writeFile(join(www, 'sandbox', 'server.mjs'), '// server code');
  await writeFile(join(www, '.env'), 'SECRET=1');
  await writeFile(join(pkg, 'wallet_linker_bg.wasm'), Buffer.from([0, 97, 115, 109, 1, 0, 0, 0]));
  await writeFile(join(pkg, 'web.js'), 'export default 1;');
  await writeFile(join(root, 'secret.txt'), 'top secret');
  await symlink(join(root, 'secret.txt'), join(www, 'link.txt'));

  const demo = await startDemoServer({ port: 0, wwwRoot: www, pkgRoot: pkg });
  t.after(() => demo.close());
  const get = (path, init) => fetch(`${demo.url}${path}`, init);
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal((await get('/app.js')).headers.get('content-type'), 'text/javascript; charset=utf-8');
  const wasm = await get('/pkg/wallet_linker_bg.wasm');
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer())], [0, 97, 115, 109, 1, 0, 0, 0]);
  assert.equal((await get('/pkg/web.js')).headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(await (await get('/sub/')).text(), 'sub');
  assert.equal((await get('/pkg', { redirect: 'manual' })).status, 301);

  for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/pkg/..%2f..%2fsecret.txt', '/pkg/%2e%2e/%2e%2e/secret.txt', '/link.txt', '/.env', '/sandbox/server.mjs', '/nope.html']) {
    const r = await get(path);
    assert.ok(r.status === 404 || r.status === 400, `${path} -> ${r.status}`);
    assert.doesNotMatch(await r.text(), /top secret|SECRET|server code/);
  }
  // Raw request line with a literal ../ (fetch would normalise it away).
  const raw = await new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: demo.port, path: '/../../secret.txt', agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(raw.status, 404);
  assert.doesNotMatch(raw.text, /top secret/);
  assert.equal((await get('/app.js', { method: 'POST' })).status, 405);

  const nonce = await get(`/api/v0/sdk/${DEFAULT_ENVIRONMENT_ID}/nonce`);
  assert.equal(nonce.status, 200);
  assert.match((await nonce.json()).nonce, /^[0-9a-f]{32}$/);
  // The sandbox no longer has a key-adding Snag proxy: the path is not the sandbox's any more.
  const proxy = await get('/proxy/snag/api/users/connect', { method: 'POST', body: '{}' });
  assert.ok(proxy.status === 404 || proxy.status === 405, `proxy -> ${proxy.status}`);
  assert.deepEqual(demo.sandbox.snagRequests(), []);
  const jwks = await get(`/api/v0/sdk/${DEFAULT_ENVIRONMENT_ID}/.well-known/jwks.json`);
  assert.equal(jwks.status, 200);
  assert.deepEqual(await jwks.json(), demo.sandbox.jwks());
});

test('serve.mjs CLI: --port and PORT, prints the URL, serves the repo www/', async (t) => {
  const start = (args, env = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(REPO, 'www', 'serve.mjs'), ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      t.after(() => child.kill());
      let out = '';
      child.stdout.on('data', (c) => {
        out += c;
        const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
        if (m) resolve({ child, url: m[1] });
      });
      child.on('exit', (code) => reject(new Error(`serve.mjs exited ${code}: ${out}`)));
    });
  const viaFlag = await start(['--port', '0']);
  const nonce = await fetch(`${viaFlag.url}/api/v0/sdk/${DEFAULT_ENVIRONMENT_ID}/nonce`);
  assert.equal(nonce.status, 200);
  assert.equal((await fetch(`${viaFlag.url}/serve.mjs`)).status, 404);

  const viaEnv = await start([], { PORT: '0' });
  assert.notEqual(viaEnv.url, 'http://127.0.0.1:8080');
  assert.equal((await fetch(`${viaEnv.url}/__sandbox/state`)).status, 200);
});
