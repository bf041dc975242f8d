//! Full sign-in checks: parse the message, check it was meant for this site and this moment, and
//! verify its signature against the address it names.
//!
//! What is required, in the order it is checked (the first failure is reported):
//! 1. the message parses (`MESSAGE_PARSE`, `INVALID_ADDRESS`);
//! 2. the message's address equals the expected one, when one is given (`ADDRESS_MISMATCH`);
//! 3. `domain` equals the expected domain exactly, port and user info included
//!    (`DOMAIN_MISMATCH`); then the nonce (`NONCE_MISMATCH`), scheme (`SCHEME_MISMATCH`; a SIWE
//!    message without a scheme means `https`, as EIP-4361 says), URI (`URI_MISMATCH`) and chain id
//!    (`CHAIN_ID_MISMATCH`) when expected values are given;
//! 4. the time window, with a clock skew `s` (default 60 s) allowed in the caller's favour:
//!    `now >= expirationTime + s` is `EXPIRED` (so with no skew, `now == expirationTime` is
//!    already expired: the window is half-open), `now < notBefore − s` is `NOT_YET_VALID`, and
//!    `issuedAt > now + s` is `ISSUED_IN_FUTURE`;
//! 5. the signature verifies for the message's address (`SIGNATURE_MISMATCH`, after the format
//!    errors of [`crate::evm`] and [`crate::solana`]).
//!
//! Cheap checks come first, so a message for another site costs no curve arithmetic. Every
//! mismatch carries `expected` and `received`. Times are epoch milliseconds passed by the caller;
//! nothing here reads a clock.
//!
//! [`SiweCheck`] and [`SolanaSignInCheck`] read themselves from a caller's options object (serde,
//! camelCase members; see [`crate::options_reader`]), except for the current time, which a caller
//! gives as [`Now`], and the Solana key, which it gives as text or bytes.

use core::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, ErrorCode, Result};
use crate::evm;
use crate::message::grammar::{civil_from_days, parse_rfc3339_ms};
use crate::message::siwe::{SiweMessage, parse_siwe_message};
use crate::message::siws::{SolanaSignInInput, parse_solana_sign_in_message};
use crate::solana;

/// The clock skew allowed when none is given.
pub const DEFAULT_CLOCK_SKEW_SECONDS: u32 = 60;

/// Largest accepted clock skew (one day): a larger one would make the time window meaningless.
pub const MAX_CLOCK_SKEW_SECONDS: u32 = 86_400;

/// What a Sign-In with Ethereum message must match. Deserializes from the options of JavaScript's
/// `verifySiweSignIn` (`domain`, `nonce`, `address`, `chainId`, `uri`, `scheme`,
/// `clockSkewSeconds`, `maxAgeSeconds`); `now_ms` is not read (see [`Now`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiweCheck {
    /// The expected `domain` (RFC 3986 authority, e.g. `example.com` or `localhost:3000`).
    pub domain: String,
    /// The nonce the server issued for this sign-in.
    pub nonce: String,
    /// The current time, epoch milliseconds.
    #[serde(skip)]
    pub now_ms: i64,
    /// The expected signer, when the caller already knows it (compared case-insensitively).
    pub address: Option<String>,
    pub chain_id: Option<u64>,
    pub uri: Option<String>,
    pub scheme: Option<String>,
    /// Allowed clock difference in seconds; `None` means [`DEFAULT_CLOCK_SKEW_SECONDS`].
    pub clock_skew_seconds: Option<u32>,
    /// Oldest accepted message, in seconds since its `issuedAt` (see [`MAX_AGE_LIMIT_SECONDS`]).
    pub max_age_seconds: Option<u32>,
}

/// What a Sign-In With Solana message must match. Deserializes from the options of JavaScript's
/// `verifySolanaSignIn` (`domain`, `nonce`, `chainId`, `uri`, `clockSkewSeconds`,
/// `maxAgeSeconds`); `now_ms` and `public_key` are not read (see [`Now`]; the key is text or
/// bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolanaSignInCheck {
    /// The expected `domain`.
    pub domain: String,
    /// The nonce the server issued for this sign-in; the message must carry exactly this nonce.
    pub nonce: String,
    /// The current time, epoch milliseconds.
    #[serde(skip)]
    pub now_ms: i64,
    /// The expected signing key (the wallet's account); the message's address must equal it.
    #[serde(skip)]
    pub public_key: Option<[u8; 32]>,
    pub chain_id: Option<String>,
    pub uri: Option<String>,
    /// Allowed clock difference in seconds; `None` means [`DEFAULT_CLOCK_SKEW_SECONDS`].
    pub clock_skew_seconds: Option<u32>,
    /// Oldest accepted message, in seconds since its `issuedAt`; a message without `issuedAt`
    /// then fails with `MISSING_FIELD`.
    pub max_age_seconds: Option<u32>,
}

/// Largest time a JavaScript `Date` can hold, in milliseconds either side of 1970.
pub const MAX_DATE_MS: f64 = 8.64e15;

/// The current time as a JavaScript caller gives it (`now` of the sign-in checks): epoch
/// milliseconds or RFC 3339 text. A `Date` arrives as its `toISOString()` text (list `now` in the
/// options reader's `times`); anything else is kept as [`Now::Other`], so that [`Now::epoch_ms`]
/// refuses it in the words of the API rather than serde's.
#[derive(Clone, Debug, PartialEq)]
pub enum Now {
    EpochMs(f64),
    Text(String),
    /// A value of another type (an object, an array, a boolean).
    Other,
}

impl Now {
    /// The time `now` names in epoch milliseconds (a fraction is floored); without one, the
    /// runtime's `clock`.
    ///
    /// Errors (`field: "now"`): `INVALID_ARGUMENT` for a number that is not finite or is beyond
    /// what a `Date` holds (±8.64e15) and for a value of another type; `INVALID_FIELD` for text
    /// that is not an RFC 3339 date-time.
    pub fn epoch_ms(now: Option<&Now>, clock: impl FnOnce() -> i64) -> Result<i64> {
        match now {
            None => Ok(clock()),
            Some(Now::EpochMs(ms)) if ms.is_finite() && ms.abs() <= MAX_DATE_MS => {
                // In range by the guard, so the cast is exact after flooring.
                Ok(ms.floor() as i64)
            }
            Some(Now::EpochMs(_)) => Err(Error::new(
                ErrorCode::InvalidArgument,
                "now must be a finite time in epoch milliseconds",
            )
            .with_field("now")),
            Some(Now::Text(text)) => parse_rfc3339_ms(text).map_err(|e| Error {
                message: format!("now: {}", e.message),
                ..e.with_field("now")
            }),
            Some(Now::Other) => Err(Error::new(
                ErrorCode::InvalidArgument,
                "now must be epoch milliseconds (a number), an RFC 3339 string or a Date",
            )
            .with_field("now")),
        }
    }
}

/// Untagged: a number is [`Now::EpochMs`], a string [`Now::Text`], any other value [`Now::Other`].
impl<'de> Deserialize<'de> for Now {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NowVisitor)
    }
}

struct NowVisitor;

impl<'de> Visitor<'de> for NowVisitor {
    type Value = Now;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("epoch milliseconds (a number), an RFC 3339 string or a Date")
    }

    fn visit_i64<E: de::Error>(self, ms: i64) -> Result<Now, E> {
        Ok(Now::EpochMs(ms as f64))
    }

    fn visit_u64<E: de::Error>(self, ms: u64) -> Result<Now, E> {
        Ok(Now::EpochMs(ms as f64))
    }

    fn visit_f64<E: de::Error>(self, ms: f64) -> Result<Now, E> {
        Ok(Now::EpochMs(ms))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Now, E> {
        Ok(Now::Text(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Now, E> {
        Ok(Now::Text(text))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Now, E> {
        Ok(Now::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Now, E> {
        Ok(Now::Other)
    }

    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Now, E> {
        Ok(Now::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Now, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Now::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Now, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Now::Other)
    }
}

/// Largest `max_age_seconds` accepted (one day): a replay window longer than that is a mistake.
pub const MAX_AGE_LIMIT_SECONDS: u32 = 86_400;

/// Checks a SIWE sign-in: `message` is the EIP-4361 text the wallet signed with `personal_sign`,
/// `signature` its 65- or 64-byte signature (see [`evm::EvmSignature`]). Returns the parsed
/// fields. See the module documentation for the checks and their order.
pub fn verify_siwe_sign_in(
    message: &str,
    signature: &[u8],
    check: &SiweCheck,
) -> Result<SiweMessage> {
    let (fields, address) = check_siwe_fields(message, check)?;
    let signature = evm::EvmSignature::from_bytes(signature)?;
    let recovered = evm::recover_signer(message.as_bytes(), &signature);
    if recovered != Some(address) {
        let received = recovered.map_or_else(
            || "no address (no key can be recovered from the signature)".to_owned(),
            |bytes| evm::eip55::checksum_of_bytes(&bytes),
        );
        return Err(not_signed_by(&fields).with_received(received));
    }
    Ok(fields)
}

/// [`verify_siwe_sign_in`] for every kind of account: a valid EOA signature needs no RPC call;
/// otherwise `rpc` must serve the message's chain (`CHAIN_ID_MISMATCH`) and the account contract
/// decides (EIP-1271, EIP-6492; see [`evm::contract`]). Returns the fields and how the signature
/// was accepted. Dynamic's EVM template is an EIP-4361 message and is checked the same way.
pub async fn verify_siwe_sign_in_with_rpc<R: evm::EvmRpc>(
    message: &str,
    signature: &[u8],
    check: &SiweCheck,
    rpc: &R,
) -> Result<(SiweMessage, evm::SignatureKind)> {
    let (fields, address) = check_siwe_fields(message, check)?;
    if evm::contract::is_eoa_signature(message.as_bytes(), signature, &address) {
        return Ok((fields, evm::SignatureKind::Eoa));
    }
    evm::contract::check_chain(rpc, fields.chain_id).await?;
    let hash = evm::eip191_hash(message.as_bytes());
    match evm::contract::verify_on_chain(rpc, &address, &hash, signature).await? {
        evm::Verdict {
            valid: true,
            kind: Some(kind),
        } => Ok((fields, kind)),
        _ => Err(not_signed_by(&fields)),
    }
}

fn not_signed_by(fields: &SiweMessage) -> Error {
    Error::not_signed_by(&fields.address, NOT_SIGNED_BY)
}

const NOT_SIGNED_BY: &str = "the signature was not made by the message's address";

/// Every check of a SIWE sign-in but the signature's; gives the fields and the signer's address.
fn check_siwe_fields(message: &str, check: &SiweCheck) -> Result<(SiweMessage, [u8; 20])> {
    require_non_empty("domain", &check.domain)?;
    require_non_empty("nonce", &check.nonce)?;
    let skew_ms = skew_ms(check.clock_skew_seconds)?;
    let max_age_ms = max_age_ms(check.max_age_seconds)?;
    let expected_address = check
        .address
        .as_deref()
        .map(|a| evm::parse_address(a).map(|bytes| (a, bytes)))
        .transpose()?;
    let fields = parse_siwe_message(message)?;
    let address = evm::parse_address(&fields.address)?;
    same_signer(expected_address, address, &fields.address)?;
    same_domain_and_nonce((&check.domain, &check.nonce), &fields.domain, &fields.nonce)?;
    if let Some(scheme) = &check.scheme {
        // EIP-4361: "If scheme is not specified, HTTPS is assumed".
        let received = fields.scheme.as_deref().unwrap_or("https");
        Error::ensure_equal(ErrorCode::SchemeMismatch, "scheme", scheme, received)?;
    }
    if let Some(uri) = &check.uri {
        Error::ensure_equal(ErrorCode::UriMismatch, "uri", uri, &fields.uri)?;
    }
    if let Some(chain_id) = check.chain_id
        && chain_id != fields.chain_id
    {
        return Err(Error::mismatch(
            ErrorCode::ChainIdMismatch,
            "chainId",
            chain_id.to_string(),
            fields.chain_id.to_string(),
        ));
    }
    check_time_window(
        check.now_ms,
        skew_ms,
        Some(&fields.issued_at),
        fields.expiration_time.as_deref(),
        fields.not_before.as_deref(),
    )?;
    check_age(check.now_ms, max_age_ms, Some(&fields.issued_at))?;
    Ok((fields, address))
}

/// What a Sui sign-in (Dynamic's template for `SUI`, signed with `sui:signPersonalMessage`) must
/// match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuiSignInCheck {
    pub domain: String,
    pub nonce: String,
    pub now_ms: i64,
    /// The expected signer (`0x` and 64 hex digits), when the caller knows it.
    pub address: Option<String>,
    pub clock_skew_seconds: Option<u32>,
    pub max_age_seconds: Option<u32>,
}

/// Checks a Sui sign-in: `message` is Dynamic's template for `SUI`, `signature` the wallet's
/// serialized signature. The same rules as the other sign-ins: domain and nonce exact, `issuedAt`
/// not in the future and, with `max_age_seconds`, not older; then the signature, whose key must
/// be the message's address. Returns the parsed fields.
pub fn verify_sui_sign_in(
    message: &str,
    signature: &crate::sui::SuiSignature,
    check: &SuiSignInCheck,
) -> Result<crate::message::DynamicSignInParams> {
    require_non_empty("domain", &check.domain)?;
    require_non_empty("nonce", &check.nonce)?;
    let skew_ms = skew_ms(check.clock_skew_seconds)?;
    let max_age_ms = max_age_ms(check.max_age_seconds)?;
    let fields = crate::message::parse_dynamic_sign_in_message(message)?;
    if fields.chain != "SUI" {
        return Err(Error::new(
            ErrorCode::UnsupportedChain,
            "the message is not a Sui sign-in (Dynamic's template for SUI)",
        )
        .with_field("chain")
        .with_received(fields.chain.as_str()));
    }
    let address = crate::sui::parse_address(&fields.address)?;
    let expected = check
        .address
        .as_deref()
        .map(|a| crate::sui::parse_address(a).map(|bytes| (a, bytes)))
        .transpose()?;
    same_signer(expected, address, &fields.address)?;
    let domain = fields.domain.as_deref().unwrap_or_default();
    same_domain_and_nonce((&check.domain, &check.nonce), domain, &fields.nonce)?;
    check_time_window(
        check.now_ms,
        skew_ms,
        fields.issued_at.as_deref(),
        None,
        None,
    )?;
    check_age(check.now_ms, max_age_ms, fields.issued_at.as_deref())?;
    if !crate::sui::verify_signed_by(message.as_bytes(), signature, &address)? {
        return Err(Error::not_signed_by(&fields.address, NOT_SIGNED_BY));
    }
    Ok(fields)
}

/// Checks a Sign-In With Solana: `signed_message` is the exact bytes the wallet signed (the Wallet
/// Standard's `signedMessage` output), `signature` its 64-byte ed25519 signature. Returns the
/// parsed fields.
///
/// The signed bytes are either the message text itself or the text inside a Solana off-chain
/// message envelope (see [`sign_in_text`]); the signature is always checked over the bytes as
/// signed.
pub fn verify_solana_sign_in(
    signed_message: &[u8],
    signature: &[u8],
    check: &SolanaSignInCheck,
) -> Result<SolanaSignInInput> {
    require_non_empty("domain", &check.domain)?;
    require_non_empty("nonce", &check.nonce)?;
    let skew_ms = skew_ms(check.clock_skew_seconds)?;
    let max_age_ms = max_age_ms(check.max_age_seconds)?;
    let text = sign_in_text(signed_message)?;
    let fields = parse_solana_sign_in_message(text)?;
    let address = solana::parse_public_key(&fields.address).map_err(|e| {
        Error::new(ErrorCode::InvalidAddress, e.message)
            .with_field("address")
            .with_received(&fields.address)
    })?;
    let expected_key = check
        .public_key
        .map(|key| (solana::pubkey::to_address(&key), key));
    same_signer(expected_key, address, &fields.address)?;
    Error::ensure_equal(
        ErrorCode::DomainMismatch,
        "domain",
        &check.domain,
        &fields.domain,
    )?;
    equal_optional(
        ErrorCode::NonceMismatch,
        "nonce",
        &check.nonce,
        &fields.nonce,
    )?;
    if let Some(uri) = &check.uri {
        equal_optional(ErrorCode::UriMismatch, "uri", uri, &fields.uri)?;
    }
    if let Some(chain_id) = &check.chain_id {
        equal_optional(
            ErrorCode::ChainIdMismatch,
            "chainId",
            chain_id,
            &fields.chain_id,
        )?;
    }
    check_time_window(
        check.now_ms,
        skew_ms,
        fields.issued_at.as_deref(),
        fields.expiration_time.as_deref(),
        fields.not_before.as_deref(),
    )?;
    check_age(check.now_ms, max_age_ms, fields.issued_at.as_deref())?;
    let verifier = solana::SolanaVerifier::new(&address).map_err(|e| e.with_field("address"))?;
    if !verifier.verify(signed_message, signature)? {
        let message = "the signature was not made by the message's address over the signed bytes";
        return Err(Error::not_signed_by(&fields.address, message));
    }
    Ok(fields)
}

/// The first 16 bytes of a Solana off-chain message (`\xff` can never begin a transaction).
pub const OFFCHAIN_SIGNING_DOMAIN: &[u8; 16] = b"\xffsolana offchain";

/// The sign-in text inside the signed bytes.
///
/// Bytes that begin with [`OFFCHAIN_SIGNING_DOMAIN`] are a Solana off-chain message envelope,
/// header version 0, in either of its two published layouts:
/// - compact (Solana SDK, earlier Ledger apps): domain ‖ version 0 ‖ format ‖ length (u16 LE) ‖ text;
/// - extended (the off-chain message proposal): domain ‖ version 0 ‖ application domain (32) ‖
///   format ‖ signer count ‖ signers (32 each) ‖ length (u16 LE) ‖ text.
///
/// The length must equal the number of bytes that follow, so exactly one reading fits. Any other
/// bytes are the text itself. Arbitrary prefixes are not skipped: a signature over bytes that
/// merely end with a sign-in text (a transaction with a memo, say) must not sign anyone in.
pub fn sign_in_text(signed: &[u8]) -> Result<&str> {
    let bytes = match signed.strip_prefix(OFFCHAIN_SIGNING_DOMAIN) {
        Some(envelope) => offchain_text(envelope).ok_or_else(|| {
            Error::new(
                ErrorCode::MessageParse,
                "the signed bytes start like a Solana off-chain message but its header is not a \
                 version 0 header whose length matches the text",
            )
            .with_field("message")
        })?,
        None => signed,
    };
    core::str::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorCode::MessageParse,
            format!(
                "the signed message is not UTF-8 text (invalid byte at {})",
                e.valid_up_to()
            ),
        )
        .with_field("message")
    })
}

fn offchain_text(envelope: &[u8]) -> Option<&[u8]> {
    let (&version, rest) = envelope.split_first()?;
    if version != 0 {
        return None;
    }
    // Compact: format (0 = restricted ASCII, 1 = limited UTF-8, 2 = extended UTF-8) then length.
    if let Some((&format, after_format)) = rest.split_first()
        && format <= 2
        && let Some(text) = with_length(after_format)
    {
        return Some(text);
    }
    // Extended: application domain, format, signers, then length.
    let after_domain = rest.get(32..)?;
    let (&format, after_format) = after_domain.split_first()?;
    let (&signers, after_count) = after_format.split_first()?;
    if format > 2 || signers == 0 {
        return None;
    }
    with_length(after_count.get(usize::from(signers) * 32..)?)
}

/// The text after a u16 little-endian length that counts exactly the remaining bytes.
fn with_length(rest: &[u8]) -> Option<&[u8]> {
    let (length, text) = rest.split_first_chunk::<2>()?;
    (usize::from(u16::from_le_bytes(*length)) == text.len() && !text.is_empty()).then_some(text)
}

fn require_non_empty(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("{field} is required: the expected value must be given to check the message"),
        )
        .with_field(field));
    }
    Ok(())
}

fn skew_ms(seconds: Option<u32>) -> Result<i64> {
    let seconds = seconds.unwrap_or(DEFAULT_CLOCK_SKEW_SECONDS);
    check_clock_skew(seconds)?;
    Ok(i64::from(seconds) * 1_000)
}

/// Refuses a clock skew above [`MAX_CLOCK_SKEW_SECONDS`].
pub fn check_clock_skew(seconds: u32) -> Result<()> {
    if seconds > MAX_CLOCK_SKEW_SECONDS {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("clockSkewSeconds is at most {MAX_CLOCK_SKEW_SECONDS} (one day)"),
        )
        .with_field("clockSkewSeconds")
        .with_received(seconds.to_string()));
    }
    Ok(())
}

fn max_age_ms(seconds: Option<u32>) -> Result<Option<i64>> {
    match seconds {
        Some(s) if s == 0 || s > MAX_AGE_LIMIT_SECONDS => Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("maxAgeSeconds is a whole number from 1 to {MAX_AGE_LIMIT_SECONDS} (one day)"),
        )
        .with_field("maxAgeSeconds")
        .with_received(seconds.unwrap_or(0).to_string())),
        _ => Ok(seconds.map(|s| i64::from(s) * 1_000)),
    }
}

/// With a maximum age, `issuedAt` is required and `now < issuedAt + maxAge` (no skew: the age
/// bounds how long a captured signature can be replayed, and the nonce store's TTL is the same).
pub fn check_age(now: i64, max_age_ms: Option<i64>, issued_at: Option<&str>) -> Result<()> {
    let Some(max_age) = max_age_ms else {
        return Ok(());
    };
    let Some(text) = issued_at else {
        return Err(Error::new(
            ErrorCode::MissingField,
            "the message has no issuedAt, so its age cannot be checked against maxAgeSeconds",
        )
        .with_field("issuedAt"));
    };
    let issued = timestamp("issuedAt", text)?;
    if now >= issued.saturating_add(max_age) {
        return Err(Error::new(
            ErrorCode::Expired,
            format!(
                "the message was issued at {text}, more than {} s ago",
                max_age / 1000
            ),
        )
        .with_field("issuedAt")
        .with_expected(format!("issued within the last {} s", max_age / 1000))
        .with_received(format_rfc3339_ms(now)));
    }
    Ok(())
}

/// `ADDRESS_MISMATCH` when the caller expects a signer (its text and key) other than the
/// message's (`written`, whose key is `actual`).
fn same_signer<T: AsRef<str>, K: PartialEq>(
    expected: Option<(T, K)>,
    actual: K,
    written: &str,
) -> Result<()> {
    match expected {
        Some((text, key)) if key != actual => Err(Error::mismatch(
            ErrorCode::AddressMismatch,
            "address",
            text.as_ref(),
            written,
        )),
        _ => Ok(()),
    }
}

/// The message names the expected domain and carries the expected nonce.
fn same_domain_and_nonce(expected: (&str, &str), domain: &str, nonce: &str) -> Result<()> {
    Error::ensure_equal(ErrorCode::DomainMismatch, "domain", expected.0, domain)?;
    Error::ensure_equal(ErrorCode::NonceMismatch, "nonce", expected.1, nonce)
}

fn equal_optional(
    code: ErrorCode,
    field: &str,
    expected: &str,
    received: &Option<String>,
) -> Result<()> {
    match received {
        Some(received) => Error::ensure_equal(code, field, expected, received),
        None => Err(Error::new(
            code,
            format!("{field} mismatch: expected {expected:?}, but the message has no {field}"),
        )
        .with_field(field)
        .with_expected(expected)
        .with_received("(absent)")),
    }
}

fn timestamp(field: &str, text: &str) -> Result<i64> {
    parse_rfc3339_ms(text).map_err(|e| e.with_field(field))
}

/// Applies the half-open window [notBefore − skew, expirationTime + skew) and the issued-at bound.
fn check_time_window(
    now: i64,
    skew: i64,
    issued_at: Option<&str>,
    expiration_time: Option<&str>,
    not_before: Option<&str>,
) -> Result<()> {
    let now_text = || format_rfc3339_ms(now);
    if let Some(text) = expiration_time {
        let expires = timestamp("expirationTime", text)?;
        if now >= expires.saturating_add(skew) {
            return Err(
                Error::new(ErrorCode::Expired, format!("the message expired at {text}"))
                    .with_field("expirationTime")
                    .with_expected(format!("now before {text} (+{} s skew)", skew / 1000))
                    .with_received(now_text()),
            );
        }
    }
    if let Some(text) = not_before {
        let starts = timestamp("notBefore", text)?;
        if now < starts.saturating_sub(skew) {
            return Err(Error::new(
                ErrorCode::NotYetValid,
                format!("the message is not valid before {text}"),
            )
            .with_field("notBefore")
            .with_expected(format!("now at or after {text} (-{} s skew)", skew / 1000))
            .with_received(now_text()));
        }
    }
    if let Some(text) = issued_at {
        let issued = timestamp("issuedAt", text)?;
        if issued > now.saturating_add(skew) {
            return Err(Error::new(
                ErrorCode::IssuedInFuture,
                format!("the message claims to be issued at {text}, in the future"),
            )
            .with_field("issuedAt")
            .with_expected(format!("at or before now (+{} s skew)", skew / 1000))
            .with_received(format!("{text} (now is {})", now_text())));
        }
    }
    Ok(())
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for epoch milliseconds (proleptic Gregorian; years 0000-9999, others
/// are clamped, which only error messages use).
pub fn format_rfc3339_ms(ms: i64) -> String {
    // 0000-01-01 and 9999-12-31T23:59:59.999 in epoch milliseconds.
    let ms = ms.clamp(-62_167_219_200_000, 253_402_300_799_999);
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1_000 % 60,
        in_day % 1_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_back() {
        for ms in [
            0i64,
            1,
            951_782_400_000,     // 2000-02-29
            1_709_164_800_123,   // 2024-02-29T00:00:00.123Z
            4_102_444_799_999,   // 2099-12-31T23:59:59.999Z
            -1,                  // 1969-12-31T23:59:59.999Z
            -62_135_596_800_000, // 0001-01-01
        ] {
            let text = format_rfc3339_ms(ms);
            assert_eq!(parse_rfc3339_ms(&text), Ok(ms), "{text}");
        }
        assert_eq!(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            format_rfc3339_ms(1_709_164_800_123),
            "2024-02-29T00:00:00.123Z"
        );
    }

    #[test]
    fn offchain_envelopes() {
        let text = b"hello";
        let mut compact = OFFCHAIN_SIGNING_DOMAIN.to_vec();
        compact.extend([0, 0, 5, 0]);
        compact.extend(text);
        assert_eq!(sign_in_text(&compact), Ok("hello"));

        let mut extended = OFFCHAIN_SIGNING_DOMAIN.to_vec();
        extended.push(0);
        extended.extend([7u8; 32]);
        extended.extend([1, 2]);
        extended.extend([9u8; 64]);
        extended.extend([5, 0]);
        extended.extend(text);
        assert_eq!(sign_in_text(&extended), Ok("hello"));

        let mut wrong_length = compact.clone();
        wrong_length[18] = 6;
        assert_eq!(
            sign_in_text(&wrong_length).map_err(|e| e.code),
            Err(ErrorCode::MessageParse)
        );
        let mut wrong_version = compact.clone();
        wrong_version[16] = 1;
        assert!(sign_in_text(&wrong_version).is_err());
        assert_eq!(
            sign_in_text(OFFCHAIN_SIGNING_DOMAIN).map_err(|e| e.code),
            Err(ErrorCode::MessageParse)
        );
        assert_eq!(sign_in_text(b"plain"), Ok("plain"));
        assert_eq!(
            sign_in_text(&[0xC3]).map_err(|e| e.code),
            Err(ErrorCode::MessageParse)
        );
    }
}
