//! Checked conversions of JavaScript arguments: wrong types, `undefined`, lone surrogates and huge
//! inputs become coded errors instead of glue `TypeError`s or traps.

use crate::TextOrBytes;
use crate::error::{Error, ErrorCode, Result};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// Longest string argument accepted (1 MiB of UTF-16 code units is far beyond any real message).
pub const MAX_STRING_LEN: u32 = 1 << 20;
/// Largest byte-array argument accepted.
pub const MAX_BYTES_LEN: u32 = 1 << 20;

fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if Array::is_array(value) {
        "array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

use js_sys::{Array, JsString, Uint8Array};

fn wrong_type(field: &str, expected: &str, value: &JsValue) -> Error {
    Error::new(
        ErrorCode::InvalidArgument,
        format!("{field} must be {expected}, received {}", type_name(value)),
    )
    .with_field(field)
    .with_expected(expected)
    .with_received(type_name(value))
}

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    /// `true`/`false`, or `undefined` on engines before ES2024.
    #[wasm_bindgen(js_name = isWellFormed)]
    fn is_well_formed(text: &JsString) -> JsValue;
}

/// `INPUT_TOO_LARGE` for an argument `field` that is `limit` (`length` long).
fn too_large(field: &str, limit: &str, length: u32) -> Error {
    Error::new(ErrorCode::InputTooLarge, format!("{field} is {limit}"))
        .with_field(field)
        .with_received(length.to_string())
}

/// A required string argument, bounded in length and well-formed UTF-16.
pub fn string(value: &JsValue, field: &str) -> Result<String> {
    let Some(js) = value.dyn_ref::<JsString>() else {
        return Err(wrong_type(field, "a string", value));
    };
    if js.length() > MAX_STRING_LEN {
        let limit = format!("longer than {MAX_STRING_LEN} characters");
        return Err(too_large(field, &limit, js.length()));
    }
    // One call to String.prototype.isWellFormed (ES2024); the js-sys fallback crosses the
    // boundary once per character, which was ~30% of parsing a message.
    let well_formed = is_well_formed(js)
        .as_bool()
        .unwrap_or_else(|| js.is_valid_utf16());
    if !well_formed {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("{field} contains a lone UTF-16 surrogate and cannot be encoded as UTF-8"),
        )
        .with_field(field));
    }
    js.as_string()
        .ok_or_else(|| wrong_type(field, "a string", value))
}

/// An optional string argument: `undefined` and `null` are absent.
pub fn optional_string(value: &JsValue, field: &str) -> Result<Option<String>> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        string(value, field).map(Some)
    }
}

/// A `Uint8Array` argument, bounded in length.
pub fn bytes(value: &JsValue, field: &str) -> Result<Vec<u8>> {
    let Some(array) = value.dyn_ref::<Uint8Array>() else {
        return Err(wrong_type(field, "a Uint8Array", value));
    };
    if array.length() > MAX_BYTES_LEN {
        let limit = format!("larger than {MAX_BYTES_LEN} bytes");
        return Err(too_large(field, &limit, array.length()));
    }
    Ok(array.to_vec())
}

pub fn text_or_bytes(value: &JsValue, field: &str) -> Result<TextOrBytes> {
    if value.is_string() {
        string(value, field).map(TextOrBytes::Text)
    } else if value.is_instance_of::<Uint8Array>() {
        bytes(value, field).map(TextOrBytes::Bytes)
    } else {
        Err(wrong_type(field, "a string or a Uint8Array", value))
    }
}

/// Converts an object argument to `T`. The object is first copied by [`snapshot`], so a getter
/// that throws, a cycle or a Proxy becomes a coded error instead of an exception unwinding
/// through wasm; keys whose value is `undefined` or `null` count as absent. An error names the
/// member at fault in `field` (`chainId`, `snag.proof`) and says what it must be in plain words
/// (see [`super::de`]): `INVALID_ARGUMENT`, also for a missing member.
pub fn object<T: serde::de::DeserializeOwned>(value: &JsValue, field: &str) -> Result<T> {
    fields(value, field, &[], ErrorCode::InvalidArgument)
}

/// [`object`] for the fields of a message: the members named in `times` may also hold a `Date`,
/// read as its `toISOString()` text (what viem's `createSiweMessage` writes), and a missing
/// member or an invalid `Date` is `missing` (e.g. `INVALID_FIELD`).
pub fn fields<T: serde::de::DeserializeOwned>(
    value: &JsValue,
    argument: &str,
    times: &[&str],
    missing: ErrorCode,
) -> Result<T> {
    if !value.is_object() || Array::is_array(value) {
        return Err(wrong_type(argument, "an object", value));
    }
    super::de::read(snapshot(value, argument)?, times).map_err(|e| e.into_error(argument, missing))
}

/// Converts an array argument to `Vec<T>`, with the same safeguards as [`object`].
pub fn array<T: serde::de::DeserializeOwned>(value: &JsValue, field: &str) -> Result<Vec<T>> {
    if !Array::is_array(value) {
        return Err(wrong_type(field, "an array", value));
    }
    super::de::read(snapshot(value, field)?, &[])
        .map_err(|e| e.into_error(field, ErrorCode::InvalidArgument))
}

/// A plain-data copy of an argument, read once, safely (see [`object`]).
pub fn snapshot(value: &JsValue, field: &str) -> Result<JsValue> {
    crate::host::snapshot(value, field)
}

/// Converts a Rust value to a plain JS object (maps become objects, absent options are omitted).
pub fn to_js<T: serde::Serialize + ?Sized>(value: &T) -> Result<JsValue> {
    <JsValue as crate::host::HostValue>::serialize(value)
}

/// Reads a tsify-typed argument, with the safeguards of [`object`].
pub fn ts<T>(value: &tsify::Ts<T>, field: &str) -> Result<T>
where
    T: tsify::Tsify + serde::de::DeserializeOwned,
    <T as tsify::Tsify>::JsType: Clone + JsCast,
{
    object(&value.js_value(), field)
}

/// Returns a tsify-typed value to JavaScript.
pub fn ts_out<T: tsify::Tsify + serde::Serialize>(value: &T) -> Result<tsify::Ts<T>> {
    tsify::Ts::from_rust(value).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("could not convert a result: {e}"),
        )
    })
}
