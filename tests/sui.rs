#![cfg(not(target_arch = "wasm32"))]
//! Sui personal messages (`wallet_linker::sui`) against signatures made by `@mysten/sui`
//! (tests/vectors/sui_personal_message.json): each verifies, and every flipped bit of message,
//! signature or key fails; the schemes this package does not verify are coded errors.

#![allow(clippy::result_large_err)]

use base64ct::{Base64, Encoding};
use serde::Deserialize;
use wallet_linker::ErrorCode;
use wallet_linker::sui::{
    SuiScheme, SuiSignature, format_address, parse_address, personal_message_digest,
    verify_personal_message,
};

#[derive(Deserialize)]
struct Vector {
    scheme: String,
    message: String,
    address: String,
    signature: String,
}

#[derive(Deserialize)]
struct Vectors {
    vectors: Vec<Vector>,
}

fn vectors() -> Vec<Vector> {
    let path = format!(
        "{}/tests/vectors/sui_personal_message.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str::<Vectors>(&text).unwrap().vectors
}

fn flip(serialized: &str, bit: usize) -> String {
    let mut bytes = Base64::decode_vec(serialized).unwrap();
    bytes[bit / 8] ^= 1 << (bit % 8);
    Base64::encode_string(&bytes)
}

#[test]
fn mysten_signatures_of_every_scheme_verify() {
    let vectors = vectors();
    for scheme in ["ed25519", "secp256k1", "secp256r1"] {
        assert!(vectors.iter().filter(|v| v.scheme == scheme).count() >= 4);
    }
    for v in &vectors {
        assert_eq!(
            verify_personal_message(v.message.as_bytes(), &v.signature, &v.address),
            Ok(true),
            "{} {:?}",
            v.scheme,
            v.message
        );
        let parsed = SuiSignature::parse(&v.signature).unwrap();
        assert_eq!(format_address(&parsed.address()), v.address);
        assert_eq!(parsed.serialize(), v.signature);
        let expected = match v.scheme.as_str() {
            "ed25519" => SuiScheme::Ed25519,
            "secp256k1" => SuiScheme::Secp256k1,
            _ => SuiScheme::Secp256r1,
        };
        assert_eq!(parsed.scheme, expected);
    }
}

#[test]
fn another_message_or_address_is_false() {
    let vectors = vectors();
    for v in &vectors {
        let other = format!("{}!", v.message);
        assert_eq!(
            verify_personal_message(other.as_bytes(), &v.signature, &v.address),
            Ok(false)
        );
        let someone = vectors.iter().find(|w| w.address != v.address).unwrap();
        assert_eq!(
            verify_personal_message(v.message.as_bytes(), &v.signature, &someone.address),
            Ok(false)
        );
    }
}

#[test]
fn every_flipped_bit_of_the_signature_or_key_fails() {
    for v in vectors().iter().filter(|v| v.message == "hello") {
        let bits = Base64::decode_vec(&v.signature).unwrap().len() * 8;
        // The flag byte (bits 0..8) changes the scheme; the rest is signature and key.
        for bit in 8..bits {
            let flipped = flip(&v.signature, bit);
            let verdict = verify_personal_message(v.message.as_bytes(), &flipped, &v.address);
            assert!(
                !matches!(verdict, Ok(true)),
                "{} bit {bit} still verifies",
                v.scheme
            );
        }
    }
}

#[test]
fn the_digest_is_intent_and_bcs_bytes_under_blake2b() {
    // ULEB128 lengths: 127 is one byte, 128 is two (0x80 0x01).
    let short = personal_message_digest(&[7; 127]);
    let long = personal_message_digest(&[7; 128]);
    assert_ne!(short, long);
    // A long message verifies too (two-byte length prefix).
    let v = vectors()
        .into_iter()
        .find(|v| v.message.len() == 200)
        .unwrap();
    assert_eq!(
        verify_personal_message(v.message.as_bytes(), &v.signature, &v.address),
        Ok(true)
    );
}

#[test]
fn unsupported_and_malformed_signatures_are_coded() {
    let v = &vectors()[0];
    let mut bytes = Base64::decode_vec(&v.signature).unwrap();
    for (flag, code) in [
        (3u8, ErrorCode::UnsupportedSignatureScheme),
        (5, ErrorCode::UnsupportedSignatureScheme),
        (6, ErrorCode::UnsupportedSignatureScheme),
        (4, ErrorCode::InvalidSignature),
        (0xff, ErrorCode::InvalidSignature),
    ] {
        bytes[0] = flag;
        let serialized = Base64::encode_string(&bytes);
        let error = verify_personal_message(b"hello", &serialized, &v.address).unwrap_err();
        assert_eq!(error.code, code, "flag {flag}");
    }
    let cases = [
        ("", ErrorCode::InvalidSignatureLength),
        ("AA==", ErrorCode::InvalidSignatureLength),
        ("not base64!", ErrorCode::InvalidBase64),
    ];
    for (serialized, code) in cases {
        let error = verify_personal_message(b"hello", serialized, &v.address).unwrap_err();
        assert_eq!(error.code, code, "{serialized:?}");
    }
    // Ed25519 flag with a 33-byte key: wrong length for the scheme.
    let mut k1 = Base64::decode_vec(&vectors()[4].signature).unwrap();
    k1[0] = 0;
    let error = verify_personal_message(b"hello", &Base64::encode_string(&k1), &v.address);
    assert_eq!(error.unwrap_err().code, ErrorCode::InvalidSignatureLength);
}

#[test]
fn addresses_are_0x_and_64_hex_digits() {
    let v = &vectors()[0];
    assert!(parse_address(&v.address.to_uppercase().replacen("0X", "0x", 1)).is_ok());
    for bad in [
        "",
        "0x",
        "0x1",
        &v.address[2..],
        &format!("{}00", v.address),
        &v.address.replacen('0', "g", 3),
    ] {
        assert_eq!(
            parse_address(bad).unwrap_err().code,
            ErrorCode::InvalidAddress,
            "{bad}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sui sign-in: Dynamic's template for SUI, checked like the other sign-ins.

mod common;

use wallet_linker::message::{DynamicSignInParams, create_dynamic_sign_in_message};
use wallet_linker::signin::{SuiSignInCheck, verify_sui_sign_in};

const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

fn sui_sign_in(address: &str, nonce: &str, issued_at: &str) -> String {
    create_dynamic_sign_in_message(&DynamicSignInParams {
        chain: "SUI".into(),
        domain: Some("app.example.com".into()),
        address: address.into(),
        uri: Some("https://app.example.com/".into()),
        nonce: nonce.into(),
        issued_at: Some(issued_at.into()),
        environment_id: "env-1".into(),
        app_name: Some("Example".into()),
        ..DynamicSignInParams::default()
    })
    .unwrap()
}

fn check() -> SuiSignInCheck {
    SuiSignInCheck {
        domain: "app.example.com".into(),
        nonce: "nonce12345678".into(),
        now_ms: NOW,
        max_age_seconds: Some(300),
        ..SuiSignInCheck::default()
    }
}

fn run(message: &str, serialized: &str, check: &SuiSignInCheck) -> Result<(), ErrorCode> {
    let signature = SuiSignature::parse(serialized).map_err(|e| e.code)?;
    verify_sui_sign_in(message, &signature, check)
        .map(|_| ())
        .map_err(|e| e.code)
}

#[test]
fn sui_sign_in_checks_each_rule() {
    let (address, sign) = common::sui_key(9);
    let message = sui_sign_in(&address, "nonce12345678", "2026-01-01T00:00:00.000Z");
    let signature = sign(message.as_bytes());
    assert_eq!(run(&message, &signature, &check()), Ok(()));
    let with_address = SuiSignInCheck {
        address: Some(address.to_uppercase().replacen("0X", "0x", 1)),
        ..check()
    };
    assert_eq!(run(&message, &signature, &with_address), Ok(()));

    let (other, other_sign) = common::sui_key(10);
    for (check, expected) in [
        (
            SuiSignInCheck {
                domain: "evil.example".into(),
                ..check()
            },
            ErrorCode::DomainMismatch,
        ),
        (
            SuiSignInCheck {
                nonce: "othernonce123".into(),
                ..check()
            },
            ErrorCode::NonceMismatch,
        ),
        (
            SuiSignInCheck {
                now_ms: NOW + 301_000,
                ..check()
            },
            ErrorCode::Expired,
        ),
        (
            SuiSignInCheck {
                now_ms: NOW - 120_000,
                ..check()
            },
            ErrorCode::IssuedInFuture,
        ),
        (
            SuiSignInCheck {
                address: Some(other.clone()),
                ..check()
            },
            ErrorCode::AddressMismatch,
        ),
    ] {
        assert_eq!(run(&message, &signature, &check), Err(expected));
    }
    // Signed by another key, or over another message.
    assert_eq!(
        run(&message, &other_sign(message.as_bytes()), &check()),
        Err(ErrorCode::SignatureMismatch)
    );
    let later = sui_sign_in(&address, "nonce12345678", "2026-01-01T00:00:01.000Z");
    assert_eq!(
        run(&later, &signature, &check()),
        Err(ErrorCode::SignatureMismatch)
    );
    // Another chain's template is not a Sui sign-in.
    let evm = message.replace("Sui account", "Ethereum account");
    assert!(run(&evm, &signature, &check()).is_err());
}
