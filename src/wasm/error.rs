//! The one place where a core [`Error`] becomes a JavaScript value (through
//! [`crate::host::error_value`]), and the error class's declarations.

use crate::error::{Error, ErrorCode};
use crate::host::{self, HostValue};
use wasm_bindgen::prelude::*;

/// The `ErrorCode` union, generated from the enum's declaration (src/error.rs).
#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR_CODE: &str = ErrorCode::TYPESCRIPT_DECLARATION;

/// The unions the service models' types use (the models are in every build).
#[wasm_bindgen(typescript_custom_section)]
const TS_MODELS: &str = include_str!("types/models.d.ts");

/// The error class and its details, which use `ErrorCode`.
#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &str = include_str!("types/error.d.ts");

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    /// The error class, exported as is (its declaration is in `TS_ERROR`).
    #[wasm_bindgen(js_name = WalletLinkerError, reexport, skip_typescript)]
    #[allow(dead_code)]
    fn wallet_linker_error_class();
}

/// True when `value` was made by the `WalletLinkerError` class: the check JavaScript gets as
/// `isWalletLinkerError`, for Rust callers.
pub fn is_wallet_linker_error(value: JsValue) -> bool {
    value.is_coded_error()
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        host::error_value(&e)
    }
}

/// A thrown JS value as a core error (see [`host::thrown_error`]).
pub fn from_js(value: &JsValue, fallback: ErrorCode) -> Error {
    host::thrown_error(value, fallback)
}

/// Every error code, in a stable order (for UIs that list them).
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<JsValue> {
    ErrorCode::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect()
}
