//! The platform under the service clients: [`Transport`] over `fetch`, and [`JsonCodec`] over the
//! engine's `JSON` (a response stays the JS value `JSON.parse` made; Rust reads single members).
//!
//! An attempt is `attempt` in `js/boundary.js`: `fetch` through the global object (browsers, web
//! workers, Node, Deno, Bun, workerd alike) with its own `AbortController`, aborted by a timer
//! (→ `TIMEOUT`) or by the caller's `AbortSignal` (→ `ABORTED`); both also cover reading the body.

use js_sys::{Array, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use crate::api::client::MAX_RESPONSE_BYTES;
use crate::api::{
    Credentials, HttpRequest, HttpResponse, JsonCodec, JsonKind, Transport, TransportError,
};

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    /// `JSON.parse` dropping `null` members, except inside the free-form members named by
    /// `free_form` (their `null`s are data).
    #[wasm_bindgen(catch, js_name = parseJson)]
    fn parse_json_keeping(text: &str, free_form: &Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn attempt(
        request: JsValue,
        timeout_ms: f64,
        signal: Option<AbortSignal>,
        limit: f64,
    ) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = sleep)]
    async fn sleep_or_abort(ms: f64, signal: Option<AbortSignal>);
    /// A thrown value in short: its message, plus its cause's code or message.
    pub fn describe(error: &JsValue) -> String;
}

/// `fetch` with per-attempt timeouts and an optional caller `AbortSignal` (`attempt` in
/// `js/boundary.js`); what a failure means is the core's ([`TransportError::connection_failed`]).
#[derive(Clone)]
pub struct FetchTransport {
    signal: Option<AbortSignal>,
}

/// What `attempt` is given.
#[derive(Serialize)]
struct Attempt<'a> {
    method: &'a str,
    url: &'a str,
    headers: &'a [(String, String)],
    body: Option<&'a str>,
    credentials: &'a str,
}

/// What `attempt` resolves to: a response, or how it failed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Outcome {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
    failed: Option<String>,
    message: String,
    codes: Vec<Option<String>>,
}

impl FetchTransport {
    pub fn new(signal: Option<AbortSignal>) -> Self {
        FetchTransport { signal }
    }

    fn caller_aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let not_sent = |message: String| TransportError::Network {
            before_send: true,
            message,
        };
        let input = <JsValue as crate::host::HostValue>::serialize(&Attempt {
            method: request.method.as_str(),
            url: &request.url,
            headers: &request.headers,
            body: request.body.as_deref(),
            credentials: match request.credentials {
                Credentials::SameOrigin => "same-origin",
                Credentials::Include => "include",
                Credentials::Omit => "omit",
            },
        })
        .map_err(|e| not_sent(e.message))?;
        let limit = MAX_RESPONSE_BYTES as f64;
        let outcome = attempt(input, request.timeout_ms as f64, self.signal.clone(), limit)
            .await
            .map_err(|e| not_sent(describe(&e)))?;
        let outcome: Outcome = crate::options_reader::read(outcome, &[])
            .map_err(|e: crate::options_reader::FieldError| not_sent(e.to_string()))?;
        match outcome.failed.as_deref() {
            None => Ok(HttpResponse {
                status: outcome.status,
                headers: outcome.headers,
                body: outcome.body,
            }),
            Some("aborted") => Err(TransportError::Aborted),
            Some("timeout") => Err(TransportError::Timeout),
            Some("invalid") => Err(TransportError::InvalidRequest(outcome.message)),
            Some(_) => {
                let codes: Vec<Option<&str>> = outcome.codes.iter().map(Option::as_deref).collect();
                Err(TransportError::connection_failed(&codes, outcome.message))
            }
        }
    }

    async fn sleep(&self, ms: u64) -> Result<(), TransportError> {
        if !self.caller_aborted() {
            sleep_or_abort(ms as f64, self.signal.clone()).await;
        }
        if self.caller_aborted() {
            return Err(TransportError::Aborted);
        }
        Ok(())
    }

    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// `parseJson` keeping the `null`s of the models' free-form members: the list is the core's
/// ([`FREE_FORM_FIELDS`](crate::api::types::FREE_FORM_FIELDS)), made into a JS array once.
fn parse_json(text: &str) -> Result<JsValue, JsValue> {
    thread_local! {
        static FREE_FORM: Array = crate::api::types::FREE_FORM_FIELDS
            .iter()
            .map(|name| JsValue::from_str(name))
            .collect();
    }
    FREE_FORM.with(|free_form| parse_json_keeping(text, free_form))
}

/// The engine's `JSON.parse`; a parsed document stays a JS value (handed to the caller as it is).
#[derive(Clone, Copy)]
pub struct JsJson;

impl JsonCodec for JsJson {
    type Raw = JsValue;

    fn parse(&self, text: &str) -> Result<JsValue, String> {
        parse_json(text).map_err(|e| describe(&e))
    }

    fn member(&self, value: &JsValue, key: &str) -> Option<JsValue> {
        if !value.is_object() {
            return None;
        }
        Reflect::get(value, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn kind(&self, value: &JsValue) -> JsonKind {
        if value.is_string() {
            JsonKind::String
        } else if value.as_f64().is_some() {
            JsonKind::Number
        } else if value.as_bool().is_some() {
            JsonKind::Bool
        } else if Array::is_array(value) {
            JsonKind::Array
        } else if value.is_object() {
            JsonKind::Object
        } else {
            // `null` (JSON.parse makes nothing else)
            JsonKind::Null
        }
    }

    fn as_string(&self, value: &JsValue) -> Option<String> {
        value.as_string()
    }

    fn as_number(&self, value: &JsValue) -> Option<f64> {
        value.as_f64()
    }

    fn set_number(&self, object: &mut JsValue, key: &str, value: f64) {
        let _ = Reflect::set(object, &JsValue::from_str(key), &JsValue::from_f64(value));
    }
}
