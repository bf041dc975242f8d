// Sign-In With Solana in Web3Auth's dialect (`@web3auth/sign-in-with-solana`, SIP-99), against the
// library itself: its toMessage() output is what createSolanaSignInMessage({ dialect: 'web3auth' })
// writes, byte for byte, for messages with and without statement and every optional field;
// parseSolanaSignInMessage reads each one back with dialect "web3auth" and the library's own
// parser agrees on every field; verifySolanaSignIn accepts them signed with tweetnacl and refuses
// them expired, forged or with another nonce. The Wallet Standard's messages keep dialect absent.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import bs58 from 'bs58';
import nacl from 'tweetnacl';
import { SIWS } from '@web3auth/sign-in-with-solana';
import { createSignInMessageText } from '@solana/wallet-standard-util';
import { createSolanaSignInMessage, parseSolanaSignInMessage, verifySolanaSignIn } from 'wallet-linker';

const keypair = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(7));
const address = bs58.encode(keypair.publicKey);
const NOW = Date.parse('2026-01-01T00:00:00.000Z');

/** Payloads covering the optional parts: statement, expiration, not-before, request id, resources, authorities. */
function payloads() {
  const base = { domain: 'example.com', address, uri: 'https://example.com/login', version: '1', chainId: 1, nonce: 'n0nce1234567', issuedAt: '2026-01-01T00:00:00.000Z' };
  const out = [];
  for (const statement of [undefined, 'Sign in to Example']) {
    for (const extra of [
      {},
      { expirationTime: '2026-01-01T00:10:00.000Z' },
      { notBefore: '2025-12-31T23:59:00.000Z', requestId: 'req-42' },
      { resources: ['https://example.com/terms', 'ipfs://bafy'] },
      { domain: 'localhost:3000', chainId: 5 },
      { domain: '127.0.0.1:8080' },
      { domain: 'user@example.com:8443' },
    ]) {
      out.push({ ...base, ...(statement && { statement }), ...extra });
    }
  }
  return out;
}

const ours = (p) => ({ ...p, chainId: String(p.chainId), dialect: 'web3auth' });

test("createSolanaSignInMessage({ dialect: 'web3auth' }) is Web3Auth's toMessage(), and parses back", () => {
  for (const payload of payloads()) {
    const theirs = new SIWS({ payload: { ...payload } }).prepareMessage();
    assert.equal(createSolanaSignInMessage(ours(payload)), theirs);
    const parsed = parseSolanaSignInMessage(theirs);
    assert.deepEqual(parsed, ours(payload));
    // Their parser reads our text the same way.
    const back = new SIWS(createSolanaSignInMessage(ours(payload))).payload;
    assert.equal(back.chainId, payload.chainId);
    assert.equal(back.nonce, payload.nonce);
    assert.equal(back.statement, payload.statement);
  }
});

test("the Wallet Standard's messages still read as such (no dialect)", () => {
  const input = { domain: 'example.com', address, statement: 'Hi', chainId: 'mainnet', nonce: 'n0nce1234567' };
  const text = createSignInMessageText(input);
  assert.equal(parseSolanaSignInMessage(text).dialect, undefined);
  assert.equal(createSolanaSignInMessage(input), text);
});

test('verifySolanaSignIn checks Web3Auth messages: valid, expired, forged, another nonce', () => {
  const check = { domain: 'example.com', nonce: 'n0nce1234567', now: NOW, publicKey: address };
  for (const payload of payloads().filter((p) => p.domain === 'example.com')) {
    const message = new SIWS({ payload: { ...payload } }).prepareMessage();
    const signature = nacl.sign.detached(new TextEncoder().encode(message), keypair.secretKey);
    const fields = verifySolanaSignIn({ ...check, message, signature });
    assert.equal(fields.dialect, 'web3auth');
    const forged = signature.slice();
    forged[5] ^= 1;
    assert.throws(() => verifySolanaSignIn({ ...check, message, signature: forged }), (e) => e.code === 'SIGNATURE_MISMATCH');
    assert.throws(() => verifySolanaSignIn({ ...check, nonce: 'other1234567', message, signature }), (e) => e.code === 'NONCE_MISMATCH');
    if (payload.expirationTime) {
      assert.throws(() => verifySolanaSignIn({ ...check, now: Date.parse(payload.expirationTime) + 61_000, message, signature }), (e) => e.code === 'EXPIRED');
    }
  }
});

test('malformed Web3Auth messages are refused with the field at fault', () => {
  const message = new SIWS({ payload: { ...payloads()[0] } }).prepareMessage();
  for (const [edit, field] of [
    [(m) => m.replace('Chain ID: 1', 'Chain ID: one'), 'chainId'],
    [(m) => m.replace('Issued At: 2026-01-01T00:00:00.000Z', 'Issued At: yesterday'), 'issuedAt'],
    [(m) => m.replace('\nNonce: n0nce1234567', ''), 'nonce'],
    [(m) => m.replace('Version: 1', 'Version: 2'), 'version'],
  ]) {
    assert.throws(() => parseSolanaSignInMessage(edit(message)), (e) => e.code === 'MESSAGE_PARSE' && e.field === field, field);
  }
});
