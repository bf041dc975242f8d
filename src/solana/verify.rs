//! Strict ed25519 verification, as Solana's runtime does it.
//!
//! [`verify`] uses `ed25519-dalek`'s `verify_strict`: `S` must be canonical (below the group order
//! `L`), `R` must decode and must not be of small order, and the recomputed `R` must equal the
//! signature's `R` byte for byte (a non-canonical `R` encoding fails). On top of that a public key
//! of small order is refused up front with `INVALID_PUBLIC_KEY`: such a "key" validates
//! signatures on many messages without any secret.
//!
//! Results: `Ok(true)` or `Ok(false)` for a well-formed signature that does or does not verify;
//! errors for malformed input: `INVALID_SIGNATURE_LENGTH` (not 64 bytes), `INVALID_SIGNATURE`
//! (`S` not below `L`), `INVALID_PUBLIC_KEY` (not 32 bytes, not a curve point, small order).

use super::pubkey::{PUBLIC_KEY_LENGTH, base58_error, parse_public_key};
use crate::error::{Error, ErrorCode, Result};
use ed25519_dalek::{Signature, VerifyingKey};

/// Bytes in a signature (`R ‖ S`).
pub const SIGNATURE_LENGTH: usize = 64;
/// Most base58 characters of a 64-byte value (58^88 > 2^512).
const MAX_BASE58_SIGNATURE_CHARS: usize = 88;
/// Characters of a padded base64 64-byte value.
const BASE64_SIGNATURE_CHARS: usize = 88;

/// The ed25519 group order `L = 2^252 + 27742317777372353535851937790883648493`, little-endian.
const GROUP_ORDER_LE: [u8; 32] = [
    0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

/// Verifies an ed25519 `signature` (64 bytes) of `message` by `public_key` (32 bytes); see the
/// module docs for what is accepted.
pub fn verify(message: &[u8], signature: &[u8], public_key: &[u8]) -> Result<bool> {
    SolanaVerifier::new(public_key)?.verify(message, signature)
}

/// A public key checked and decompressed once, for verifying many signatures with it.
#[derive(Clone, Debug)]
pub struct SolanaVerifier {
    key: VerifyingKey,
}

impl SolanaVerifier {
    /// Checks the key: 32 bytes, a curve point, not of small order (`INVALID_PUBLIC_KEY`).
    pub fn new(public_key: &[u8]) -> Result<Self> {
        let bytes: &[u8; PUBLIC_KEY_LENGTH] = public_key.try_into().map_err(|_| {
            Error::new(
                ErrorCode::InvalidPublicKey,
                format!(
                    "an ed25519 public key is 32 bytes, this one is {}",
                    public_key.len()
                ),
            )
            .with_field("publicKey")
            .with_expected("32 bytes")
            .with_received(format!("{} bytes", public_key.len()))
        })?;
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| {
            Error::new(
                ErrorCode::InvalidPublicKey,
                "the public key is not a point on the ed25519 curve (it cannot sign)",
            )
            .with_field("publicKey")
        })?;
        if key.is_weak() {
            return Err(Error::new(
                ErrorCode::InvalidPublicKey,
                "the public key is of small order: it would validate forged signatures",
            )
            .with_field("publicKey"));
        }
        Ok(SolanaVerifier { key })
    }

    /// From a base58 address.
    pub fn from_address(address: &str) -> Result<Self> {
        Self::new(&parse_public_key(address)?)
    }

    /// The key bytes.
    pub fn public_key(&self) -> &[u8; PUBLIC_KEY_LENGTH] {
        self.key.as_bytes()
    }

    /// Same contract as [`verify`].
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<bool> {
        let bytes: &[u8; SIGNATURE_LENGTH] = signature.try_into().map_err(|_| {
            Error::new(
                ErrorCode::InvalidSignatureLength,
                format!(
                    "an ed25519 signature is 64 bytes, this one is {}",
                    signature.len()
                ),
            )
            .with_field("signature")
            .with_expected("64 bytes")
            .with_received(format!("{} bytes", signature.len()))
        })?;
        if !scalar_is_canonical(&bytes[32..]) {
            return Err(Error::new(
                ErrorCode::InvalidSignature,
                "the signature's S is not below the ed25519 group order (a malleated signature)",
            )
            .with_field("signature"));
        }
        let signature = Signature::from_bytes(bytes);
        Ok(self.key.verify_strict(message, &signature).is_ok())
    }
}

/// Whether the little-endian 32-byte scalar is below `L`.
fn scalar_is_canonical(s: &[u8]) -> bool {
    for (byte, bound) in s.iter().rev().zip(GROUP_ORDER_LE.iter().rev()) {
        if byte != bound {
            return byte < bound;
        }
    }
    false
}

/// Decodes a text signature into its 64 bytes.
///
/// The encoding is told apart by one deterministic rule: text ending in `=` is **base64**
/// (standard alphabet, padded: exactly 88 characters ending in `==`, as `Buffer.toString('base64')`
/// and `btoa` write it); anything else is **base58** (at most 88 characters). Base58 has no `=`,
/// and the base64 of 64 bytes always ends in `==`, so no text is read both ways. Unpadded or
/// URL-safe base64 is not accepted (it would be ambiguous with base58).
///
/// Errors (field `signature`): `INVALID_BASE64`, `INVALID_BASE58`, `INVALID_SIGNATURE_LENGTH`.
pub fn decode_signature(text: &str) -> Result<[u8; SIGNATURE_LENGTH]> {
    if text.ends_with('=') {
        return decode_base64_signature(text.as_bytes());
    }
    let wrong_length = || {
        Error::new(
            ErrorCode::InvalidSignatureLength,
            "an ed25519 signature is 64 bytes: at most 88 base58 characters, or 88 base64 \
             characters ending in '=='",
        )
        .with_field("signature")
        .with_expected("64 bytes")
    };
    if text.len() > MAX_BASE58_SIGNATURE_CHARS {
        return Err(wrong_length().with_received(format!("{} characters", text.len())));
    }
    let mut signature = [0u8; SIGNATURE_LENGTH];
    match bs58::decode(text).onto(&mut signature) {
        Ok(SIGNATURE_LENGTH) => Ok(signature),
        Ok(len) => Err(wrong_length().with_received(format!("{len} bytes"))),
        Err(bs58::decode::Error::BufferTooSmall) => {
            Err(wrong_length().with_received("more than 64 bytes"))
        }
        Err(e) => {
            let mut error = base58_error(e, "signature");
            if text.contains(['+', '/']) {
                error
                    .message
                    .push_str(" (base64 signatures must be padded with '=')");
            }
            Err(error)
        }
    }
}

fn base64_value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Strict base64 of exactly 64 bytes: 86 alphabet characters, `==`, and zero spare bits (so each
/// signature has one encoding).
fn decode_base64_signature(text: &[u8]) -> Result<[u8; SIGNATURE_LENGTH]> {
    let invalid = |why: &str| {
        Error::new(
            ErrorCode::InvalidBase64,
            format!("the signature is not the padded base64 of 64 bytes: {why}"),
        )
        .with_field("signature")
    };
    if text.len() != BASE64_SIGNATURE_CHARS {
        return Err(Error::new(
            ErrorCode::InvalidSignatureLength,
            "a base64 ed25519 signature is 88 characters ending in '=='",
        )
        .with_field("signature")
        .with_expected("88 characters")
        .with_received(format!("{} characters", text.len())));
    }
    let Some((data, b"==")) = text.split_last_chunk::<2>() else {
        return Err(invalid("it must end in '=='"));
    };
    let mut out = [0u8; SIGNATURE_LENGTH];
    let mut written = 0;
    let mut accumulator = 0u32;
    let mut bits = 0u32;
    for (index, &c) in data.iter().enumerate() {
        let Some(value) = base64_value(c) else {
            return Err(invalid(&format!(
                "unexpected character at position {index}"
            )));
        };
        accumulator = (accumulator << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if let Some(slot) = out.get_mut(written) {
                *slot = (accumulator >> bits) as u8;
            }
            written += 1;
            accumulator &= (1 << bits) - 1;
        }
    }
    if written != SIGNATURE_LENGTH || accumulator != 0 {
        return Err(invalid("non-zero padding bits"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_order_bound() {
        let mut l_minus_one = GROUP_ORDER_LE;
        l_minus_one[0] -= 1;
        assert!(scalar_is_canonical(&l_minus_one));
        assert!(!scalar_is_canonical(&GROUP_ORDER_LE));
        assert!(scalar_is_canonical(&[0u8; 32]));
        let mut l_plus_256 = GROUP_ORDER_LE;
        l_plus_256[1] += 1;
        assert!(!scalar_is_canonical(&l_plus_256));
        assert!(!scalar_is_canonical(&[0xFF; 32]));
    }
}
