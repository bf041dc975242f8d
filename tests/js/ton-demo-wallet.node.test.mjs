// The TEST-ONLY demo TON wallet (www/demo-wallets.js, DemoTonWallet) in Node, checked against the
// TON libraries. www/serve.mjs builds its wallet (v4r2 of a fixed seed) with @ton/ton and serves it
// in /demo-config.json; here the same wallet is derived again with ton-fixtures.mjs, and the
// wallet's TON Connect proofs (signed with @noble/curves + @noble/hashes over a message it builds
// by hand) are checked for several payloads with @ton/crypto's signVerify over ton-fixtures'
// digest, compared byte for byte with @ton/crypto's own signature (Ed25519 is deterministic), and
// accepted by the package's verifyTonProof, through WalletAdapter.tonProof too, and by the
// sandbox's Snag check (www/sandbox/ton.mjs). "tamper" is refused by all of them; "reject" is
// connect_error 300 (USER_REJECTED through the adapter); a bad protocol version, a missing manifest
// and a connect without ton_proof answer as TON Connect says.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Address, Cell, contractAddress, loadStateInit } from '@ton/core';
import { keyPairFromSeed, sign, signVerify } from '@ton/crypto';
import { verifyTonProof, WalletAdapter } from 'wallet-linker';

import { DemoTonWallet, tonProofDigest, tonProofMessage } from '../../www/demo-wallets.js';
import { checkTonProof } from '../../www/sandbox/ton.mjs';
import { DEMO_TON_SEED_HEX, startDemoServer } from '../../www/serve.mjs';
import { proofDigest, tonWallet } from './ton-fixtures.mjs';

let server;
let config;
let host;
let manifestUrl;

before(async () => {
  server = await startDemoServer({ port: 0, sandbox: { logErrors: false } });
  host = new URL(server.url).host;
  manifestUrl = `${server.url}/tonconnect-manifest.json`;
  config = (await (await fetch(`${server.url}/demo-config.json`)).json()).ton;
});
after(() => server?.close());

const PAYLOADS = ['Q7bYk2VmL0pXr4TnW8cZsA', 'a'.repeat(128), 'héllo TON ✓', '0123456789abcdef0123456789abcdef'];

/** `{ proof, account }` (Snag's tonVerification members, without state_init) of a ConnectEvent. */
function replyOf(event) {
  assert.equal(event.event, 'connect', JSON.stringify(event));
  const addr = event.payload.items.find((i) => i.name === 'ton_addr');
  const { proof } = event.payload.items.find((i) => i.name === 'ton_proof');
  return { proof, account: { address: addr.address, chain: addr.network, publicKey: addr.publicKey, walletStateInit: addr.walletStateInit } };
}

/** @ton/crypto's verdict on a reply: the state init's key (after seqno and subwallet id) over ton-fixtures' digest. */
function tonLibrariesAccept({ proof, account }) {
  try {
    const init = loadStateInit(Cell.fromBase64(account.walletStateInit).beginParse());
    const address = Address.parse(account.address);
    if (!contractAddress(address.workChain, init).equals(address)) return false;
    const data = init.data.beginParse();
    data.skip(64);
    const key = data.loadBuffer(32);
    if (key.toString('hex') !== account.publicKey) return false;
    return signVerify(proofDigest(address, proof.domain.value, proof.timestamp, proof.payload), Buffer.from(proof.signature, 'base64'), key);
  } catch {
    return false;
  }
}

const ours = (reply, payload, domain = host) => {
  try {
    return verifyTonProof({ proof: reply.proof, account: reply.account, domain, payload });
  } catch (e) {
    assert.equal(e.name, 'WalletLinkerError', e.stack);
    return e.code;
  }
};

const sandboxCheck = (reply) =>
  checkTonProof({ walletAddress: reply.account.address, tonVerification: reply, nowMs: Date.now(), maxAgeSeconds: 900, skewSeconds: 60 });

const connect = (wallet, payload, items = [{ name: 'ton_addr' }, { name: 'ton_proof', payload }], version = 2, url = manifestUrl) =>
  wallet.tonconnect.connect(version, { manifestUrl: url, items });

test('/demo-config.json serves the wallet v4r2 of the fixed seed, as @ton/ton derives it; the manifest names the server', async () => {
  const expected = tonWallet('v4r2', keyPairFromSeed(Buffer.from(DEMO_TON_SEED_HEX, 'hex')));
  assert.deepEqual(config, {
    address: expected.address.toRawString(),
    publicKey: expected.keys.publicKey.toString('hex'),
    walletStateInit: expected.stateInit,
    secretSeed: DEMO_TON_SEED_HEX,
  });
  assert.match(config.address, /^0:[0-9a-f]{64}$/);
  assert.deepEqual(await (await fetch(manifestUrl)).json(), { url: server.url, name: 'wallet-linker demo', iconUrl: `${server.url}/tonconnect-icon.svg` });
  const icon = await fetch(`${server.url}/tonconnect-icon.svg`);
  assert.deepEqual([icon.status, icon.headers.get('content-type')], [200, 'image/svg+xml']);
});

test('its proofs verify with @ton/crypto, equal @ton/crypto signatures, and pass verifyTonProof and the sandbox, for several payloads and keys', async () => {
  const random = () => {
    const w = tonWallet('v4r2');
    return { wallet: w, options: { address: w.address.toRawString(), publicKey: w.keys.publicKey.toString('hex'), walletStateInit: w.stateInit, secretSeed: Buffer.from(w.keys.secretKey.subarray(0, 32)).toString('hex') } };
  };
  const fixed = { wallet: tonWallet('v4r2', keyPairFromSeed(Buffer.from(DEMO_TON_SEED_HEX, 'hex'))), options: config };
  let checked = 0;
  for (const { wallet: expected, options } of [fixed, random(), random()]) {
    const wallet = new DemoTonWallet({ ...options, domain: host });
    for (const payload of PAYLOADS) {
      const event = await connect(wallet, payload);
      assert.deepEqual(event.payload.items.map((i) => i.name), ['ton_addr', 'ton_proof']);
      assert.equal(event.payload.device.maxProtocolVersion, 2);
      const reply = replyOf(event);
      assert.deepEqual(reply.account, { address: options.address, chain: '-239', publicKey: options.publicKey, walletStateInit: options.walletStateInit });
      const { proof } = reply;
      assert.deepEqual([proof.payload, proof.domain.value, proof.domain.lengthBytes], [payload, host, Buffer.byteLength(host)]);
      assert.ok(Math.abs(proof.timestamp - Date.now() / 1000) < 5, 'signed now');
      // The wallet's hand-built digest is ton-fixtures' (Buffer operations, @ton/core's address).
      const digest = proofDigest(expected.address, host, proof.timestamp, payload);
      assert.deepEqual(Buffer.from(tonProofDigest(tonProofMessage(options.address, host, proof.timestamp, payload))), digest);
      assert.equal(proof.signature, sign(digest, expected.keys.secretKey).toString('base64'), "@ton/crypto's own signature");
      assert.equal(tonLibrariesAccept(reply), true, '@ton/core + @ton/crypto accept');
      const result = ours(reply, payload);
      assert.equal(typeof result, 'object', `verifyTonProof refused: ${result}`);
      assert.deepEqual([result.address, result.wallet, result.publicKey, result.chain, result.timestamp], [options.address, 'v4r2', options.publicKey, '-239', proof.timestamp]);
      assert.notEqual(typeof ours(reply, `${payload}x`), 'object', 'another payload is refused');
      assert.notEqual(typeof ours(reply, payload, 'evil.example'), 'object', 'another domain is refused');
      const snag = await sandboxCheck(reply);
      assert.deepEqual([snag.valid, snag.wallet, snag.address, snag.publicKey], [true, 'v4r2', options.address, options.publicKey], snag.error);
      checked++;
    }
  }
  assert.equal(checked, 3 * PAYLOADS.length);
});

test('through WalletAdapter.fromTonConnect: tonProof gives the address and a tonVerification that verifyTonProof accepts', async () => {
  const wallet = new DemoTonWallet({ ...config, domain: host });
  const adapter = WalletAdapter.fromTonConnect(wallet.tonconnect);
  assert.deepEqual([adapter.chain, adapter.name, adapter.icon.startsWith('data:image/svg+xml;base64,')], ['TON', 'Demo TON wallet (test only)', true]);
  const payload = 'nonce-from-the-backend';
  const { address, tonVerification } = await adapter.tonProof({ payload, manifestUrl });
  assert.equal(address, config.address);
  assert.deepEqual(wallet.lastRequest, { manifestUrl, items: [{ name: 'ton_addr' }, { name: 'ton_proof', payload }] });
  assert.equal(tonVerification.proof.state_init, config.walletStateInit, 'state_init filled from the account');
  assert.equal(verifyTonProof({ ...tonVerification, domain: host, payload }).address, config.address);
  assert.equal(tonLibrariesAccept(tonVerification), true);
  assert.equal((await sandboxCheck(tonVerification)).valid, true);
  await assert.rejects(adapter.connect(), { code: 'INVALID_ARGUMENT' });
  await assert.rejects(adapter.signMessage('hi'), { code: 'INVALID_ARGUMENT' });
  wallet.behaviour = 'reject';
  await assert.rejects(adapter.tonProof({ payload, manifestUrl }), { code: 'USER_REJECTED' });
});

test('"tamper": the reported payload is not the signed one; @ton/crypto, verifyTonProof and the sandbox refuse it', async () => {
  const wallet = new DemoTonWallet({ ...config, domain: host });
  wallet.behaviour = 'tamper';
  for (const payload of PAYLOADS) {
    const reply = replyOf(await connect(wallet, payload));
    assert.equal(reply.proof.payload, payload);
    assert.equal(tonLibrariesAccept(reply), false);
    assert.equal(ours(reply, payload), 'SIGNATURE_MISMATCH');
    const snag = await sandboxCheck(reply);
    assert.equal(snag.valid, false);
    assert.match(snag.error, /signature/);
  }
});

test('TON Connect answers: reject is connect_error 300; bad version 1, missing manifest 2; ton_addr alone; restoreConnection; send unsupported', async () => {
  const wallet = new DemoTonWallet({ ...config, domain: host });
  const codeOf = (event) => [event.event, event.payload.code];
  assert.deepEqual(codeOf(await wallet.tonconnect.restoreConnection()), ['connect_error', 0]);
  assert.deepEqual(codeOf(await connect(wallet, 'p', undefined, 1)), ['connect_error', 1]);
  assert.deepEqual(codeOf(await connect(wallet, 'p', undefined, 2, `${server.url}/no-such-manifest.json`)), ['connect_error', 2]);
  const plain = await connect(wallet, 'p', [{ name: 'ton_addr' }]);
  assert.deepEqual(plain.payload.items.map((i) => i.name), ['ton_addr']);
  assert.deepEqual((await wallet.tonconnect.restoreConnection()).payload.items[0].address, config.address);
  assert.equal((await wallet.tonconnect.send({ method: 'sendTransaction', params: [], id: '7' })).error.code, 400);
  wallet.behaviour = 'reject';
  const declined = await connect(wallet, 'p');
  assert.deepEqual(codeOf(declined), ['connect_error', 300]);
  assert.deepEqual(wallet.calls, ['restoreConnection', 'connect', 'connect', 'connect', 'restoreConnection', 'send', 'connect']);
  assert.throws(() => new DemoTonWallet({ ...config, publicKey: '00'.repeat(32) }), /publicKey is not the key/);
  assert.throws(() => new DemoTonWallet({ ...config, address: 'EQ-not-raw' }), /not a raw TON address/);
  const target = {};
  const installed = new DemoTonWallet(config).install(target);
  assert.equal(target.demoTonWallet, installed);
  assert.equal(typeof target.demoTonWallet.tonconnect.connect, 'function');
});
