// The TEST-ONLY demo Sui wallet (www/demo-wallets.js) in Node, checked against @mysten/sui: it builds
// Sui's personal-message signature by hand (@noble/curves ed25519, @noble/hashes blake2b), so every
// signature it makes is verified with @mysten/sui's verifyPersonalMessageSignature and compared byte
// for byte with what @mysten/sui's own Ed25519Keypair makes from the same key (Ed25519 signatures
// are deterministic). Also: its address, the ULEB128 length prefix against @mysten/sui's BCS, the
// Wallet Standard shape (features, accounts, events, registration by window events) and its
// behaviours (reject with 4001, tamper).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { bcs } from '@mysten/sui/bcs';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { verifyPersonalMessageSignature } from '@mysten/sui/verify';
import { verifySuiPersonalMessage } from 'wallet-linker';

import { DemoSuiWallet, suiAddressOf, suiSignPersonalMessageWith, uleb128 } from '../../www/demo-wallets.js';

const utf8 = new TextEncoder();
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

/** @mysten/sui's verdict: true, or false when it throws (it throws for "not valid"). */
async function mysten(message, signature, address) {
  try {
    const publicKey = await verifyPersonalMessageSignature(message, signature, { address });
    return publicKey.toSuiAddress() === address;
  } catch {
    return false;
  }
}

async function connected(options) {
  const wallet = new DemoSuiWallet(options);
  const { accounts } = await wallet.features['standard:connect'].connect();
  return { wallet, account: accounts[0], sign: (message, account = accounts[0]) => wallet.features['sui:signPersonalMessage'].signPersonalMessage({ message, account }) };
}

test('the address is the one @mysten/sui derives from the same Ed25519 key', () => {
  // A fixed key (a plain byte pattern, not a secret) and random ones.
  const keys = [new Uint8Array(32).fill(7), ...Array.from({ length: 5 }, () => new Uint8Array(randomBytes(32)))];
  for (const secretKey of keys) {
    const wallet = new DemoSuiWallet({ secretKey });
    const keypair = Ed25519Keypair.fromSecretKey(secretKey);
    assert.equal(wallet.address, keypair.toSuiAddress());
    assert.match(wallet.address, /^0x[0-9a-f]{64}$/);
    assert.deepEqual(wallet.publicKey, keypair.getPublicKey().toRawBytes());
    assert.equal(suiAddressOf(wallet.publicKey), wallet.address);
  }
});

test('ULEB128 length prefixes equal @mysten/sui BCS vector<u8> prefixes', () => {
  for (const n of [0, 1, 127, 128, 255, 300, 16383, 16384, 70000]) {
    const serialized = bcs.vector(bcs.u8()).serialize(new Uint8Array(n)).toBytes();
    const prefix = uleb128(n);
    assert.deepEqual(prefix, serialized.subarray(0, prefix.length), `length ${n}`);
    assert.equal(serialized.length, prefix.length + n, `length ${n}: the prefix is all of BCS's overhead`);
  }
  assert.deepEqual([...uleb128(128)], [0x80, 0x01]);
  assert.deepEqual([...uleb128(16384)], [0x80, 0x80, 0x01]);
});

test('sui:signPersonalMessage: @mysten/sui verifies every signature, and makes the very same one', async () => {
  const { wallet, sign } = await connected();
  const keypair = Ed25519Keypair.fromSecretKey(wallet.secretKey);
  // Lengths across the ULEB128 boundaries (1, 2 and 3 prefix bytes), random bytes and UTF-8 text.
  const messages = [0, 1, 127, 128, 129, 16383, 16384, 20000].map((n) => new Uint8Array(randomBytes(n)));
  messages.push(utf8.encode('127.0.0.1:8080 wants you to sign in with your Sui account:\nhéllo ✓'));
  for (const message of messages) {
    const output = await sign(message);
    assert.deepEqual(Object.keys(output).sort(), ['bytes', 'signature']);
    assert.equal(output.bytes, b64(message), 'bytes: the message, base64');
    const serialized = Buffer.from(output.signature, 'base64');
    assert.equal(serialized.length, 1 + 64 + 32);
    assert.equal(serialized[0], 0, 'flag 0: Ed25519');
    assert.deepEqual(new Uint8Array(serialized.subarray(65)), wallet.publicKey);
    assert.equal(await mysten(message, output.signature, wallet.address), true, `@mysten/sui accepts (${message.length} bytes)`);
    const theirs = await keypair.signPersonalMessage(message);
    assert.equal(output.signature, theirs.signature, `identical to @mysten/sui's (${message.length} bytes)`);
    assert.equal(output.bytes, theirs.bytes);
    assert.equal(verifySuiPersonalMessage(message, output.signature, wallet.address), true, 'the package agrees');
    // Not a signature of another message, nor of another address.
    assert.equal(await mysten(new Uint8Array([...message, 0]), output.signature, wallet.address), false);
    assert.equal(await mysten(message, output.signature, new DemoSuiWallet().address), false);
  }
  assert.equal(suiSignPersonalMessageWith(wallet.secretKey, messages[1]), (await keypair.signPersonalMessage(messages[1])).signature);
  assert.deepEqual(wallet.calls, ['connect', ...messages.map(() => 'signPersonalMessage')]);
});

test('Wallet Standard shape: chains, features, accounts after connect, change events, disconnect', async () => {
  const wallet = new DemoSuiWallet();
  assert.equal(wallet.version, '1.0.0');
  assert.equal(wallet.name, 'Demo Sui wallet (test only)');
  assert.match(wallet.icon, /^data:image\/svg\+xml;base64,/);
  assert.deepEqual(wallet.chains, ['sui:mainnet', 'sui:testnet']);
  assert.deepEqual(Object.keys(wallet.features).sort(), ['standard:connect', 'standard:disconnect', 'standard:events', 'sui:signPersonalMessage']);
  for (const feature of Object.values(wallet.features)) assert.equal(typeof feature.version, 'string');
  assert.deepEqual(wallet.accounts, []);
  const changes = [];
  const off = wallet.features['standard:events'].on('change', ({ accounts }) => changes.push(accounts.map((a) => a.address)));
  const { accounts } = await wallet.features['standard:connect'].connect();
  assert.equal(accounts.length, 1);
  assert.deepEqual(
    { address: accounts[0].address, chains: accounts[0].chains, features: accounts[0].features },
    { address: wallet.address, chains: ['sui:mainnet', 'sui:testnet'], features: ['sui:signPersonalMessage'] },
  );
  assert.deepEqual(accounts[0].publicKey, wallet.publicKey);
  assert.deepEqual(wallet.accounts, accounts);
  await wallet.features['standard:disconnect'].disconnect();
  assert.deepEqual(wallet.accounts, []);
  off();
  await wallet.features['standard:connect'].connect();
  assert.deepEqual(changes, [[wallet.address], []], 'one change per state until the listener was removed');
});

test('registers through the Wallet Standard window events: now, and again on app-ready', () => {
  const target = new EventTarget();
  const registered = [];
  const api = { register: (...wallets) => (registered.push(...wallets), () => {}) };
  target.addEventListener('wallet-standard:register-wallet', ({ detail }) => detail(api));
  const wallet = new DemoSuiWallet().register(target);
  assert.deepEqual(registered, [wallet]);
  target.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: api }));
  assert.deepEqual(registered, [wallet, wallet]);
});

test('behaviours: reject is EIP-1193 4001 (connect and sign), tamper fails @mysten/sui, another account is refused', async () => {
  const { wallet, sign, account } = await connected();
  const message = utf8.encode('Link me');
  // An address in upper-case hex names the same account.
  const upper = { ...account, address: `0x${wallet.address.slice(2).toUpperCase()}` };
  assert.equal(await mysten(message, (await sign(message, upper)).signature, wallet.address), true);
  await assert.rejects(sign(message, { ...account, address: new DemoSuiWallet().address }), /unknown account/);
  await assert.rejects(sign('text, not bytes'), TypeError);

  wallet.behaviour = 'tamper';
  const tampered = await sign(message);
  assert.equal(tampered.bytes, b64(message), 'it still reports the bytes it was asked to sign');
  assert.equal(await mysten(message, tampered.signature, wallet.address), false, '@mysten/sui refuses it');
  assert.equal(verifySuiPersonalMessage(message, tampered.signature, wallet.address), false);
  assert.equal(await mysten(new Uint8Array([...message, 0x21]), tampered.signature, wallet.address), true, 'it signed other bytes');

  wallet.behaviour = 'reject';
  await assert.rejects(sign(message), { code: 4001, message: 'User rejected the request.' });
  await assert.rejects(wallet.features['standard:connect'].connect(), { code: 4001 });
  assert.deepEqual(wallet.behaviours, ['sign', 'reject', 'tamper']);
});
