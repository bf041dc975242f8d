//! TON addresses in their two text forms, parsed strictly.
//!
//! - Raw: `<workchain>:<64 hex digits>`, workchain `0` (basechain) or `-1` (masterchain), hex in
//!   either case (written back lowercase).
//! - User-friendly: 48 characters of base64url or standard base64 (one alphabet, not mixed) of 36
//!   bytes: a flags byte (`0x11` bounceable, `0x51` non-bounceable, plus `0x80` for testnet only),
//!   the workchain as a signed byte, the 32-byte account hash, and the CRC16-XMODEM of those 34
//!   bytes, big-endian.
//!
//! Other workchains, other flags, a bad checksum or any other length are `INVALID_ADDRESS`.

use base64ct::{Base64, Base64Url, Encoding};

use crate::error::{Error, ErrorCode, Result};

const BOUNCEABLE_TAG: u8 = 0x11;
const NON_BOUNCEABLE_TAG: u8 = 0x51;
const TESTNET_FLAG: u8 = 0x80;
const FRIENDLY_BYTES: usize = 36;
const FRIENDLY_CHARS: usize = 48;
const RAW_HASH_CHARS: usize = 64;

/// An account address: its workchain and the hash of its initial state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TonAddress {
    /// 0 (basechain) or -1 (masterchain) for a parsed address.
    pub workchain: i8,
    /// The representation hash of the account's StateInit cell.
    pub hash: [u8; 32],
}

/// The flags of a user-friendly address, and the alphabet it is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FriendlyFlags {
    pub bounceable: bool,
    pub testnet: bool,
    /// base64url (`-`, `_`) rather than standard base64 (`+`, `/`).
    pub url_safe: bool,
}

/// How an address was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressForm {
    Raw,
    Friendly(FriendlyFlags),
}

impl TonAddress {
    /// Reads either form; see the module documentation.
    pub fn parse(text: &str) -> Result<TonAddress> {
        Self::parse_with_form(text).map(|(address, _)| address)
    }

    /// Reads either form and says which it was (for a user-friendly address: its flags; text
    /// without `-_+/` is reported as base64url, which reads the same).
    pub fn parse_with_form(text: &str) -> Result<(TonAddress, AddressForm)> {
        if text.len() == FRIENDLY_CHARS && !text.contains(':') {
            return parse_friendly(text);
        }
        parse_raw(text).map(|address| (address, AddressForm::Raw))
    }

    /// `<workchain>:<lowercase hex>`.
    pub fn to_raw(&self) -> String {
        let mut text = format!("{}:", self.workchain);
        text.push_str(&base16ct::lower::encode_string(&self.hash));
        text
    }

    /// The 48-character user-friendly form with `flags`.
    pub fn to_friendly(&self, flags: FriendlyFlags) -> String {
        let mut bytes = [0u8; FRIENDLY_BYTES];
        let tag = if flags.bounceable {
            BOUNCEABLE_TAG
        } else {
            NON_BOUNCEABLE_TAG
        };
        bytes[0] = if flags.testnet {
            tag | TESTNET_FLAG
        } else {
            tag
        };
        bytes[1] = self.workchain as u8;
        bytes[2..34].copy_from_slice(&self.hash);
        let crc = crc16_xmodem(&bytes[..34]);
        bytes[34..].copy_from_slice(&crc.to_be_bytes());
        if flags.url_safe {
            Base64Url::encode_string(&bytes)
        } else {
            Base64::encode_string(&bytes)
        }
    }
}

fn invalid(text: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::InvalidAddress,
        format!("not a TON address: {why}"),
    )
    .with_field("address")
    .with_received(text)
}

fn parse_raw(text: &str) -> Result<TonAddress> {
    let shape = "a raw address is 0: or -1: and 64 hex digits, a user-friendly one 48 base64 \
                 characters";
    let (workchain, hex) = text.split_once(':').ok_or_else(|| invalid(text, shape))?;
    let workchain = match workchain {
        "0" => 0,
        "-1" => -1,
        _ => {
            return Err(invalid(
                text,
                "the workchain must be 0 (basechain) or -1 (masterchain)",
            ));
        }
    };
    if hex.len() != RAW_HASH_CHARS {
        return Err(invalid(text, shape));
    }
    let mut hash = [0u8; 32];
    base16ct::mixed::decode(hex, &mut hash)
        .map_err(|_| invalid(text, "the hash is not 64 hex digits"))?;
    Ok(TonAddress { workchain, hash })
}

fn parse_friendly(text: &str) -> Result<(TonAddress, AddressForm)> {
    let url_alphabet = text.contains(['-', '_']);
    if url_alphabet && text.contains(['+', '/']) {
        return Err(invalid(text, "it mixes the base64 and base64url alphabets"));
    }
    let mut bytes = [0u8; FRIENDLY_BYTES];
    let decoded = if url_alphabet || !text.contains(['+', '/']) {
        Base64Url::decode(text, &mut bytes).map(<[u8]>::len)
    } else {
        Base64::decode(text, &mut bytes).map(<[u8]>::len)
    };
    if decoded != Ok(FRIENDLY_BYTES) {
        return Err(invalid(
            text,
            "a user-friendly address is 48 base64 characters",
        ));
    }
    let flags = bytes[0];
    let bounceable = match flags & !TESTNET_FLAG {
        BOUNCEABLE_TAG => true,
        NON_BOUNCEABLE_TAG => false,
        _ => {
            return Err(invalid(
                text,
                "its flags byte is neither bounceable (0x11) nor non-bounceable (0x51)",
            ));
        }
    };
    let workchain = match bytes[1] {
        0x00 => 0,
        0xff => -1,
        _ => {
            return Err(invalid(
                text,
                "the workchain must be 0 (basechain) or -1 (masterchain)",
            ));
        }
    };
    let crc = crc16_xmodem(&bytes[..34]);
    if crc.to_be_bytes() != bytes[34..] {
        return Err(invalid(text, "its checksum does not match"));
    }
    let mut hash = [0u8; 32];
    hash.copy_from_slice(&bytes[2..34]);
    let form = FriendlyFlags {
        bounceable,
        testnet: flags & TESTNET_FLAG != 0,
        url_safe: !text.contains(['+', '/']),
    };
    Ok((TonAddress { workchain, hash }, AddressForm::Friendly(form)))
}

/// CRC-16/XMODEM (polynomial 0x1021, initial value 0, not reflected), as user-friendly addresses
/// end with.
pub fn crc16_xmodem(bytes: &[u8]) -> u16 {
    let mut crc = 0u16;
    for &byte in bytes {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc16_check_value() {
        // The standard check value of CRC-16/XMODEM.
        assert_eq!(crc16_xmodem(b"123456789"), 0x31C3);
    }

    #[test]
    fn raw_and_friendly_agree() {
        let address = TonAddress {
            workchain: -1,
            hash: [0xab; 32],
        };
        let raw = address.to_raw();
        assert_eq!(raw, format!("-1:{}", "ab".repeat(32)));
        assert_eq!(TonAddress::parse(&raw), Ok(address));
        assert_eq!(TonAddress::parse(&raw.to_uppercase()), Ok(address));
        for bounceable in [false, true] {
            for testnet in [false, true] {
                for url_safe in [false, true] {
                    let flags = FriendlyFlags {
                        bounceable,
                        testnet,
                        url_safe,
                    };
                    let text = address.to_friendly(flags);
                    assert_eq!(text.len(), 48);
                    let (parsed, form) = TonAddress::parse_with_form(&text).unwrap();
                    assert_eq!(parsed, address);
                    // Text without any of `-_+/` reads as base64url.
                    if text.contains(['-', '_', '+', '/']) {
                        assert_eq!(form, AddressForm::Friendly(flags));
                    }
                }
            }
        }
        for bad in ["1:ab", "+0:ab", "00:ab", "-0:ab", "0:", "", ":"] {
            assert_eq!(
                TonAddress::parse(bad).map_err(|e| e.code),
                Err(ErrorCode::InvalidAddress),
                "{bad}"
            );
        }
    }
}
