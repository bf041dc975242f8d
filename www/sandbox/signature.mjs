// Server-side signature checks, independent of the Rust package under test:
//   EVM:    viem `verifyMessage` (EIP-191 personal_sign over the message text; EOAs only, offline),
//           or, given an RPC (createEvmRpcVerifier), viem's `publicClient.verifyMessage` against
//           that chain: EOAs, EIP-1271 contract accounts and EIP-6492 accounts not deployed yet
//           (viem's own deployless ERC-6492 validator in one eth_call).
//   Solana: tweetnacl `sign.detached.verify` (ed25519) over the UTF-8 message bytes.
//           publicWalletAddress is the base58 public key (32 bytes). signedMessage may be base58
//           (what Solana wallets usually hand back, and Dynamic's SDK sends) or base64 (standard
//           alphabet, padded or not); a 64-byte decoding in either form is tried.
//   Sui:    @mysten/sui `verifyPersonalMessageSignature` over the UTF-8 message bytes (a personal
//           message: intent 3,0,0, BCS length, blake2b-256). The signature is Sui's serialized form,
//           base64 of flag ‖ signature ‖ public key; the key schemes Ed25519 (flag 0), secp256k1 (1)
//           and secp256r1 (2) are checked, offline. Other flags (multisig, zkLogin, passkey) are
//           refused: zkLogin needs a Sui node, and the sandbox plays a wallet link, not those.
//           The address is 0x + 64 hex digits (any case; compared in lower case).

import { verifyPersonalMessageSignature } from '@mysten/sui/verify';
import bs58 from 'bs58';
import nacl from 'tweetnacl';
import { createPublicClient, getAddress, http, isAddress, verifyMessage } from 'viem';

// Bounds before any decoding (base58 decoding is quadratic in the input length).
const MAX_BASE58_KEY = 44;
const MAX_SIGNATURE_TEXT = 200;
// A contract account's signature has no fixed length (a Safe's grows with its owners, an EIP-6492
// wrapper carries the factory call); this bounds what one request can make the sandbox send.
const MAX_CONTRACT_SIGNATURE_BYTES = 32 * 1024;

/** Checksummed EVM address, or null when `text` is not a 20-byte hex address. */
export function normalizeEvmAddress(text) {
  if (typeof text !== 'string' || !isAddress(text, { strict: false })) return null;
  return getAddress(text);
}

/** The lower-case `0x` + 64 hex form of a Sui address, or null when `text` is not one. */
export function normalizeSuiAddress(text) {
  if (typeof text !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(text)) return null;
  return text.toLowerCase();
}

/** The 32 key bytes of a base58 Solana address, or null. */
export function decodeSolanaAddress(text) {
  if (typeof text !== 'string' || text.length < 32 || text.length > MAX_BASE58_KEY) return null;
  try {
    const bytes = bs58.decode(text);
    return bytes.length === 32 ? bytes : null;
  } catch {
    return null;
  }
}

export async function verifyEvmSignature({ address, message, signature }) {
  if (typeof signature !== 'string' || !/^0x(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{130})$/.test(signature)) return false;
  try {
    return await verifyMessage({ address, message, signature });
  } catch {
    return false;
  }
}

/** The RPC behind a contract-account check could not answer (the sandbox answers 503). */
export class EvmRpcUnavailable extends Error {
  constructor(cause) {
    super(`the EVM RPC could not answer: ${String(cause?.shortMessage ?? cause?.message ?? cause).split('\n')[0]}`);
    this.name = 'EvmRpcUnavailable';
    this.cause = cause;
  }
}

/**
 * Checks EVM signatures on the chain behind `url` with viem: `chainId()` (eth_chainId, asked once
 * and kept) and `verify({ address, message, signature })`, viem `publicClient.verifyMessage`:
 * true or false by the chain's verdict, EvmRpcUnavailable when the RPC does not answer.
 */
export function createEvmRpcVerifier(url, { timeoutMs = 5000 } = {}) {
  // viem turns a failed eth_call into "not valid" (it cannot tell an unreachable RPC from a
  // reverting validator), so the transport counts its own failures: a verdict reached while the
  // RPC failed is not the chain's, and becomes EvmRpcUnavailable.
  let transportFailures = 0;
  const fetchFn = async (...args) => {
    try {
      const response = await fetch(...args);
      if (!response.ok) transportFailures += 1;
      return response;
    } catch (e) {
      transportFailures += 1;
      throw e;
    }
  };
  const client = createPublicClient({ transport: http(url, { retryCount: 0, timeout: timeoutMs, fetchFn }) });
  let chainId;
  return {
    url,
    client,
    async chainId() {
      chainId ??= client.getChainId().catch((e) => {
        chainId = undefined;
        throw new EvmRpcUnavailable(e);
      });
      return chainId;
    },
    async verify({ address, message, signature }) {
      if (typeof signature !== 'string' || !/^0x(?:[0-9a-fA-F]{2})+$/.test(signature)) return false;
      if (signature.length > 2 + 2 * MAX_CONTRACT_SIGNATURE_BYTES) return false;
      const failuresBefore = transportFailures;
      let valid;
      try {
        // viem answers false when its validator reverts or says no.
        valid = await client.verifyMessage({ address, message, signature });
      } catch (e) {
        throw new EvmRpcUnavailable(e);
      }
      if (!valid && transportFailures > failuresBefore) throw new EvmRpcUnavailable('the request to the RPC failed');
      return valid;
    },
  };
}

/** The 64-byte candidates a Solana signature string can decode to (base58, base64). */
export function solanaSignatureCandidates(text) {
  const candidates = [];
  if (typeof text !== 'string' || text.length > MAX_SIGNATURE_TEXT) return candidates;
  if (/^[1-9A-HJ-NP-Za-km-z]+$/.test(text)) {
    try {
      const bytes = bs58.decode(text);
      if (bytes.length === 64) candidates.push(Uint8Array.from(bytes));
    } catch {
      // not base58
    }
  }
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    if (bytes.length === 64) candidates.push(new Uint8Array(bytes));
  }
  return candidates;
}

export function verifySolanaSignature({ address, message, signature }) {
  const publicKey = decodeSolanaAddress(address);
  if (!publicKey) return false;
  const messageBytes = new TextEncoder().encode(message);
  return solanaSignatureCandidates(signature).some((sig) =>
    nacl.sign.detached.verify(messageBytes, sig, Uint8Array.from(publicKey)),
  );
}

// Sui's serialized signature: flag ‖ 64-byte signature ‖ public key (32 bytes for Ed25519, 33 for
// the compressed secp256k1 / secp256r1 keys).
const SUI_SCHEMES = { 0: { name: 'ed25519', keyBytes: 32 }, 1: { name: 'secp256k1', keyBytes: 33 }, 2: { name: 'secp256r1', keyBytes: 33 } };

/** The key scheme of a Sui serialized signature ('ed25519', 'secp256k1', 'secp256r1'), or null. */
export function suiSignatureScheme(signature) {
  if (typeof signature !== 'string' || signature.length > MAX_SIGNATURE_TEXT || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return null;
  const bytes = Buffer.from(signature, 'base64');
  const scheme = SUI_SCHEMES[bytes[0]];
  return scheme && bytes.length === 1 + 64 + scheme.keyBytes ? scheme.name : null;
}

/**
 * Whether `signature` (Sui's serialized form) signs `message` (text, as its UTF-8 bytes) as a Sui
 * personal message by the key of `address`: @mysten/sui's verifyPersonalMessageSignature, which
 * throws for "not valid". Key schemes other than Ed25519, secp256k1 and secp256r1 are false.
 */
export async function verifySuiSignature({ address, message, signature }) {
  const normalized = normalizeSuiAddress(address);
  if (!normalized || typeof message !== 'string' || !suiSignatureScheme(signature)) return false;
  try {
    await verifyPersonalMessageSignature(new TextEncoder().encode(message), signature, { address: normalized });
    return true;
  } catch {
    return false;
  }
}
