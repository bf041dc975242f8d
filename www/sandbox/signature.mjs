// Server-side signature checks, independent of the Rust package under test:
//   EVM:    viem `verifyMessage` (EIP-191 personal_sign over the message text; EOAs only, offline).
//   Solana: tweetnacl `sign.detached.verify` (ed25519) over the UTF-8 message bytes.
//           publicWalletAddress is the base58 public key (32 bytes). signedMessage may be base58
//           (what Solana wallets usually hand back, and Dynamic's SDK sends) or base64 (standard
//           alphabet, padded or not); a 64-byte decoding in either form is tried.

import bs58 from 'bs58';
import nacl from 'tweetnacl';
import { getAddress, isAddress, verifyMessage } from 'viem';

// Bounds before any decoding (base58 decoding is quadratic in the input length).
const MAX_BASE58_KEY = 44;
const MAX_SIGNATURE_TEXT = 200;

/** Checksummed EVM address, or null when `text` is not a 20-byte hex address. */
export function normalizeEvmAddress(text) {
  if (typeof text !== 'string' || !isAddress(text, { strict: false })) return null;
  return getAddress(text);
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
