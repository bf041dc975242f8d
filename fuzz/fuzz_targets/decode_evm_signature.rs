//! EVM signatures and addresses from arbitrary input: hex decoding, signature parsing, public-key
//! recovery and address parsing never panic, and what they accept is self-consistent (checked
//! against a reference hex decoder and the signature's own re-encodings).
//!
//! Input layout (tests/fuzz_regressions.rs writes seeds in it):
//! `[n] [n bytes: signature] [m] [m bytes: address text] [rest: message]`. The signature bytes are
//! tried as hex text; when they are not a valid hex signature they are used as raw bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wallet_linker::ErrorCode;
use wallet_linker::evm::{self, EvmSignature, EvmVerifier, eip55};

/// secp256k1's `n / 2` rounded down, big-endian (n from SEC 2 v2, section 2.4.1): the largest
/// low `s`.
const HALF_ORDER: [u8; 32] = [
    0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0x5D, 0x57, 0x6E, 0x73, 0x57, 0xA4, 0x50, 0x1D, 0xDF, 0xE9, 0x2F, 0x46, 0x68, 0x1B, 0x20, 0xA0,
];

/// The next length-prefixed part of the input (shorter if the input ends first).
fn take<'a>(data: &mut &'a [u8]) -> &'a [u8] {
    let Some((&len, rest)) = data.split_first() else {
        return &[];
    };
    let (part, rest) = rest.split_at(usize::from(len).min(rest.len()));
    *data = rest;
    part
}

fuzz_target!(|data: &[u8]| {
    let mut data = data;
    let signature = take(&mut data);
    let address = String::from_utf8_lossy(take(&mut data));
    let message = data;

    let decoded = check_hex(signature);
    check_address(&address);
    check_signature(message, decoded.as_deref().unwrap_or(signature), &address);
});

/// Hex digits (after one optional `0x`/`0X`) into bytes, written independently of the crate.
fn reference_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    if !digits.len().is_multiple_of(2) || !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    digits
        .as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect()
}

/// `decode_signature` accepts exactly the hex texts of 64 or 65 bytes, with the right bytes.
fn check_hex(raw: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(raw).ok()?;
    let result = evm::decode_signature(text);
    match (&result, reference_hex(text)) {
        (Ok(bytes), Some(expected)) => {
            assert_eq!(bytes, &expected, "{text:?}");
            assert!(matches!(bytes.len(), 64 | 65), "{text:?}");
        }
        (Ok(_), None) => panic!("non-hex text accepted: {text:?}"),
        (Err(e), Some(expected)) => {
            assert_eq!(e.code, ErrorCode::InvalidSignatureLength, "{text:?}");
            assert!(!matches!(expected.len(), 64 | 65), "{text:?}");
        }
        (Err(e), None) => assert_eq!(e.code, ErrorCode::InvalidHex, "{text:?}"),
    }
    result.ok()
}

/// Any-case parsing, checksumming and strict (EIP-55) parsing agree with one another.
fn check_address(text: &str) {
    match evm::parse_address(text) {
        Ok(bytes) => {
            let checksummed = eip55::checksum_of_bytes(&bytes);
            assert_eq!(evm::to_checksum_address(text).as_ref(), Ok(&checksummed));
            // Same digits, only the letter case (and the prefix's case) may differ.
            assert!(text.eq_ignore_ascii_case(&checksummed), "{text:?}");
            assert_eq!(evm::parse_address_strict(&checksummed), Ok(bytes));
            assert_eq!(
                evm::parse_address_strict(text).is_ok(),
                text == checksummed,
                "{text:?}"
            );
        }
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidAddress, "{text:?}");
            assert!(evm::to_checksum_address(text).is_err(), "{text:?}");
            assert!(evm::parse_address_strict(text).is_err(), "{text:?}");
            let verified = evm::verify_signature(b"", &[0u8; 65], text);
            assert_eq!(verified.map_err(|e| e.code), Err(ErrorCode::InvalidAddress));
        }
    }
}

/// Parsing gives a low-`s` signature whose two encodings parse back to it; recovery and
/// verification agree on who signed.
fn check_signature(message: &[u8], bytes: &[u8], address_text: &str) {
    let recovered = evm::recover_address(message, bytes);
    let signature = match EvmSignature::from_bytes(bytes) {
        Ok(signature) => signature,
        Err(e) => {
            assert!(
                matches!(
                    e.code,
                    ErrorCode::InvalidSignatureLength | ErrorCode::InvalidSignature
                ),
                "{e:?}"
            );
            assert_eq!(recovered.map_err(|e| e.code), Err(e.code));
            return;
        }
    };
    assert!(signature.s()[..] <= HALF_ORDER[..], "s was not normalised");
    assert_ne!(signature.r(), &[0u8; 32]);
    assert_ne!(signature.s(), &[0u8; 32]);
    assert_eq!(
        EvmSignature::from_bytes(&signature.to_bytes()),
        Ok(signature)
    );
    assert_eq!(
        EvmSignature::from_bytes(&signature.to_compact_bytes()),
        Ok(signature)
    );

    let claimed = evm::parse_address(address_text).ok();
    match recovered {
        Ok(signer) => {
            // One more recovery per input at most: through the address given, or the signer's.
            match claimed {
                Some(claimed) => assert_eq!(
                    evm::verify_signature(message, bytes, address_text),
                    Ok(claimed == signer)
                ),
                None => assert_eq!(
                    EvmVerifier::from_address_bytes(signer).verify(message, bytes),
                    Ok(true)
                ),
            }
        }
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidSignature, "{e:?}");
            if claimed.is_some() {
                assert_eq!(
                    evm::verify_signature(message, bytes, address_text),
                    Ok(false)
                );
            }
        }
    }
}
