//! The one place where a core [`Error`] becomes a JavaScript value.

use crate::error::{Error, ErrorCode};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &'static str = r#"
/** Every code a `WalletLinkerError` can carry. Codes are stable: never renamed once released. */
export type ErrorCode =
  | "INVALID_ARGUMENT"
  | "INPUT_TOO_LARGE"
  | "INVALID_HEX"
  | "INVALID_BASE58"
  | "INVALID_BASE64"
  | "INVALID_ADDRESS"
  | "INVALID_PUBLIC_KEY"
  | "INVALID_SIGNATURE_LENGTH"
  | "INVALID_SIGNATURE"
  | "MESSAGE_PARSE"
  | "INVALID_FIELD"
  | "SIGNATURE_MISMATCH"
  | "ADDRESS_MISMATCH"
  | "EXPIRED"
  | "NOT_YET_VALID"
  | "ISSUED_IN_FUTURE"
  | "DOMAIN_MISMATCH"
  | "NONCE_MISMATCH"
  | "CHAIN_ID_MISMATCH"
  | "URI_MISMATCH"
  | "SCHEME_MISMATCH"
  | "UNSUPPORTED_CHAIN"
  | "BROWSER_SECRET"
  | "HTTP_ERROR"
  | "INVALID_RESPONSE"
  | "TIMEOUT"
  | "NETWORK"
  | "ABORTED"
  | "USER_REJECTED"
  | "WALLET_NOT_FOUND"
  | "WALLET_ERROR"
  | "RANDOM_UNAVAILABLE"
  | "MISSING_FIELD"
  | "UNAUTHENTICATED"
  | "NONCE_UNKNOWN"
  | "NONCE_STORE"
  | "ROUTE_NOT_FOUND"
  | "INTERNAL";

/** What every function of this package throws (or rejects with). */
export interface WalletLinkerError extends Error {
  name: "WalletLinkerError";
  code: ErrorCode;
  /** The input field at fault, e.g. "nonce" or "signature". */
  field?: string;
  expected?: string;
  received?: string;
  /** HTTP status of a failed service call. */
  status?: number;
  /** The service's own error code, e.g. Dynamic's "invalid_verification". */
  apiCode?: string;
  /** The response body of a failed service call (bounded). */
  body?: string;
  /** The step of linkWallet that failed: "connect", "nonce", "message", "sign", "verify", "link", "snag". */
  step?: string;
}
"#;

/// The `name` of every error this package throws.
pub const ERROR_NAME: &str = "WalletLinkerError";

impl From<Error> for JsValue {
    fn from(e: Error) -> JsValue {
        let js = js_sys::Error::new(&e.message);
        js.set_name(ERROR_NAME);
        let obj: &JsValue = js.as_ref();
        // Reflect::set on a fresh Error object cannot fail; a failure would only lose a detail.
        let set = |key: &str, value: JsValue| {
            let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
        };
        set("code", JsValue::from_str(e.code.as_str()));
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
        js.into()
    }
}

/// Reads a thrown JS value back into a core error when it is one of ours (e.g. an error thrown by
/// a callback that itself called this package), otherwise wraps it with `fallback`.
pub fn from_js(value: &JsValue, fallback: ErrorCode) -> Error {
    let get = |key: &str| Reflect::get(value, &JsValue::from_str(key)).ok();
    let text = |key: &str| get(key).and_then(|v| v.as_string());
    if text("name").as_deref() == Some(ERROR_NAME)
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

fn code_from_str(code: &str) -> Option<ErrorCode> {
    ErrorCode::ALL.iter().copied().find(|c| c.as_str() == code)
}

/// True when `value` is an error thrown by this package.
#[wasm_bindgen(js_name = isWalletLinkerError, unchecked_return_type = "value is WalletLinkerError")]
pub fn is_wallet_linker_error(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
) -> bool {
    value.is_instance_of::<js_sys::Error>()
        && Reflect::get(&value, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .as_deref()
            == Some(ERROR_NAME)
}

/// Every error code, in a stable order (for UIs that list them).
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<JsValue> {
    ErrorCode::ALL
        .iter()
        .map(|c| JsValue::from_str(c.as_str()))
        .collect()
}
