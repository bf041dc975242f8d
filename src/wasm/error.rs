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

/** Details of a `WalletLinkerError` besides its `code` and `message`. */
export interface WalletLinkerErrorDetails {
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
  /** The step of `linkWallet` that failed. */
  step?: LinkStep;
  /** The underlying error, if any (the standard `Error` option). */
  cause?: unknown;
}

/**
 * What every function of this package throws (or rejects with): `e instanceof WalletLinkerError`
 * holds for each of them, and `e.code` tells them apart.
 */
export declare class WalletLinkerError extends Error {
  /**
   * An error of this package's kind, e.g. for a wallet adapter or a test double to throw: the
   * package passes it through as it is.
   */
  constructor(code: ErrorCode, message: string, details?: WalletLinkerErrorDetails);
  name: "WalletLinkerError";
  code: ErrorCode;
}
/** The details (`field`, `expected`, `received`, `status`, `apiCode`, `body`, `step`). */
export interface WalletLinkerError extends Omit<WalletLinkerErrorDetails, "cause"> {}

/**
 * True when `value` was made by this package's `WalletLinkerError` class (not for another
 * `Error` that merely carries that name).
 */
export function isWalletLinkerError(value: unknown): value is WalletLinkerError;
"#;

#[wasm_bindgen(inline_js = r#"
const made = new WeakSet();
const DETAILS = ['field', 'expected', 'received', 'apiCode', 'body', 'step', 'status'];
export class WalletLinkerError extends Error {
  constructor(code, message, details) {
    super(message, details?.cause === undefined ? undefined : { cause: details.cause });
    made.add(this);
    this.code = code;
    for (const key of DETAILS) if (details?.[key] !== undefined) this[key] = details[key];
  }
}
Object.defineProperty(WalletLinkerError.prototype, 'name', { value: 'WalletLinkerError', writable: true, configurable: true });
export function isWalletLinkerError(value) {
  return made.has(value);
}
"#)]
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
