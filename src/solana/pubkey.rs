//! Solana addresses: a 32-byte ed25519 public key written in base58 (Bitcoin alphabet).
//!
//! Base58 decoding costs time quadratic in the input length, so the text length is bounded (a
//! 32-byte key is 32 to 44 characters) before decoding, and decoding writes into a fixed buffer.

use crate::error::{Error, ErrorCode, Result};

/// Bytes in a public key.
pub const PUBLIC_KEY_LENGTH: usize = 32;
/// Fewest base58 characters of a 32-byte value (all zero bytes: 32 × '1').
const MIN_ADDRESS_CHARS: usize = 32;
/// Most base58 characters of a 32-byte value (58^44 > 2^256).
const MAX_ADDRESS_CHARS: usize = 44;

/// Parses a base58 address into its 32 key bytes.
///
/// Errors (field `publicKey`): `INVALID_BASE58` for a character outside the alphabet,
/// `INVALID_PUBLIC_KEY` when the text does not stand for exactly 32 bytes. Whether the bytes are
/// a usable ed25519 key (on the curve, not of small order) is checked by
/// [`SolanaVerifier::new`](super::SolanaVerifier::new).
pub fn parse_public_key(text: &str) -> Result<[u8; PUBLIC_KEY_LENGTH]> {
    let wrong_length = || {
        Error::new(
            ErrorCode::InvalidPublicKey,
            "a Solana address is 32 bytes written as 32 to 44 base58 characters",
        )
        .with_field("publicKey")
        .with_received(text)
    };
    if !(MIN_ADDRESS_CHARS..=MAX_ADDRESS_CHARS).contains(&text.len()) {
        return Err(wrong_length());
    }
    let mut key = [0u8; PUBLIC_KEY_LENGTH];
    match bs58::decode(text).onto(&mut key) {
        Ok(PUBLIC_KEY_LENGTH) => Ok(key),
        Ok(_) | Err(bs58::decode::Error::BufferTooSmall) => Err(wrong_length()),
        Err(e) => Err(base58_error(e, "publicKey")),
    }
}

/// Whether `text` is a base58 string of exactly 32 bytes: the same rule as `@solana/web3.js`'s
/// `PublicKey` constructor. Program-derived addresses (off the curve) are valid addresses; they
/// cannot sign, which [`SolanaVerifier::new`](super::SolanaVerifier::new) reports.
pub fn is_valid_address(text: &str) -> bool {
    parse_public_key(text).is_ok()
}

/// The base58 address of a public key.
pub fn to_address(key: &[u8; PUBLIC_KEY_LENGTH]) -> String {
    bs58::encode(key).into_string()
}

pub(crate) fn base58_error(e: bs58::decode::Error, field: &str) -> Error {
    let detail = match e {
        bs58::decode::Error::InvalidCharacter { character, index } => {
            format!("character {character:?} at position {index} is not in the base58 alphabet")
        }
        other => other.to_string(),
    };
    Error::new(
        ErrorCode::InvalidBase58,
        format!("{field} is not valid base58: {detail}"),
    )
    .with_field(field)
}
