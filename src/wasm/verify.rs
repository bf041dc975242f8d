//! JS exports of the local signature checks ([`crate::evm`], [`crate::solana`], [`crate::signin`]):
//! argument conversion only.

use super::input::{self, TextOrBytes};
use crate::error::{Error, ErrorCode, Result};
use crate::message::grammar::parse_rfc3339_ms;
use crate::message::siwe::SiweMessage;
use crate::message::siws::SolanaSignInInput;
use crate::{evm, signin, solana};
use serde::Deserialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Message bytes: a string is signed as its UTF-8 encoding.
fn message_bytes(value: &JsValue) -> Result<Vec<u8>> {
    input::text_or_bytes(value, "message").map(TextOrBytes::into_utf8_bytes)
}

/// An EVM signature: hex text (with or without `0x`) or bytes.
fn evm_signature(value: &JsValue) -> Result<Vec<u8>> {
    match input::text_or_bytes(value, "signature")? {
        TextOrBytes::Text(text) => evm::decode_signature(&text),
        TextOrBytes::Bytes(bytes) => Ok(bytes),
    }
}

/// A Solana signature: base58 or padded base64 text (see [`solana::decode_signature`]) or bytes.
fn solana_signature(value: &JsValue) -> Result<Vec<u8>> {
    match input::text_or_bytes(value, "signature")? {
        TextOrBytes::Text(text) => solana::decode_signature(&text).map(|s| s.to_vec()),
        TextOrBytes::Bytes(bytes) => Ok(bytes),
    }
}

/// A Solana public key: a base58 address or 32 bytes.
fn solana_public_key(value: &JsValue) -> Result<Vec<u8>> {
    match input::text_or_bytes(value, "publicKey")? {
        TextOrBytes::Text(text) => solana::parse_public_key(&text).map(|k| k.to_vec()),
        TextOrBytes::Bytes(bytes) => Ok(bytes),
    }
}

/// The EIP-55 address that signed `message` with EIP-191 `personal_sign`. Strings are signed as
/// their UTF-8 bytes. Accepts 65-byte `r‖s‖v` (`v` in 0, 1, 27, 28) and 64-byte EIP-2098
/// signatures, as hex or bytes; a high `s` is normalised (as `ecrecover` does).
///
/// Throws `INVALID_HEX`, `INVALID_SIGNATURE_LENGTH` (e.g. a smart-contract wallet's signature,
/// which needs an on-chain EIP-1271/6492 check), or `INVALID_SIGNATURE`.
#[wasm_bindgen(js_name = recoverEvmAddress)]
pub fn recover_evm_address(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] signature: JsValue,
) -> Result<String> {
    let message = message_bytes(&message)?;
    let signature = evm_signature(&signature)?;
    evm::recover_address(&message, &signature).map(|a| evm::eip55::checksum_of_bytes(&a))
}

/// Whether `signature` over `message` (EIP-191) was made by `address` (compared
/// case-insensitively). `false` for a well-formed signature by another key; throws a coded error
/// for malformed input (`INVALID_ADDRESS`, `INVALID_HEX`, `INVALID_SIGNATURE_LENGTH`,
/// `INVALID_SIGNATURE`).
#[wasm_bindgen(js_name = verifyEvmSignature)]
pub fn verify_evm_signature(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] signature: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
) -> Result<bool> {
    let verifier = evm::EvmVerifier::new(&input::string(&address, "address")?)?;
    let message = message_bytes(&message)?;
    let signature = evm_signature(&signature)?;
    verifier.verify(&message, &signature)
}

/// Whether `signature` is a valid ed25519 signature of `message` by `publicKey`, with the strict
/// rules of Solana's runtime (canonical `S`, no small-order `R`) and small-order keys refused.
/// The signature is bytes, base58, or padded base64 (text ending in `=` is base64); the key is a
/// base58 address or 32 bytes.
///
/// `false` for a well-formed signature that does not verify; throws `INVALID_PUBLIC_KEY`,
/// `INVALID_SIGNATURE_LENGTH`, `INVALID_SIGNATURE` (`S` not canonical), `INVALID_BASE58`,
/// `INVALID_BASE64` for malformed input.
#[wasm_bindgen(js_name = verifySolanaSignature)]
pub fn verify_solana_signature(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] signature: JsValue,
    #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "string | Uint8Array")]
    public_key: JsValue,
) -> Result<bool> {
    let verifier = solana::SolanaVerifier::new(&solana_public_key(&public_key)?)?;
    let message = message_bytes(&message)?;
    let signature = solana_signature(&signature)?;
    verifier.verify(&message, &signature)
}

/// A Solana public key checked and decompressed once, for verifying many signatures with it.
#[wasm_bindgen(js_name = SolanaVerifier)]
pub struct JsSolanaVerifier {
    inner: solana::SolanaVerifier,
}

#[wasm_bindgen(js_class = SolanaVerifier)]
impl JsSolanaVerifier {
    /// Throws `INVALID_PUBLIC_KEY` for a key that is not 32 bytes, not on the curve, or of small
    /// order (and `INVALID_BASE58` for a malformed address).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = publicKey, unchecked_param_type = "string | Uint8Array")]
        public_key: JsValue,
    ) -> Result<JsSolanaVerifier> {
        Ok(JsSolanaVerifier {
            inner: solana::SolanaVerifier::new(&solana_public_key(&public_key)?)?,
        })
    }

    /// Same contract as `verifySolanaSignature`.
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] message: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] signature: JsValue,
    ) -> Result<bool> {
        let message = message_bytes(&message)?;
        let signature = solana_signature(&signature)?;
        self.inner.verify(&message, &signature)
    }

    /// The key's base58 address.
    #[wasm_bindgen(getter)]
    pub fn address(&self) -> String {
        solana::pubkey::to_address(self.inner.public_key())
    }
}

/// Options of `verifySiweSignIn`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct VerifySiweSignInOptions {
    /// The EIP-4361 message text the wallet signed (checked like every string argument: at most
    /// 1 MiB, no lone surrogates).
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "string")]
    pub message: JsValue,
    /// The `personal_sign` signature: hex (65 or 64 bytes) or bytes.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "string | Uint8Array")]
    pub signature: JsValue,
    /// The expected domain (authority, including the port), e.g. `location.host`. Required.
    pub domain: String,
    /// The nonce issued for this sign-in. Required.
    pub nonce: String,
    /// The current time: epoch milliseconds, an RFC 3339 string or a `Date`. Default:
    /// `Date.now()`.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(optional, type = "number | string | Date")]
    pub now: JsValue,
    /// The expected signer; compared case-insensitively.
    #[serde(default)]
    #[tsify(optional)]
    pub address: Option<String>,
    #[serde(default)]
    #[tsify(optional)]
    pub chain_id: Option<u64>,
    #[serde(default)]
    #[tsify(optional)]
    pub uri: Option<String>,
    /// The expected scheme (a message without one means `https`).
    #[serde(default)]
    #[tsify(optional)]
    pub scheme: Option<String>,
    /// Allowed clock difference in seconds (default 60, at most 86400).
    #[serde(default)]
    #[tsify(optional)]
    pub clock_skew_seconds: Option<u32>,
    /// Oldest accepted message, in seconds since its `issuedAt` (1 to 86400); a message without
    /// `issuedAt` then fails with `MISSING_FIELD`, an older one with `EXPIRED`.
    #[serde(default)]
    #[tsify(optional)]
    pub max_age_seconds: Option<u32>,
}

/// Options of `verifySolanaSignIn`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct VerifySolanaSignInOptions {
    /// The bytes the wallet signed (`signedMessage` of the Wallet Standard's `signIn` output), or
    /// the message text.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "string | Uint8Array")]
    pub message: JsValue,
    /// The ed25519 signature: bytes, base58, or padded base64.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "Uint8Array | string")]
    pub signature: JsValue,
    /// The wallet's account (base58 address or 32 bytes); the message's address must equal it.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(optional, type = "string | Uint8Array")]
    pub public_key: JsValue,
    /// The expected domain (authority, including the port). Required.
    pub domain: String,
    /// The nonce issued for this sign-in. Required: the message must carry exactly this nonce.
    pub nonce: String,
    /// The current time: epoch milliseconds, an RFC 3339 string or a `Date`. Default:
    /// `Date.now()`.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(optional, type = "number | string | Date")]
    pub now: JsValue,
    #[serde(default)]
    #[tsify(optional)]
    pub chain_id: Option<String>,
    #[serde(default)]
    #[tsify(optional)]
    pub uri: Option<String>,
    /// Allowed clock difference in seconds (default 60, at most 86400).
    #[serde(default)]
    #[tsify(optional)]
    pub clock_skew_seconds: Option<u32>,
    /// Oldest accepted message, in seconds since its `issuedAt` (1 to 86400); a message without
    /// `issuedAt` then fails with `MISSING_FIELD`, an older one with `EXPIRED`.
    #[serde(default)]
    #[tsify(optional)]
    pub max_age_seconds: Option<u32>,
}

/// Largest time a JS `Date` can hold, in milliseconds either side of 1970.
const MAX_DATE_MS: f64 = 8.64e15;

fn now_ms(value: &JsValue) -> Result<i64> {
    if value.is_undefined() || value.is_null() {
        return Ok(js_sys::Date::now() as i64);
    }
    if let Some(ms) = value.as_f64() {
        if !ms.is_finite() || ms.abs() > MAX_DATE_MS {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "now must be a finite time in epoch milliseconds",
            )
            .with_field("now"));
        }
        // In range by the check above, so the cast is exact after flooring.
        return Ok(ms.floor() as i64);
    }
    if value.is_string() {
        return parse_rfc3339_ms(&input::string(value, "now")?).map_err(|e| Error {
            message: format!("now: {}", e.message),
            ..e.with_field("now")
        });
    }
    if let Some(date) = value.dyn_ref::<js_sys::Date>() {
        // The instant its `toISOString()` text names: whole milliseconds, as the string form.
        let ms = date.get_time();
        if ms.is_nan() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "now must be a valid Date, received an invalid Date",
            )
            .with_field("now")
            .with_received("Invalid Date"));
        }
        return Ok(ms as i64);
    }
    Err(Error::new(
        ErrorCode::InvalidArgument,
        "now must be epoch milliseconds (a number), an RFC 3339 string or a Date",
    )
    .with_field("now"))
}

/// Verifies a Sign-In with Ethereum: parses the message, requires `domain` and `nonce` to match
/// exactly, checks the time window (`now` in [notBefore, expirationTime), `issuedAt` not in the
/// future, each with `clockSkewSeconds` of slack), chain id / URI / scheme when given, then the
/// signature against the message's address. Returns the parsed fields.
///
/// Throws `MESSAGE_PARSE`, `DOMAIN_MISMATCH`, `NONCE_MISMATCH`, `SCHEME_MISMATCH`,
/// `URI_MISMATCH`, `CHAIN_ID_MISMATCH`, `ADDRESS_MISMATCH`, `EXPIRED`, `NOT_YET_VALID`,
/// `ISSUED_IN_FUTURE`, `SIGNATURE_MISMATCH` (with `expected` / `received`), or a signature format
/// error.
#[wasm_bindgen(js_name = verifySiweSignIn)]
pub fn verify_siwe_sign_in(options: Ts<VerifySiweSignInOptions>) -> Result<Ts<SiweMessage>> {
    let options = input::ts(&options, "options")?;
    let signature = evm_signature(&options.signature)?;
    let check = signin::SiweCheck {
        domain: options.domain,
        nonce: options.nonce,
        now_ms: now_ms(&options.now)?,
        address: options.address,
        chain_id: options.chain_id,
        uri: options.uri,
        scheme: options.scheme,
        clock_skew_seconds: options.clock_skew_seconds,
        max_age_seconds: options.max_age_seconds,
    };
    let message = input::string(&options.message, "message")?;
    let fields = signin::verify_siwe_sign_in(&message, &signature, &check)?;
    input::ts_out(&fields)
}

/// Verifies a Sign-In With Solana: the same checks as `verifySiweSignIn` (the nonce is required),
/// over the bytes the wallet signed — the message text, or that text inside a Solana off-chain
/// message envelope — and requires the message's address to equal `publicKey` when given.
/// Returns the parsed fields.
#[wasm_bindgen(js_name = verifySolanaSignIn)]
pub fn verify_solana_sign_in(
    options: Ts<VerifySolanaSignInOptions>,
) -> Result<Ts<SolanaSignInInput>> {
    let options = input::ts(&options, "options")?;
    let message = message_bytes(&options.message)?;
    let signature = solana_signature(&options.signature)?;
    let public_key = if options.public_key.is_undefined() || options.public_key.is_null() {
        None
    } else {
        let bytes = solana_public_key(&options.public_key)?;
        Some(<[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
            Error::new(
                ErrorCode::InvalidPublicKey,
                "a Solana public key is 32 bytes",
            )
            .with_field("publicKey")
            .with_received(format!("{} bytes", bytes.len()))
        })?)
    };
    let check = signin::SolanaSignInCheck {
        domain: options.domain,
        nonce: options.nonce,
        now_ms: now_ms(&options.now)?,
        public_key,
        chain_id: options.chain_id,
        uri: options.uri,
        clock_skew_seconds: options.clock_skew_seconds,
        max_age_seconds: options.max_age_seconds,
    };
    let fields = signin::verify_solana_sign_in(&message, &signature, &check)?;
    input::ts_out(&fields)
}
