//! The sign-in messages ([`crate::message`]) and address helpers over the caller's values.

use super::text;
use crate::error::{Error, ErrorCode, Result};
use crate::host::{self, HostValue};
use crate::message::{self, DynamicSignInParams, SiweMessage, SolanaSignInInput};
use crate::signin::format_rfc3339_ms;

/// The members of a message's fields that are times: a `Date` there is read as its ISO text.
const TIMES: &[&str] = &["issuedAt", "expirationTime", "notBefore"];

/// Reads a message's fields. Keys whose value is `undefined` or `null` count as absent (as they
/// do for the `siwe` package), so a missing required field is `INVALID_FIELD` naming it; a member
/// of the wrong type is `INVALID_ARGUMENT` naming it.
fn fields<T: serde::de::DeserializeOwned, V: HostValue>(value: &V, argument: &str) -> Result<T> {
    let copy = host::object_snapshot(value, argument)?;
    host::read_fields(&copy, argument, TIMES, ErrorCode::InvalidField)
}

pub fn create_siwe_message<V: HostValue>(fields_: &V) -> Result<String> {
    message::create_siwe_message(&fields::<SiweMessage, V>(fields_, "fields")?)
}

pub fn create_solana_sign_in_message<V: HostValue>(input: &V) -> Result<String> {
    message::create_solana_sign_in_message(&fields::<SolanaSignInInput, V>(input, "input")?)
}

/// `createDynamicSignInMessage(params)`: `domain` and `uri` default to the page's (`location_host`,
/// `location_uri`: `location.host`, `location.origin + location.pathname`, when there is a page),
/// `issuedAt` to the engine's clock.
pub fn create_dynamic_sign_in_message<V: HostValue>(
    params: &V,
    location_host: &V,
    location_uri: &V,
) -> Result<String> {
    let mut params: DynamicSignInParams = fields(params, "params")?;
    let page = |field: &str, value: &V| {
        value.text().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidField,
                format!(
                    "{field}: is required here (there is no globalThis.location to default it from)"
                ),
            )
            .with_field(field)
        })
    };
    if params.domain.is_none() {
        params.domain = Some(page("domain", location_host)?);
    }
    if params.uri.is_none() {
        params.uri = Some(page("uri", location_uri)?);
    }
    if params.issued_at.is_none() {
        params.issued_at = Some(format_rfc3339_ms(V::clock_ms()));
    }
    message::create_dynamic_sign_in_message(&params)
}

/// `parse*Message(text)`: the fields of a message in `format` (`siwe`, `solana`, `dynamic`).
pub fn parse_message<V: HostValue>(format: &str, value: &V) -> Result<V> {
    let text = text(value, "text")?;
    match format {
        "siwe" => V::serialize(&message::parse_siwe_message(&text)?),
        "solana" => V::serialize(&message::parse_solana_sign_in_message(&text)?),
        _ => V::serialize(&message::parse_dynamic_sign_in_message(&text)?),
    }
}

/// `generateNonce()` from 16 random bytes, or the text saying why the runtime has none.
pub fn generate_nonce<V: HostValue>(random: &V) -> Result<String> {
    match random
        .bytes()
        .and_then(|b| <[u8; 16]>::try_from(b.as_slice()).ok())
    {
        Some(random) => Ok(message::generate_nonce_from(&random)),
        None => Err(Error::new(
            ErrorCode::RandomUnavailable,
            format!(
                "no cryptographically secure random source: {}",
                random.text().unwrap_or_default()
            ),
        )),
    }
}
