//! JS exports of the sign-in messages ([`crate::message`]) and address helpers: argument
//! conversion only, plus the two things the core cannot do itself — read the page's location
//! and the clock for Dynamic's defaults, and draw random bytes for a nonce.

use super::input;
use crate::error::{Error, ErrorCode, Result};
use crate::message::{
    self, DynamicSignInParams, SiweMessage, SolanaSignInInput, generate_nonce_from,
};
use js_sys::{Function, Reflect, Uint8Array};
use tsify::Ts;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_MESSAGE_INPUT: &str = include_str!("types/messages.d.ts");

/// The members of a message's fields that are times: a `Date` there is read as its ISO text.
const TIMES: &[&str] = &["issuedAt", "expirationTime", "notBefore"];

/// Reads a message's fields. Keys whose value is `undefined` or `null` count as absent (as they
/// do for the `siwe` package), so a missing required field is `INVALID_FIELD` naming it; a member
/// of the wrong type is `INVALID_ARGUMENT` naming it (see `input::fields`).
fn typed<T: serde::de::DeserializeOwned>(value: &JsValue, argument: &str) -> Result<T> {
    input::fields(value, argument, TIMES, ErrorCode::InvalidField)
}

fn text(value: &JsValue) -> Result<String> {
    input::string(value, "text")
}

/// Builds an EIP-4361 (Sign-In with Ethereum) message, byte-identical to
/// `new SiweMessage(fields).prepareMessage()` of the `siwe` package.
///
/// Throws `INVALID_FIELD` naming the field, or `INVALID_ADDRESS` for an address that is not
/// EIP-55 checksummed (see `toChecksumAddress`).
#[wasm_bindgen(js_name = createSiweMessage)]
pub fn create_siwe_message(
    #[wasm_bindgen(unchecked_param_type = "WithDates<SiweMessageFields>")] fields: JsValue,
) -> Result<String> {
    message::create_siwe_message(&typed::<SiweMessage>(&fields, "fields")?)
}

/// Parses an EIP-4361 message strictly: the EIP-4361 ABNF, an EIP-55 address, fields in order,
/// nothing after the last field. Absent optional fields are absent from the result.
///
/// Throws `MESSAGE_PARSE` naming the field at fault, or `INVALID_ADDRESS`.
#[wasm_bindgen(js_name = parseSiweMessage)]
pub fn parse_siwe_message(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<Ts<SiweMessage>> {
    input::ts_out(&message::parse_siwe_message(&self::text(&text)?)?)
}

/// Builds a Sign-In With Solana message, byte-identical to `createSignInMessageText` of
/// `@solana/wallet-standard-util`.
///
/// Throws `INVALID_FIELD` naming the field, or `INVALID_ADDRESS` for an address that is not a
/// base58 32-byte key.
#[wasm_bindgen(js_name = createSolanaSignInMessage)]
pub fn create_solana_sign_in_message(
    #[wasm_bindgen(unchecked_param_type = "WithDates<SolanaSignInInput>")] input: JsValue,
) -> Result<String> {
    message::create_solana_sign_in_message(&typed::<SolanaSignInInput>(&input, "input")?)
}

/// Parses a Sign-In With Solana message strictly. Absent optional fields are absent from the
/// result.
///
/// Throws `MESSAGE_PARSE` naming the field at fault, or `INVALID_ADDRESS`.
#[wasm_bindgen(js_name = parseSolanaSignInMessage)]
pub fn parse_solana_sign_in_message(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<Ts<SolanaSignInInput>> {
    input::ts_out(&message::parse_solana_sign_in_message(&self::text(&text)?)?)
}

/// Builds the message Dynamic's SDK asks a wallet to sign. `domain` defaults to `location.host`,
/// `uri` to `location.origin + location.pathname`, `issuedAt` to now.
///
/// Throws `INVALID_FIELD` naming the field (also for a missing `domain` or `uri` where there is no
/// `location`, as in Node), `INVALID_ADDRESS`, or `UNSUPPORTED_CHAIN`.
#[wasm_bindgen(js_name = createDynamicSignInMessage)]
pub fn create_dynamic_sign_in_message(
    #[wasm_bindgen(unchecked_param_type = "WithDates<DynamicSignInParams>")] params: JsValue,
) -> Result<String> {
    let mut params: DynamicSignInParams = typed(&params, "params")?;
    if params.domain.is_none() {
        params.domain = Some(page_location("domain", &["host"])?);
    }
    if params.uri.is_none() {
        params.uri = Some(page_location("uri", &["origin", "pathname"])?);
    }
    if params.issued_at.is_none() {
        params.issued_at = js_sys::Date::new_0().to_iso_string().as_string();
    }
    message::create_dynamic_sign_in_message(&params)
}

/// Parses a message in Dynamic's template. `chain` is `EVM` for Ethereum; when the statement is
/// Dynamic's default one, `appName` is returned instead of `statement`.
///
/// Throws `MESSAGE_PARSE` naming the field at fault, or `INVALID_ADDRESS`.
#[wasm_bindgen(
    js_name = parseDynamicSignInMessage,
    unchecked_return_type = "DynamicSignInParams"
)]
pub fn parse_dynamic_sign_in_message(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<Ts<DynamicSignInParams>> {
    input::ts_out(&message::parse_dynamic_sign_in_message(&self::text(
        &text,
    )?)?)
}

/// `location`'s string properties `parts`, joined, for `field`'s default.
fn page_location(field: &str, parts: &[&str]) -> Result<String> {
    super::flow::from_location(parts.iter().map(|part| part.to_string()).collect()).ok_or_else(
        || {
            Error::new(
                ErrorCode::InvalidField,
                format!(
                    "{field}: is required here (there is no globalThis.location to default it from)"
                ),
            )
            .with_field(field)
        },
    )
}

/// The EIP-55 checksummed form of an address given in any letter case.
///
/// Throws `INVALID_ADDRESS` when the text is not `0x` followed by 40 hex digits.
#[wasm_bindgen(js_name = toChecksumAddress)]
pub fn to_checksum_address(
    #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
) -> Result<String> {
    crate::evm::eip55::to_checksum_address(&input::string(&address, "address")?)
}

/// Whether `address` is a Solana address: base58 text of exactly 32 bytes (`false` for any
/// non-string).
#[wasm_bindgen(js_name = isValidSolanaAddress)]
pub fn is_valid_solana_address(
    #[wasm_bindgen(unchecked_param_type = "unknown")] address: JsValue,
) -> bool {
    input::string(&address, "address").is_ok_and(|a| crate::solana::is_valid_address(&a))
}

/// A fresh nonce for a sign-in message: 128 bits from the platform's CSPRNG
/// (`crypto.getRandomValues`), written as 22 letters and digits.
///
/// Throws `RANDOM_UNAVAILABLE` when `globalThis.crypto.getRandomValues` is missing or fails.
#[wasm_bindgen(js_name = generateNonce)]
pub fn generate_nonce() -> Result<String> {
    let unavailable = |why: &str| {
        Error::new(
            ErrorCode::RandomUnavailable,
            format!("no cryptographically secure random source: {why}"),
        )
    };
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .ok()
        .filter(|c| c.is_object())
        .ok_or_else(|| unavailable("globalThis.crypto is missing"))?;
    let get_random_values = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| unavailable("crypto.getRandomValues is missing"))?;
    let buffer = Uint8Array::new_with_length(16);
    get_random_values
        .call1(&crypto, &buffer)
        .map_err(|_| unavailable("crypto.getRandomValues threw"))?;
    let mut random = [0u8; 16];
    buffer.copy_to(&mut random);
    Ok(generate_nonce_from(&random))
}
