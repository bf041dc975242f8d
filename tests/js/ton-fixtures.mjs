// TON fixtures shared by the TON tests: wallets of each supported version made by @ton/ton's
// classes from random @ton/crypto keys, their state inits serialized by @ton/core, and TON Connect
// proofs signed with @ton/crypto over the specification's message.
import { createHash, randomBytes } from 'node:crypto';

import { beginCell, storeStateInit } from '@ton/core';
import { keyPairFromSeed, sign } from '@ton/crypto';
import { WalletContractV3R1, WalletContractV3R2, WalletContractV4, WalletContractV5R1 } from '@ton/ton';

import { tonProofMessage } from '../../www/sandbox/ton.mjs';

// The specification's message as the sandbox builds it (Buffer operations, independent of the
// package under test).
export { tonProofMessage };

export const sha256 = (bytes) => createHash('sha256').update(bytes).digest();

/** The default domain of the proofs made here. */
export const TON_DOMAIN = 'app.example.com';

/** The supported wallet versions, each a maker of the @ton/ton contract for a public key. */
export const VERSIONS = {
  v3r2: (publicKey) => WalletContractV3R2.create({ workchain: 0, publicKey }),
  v4r2: (publicKey) => WalletContractV4.create({ workchain: 0, publicKey }),
  v5r1: (publicKey) => WalletContractV5R1.create({ publicKey }),
};

/** Wallets of versions the verifiers must refuse (their code is no supported wallet's). */
export const UNSUPPORTED_VERSIONS = {
  v3r1: (publicKey) => WalletContractV3R1.create({ workchain: 0, publicKey }),
};

/** A state init (`{ code, data }`) as TON Connect sends it: base64 of its bag of cells. */
export const stateInitBase64 = (init) => beginCell().store(storeStateInit(init)).endCell().toBoc().toString('base64');

/** What the wallet's key signs: sha256(0xffff ‖ "ton-connect" ‖ sha256(message)). */
export function proofDigest(address, domain, timestamp, payload) {
  const message = tonProofMessage(address, domain, timestamp, payload);
  return sha256(Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.from('ton-connect'), sha256(message)]));
}

/**
 * A wallet of `version` (a key of VERSIONS or UNSUPPORTED_VERSIONS) with a random key, or `keys`:
 * `{ version, keys, contract (the @ton/ton wallet), address (@ton/core Address), stateInit (base64) }`.
 */
export function tonWallet(version, keys = keyPairFromSeed(randomBytes(32))) {
  const make = VERSIONS[version] ?? UNSUPPORTED_VERSIONS[version];
  if (!make) throw new TypeError(`no wallet version ${version}`);
  const contract = make(keys.publicKey);
  return { version, keys, contract, address: contract.address, stateInit: stateInitBase64(contract.init) };
}

/**
 * A wallet of `version` and its proof for `payload`: `{ proof, account, wallet }` (Snag's
 * tonVerification members, and the @ton/ton contract). Options: `domain` (default TON_DOMAIN),
 * `timestamp` (seconds, default now), `wallet` (one of tonWallet's, default a new one of `version`).
 */
export function makeProof(version, payload = randomBytes(16).toString('hex'), { domain = TON_DOMAIN, timestamp = Math.floor(Date.now() / 1000), wallet = tonWallet(version) } = {}) {
  const signature = sign(proofDigest(wallet.address, domain, timestamp, payload), wallet.keys.secretKey).toString('base64');
  return {
    proof: { timestamp, domain: { lengthBytes: Buffer.byteLength(domain), value: domain }, payload, signature },
    account: { address: wallet.address.toRawString(), chain: '-239', publicKey: wallet.keys.publicKey.toString('hex'), walletStateInit: wallet.stateInit },
    wallet: wallet.contract,
  };
}
