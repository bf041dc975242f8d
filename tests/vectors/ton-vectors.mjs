// Writes tests/vectors/ton_proof.json: TON wallets (v3r2, v4r2, v5r1) made by @ton/ton's wallet
// classes from fixed @ton/crypto keys — their state inits as @ton/core serializes them, their
// addresses in every form — and TON Connect `ton_proof`s signed by those keys, with the verdict
// each must get, for the native tests (tests/ton.rs). The proof's message is built here with
// Buffer operations from the TON Connect specification, independently of the Rust code.
// Run: node tests/vectors/ton-vectors.mjs
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

import { Address, beginCell, contractAddress, storeStateInit } from '@ton/core';
import { keyPairFromSeed, sign, signVerify } from '@ton/crypto';
import { tonProofMessage } from '../js/ton-fixtures.mjs';
import {
  WalletContractV2R2,
  WalletContractV3R1,
  WalletContractV3R2,
  WalletContractV4,
  WalletContractV5Beta,
  WalletContractV5R1,
} from '@ton/ton';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest();
const keyPair = (byte) => keyPairFromSeed(Buffer.alloc(32, byte));
const v5WalletId = (networkGlobalId, workchain, subwalletNumber) => ({
  networkGlobalId,
  context: { walletVersion: 'v5r1', workchain, subwalletNumber },
});

// The wallets: version, key seed byte, chain, and the arguments of the wallet class.
const walletSpecs = [
  { version: 'v3r2', seed: 0x01, chain: '-239', make: (publicKey) => WalletContractV3R2.create({ workchain: 0, publicKey }) },
  { version: 'v3r2', seed: 0x02, chain: '-239', make: (publicKey) => WalletContractV3R2.create({ workchain: -1, publicKey }) },
  { version: 'v3r2', seed: 0x03, chain: '-3', make: (publicKey) => WalletContractV3R2.create({ workchain: 0, publicKey, walletId: 42 }) },
  { version: 'v4r2', seed: 0x11, chain: '-239', make: (publicKey) => WalletContractV4.create({ workchain: 0, publicKey }) },
  { version: 'v4r2', seed: 0x12, chain: '-239', make: (publicKey) => WalletContractV4.create({ workchain: -1, publicKey }) },
  { version: 'v4r2', seed: 0x13, chain: '-3', make: (publicKey) => WalletContractV4.create({ workchain: 0, publicKey, walletId: 7 }) },
  { version: 'v5r1', seed: 0x21, chain: '-239', make: (publicKey) => WalletContractV5R1.create({ publicKey }) },
  { version: 'v5r1', seed: 0x22, chain: '-3', make: (publicKey) => WalletContractV5R1.create({ publicKey, walletId: v5WalletId(-3, 0, 0) }) },
  { version: 'v5r1', seed: 0x23, chain: '-239', make: (publicKey) => WalletContractV5R1.create({ publicKey, walletId: v5WalletId(-239, -1, 0) }) },
  { version: 'v5r1', seed: 0x24, chain: '-239', make: (publicKey) => WalletContractV5R1.create({ publicKey, walletId: v5WalletId(-239, 0, 1) }) },
  // Deployed with a library reference cell in place of the code, as wallets do to save storage.
  { version: 'v4r2', seed: 0x14, chain: '-239', library: true, make: (publicKey) => WalletContractV4.create({ workchain: 0, publicKey }) },
  { version: 'v5r1', seed: 0x25, chain: '-239', library: true, make: (publicKey) => WalletContractV5R1.create({ publicKey }) },
];

// An exotic library cell: type 2 and the hash of the code it stands for.
const libraryOf = (code) => beginCell().storeUint(2, 8).storeBuffer(code.hash()).endCell({ exotic: true });

// Contracts whose key is not read: their state inits must be refused as UNSUPPORTED_WALLET
// (W5 beta's code is a library reference).
const unsupportedSpecs = [
  { version: 'v2r2', seed: 0x31, make: (publicKey) => WalletContractV2R2.create({ workchain: 0, publicKey }) },
  { version: 'v3r1', seed: 0x32, make: (publicKey) => WalletContractV3R1.create({ workchain: 0, publicKey }) },
  { version: 'v5beta', seed: 0x33, make: (publicKey) => WalletContractV5Beta.create({ publicKey }) },
];

function describeWallet({ version, seed, chain, library = false, make }) {
  const keys = keyPair(seed);
  const contract = make(keys.publicKey);
  const init = library ? { code: libraryOf(contract.init.code), data: contract.init.data } : contract.init;
  const cell = beginCell().store(storeStateInit(init)).endCell();
  const address = contractAddress(contract.address.workChain, init);
  if (!cell.hash().equals(address.hash) || library === contract.address.equals(address)) {
    throw new Error(`${version}: the state init's hash is not the address`);
  }
  // The code's hash; for a library reference, the hash it refers to.
  const code = init.code;
  const codeHash = code.isExotic ? code.beginParse(true).skip(8).loadBuffer(32) : code.hash();
  const friendly = [];
  for (const bounceable of [true, false]) {
    for (const testOnly of [false, true]) {
      for (const urlSafe of [true, false]) {
        const text = address.toString({ bounceable, testOnly, urlSafe });
        const parsed = Address.parseFriendly(text);
        if (!parsed.address.equals(address) || parsed.isBounceable !== bounceable || parsed.isTestOnly !== testOnly) {
          throw new Error(`${version}: ${text} does not parse back`);
        }
        friendly.push({ text, bounceable, testnet: testOnly, urlSafe });
      }
    }
  }
  return {
    version,
    seed: Buffer.alloc(32, seed).toString('hex'),
    chain,
    publicKey: keys.publicKey.toString('hex'),
    codeHash: codeHash.toString('hex'),
    codeIsLibrary: code.isExotic,
    workchain: address.workChain,
    raw: address.toRawString(),
    friendly,
    // As TON Connect wallets send it (@ton/core's default: no index, with CRC32-C), then with an
    // index, then without a CRC.
    stateInit: cell.toBoc({ idx: false, crc32: true }).toString('base64'),
    stateInitIndexed: cell.toBoc({ idx: true, crc32: true }).toString('base64'),
    stateInitNoCrc: cell.toBoc({ idx: false, crc32: false }).toString('base64'),
    secretKey: keys.secretKey,
    address,
  };
}


const signedDigest = (message) =>
  sha256(Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.from('ton-connect', 'utf8'), sha256(message)]));

const wallets = walletSpecs.map(describeWallet);
const unsupported = unsupportedSpecs.map((spec) => describeWallet({ ...spec, chain: '-239' }));

const domains = ['example.com', 'localhost:3000', 'ton-connect.github.io', 'пример.рф'];
const payloads = ['8c2f4e7a91b3d5f0', 'Link this wallet ✓', 'x'.repeat(160), createHash('sha256').update('nonce').digest('hex')];
const baseTimestamp = 1_767_225_600; // 2026-01-01T00:00:00Z
const maxAgeSeconds = 900;

function makeProof(wallet, index, { addressText, stateInit, signer = wallet.secretKey, domain, payload, timestamp }) {
  const message = tonProofMessage(wallet.address, domain, timestamp, payload);
  const digest = signedDigest(message);
  const signature = sign(digest, signer);
  return {
    account: {
      address: addressText,
      chain: wallet.chain,
      publicKey: wallet.publicKey,
      walletStateInit: stateInit,
    },
    proof: {
      timestamp,
      domain: { lengthBytes: Buffer.byteLength(domain, 'utf8'), value: domain },
      payload,
      signature: signature.toString('base64'),
    },
    check: { domain, payload, nowMs: (timestamp + 30 + index) * 1000, maxAgeSeconds },
    message: message.toString('hex'),
    digest: digest.toString('hex'),
  };
}

// Valid proofs: every wallet, every domain and payload, the address in raw form (as TON Connect
// sends it) and in user-friendly forms, each state init encoding.
const valid = [];
wallets.forEach((wallet, w) => {
  domains.forEach((domain, i) => {
    const timestamp = baseTimestamp + w * 1000 + i * 37;
    const addressText = i === 0 ? wallet.raw : wallet.friendly[(i * 3 + w) % wallet.friendly.length].text;
    const stateInit = [wallet.stateInit, wallet.stateInit, wallet.stateInitIndexed, wallet.stateInitNoCrc][i];
    const vector = makeProof(wallet, i, { addressText, stateInit, domain, payload: payloads[i], timestamp });
    if (!signVerify(Buffer.from(vector.digest, 'hex'), Buffer.from(vector.proof.signature, 'base64'), Buffer.from(wallet.publicKey, 'hex'))) {
      throw new Error('a signature made here does not verify');
    }
    valid.push({ name: `${wallet.version} ${wallet.raw} ${domain}`, wallet: wallet.version, expect: 'ok', ...vector });
  });
});

// Proofs that must be refused, each with its code.
const invalid = [];
// The message and digest are kept for the valid proofs only (the refused ones are not signed
// over them, or are refused before).
const refuse = (name, code, { message, digest, ...vector }) => invalid.push({ name, expect: code, ...vector });
wallets.forEach((wallet, w) => {
  const other = wallets[(w + 1) % wallets.length];
  const base = { addressText: wallet.raw, stateInit: wallet.stateInit, domain: 'example.com', payload: 'n0nce-1234', timestamp: baseTimestamp + w * 1000 };
  const tag = `${wallet.version} ${wallet.raw}`;
  refuse(`${tag}: signed by another key`, 'SIGNATURE_MISMATCH', makeProof(wallet, 0, { ...base, signer: other.secretKey }));

  const otherStateInit = makeProof(wallet, 0, base);
  otherStateInit.account.walletStateInit = other.stateInit;
  refuse(`${tag}: another wallet's state init`, 'ADDRESS_MISMATCH', otherStateInit);

  const otherKey = makeProof(wallet, 0, base);
  otherKey.account.publicKey = other.publicKey;
  refuse(`${tag}: the public key of another wallet`, 'ADDRESS_MISMATCH', otherKey);

  const otherDomain = makeProof(wallet, 0, base);
  otherDomain.check.domain = 'evil.example';
  refuse(`${tag}: another domain`, 'DOMAIN_MISMATCH', otherDomain);

  const wrongLength = makeProof(wallet, 0, base);
  wrongLength.proof.domain.lengthBytes += 1;
  refuse(`${tag}: lengthBytes is not the domain's length`, 'DOMAIN_MISMATCH', wrongLength);

  const otherPayload = makeProof(wallet, 0, base);
  otherPayload.check.payload = 'another-nonce';
  refuse(`${tag}: another payload`, 'NONCE_MISMATCH', otherPayload);

  const old = makeProof(wallet, 0, base);
  old.check.nowMs = (base.timestamp + maxAgeSeconds + 1) * 1000;
  refuse(`${tag}: older than maxAgeSeconds`, 'EXPIRED', old);

  const future = makeProof(wallet, 0, base);
  future.check.nowMs = (base.timestamp - 61) * 1000;
  refuse(`${tag}: signed in the future beyond the clock skew`, 'ISSUED_IN_FUTURE', future);

  // A signature over another timestamp than the one the proof states.
  const otherTime = makeProof(wallet, 0, { ...base, timestamp: base.timestamp - 1 });
  otherTime.proof.timestamp = base.timestamp;
  refuse(`${tag}: signed at another time`, 'SIGNATURE_MISMATCH', otherTime);

  // The same state init claimed on the other workchain: the hash matches, the signed address not.
  const otherWorkchain = makeProof(wallet, 0, base);
  otherWorkchain.account.address = `${wallet.address.workChain === 0 ? -1 : 0}:${wallet.address.hash.toString('hex')}`;
  refuse(`${tag}: the address on the other workchain`, 'SIGNATURE_MISMATCH', otherWorkchain);

  // The message hashed without the TON Connect envelope.
  const bare = makeProof(wallet, 0, base);
  bare.proof.signature = sign(sha256(Buffer.from(bare.message, 'hex')), wallet.secretKey).toString('base64');
  refuse(`${tag}: signature over sha256(message) alone`, 'SIGNATURE_MISMATCH', bare);
});
unsupported.forEach((wallet) => {
  const vector = makeProof(wallet, 0, { addressText: wallet.raw, stateInit: wallet.stateInit, domain: 'example.com', payload: 'n0nce-1234', timestamp: baseTimestamp });
  refuse(`${wallet.version} ${wallet.raw}: a contract whose key is not read`, 'UNSUPPORTED_WALLET', vector);
});

const version = (name) =>
  JSON.parse(readFileSync(new URL(`../../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
const counts = {};
for (const w of wallets) {
  counts[w.version] ??= { wallets: 0, valid: 0, invalid: 0 };
  counts[w.version].wallets += 1;
}
for (const v of valid) counts[v.wallet].valid += 1;
for (const v of invalid) {
  const wallet = v.name.split(' ')[0];
  if (counts[wallet]) counts[wallet].invalid += 1;
}
const publicWallet = ({ secretKey, address, ...rest }) => rest;
const output = {
  source: `@ton/core ${version('@ton/core')}, @ton/crypto ${version('@ton/crypto')}, @ton/ton ${version('@ton/ton')}, tests/vectors/ton-vectors.mjs`,
  counts,
  codeHashes: Object.fromEntries(wallets.map((w) => [w.version, w.codeHash])),
  wallets: wallets.map(publicWallet),
  unsupportedWallets: unsupported.map(publicWallet),
  valid,
  invalid,
};
writeFileSync(new URL('./ton_proof.json', import.meta.url), `${JSON.stringify(output, null, 1)}\n`);
console.log(JSON.stringify(counts), `${valid.length} valid, ${invalid.length} invalid`);
