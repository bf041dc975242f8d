//! TON Connect's `ton_proof`: a wallet's signature proving it controls an address, for a site
//! (its domain), a payload the site chose (its nonce) and a time.
//!
//! The signed bytes are `sha256(0xffff ‖ "ton-connect" ‖ sha256(message))`, with
//! `message = "ton-proof-item-v2/" ‖ workchain (i32 BE) ‖ account hash (32) ‖ domain length
//! (u32 LE) ‖ domain ‖ timestamp (u64 LE, seconds) ‖ payload`, signed with Ed25519 by the wallet's
//! key and checked strictly ([`crate::solana::verify`]: canonical `S`, small-order keys refused).
//!
//! The key is not taken on trust: it must be the key in the wallet's StateInit (read offline from
//! `walletStateInit`, see [`super::wallet`]), and that StateInit's hash must be the address. So a
//! proof stands on its own: no network lookup of a deployed contract (an undeployed wallet, which
//! has no contract yet, is proven the same way).
//!
//! What [`verify_ton_proof`] requires, in this order (cheap refusals first; the first failure is
//! reported, with `field` naming the member of Snag's `tonVerification` object at fault):
//! 1. the check itself: `domain` and `payload` given, `maxAgeSeconds` from 1 to 86400 (default
//!    300), `clockSkewSeconds` at most 86400 (default 60) (`INVALID_ARGUMENT`); every text within
//!    its bound (`INPUT_TOO_LARGE`);
//! 2. `account.chain` is `"-239"` (mainnet) or `"-3"` (testnet) (`UNSUPPORTED_CHAIN`), and the
//!    expected `chain` when one is given (`CHAIN_ID_MISMATCH`);
//! 3. `proof.domain.lengthBytes` is the UTF-8 length of `proof.domain.value`, which equals the
//!    expected `domain` exactly (`DOMAIN_MISMATCH`);
//! 4. `proof.payload` equals the expected `payload` exactly (`NONCE_MISMATCH`: the payload is the
//!    proof's nonce);
//! 5. `proof.timestamp` (seconds) is not after `now + clockSkew` (`ISSUED_IN_FUTURE`) and
//!    `now − timestamp ≤ maxAge` (`EXPIRED`);
//! 6. `account.address` parses (`INVALID_ADDRESS`), `account.publicKey` is 64 hex digits
//!    (`INVALID_HEX`, `INVALID_PUBLIC_KEY`), `proof.signature` is base64 of 64 bytes
//!    (`INVALID_BASE64`, `INVALID_SIGNATURE_LENGTH`);
//! 7. the state init (`account.walletStateInit`, or `proof.state_init` when the account has none;
//!    `MISSING_FIELD` without either, `INVALID_STATE_INIT` when both are given and differ) is
//!    base64 of a bag of cells holding a StateInit (`INVALID_BASE64`, `INVALID_STATE_INIT`,
//!    `INPUT_TOO_LARGE`) whose hash is the address's (`ADDRESS_MISMATCH`), of a wallet v3r2, v4r2
//!    or v5r1 (`UNSUPPORTED_WALLET`), whose key is `account.publicKey` (`ADDRESS_MISMATCH`);
//! 8. the key is a usable Ed25519 key (`INVALID_PUBLIC_KEY`) and the signature verifies
//!    (`SIGNATURE_MISMATCH`, or `INVALID_SIGNATURE` for a non-canonical `S`).
//!
//! Times are epoch milliseconds passed by the caller; nothing here reads a clock.

use base64ct::{Base64, Encoding};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::address::TonAddress;
use super::boc::MAX_BOC_BYTES;
use super::wallet::{StateInit, WalletVersion};
use crate::error::{Error, ErrorCode, Result};
use crate::signin::{
    DEFAULT_CLOCK_SKEW_SECONDS, MAX_AGE_LIMIT_SECONDS, check_clock_skew, format_rfc3339_ms,
};
use crate::solana::SolanaVerifier;

/// The first bytes of the message a wallet builds.
pub const TON_PROOF_PREFIX: &[u8] = b"ton-proof-item-v2/";
/// What the message's hash is prefixed with (after `0xffff`) before signing.
pub const TON_CONNECT_PREFIX: &[u8] = b"ton-connect";
/// The oldest proof accepted when the check names no `maxAgeSeconds`.
pub const DEFAULT_MAX_AGE_SECONDS: u32 = 300;
/// Longest `proof.domain.value` read, in bytes.
pub const MAX_DOMAIN_BYTES: usize = 512;
/// Longest `proof.payload` read, in bytes.
pub const MAX_PAYLOAD_BYTES: usize = 4096;
/// Longest state init text read: the base64 of [`MAX_BOC_BYTES`].
pub const MAX_STATE_INIT_CHARS: usize = MAX_BOC_BYTES.div_ceil(3) * 4;
/// Longest text read for a signature or a public key before decoding.
const MAX_KEY_OR_SIGNATURE_CHARS: usize = 256;

/// The TON network an account is on, as TON Connect names it (`CHAIN` in its protocol).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TonChain {
    /// `"-239"`
    Mainnet,
    /// `"-3"`
    Testnet,
}

impl TonChain {
    pub const fn as_str(self) -> &'static str {
        match self {
            TonChain::Mainnet => "-239",
            TonChain::Testnet => "-3",
        }
    }

    /// `"-239"` or `"-3"`.
    pub fn parse(text: &str) -> Option<TonChain> {
        match text {
            "-239" => Some(TonChain::Mainnet),
            "-3" => Some(TonChain::Testnet),
            _ => None,
        }
    }
}

/// The domain a proof names: its UTF-8 length and its text, as a wallet sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TonProofDomain {
    pub length_bytes: u32,
    pub value: String,
}

/// The `proof` of a TON Connect `ton_proof` reply, as Snag's `tonVerification.proof` carries it:
/// `{ timestamp, domain: { lengthBytes, value }, payload, signature, state_init? }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TonProof {
    /// Seconds since 1970 when the wallet signed. A number, or its decimal text (TON Connect's
    /// wire format writes it as a string, its SDK as a number).
    #[serde(deserialize_with = "number_or_decimal_text")]
    pub timestamp: u64,
    pub domain: TonProofDomain,
    pub payload: String,
    /// Base64 (standard alphabet, padded) of the 64-byte Ed25519 signature.
    pub signature: String,
    /// The wallet's state init, in Snag's spelling (`state_init`, snake case); TON Connect puts it
    /// in the account (`walletStateInit`), which is read first.
    #[serde(
        default,
        rename = "state_init",
        skip_serializing_if = "Option::is_none"
    )]
    pub state_init: Option<String>,
}

/// The account of a TON Connect wallet, as Snag's `tonVerification.account` carries it (TON
/// Connect's `wallet.account`): `{ address, chain, publicKey, walletStateInit? }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TonAccount {
    /// Raw (`0:<hex>`) as TON Connect sends it, or user-friendly.
    pub address: String,
    /// `"-239"` (mainnet) or `"-3"` (testnet).
    pub chain: String,
    /// Hex of the 32-byte Ed25519 key, without `0x`.
    pub public_key: String,
    /// Base64 (standard alphabet, padded) of the bag of cells of the wallet's StateInit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_state_init: Option<String>,
}

/// Snag's `verificationData.tonVerification`: `{ proof, account }`, as TON Connect's `ton_proof`
/// reply and `wallet.account` give them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct TonVerification {
    pub proof: TonProof,
    pub account: TonAccount,
}

impl TonVerification {
    /// [`verify_ton_proof`] of this proof and account.
    pub fn verify(&self, check: &TonProofCheck) -> Result<VerifiedTonProof> {
        verify_ton_proof(&self.proof, &self.account, check)
    }
}

/// Snag's `tonVerification` from a TON Connect wallet's `ton_proof` reply (`proof`) and account.
/// The state init is sent in both of Snag's places (`proof.state_init`, as TON Connect's
/// reference backend reads it, and `account.walletStateInit`) when only one holds it.
pub fn build_ton_verification(mut proof: TonProof, mut account: TonAccount) -> TonVerification {
    let given = |text: &Option<String>| text.as_ref().filter(|t| !t.is_empty()).cloned();
    match (given(&proof.state_init), given(&account.wallet_state_init)) {
        (None, Some(state_init)) => proof.state_init = Some(state_init),
        (Some(state_init), None) => account.wallet_state_init = Some(state_init),
        _ => {}
    }
    TonVerification { proof, account }
}

/// What a proof must match. Deserializes from a caller's options (`domain`, `payload`,
/// `maxAgeSeconds`, `clockSkewSeconds`, `chain`); `now_ms` is not read (the caller gives the time,
/// see [`crate::signin::Now`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TonProofCheck {
    /// The expected domain, exactly as the wallet writes it (the host of the dapp's manifest URL,
    /// e.g. `example.com` or `localhost:3000`).
    pub domain: String,
    /// The payload the server issued for this proof (its nonce).
    pub payload: String,
    /// The current time, epoch milliseconds.
    #[serde(skip)]
    pub now_ms: i64,
    /// Oldest accepted proof in seconds since its timestamp; `None` means
    /// [`DEFAULT_MAX_AGE_SECONDS`].
    pub max_age_seconds: Option<u32>,
    /// Allowed clock difference in seconds for a timestamp ahead of `now`; `None` means
    /// [`DEFAULT_CLOCK_SKEW_SECONDS`].
    pub clock_skew_seconds: Option<u32>,
    /// The expected network (`"-239"` or `"-3"`), when only one is accepted.
    pub chain: Option<String>,
}

/// What a verified proof establishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifiedTonProof {
    pub address: TonAddress,
    pub chain: TonChain,
    pub wallet: WalletVersion,
    pub public_key: [u8; 32],
    /// Seconds since 1970 when the wallet signed.
    pub timestamp: u64,
}

/// The message a wallet builds for `address`, `domain`, `timestamp` (seconds) and `payload`.
pub fn ton_proof_message(
    address: &TonAddress,
    domain: &str,
    timestamp: u64,
    payload: &str,
) -> Vec<u8> {
    let mut message =
        Vec::with_capacity(TON_PROOF_PREFIX.len() + 48 + domain.len() + payload.len());
    message.extend_from_slice(TON_PROOF_PREFIX);
    message.extend_from_slice(&i32::from(address.workchain).to_be_bytes());
    message.extend_from_slice(&address.hash);
    // A u32 on the wire; verifying bounds the domain to MAX_DOMAIN_BYTES first.
    message.extend_from_slice(&(domain.len() as u32).to_le_bytes());
    message.extend_from_slice(domain.as_bytes());
    message.extend_from_slice(&timestamp.to_le_bytes());
    message.extend_from_slice(payload.as_bytes());
    message
}

/// The 32 bytes a wallet signs for `message`: `sha256(0xffff ‖ "ton-connect" ‖ sha256(message))`.
pub fn ton_proof_digest(message: &[u8]) -> [u8; 32] {
    Sha256::new()
        .chain_update([0xff, 0xff])
        .chain_update(TON_CONNECT_PREFIX)
        .chain_update(Sha256::digest(message))
        .finalize()
        .into()
}

/// Verifies a TON Connect `ton_proof` for `account` against `check`; see the module
/// documentation for the checks and their order.
pub fn verify_ton_proof(
    proof: &TonProof,
    account: &TonAccount,
    check: &TonProofCheck,
) -> Result<VerifiedTonProof> {
    let (max_age_ms, skew_ms) = check_options(check)?;
    check_sizes(proof, account)?;
    let chain = check_chain(account, check)?;
    check_domain(proof, check)?;
    let payload = (&check.payload, &proof.payload);
    Error::ensure_equal(
        ErrorCode::NonceMismatch,
        "proof.payload",
        payload.0,
        payload.1,
    )?;
    check_time(proof.timestamp, check.now_ms, max_age_ms, skew_ms)?;

    let (address, _) = TonAddress::parse_with_form(&account.address)
        .map_err(|e| e.with_field("account.address"))?;
    let public_key = decode_public_key(&account.public_key)?;
    let signature = decode_signature(&proof.signature)?;

    let (state_init_field, state_init) = read_state_init(proof, account)?;
    if state_init.hash() != address.hash {
        let of_state_init = TonAddress {
            workchain: address.workchain,
            hash: state_init.hash(),
        };
        return Err(Error::new(
            ErrorCode::AddressMismatch,
            "the wallet's state init is not the one of account.address (its hash differs)",
        )
        .with_field(state_init_field)
        .with_expected(address.to_raw())
        .with_received(of_state_init.to_raw()));
    }
    let wallet = state_init
        .wallet()
        .map_err(|e| e.with_field(state_init_field))?;
    if wallet.public_key != public_key {
        return Err(Error::new(
            ErrorCode::AddressMismatch,
            format!(
                "account.publicKey is not the key of the {} wallet at account.address",
                wallet.version.as_str()
            ),
        )
        .with_field("account.publicKey")
        .with_expected(base16ct::lower::encode_string(&wallet.public_key))
        .with_received(&account.public_key));
    }

    let verifier =
        SolanaVerifier::new(&public_key).map_err(|e| e.with_field("account.publicKey"))?;
    let message = ton_proof_message(
        &address,
        &proof.domain.value,
        proof.timestamp,
        &proof.payload,
    );
    let valid = verifier
        .verify(&ton_proof_digest(&message), &signature)
        .map_err(|e| e.with_field("proof.signature"))?;
    if !valid {
        return Err(Error::new(
            ErrorCode::SignatureMismatch,
            "the proof's signature was not made by the wallet's key over this address, domain, \
             time and payload",
        )
        .with_field("proof.signature")
        .with_expected(address.to_raw()));
    }
    Ok(VerifiedTonProof {
        address,
        chain,
        wallet: wallet.version,
        public_key,
        timestamp: proof.timestamp,
    })
}

/// The maximum age and the clock skew in milliseconds, once both are known to be in range.
fn check_options(check: &TonProofCheck) -> Result<(i64, i64)> {
    for (field, value) in [("domain", &check.domain), ("payload", &check.payload)] {
        if value.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                format!("{field} is required: the expected value must be given to check the proof"),
            )
            .with_field(field));
        }
    }
    let skew = check
        .clock_skew_seconds
        .unwrap_or(DEFAULT_CLOCK_SKEW_SECONDS);
    check_clock_skew(skew)?;
    let max_age = check.max_age_seconds.unwrap_or(DEFAULT_MAX_AGE_SECONDS);
    if max_age == 0 || max_age > MAX_AGE_LIMIT_SECONDS {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("maxAgeSeconds is a whole number from 1 to {MAX_AGE_LIMIT_SECONDS} (one day)"),
        )
        .with_field("maxAgeSeconds")
        .with_received(max_age.to_string()));
    }
    Ok((i64::from(max_age) * 1_000, i64::from(skew) * 1_000))
}

fn check_sizes(proof: &TonProof, account: &TonAccount) -> Result<()> {
    let state_init_chars = |text: &Option<String>| text.as_ref().map_or(0, String::len);
    let bounds = [
        (
            "proof.domain.value",
            proof.domain.value.len(),
            MAX_DOMAIN_BYTES,
        ),
        ("proof.payload", proof.payload.len(), MAX_PAYLOAD_BYTES),
        (
            "proof.signature",
            proof.signature.len(),
            MAX_KEY_OR_SIGNATURE_CHARS,
        ),
        (
            "account.publicKey",
            account.public_key.len(),
            MAX_KEY_OR_SIGNATURE_CHARS,
        ),
        (
            "proof.state_init",
            state_init_chars(&proof.state_init),
            MAX_STATE_INIT_CHARS,
        ),
        (
            "account.walletStateInit",
            state_init_chars(&account.wallet_state_init),
            MAX_STATE_INIT_CHARS,
        ),
    ];
    for (field, len, max) in bounds {
        if len > max {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("{field} is read up to {max} bytes"),
            )
            .with_field(field)
            .with_expected(format!("at most {max} bytes"))
            .with_received(format!("{len} bytes")));
        }
    }
    Ok(())
}

fn check_chain(account: &TonAccount, check: &TonProofCheck) -> Result<TonChain> {
    let chain = TonChain::parse(&account.chain).ok_or_else(|| {
        Error::new(
            ErrorCode::UnsupportedChain,
            "account.chain must be \"-239\" (mainnet) or \"-3\" (testnet)",
        )
        .with_field("account.chain")
        .with_received(&account.chain)
    })?;
    if let Some(expected) = &check.chain {
        if TonChain::parse(expected).is_none() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "chain must be \"-239\" (mainnet) or \"-3\" (testnet)",
            )
            .with_field("chain")
            .with_received(expected));
        }
        Error::ensure_equal(
            ErrorCode::ChainIdMismatch,
            "account.chain",
            expected,
            &account.chain,
        )?;
    }
    Ok(chain)
}

fn check_domain(proof: &TonProof, check: &TonProofCheck) -> Result<()> {
    let domain = &proof.domain;
    if usize::try_from(domain.length_bytes) != Ok(domain.value.len()) {
        return Err(Error::new(
            ErrorCode::DomainMismatch,
            "proof.domain.lengthBytes is not the UTF-8 length of proof.domain.value",
        )
        .with_field("proof.domain.lengthBytes")
        .with_expected(domain.value.len().to_string())
        .with_received(domain.length_bytes.to_string()));
    }
    let field = "proof.domain.value";
    Error::ensure_equal(
        ErrorCode::DomainMismatch,
        field,
        &check.domain,
        &domain.value,
    )?;
    Ok(())
}

/// `timestamp` (seconds) within `[now − max_age, now + skew]`.
fn check_time(timestamp: u64, now_ms: i64, max_age_ms: i64, skew_ms: i64) -> Result<()> {
    // A timestamp beyond i64 milliseconds is in the future of any `now`.
    let signed_ms = i64::try_from(timestamp)
        .ok()
        .and_then(|seconds| seconds.checked_mul(1_000))
        .unwrap_or(i64::MAX);
    let signed_text = || format_rfc3339_ms(signed_ms);
    if signed_ms > now_ms.saturating_add(skew_ms) {
        return Err(Error::new(
            ErrorCode::IssuedInFuture,
            format!(
                "the proof claims to be signed at {timestamp} ({}), in the future",
                signed_text()
            ),
        )
        .with_field("proof.timestamp")
        .with_expected(format!("at or before now (+{} s skew)", skew_ms / 1000))
        .with_received(format!(
            "{timestamp} (now is {})",
            format_rfc3339_ms(now_ms)
        )));
    }
    if now_ms > signed_ms.saturating_add(max_age_ms) {
        return Err(Error::new(
            ErrorCode::Expired,
            format!(
                "the proof was signed at {timestamp} ({}), more than {} s ago",
                signed_text(),
                max_age_ms / 1000
            ),
        )
        .with_field("proof.timestamp")
        .with_expected(format!("signed within the last {} s", max_age_ms / 1000))
        .with_received(format!(
            "{timestamp} (now is {})",
            format_rfc3339_ms(now_ms)
        )));
    }
    Ok(())
}

/// 64 hex digits (either case), as TON Connect writes `account.publicKey`.
fn decode_public_key(text: &str) -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    if text.len() != 64 {
        return Err(Error::new(
            ErrorCode::InvalidPublicKey,
            "account.publicKey is an Ed25519 key: 64 hex digits",
        )
        .with_field("account.publicKey")
        .with_expected("64 hex digits")
        .with_received(format!("{} characters", text.len())));
    }
    base16ct::mixed::decode(text, &mut key).map_err(|_| {
        Error::new(
            ErrorCode::InvalidHex,
            "account.publicKey is not 64 hex digits",
        )
        .with_field("account.publicKey")
        .with_received(text)
    })?;
    Ok(key)
}

/// Padded standard base64 of 64 bytes, as TON Connect writes `proof.signature`.
fn decode_signature(text: &str) -> Result<[u8; 64]> {
    let bytes = Base64::decode_vec(text).map_err(|_| {
        Error::new(
            ErrorCode::InvalidBase64,
            "proof.signature is not padded standard base64",
        )
        .with_field("proof.signature")
    })?;
    <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| {
        Error::new(
            ErrorCode::InvalidSignatureLength,
            format!(
                "an Ed25519 signature is 64 bytes, this one is {}",
                bytes.len()
            ),
        )
        .with_field("proof.signature")
        .with_expected("64 bytes")
        .with_received(format!("{} bytes", bytes.len()))
    })
}

/// The StateInit from `account.walletStateInit`, or `proof.state_init` when the account has none,
/// with the name of the member it came from.
fn read_state_init(proof: &TonProof, account: &TonAccount) -> Result<(&'static str, StateInit)> {
    fn given(text: &Option<String>) -> Option<&str> {
        text.as_deref().filter(|t| !t.is_empty())
    }
    let (field, text) = match (given(&account.wallet_state_init), given(&proof.state_init)) {
        (Some(account_text), Some(proof_text)) if account_text != proof_text => {
            return Err(Error::new(
                ErrorCode::InvalidStateInit,
                "proof.state_init and account.walletStateInit are different state inits",
            )
            .with_field("proof.state_init"));
        }
        (Some(text), _) => ("account.walletStateInit", text),
        (None, Some(text)) => ("proof.state_init", text),
        (None, None) => {
            return Err(Error::new(
                ErrorCode::MissingField,
                "account.walletStateInit is required: the wallet's key is read from it",
            )
            .with_field("account.walletStateInit"));
        }
    };
    let bytes = Base64::decode_vec(text).map_err(|_| {
        Error::new(
            ErrorCode::InvalidBase64,
            format!("{field} is not padded standard base64"),
        )
        .with_field(field)
    })?;
    let state_init = StateInit::from_boc(&bytes).map_err(|e| e.with_field(field))?;
    Ok((field, state_init))
}

/// A `u64` given as a number or as its decimal text.
fn number_or_decimal_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> core::result::Result<u64, D::Error> {
    struct Seconds;
    impl serde::de::Visitor<'_> for Seconds {
        type Value = u64;
        fn expecting(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
            f.write_str("seconds since 1970, as a number or decimal text")
        }
        fn visit_u64<E: serde::de::Error>(self, value: u64) -> core::result::Result<u64, E> {
            Ok(value)
        }
        fn visit_i64<E: serde::de::Error>(self, value: i64) -> core::result::Result<u64, E> {
            u64::try_from(value).map_err(|_| E::custom("a timestamp is not negative"))
        }
        fn visit_f64<E: serde::de::Error>(self, value: f64) -> core::result::Result<u64, E> {
            if value.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&value) {
                Ok(value as u64)
            } else {
                Err(E::custom("a timestamp is a whole number of seconds"))
            }
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> core::result::Result<u64, E> {
            if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(E::custom("a timestamp's text is decimal digits"));
            }
            text.parse()
                .map_err(|_| E::custom("a timestamp's text is decimal digits"))
        }
    }
    deserializer.deserialize_any(Seconds)
}
