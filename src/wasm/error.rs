//! The one place where a core [`Error`] becomes a JavaScript value.

use crate::error::{Error, ErrorCode};
use js_sys::Reflect;
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
    #[wasm_bindgen(js_name = WalletLinkerError)]
    type JsWalletLinkerError;
    #[wasm_bindgen(constructor, js_class = WalletLinkerError)]
    fn new(code: &str, message: &str) -> JsWalletLinkerError;
    /// Exported as is: true only for instances of the class (a private brand, not the name).
    #[wasm_bindgen(js_name = isWalletLinkerError, reexport, skip_typescript)]
    fn is_ours(value: &JsValue) -> bool;
}

/// True when `value` was made by the `WalletLinkerError` class: the check JavaScript gets as
/// `isWalletLinkerError`, for Rust callers.
pub fn is_wallet_linker_error(value: JsValue) -> bool {
    is_ours(&value)
}

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        let js: JsValue = JsWalletLinkerError::new(e.code.as_str(), &e.message).into();
        // Reflect::set on a fresh Error object cannot fail; a failure would only lose a detail.
        let set = |key: &str, value: JsValue| {
            let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
        };
        let text = |v: &Option<String>| v.as_deref().map(JsValue::from_str);
        for (key, value) in [
            ("field", text(&e.field)),
            ("expected", text(&e.expected)),
            ("received", text(&e.received)),
            ("apiCode", text(&e.api_code)),
            ("body", text(&e.body)),
            ("step", text(&e.step)),
            ("status", e.status.map(|s| JsValue::from_f64(f64::from(s)))),
        ] {
            if let Some(value) = value {
                set(key, value);
            }
        }
        js
    }
}

/// Reads a thrown JS value back into a core error when it is one of ours (e.g. an error thrown by
/// a callback that itself called this package, or a `WalletLinkerError` it made), otherwise wraps
/// it with `fallback`.
pub fn from_js(value: &JsValue, fallback: ErrorCode) -> Error {
    let get = |key: &str| Reflect::get(value, &JsValue::from_str(key)).ok();
    let text = |key: &str| get(key).and_then(|v| v.as_string());
    if is_ours(value)
        && let Some(code) = text("code").and_then(|c| code_from_str(&c))
    {
        let mut e = Error::new(code, text("message").unwrap_or_default());
        e.field = text("field");
        e.expected = text("expected");
        e.received = text("received");
        e.api_code = text("apiCode");
        e.body = text("body");
        e.step = text("step");
        e.status = get("status").and_then(|v| v.as_f64()).map(|s| s as u16);
        return e;
    }
    let message = text("message")
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown JavaScript error".to_owned());
    Error::new(fallback, message)
}

/// A wallet's thrown value as a coded error (see [`crate::wallet::thrown_error`]).
#[cfg(feature = "services")]
pub(crate) fn wallet_error(value: &JsValue, what: &str) -> Error {
    let get = |key: &str| Reflect::get(value, &JsValue::from_str(key)).unwrap_or_default();
    let message = get("message").as_string().or_else(|| value.as_string());
    let code = get("code");
    let text = code.as_string();
    let code = match (code.as_f64(), text.as_deref()) {
        (Some(n), _) => crate::wallet::ErrorCodeValue::Number(n),
        (None, Some(text)) => crate::wallet::ErrorCodeValue::Text(text),
        _ => crate::wallet::ErrorCodeValue::Absent,
    };
    let thrown = from_js(value, ErrorCode::WalletError);
    crate::wallet::thrown_error(code, message, thrown, what)
}

fn code_from_str(code: &str) -> Option<ErrorCode> {
    ErrorCode::ALL.iter().copied().find(|c| c.as_str() == code)
}

/// Every error code, in a stable order (for UIs that list them).
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<JsValue> {
    ErrorCode::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect()
}
