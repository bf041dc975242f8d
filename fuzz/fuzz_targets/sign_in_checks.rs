//! The full sign-in checks (`verify_siwe_sign_in`, `verify_solana_sign_in`) on arbitrary message
//! bytes and options never panic and only fail with the documented codes. When the target signs a
//! message itself with the key the message names, the signature check never fails, and with the
//! domain and nonce expected as the message states them the outcome is exactly the one a time
//! window computed here gives.
//!
//! Input layout (tests/fuzz_regressions.rs writes seeds in it):
//! `[flags] [skew] [8 bytes: now offset, i64 little-endian, ms] [n] [n bytes: signature]
//! [rest: message]`.
//! - flags: bit 0 Solana (else Ethereum); bit 1 sign the message here (its address is first
//!   replaced by the signing key's); bit 2 wrap a Solana message in an off-chain envelope; bits 3-7
//!   expect the message's own domain, nonce, address, URI (and scheme), chain id (else the domain
//!   and nonce are fixed values that rarely match, and the others are not checked).
//! - skew: 0 = none given, 255 = `u32::MAX`, otherwise that many times 500 seconds.
//! - now = the message's issued-at time (2025-01-01 when it has none) plus the offset.
#![no_main]

use std::sync::LazyLock;

use ed25519_dalek::{Signer, SigningKey as EdSigningKey};
use k256::ecdsa::SigningKey as EcdsaSigningKey;
use libfuzzer_sys::fuzz_target;
use wallet_linker::message::{
    create_siwe_message, create_solana_sign_in_message, parse_rfc3339_ms, parse_siwe_message,
    parse_solana_sign_in_message,
};
use wallet_linker::signin::{
    MAX_CLOCK_SKEW_SECONDS, OFFCHAIN_SIGNING_DOMAIN, SiweCheck, SolanaSignInCheck, sign_in_text,
    verify_siwe_sign_in, verify_solana_sign_in,
};
use wallet_linker::{Error, ErrorCode, evm, solana};

const SOLANA: u8 = 1;
const SIGN: u8 = 1 << 1;
const ENVELOPE: u8 = 1 << 2;
const EXPECT_DOMAIN: u8 = 1 << 3;
const EXPECT_NONCE: u8 = 1 << 4;
const EXPECT_ADDRESS: u8 = 1 << 5;
const EXPECT_URI: u8 = 1 << 6;
const EXPECT_CHAIN: u8 = 1 << 7;

/// Expected values used when the message's own are not taken.
const OTHER_DOMAIN: &str = "example.com";
const OTHER_NONCE: &str = "fuzzNonce0001";
/// 2025-01-01T00:00:00Z: "now" for a message without an issued-at time, plus the offset.
const BASE_NOW_MS: i64 = 1_735_689_600_000;

/// The keys of the sign-in fixtures in tests/verify.rs, so seeds written from them name these.
static EVM_KEY: LazyLock<(EcdsaSigningKey, String)> = LazyLock::new(|| {
    let key = EcdsaSigningKey::from_slice(&[0x5a; 32]).expect("a valid secret key");
    let point = key.verifying_key().to_sec1_point(false);
    let hash = evm::keccak256(&point.as_bytes()[1..]);
    let address: [u8; 20] = hash[12..].try_into().expect("20 bytes");
    let text = evm::eip55::checksum_of_bytes(&address);
    (key, text)
});
static SOLANA_KEY: LazyLock<(EdSigningKey, String)> = LazyLock::new(|| {
    let key = EdSigningKey::from_bytes(&[0x77; 32]);
    let address = solana::pubkey::to_address(key.verifying_key().as_bytes());
    (key, address)
});

struct Input<'a> {
    flags: u8,
    skew: Option<u32>,
    offset_ms: i64,
    signature: &'a [u8],
    message: &'a [u8],
}

impl Input<'_> {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    fn skew_is_valid(&self) -> bool {
        self.skew.is_none_or(|s| s <= MAX_CLOCK_SKEW_SECONDS)
    }

    fn skew_ms(&self) -> i128 {
        i128::from(self.skew.unwrap_or(60)) * 1000
    }

    fn now(&self, issued_at: Option<&str>) -> i64 {
        issued_at
            .and_then(|t| parse_rfc3339_ms(t).ok())
            .unwrap_or(BASE_NOW_MS)
            .saturating_add(self.offset_ms)
    }
}

fn input(data: &[u8]) -> Option<Input<'_>> {
    let (&flags, rest) = data.split_first()?;
    let (&skew, rest) = rest.split_first()?;
    let (offset, rest) = rest.split_first_chunk::<8>()?;
    let (&len, rest) = rest.split_first()?;
    let (signature, message) = rest.split_at(usize::from(len).min(rest.len()));
    Some(Input {
        flags,
        skew: match skew {
            0 => None,
            255 => Some(u32::MAX),
            n => Some(u32::from(n) * 500),
        },
        offset_ms: i64::from_le_bytes(*offset),
        signature,
        message,
    })
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = input(data) else {
        return;
    };
    if input.has(SOLANA) {
        solana_sign_in(&input);
    } else {
        siwe_sign_in(&input);
    }
});

fn personal_sign(message: &[u8]) -> Vec<u8> {
    let (signature, recovery_id) = EVM_KEY
        .0
        .sign_prehash_recoverable(&evm::eip191_hash(message));
    let mut out = signature.to_bytes().to_vec();
    out.push(27 + recovery_id.to_byte());
    out
}

fn siwe_sign_in(input: &Input<'_>) {
    let mut text = String::from_utf8_lossy(input.message).into_owned();
    if input.has(SIGN)
        && let Ok(mut fields) = parse_siwe_message(&text)
    {
        fields.address = EVM_KEY.1.clone();
        if let Ok(signed) = create_siwe_message(&fields) {
            text = signed;
        }
    }
    let parsed = parse_siwe_message(&text).ok();
    let signature = if input.has(SIGN) {
        personal_sign(text.as_bytes())
    } else {
        input.signature.to_vec()
    };
    let names_signer = input.has(SIGN) && parsed.as_ref().is_some_and(|m| m.address == EVM_KEY.1);

    let from_message = |flag: u8| parsed.as_ref().filter(|_| input.has(flag));
    let check = SiweCheck {
        domain: from_message(EXPECT_DOMAIN).map_or(OTHER_DOMAIN.to_owned(), |m| m.domain.clone()),
        nonce: from_message(EXPECT_NONCE).map_or(OTHER_NONCE.to_owned(), |m| m.nonce.clone()),
        now_ms: input.now(parsed.as_ref().map(|m| m.issued_at.as_str())),
        address: from_message(EXPECT_ADDRESS).map(|m| m.address.clone()),
        chain_id: from_message(EXPECT_CHAIN).map(|m| m.chain_id),
        uri: from_message(EXPECT_URI).map(|m| m.uri.clone()),
        scheme: from_message(EXPECT_URI).map(|m| m.scheme.clone().unwrap_or("https".into())),
        clock_skew_seconds: input.skew,
        max_age_seconds: None,
    };
    let result = verify_siwe_sign_in(&text, &signature, &check);

    if let Ok(fields) = &result {
        assert_eq!(Some(fields), parsed.as_ref());
    }
    let time = parsed.as_ref().and_then(|m| {
        expected_time_outcome(
            check.now_ms,
            input.skew_ms(),
            Some(&m.issued_at),
            m.expiration_time.as_deref(),
            m.not_before.as_deref(),
        )
    });
    let matching = names_signer && input.has(EXPECT_DOMAIN) && input.has(EXPECT_NONCE);
    check_outcome(input, result.map(|_| ()), names_signer, matching, time);
}

/// The compact off-chain message envelope (header version 0) around `text`, when it fits.
fn envelope(text: &[u8]) -> Option<Vec<u8>> {
    let len = u16::try_from(text.len()).ok().filter(|&n| n > 0)?;
    let format = if text.is_ascii() { 0 } else { 1 };
    let mut out = OFFCHAIN_SIGNING_DOMAIN.to_vec();
    out.extend([0, format]);
    out.extend(len.to_le_bytes());
    out.extend(text);
    Some(out)
}

fn solana_sign_in(input: &Input<'_>) {
    let mut text = input.message.to_vec();
    if input.has(SIGN)
        && let Ok(mut fields) = sign_in_text(&text).and_then(parse_solana_sign_in_message)
    {
        fields.address = SOLANA_KEY.1.clone();
        if let Ok(signed) = create_solana_sign_in_message(&fields) {
            text = signed.into_bytes();
        }
    }
    let signed = if input.has(ENVELOPE) {
        envelope(&text).unwrap_or(text)
    } else {
        text
    };
    let parsed = sign_in_text(&signed)
        .and_then(parse_solana_sign_in_message)
        .ok();
    let signature = if input.has(SIGN) {
        SOLANA_KEY.0.sign(&signed).to_bytes().to_vec()
    } else {
        input.signature.to_vec()
    };
    let names_signer =
        input.has(SIGN) && parsed.as_ref().is_some_and(|m| m.address == SOLANA_KEY.1);

    let from_message = |flag: u8| parsed.as_ref().filter(|_| input.has(flag));
    let check = SolanaSignInCheck {
        domain: from_message(EXPECT_DOMAIN).map_or(OTHER_DOMAIN.to_owned(), |m| m.domain.clone()),
        nonce: from_message(EXPECT_NONCE)
            .and_then(|m| m.nonce.clone())
            .unwrap_or_else(|| OTHER_NONCE.to_owned()),
        now_ms: input.now(parsed.as_ref().and_then(|m| m.issued_at.as_deref())),
        public_key: from_message(EXPECT_ADDRESS)
            .and_then(|m| solana::parse_public_key(&m.address).ok()),
        chain_id: from_message(EXPECT_CHAIN).and_then(|m| m.chain_id.clone()),
        uri: from_message(EXPECT_URI).and_then(|m| m.uri.clone()),
        clock_skew_seconds: input.skew,
        max_age_seconds: None,
    };
    let result = verify_solana_sign_in(&signed, &signature, &check);

    if let Ok(fields) = &result {
        assert_eq!(Some(fields), parsed.as_ref());
    }
    let time = parsed.as_ref().and_then(|m| {
        expected_time_outcome(
            check.now_ms,
            input.skew_ms(),
            m.issued_at.as_deref(),
            m.expiration_time.as_deref(),
            m.not_before.as_deref(),
        )
    });
    // A Sign-In With Solana without a nonce never passes: the nonce is required.
    let has_nonce = parsed.as_ref().is_some_and(|m| m.nonce.is_some());
    let matching = names_signer && input.has(EXPECT_DOMAIN) && input.has(EXPECT_NONCE) && has_nonce;
    check_outcome(input, result.map(|_| ()), names_signer, matching, time);
}

/// The time-window verdict, computed in wide integers: `Some(None)` for inside the window,
/// `Some(Some(code))` for the first rule broken, `None` when a timestamp does not parse.
fn expected_time_outcome(
    now: i64,
    skew: i128,
    issued_at: Option<&str>,
    expiration_time: Option<&str>,
    not_before: Option<&str>,
) -> Option<Option<ErrorCode>> {
    let ms = |text: Option<&str>| -> Option<Option<i128>> {
        text.map(|t| parse_rfc3339_ms(t).ok().map(i128::from))
            .map_or(Some(None), |parsed| parsed.map(Some))
    };
    let (issued, expires, starts) = (ms(issued_at)?, ms(expiration_time)?, ms(not_before)?);
    let now = i128::from(now);
    Some(if expires.is_some_and(|e| now >= e + skew) {
        Some(ErrorCode::Expired)
    } else if starts.is_some_and(|s| now < s - skew) {
        Some(ErrorCode::NotYetValid)
    } else if issued.is_some_and(|i| i > now + skew) {
        Some(ErrorCode::IssuedInFuture)
    } else {
        None
    })
}

const ALLOWED: &[ErrorCode] = &[
    ErrorCode::InvalidArgument,
    ErrorCode::MessageParse,
    ErrorCode::InvalidField,
    ErrorCode::InvalidAddress,
    ErrorCode::UnsupportedChain,
    ErrorCode::AddressMismatch,
    ErrorCode::DomainMismatch,
    ErrorCode::NonceMismatch,
    ErrorCode::SchemeMismatch,
    ErrorCode::UriMismatch,
    ErrorCode::ChainIdMismatch,
    ErrorCode::Expired,
    ErrorCode::NotYetValid,
    ErrorCode::IssuedInFuture,
    ErrorCode::InvalidPublicKey,
    ErrorCode::InvalidSignatureLength,
    ErrorCode::InvalidSignature,
    ErrorCode::SignatureMismatch,
];

fn check_outcome(
    input: &Input<'_>,
    result: Result<(), Error>,
    names_signer: bool,
    matching: bool,
    time: Option<Option<ErrorCode>>,
) {
    if !input.skew_is_valid() {
        assert_eq!(
            result.as_ref().map_err(|e| e.code),
            Err(ErrorCode::InvalidArgument)
        );
        return;
    }
    if let Err(e) = &result {
        assert!(ALLOWED.contains(&e.code), "{e:?}");
        if matches!(
            e.code,
            ErrorCode::AddressMismatch
                | ErrorCode::DomainMismatch
                | ErrorCode::NonceMismatch
                | ErrorCode::SchemeMismatch
                | ErrorCode::UriMismatch
                | ErrorCode::ChainIdMismatch
        ) {
            assert!(
                e.field.is_some() && e.expected.is_some() && e.received.is_some(),
                "{e:?}"
            );
        }
        if names_signer {
            assert!(
                !matches!(
                    e.code,
                    ErrorCode::SignatureMismatch
                        | ErrorCode::InvalidSignature
                        | ErrorCode::InvalidSignatureLength
                        | ErrorCode::InvalidPublicKey
                ),
                "a message signed by the key it names failed: {e:?}"
            );
        }
    }
    if matching && let Some(expected) = time {
        assert_eq!(result.map_err(|e| e.code), expected.map_or(Ok(()), Err));
    }
}
