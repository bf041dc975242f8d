// verifyTonProof against the TON libraries: wallets of each supported version made by @ton/ton's
// classes from random @ton/crypto keys, their state inits serialized by @ton/core, TON Connect
// proofs signed with @ton/crypto over the specification's message (built here with Buffer
// operations), and the same verification written here with those libraries. For the proofs as
// made and with flipped bytes (signature, state init, domain, payload, timestamp), our verdict
// equals theirs; unsupported wallets and wrong options are coded errors.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { beginCell, Cell, contractAddress, loadStateInit, storeStateInit } from '@ton/core';
import { keyPairFromSeed, signVerify } from '@ton/crypto';
import { WalletContractV3R1 } from '@ton/ton';
import { verifyTonProof } from 'wallet-linker';

import { makeProof as makeTonProof, proofDigest, VERSIONS } from './ton-fixtures.mjs';

const DOMAIN = 'app.example.com';
const NOW = 1_767_225_600;

/** A wallet of `version` with a random key, and a proof for `payload` (ton-fixtures.mjs), at NOW. */
const makeProof = (version, payload) => makeTonProof(version, payload, { domain: DOMAIN, timestamp: NOW });

/** The same verification with @ton/core and @ton/crypto: the state init's address and data key, then the signature. */
function theirs({ proof, account }, payload) {
  try {
    const init = loadStateInit(Cell.fromBase64(account.walletStateInit).beginParse());
    const address = contractAddress(0, init);
    if (address.toRawString() !== account.address) return false;
    const data = init.data.beginParse();
    const version = Object.entries(VERSIONS).find(([, make]) => make(Buffer.alloc(32)).init.code.equals(init.code))?.[0];
    if (version === 'v5r1') data.skip(1 + 32 + 32); else data.skip(32 + 32);
    const key = data.loadBuffer(32);
    if (key.toString('hex') !== account.publicKey) return false;
    if (proof.domain.value !== DOMAIN || proof.domain.lengthBytes !== Buffer.byteLength(proof.domain.value)) return false;
    if (proof.payload !== payload || Number(proof.timestamp) !== NOW) return false;
    return signVerify(proofDigest(address, proof.domain.value, proof.timestamp, proof.payload), Buffer.from(proof.signature, 'base64'), key);
  } catch {
    return false;
  }
}

function ours(reply, payload) {
  try {
    return verifyTonProof({ proof: reply.proof, account: reply.account, domain: DOMAIN, payload, now: NOW * 1000 });
  } catch (e) {
    assert.equal(e.name, 'WalletLinkerError', e.stack);
    return e.code;
  }
}

const flipBase64 = (text, index) => {
  const bytes = Buffer.from(text, 'base64');
  bytes[index % bytes.length] ^= 1 << (index % 8);
  return bytes.toString('base64');
};

let compared = 0;
for (const version of Object.keys(VERSIONS)) {
  test(`${version}: random wallets' proofs verify, and flipped bytes are refused, as @ton/core + @ton/crypto say`, () => {
    for (let i = 0; i < 8; i++) {
      const payload = randomBytes(12).toString('hex');
      const reply = makeProof(version, payload);
      const result = ours(reply, payload);
      assert.equal(theirs(reply, payload), true);
      assert.equal(typeof result, 'object', String(result));
      assert.equal(result.address, reply.account.address);
      assert.equal(result.wallet, version);
      assert.equal(result.publicKey, reply.account.publicKey);
      assert.equal(result.friendlyAddress, reply.wallet.address.toString({ bounceable: false, urlSafe: true }));
      compared++;
      // The TON Connect wire format's decimal-text timestamp reads the same.
      assert.equal(typeof ours({ ...reply, proof: { ...reply.proof, timestamp: String(NOW) } }, payload), 'object');
      const edits = [
        (r) => ({ ...r, proof: { ...r.proof, signature: flipBase64(r.proof.signature, Math.floor(Math.random() * 512)) } }),
        (r) => ({ ...r, account: { ...r.account, walletStateInit: flipBase64(r.account.walletStateInit, 24 + Math.floor(Math.random() * 200)) } }),
        (r) => ({ ...r, proof: { ...r.proof, domain: { lengthBytes: Buffer.byteLength(DOMAIN), value: 'app.example.co' + 'n' } } }),
        (r) => ({ ...r, proof: { ...r.proof, payload: `${r.proof.payload}0` } }),
        (r) => ({ ...r, proof: { ...r.proof, timestamp: NOW - 1 } }),
        (r) => ({ ...r, account: { ...r.account, publicKey: makeProof(version).account.publicKey } }),
        (r) => ({ ...r, account: { ...r.account, address: makeProof(version).account.address } }),
      ];
      for (const edit of edits) {
        const edited = edit(reply);
        const mine = ours(edited, payload);
        // A refusal is a coded error; never an object where the libraries say no.
        assert.equal(typeof mine === 'object', theirs(edited, payload), JSON.stringify({ mine, edited: edited.proof }));
        compared++;
      }
    }
  });
}

test('unsupported wallet code, old or future proofs, other options are coded errors', () => {
  const keys = keyPairFromSeed(randomBytes(32));
  const v3r1 = WalletContractV3R1.create({ workchain: 0, publicKey: keys.publicKey });
  const reply = makeProof('v4r2', 'p1');
  const stateInit = beginCell().store(storeStateInit(v3r1.init)).endCell().toBoc().toString('base64');
  const unsupported = { ...reply, account: { ...reply.account, address: v3r1.address.toRawString(), publicKey: keys.publicKey.toString('hex'), walletStateInit: stateInit } };
  assert.equal(ours(unsupported, 'p1'), 'UNSUPPORTED_WALLET');
  const at = (seconds) => { try { verifyTonProof({ ...reply, domain: DOMAIN, payload: 'p1', now: seconds * 1000 }); return 'ok'; } catch (e) { return e.code; } };
  assert.equal(at(NOW), 'ok');
  assert.equal(at(NOW + 301), 'EXPIRED');
  assert.equal(at(NOW - 120), 'ISSUED_IN_FUTURE');
  assert.equal(ours(reply, 'p2'), 'NONCE_MISMATCH');
  assert.throws(() => verifyTonProof({ ...reply, domain: 'other.example', payload: 'p1', now: NOW * 1000 }), (e) => e.code === 'DOMAIN_MISMATCH');
  assert.throws(() => verifyTonProof({ ...reply, domain: DOMAIN, payload: 'p1', now: NOW * 1000, chain: '-3' }), (e) => e.code === 'CHAIN_ID_MISMATCH');
  assert.throws(() => verifyTonProof({ account: reply.account, domain: DOMAIN, payload: 'p1' }), (e) => e.code === 'INVALID_ARGUMENT' && e.field?.startsWith('proof'));
  console.log(`ton: ${compared} verdicts compared with @ton/core + @ton/crypto`);
});
