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

use super::Core;

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    /// `location.host`, or `location.origin + location.pathname`, for a default.
    #[wasm_bindgen(js_name = fromLocation)]
    pub(super) fn from_location(parts: Vec<String>) -> Option<String>;
    #[wasm_bindgen(js_name = createSiweMessage, reexport, skip_typescript)]
    fn reexport_create_siwe_message();
    #[wasm_bindgen(js_name = parseSiweMessage, reexport, skip_typescript)]
    fn reexport_parse_siwe_message();
    #[wasm_bindgen(js_name = createSolanaSignInMessage, reexport, skip_typescript)]
    fn reexport_create_solana_sign_in_message();
    #[wasm_bindgen(js_name = parseSolanaSignInMessage, reexport, skip_typescript)]
    fn reexport_parse_solana_sign_in_message();
    #[wasm_bindgen(js_name = createDynamicSignInMessage, reexport, skip_typescript)]
    fn reexport_create_dynamic_sign_in_message();
    #[wasm_bindgen(js_name = parseDynamicSignInMessage, reexport, skip_typescript)]
    fn reexport_parse_dynamic_sign_in_message();
    #[wasm_bindgen(js_name = toChecksumAddress, reexport, skip_typescript)]
    fn reexport_to_checksum_address();
    #[wasm_bindgen(js_name = isValidSolanaAddress, reexport, skip_typescript)]
    fn reexport_is_valid_solana_address();
    #[wasm_bindgen(js_name = generateNonce, reexport, skip_typescript)]
    fn reexport_generate_nonce();
}

#[wasm_bindgen(typescript_custom_section)]
const TS_MESSAGE_INPUT: &str = include_str!("types/messages.d.ts");

/// The members of a message's fields that are times: a `Date` there is read as its ISO text.
const TIMES: &[&str] = &["issuedAt", "expirationTime", "notBefore"];

/// Reads a message's fields. Keys whose value is `undefined` or `null` count as absent (as they
/// do for the `siwe` package), so a missing required field is `INVALID_FIELD` naming it; a member
/// of the wrong type is `INVALID_ARGUMENT` naming it (see [`crate::host::read_fields`]).
fn typed<T: serde::de::DeserializeOwned>(value: &JsValue, argument: &str) -> Result<T> {
    let copy = crate::host::object_snapshot(value, argument)?;
    crate::host::read_fields(&copy, argument, TIMES, ErrorCode::InvalidField)
}

fn text(value: &JsValue) -> Result<String> {
    input::string(value, "text")
}

/// `location`'s string properties `parts`, joined, for `field`'s default.
fn page_location(field: &str, parts: &[&str]) -> Result<String> {
    from_location(parts.iter().map(|part| part.to_string()).collect()).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidField,
            format!(
                "{field}: is required here (there is no globalThis.location to default it from)"
            ),
        )
        .with_field(field)
    })
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    #[wasm_bindgen(js_name = createSiweMessage)]
    pub fn create_siwe_message(&self, fields: JsValue) -> Result<String> {
        message::create_siwe_message(&typed::<SiweMessage>(&fields, "fields")?)
    }

    #[wasm_bindgen(js_name = parseSiweMessage)]
    pub fn parse_siwe_message(&self, text: JsValue) -> Result<Ts<SiweMessage>> {
        input::ts_out(&message::parse_siwe_message(&self::text(&text)?)?)
    }

    #[wasm_bindgen(js_name = createSolanaSignInMessage)]
    pub fn create_solana_sign_in_message(&self, input: JsValue) -> Result<String> {
        message::create_solana_sign_in_message(&typed::<SolanaSignInInput>(&input, "input")?)
    }

    #[wasm_bindgen(js_name = parseSolanaSignInMessage)]
    pub fn parse_solana_sign_in_message(&self, text: JsValue) -> Result<Ts<SolanaSignInInput>> {
        input::ts_out(&message::parse_solana_sign_in_message(&self::text(&text)?)?)
    }

    #[wasm_bindgen(js_name = createDynamicSignInMessage)]
    pub fn create_dynamic_sign_in_message(&self, params: JsValue) -> Result<String> {
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

    #[wasm_bindgen(js_name = parseDynamicSignInMessage)]
    pub fn parse_dynamic_sign_in_message(&self, text: JsValue) -> Result<Ts<DynamicSignInParams>> {
        input::ts_out(&message::parse_dynamic_sign_in_message(&self::text(
            &text,
        )?)?)
    }

    #[wasm_bindgen(js_name = toChecksumAddress)]
    pub fn to_checksum_address(&self, address: JsValue) -> Result<String> {
        crate::evm::eip55::to_checksum_address(&input::string(&address, "address")?)
    }

    #[wasm_bindgen(js_name = isValidSolanaAddress)]
    pub fn is_valid_solana_address(&self, address: JsValue) -> bool {
        input::string(&address, "address").is_ok_and(|a| crate::solana::is_valid_address(&a))
    }

    #[wasm_bindgen(js_name = generateNonce)]
    pub fn generate_nonce(&self) -> Result<String> {
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
}
