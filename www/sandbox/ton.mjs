// TON Connect `ton_proof` checks of the Snag stand-in, independent of the package under test:
// @ton/core reads the state init (Cell.fromBase64, loadStateInit), derives its address
// (contractAddress) and parses the addresses given (Address.parse); @ton/crypto hashes (sha256)
// and checks the Ed25519 signature (signVerify); the wallet codes are those of @ton/ton's
// WalletContractV3R2, WalletContractV4 (v4r2) and WalletContractV5R1.
//
// The signed bytes, per the TON Connect specification:
//   message = "ton-proof-item-v2/" ‖ workchain (int32 BE) ‖ address hash (32) ‖
//             domain length (uint32 LE) ‖ domain ‖ timestamp (uint64 LE, seconds) ‖ payload
//   signature = Ed25519(sha256(0xffff ‖ "ton-connect" ‖ sha256(message)))
// The key is the one in the wallet's state init data (after 64 bits for v3r2/v4r2: seqno,
// subwallet id; after 65 bits for v5r1: the signature-allowed flag, seqno, wallet id), the wallet
// being identified by its code (a library cell naming the code's hash counts as that code), and
// the state init must hash to the account's address, which must be `walletAddress` (addresses are
// compared parsed, so the raw and user-friendly forms of one address are the same wallet).
//
// Snag's stand-in does not know the site's domain or the nonce the site issued: it checks that
// `domain.lengthBytes` is the domain's UTF-8 length and that the signature covers the domain and
// payload given, and records both.
//
// Loaded on the first TON request only (@ton/ton takes ~0.2 s to import).

import { Address, Cell, CellType, contractAddress, loadStateInit } from '@ton/core';
import { sha256, signVerify } from '@ton/crypto';
import { WalletContractV3R2, WalletContractV4, WalletContractV5R1 } from '@ton/ton';

export const TON_VERIFIER = '@ton/core + @ton/crypto';

// Bounds before any decoding.
const MAX_STATE_INIT_CHARS = 16 * 1024;
const MAX_ADDRESS_CHARS = 100;
const MAX_SIGNATURE_CHARS = 100;

const ZERO_KEY = Buffer.alloc(32);
const WALLETS = [
  { version: 'v3r2', code: WalletContractV3R2.create({ workchain: 0, publicKey: ZERO_KEY }).init.code, keyOffsetBits: 64 },
  { version: 'v4r2', code: WalletContractV4.create({ workchain: 0, publicKey: ZERO_KEY }).init.code, keyOffsetBits: 64 },
  { version: 'v5r1', code: WalletContractV5R1.create({ publicKey: ZERO_KEY }).init.code, keyOffsetBits: 65 },
].map((w) => ({ ...w, codeHash: w.code.hash().toString('hex') }));

/** A parsed TON address (raw or user-friendly form), or null. */
export function parseTonAddress(text) {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_ADDRESS_CHARS) return null;
  try {
    return Address.parse(text);
  } catch {
    return null;
  }
}

/** The raw form `workchain:hex` of a TON address, or null when `text` is not one. */
export function normalizeTonAddress(text) {
  return parseTonAddress(text)?.toRawString() ?? null;
}

/** The hash of the code a state init runs: its code cell's, or the one a library cell names. */
function codeHash(code) {
  if (code.type === CellType.Library) {
    const slice = code.beginParse(true);
    slice.skip(8);
    return slice.loadBuffer(32).toString('hex');
  }
  return code.hash().toString('hex');
}

/** The message of the TON Connect specification (`address`: a @ton/core Address); the test
 * fixtures sign it too. */
export function tonProofMessage(address, domain, timestamp, payload) {
  const workchain = Buffer.alloc(4);
  workchain.writeInt32BE(address.workChain);
  const domainBytes = Buffer.from(domain, 'utf8');
  const domainLength = Buffer.alloc(4);
  domainLength.writeUInt32LE(domainBytes.length);
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE(BigInt(timestamp));
  return Buffer.concat([Buffer.from('ton-proof-item-v2/'), workchain, address.hash, domainLength, domainBytes, time, Buffer.from(payload, 'utf8')]);
}

function readStateInit(text, field) {
  if (text.length > MAX_STATE_INIT_CHARS) throw new TonProofRefusal(`${field} is longer than ${MAX_STATE_INIT_CHARS} characters`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new TonProofRefusal(`${field} is not base64`);
  try {
    const cell = Cell.fromBase64(text);
    const init = loadStateInit(cell.beginParse());
    if (!init.code || !init.data) throw new Error('no code or no data');
    return { cell, init };
  } catch (e) {
    throw new TonProofRefusal(`${field} is not a state init (${e.message})`);
  }
}

class TonProofRefusal extends Error {}

/**
 * Checks Snag's `verificationData.tonVerification` ({ proof, account }, already validated against
 * Snag's model) for `walletAddress`. `nowMs` is the sandbox's clock; the proof's timestamp must be
 * at most `maxAgeSeconds` old and at most `skewSeconds` ahead. Resolves to
 * { valid, error? (the reason of a refusal), wallet ('v3r2' | 'v4r2' | 'v5r1' | null),
 *   address (the account's raw form, or null), publicKey (the state init's key, hex, or null) }.
 */
export async function checkTonProof({ walletAddress, tonVerification, nowMs, maxAgeSeconds, skewSeconds }) {
  const result = { valid: false, wallet: null, address: null, publicKey: null };
  try {
    const { proof, account } = tonVerification;
    const { domain, payload, signature, timestamp } = proof;
    if (domain.lengthBytes !== Buffer.byteLength(domain.value, 'utf8')) {
      throw new TonProofRefusal('proof.domain.lengthBytes is not the UTF-8 length of proof.domain.value');
    }
    if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TonProofRefusal('proof.timestamp is not a whole number of seconds');
    const nowSeconds = nowMs / 1000;
    if (nowSeconds - timestamp > maxAgeSeconds) throw new TonProofRefusal(`the proof is older than ${maxAgeSeconds} seconds`);
    if (timestamp - nowSeconds > skewSeconds) throw new TonProofRefusal('the proof is dated in the future');

    const address = parseTonAddress(account.address);
    if (!address) throw new TonProofRefusal('account.address is not a TON address');
    result.address = address.toRawString();
    const claimed = parseTonAddress(walletAddress);
    if (!claimed) throw new TonProofRefusal('walletAddress is not a TON address');
    if (!claimed.equals(address)) throw new TonProofRefusal('walletAddress is not the address of the proof\'s account');

    const given = [
      ['account.walletStateInit', account.walletStateInit],
      ['proof.state_init', proof.state_init],
    ].filter(([, text]) => typeof text === 'string' && text !== '');
    if (given.length === 0) throw new TonProofRefusal('account.walletStateInit (or proof.state_init) is required: the key is read from it');
    const read = given.map(([field, text]) => ({ field, ...readStateInit(text, field) }));
    if (read.length === 2 && !read[0].cell.equals(read[1].cell)) {
      throw new TonProofRefusal('proof.state_init and account.walletStateInit are different state inits');
    }
    const { field, init } = read[0];
    if (!contractAddress(address.workChain, init).equals(address)) {
      throw new TonProofRefusal(`${field} is not the state init of account.address`);
    }
    const hash = codeHash(init.code);
    const wallet = WALLETS.find((w) => w.codeHash === hash);
    if (!wallet) throw new TonProofRefusal(`${field} runs code ${hash}, not a wallet v3r2, v4r2 or v5r1`);
    result.wallet = wallet.version;
    let key;
    try {
      const data = init.data.beginParse();
      data.skip(wallet.keyOffsetBits);
      key = data.loadBuffer(32);
    } catch (e) {
      throw new TonProofRefusal(`${field} holds no ${wallet.version} wallet data (${e.message})`);
    }
    result.publicKey = key.toString('hex');
    if (typeof account.publicKey !== 'string' || account.publicKey.toLowerCase() !== result.publicKey) {
      throw new TonProofRefusal(`account.publicKey is not the key of the ${wallet.version} wallet`);
    }

    if (signature.length > MAX_SIGNATURE_CHARS || !/^[A-Za-z0-9+/]*={0,2}$/.test(signature)) {
      throw new TonProofRefusal('proof.signature is not base64');
    }
    const signatureBytes = Buffer.from(signature, 'base64');
    if (signatureBytes.length !== 64) throw new TonProofRefusal('proof.signature is not 64 bytes');
    const message = tonProofMessage(address, domain.value, timestamp, payload);
    const digest = await sha256(Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.from('ton-connect'), await sha256(message)]));
    let verified = false;
    try {
      verified = signVerify(digest, signatureBytes, key);
    } catch {
      verified = false;
    }
    if (!verified) throw new TonProofRefusal('the signature is not the wallet key\'s over this address, domain, timestamp and payload');
    result.valid = true;
    return result;
  } catch (e) {
    if (!(e instanceof TonProofRefusal)) throw e;
    result.error = e.message;
    return result;
  }
}
