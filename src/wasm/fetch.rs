//! The platform under the service clients: [`Transport`] over `fetch`, and [`JsonCodec`] over the
//! engine's `JSON` (a response stays the JS value `JSON.parse` made; Rust reads single members).
//!
//! `fetch`, `setTimeout` and `clearTimeout` are reached through the global object (not `window`),
//! so the clients work in browsers, web workers and Node >= 20 alike. Each attempt gets its own
//! `AbortController`, aborted by a timer (→ `TIMEOUT`) or by the caller's `AbortSignal`
//! (→ `ABORTED`); both also cover reading the body.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AbortSignal, Headers, Request, RequestCredentials, RequestInit, Response,
};

use crate::api::client::{MAX_RESPONSE_BYTES, declared_length};
use crate::api::{
    Credentials, HttpRequest, HttpResponse, JsonCodec, JsonKind, Transport, TransportError,
};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(request: &Request) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_name = setTimeout)]
    pub(super) fn set_timeout(handler: &Function, ms: f64) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    pub(super) fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
    /// Any `EventTarget` (here an `AbortSignal`), without web-sys's `EventTarget` feature.
    type Listenable;
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &Listenable, kind: &str, listener: &Function);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn remove_event_listener(this: &Listenable, kind: &str, listener: &Function);
}

fn on_abort(signal: &AbortSignal, listener: &Function) {
    signal
        .unchecked_ref::<Listenable>()
        .add_event_listener("abort", listener);
}

fn off_abort(signal: &AbortSignal, listener: &Function) {
    signal
        .unchecked_ref::<Listenable>()
        .remove_event_listener("abort", listener);
}

/// `fetch` with per-attempt timeouts and an optional caller `AbortSignal`.
#[derive(Clone)]
pub struct FetchTransport {
    signal: Option<AbortSignal>,
}

impl FetchTransport {
    pub fn new(signal: Option<AbortSignal>) -> Self {
        FetchTransport { signal }
    }

    fn caller_aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }
}

/// Undoes an attempt's timer and abort listener however the attempt ends.
struct AttemptGuard<'a> {
    timer: JsValue,
    abort: Function,
    signal: Option<&'a AbortSignal>,
}

impl Drop for AttemptGuard<'_> {
    fn drop(&mut self) {
        let _ = clear_timeout(&self.timer);
        if let Some(signal) = self.signal {
            off_abort(signal, &self.abort);
        }
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        if self.caller_aborted() {
            return Err(TransportError::Aborted);
        }
        let not_sent = |e: JsValue| TransportError::Network {
            before_send: true,
            message: describe(&e),
        };
        let controller = AbortController::new().map_err(not_sent)?;
        let fetch_request = build_request(request, &controller.signal())?;
        // `controller.abort` bound to its controller: the timer and the caller's signal call it.
        let abort = Reflect::get(&controller, &JsValue::from_str("abort"))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .map(|f| f.bind0(&controller))
            .ok_or_else(|| not_sent(JsValue::from_str("AbortController.abort is missing")))?;
        let timer = set_timeout(&abort, request.timeout_ms as f64).map_err(not_sent)?;
        if let Some(signal) = &self.signal {
            on_abort(signal, &abort);
        }
        let _guard = AttemptGuard {
            timer,
            abort,
            signal: self.signal.as_ref(),
        };
        match fetch_response(&fetch_request, &controller).await {
            Ok(response) => Ok(response),
            Err(_) if self.caller_aborted() => Err(TransportError::Aborted),
            Err(_) if controller.signal().aborted() => Err(TransportError::Timeout),
            Err(error) => Err(match how_far(&error) {
                Reached::Refused => TransportError::Refused(describe(&error)),
                reached => TransportError::Network {
                    before_send: reached == Reached::NotSent,
                    message: describe(&error),
                },
            }),
        }
    }

    async fn sleep(&self, ms: u64) -> Result<(), TransportError> {
        if self.caller_aborted() {
            return Err(TransportError::Aborted);
        }
        let mut timer = Ok(JsValue::UNDEFINED);
        let mut wake = None;
        // Resolves after `ms`, or as soon as the caller aborts.
        let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
            timer = set_timeout(&resolve, ms as f64);
            if let Some(signal) = &self.signal {
                on_abort(signal, &resolve);
            }
            wake = Some(resolve);
        });
        if timer.is_ok() {
            let _ = JsFuture::from(promise).await;
        }
        if let Ok(id) = &timer {
            let _ = clear_timeout(id);
        }
        if let (Some(signal), Some(wake)) = (&self.signal, &wake) {
            off_abort(signal, wake);
        }
        if self.caller_aborted() {
            return Err(TransportError::Aborted);
        }
        timer.map(|_| ()).map_err(|e| TransportError::Network {
            before_send: true,
            message: describe(&e),
        })
    }

    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

fn build_request(request: &HttpRequest, signal: &AbortSignal) -> Result<Request, TransportError> {
    let invalid = |e: JsValue| TransportError::InvalidRequest(describe(&e));
    let headers = Headers::new().map_err(invalid)?;
    for (name, value) in &request.headers {
        headers.set(name, value).map_err(invalid)?;
    }
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_credentials(match request.credentials {
        Credentials::SameOrigin => RequestCredentials::SameOrigin,
        Credentials::Include => RequestCredentials::Include,
        Credentials::Omit => RequestCredentials::Omit,
    });
    init.set_signal(Some(signal));
    // Fails on a URL the platform cannot resolve (e.g. a relative baseUrl outside a page).
    Request::new_with_str_and_init(&request.url, &init).map_err(invalid)
}

async fn fetch_response(
    request: &Request,
    controller: &AbortController,
) -> Result<HttpResponse, JsValue> {
    let response: Response = JsFuture::from(global_fetch(request)?).await?.dyn_into()?;
    let mut reply = HttpResponse {
        status: response.status(),
        headers: header_pairs(&response.headers()),
        body: String::new(),
    };
    if declared_length(&reply) > MAX_RESPONSE_BYTES {
        // Not worth reading: the core refuses it. Aborting releases the connection.
        controller.abort();
        return Ok(reply);
    }
    let body = JsFuture::from(read_bounded(
        &response,
        MAX_RESPONSE_BYTES as f64,
        controller,
    )?)
    .await?;
    reply.body = body.as_string().unwrap_or_default();
    Ok(reply)
}

fn header_pairs(headers: &Headers) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let pair = entry.dyn_into::<Array>().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// How far a failed `fetch` got.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reached {
    /// The connection was refused: nothing listens there (a configuration error).
    Refused,
    /// The request never reached the server (e.g. a failed DNS lookup).
    NotSent,
    /// The request may have reached the server.
    MaybeSent,
}

/// Node's fetch (undici) names the socket error in `cause.code`, or for a multi-address connect in
/// `cause.errors[i].code` (then `cause.code` is only the first one's). Only a refused connection
/// or a failed DNS lookup proves that the request never reached the server; a refusal on every
/// address is [`Reached::Refused`]. Browsers give no detail (a refused port is a bare
/// `TypeError: Failed to fetch`), so there a failure counts as "maybe sent".
fn how_far(error: &JsValue) -> Reached {
    const REFUSED: &str = "ECONNREFUSED";
    const BEFORE_SEND: [&str; 4] = [REFUSED, "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL"];
    let get = |v: &JsValue, key: &str| Reflect::get(v, &JsValue::from_str(key)).ok();
    let code_of = |v: &JsValue| get(v, "code").and_then(|c| c.as_string());
    let Some(cause) = get(error, "cause").filter(|c| c.is_object()) else {
        return Reached::MaybeSent;
    };
    let codes: Vec<Option<String>> =
        match get(&cause, "errors").and_then(|e| e.dyn_into::<Array>().ok()) {
            Some(errors) if errors.length() > 0 => errors.iter().map(|e| code_of(&e)).collect(),
            _ => vec![code_of(&cause)],
        };
    if codes.iter().all(|c| c.as_deref() == Some(REFUSED)) {
        Reached::Refused
    } else if codes
        .iter()
        .all(|c| c.as_deref().is_some_and(|c| BEFORE_SEND.contains(&c)))
    {
        Reached::NotSent
    } else {
        Reached::MaybeSent
    }
}

/// A short description of a thrown JS value: its message, plus its cause's code or message.
pub fn describe(error: &JsValue) -> String {
    let get = |v: &JsValue, key: &str| {
        Reflect::get(v, &JsValue::from_str(key))
            .ok()
            .and_then(|x| x.as_string())
    };
    let mut text = get(error, "message")
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned());
    if let Some(cause) = Reflect::get(error, &JsValue::from_str("cause"))
        .ok()
        .filter(|c| c.is_object())
        && let Some(detail) = get(&cause, "code").or_else(|| get(&cause, "message"))
    {
        text.push_str(" (");
        text.push_str(&detail);
        text.push(')');
    }
    text
}

#[wasm_bindgen(module = "/src/wasm/js/fetch.js")]
extern "C" {
    /// `JSON.parse` dropping `null` members, except inside the free-form members named by
    /// `free_form` (their `null`s are data).
    #[wasm_bindgen(catch, js_name = parseJson)]
    fn parse_json_keeping(text: &str, free_form: &Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = readBounded)]
    fn read_bounded(
        response: &Response,
        limit: f64,
        controller: &AbortController,
    ) -> Result<Promise, JsValue>;
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
