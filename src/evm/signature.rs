//! The byte forms of a recoverable secp256k1 signature that EVM wallets produce.
//!
//! Two forms are accepted, nothing else:
//! - 65 bytes `r ‖ s ‖ v` with `v` in {0, 1, 27, 28} (27/28 is what `personal_sign` returns; 0/1 is
//!   the raw y-parity some libraries emit). Other `v` values (EIP-155 `chainId * 2 + 35`, or the
//!   "x reduced" recovery ids 2/3 that `ecrecover` refuses) are rejected.
//! - 64 bytes EIP-2098 compact `r ‖ yParityAndS`, the y-parity in the top bit of `s`.
//!
//! `r` and `s` must lie in `[1, n)`. A high `s` (greater than `n / 2`) is accepted and normalised
//! to its low twin `n − s` with the y-parity flipped, which recovers the same key: the EVM's
//! `ecrecover` precompile and viem accept such signatures too (only transaction signatures must be
//! low-S, per EIP-2). Any other length is `INVALID_SIGNATURE_LENGTH`: contract wallets (EIP-1271,
//! counterfactual EIP-6492) produce signatures that only an on-chain call can check.

use crate::error::{Error, ErrorCode, Result};

/// The secp256k1 group order `n`, big-endian.
const ORDER: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
    0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
];

/// `n / 2` (rounded down), big-endian: the largest low `s`.
const HALF_ORDER: [u8; 32] = [
    0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
];

/// Length of the `r ‖ s ‖ v` form.
pub const SIGNATURE_LENGTH: usize = 65;
/// Length of the EIP-2098 compact form.
pub const COMPACT_SIGNATURE_LENGTH: usize = 64;

const SMART_WALLET_HINT: &str = "an EVM signature from an externally owned account is 65 bytes \
     (r, s, v) or 64 bytes (EIP-2098); signatures of smart-contract wallets (EIP-1271, EIP-6492) \
     can only be checked on-chain";

/// A parsed recoverable signature: `r` and `s` in `[1, n)`, `s` low, and the y-parity of the
/// nonce point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EvmSignature {
    r: [u8; 32],
    s: [u8; 32],
    y_odd: bool,
}

impl EvmSignature {
    /// Parses the 65-byte or 64-byte form (see the module docs), normalising a high `s`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let (r, s, y_odd) = match bytes.len() {
            SIGNATURE_LENGTH => {
                let v = bytes[64];
                let y_odd = match v {
                    0 | 27 => false,
                    1 | 28 => true,
                    _ => return Err(bad_v(v)),
                };
                (word(&bytes[..32]), word(&bytes[32..64]), y_odd)
            }
            COMPACT_SIGNATURE_LENGTH => {
                let mut s = word(&bytes[32..]);
                let y_odd = s[0] & 0x80 != 0;
                s[0] &= 0x7F;
                (word(&bytes[..32]), s, y_odd)
            }
            other => return Err(wrong_length(other)),
        };
        check_scalar(&r, "r")?;
        check_scalar(&s, "s")?;
        let signature = EvmSignature { r, s, y_odd };
        Ok(if signature.is_high_s() {
            signature.flip()
        } else {
            signature
        })
    }

    /// `r`, big-endian.
    pub fn r(&self) -> &[u8; 32] {
        &self.r
    }

    /// `s`, big-endian; always low (at most `n / 2`) after parsing.
    pub fn s(&self) -> &[u8; 32] {
        &self.s
    }

    /// The y-parity of the nonce point (`v - 27`).
    pub fn y_odd(&self) -> bool {
        self.y_odd
    }

    /// The canonical 65-byte form with `v` = 27 or 28.
    pub fn to_bytes(&self) -> [u8; SIGNATURE_LENGTH] {
        let mut out = [0u8; SIGNATURE_LENGTH];
        out[..32].copy_from_slice(&self.r);
        out[32..64].copy_from_slice(&self.s);
        out[64] = 27 + u8::from(self.y_odd);
        out
    }

    /// The EIP-2098 compact form.
    pub fn to_compact_bytes(&self) -> [u8; COMPACT_SIGNATURE_LENGTH] {
        let mut out = [0u8; COMPACT_SIGNATURE_LENGTH];
        out[..32].copy_from_slice(&self.r);
        out[32..].copy_from_slice(&self.s);
        out[32] |= u8::from(self.y_odd) << 7;
        out
    }

    fn is_high_s(&self) -> bool {
        self.s > HALF_ORDER
    }

    /// The twin signature `(r, n − s)` with the y-parity flipped; it recovers the same key.
    fn flip(&self) -> Self {
        EvmSignature {
            r: self.r,
            s: sub_be(&ORDER, &self.s),
            y_odd: !self.y_odd,
        }
    }
}

fn word(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(bytes);
    out
}

/// `a − b` for big-endian 256-bit numbers with `a >= b`.
fn sub_be(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut borrow = 0i16;
    for i in (0..32).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

fn check_scalar(value: &[u8; 32], name: &str) -> Result<()> {
    // Big-endian arrays of equal length compare as numbers.
    let problem = if value.iter().all(|&b| b == 0) {
        "is zero"
    } else if *value >= ORDER {
        "is not below the secp256k1 group order"
    } else {
        return Ok(());
    };
    Err(Error::new(
        ErrorCode::InvalidSignature,
        format!("the signature's {name} {problem}"),
    )
    .with_field("signature")
    .with_expected(format!("{name} in [1, n)")))
}

fn bad_v(v: u8) -> Error {
    Error::new(
        ErrorCode::InvalidSignature,
        format!("the signature's v byte is {v}; only 0, 1, 27 and 28 are accepted"),
    )
    .with_field("signature")
    .with_expected("v in {0, 1, 27, 28}")
    .with_received(format!("v = {v}"))
}

fn wrong_length(len: usize) -> Error {
    Error::new(
        ErrorCode::InvalidSignatureLength,
        format!("the signature is {len} bytes long: {SMART_WALLET_HINT}"),
    )
    .with_field("signature")
    .with_expected("65 or 64 bytes")
    .with_received(format!("{len} bytes"))
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Decodes a hex signature, with or without `0x`, into the bytes [`EvmSignature::from_bytes`]
/// takes. The text is checked to be hex first (`INVALID_HEX`), then its length: anything but 64 or
/// 65 bytes is `INVALID_SIGNATURE_LENGTH` before any allocation, so the output is bounded.
pub fn decode_signature(text: &str) -> Result<Vec<u8>> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text)
        .as_bytes();
    if let Some(position) = digits.iter().position(|&c| hex_value(c).is_none()) {
        return Err(Error::new(
            ErrorCode::InvalidHex,
            format!("the signature is not hex: unexpected character at position {position}"),
        )
        .with_field("signature"));
    }
    if !digits.len().is_multiple_of(2) {
        return Err(Error::new(
            ErrorCode::InvalidHex,
            "the signature has an odd number of hex digits",
        )
        .with_field("signature")
        .with_received(format!("{} hex digits", digits.len())));
    }
    let len = digits.len() / 2;
    if len != SIGNATURE_LENGTH && len != COMPACT_SIGNATURE_LENGTH {
        return Err(wrong_length(len));
    }
    Ok(digits
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => (hex_value(*hi).unwrap_or(0) << 4) | hex_value(*lo).unwrap_or(0),
            _ => 0,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_order_is_order_shifted_right() {
        let mut shifted = [0u8; 32];
        let mut carry = 0u8;
        for (out, byte) in shifted.iter_mut().zip(ORDER) {
            *out = (byte >> 1) | carry;
            carry = (byte & 1) << 7;
        }
        assert_eq!(shifted, HALF_ORDER);
    }

    #[test]
    fn subtraction_borrows_across_bytes() {
        let mut one = [0u8; 32];
        one[31] = 1;
        let n_minus_one = sub_be(&ORDER, &one);
        assert_eq!(n_minus_one[31], 0x40);
        assert_eq!(sub_be(&ORDER, &n_minus_one), one);
        let mut b = [0u8; 32];
        b[31] = 0x42;
        let d = sub_be(&ORDER, &b);
        assert_eq!(&d[29..], &[0x36, 0x40, 0xFF]);
    }
}
