//! Solana signatures and public keys from arbitrary input: base58/base64 decoding, key checks and
//! strict ed25519 verification never panic. Decoding is checked against encoders written here:
//! every accepted text is the canonical encoding of what it decodes to, and a decoded 64-byte
//! signature re-encoded in base58 (or base64) decodes to the same bytes.
//!
//! Input layout (tests/fuzz_regressions.rs writes seeds in it):
//! `[n] [n bytes: signature] [m] [m bytes: public key] [rest: message]`. The signature is tried as
//! base58/base64 text and the key as a base58 address; when they do not decode, their raw bytes
//! are used. A 32-byte raw key part also serves as a secret key to sign the message with.
#![no_main]

use ed25519_dalek::{Signer, SigningKey};
use libfuzzer_sys::fuzz_target;
use wallet_linker::ErrorCode;
use wallet_linker::solana::{self, SolanaVerifier, pubkey};

const BASE58_ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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
    // The whole input as one text: over-long texts are refused by length before any decoding.
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = solana::decode_signature(text);
        let _ = solana::parse_public_key(text);
    }
    let mut rest = data;
    let signature = take(&mut rest);
    let key = take(&mut rest);
    let message = rest;

    let decoded_signature = check_signature_text(signature);
    let decoded_key = check_key_text(key);
    check_encodings_decode(signature, key);
    let signature = decoded_signature.as_ref().map_or(signature, |s| &s[..]);
    let key_bytes = decoded_key.as_ref().map_or(key, |k| &k[..]);
    check_verify(message, signature, key_bytes);
    if let Ok(seed) = <[u8; 32]>::try_from(key) {
        check_sign_then_verify(message, &seed);
    }
});

/// Base58 (Bitcoin alphabet) by repeated division of the big-endian number by 58.
fn base58(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    let mut number = bytes[zeros..].to_vec();
    let mut digits = Vec::new();
    while !number.is_empty() {
        let mut remainder = 0u32;
        let mut quotient = Vec::with_capacity(number.len());
        for &byte in &number {
            let accumulator = remainder * 256 + u32::from(byte);
            let digit = accumulator / 58;
            remainder = accumulator % 58;
            if !quotient.is_empty() || digit != 0 {
                quotient.push(digit as u8);
            }
        }
        digits.push(BASE58_ALPHABET[remainder as usize]);
        number = quotient;
    }
    let mut out = "1".repeat(zeros);
    out.extend(digits.iter().rev().map(|&d| char::from(d)));
    out
}

/// Standard padded base64.
fn base64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let group = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(
                    BASE64_ALPHABET[(group >> (18 - 6 * i) & 63) as usize],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An accepted signature text is the canonical encoding of its bytes, and those bytes re-encoded
/// either way decode back.
fn check_signature_text(raw: &[u8]) -> Option<[u8; 64]> {
    let text = std::str::from_utf8(raw).ok()?;
    match solana::decode_signature(text) {
        Ok(signature) => {
            let canonical = if text.ends_with('=') {
                base64(&signature)
            } else {
                base58(&signature)
            };
            assert_eq!(canonical, text);
            assert_eq!(solana::decode_signature(&base58(&signature)), Ok(signature));
            assert_eq!(solana::decode_signature(&base64(&signature)), Ok(signature));
            Some(signature)
        }
        Err(e) => {
            assert!(
                matches!(
                    e.code,
                    ErrorCode::InvalidBase58
                        | ErrorCode::InvalidBase64
                        | ErrorCode::InvalidSignatureLength
                ),
                "{e:?}"
            );
            assert_eq!(e.field.as_deref(), Some("signature"));
            None
        }
    }
}

/// An accepted address is the canonical base58 of its 32 bytes.
fn check_key_text(raw: &[u8]) -> Option<[u8; 32]> {
    let text = std::str::from_utf8(raw).ok()?;
    match solana::parse_public_key(text) {
        Ok(key) => {
            assert_eq!(base58(&key), text);
            assert_eq!(pubkey::to_address(&key), text);
            assert!(solana::is_valid_address(text));
            Some(key)
        }
        Err(e) => {
            assert!(
                matches!(
                    e.code,
                    ErrorCode::InvalidBase58 | ErrorCode::InvalidPublicKey
                ),
                "{e:?}"
            );
            assert_eq!(e.field.as_deref(), Some("publicKey"));
            assert!(!solana::is_valid_address(text));
            None
        }
    }
}

/// Raw bytes of the right length, encoded here, decode to themselves.
fn check_encodings_decode(signature: &[u8], key: &[u8]) {
    if let Ok(bytes) = <[u8; 64]>::try_from(signature) {
        assert_eq!(solana::decode_signature(&base58(&bytes)), Ok(bytes));
        assert_eq!(solana::decode_signature(&base64(&bytes)), Ok(bytes));
    }
    if let Ok(bytes) = <[u8; 32]>::try_from(key) {
        assert_eq!(solana::parse_public_key(&base58(&bytes)), Ok(bytes));
    }
}

/// Verification on arbitrary bytes gives a boolean or a coded error about the input at fault.
fn check_verify(message: &[u8], signature: &[u8], key: &[u8]) {
    match SolanaVerifier::new(key) {
        Ok(verifier) => {
            assert_eq!(&verifier.public_key()[..], key);
            match verifier.verify(message, signature) {
                Ok(_) => assert_eq!(signature.len(), 64),
                Err(e) => assert!(
                    matches!(
                        e.code,
                        ErrorCode::InvalidSignatureLength | ErrorCode::InvalidSignature
                    ),
                    "{e:?}"
                ),
            }
        }
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidPublicKey, "{e:?}");
            let direct = solana::verify(message, signature, key);
            assert_eq!(direct.map_err(|e| e.code), Err(ErrorCode::InvalidPublicKey));
        }
    }
}

/// A signature made here with an arbitrary secret verifies, also after a base58 round trip, and
/// not for a different message.
fn check_sign_then_verify(message: &[u8], seed: &[u8; 32]) {
    let key = SigningKey::from_bytes(seed);
    let signature = key.sign(message).to_bytes();
    let verifier = SolanaVerifier::new(key.verifying_key().as_bytes())
        .expect("a derived public key is a usable key");
    let text = base58(&signature);
    let decoded = solana::decode_signature(&text).expect("our base58 decodes");
    assert_eq!(verifier.verify(message, &decoded), Ok(true));
    let mut other = message.to_vec();
    other.push(0);
    assert_eq!(verifier.verify(&other, &signature), Ok(false));
}
