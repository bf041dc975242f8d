#![cfg(not(target_arch = "wasm32"))]
//! TON Connect `ton_proof` verification (`wallet_linker::ton`) against wallets and proofs made by
//! `@ton/ton`, `@ton/core` and `@ton/crypto` (tests/vectors/ton_proof.json, written by
//! tests/vectors/ton-vectors.mjs): every valid proof verifies and every refused one gets its code;
//! every flipped byte of signature, state init, domain, payload or timestamp is refused; addresses
//! round-trip in every form; the bag-of-cells reader refuses malformed input, never panicking.
//!
//! `WRITE_FUZZ_SEEDS=1 cargo test --test ton` (re)writes the `parse_ton` fuzz target's seeds into
//! fuzz/seeds/parse_ton/.

#![allow(clippy::result_large_err)]

mod common;

use std::collections::BTreeMap;

use base64ct::{Base64, Encoding};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use wallet_linker::options_reader::{self, FieldError};
use wallet_linker::ton::boc::{BOC_MAGIC, MAX_BOC_BYTES, MAX_CELLS, crc32c};
use wallet_linker::ton::proof::MAX_STATE_INIT_CHARS;
use wallet_linker::ton::{
    AddressForm, BagOfCells, FriendlyFlags, StateInit, TonAccount, TonAddress, TonProof,
    TonProofCheck, TonVerification, VerifiedTonProof, WalletVersion, build_ton_verification,
    ton_proof_digest, ton_proof_message, verify_ton_proof,
};
use wallet_linker::{Error, ErrorCode};

// ---------------------------------------------------------------------------------------------
// The vectors

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Check {
    domain: String,
    payload: String,
    now_ms: i64,
    max_age_seconds: u32,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(default)]
    wallet: Option<String>,
    expect: String,
    account: TonAccount,
    proof: TonProof,
    check: Check,
    /// Hex of the signed message and its digest (valid proofs only).
    #[serde(default)]
    message: String,
    #[serde(default)]
    digest: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Friendly {
    text: String,
    bounceable: bool,
    testnet: bool,
    url_safe: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WalletVector {
    version: String,
    public_key: String,
    code_hash: String,
    code_is_library: bool,
    workchain: i8,
    raw: String,
    friendly: Vec<Friendly>,
    state_init: String,
    state_init_indexed: String,
    state_init_no_crc: String,
}

#[derive(Deserialize)]
struct Counts {
    wallets: usize,
    valid: usize,
    invalid: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vectors {
    counts: BTreeMap<String, Counts>,
    code_hashes: BTreeMap<String, String>,
    wallets: Vec<WalletVector>,
    unsupported_wallets: Vec<WalletVector>,
    valid: Vec<Case>,
    invalid: Vec<Case>,
}

fn vectors() -> &'static Vectors {
    static VECTORS: std::sync::OnceLock<Vectors> = std::sync::OnceLock::new();
    VECTORS.get_or_init(|| {
        let path = format!(
            "{}/tests/vectors/ton_proof.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
}

fn check_of(case: &Case) -> TonProofCheck {
    TonProofCheck {
        domain: case.check.domain.clone(),
        payload: case.check.payload.clone(),
        now_ms: case.check.now_ms,
        max_age_seconds: Some(case.check.max_age_seconds),
        ..TonProofCheck::default()
    }
}

fn version_named(name: &str) -> WalletVersion {
    WalletVersion::ALL
        .into_iter()
        .find(|v| v.as_str() == name)
        .unwrap_or_else(|| panic!("no wallet version {name}"))
}

fn code_named(name: &str) -> ErrorCode {
    *ErrorCode::ALL
        .iter()
        .find(|c| c.as_str() == name)
        .unwrap_or_else(|| panic!("no error code {name}"))
}

fn hex(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(bytes)
}

fn code(result: Result<VerifiedTonProof, Error>) -> ErrorCode {
    result.expect_err("refused").code
}

fn verify(case: &Case) -> Result<VerifiedTonProof, Error> {
    verify_ton_proof(&case.proof, &case.account, &check_of(case))
}

// ---------------------------------------------------------------------------------------------
// Vectors: verdicts

#[test]
fn every_valid_proof_verifies() {
    let vectors = vectors();
    for (version, counts) in &vectors.counts {
        let of_version = |cases: &[Case]| {
            cases
                .iter()
                .filter(|c| c.name.split(' ').next() == Some(version.as_str()))
                .count()
        };
        assert_eq!(of_version(&vectors.valid), counts.valid, "{version}");
        assert_eq!(of_version(&vectors.invalid), counts.invalid, "{version}");
        let wallets = vectors.wallets.iter().filter(|w| &w.version == version);
        assert_eq!(wallets.count(), counts.wallets, "{version}");
        assert!(counts.valid >= 12 && counts.invalid >= 30, "{version}");
    }
    assert_eq!(vectors.counts.len(), 3);
    for case in &vectors.valid {
        assert_eq!(case.expect, "ok");
        let verified = verify(case).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let wallet = case.wallet.as_deref().unwrap();
        assert_eq!(verified.wallet, version_named(wallet), "{}", case.name);
        assert_eq!(hex(&verified.public_key), case.account.public_key);
        assert_eq!(verified.timestamp, case.proof.timestamp);
        assert_eq!(verified.chain.as_str(), case.account.chain);
        assert_eq!(
            Ok(verified.address),
            TonAddress::parse(&case.account.address)
        );
        // The message and digest the script built with Buffer operations.
        let message = ton_proof_message(
            &verified.address,
            &case.proof.domain.value,
            case.proof.timestamp,
            &case.proof.payload,
        );
        assert_eq!(hex(&message), case.message, "{}", case.name);
        assert_eq!(hex(&ton_proof_digest(&message)), case.digest);
    }
}

#[test]
fn every_refused_proof_gets_its_code() {
    let vectors = vectors();
    let mut seen = std::collections::BTreeSet::new();
    for case in &vectors.invalid {
        let expected = code_named(&case.expect);
        let error = verify(case).expect_err(&case.name);
        assert_eq!(error.code, expected, "{}: {error}", case.name);
        assert!(error.field.is_some(), "{}: no field", case.name);
        seen.insert(case.expect.as_str());
    }
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        [
            "ADDRESS_MISMATCH",
            "DOMAIN_MISMATCH",
            "EXPIRED",
            "ISSUED_IN_FUTURE",
            "NONCE_MISMATCH",
            "SIGNATURE_MISMATCH",
            "UNSUPPORTED_WALLET"
        ]
    );
}

#[test]
fn code_hashes_are_the_wallet_classes() {
    let vectors = vectors();
    for version in WalletVersion::ALL {
        assert_eq!(
            vectors.code_hashes[version.as_str()],
            hex(&version.code_hash())
        );
        assert_eq!(
            WalletVersion::from_code_hash(&version.code_hash()),
            Some(version)
        );
    }
}

#[test]
fn state_inits_in_every_encoding_read_as_their_wallet() {
    let vectors = vectors();
    for wallet in &vectors.wallets {
        let address = TonAddress::parse(&wallet.raw).unwrap();
        assert_eq!(address.workchain, wallet.workchain);
        for (text, indexed, crc) in [
            (&wallet.state_init, false, true),
            (&wallet.state_init_indexed, true, true),
            (&wallet.state_init_no_crc, false, false),
        ] {
            let bytes = Base64::decode_vec(text).unwrap();
            let bag = BagOfCells::parse(&bytes).unwrap();
            assert_eq!((bag.has_index(), bag.has_crc32c()), (indexed, crc));
            assert_eq!(bag.root_index(), 0);
            let state_init = StateInit::from_bag(bag).unwrap();
            assert_eq!(state_init.hash(), address.hash, "{}", wallet.raw);
            assert_eq!(
                state_init.code_hash().map(|h| hex(&h)).as_deref(),
                Some(wallet.code_hash.as_str())
            );
            assert_eq!(state_init.code_is_library(), wallet.code_is_library);
            let read = state_init.wallet().unwrap();
            assert_eq!(read.version, version_named(&wallet.version));
            assert_eq!(hex(&read.public_key), wallet.public_key);
        }
    }
    assert!(vectors.wallets.iter().filter(|w| w.code_is_library).count() >= 2);
    for wallet in &vectors.unsupported_wallets {
        let state_init =
            StateInit::from_boc(&Base64::decode_vec(&wallet.state_init).unwrap()).unwrap();
        assert_eq!(
            hex(&state_init.hash()),
            wallet.raw.split_once(':').unwrap().1
        );
        let error = state_init.wallet().unwrap_err();
        assert_eq!(
            error.code,
            ErrorCode::UnsupportedWallet,
            "{}",
            wallet.version
        );
        assert_eq!(
            error.received,
            Some(format!("code hash {}", wallet.code_hash))
        );
    }
}

#[test]
fn addresses_round_trip_in_every_form() {
    let vectors = vectors();
    for wallet in vectors.wallets.iter().chain(&vectors.unsupported_wallets) {
        let (address, form) = TonAddress::parse_with_form(&wallet.raw).unwrap();
        assert_eq!(form, AddressForm::Raw);
        assert_eq!(address.to_raw(), wallet.raw);
        assert_eq!(
            TonAddress::parse(&wallet.raw.to_uppercase()),
            Ok(address),
            "hex digits in either case"
        );
        assert_eq!(wallet.friendly.len(), 8);
        for friendly in &wallet.friendly {
            let flags = FriendlyFlags {
                bounceable: friendly.bounceable,
                testnet: friendly.testnet,
                url_safe: friendly.url_safe,
            };
            let (parsed, form) = TonAddress::parse_with_form(&friendly.text).unwrap();
            assert_eq!(parsed, address, "{}", friendly.text);
            let AddressForm::Friendly(read) = form else {
                panic!("{} read as raw", friendly.text)
            };
            assert_eq!(
                (read.bounceable, read.testnet),
                (flags.bounceable, flags.testnet)
            );
            assert_eq!(address.to_friendly(flags), friendly.text);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Every flipped byte is refused

fn first_valid_per_version(vectors: &Vectors) -> Vec<&Case> {
    let mut out: Vec<&Case> = Vec::new();
    for case in &vectors.valid {
        if !out.iter().any(|c| c.wallet == case.wallet) {
            out.push(case);
        }
    }
    assert_eq!(out.len(), 3);
    out
}

#[test]
fn every_flipped_signature_byte_is_refused() {
    let vectors = vectors();
    for case in first_valid_per_version(vectors) {
        let signature = Base64::decode_vec(&case.proof.signature).unwrap();
        for index in 0..signature.len() {
            for mask in [0x01, 0x80] {
                let mut flipped = signature.clone();
                flipped[index] ^= mask;
                let mut proof = case.proof.clone();
                proof.signature = Base64::encode_string(&flipped);
                let error = verify_ton_proof(&proof, &case.account, &check_of(case)).unwrap_err();
                assert!(
                    matches!(
                        error.code,
                        ErrorCode::SignatureMismatch | ErrorCode::InvalidSignature
                    ),
                    "{} byte {index}: {error}",
                    case.name
                );
            }
        }
    }
}

#[test]
fn every_flipped_state_init_byte_is_refused() {
    let vectors = vectors();
    let cases = first_valid_per_version(vectors);
    let mut refusals = BTreeMap::new();
    for case in cases {
        let wallet = vectors
            .wallets
            .iter()
            .find(|w| TonAddress::parse(&w.raw) == TonAddress::parse(&case.account.address))
            .unwrap();
        for text in [
            &wallet.state_init,
            &wallet.state_init_indexed,
            &wallet.state_init_no_crc,
        ] {
            let bytes = Base64::decode_vec(text).unwrap();
            for index in 0..bytes.len() {
                let mut flipped = bytes.clone();
                flipped[index] ^= 0x01;
                let mut account = case.account.clone();
                account.wallet_state_init = Some(Base64::encode_string(&flipped));
                let error = verify_ton_proof(&case.proof, &account, &check_of(case))
                    .expect_err("a flipped state init is refused");
                *refusals.entry(error.code.as_str()).or_insert(0) += 1;
            }
        }
    }
    // Without a CRC, a flipped bit inside a cell changes the hash: the address no longer matches.
    assert!(refusals.contains_key("INVALID_STATE_INIT"), "{refusals:?}");
    assert!(refusals.contains_key("ADDRESS_MISMATCH"), "{refusals:?}");
}

/// The four proofs (every domain and payload) of the first wallet of each version.
fn proofs_of_first_wallets(vectors: &Vectors) -> Vec<&Case> {
    let firsts: Vec<&str> = first_valid_per_version(vectors)
        .iter()
        .map(|c| c.name.split(' ').nth(1).unwrap())
        .collect();
    let cases: Vec<&Case> = vectors
        .valid
        .iter()
        .filter(|c| firsts.contains(&c.name.split(' ').nth(1).unwrap()))
        .collect();
    assert_eq!(cases.len(), 12);
    cases
}

/// Flips each byte of `text` (keeping it UTF-8), with `apply` writing it into a proof and check.
fn each_utf8_flip(text: &str, mut apply: impl FnMut(String)) -> usize {
    let mut tried = 0;
    for index in 0..text.len() {
        let mut bytes = text.as_bytes().to_vec();
        bytes[index] ^= 0x01;
        if let Ok(flipped) = String::from_utf8(bytes) {
            apply(flipped);
            tried += 1;
        }
    }
    tried
}

#[test]
fn every_flipped_domain_or_payload_byte_is_refused() {
    let vectors = vectors();
    for case in proofs_of_first_wallets(vectors) {
        // Flipped on both sides, so only the signature can tell.
        let domains = each_utf8_flip(&case.proof.domain.value, |domain| {
            let mut proof = case.proof.clone();
            proof.domain.value = domain.clone();
            proof.domain.length_bytes = domain.len() as u32;
            let check = TonProofCheck {
                domain,
                ..check_of(case)
            };
            assert_eq!(
                code(verify_ton_proof(&proof, &case.account, &check)),
                ErrorCode::SignatureMismatch,
                "{}",
                case.name
            );
        });
        let payloads = each_utf8_flip(&case.proof.payload, |payload| {
            let mut proof = case.proof.clone();
            proof.payload = payload.clone();
            let check = TonProofCheck {
                payload,
                ..check_of(case)
            };
            assert_eq!(
                code(verify_ton_proof(&proof, &case.account, &check)),
                ErrorCode::SignatureMismatch,
                "{}",
                case.name
            );
        });
        assert!(domains > 0 && payloads > 0);
    }
}

#[test]
fn every_flipped_timestamp_byte_is_refused() {
    let vectors = vectors();
    for case in proofs_of_first_wallets(vectors) {
        for index in 0..8 {
            for mask in [0x01u64, 0x80] {
                let mut proof = case.proof.clone();
                proof.timestamp ^= mask << (8 * index);
                // `now` follows the timestamp, so only the signature can tell.
                let now_ms = i64::try_from(proof.timestamp)
                    .ok()
                    .and_then(|s| s.checked_mul(1000))
                    .unwrap_or(i64::MAX);
                let check = TonProofCheck {
                    now_ms,
                    ..check_of(case)
                };
                assert_eq!(
                    code(verify_ton_proof(&proof, &case.account, &check)),
                    ErrorCode::SignatureMismatch,
                    "{} byte {index}",
                    case.name
                );
            }
        }
    }
}

#[test]
fn every_flipped_address_bit_is_refused() {
    let vectors = vectors();
    for case in first_valid_per_version(vectors) {
        let address = TonAddress::parse(&case.account.address).unwrap();
        for bit in 0..256 {
            let mut other = address;
            other.hash[bit / 8] ^= 0x80 >> (bit % 8);
            let mut account = case.account.clone();
            account.address = other.to_raw();
            let error = verify_ton_proof(&case.proof, &account, &check_of(case)).unwrap_err();
            assert_eq!(error.code, ErrorCode::AddressMismatch);
            assert_eq!(error.field.as_deref(), Some("account.walletStateInit"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Each check, its code

fn sample() -> (TonProof, TonAccount, TonProofCheck) {
    let vectors = vectors();
    let case = vectors
        .valid
        .iter()
        .find(|c| c.wallet.as_deref() == Some("v4r2"))
        .unwrap();
    (case.proof.clone(), case.account.clone(), check_of(case))
}

fn refusal(proof: &TonProof, account: &TonAccount, check: &TonProofCheck) -> (ErrorCode, String) {
    let e = verify_ton_proof(proof, account, check).unwrap_err();
    (e.code, e.field.unwrap_or_default())
}

#[test]
fn time_bounds_are_inclusive_of_max_age_and_skew() {
    let (proof, account, check) = sample();
    let signed_ms = proof.timestamp as i64 * 1000;
    let max_age_ms = i64::from(check.max_age_seconds.unwrap()) * 1000;
    let at = |now_ms: i64| TonProofCheck {
        now_ms,
        ..check.clone()
    };
    assert!(verify_ton_proof(&proof, &account, &at(signed_ms + max_age_ms)).is_ok());
    assert_eq!(
        refusal(&proof, &account, &at(signed_ms + max_age_ms + 1)),
        (ErrorCode::Expired, "proof.timestamp".into())
    );
    assert!(verify_ton_proof(&proof, &account, &at(signed_ms - 60_000)).is_ok());
    assert_eq!(
        refusal(&proof, &account, &at(signed_ms - 60_001)),
        (ErrorCode::IssuedInFuture, "proof.timestamp".into())
    );
    let no_skew = TonProofCheck {
        clock_skew_seconds: Some(0),
        ..at(signed_ms - 1)
    };
    assert_eq!(
        refusal(&proof, &account, &no_skew).0,
        ErrorCode::IssuedInFuture
    );
    // Without maxAgeSeconds: 300 s.
    let default_age = TonProofCheck {
        max_age_seconds: None,
        ..at(signed_ms + 300_000)
    };
    assert!(verify_ton_proof(&proof, &account, &default_age).is_ok());
    let too_old = TonProofCheck {
        max_age_seconds: None,
        ..at(signed_ms + 300_001)
    };
    assert_eq!(refusal(&proof, &account, &too_old).0, ErrorCode::Expired);
    // A timestamp beyond any time is in the future, not an overflow.
    let mut far = proof.clone();
    far.timestamp = u64::MAX;
    assert_eq!(refusal(&far, &account, &check).0, ErrorCode::IssuedInFuture);
}

#[test]
fn options_are_checked_first() {
    let (proof, account, check) = sample();
    let cases = [
        (
            TonProofCheck {
                domain: String::new(),
                ..check.clone()
            },
            "domain",
        ),
        (
            TonProofCheck {
                payload: String::new(),
                ..check.clone()
            },
            "payload",
        ),
        (
            TonProofCheck {
                max_age_seconds: Some(0),
                ..check.clone()
            },
            "maxAgeSeconds",
        ),
        (
            TonProofCheck {
                max_age_seconds: Some(86_401),
                ..check.clone()
            },
            "maxAgeSeconds",
        ),
        (
            TonProofCheck {
                clock_skew_seconds: Some(86_401),
                ..check.clone()
            },
            "clockSkewSeconds",
        ),
        (
            TonProofCheck {
                chain: Some("mainnet".into()),
                ..check.clone()
            },
            "chain",
        ),
    ];
    for (bad, field) in cases {
        assert_eq!(
            refusal(&proof, &account, &bad),
            (ErrorCode::InvalidArgument, field.to_owned())
        );
    }
}

#[test]
fn chain_is_mainnet_or_testnet_and_the_expected_one() {
    let (proof, mut account, check) = sample();
    let mainnet = TonProofCheck {
        chain: Some("-239".into()),
        ..check.clone()
    };
    let testnet = TonProofCheck {
        chain: Some("-3".into()),
        ..check.clone()
    };
    assert_eq!(account.chain, "-239");
    assert!(verify_ton_proof(&proof, &account, &mainnet).is_ok());
    assert_eq!(
        refusal(&proof, &account, &testnet),
        (ErrorCode::ChainIdMismatch, "account.chain".into())
    );
    for other in ["-1", "0", "", "239", "-239 "] {
        account.chain = other.into();
        assert_eq!(
            refusal(&proof, &account, &check),
            (ErrorCode::UnsupportedChain, "account.chain".into())
        );
    }
}

#[test]
fn domain_and_payload_must_match_exactly() {
    let (proof, account, check) = sample();
    for domain in [
        "Example.com",
        "example.com.",
        "example.co",
        "sub.example.com",
    ] {
        let mut other = proof.clone();
        other.domain.value = domain.into();
        other.domain.length_bytes = domain.len() as u32;
        let e = verify_ton_proof(&other, &account, &check).unwrap_err();
        assert_eq!(e.code, ErrorCode::DomainMismatch);
        assert_eq!(e.expected.as_deref(), Some(check.domain.as_str()));
        assert_eq!(e.received.as_deref(), Some(domain));
    }
    let mut wrong_length = proof.clone();
    wrong_length.domain.length_bytes = 0;
    assert_eq!(
        refusal(&wrong_length, &account, &check),
        (ErrorCode::DomainMismatch, "proof.domain.lengthBytes".into())
    );
    let mut other = proof.clone();
    other.payload.push(' ');
    assert_eq!(
        refusal(&other, &account, &check),
        (ErrorCode::NonceMismatch, "proof.payload".into())
    );
}

#[test]
fn malformed_members_are_coded() {
    let (proof, account, check) = sample();
    let with_account = |edit: &dyn Fn(&mut TonAccount)| {
        let mut account = account.clone();
        edit(&mut account);
        refusal(&proof, &account, &check)
    };
    let with_proof = |edit: &dyn Fn(&mut TonProof)| {
        let mut proof = proof.clone();
        edit(&mut proof);
        refusal(&proof, &account, &check)
    };
    let address = |code| (code, "account.address".to_owned());
    for bad in [
        "",
        "0:",
        "1:0000000000000000000000000000000000000000000000000000000000000000",
        "0:000000000000000000000000000000000000000000000000000000000000000g",
        "EQCNyniXLqtKjisdPyp+Q8HFY+aW9lu5xa4IRWhM7hODhE65",
    ] {
        assert_eq!(
            with_account(&|a| a.address = bad.into()),
            address(ErrorCode::InvalidAddress),
            "{bad}"
        );
    }
    assert_eq!(
        with_account(&|a| a.public_key = "zz".repeat(32)),
        (ErrorCode::InvalidHex, "account.publicKey".into())
    );
    assert_eq!(
        with_account(&|a| a.public_key = "ab".repeat(31)),
        (ErrorCode::InvalidPublicKey, "account.publicKey".into())
    );
    assert_eq!(
        with_account(&|a| a.public_key = format!("0x{}", "ab".repeat(32))),
        (ErrorCode::InvalidPublicKey, "account.publicKey".into())
    );
    assert_eq!(
        with_proof(&|p| p.signature = "not base64!".into()),
        (ErrorCode::InvalidBase64, "proof.signature".into())
    );
    assert_eq!(
        with_proof(&|p| p.signature = Base64::encode_string(&[7; 63])),
        (ErrorCode::InvalidSignatureLength, "proof.signature".into())
    );
    // S = L (the group order) is not canonical.
    let mut non_canonical = [0u8; 64];
    non_canonical[32..].copy_from_slice(&[
        0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]);
    assert_eq!(
        with_proof(&|p| p.signature = Base64::encode_string(&non_canonical)),
        (ErrorCode::InvalidSignature, "proof.signature".into())
    );
    assert_eq!(
        with_account(&|a| a.wallet_state_init = Some("%%%".into())),
        (ErrorCode::InvalidBase64, "account.walletStateInit".into())
    );
    assert_eq!(
        with_account(&|a| a.wallet_state_init = Some(Base64::encode_string(b"not a boc"))),
        (
            ErrorCode::InvalidStateInit,
            "account.walletStateInit".into()
        )
    );
    assert_eq!(
        with_account(&|a| a.wallet_state_init = Some("A".repeat(MAX_STATE_INIT_CHARS + 1))),
        (ErrorCode::InputTooLarge, "account.walletStateInit".into())
    );
    assert_eq!(
        with_proof(&|p| p.payload = "p".repeat(5000)),
        (ErrorCode::InputTooLarge, "proof.payload".into())
    );
}

#[test]
fn the_state_init_comes_from_the_account_or_the_proof() {
    let (proof, account, check) = sample();
    let state_init = account.wallet_state_init.clone();
    // Only in the proof (`state_init`), as TON Connect's reference backend passes it.
    let mut in_proof = proof.clone();
    in_proof.state_init = state_init.clone();
    let mut without = account.clone();
    without.wallet_state_init = None;
    assert!(verify_ton_proof(&in_proof, &without, &check).is_ok());
    // In both, the same.
    assert!(verify_ton_proof(&in_proof, &account, &check).is_ok());
    // In neither (an empty text counts as absent).
    assert_eq!(
        refusal(&proof, &without, &check),
        (ErrorCode::MissingField, "account.walletStateInit".into())
    );
    without.wallet_state_init = Some(String::new());
    assert_eq!(refusal(&proof, &without, &check).0, ErrorCode::MissingField);
    // Only in the proof, and not the address's: the refusal names the proof's member.
    let vectors = vectors();
    let mut foreign = proof.clone();
    foreign.state_init = Some(vectors.wallets[0].state_init.clone());
    let mut account_without = account.clone();
    account_without.wallet_state_init = None;
    assert_eq!(
        refusal(&foreign, &account_without, &check),
        (ErrorCode::AddressMismatch, "proof.state_init".into())
    );
    // Two different ones.
    let mut conflicting = proof.clone();
    conflicting.state_init = Some(vectors.wallets[0].state_init.clone());
    assert_eq!(
        refusal(&conflicting, &account, &check),
        (ErrorCode::InvalidStateInit, "proof.state_init".into())
    );
}

// ---------------------------------------------------------------------------------------------
// A bag-of-cells writer, for inputs @ton/core would not make

/// A cell as serialized: descriptors, data (with its completion tag) and reference indices.
#[derive(Clone, Debug)]
struct RawCell {
    d1: u8,
    d2: u8,
    data: Vec<u8>,
    refs: Vec<u64>,
}

/// An ordinary cell of `bit_len` bits from `bytes` (high bits first) and its references.
fn cell(bytes: &[u8], bit_len: usize, refs: &[u64]) -> RawCell {
    let mut data = bytes[..bit_len.div_ceil(8)].to_vec();
    if !bit_len.is_multiple_of(8) {
        let last = data.last_mut().unwrap();
        let keep = 0xFFu8 << (8 - bit_len % 8);
        *last = (*last & keep) | (0x80 >> (bit_len % 8));
    }
    RawCell {
        d1: refs.len() as u8,
        d2: (bit_len / 8 + bit_len.div_ceil(8)) as u8,
        data,
        refs: refs.to_vec(),
    }
}

#[derive(Clone, Copy)]
struct Layout {
    index: bool,
    crc: bool,
    ref_size: usize,
    offset_size: usize,
}

const PLAIN: Layout = Layout {
    index: false,
    crc: true,
    ref_size: 1,
    offset_size: 2,
};

fn be(value: u64, size: usize) -> Vec<u8> {
    value.to_be_bytes()[8 - size..].to_vec()
}

fn write_boc(cells: &[RawCell], root: u64, layout: Layout) -> Vec<u8> {
    let mut body = Vec::new();
    let mut ends = Vec::new();
    for c in cells {
        body.extend([c.d1, c.d2]);
        body.extend(&c.data);
        for &r in &c.refs {
            body.extend(be(r, layout.ref_size));
        }
        ends.push(body.len() as u64);
    }
    let mut out = BOC_MAGIC.to_vec();
    out.push(u8::from(layout.index) << 7 | u8::from(layout.crc) << 6 | layout.ref_size as u8);
    out.push(layout.offset_size as u8);
    out.extend(be(cells.len() as u64, layout.ref_size));
    out.extend(be(1, layout.ref_size));
    out.extend(be(0, layout.ref_size));
    out.extend(be(body.len() as u64, layout.offset_size));
    out.extend(be(root, layout.ref_size));
    if layout.index {
        for end in ends {
            out.extend(be(end, layout.offset_size));
        }
    }
    out.extend(body);
    if layout.crc {
        let crc = crc32c(&out);
        out.extend(crc.to_le_bytes());
    }
    out
}

/// The cells of a parsed bag, to be changed and written again.
fn raw_cells(bag: &BagOfCells) -> Vec<RawCell> {
    bag.cells()
        .iter()
        .map(|c| RawCell {
            d1: c.descriptor()[0],
            d2: c.descriptor()[1],
            data: c.data().to_vec(),
            refs: c.refs().iter().map(|&r| r as u64).collect(),
        })
        .collect()
}

/// Overwrites `bytes.len() * 8` bits of `data` from bit `offset`.
fn write_bits(data: &mut [u8], offset: usize, bytes: &[u8]) {
    for (i, byte) in bytes.iter().enumerate() {
        for bit in 0..8 {
            let at = offset + i * 8 + bit;
            let mask = 0x80 >> (at % 8);
            if byte & (0x80 >> bit) != 0 {
                data[at / 8] |= mask;
            } else {
                data[at / 8] &= !mask;
            }
        }
    }
}

/// The number of data bits of a serialized cell.
fn bit_len(c: &RawCell) -> usize {
    let whole = usize::from(c.d2 / 2) * 8;
    if c.d2.is_multiple_of(2) {
        whole
    } else {
        whole + 7 - c.data.last().unwrap().trailing_zeros() as usize
    }
}

fn invalid_boc(bytes: &[u8]) -> String {
    match BagOfCells::parse(bytes) {
        Err(e) => {
            assert_eq!(e.code, ErrorCode::InvalidStateInit, "{e}");
            e.message
        }
        Ok(_) => panic!("accepted {bytes:02x?}"),
    }
}

fn leaf() -> RawCell {
    cell(&[0xAB, 0xC0], 10, &[])
}

#[test]
fn the_writer_matches_ton_core() {
    let vectors = vectors();
    for wallet in &vectors.wallets {
        for (text, index, crc) in [
            (&wallet.state_init, false, true),
            (&wallet.state_init_indexed, true, true),
            (&wallet.state_init_no_crc, false, false),
        ] {
            let bytes = Base64::decode_vec(text).unwrap();
            let bag = BagOfCells::parse(&bytes).unwrap();
            let layout = Layout {
                index,
                crc,
                ref_size: bag.ref_size(),
                offset_size: bag.offset_size(),
            };
            assert_eq!(write_boc(&raw_cells(&bag), 0, layout), bytes);
        }
    }
}

#[test]
fn the_reader_refuses_truncated_input() {
    let vectors = vectors();
    for wallet in &vectors.wallets[..1] {
        for text in [
            &wallet.state_init,
            &wallet.state_init_indexed,
            &wallet.state_init_no_crc,
        ] {
            let bytes = Base64::decode_vec(text).unwrap();
            for len in 0..bytes.len() {
                invalid_boc(&bytes[..len]);
            }
        }
    }
}

#[test]
fn the_reader_refuses_oversized_input() {
    let big = vec![0u8; MAX_BOC_BYTES + 1];
    assert_eq!(
        BagOfCells::parse(&big).unwrap_err().code,
        ErrorCode::InputTooLarge
    );
    // More cells than read, each tiny: refused by count before any is read.
    let many: Vec<RawCell> = (0..=MAX_CELLS as u64)
        .map(|i| {
            if i < MAX_CELLS as u64 {
                cell(&[], 0, &[i + 1])
            } else {
                cell(&[], 0, &[])
            }
        })
        .collect();
    let layout = Layout {
        ref_size: 2,
        ..PLAIN
    };
    assert!(invalid_boc(&write_boc(&many, 0, layout)).contains("cells"));
    // A chain of exactly MAX_CELLS cells is read, with its depth.
    let chain: Vec<RawCell> = (0..MAX_CELLS as u64)
        .map(|i| {
            if i + 1 < MAX_CELLS as u64 {
                cell(&[], 0, &[i + 1])
            } else {
                leaf()
            }
        })
        .collect();
    let bag = BagOfCells::parse(&write_boc(&chain, 0, layout)).unwrap();
    assert_eq!(bag.root().depth() as usize, MAX_CELLS - 1);
}

#[test]
fn the_reader_refuses_cycles_and_bad_indices() {
    // A cell referring to itself, to an earlier cell, and to one past the end.
    invalid_boc(&write_boc(&[cell(&[], 0, &[0])], 0, PLAIN));
    invalid_boc(&write_boc(
        &[cell(&[], 0, &[1]), cell(&[], 0, &[0])],
        0,
        PLAIN,
    ));
    invalid_boc(&write_boc(
        &[cell(&[], 0, &[1]), cell(&[], 0, &[1])],
        0,
        PLAIN,
    ));
    invalid_boc(&write_boc(&[cell(&[], 0, &[2]), leaf()], 0, PLAIN));
    // The root outside the bag; the root not first, so cell 0 is unreachable.
    invalid_boc(&write_boc(&[leaf()], 1, PLAIN));
    let message = invalid_boc(&write_boc(&[leaf(), cell(&[], 0, &[])], 1, PLAIN));
    assert!(message.contains("not reachable"), "{message}");
    // An index that does not give the cells' ends.
    let indexed = Layout {
        index: true,
        ..PLAIN
    };
    let mut bytes = write_boc(&[cell(&[], 0, &[1]), leaf()], 0, indexed);
    assert!(BagOfCells::parse(&bytes).is_ok());
    let first_end = 4 + 2 + 3 + 2 + 1; // magic, flags and sizes, counts, total size, root
    bytes[first_end + 1] ^= 1;
    let crc_at = bytes.len() - 4;
    let crc = crc32c(&bytes[..crc_at]).to_le_bytes();
    bytes[crc_at..].copy_from_slice(&crc);
    assert!(invalid_boc(&bytes).contains("index"));
}

#[test]
fn the_reader_refuses_extra_data() {
    let good = write_boc(&[cell(&[], 0, &[1]), leaf()], 0, PLAIN);
    assert!(BagOfCells::parse(&good).is_ok());
    // A byte after the CRC; without a CRC, after the cells.
    let mut trailing = good.clone();
    trailing.push(0);
    invalid_boc(&trailing);
    let no_crc = Layout {
        crc: false,
        ..PLAIN
    };
    let mut trailing = write_boc(&[leaf()], 0, no_crc);
    trailing.push(0);
    assert!(invalid_boc(&trailing).contains("follow"));
    // A total size that counts more than the cells.
    let mut padded_cell = leaf();
    padded_cell.refs.clear();
    let mut bytes = write_boc(&[padded_cell], 0, no_crc);
    bytes.push(0);
    bytes[4 + 2 + 3 + 1] += 1; // total size (2 bytes, low byte)
    assert!(invalid_boc(&bytes).contains("not cells"));
    // A bad CRC.
    let mut bad_crc = good.clone();
    *bad_crc.last_mut().unwrap() ^= 1;
    assert!(invalid_boc(&bad_crc).contains("CRC"));
}

#[test]
fn the_reader_refuses_what_a_wallet_never_holds() {
    let with = |edit: &dyn Fn(&mut RawCell)| {
        let mut c = leaf();
        edit(&mut c);
        write_boc(&[c], 0, PLAIN)
    };
    assert!(invalid_boc(&with(&|c| c.d1 |= 0x08)).contains("exotic"));
    // Library references are read; the other exotic types, or a library with references, not.
    let mut library_bytes = vec![2u8];
    library_bytes.extend([0x77; 32]);
    let library = RawCell {
        d1: 0x08,
        ..cell(&library_bytes, 264, &[])
    };
    let bag = BagOfCells::parse(&write_boc(std::slice::from_ref(&library), 0, PLAIN)).unwrap();
    assert_eq!(bag.root().library_hash(), Some([0x77; 32]));
    for (edit, why) in [
        (
            RawCell {
                data: {
                    let mut d = library_bytes.clone();
                    d[0] = 1;
                    d
                },
                ..library.clone()
            },
            "pruned",
        ),
        (
            RawCell {
                data: {
                    let mut d = library_bytes.clone();
                    d[0] = 3;
                    d
                },
                ..library.clone()
            },
            "Merkle",
        ),
        (
            RawCell {
                d1: 0x09,
                refs: vec![1],
                ..library.clone()
            },
            "library",
        ),
    ] {
        let mut cells = vec![edit];
        if !cells[0].refs.is_empty() {
            cells.push(leaf());
        }
        assert!(invalid_boc(&write_boc(&cells, 0, PLAIN)).contains(why));
    }
    let short = cell(&library_bytes, 256, &[]);
    assert!(
        invalid_boc(&write_boc(&[RawCell { d1: 0x08, ..short }], 0, PLAIN)).contains("library")
    );
    assert!(invalid_boc(&with(&|c| c.d1 |= 0x10)).contains("hashes"));
    assert!(invalid_boc(&with(&|c| c.d1 |= 0x20)).contains("level"));
    assert!(invalid_boc(&with(&|c| c.d1 = 7)).contains("references"));
    // A completion tag where the bits fill the byte, and none where they do not.
    assert!(BagOfCells::parse(&write_boc(&[cell(&[0xAB], 8, &[])], 0, PLAIN)).is_ok());
    let mut whole = cell(&[0xAB, 0x00], 8, &[]);
    whole.d2 = 3;
    whole.data = vec![0xAB, 0x80];
    assert!(invalid_boc(&write_boc(&[whole], 0, PLAIN)).contains("non-canonical"));
    let mut untagged = leaf();
    untagged.data = vec![0xAB, 0x00];
    assert!(invalid_boc(&write_boc(&[untagged], 0, PLAIN)).contains("completion tag"));

    let good = write_boc(&[leaf()], 0, PLAIN);
    let patched = |at: usize, value: u8| {
        let mut bytes = good.clone();
        bytes[at] = value;
        let crc_at = bytes.len() - 4;
        let crc = crc32c(&bytes[..crc_at]).to_le_bytes();
        bytes[crc_at..].copy_from_slice(&crc);
        bytes
    };
    assert!(invalid_boc(&patched(0, 0x68)).contains("magic"));
    assert!(invalid_boc(&patched(4, 0x40 | 0x20 | 1)).contains("cache"));
    assert!(invalid_boc(&patched(4, 0x40 | 0x08 | 1)).contains("reserved"));
    assert!(invalid_boc(&patched(4, 0x40 | 5)).contains("index is 1 to 4"));
    assert!(invalid_boc(&patched(4, 0x40)).contains("index is 1 to 4"));
    assert!(invalid_boc(&patched(5, 0)).contains("offset"));
    assert!(invalid_boc(&patched(5, 9)).contains("offset"));
    assert!(invalid_boc(&patched(6, 0)).contains("cells"));
    assert!(invalid_boc(&patched(7, 2)).contains("one root"));
    assert!(invalid_boc(&patched(7, 0)).contains("one root"));
    assert!(invalid_boc(&patched(8, 1)).contains("absent"));
}

// ---------------------------------------------------------------------------------------------
// State inits built here

/// A wallet's state init with its data cell changed by `edit`, written again, and the account
/// (address and key) that goes with it.
fn edited_state_init(wallet: &WalletVector, edit: impl FnOnce(&mut RawCell)) -> (String, String) {
    let bag = BagOfCells::parse(&Base64::decode_vec(&wallet.state_init).unwrap()).unwrap();
    let data_index = bag.root().refs()[1];
    let mut cells = raw_cells(&bag);
    edit(&mut cells[data_index]);
    let bytes = write_boc(&cells, 0, layout_of(&bag));
    let hash = *BagOfCells::parse(&bytes).unwrap().root().hash();
    let address = TonAddress {
        workchain: wallet.workchain,
        hash,
    };
    (Base64::encode_string(&bytes), address.to_raw())
}

/// @ton/core's layout (no index, a CRC) with the sizes `bag` was written with.
fn layout_of(bag: &BagOfCells) -> Layout {
    Layout {
        index: false,
        crc: true,
        ref_size: bag.ref_size(),
        offset_size: bag.offset_size(),
    }
}

fn account_for(state_init: String, address: String, key: &[u8]) -> TonAccount {
    TonAccount {
        address,
        chain: "-239".into(),
        public_key: hex(key),
        wallet_state_init: Some(state_init),
    }
}

#[test]
fn keys_are_read_at_their_offsets_and_data_layouts_are_strict() {
    let vectors = vectors();
    let first = |version: &str| {
        vectors
            .wallets
            .iter()
            .find(|w| w.version == version)
            .unwrap()
    };
    for (version, offset) in [("v3r2", 64), ("v4r2", 64), ("v5r1", 65)] {
        let wallet = first(version);
        // Another wallet's key: a usable Ed25519 key that did not sign the proof.
        let mut key = [0u8; 32];
        base16ct::lower::decode(&vectors.wallets[1].public_key, &mut key).unwrap();
        let (state_init, address) = edited_state_init(wallet, |data| {
            write_bits(&mut data.data, offset, &key);
        });
        let read = StateInit::from_boc(&Base64::decode_vec(&state_init).unwrap())
            .unwrap()
            .wallet()
            .unwrap();
        assert_eq!((read.version.as_str(), read.public_key), (version, key));
        let account = account_for(state_init, address, &key);
        // The state init is consistent; only the signature (by another key) fails.
        let (proof, _, check) = sample();
        assert_eq!(
            refusal(&proof, &account, &check).0,
            ErrorCode::SignatureMismatch
        );

        // One bit more or less than the layout; a dict bit without its reference.
        for bits in [-1i32, 1] {
            let (state_init, _) = edited_state_init(wallet, |data| {
                let len = (bit_len(data) as i32 + bits) as usize;
                let mut bytes = data.data.clone();
                bytes.push(0);
                *data = cell(&bytes, len, &data.refs);
            });
            let error = StateInit::from_boc(&Base64::decode_vec(&state_init).unwrap())
                .unwrap()
                .wallet()
                .unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidStateInit, "{version} {bits}");
        }
    }
    for version in ["v4r2", "v5r1"] {
        let (state_init, _) = edited_state_init(first(version), |data| {
            let dict_bit = if version == "v4r2" { 320 } else { 321 };
            data.data[dict_bit / 8] |= 0x80 >> (dict_bit % 8);
        });
        let error = StateInit::from_boc(&Base64::decode_vec(&state_init).unwrap())
            .unwrap()
            .wallet()
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::InvalidStateInit, "{version}");
    }
}

#[test]
fn a_small_order_key_in_a_wallet_is_refused() {
    let vectors = vectors();
    let wallet = vectors
        .wallets
        .iter()
        .find(|w| w.version == "v3r2")
        .unwrap();
    // The identity point's encoding: order 1.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let (state_init, address) = edited_state_init(wallet, |data| {
        write_bits(&mut data.data, 64, &identity);
    });
    let account = account_for(state_init, address, &identity);
    let (proof, _, check) = sample();
    assert_eq!(
        refusal(&proof, &account, &check),
        (ErrorCode::InvalidPublicKey, "account.publicKey".into())
    );
}

#[test]
fn state_inits_other_than_a_wallets_are_refused() {
    // A root with library, split depth or tick-tock; without data; with bits left over.
    let shapes: [(&[u8], usize, &[u64], ErrorCode); 6] = [
        // 0 0 1 1 1: code, data and a library.
        (&[0b0011_1000], 5, &[1, 2, 3], ErrorCode::UnsupportedWallet),
        // split depth 5 bits, then 0 1 1 0.
        (
            &[0b1000_0101, 0b1000_0000],
            10,
            &[1, 2],
            ErrorCode::UnsupportedWallet,
        ),
        // 0, tick-tock 2 bits, then 1 1 0.
        (&[0b0100_1100], 7, &[1, 2], ErrorCode::UnsupportedWallet),
        // code only.
        (&[0b0010_0000], 5, &[1], ErrorCode::UnsupportedWallet),
        // code and data, one bit too many.
        (&[0b0011_0000], 6, &[1, 2], ErrorCode::InvalidStateInit),
        // code and data flags but one reference.
        (&[0b0011_0000], 5, &[1], ErrorCode::InvalidStateInit),
    ];
    // A library reference as the root, or as the wallet's data.
    let mut library_bytes = vec![2u8];
    library_bytes.extend([0x77; 32]);
    let library = RawCell {
        d1: 0x08,
        ..cell(&library_bytes, 264, &[])
    };
    let root_library = StateInit::from_boc(&write_boc(std::slice::from_ref(&library), 0, PLAIN));
    assert_eq!(root_library.unwrap_err().code, ErrorCode::InvalidStateInit);
    let v3r2 = WalletVersion::V3R2.code_hash();
    let mut code_library = library_bytes.clone();
    code_library[1..].copy_from_slice(&v3r2);
    let cells = [
        cell(&[0b0011_0000], 5, &[1, 2]),
        RawCell {
            d1: 0x08,
            ..cell(&code_library, 264, &[])
        },
        library,
    ];
    let state_init = StateInit::from_boc(&write_boc(&cells, 0, PLAIN)).unwrap();
    assert_eq!(state_init.code_hash(), Some(v3r2));
    assert!(state_init.code_is_library());
    let error = state_init.wallet().unwrap_err();
    assert_eq!(error.code, ErrorCode::UnsupportedWallet);
    assert!(error.message.contains("data is a library"), "{error}");

    for (bits, len, refs, expected) in shapes {
        let mut cells = vec![cell(bits, len, refs)];
        for i in 0..refs.len() {
            // Distinct cells, so that each is referenced once.
            cells.push(cell(&[i as u8], 8, &[]));
        }
        let bytes = write_boc(&cells, 0, PLAIN);
        let result = StateInit::from_boc(&bytes).and_then(|s| s.wallet());
        assert_eq!(result.unwrap_err().code, expected, "{bits:02x?} {len}");
    }
}

// ---------------------------------------------------------------------------------------------
// Serde shapes

#[test]
fn snags_ton_verification_reads_and_writes_in_its_spelling() {
    let snag = json!({
        "proof": {
            "timestamp": 1767225600u64,
            "domain": { "lengthBytes": 11, "value": "example.com" },
            "payload": "abc",
            "signature": "c2ln",
            "state_init": "te6c"
        },
        "account": {
            "address": "0:00",
            "chain": "-239",
            "publicKey": "ab",
            "walletStateInit": "te6c"
        }
    });
    let read: TonVerification = serde_json::from_value(snag.clone()).unwrap();
    assert_eq!(read.proof.domain.length_bytes, 11);
    assert_eq!(read.proof.state_init.as_deref(), Some("te6c"));
    assert_eq!(read.account.wallet_state_init.as_deref(), Some("te6c"));
    assert_eq!(serde_json::to_value(&read).unwrap(), snag);

    // The optional members may be absent, and are then not written.
    let mut bare = snag.clone();
    bare["proof"].as_object_mut().unwrap().remove("state_init");
    bare["account"]
        .as_object_mut()
        .unwrap()
        .remove("walletStateInit");
    let read: TonVerification = serde_json::from_value(bare.clone()).unwrap();
    assert_eq!(serde_json::to_value(&read).unwrap(), bare);

    // Built from a TON Connect reply: the state init lands in both places.
    let built = build_ton_verification(
        read.proof.clone(),
        TonAccount {
            wallet_state_init: Some("te6c".into()),
            ..read.account.clone()
        },
    );
    assert_eq!(serde_json::to_value(&built).unwrap(), snag);
}

fn read_js<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Error> {
    options_reader::read(common::host::Js::json(&value), &[])
        .map_err(|e: FieldError| e.into_error("tonVerification", ErrorCode::InvalidArgument))
}

#[test]
fn the_options_reader_reads_every_member() {
    let vectors = vectors();
    let case = &vectors.valid[0];
    let value = json!({ "proof": case.proof, "account": case.account });
    let read: TonVerification = read_js(value.clone()).unwrap();
    assert_eq!(read.proof, case.proof);
    assert_eq!(read.account, case.account);
    assert!(read.verify(&check_of(case)).is_ok());

    let check: TonProofCheck = read_js(json!({
        "domain": "example.com", "payload": "n", "maxAgeSeconds": 60,
        "clockSkewSeconds": 5, "chain": "-3", "nowMs": 1
    }))
    .unwrap();
    assert_eq!(
        check,
        TonProofCheck {
            domain: "example.com".into(),
            payload: "n".into(),
            now_ms: 0,
            max_age_seconds: Some(60),
            clock_skew_seconds: Some(5),
            chain: Some("-3".into()),
        }
    );

    // TON Connect's wire format writes the timestamp as decimal text: the same proof.
    let mut text = value.clone();
    text["proof"]["timestamp"] = json!("1767225600");
    assert_eq!(
        read_js::<TonVerification>(text).unwrap().proof.timestamp,
        1_767_225_600
    );
    // Wrong types and missing members name the member.
    let mut wrong = value.clone();
    wrong["proof"]["timestamp"] = json!("17672256OO");
    let e = read_js::<TonVerification>(wrong).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidArgument, Some("proof.timestamp"))
    );
    let mut fraction = value.clone();
    fraction["proof"]["timestamp"] = json!(1.5);
    assert_eq!(
        read_js::<TonVerification>(fraction)
            .unwrap_err()
            .field
            .as_deref(),
        Some("proof.timestamp")
    );
    let mut missing = value.clone();
    missing["proof"]["domain"]
        .as_object_mut()
        .unwrap()
        .remove("lengthBytes");
    assert_eq!(
        read_js::<TonVerification>(missing)
            .unwrap_err()
            .field
            .as_deref(),
        Some("proof.domain.lengthBytes")
    );
}

// ---------------------------------------------------------------------------------------------
// Never a panic

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_bytes_are_a_bag_or_a_coded_error(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut input = BOC_MAGIC.to_vec();
        input.extend(&bytes);
        for candidate in [&bytes[..], &input[..]] {
            if let Err(e) = StateInit::from_boc(candidate).and_then(|s| s.wallet()) {
                prop_assert!(matches!(
                    e.code,
                    ErrorCode::InvalidStateInit | ErrorCode::UnsupportedWallet | ErrorCode::InputTooLarge
                ));
            }
        }
    }

    #[test]
    fn mutated_state_inits_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
        which in 0usize..9,
    ) {
        let vectors = vectors();
        let wallet = &vectors.wallets[which % vectors.wallets.len()];
        let mut bytes = Base64::decode_vec(&wallet.state_init_no_crc).unwrap();
        for (at, value, kind) in edits {
            let at = at.index(bytes.len());
            match kind {
                0 => bytes[at] = value,
                1 => bytes.insert(at, value),
                _ => { bytes.remove(at); }
            }
            if bytes.is_empty() {
                break;
            }
        }
        if let Ok(state_init) = StateInit::from_boc(&bytes) {
            let _ = state_init.wallet();
        }
    }

    #[test]
    fn any_text_is_an_address_or_invalid_address(text in "[-0-9a-fA-F:+/_A-Za-z=]{0,70}") {
        match TonAddress::parse_with_form(&text) {
            Ok((address, AddressForm::Raw)) => {
                prop_assert_eq!(address.to_raw(), text.to_lowercase());
            }
            Ok((address, AddressForm::Friendly(flags))) => {
                prop_assert_eq!(address.to_friendly(flags), text);
            }
            Err(e) => prop_assert_eq!(e.code, ErrorCode::InvalidAddress),
        }
    }

    #[test]
    fn any_proof_members_are_refused_without_panic(
        address in ".{0,80}",
        public_key in "[0-9a-f]{0,70}",
        signature in "[A-Za-z0-9+/=]{0,100}",
        state_init in "[A-Za-z0-9+/=]{0,200}",
        timestamp in any::<u64>(),
        now_ms in any::<i64>(),
        length_bytes in any::<u32>(),
    ) {
        let proof = TonProof {
            timestamp,
            domain: wallet_linker::ton::TonProofDomain { length_bytes, value: "example.com".into() },
            payload: "n".into(),
            signature,
            state_init: None,
        };
        let account = TonAccount {
            address,
            chain: "-239".into(),
            public_key,
            wallet_state_init: Some(state_init),
        };
        let check = TonProofCheck {
            domain: "example.com".into(),
            payload: "n".into(),
            now_ms,
            ..TonProofCheck::default()
        };
        prop_assert!(verify_ton_proof(&proof, &account, &check).is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// Fuzz seeds

#[test]
fn fuzz_seeds_are_valid_inputs() {
    let vectors = vectors();
    let mut seeds: Vec<(String, Vec<u8>)> = Vec::new();
    // The first wallet of each version, and those whose code is a library reference.
    let chosen = vectors.wallets.iter().enumerate().filter(|(i, w)| {
        w.code_is_library || !vectors.wallets[..*i].iter().any(|v| v.version == w.version)
    });
    for (_, wallet) in chosen {
        for (kind, text) in [
            ("boc", &wallet.state_init),
            ("boc-indexed", &wallet.state_init_indexed),
            ("boc-no-crc", &wallet.state_init_no_crc),
        ] {
            let bytes = Base64::decode_vec(text).unwrap();
            assert!(StateInit::from_boc(&bytes).unwrap().wallet().is_ok());
            seeds.push((
                format!("{}-{}-{kind}", wallet.version, &wallet.raw[2..10]),
                bytes,
            ));
        }
        seeds.push((
            format!("{}-{}-raw", wallet.version, &wallet.raw[2..10]),
            wallet.raw.as_bytes().to_vec(),
        ));
        let friendly = &wallet.friendly[0].text;
        assert!(TonAddress::parse(friendly).is_ok());
        seeds.push((
            format!("{}-{}-friendly", wallet.version, &wallet.raw[2..10]),
            friendly.as_bytes().to_vec(),
        ));
    }
    if std::env::var_os("WRITE_FUZZ_SEEDS").is_some() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/parse_ton");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &seeds {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
}
