// Local signature verification cross-checked against independent implementations: thousands of
// seeded random keys sign random text (ASCII, non-ASCII) and binary messages with viem, ethers,
// @noble/curves, @solana/web3.js and tweetnacl; every signature must verify with ours, and one
// flipped bit in the message, the signature or the key must always be rejected (false, or a coded
// error from a stated set). Public vectors (viem, ethers, spruceid/siwe) are re-derived here with the
// reference libraries. Portable: also bundled and run in headless Chromium.
import { test, assert } from './harness.mjs';
import * as wl from 'wallet-linker';
import { privateKeyToAccount } from 'viem/accounts';
import { bytesToHex, hexToBytes, recoverMessageAddress } from 'viem';
import { Wallet, id as ethersId, getBytes } from 'ethers';
import { ed25519 } from '@noble/curves/ed25519.js';
import nacl from 'tweetnacl';
import { Keypair } from '@solana/web3.js';
import bs58 from 'bs58';
import { SiweMessage } from 'siwe';
import { createSignInMessage, verifySignIn } from '@solana/wallet-standard-util';
import viemVectors from '../vectors/eip191_viem.json' with { type: 'json' };
import ethersVectors from '../vectors/eip191_ethers.json' with { type: 'json' };
import siweVectors from '../vectors/siwe_verification.json' with { type: 'json' };

// Seeded so a failure is reproducible: set VERIFY_SEED to replay another run.
const SEED = Number(globalThis.process?.env?.VERIFY_SEED ?? 0x51a7e5);
const COUNTS = { viem: 1200, ethers: 600, noble: 1500, web3: 200, tweetnacl: 150 };

/** mulberry32: a small, well-mixed 32-bit PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const bytes = (n) => Uint8Array.from({ length: n }, () => int(0, 255));
  return { next, int, bytes, pick: (items) => items[int(0, items.length - 1)] };
}

// Code points worth mixing in: multi-byte UTF-8 of every length, combining marks, RTL, NUL, CR/LF.
const TEXT_PIECES = ['a', 'Z', '7', ' ', '\n', '\r\n', '\u0000', 'é', 'ß', 'Ω', 'ж', 'ש', 'ع', '中', '日本', '€', '\u0301', '🥵', '🦊', '👩‍💻', '\u{10FFFF}', '\uFEFF'];

/** A random message: ASCII text, non-ASCII text, or raw bytes. */
function randomMessage(rng) {
  const kind = rng.int(0, 2);
  if (kind === 2) return rng.bytes(rng.int(0, 300));
  const n = rng.int(0, 60);
  let text = '';
  for (let i = 0; i < n; i++) {
    text += kind === 0 ? String.fromCharCode(rng.int(0x20, 0x7e)) : rng.pick(TEXT_PIECES);
  }
  return text;
}

const utf8 = (m) => (typeof m === 'string' ? new TextEncoder().encode(m) : m);

function flipBit(bytes, rng) {
  const copy = Uint8Array.from(bytes);
  const bit = rng.int(0, copy.length * 8 - 1);
  copy[bit >> 3] ^= 1 << (bit & 7);
  return copy;
}

/** Runs `fn`; it must return false or throw a WalletLinkerError whose code is in `codes`. */
function rejected(fn, codes, tally) {
  let result;
  try {
    result = fn();
  } catch (error) {
    assert.ok(wl.isWalletLinkerError(error), `not a WalletLinkerError: ${error}`);
    assert.ok(codes.includes(error.code), `unexpected code ${error.code}: ${error.message}`);
    tally[error.code] = (tally[error.code] ?? 0) + 1;
    return;
  }
  assert.equal(result, false);
  tally.false = (tally.false ?? 0) + 1;
}

function codeOf(fn) {
  try {
    fn();
  } catch (error) {
    assert.ok(wl.isWalletLinkerError(error), `not a WalletLinkerError: ${error}`);
    return error.code;
  }
  return 'NO_ERROR';
}

const base64 = (bytes) => btoa(String.fromCharCode(...bytes));
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

// ---------------------------------------------------------------------------------------------
// EVM

/** Checks one EIP-191 signature made by `address` every way, and its single-bit mutations. */
function checkEvm(message, signatureHex, address, rng, tally) {
  const signature = hexToBytes(signatureHex);
  assert.equal(wl.recoverEvmAddress(message, signatureHex), address);
  assert.equal(wl.recoverEvmAddress(message, signature), address);
  assert.equal(wl.verifyEvmSignature(message, signatureHex.slice(2), address.toLowerCase()), true);
  // EIP-2098 compact and v in {0, 1} name the same signature.
  const yParity = signature[64] - 27;
  const compact = signature.slice(0, 64);
  compact[32] |= yParity << 7;
  assert.equal(wl.verifyEvmSignature(message, compact, address), true);
  const rawV = Uint8Array.from(signature);
  rawV[64] = yParity;
  assert.equal(wl.verifyEvmSignature(message, rawV, address), true);

  const bytes = utf8(message);
  if (bytes.length > 0) {
    assert.equal(wl.verifyEvmSignature(flipBit(bytes, rng), signature, address), false);
  }
  rejected(() => wl.verifyEvmSignature(message, flipBit(signature, rng), address), ['INVALID_SIGNATURE'], tally);
  const otherAddress = bytesToHex(flipBit(hexToBytes(address), rng));
  assert.equal(wl.verifyEvmSignature(message, signature, otherAddress), false);
}

test(`EVM: ${COUNTS.viem} viem keys sign random messages; ours recovers every one`, async () => {
  const rng = prng(SEED);
  const tally = {};
  for (let i = 0; i < COUNTS.viem; i++) {
    const account = privateKeyToAccount(bytesToHex(rng.bytes(32)));
    const message = randomMessage(rng);
    const signature = await account.signMessage({ message: typeof message === 'string' ? message : { raw: message } });
    checkEvm(message, signature, account.address, rng, tally);
  }
  // Both outcomes of a flipped signature bit occur (a bad v or r/s range is an error, the rest false).
  assert.ok(tally.false > COUNTS.viem / 2 && tally.INVALID_SIGNATURE > 0, JSON.stringify(tally));
});

test(`EVM: ${COUNTS.ethers} ethers wallets sign random messages; ours recovers every one`, async () => {
  const rng = prng(SEED + 1);
  const tally = {};
  for (let i = 0; i < COUNTS.ethers; i++) {
    const wallet = new Wallet(bytesToHex(rng.bytes(32)));
    const message = randomMessage(rng);
    const signature = await wallet.signMessage(message);
    checkEvm(message, signature, wallet.address, rng, tally);
  }
  assert.ok(tally.false > 0, JSON.stringify(tally));
});

test('EVM: high-S twins recover the same address, as viem does', async () => {
  const rng = prng(SEED + 2);
  for (let i = 0; i < 50; i++) {
    const account = privateKeyToAccount(bytesToHex(rng.bytes(32)));
    const message = randomMessage(rng);
    const signature = hexToBytes(await account.signMessage({ message: typeof message === 'string' ? message : { raw: message } }));
    const s = BigInt(`0x${toHex(signature.slice(32, 64))}`);
    const twin = Uint8Array.from(signature);
    twin.set(hexToBytes(`0x${(SECP256K1_N - s).toString(16).padStart(64, '0')}`), 32);
    twin[64] = signature[64] === 27 ? 28 : 27;
    assert.equal(wl.recoverEvmAddress(message, twin), account.address);
    const viemMessage = typeof message === 'string' ? message : { raw: message };
    assert.equal(await recoverMessageAddress({ message: viemMessage, signature: bytesToHex(twin) }), account.address);
  }
});

test('EVM: malformed signatures and addresses are coded errors', () => {
  const sig = new Uint8Array(65).fill(1);
  sig[64] = 27;
  for (const v of [2, 3, 29, 35, 37]) {
    const bad = Uint8Array.from(sig);
    bad[64] = v;
    assert.equal(codeOf(() => wl.recoverEvmAddress('m', bad)), 'INVALID_SIGNATURE');
  }
  const zeroR = Uint8Array.from(sig);
  zeroR.fill(0, 0, 32);
  assert.equal(codeOf(() => wl.recoverEvmAddress('m', zeroR)), 'INVALID_SIGNATURE');
  for (const len of [0, 63, 66, 200]) {
    let error;
    try {
      wl.verifyEvmSignature('m', new Uint8Array(len), '0x' + '11'.repeat(20));
    } catch (e) {
      error = e;
    }
    assert.equal(error?.code, 'INVALID_SIGNATURE_LENGTH');
    assert.match(error.message, /EIP-1271/);
  }
  assert.equal(codeOf(() => wl.recoverEvmAddress('m', '0x123')), 'INVALID_HEX');
  assert.equal(codeOf(() => wl.recoverEvmAddress('m', 'zz'.repeat(65))), 'INVALID_HEX');
  assert.equal(codeOf(() => wl.verifyEvmSignature('m', sig, '0x1234')), 'INVALID_ADDRESS');
  assert.equal(codeOf(() => wl.verifyEvmSignature('m', sig, undefined)), 'INVALID_ARGUMENT');
  assert.equal(codeOf(() => wl.recoverEvmAddress(undefined, sig)), 'INVALID_ARGUMENT');
  assert.equal(codeOf(() => wl.recoverEvmAddress('m', 42)), 'INVALID_ARGUMENT');
});

test('EVM: published viem vectors, re-signed by viem and ethers', async () => {
  const account = privateKeyToAccount(viemVectors.privateKey);
  const wallet = new Wallet(viemVectors.privateKey);
  assert.equal(account.address, viemVectors.address);
  for (const v of viemVectors.vectors) {
    const message = v.message ?? hexToBytes(`0x${v.messageHex}`);
    const viemMessage = v.message ?? { raw: message };
    assert.equal(await account.signMessage({ message: viemMessage }), v.signature, v.name);
    assert.equal(await wallet.signMessage(message), v.signature, v.name);
    assert.equal(wl.recoverEvmAddress(message, v.signature), viemVectors.address, v.name);
  }
});

test('EVM: published ethers vectors, re-signed by ethers', async () => {
  for (const v of ethersVectors.vectors) {
    const message = v.message ?? (v.messageHex ? hexToBytes(`0x${v.messageHex}`) : getBytes(ethersId(v.messageKeccakOfText)));
    const wallet = new Wallet(v.privateKey);
    assert.equal(wallet.address, v.address);
    assert.equal(await wallet.signMessage(message), v.signature, v.name);
    assert.equal(wl.recoverEvmAddress(message, v.signature), v.address, v.name);
    assert.equal(wl.verifyEvmSignature(message, v.signature, v.address), true);
  }
});

// ---------------------------------------------------------------------------------------------
// Solana

/** Checks one ed25519 signature every way (key and signature encodings), and its mutations. */
function checkSolana(message, signature, publicKey, rng, tally) {
  const address = bs58.encode(publicKey);
  assert.equal(wl.verifySolanaSignature(message, signature, address), true);
  assert.equal(wl.verifySolanaSignature(message, bs58.encode(signature), publicKey), true);
  assert.equal(wl.verifySolanaSignature(message, base64(signature), address), true);
  const bytes = utf8(message);
  if (bytes.length > 0) {
    assert.equal(wl.verifySolanaSignature(flipBit(bytes, rng), signature, address), false);
  }
  rejected(() => wl.verifySolanaSignature(message, flipBit(signature, rng), address), ['INVALID_SIGNATURE'], tally);
  rejected(() => wl.verifySolanaSignature(message, signature, flipBit(publicKey, rng)), ['INVALID_PUBLIC_KEY'], tally);
}

test(`Solana: ${COUNTS.noble} @noble/curves ed25519 keys; ours verifies every one`, () => {
  const rng = prng(SEED + 3);
  const tally = {};
  for (let i = 0; i < COUNTS.noble; i++) {
    const seed = rng.bytes(32);
    const publicKey = ed25519.getPublicKey(seed);
    const message = randomMessage(rng);
    const signature = ed25519.sign(utf8(message), seed);
    checkSolana(message, signature, publicKey, rng, tally);
    if (i % 10 === 0) {
      const verifier = new wl.SolanaVerifier(publicKey);
      assert.equal(verifier.address, bs58.encode(publicKey));
      assert.equal(verifier.verify(message, signature), true);
      assert.equal(verifier.verify(randomMessage(rng), signature), false);
      verifier.free();
    }
  }
  // A flipped key bit is often not a curve point; a flipped S bit past L is a coded error.
  assert.ok(tally.false > COUNTS.noble && tally.INVALID_PUBLIC_KEY > 0 && tally.INVALID_SIGNATURE > 0, JSON.stringify(tally));
});

test(`Solana: ${COUNTS.web3} @solana/web3.js keypairs signed with tweetnacl; ours verifies every one`, () => {
  const rng = prng(SEED + 4);
  const tally = {};
  for (let i = 0; i < COUNTS.web3; i++) {
    const keypair = Keypair.fromSeed(rng.bytes(32));
    const message = randomMessage(rng);
    const signature = nacl.sign.detached(utf8(message), keypair.secretKey);
    assert.equal(wl.verifySolanaSignature(message, signature, keypair.publicKey.toBase58()), true);
    checkSolana(message, signature, keypair.publicKey.toBytes(), rng, tally);
  }
});

test(`Solana: ${COUNTS.tweetnacl} tweetnacl keypairs; ours verifies every one`, () => {
  const rng = prng(SEED + 5);
  const tally = {};
  for (let i = 0; i < COUNTS.tweetnacl; i++) {
    const keypair = nacl.sign.keyPair.fromSeed(rng.bytes(32));
    const message = randomMessage(rng);
    const signature = nacl.sign.detached(utf8(message), keypair.secretKey);
    checkSolana(message, signature, keypair.publicKey, rng, tally);
  }
});

// The canonical encodings of the eight points of order dividing 8 (libsodium's blocklist).
const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
];

test('Solana: small-order keys are refused where a lax verifier accepts a forgery', () => {
  for (const hex of SMALL_ORDER) {
    const key = hexToBytes(`0x${hex}`);
    assert.ok(ed25519.Point.fromHex(hex).isSmallOrder(), `noble agrees ${hex} is of small order`);
    // R = A (small order), S = 0: holds for any message under the cofactored (ZIP-215) equation.
    const forged = new Uint8Array(64);
    forged.set(key, 0);
    assert.equal(ed25519.verify(forged, utf8('any message'), key, { zip215: true }), true);
    assert.equal(codeOf(() => wl.verifySolanaSignature('any message', forged, key)), 'INVALID_PUBLIC_KEY');
    assert.equal(codeOf(() => new wl.SolanaVerifier(key)), 'INVALID_PUBLIC_KEY');
  }
});

test('Solana: malleated S and small-order R are rejected', () => {
  const seed = new Uint8Array(32).fill(9);
  const publicKey = ed25519.getPublicKey(seed);
  const message = utf8('edge');
  const signature = ed25519.sign(message, seed);
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const leToBig = (b) => BigInt(`0x${toHex(Uint8Array.from(b).reverse())}`);
  const bigToLe = (n) => hexToBytes(`0x${n.toString(16).padStart(64, '0')}`).reverse();
  const malleated = Uint8Array.from(signature);
  malleated.set(bigToLe(leToBig(signature.slice(32)) + L), 32);
  // noble's lax mode reduces S; the strict rule refuses it.
  assert.equal(codeOf(() => wl.verifySolanaSignature(message, malleated, publicKey)), 'INVALID_SIGNATURE');
  for (const hex of SMALL_ORDER) {
    const bad = Uint8Array.from(signature);
    bad.set(hexToBytes(`0x${hex}`), 0);
    assert.equal(wl.verifySolanaSignature(message, bad, publicKey), false);
  }
});

test('Solana: signature and key text encodings', () => {
  const seed = new Uint8Array(32).fill(3);
  const publicKey = ed25519.getPublicKey(seed);
  const signature = ed25519.sign(utf8('x'), seed);
  const b64 = base64(signature);
  assert.ok(b64.endsWith('=='));
  assert.equal(wl.verifySolanaSignature('x', b64, publicKey), true);
  assert.equal(codeOf(() => wl.verifySolanaSignature('x', b64.slice(0, -2), publicKey)), 'INVALID_BASE58');
  assert.equal(codeOf(() => wl.verifySolanaSignature('x', b64.replace(/.==$/, '/=='), publicKey)), 'INVALID_BASE64');
  assert.equal(codeOf(() => wl.verifySolanaSignature('x', 'z'.repeat(200), publicKey)), 'INVALID_SIGNATURE_LENGTH');
  assert.equal(codeOf(() => wl.verifySolanaSignature('x', signature, `0OIl${bs58.encode(publicKey).slice(4)}`)), 'INVALID_BASE58');
  assert.equal(codeOf(() => wl.verifySolanaSignature('x', signature, new Uint8Array(31))), 'INVALID_PUBLIC_KEY');
  assert.equal(codeOf(() => wl.verifySolanaSignature('x', signature.slice(1), publicKey)), 'INVALID_SIGNATURE_LENGTH');
  // A megabyte of base58 is refused by its length, at once.
  const started = performance.now();
  assert.equal(codeOf(() => wl.verifySolanaSignature('x', signature, '2'.repeat(1 << 20))), 'INVALID_PUBLIC_KEY');
  assert.ok(performance.now() - started < 1000);
});

// ---------------------------------------------------------------------------------------------
// Sign-in checks

test(`SIWE: the ${siweVectors.cases.length} spruceid/siwe verification vectors`, () => {
  for (const c of siweVectors.cases) {
    const message = new SiweMessage(c.fields).prepareMessage();
    const options = {
      message,
      signature: c.signature,
      domain: c.domain ?? c.fields.domain,
      nonce: c.nonce ?? c.fields.nonce,
      now: c.now,
      clockSkewSeconds: 0,
    };
    if (c.expect === 'OK') {
      const fields = wl.verifySiweSignIn(options);
      assert.deepEqual(fields, wl.parseSiweMessage(message), c.name);
      assert.equal(fields.address, c.fields.address);
    } else {
      assert.equal(codeOf(() => wl.verifySiweSignIn(options)), c.expect, c.name);
    }
  }
});

test('SIWE: sign-in with viem signatures, every expectation and the time boundaries', async () => {
  const rng = prng(SEED + 6);
  for (let i = 0; i < 30; i++) {
    const account = privateKeyToAccount(bytesToHex(rng.bytes(32)));
    const issuedAt = Date.now() - rng.int(0, 50_000);
    const expiration = issuedAt + 600_000;
    const fields = {
      domain: rng.pick(['example.com', 'localhost:3000', 'app.example.org:8443']),
      address: account.address,
      statement: 'Link this wallet to your account.',
      uri: 'https://example.com/login',
      version: '1',
      chainId: rng.pick([1, 10, 137, 8453]),
      nonce: wl.generateNonce(),
      issuedAt: new Date(issuedAt).toISOString(),
      expirationTime: new Date(expiration).toISOString(),
    };
    const message = wl.createSiweMessage(fields);
    const signature = await account.signMessage({ message });
    const base = { message, signature, domain: fields.domain, nonce: fields.nonce };
    // `now` defaults to the current time.
    assert.deepEqual(wl.verifySiweSignIn(base), wl.parseSiweMessage(message));
    assert.equal(wl.verifySiweSignIn({ ...base, now: fields.issuedAt, chainId: fields.chainId, uri: fields.uri, scheme: 'https', address: account.address.toLowerCase() }).nonce, fields.nonce);
    const at = (now, clockSkewSeconds) => codeOf(() => wl.verifySiweSignIn({ ...base, now, clockSkewSeconds }));
    assert.equal(at(expiration - 1, 0), 'NO_ERROR');
    assert.equal(at(expiration, 0), 'EXPIRED');
    assert.equal(at(expiration + 59_999, undefined), 'NO_ERROR');
    assert.equal(at(expiration + 60_000, undefined), 'EXPIRED');
    assert.equal(at(new Date(expiration).toISOString(), 0), 'EXPIRED');
    assert.equal(at(issuedAt - 1, 0), 'ISSUED_IN_FUTURE');
    assert.equal(at(issuedAt - 60_000, 60), 'NO_ERROR');
    // A Date is the instant of its epoch milliseconds and of its ISO text.
    assert.equal(at(new Date(expiration - 1), 0), 'NO_ERROR');
    assert.equal(at(new Date(expiration), 0), 'EXPIRED');
    assert.equal(at(new Date(issuedAt - 1), 0), 'ISSUED_IN_FUTURE');
    assert.equal(at(new Date(issuedAt), 0), 'NO_ERROR');
    const mismatch = (extra) => codeOf(() => wl.verifySiweSignIn({ ...base, ...extra }));
    assert.equal(mismatch({ domain: 'evil.example' }), 'DOMAIN_MISMATCH');
    assert.equal(mismatch({ nonce: wl.generateNonce() }), 'NONCE_MISMATCH');
    assert.equal(mismatch({ chainId: fields.chainId + 1 }), 'CHAIN_ID_MISMATCH');
    assert.equal(mismatch({ uri: 'https://example.com/' }), 'URI_MISMATCH');
    assert.equal(mismatch({ scheme: 'http' }), 'SCHEME_MISMATCH');
    assert.equal(mismatch({ address: bytesToHex(rng.bytes(20)) }), 'ADDRESS_MISMATCH');
    assert.equal(mismatch({ signature: await privateKeyToAccount(bytesToHex(rng.bytes(32))).signMessage({ message }) }), 'SIGNATURE_MISMATCH');
    assert.equal(mismatch({ domain: undefined }), 'INVALID_ARGUMENT');
    assert.equal(mismatch({ nonce: undefined }), 'INVALID_ARGUMENT');
    assert.equal(mismatch({ now: 'yesterday' }), 'INVALID_FIELD');
    assert.equal(mismatch({ now: Number.NaN }), 'INVALID_ARGUMENT');
    // maxAgeSeconds bounds the age of issuedAt (no skew: it bounds replays).
    const aged = (now, maxAgeSeconds) => codeOf(() => wl.verifySiweSignIn({ ...base, now, maxAgeSeconds }));
    assert.equal(aged(issuedAt + 299_999, 300), 'NO_ERROR');
    assert.equal(aged(issuedAt + 300_000, 300), 'EXPIRED');
    assert.equal(aged(issuedAt + 1, 0), 'INVALID_ARGUMENT');
    // The message is read like every other string argument.
    assert.equal(mismatch({ message: `${message}\ud800` }), 'INVALID_ARGUMENT');
    assert.equal(mismatch({ message: 'a'.repeat(1024 * 1024 + 1) }), 'INPUT_TOO_LARGE');
    assert.equal(mismatch({ message: 42 }), 'INVALID_ARGUMENT');
  }
  let error;
  try {
    wl.verifySiweSignIn({ message: 'x', signature: '0x', domain: 'a', nonce: 'b' });
  } catch (e) {
    error = e;
  }
  assert.equal(error?.name, 'WalletLinkerError');
});

test('sign-in options: a missing or wrong-typed member is named in plain words', () => {
  const base = { message: 'x', signature: `0x${'11'.repeat(65)}`, domain: 'example.com', nonce: 'abcdefgh' };
  const cases = [
    [wl.verifySiweSignIn, { ...base, domain: undefined }, 'domain', 'domain is required'],
    [wl.verifySiweSignIn, { ...base, nonce: 12345678 }, 'nonce', 'nonce must be a string, received number'],
    [wl.verifySiweSignIn, { ...base, chainId: '1' }, 'chainId', 'chainId must be a whole number, received string'],
    [wl.verifySiweSignIn, { ...base, address: 7 }, 'address', 'address must be a string, received number'],
    [wl.verifySiweSignIn, { ...base, clockSkewSeconds: '60' }, 'clockSkewSeconds', 'clockSkewSeconds must be a whole number from 0 to 4294967295, received string'],
    [wl.verifySiweSignIn, { ...base, maxAgeSeconds: -5 }, 'maxAgeSeconds', 'maxAgeSeconds must be a whole number from 0 to 4294967295, received -5'],
    [wl.verifySiweSignIn, { ...base, now: new Date(Number.NaN) }, 'now', 'now must be a valid Date or an RFC 3339 string, received an invalid Date'],
    [wl.verifySiweSignIn, { ...base, now: {} }, 'now', 'now must be epoch milliseconds (a number), an RFC 3339 string or a Date'],
    [wl.verifySolanaSignIn, { ...base, nonce: undefined }, 'nonce', 'nonce is required'],
    [wl.verifySolanaSignIn, { ...base, chainId: 1 }, 'chainId', 'chainId must be a string, received number'],
    [wl.verifySolanaSignIn, { ...base, uri: ['https://example.com'] }, 'uri', 'uri must be a string, received array'],
  ];
  for (const [verify, options, field, message] of cases) {
    let error;
    try {
      verify(options);
    } catch (e) {
      error = e;
    }
    assert.ok(wl.isWalletLinkerError(error), `${field}: ${error}`);
    assert.deepEqual([error.code, error.field, error.message], ['INVALID_ARGUMENT', field, message]);
  }
});

test('Sign-In With Solana: wallet-standard outputs verified by ours and by @solana/wallet-standard-util', () => {
  const rng = prng(SEED + 7);
  for (let i = 0; i < 30; i++) {
    const seed = rng.bytes(32);
    const keypair = Keypair.fromSeed(seed);
    const now = Date.now();
    const input = {
      domain: rng.pick(['example.com', 'localhost:5173']),
      address: keypair.publicKey.toBase58(),
      statement: 'Sign in to link ✓',
      uri: 'https://example.com',
      version: '1',
      chainId: 'solana:mainnet',
      nonce: wl.generateNonce(),
      issuedAt: new Date(now - 1000).toISOString(),
      expirationTime: new Date(now + 300_000).toISOString(),
    };
    const signedMessage = createSignInMessage(input);
    const signature = nacl.sign.detached(signedMessage, keypair.secretKey);
    const output = { account: { publicKey: keypair.publicKey.toBytes(), address: input.address }, signedMessage, signature };
    assert.equal(verifySignIn(input, output), true, 'the reference accepts it');
    const options = { message: signedMessage, signature, publicKey: input.address, domain: input.domain, nonce: input.nonce };
    const fields = wl.verifySolanaSignIn(options);
    assert.deepEqual(fields, wl.parseSolanaSignInMessage(new TextDecoder().decode(signedMessage)));
    assert.equal(wl.verifySolanaSignIn({ ...options, signature: bs58.encode(signature), publicKey: keypair.publicKey.toBytes(), now: input.issuedAt, chainId: 'solana:mainnet', uri: input.uri }).nonce, input.nonce);
    const code = (extra) => codeOf(() => wl.verifySolanaSignIn({ ...options, ...extra }));
    assert.equal(code({ publicKey: Keypair.fromSeed(rng.bytes(32)).publicKey.toBase58() }), 'ADDRESS_MISMATCH');
    assert.equal(code({ domain: 'evil.example' }), 'DOMAIN_MISMATCH');
    assert.equal(code({ nonce: wl.generateNonce() }), 'NONCE_MISMATCH');
    assert.equal(code({ chainId: 'solana:devnet' }), 'CHAIN_ID_MISMATCH');
    assert.equal(code({ now: now + 300_000 + 60_000 }), 'EXPIRED');
    assert.equal(code({ now: new Date(now + 300_000 + 60_000) }), 'EXPIRED');
    assert.equal(code({ now: new Date(now + 300_000 + 59_999) }), 'NO_ERROR');
    // The nonce is required (a message without one would verify forever), and so is issuedAt
    // once its age is checked.
    assert.equal(code({ nonce: undefined }), 'INVALID_ARGUMENT');
    const bare = { ...input, nonce: undefined, issuedAt: undefined, expirationTime: undefined };
    const bareMessage = createSignInMessage(bare);
    const bareSigned = { ...options, message: bareMessage, signature: nacl.sign.detached(bareMessage, keypair.secretKey) };
    assert.equal(codeOf(() => wl.verifySolanaSignIn(bareSigned)), 'NONCE_MISMATCH');
    const undated = createSignInMessage({ ...input, issuedAt: undefined });
    const undatedSigned = { ...options, message: undated, signature: nacl.sign.detached(undated, keypair.secretKey) };
    assert.equal(wl.verifySolanaSignIn(undatedSigned).nonce, input.nonce);
    assert.equal(codeOf(() => wl.verifySolanaSignIn({ ...undatedSigned, maxAgeSeconds: 300 })), 'MISSING_FIELD');
    assert.equal(code({ maxAgeSeconds: 300 }), 'NO_ERROR');
    assert.equal(code({ now: now - 1000 + 300_000, maxAgeSeconds: 300 }), 'EXPIRED');
    assert.ok(['SIGNATURE_MISMATCH', 'INVALID_SIGNATURE'].includes(code({ signature: flipBit(signature, rng) })));
    // The same text inside a Solana off-chain message envelope (version 0, format 1, u16 LE length).
    const envelope = new Uint8Array(20 + signedMessage.length);
    envelope.set([0xff, ...new TextEncoder().encode('solana offchain')], 0);
    envelope.set([0, 1, signedMessage.length & 0xff, signedMessage.length >> 8], 16);
    envelope.set(signedMessage, 20);
    const envelopeSignature = nacl.sign.detached(envelope, keypair.secretKey);
    assert.equal(wl.verifySolanaSignIn({ ...options, message: envelope, signature: envelopeSignature }).nonce, input.nonce);
    assert.equal(code({ signature: envelopeSignature }), 'SIGNATURE_MISMATCH');
  }
});
