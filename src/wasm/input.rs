//! Checked conversions of JavaScript arguments: wrong types, `undefined`, lone surrogates and huge
//! inputs become coded errors instead of glue `TypeError`s or traps.

use crate::error::{Error, ErrorCode, Result};
use crate::host::wrong_type;
use js_sys::{JsString, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

/// Longest string argument accepted (1 MiB of UTF-16 code units is far beyond any real message).
pub const MAX_STRING_LEN: u32 = 1 << 20;
/// Largest byte-array argument accepted.
pub const MAX_BYTES_LEN: u32 = 1 << 20;

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
