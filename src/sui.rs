//! Sui personal messages (`sui:signPersonalMessage`): the signed digest, serialized signatures and
//! addresses, for the three key schemes a wallet signs with.
//!
//! - Signed bytes: the intent `[3, 0, 0]` (scope PersonalMessage, version 0, app Sui) followed by
//!   the message as a BCS `vector<u8>` (ULEB128 length, then the bytes); the digest is their
//!   blake2b-256.
//! - Ed25519 (flag 0) signs the digest itself (checked strictly, as [`crate::solana::verify`]);
//!   secp256k1 (flag 1) and secp256r1 (flag 2) sign it with ECDSA over SHA-256, `r ‖ s` with `s`
//!   in the lower half (as `@mysten/sui` verifies), the key compressed (33 bytes).
//! - Serialized signature: base64 of `flag ‖ signature ‖ public key`.
//! - Address: `0x` and the hex of blake2b-256(`flag ‖ public key`).
//!
//! Multisig (flag 3), zkLogin (5) and passkeys (6) are other kinds of proof (a committee, a JWT
//! with a zero-knowledge proof, WebAuthn data): `UNSUPPORTED_SIGNATURE_SCHEME`, never `false`.

use base64ct::{Base64, Encoding};
use blake2::Blake2b;
use blake2::digest::consts::U32;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};

type Blake2b256 = Blake2b<U32>;

/// A Sui signature scheme this package verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuiScheme {
    Ed25519,
    Secp256k1,
    Secp256r1,
}

impl SuiScheme {
    pub const fn flag(self) -> u8 {
        match self {
            SuiScheme::Ed25519 => 0,
            SuiScheme::Secp256k1 => 1,
            SuiScheme::Secp256r1 => 2,
        }
    }

    const fn public_key_len(self) -> usize {
        match self {
            SuiScheme::Ed25519 => 32,
            SuiScheme::Secp256k1 | SuiScheme::Secp256r1 => 33,
        }
    }

    fn from_flag(flag: u8) -> Result<SuiScheme> {
        let unsupported = |name: &str| {
            Error::new(
                ErrorCode::UnsupportedSignatureScheme,
                format!("{name} signatures (flag {flag}) are not verified by this package"),
            )
            .with_field("signature")
        };
        match flag {
            0 => Ok(SuiScheme::Ed25519),
            1 => Ok(SuiScheme::Secp256k1),
            2 => Ok(SuiScheme::Secp256r1),
            3 => Err(unsupported("multisig")),
            5 => Err(unsupported("zkLogin")),
            6 => Err(unsupported("passkey")),
            _ => Err(Error::new(
                ErrorCode::InvalidSignature,
                format!("{flag} is not a Sui signature scheme flag"),
            )
            .with_field("signature")),
        }
    }
}

/// A serialized signature, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuiSignature {
    pub scheme: SuiScheme,
    pub signature: [u8; 64],
    pub public_key: Vec<u8>,
}

/// Longest serialized signature read (a flag, 64 bytes and a 33-byte key are 98 bytes).
const MAX_SERIALIZED_CHARS: usize = 4096;

impl SuiSignature {
    /// Reads `flag ‖ signature ‖ public key`.
    pub fn from_bytes(bytes: &[u8]) -> Result<SuiSignature> {
        let (&flag, rest) = bytes.split_first().ok_or_else(|| wrong_length(0))?;
        let scheme = SuiScheme::from_flag(flag)?;
        if rest.len() != 64 + scheme.public_key_len() {
            return Err(wrong_length(bytes.len()));
        }
        let (signature, public_key) = rest.split_at(64);
        Ok(SuiSignature {
            scheme,
            signature: signature.try_into().unwrap_or([0; 64]),
            public_key: public_key.to_vec(),
        })
    }

    /// Reads base64 `flag ‖ signature ‖ public key` (standard alphabet, padded).
    pub fn parse(serialized: &str) -> Result<SuiSignature> {
        if serialized.len() > MAX_SERIALIZED_CHARS {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("a Sui signature is at most {MAX_SERIALIZED_CHARS} characters"),
            )
            .with_field("signature"));
        }
        let bytes = Base64::decode_vec(serialized).map_err(|_| {
            Error::new(
                ErrorCode::InvalidBase64,
                "the Sui signature is not padded base64",
            )
            .with_field("signature")
        })?;
        SuiSignature::from_bytes(&bytes)
    }

    /// `flag ‖ signature ‖ public key`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(1 + 64 + self.public_key.len());
        bytes.push(self.scheme.flag());
        bytes.extend_from_slice(&self.signature);
        bytes.extend_from_slice(&self.public_key);
        bytes
    }

    /// The base64 text of `flag ‖ signature ‖ public key`.
    pub fn serialize(&self) -> String {
        Base64::encode_string(&self.to_bytes())
    }

    /// The address of the signing key.
    pub fn address(&self) -> [u8; 32] {
        address_of(self.scheme, &self.public_key)
    }
}

fn wrong_length(len: usize) -> Error {
    Error::new(
        ErrorCode::InvalidSignatureLength,
        "a Sui signature is a flag, 64 signature bytes and the public key (32 bytes for Ed25519, \
         33 for secp256k1 and secp256r1)",
    )
    .with_field("signature")
    .with_received(format!("{len} bytes"))
}

/// blake2b-256 of intent `[3, 0, 0]` ‖ ULEB128(len) ‖ `message`: what a wallet signs.
pub fn personal_message_digest(message: &[u8]) -> [u8; 32] {
    let mut length = [0u8; 10];
    let mut used = 0;
    let mut n = message.len() as u64;
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        length[used] = if n == 0 { byte } else { byte | 0x80 };
        used += 1;
        if n == 0 {
            break;
        }
    }
    Blake2b256::new()
        .chain_update([3, 0, 0])
        .chain_update(&length[..used])
        .chain_update(message)
        .finalize()
        .into()
}

/// The address of `public_key` under `scheme`: blake2b-256(`flag ‖ public key`).
pub fn address_of(scheme: SuiScheme, public_key: &[u8]) -> [u8; 32] {
    Blake2b256::new()
        .chain_update([scheme.flag()])
        .chain_update(public_key)
        .finalize()
        .into()
}

/// `0x` and 64 hex digits (either case), as wallets and `@mysten/sui` write addresses.
pub fn parse_address(text: &str) -> Result<[u8; 32]> {
    let invalid = || {
        Error::new(
            ErrorCode::InvalidAddress,
            "a Sui address is 0x and 64 hex digits",
        )
        .with_field("address")
        .with_received(text)
    };
    let digits = text.strip_prefix("0x").ok_or_else(invalid)?;
    if digits.len() != 64 {
        return Err(invalid());
    }
    let bytes = base16ct::mixed::decode_vec(digits).map_err(|_| invalid())?;
    bytes.try_into().map_err(|_| invalid())
}

/// `0x` and lowercase hex.
pub fn format_address(address: &[u8; 32]) -> String {
    crate::evm::hex_0x(address)
}

/// Whether `serialized` (base64 `flag ‖ signature ‖ public key`) signs `message` as a Sui
/// personal message for `address`. `false` when the signature is well-formed but made by another
/// key or over other bytes; errors for malformed input and unsupported schemes.
pub fn verify_personal_message(message: &[u8], serialized: &str, address: &str) -> Result<bool> {
    let expected = parse_address(address)?;
    verify_signed_by(message, &SuiSignature::parse(serialized)?, &expected)
}

/// Whether `signature` signs `message` as a personal message and its key is `address`'s.
pub fn verify_signed_by(
    message: &[u8],
    signature: &SuiSignature,
    expected: &[u8; 32],
) -> Result<bool> {
    let digest = personal_message_digest(message);
    let valid = verify_digest(signature, &digest)?;
    Ok(valid && &signature.address() == expected)
}

/// An ECDSA signature of SHA-256(`digest`) in `$curve`'s crate (`k256` and `p256` share the API):
/// `Ok(false)` for a malformed or high-`s` signature, `key_error` for a key off the curve.
macro_rules! ecdsa_sha256 {
    ($curve:ident, $signature:expr, $digest:expr, $key_error:expr) => {{
        use $curve::ecdsa::signature::hazmat::PrehashVerifier;
        let key = $curve::ecdsa::VerifyingKey::from_sec1_bytes(&$signature.public_key)
            .map_err(|_| $key_error())?;
        match $curve::ecdsa::Signature::from_slice(&$signature.signature) {
            Ok(sig) if sig.normalize_s() == sig => {
                Ok(key.verify_prehash(&Sha256::digest($digest), &sig).is_ok())
            }
            _ => Ok(false),
        }
    }};
}

/// Verifies `signature` over a personal message's `digest` with its own public key.
pub fn verify_digest(signature: &SuiSignature, digest: &[u8; 32]) -> Result<bool> {
    let key_error = || {
        Error::new(
            ErrorCode::InvalidPublicKey,
            "the signature's public key is not a point of its curve",
        )
        .with_field("signature")
    };
    match signature.scheme {
        SuiScheme::Ed25519 => {
            crate::solana::verify(digest, &signature.signature, &signature.public_key)
        }
        // A high `s` is refused in both, as `@mysten/sui` refuses it.
        SuiScheme::Secp256k1 => ecdsa_sha256!(k256, signature, digest, key_error),
        SuiScheme::Secp256r1 => ecdsa_sha256!(p256, signature, digest, key_error),
    }
}
