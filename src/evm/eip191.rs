//! EIP-191 version 0x45 (`personal_sign`): the hash a wallet signs for a message, recovery of the
//! signer's address, and the address check.
//!
//! The signed hash is `keccak256("\x19Ethereum Signed Message:\n" ‖ decimal(len(message)) ‖ message)`
//! over the message's bytes (text is signed as its UTF-8 bytes). Recovery uses `k256`; the
//! hot path allocates nothing.

use super::eip55::{keccak256, parse_address};
use super::signature::EvmSignature;
use crate::error::{Error, ErrorCode, Result};
use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
use k256::elliptic_curve::sec1::ToSec1Point;
use sha3::{Digest, Keccak256};

/// The prefix `personal_sign` puts before the message length.
pub const PERSONAL_MESSAGE_PREFIX: &[u8] = b"\x19Ethereum Signed Message:\n";

/// The EIP-191 `personal_sign` hash of `message`.
pub fn eip191_hash(message: &[u8]) -> [u8; 32] {
    // usize has at most 20 decimal digits.
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut len = message.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (len % 10) as u8;
        len /= 10;
        if len == 0 {
            break;
        }
    }
    Keccak256::new()
        .chain_update(PERSONAL_MESSAGE_PREFIX)
        .chain_update(&digits[start..])
        .chain_update(message)
        .finalize()
        .into()
}

/// Recovers the address that signed `message` (EIP-191 `personal_sign`) with `signature`, in one
/// of the forms [`EvmSignature::from_bytes`] accepts.
///
/// Errors: `INVALID_SIGNATURE_LENGTH`, `INVALID_SIGNATURE` for a malformed signature, and also
/// `INVALID_SIGNATURE` when no public key can be recovered (`r` is not the x-coordinate of a curve
/// point).
pub fn recover_address(message: &[u8], signature: &[u8]) -> Result<[u8; 20]> {
    let signature = EvmSignature::from_bytes(signature)?;
    recover_parsed(&eip191_hash(message), &signature).ok_or_else(unrecoverable)
}

/// The address that made a parsed `signature` over `message` (EIP-191); `None` when no key can be
/// recovered from it.
pub fn recover_signer(message: &[u8], signature: &EvmSignature) -> Option<[u8; 20]> {
    recover_parsed(&eip191_hash(message), signature)
}

/// Recovers the signer's address from a prehash; `None` when no key can be recovered.
fn recover_parsed(prehash: &[u8; 32], signature: &EvmSignature) -> Option<[u8; 20]> {
    let scalars = Signature::from_scalars(*signature.r(), *signature.s()).ok()?;
    let recovery_id = RecoveryId::new(signature.y_odd(), false);
    let key = VerifyingKey::recover_from_prehash(prehash, &scalars, recovery_id).ok()?;
    Some(address_of(&key))
}

/// The address of a public key: the last 20 bytes of keccak256 of its uncompressed `x ‖ y`.
fn address_of(key: &VerifyingKey) -> [u8; 20] {
    let point = key.as_affine().to_uncompressed_point();
    let hash = keccak256(&point[1..]);
    let mut address = [0u8; 20];
    address.copy_from_slice(&hash[12..]);
    address
}

fn unrecoverable() -> Error {
    Error::new(
        ErrorCode::InvalidSignature,
        "no public key can be recovered from this signature (r is not on the curve)",
    )
    .with_field("signature")
}

/// Whether `signature` over `message` (EIP-191) was made by `address` (`0x` and 40 hex digits,
/// compared case-insensitively: the checksum is not required here).
///
/// `Ok(false)` for a well-formed signature made by another key, or from which no key can be
/// recovered; errors only for malformed input (`INVALID_ADDRESS`, `INVALID_SIGNATURE_LENGTH`,
/// `INVALID_SIGNATURE`).
pub fn verify_signature(message: &[u8], signature: &[u8], address: &str) -> Result<bool> {
    EvmVerifier::new(address)?.verify(message, signature)
}

/// Checks many signatures against one expected address, parsing the address once.
#[derive(Clone, Debug)]
pub struct EvmVerifier {
    address: [u8; 20],
}

impl EvmVerifier {
    /// Errors with `INVALID_ADDRESS` when `address` is not `0x` and 40 hex digits.
    pub fn new(address: &str) -> Result<Self> {
        Ok(EvmVerifier {
            address: parse_address(address)?,
        })
    }

    /// An expected address given as bytes.
    pub fn from_address_bytes(address: [u8; 20]) -> Self {
        EvmVerifier { address }
    }

    /// The expected address.
    pub fn address(&self) -> &[u8; 20] {
        &self.address
    }

    /// Same contract as [`verify_signature`].
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<bool> {
        let signature = EvmSignature::from_bytes(signature)?;
        Ok(recover_parsed(&eip191_hash(message), &signature) == Some(self.address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_prefixes_the_decimal_length() {
        for message in [&b""[..], b"a", &[7u8; 10], &[0u8; 1234]] {
            let mut preimage = PERSONAL_MESSAGE_PREFIX.to_vec();
            preimage.extend_from_slice(message.len().to_string().as_bytes());
            preimage.extend_from_slice(message);
            let expected: [u8; 32] = Keccak256::digest(&preimage).into();
            assert_eq!(eip191_hash(message), expected);
        }
    }

    #[test]
    fn addresses_parse_in_any_case() {
        let lower = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
        let mixed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assert_eq!(parse_address(lower), parse_address(mixed));
        assert_eq!(parse_address(lower).map(|a| a[0]), Ok(0x5a));
        for bad in [
            "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae",
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedd",
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg",
            "0x+aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            "0xé5aeb6053f3e94c9b9a09f33669435e7ef1bea",
        ] {
            assert_eq!(
                parse_address(bad).map_err(|e| e.code),
                Err(ErrorCode::InvalidAddress),
                "{bad}"
            );
        }
    }
}
