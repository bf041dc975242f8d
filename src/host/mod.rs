//! The caller's JavaScript objects (options, wallets, clients, hooks, stores) as the core reaches
//! them: [`HostValue`], the few things done to a JavaScript value beyond reading it
//! ([`JsLike`]): members, calls, promises, new objects and this package's error class.
//!
//! The WebAssembly layer answers it for `JsValue` with js-sys; the native tests with a scripted
//! value (`tests/common/host.rs`). So the code that reads the caller's objects and decides what
//! their answers mean ([`crate::link`], the link server's runtime, thrown values as coded errors)
//! is tested natively.

mod to_value;

use core::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::TextOrBytes;
use crate::error::{Error, ErrorCode, Result};
use crate::options_reader::{self, JsLike};

/// A JavaScript value the core can read, call and build.
pub trait HostValue: JsLike + Clone {
    fn undefined() -> Self;
    /// The engine's clock, `Date.now()`.
    fn clock_ms() -> i64;
    fn from_f64(n: f64) -> Self;
    fn from_bool(b: bool) -> Self;
    /// A `Uint8Array` holding a copy of `bytes`.
    fn from_bytes(bytes: &[u8]) -> Self;
    fn new_object() -> Self;
    fn new_array(items: Vec<Self>) -> Self;
    /// `self[key]`; `undefined` for a non-object or a getter that throws.
    fn get(&self, key: &str) -> Self;
    /// `self[key] = value`; `Err` with what it threw (a frozen object, a setter).
    fn set(&self, key: &str, value: Self) -> core::result::Result<(), Self>;
    /// `delete self[key]`.
    fn delete(&self, key: &str);
    fn is_function(&self) -> bool;
    /// `self(...args)` with an `undefined` receiver; `Err` with what it threw.
    fn call(&self, args: &[Self]) -> core::result::Result<Self, Self>;
    /// `self[method](...args)`; `Err` with what it threw.
    fn call_method(&self, method: &str, args: &[Self]) -> core::result::Result<Self, Self>;
    /// The value a promise (or any thenable) settles to; the value itself for anything else.
    fn settle(self) -> impl Future<Output = core::result::Result<Self, Self>>;
    /// A plain-data copy (getters read once, `undefined`/`null` members dropped); `Err` with what
    /// reading it threw (a getter, a cycle, a Proxy).
    fn snapshot(&self) -> core::result::Result<Self, Self>;
    /// `JSON.stringify(self)`; `None` when it cannot be written (a BigInt, a cycle).
    fn json_text(&self) -> Option<String>;
    /// True for a value made by this package's `WalletLinkerError` class (its private brand, not
    /// its name).
    fn is_coded_error(&self) -> bool;
    /// `new WalletLinkerError(code, message)`.
    fn new_coded_error(code: &str, message: &str) -> Self;

    /// A string argument's text, checked (bounded length, well-formed UTF-16); `Ok(None)` for
    /// anything that is not a string.
    fn checked_text(&self, field: &str) -> Result<Option<String>>;
    /// A `Uint8Array` argument's bytes, bounded; `Ok(None)` for anything else.
    fn checked_bytes(&self, field: &str) -> Result<Option<Vec<u8>>>;

    /// `value` as a plain JavaScript value ([`to_value`]).
    fn serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self> {
        to_value::to_value(value)
    }

    /// `self[key]` when it is a string.
    fn get_text(&self, key: &str) -> Option<String> {
        self.get(key).text()
    }

    /// True when `self[name]` is a function.
    fn has_method(&self, name: &str) -> bool {
        self.get(name).is_function()
    }

    /// A string as a JavaScript value.
    fn from_str(text: &str) -> Self {
        Self::from(text.to_owned())
    }

    /// `self[method](...args)`, awaited.
    fn ask(
        &self,
        method: &str,
        args: &[Self],
    ) -> impl Future<Output = core::result::Result<Self, Self>> {
        let started = self.call_method(method, args);
        async move { started?.settle().await }
    }
}

/// A core error as a `WalletLinkerError` (every detail it has as a member).
pub fn error_value<V: HostValue>(e: &Error) -> V {
    let out = V::new_coded_error(e.code.as_str(), &e.message);
    let text = |v: &Option<String>| v.as_deref().map(V::from_str);
    for (key, value) in [
        ("field", text(&e.field)),
        ("expected", text(&e.expected)),
        ("received", text(&e.received)),
        ("apiCode", text(&e.api_code)),
        ("body", text(&e.body)),
        ("step", text(&e.step)),
        ("status", e.status.map(|s| V::from_f64(f64::from(s)))),
    ] {
        if let Some(value) = value {
            // A fresh error object takes any member; a failure would only lose a detail.
            let _ = out.set(key, value);
        }
    }
    out
}

/// A thrown value as a core error: one of this package's `WalletLinkerError`s keeps its code and
/// details (an error thrown by a callback that itself called this package); anything else is
/// `fallback` with its `message` (or its text).
pub fn thrown_error<V: HostValue>(thrown: &V, fallback: ErrorCode) -> Error {
    let text = |key: &str| thrown.get_text(key);
    if thrown.is_coded_error()
        && let Some(code) = text("code").and_then(|c| ErrorCode::from_name(&c))
    {
        let mut e = Error::new(code, text("message").unwrap_or_default());
        e.field = text("field");
        e.expected = text("expected");
        e.received = text("received");
        e.api_code = text("apiCode");
        e.body = text("body");
        e.step = text("step");
        e.status = thrown.get("status").number().map(|s| s as u16);
        return e;
    }
    let message = text("message")
        .or_else(|| thrown.text())
        .unwrap_or_else(|| "unknown JavaScript error".to_owned());
    Error::new(fallback, message)
}

/// A wallet's thrown value as a coded error (see [`crate::wallet::thrown_error`]).
pub fn wallet_error<V: HostValue>(thrown: &V, what: &str) -> Error {
    let message = thrown.get_text("message").or_else(|| thrown.text());
    let code = thrown.get("code");
    let code_text = code.text();
    let code = match (code.number(), code_text.as_deref()) {
        (Some(n), _) => crate::wallet::ErrorCodeValue::Number(n),
        (None, Some(text)) => crate::wallet::ErrorCodeValue::Text(text),
        _ => crate::wallet::ErrorCodeValue::Absent,
    };
    let as_error = thrown_error(thrown, ErrorCode::WalletError);
    crate::wallet::thrown_error(code, message, as_error, what)
}

/// The plain-data copy of an argument ([`HostValue::snapshot`]); what reading it threw is an
/// `INVALID_ARGUMENT` naming `argument`.
pub fn snapshot<V: HostValue>(value: &V, argument: &str) -> Result<V> {
    value.snapshot().map_err(|thrown| {
        let reason = thrown_error(&thrown, ErrorCode::InvalidArgument).message;
        Error::new(
            ErrorCode::InvalidArgument,
            format!("{argument} could not be read: {reason}"),
        )
        .with_field(argument)
    })
}

/// The [`snapshot`] of an argument that must be an object (an options object, a message's fields).
pub fn object_snapshot<V: HostValue>(value: &V, argument: &str) -> Result<V> {
    if !value.is_record() {
        return Err(wrong_type(argument, "an object", value));
    }
    snapshot(value, argument)
}

/// Reads `copy`, an argument's [`snapshot`], as `T` (several readers may share one copy); errors
/// name the member at fault ([`options_reader`]), `INVALID_ARGUMENT` also for a missing member.
pub fn read_snapshot<T: DeserializeOwned, V: HostValue>(copy: &V, argument: &str) -> Result<T> {
    read_fields(copy, argument, &[], ErrorCode::InvalidArgument)
}

/// [`read_snapshot`] where the members named in `times` may hold a `Date` (read as its ISO text)
/// and a missing member is `missing` (e.g. `INVALID_FIELD` for a message's fields).
pub fn read_fields<T: DeserializeOwned, V: HostValue>(
    copy: &V,
    argument: &str,
    times: &[&str],
    missing: ErrorCode,
) -> Result<T> {
    options_reader::read(copy.clone(), times).map_err(|e| e.into_error(argument, missing))
}

/// `INVALID_ARGUMENT`: `field` must be `expected`; says what it received.
pub fn wrong_type(field: &str, expected: &str, value: &impl JsLike) -> Error {
    let received = value.type_name();
    Error::new(
        ErrorCode::InvalidArgument,
        format!("{field} must be {expected}, received {received}"),
    )
    .with_field(field)
    .with_expected(expected)
    .with_received(received)
}

/// A signature, key or message given as a string or a `Uint8Array` (checked); `Ok(None)` for
/// anything else.
pub fn given_text_or_bytes<V: HostValue>(value: &V, field: &str) -> Result<Option<TextOrBytes>> {
    if let Some(text) = value.checked_text(field)? {
        return Ok(Some(TextOrBytes::Text(text)));
    }
    Ok(value.checked_bytes(field)?.map(TextOrBytes::Bytes))
}

/// A member that must be a function when given (`None` when absent).
pub fn optional_function<V: HostValue>(value: V, key: &str) -> Result<Option<V>> {
    if value.is_nullish() {
        return Ok(None);
    }
    if !value.is_function() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            format!("{key} must be a function"),
        )
        .with_field(key));
    }
    Ok(Some(value))
}
