//! EIP-55 mixed-case checksum addresses.
//!
//! An address is `0x` followed by 40 hex digits; EIP-55 upper-cases the letter at position `i`
//! when the `i`-th nibble of `keccak256(lowercase hex digits)` is 8 or more. Sign-in messages
//! require that form exactly, so a typo in any letter is caught.

use crate::error::{Error, ErrorCode, Result};
use sha3::{Digest, Keccak256};

/// The Keccak-256 hash (Ethereum's, not NIST SHA3-256) of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// Parses `0x` (or `0X`) followed by 40 hex digits of any case into the address bytes (the
/// checksum is not required; [`parse_address_strict`] requires it).
///
/// Errors: `INVALID_ADDRESS` (field `address`).
pub fn parse_address(text: &str) -> Result<[u8; 20]> {
    let invalid = |why: &str| {
        Error::new(
            ErrorCode::InvalidAddress,
            format!("the address {why}: expected 0x followed by 40 hex digits"),
        )
        .with_field("address")
        .with_received(text)
    };
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .ok_or_else(|| invalid("does not start with 0x"))?
        .as_bytes();
    if digits.len() != 40 {
        return Err(invalid("has the wrong length"));
    }
    let mut address = [0u8; 20];
    for (out, pair) in address.iter_mut().zip(digits.chunks_exact(2)) {
        let (Some(hi), Some(lo)) = (hex_value(pair[0]), hex_value(pair[1])) else {
            return Err(invalid("is not hex"));
        };
        *out = (hi << 4) | lo;
    }
    Ok(address)
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The EIP-55 checksummed text of an address.
pub fn checksum_of_bytes(address: &[u8; 20]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut lower = [0u8; 40];
    for (i, byte) in address.iter().enumerate() {
        lower[2 * i] = HEX[usize::from(byte >> 4)];
        lower[2 * i + 1] = HEX[usize::from(byte & 0x0f)];
    }
    let hash = keccak256(&lower);
    let mut out = String::with_capacity(42);
    out.push_str("0x");
    for (i, &c) in lower.iter().enumerate() {
        let nibble = if i % 2 == 0 {
            hash[i / 2] >> 4
        } else {
            hash[i / 2] & 0x0f
        };
        out.push(if nibble >= 8 {
            char::from(c.to_ascii_uppercase())
        } else {
            char::from(c)
        });
    }
    out
}

/// The EIP-55 form of `0x` + 40 hex digits of any case (like viem's `getAddress` without its
/// checksum check, or ethers' `getAddress` on a lowercase address).
///
/// Errors: `INVALID_ADDRESS` (field `address`) when the text is not an address.
pub fn to_checksum_address(text: &str) -> Result<String> {
    parse_address(text).map(|bytes| checksum_of_bytes(&bytes))
}

/// Parses an address that must already be in its EIP-55 form (as EIP-4361 requires).
///
/// Errors: `INVALID_ADDRESS` (field `address`) when the text is not an address, or when its
/// letter case differs from the checksum — `expected` then holds the checksummed form, which
/// `toChecksumAddress` also returns.
pub fn parse_address_strict(text: &str) -> Result<[u8; 20]> {
    let bytes = parse_address(text)?;
    let checksummed = checksum_of_bytes(&bytes);
    if checksummed != text {
        let case = if text[2..].bytes().all(|c| !c.is_ascii_uppercase()) {
            "is all lowercase"
        } else if text[2..].bytes().all(|c| !c.is_ascii_lowercase()) {
            "is all uppercase"
        } else {
            "has a wrong letter case"
        };
        return Err(Error::new(
            ErrorCode::InvalidAddress,
            format!("the address {case}, so it fails the EIP-55 checksum ({checksummed})"),
        )
        .with_field("address")
        .with_expected(checksummed)
        .with_received(text));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The four example lists of EIP-55 itself (https://eips.ethereum.org/EIPS/eip-55).
    const EIP55_EXAMPLES: &[&str] = &[
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    #[test]
    fn eip55_examples_are_their_own_checksum() {
        for example in EIP55_EXAMPLES {
            assert_eq!(to_checksum_address(example).as_deref(), Ok(*example));
            assert_eq!(
                to_checksum_address(&example.to_lowercase()).as_deref(),
                Ok(*example)
            );
            assert!(parse_address_strict(example).is_ok(), "{example}");
        }
    }

    #[test]
    fn keccak_of_empty_input() {
        // Keccak-256("") as published with the Keccak reference (differs from SHA3-256("")).
        let expected = "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
        let hex: String = keccak256(b"").iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expected);
    }

    #[test]
    fn wrong_case_is_rejected_with_a_hint() {
        let good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        let lower = good.to_lowercase();
        let e = parse_address_strict(&lower).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidAddress);
        assert_eq!(e.field.as_deref(), Some("address"));
        assert_eq!(e.expected.as_deref(), Some(good));
        assert!(e.message.contains("EIP-55"), "{}", e.message);
        assert!(e.message.contains("all lowercase"), "{}", e.message);

        // One flipped letter.
        let flipped = good.replacen("aA", "aa", 1);
        let e = parse_address_strict(&flipped).unwrap_err();
        assert!(e.message.contains("wrong letter case"), "{}", e.message);
    }

    #[test]
    fn malformed_addresses() {
        for bad in [
            "",
            "0x",
            "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAé",
        ] {
            let e = to_checksum_address(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidAddress, "{bad}");
            assert!(parse_address_strict(bad).is_err(), "{bad}");
        }
        // 0X prefix is accepted by toChecksumAddress but never by the strict form.
        let upper_prefix = "0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assert!(to_checksum_address(upper_prefix).is_ok());
        assert!(parse_address_strict(upper_prefix).is_err());
    }
}
