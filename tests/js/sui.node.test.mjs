// verifySuiPersonalMessage against @mysten/sui: keys of each scheme sign random messages (random
// lengths, so one- and two-byte ULEB128 length prefixes), and for the signature as made and with
// flipped bits (flag, signature, key) our verdict equals @mysten/sui's verifyPersonalMessageSignature.
// The schemes we do not verify are coded errors, never `false`.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { Secp256k1Keypair } from '@mysten/sui/keypairs/secp256k1';
import { Secp256r1Keypair } from '@mysten/sui/keypairs/secp256r1';
import { verifyPersonalMessageSignature } from '@mysten/sui/verify';
import { verifySuiPersonalMessage } from 'wallet-linker';

const SCHEMES = { ed25519: Ed25519Keypair, secp256k1: Secp256k1Keypair, secp256r1: Secp256r1Keypair };
const fromB64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
const toB64 = (b) => Buffer.from(b).toString('base64');

/** @mysten/sui's verdict: true, or false when it throws (it throws for "not valid"). */
async function mysten(message, signature, address) {
  try {
    await verifyPersonalMessageSignature(message, signature, { address });
    return true;
  } catch {
    return false;
  }
}

/** Ours: true / false, or the error code. */
function ours(message, signature, address) {
  try {
    return verifySuiPersonalMessage(message, signature, address);
  } catch (e) {
    assert.equal(e.name, 'WalletLinkerError');
    return e.code;
  }
}

let compared = 0;
for (const [scheme, Keypair] of Object.entries(SCHEMES)) {
  test(`${scheme}: random messages, and flipped bits, agree with @mysten/sui`, async () => {
    for (let i = 0; i < 6; i++) {
      const keypair = Keypair.generate();
      const address = keypair.getPublicKey().toSuiAddress();
      const message = randomBytes(1 + Math.floor(Math.random() * 300));
      const { signature } = await keypair.signPersonalMessage(message);
      assert.equal(ours(message, signature, address), true);
      assert.equal(await mysten(message, signature, address), true);
      compared++;
      // Text is signed as its UTF-8 bytes.
      const text = `Link ${i} ✓`;
      const signed = await keypair.signPersonalMessage(new TextEncoder().encode(text));
      assert.equal(ours(text, signed.signature, address), true);
      // 24 random bits of flag, signature and key.
      const bytes = fromB64(signature);
      for (let k = 0; k < 24; k++) {
        const bit = Math.floor(Math.random() * bytes.length * 8);
        const flipped = bytes.slice();
        flipped[bit >> 3] ^= 1 << (bit & 7);
        const theirs = await mysten(message, toB64(flipped), address);
        const mine = ours(message, toB64(flipped), address);
        // A malformed result (an error code) is a refusal too; it must never be `true` where they say no.
        assert.equal(mine === true, theirs, `bit ${bit}: ours ${mine}, @mysten/sui ${theirs}`);
        compared++;
      }
      // Another message, another address.
      assert.equal(ours(Buffer.concat([message, Buffer.from([0])]), signature, address), false);
      const other = Keypair.generate().getPublicKey().toSuiAddress();
      assert.equal(ours(message, signature, other), false);
      assert.equal(await mysten(message, signature, other), false);
    }
  });
}

test('multisig, zkLogin and passkey flags are UNSUPPORTED_SIGNATURE_SCHEME', async () => {
  const keypair = Ed25519Keypair.generate();
  const { signature } = await keypair.signPersonalMessage(new Uint8Array([1, 2, 3]));
  for (const flag of [3, 5, 6]) {
    const bytes = fromB64(signature);
    bytes[0] = flag;
    assert.equal(ours(new Uint8Array([1, 2, 3]), toB64(bytes), keypair.getPublicKey().toSuiAddress()), 'UNSUPPORTED_SIGNATURE_SCHEME');
  }
});

test('bad arguments are coded errors', () => {
  const address = `0x${'ab'.repeat(32)}`;
  assert.equal(ours('m', 'not base64!', address), 'INVALID_BASE64');
  assert.equal(ours('m', 'AA==', address), 'INVALID_SIGNATURE_LENGTH');
  assert.equal(ours('m', 'AA==', '0x12'), 'INVALID_ADDRESS');
  assert.equal(ours('m', 42, address), 'INVALID_ARGUMENT');
  console.log(`sui: ${compared} verdicts compared with @mysten/sui`);
});
