//! What the three clients share: validated options, URL building, the retry loop, and the mapping
//! of every failure to a coded [`Error`].

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::json::{JsonCodec, JsonKind, ModelCodec};
use super::retry::{Idempotency, MAX_MAX_RETRIES, Outcome, RetryPolicy};
use super::transport::{Credentials, HttpRequest, HttpResponse, Method, Transport, TransportError};
use super::types::{Required, Shape, unix_seconds_from_f64, unix_seconds_from_str};
use crate::error::{Error, ErrorCode, Result};

/// Declares a deserializable options struct that also takes the members every client takes
/// (`baseUrl`, `timeoutMs`, `deadlineMs`, `maxRetries`, `retryStateChanging`), and its
/// `client_options(default_base_url)`.
macro_rules! with_client_options {
    ($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($body)*
            /// The service's API root; default the service's own.
            pub base_url: Option<String>,
            pub timeout_ms: Option<f64>,
            pub deadline_ms: Option<f64>,
            pub max_retries: Option<f64>,
            pub retry_state_changing: Option<bool>,
        }

        impl $name {
            /// The client options these members give (see [`ClientOptions::from_parts`]).
            pub fn client_options_or(&self, default_base_url: &str) -> $crate::Result<$crate::api::ClientOptions> {
                $crate::api::ClientOptions::from_parts(
                    default_base_url,
                    self.base_url.as_deref(),
                    self.timeout_ms,
                    self.max_retries,
                    self.retry_state_changing,
                )?
                .with_deadline(self.deadline_ms)
            }
        }
    };
}
pub(crate) use with_client_options;

/// Per-attempt timeout when the caller does not say.
pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
/// Longest a call may take in all, retries and waits included, when the caller does not say: about
/// as long as a person waits for a sign-in before giving up.
pub const DEFAULT_DEADLINE_MS: u64 = 45_000;
/// Longest per-attempt timeout a caller may ask for (10 minutes).
pub const MAX_TIMEOUT_MS: u64 = 600_000;
/// Largest response body a client accepts (8 MiB). A transport may skip reading a body whose
/// `Content-Length` is larger; the call then fails with `INVALID_RESPONSE` (or, for an error
/// status, `HTTP_ERROR` without the body).
pub const MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;
/// Longest environment id, token or key accepted (real ones are far shorter).
const MAX_CREDENTIAL_CHARS: usize = 8192;
/// Longest base URL accepted.
const MAX_URL_CHARS: usize = 2048;

/// Options every client takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientOptions {
    /// Service root without a trailing `/`, e.g. `https://app.dynamicauth.com/api/v0`.
    pub base_url: String,
    pub timeout_ms: u64,
    /// The whole call, every attempt and wait included, ends within this (`TIMEOUT` after it).
    pub deadline_ms: u64,
    pub retry: RetryPolicy,
    pub credentials: Credentials,
}

impl ClientOptions {
    /// Default options for a service at `base_url` (taken as given: validate it with
    /// [`ClientOptions::from_parts`] when it comes from a caller).
    pub fn new(base_url: &str) -> Self {
        ClientOptions {
            base_url: base_url.trim_end_matches('/').to_owned(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            deadline_ms: DEFAULT_DEADLINE_MS,
            retry: RetryPolicy::default(),
            credentials: Credentials::SameOrigin,
        }
    }

    /// Sets the overall deadline (`deadlineMs`, 1 ms to 10 minutes) when the caller gives one.
    pub fn with_deadline(mut self, deadline_ms: Option<f64>) -> Result<Self> {
        if let Some(ms) = deadline_ms {
            self.deadline_ms = whole_number(ms, "deadlineMs", 1, MAX_TIMEOUT_MS)?;
        }
        Ok(self)
    }

    /// Validates the options as a caller gives them (numbers as JavaScript holds them).
    pub fn from_parts(
        default_base_url: &str,
        base_url: Option<&str>,
        timeout_ms: Option<f64>,
        max_retries: Option<f64>,
        retry_state_changing: Option<bool>,
    ) -> Result<Self> {
        let mut options = ClientOptions::new(default_base_url);
        if let Some(url) = base_url {
            options.base_url = validate_base_url(url)?;
        }
        if let Some(ms) = timeout_ms {
            options.timeout_ms = whole_number(ms, "timeoutMs", 1, MAX_TIMEOUT_MS)?;
        }
        if let Some(n) = max_retries {
            let n = whole_number(n, "maxRetries", 0, u64::from(MAX_MAX_RETRIES))?;
            options.retry.max_retries = u32::try_from(n).unwrap_or(MAX_MAX_RETRIES);
        }
        if let Some(opt_in) = retry_state_changing {
            options.retry.retry_state_changing = opt_in;
        }
        Ok(options)
    }
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message).with_field(field)
}

/// A JavaScript number that must be a whole number in `min..=max`, or `INVALID_ARGUMENT` naming it.
pub(crate) fn whole_number(value: f64, field: &str, min: u64, max: u64) -> Result<u64> {
    if value.is_finite() && value.fract() == 0.0 && value >= min as f64 && value <= max as f64 {
        Ok(value as u64)
    } else {
        Err(invalid(
            field,
            format!("{field} must be a whole number from {min} to {max}"),
        )
        .with_expected(format!("{min}..={max}"))
        .with_received(number_text(value)))
    }
}

/// A JavaScript number as text for error details, without Rust's float formatter (which would add
/// about 10 KB gzip to the `.wasm`): whole numbers exactly, other finite numbers rounded to 6
/// decimals, `NaN` and `Infinity` as JavaScript writes them, and `1e19 or more` beyond `u64`.
pub fn number_text(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    let sign = if value < 0.0 { "-" } else { "" };
    let magnitude = value.abs();
    if magnitude.is_infinite() {
        return format!("{sign}Infinity");
    }
    if magnitude >= 1e19 {
        return format!("{sign}1e19 or more");
    }
    let micros = (magnitude * 1e6).round();
    if magnitude.fract() == 0.0 || micros >= 1e19 {
        return format!("{sign}{}", magnitude as u64);
    }
    let micros = micros as u64;
    let text = format!("{sign}{}.{:06}", micros / 1_000_000, micros % 1_000_000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A base URL: `http(s)://host[:port][/path]`, or a same-origin path such as `/api/snag` (a
/// browser resolves it against the page). No query, fragment, spaces or control characters.
pub fn validate_base_url(url: &str) -> Result<String> {
    let fail = |why: &str| {
        invalid("baseUrl", format!("baseUrl {why}"))
            .with_expected("an http(s) URL or a path starting with /")
            .with_received(url)
    };
    if url.chars().count() > MAX_URL_CHARS {
        return Err(fail("is too long"));
    }
    if url
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '?' || c == '#')
    {
        return Err(fail("contains a space, a control character, '?' or '#'"));
    }
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        rest
    } else if url.starts_with('/') && !url.starts_with("//") {
        return Ok(url.trim_end_matches('/').to_owned());
    } else {
        return Err(fail("is not an http(s) URL or a path starting with /"));
    };
    if rest.is_empty() || rest.starts_with('/') {
        return Err(fail("has no host"));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

/// A token, key or id placed in a header or a URL: non-empty, bounded, and free of control
/// characters (a newline in a header value would be rejected by fetch, or worse, split a header).
pub fn validate_credential(value: &str, field: &str) -> Result<String> {
    if value.is_empty() {
        return Err(invalid(field, format!("{field} must not be empty")));
    }
    if value.chars().count() > MAX_CREDENTIAL_CHARS {
        return Err(
            Error::new(ErrorCode::InputTooLarge, format!("{field} is too long")).with_field(field),
        );
    }
    if value.chars().any(|c| c.is_control() || c == ' ') {
        return Err(invalid(
            field,
            format!("{field} contains a space or a control character"),
        ));
    }
    Ok(value.to_owned())
}

/// Where a client holding a server-side secret (Dynamic's API token, Snag's API key) runs: such a
/// secret must not be shipped to a browser, where any visitor can read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretPlacement {
    /// A server (Node, Deno, Bun, workerd): no `window`, `document` or `importScripts` global.
    Server,
    /// A page or a browser's worker.
    Browser,
    /// A browser, with the caller's `dangerouslyAllowBrowser: true` (a private page).
    BrowserAllowed,
}

impl SecretPlacement {
    /// From whether the runtime is a browser and whether the caller allowed secrets there.
    pub fn new(in_browser: bool, dangerously_allow_browser: bool) -> Self {
        match (in_browser, dangerously_allow_browser) {
            (false, _) => SecretPlacement::Server,
            (true, false) => SecretPlacement::Browser,
            (true, true) => SecretPlacement::BrowserAllowed,
        }
    }

    /// `BROWSER_SECRET` when `client` was given `secret_field` in a browser without the caller's
    /// consent.
    pub fn check(self, secret_field: &str, client: &str) -> Result<()> {
        if self == SecretPlacement::Browser {
            return Err(Error::new(
                ErrorCode::BrowserSecret,
                format!(
                    "{client} was given {secret_field} in a browser, where every visitor could read it; \
                     call the service from your backend (or a proxy that adds the key), or pass \
                     dangerouslyAllowBrowser: true if this page is private"
                ),
            )
            .with_field(secret_field));
        }
        Ok(())
    }
}

/// The signed-in user's JWT a client sends as `Authorization: Bearer`, validated when set and
/// replaceable (by a response's new JWT, or by the caller).
#[derive(Debug, Default)]
pub struct AuthToken(core::cell::RefCell<Option<String>>);

impl AuthToken {
    pub fn new(token: Option<&str>) -> Result<Self> {
        let holder = AuthToken::default();
        holder.set(token)?;
        Ok(holder)
    }

    pub fn get(&self) -> Option<String> {
        self.0.borrow().clone()
    }

    /// Replaces (or, with `None`, forgets) the token; a malformed one is `INVALID_ARGUMENT`.
    pub fn set(&self, token: Option<&str>) -> Result<()> {
        let token = token
            .map(|t| validate_credential(t, "authToken"))
            .transpose()?;
        *self.0.borrow_mut() = token;
        Ok(())
    }

    /// Keeps a token a service returned (already checked as a non-empty string).
    pub(crate) fn keep(&self, token: String) {
        *self.0.borrow_mut() = Some(token);
    }
}

/// Percent-encodes a path segment as `encodeURIComponent` does.
pub fn encode_path_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            )
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Most bytes of a service's error body kept when the body is not JSON.
const MAX_ERROR_TEXT: usize = 200;

/// Reads the JSON error bodies the services send: Dynamic `{error, code?, payload?}` (and
/// `ErrorMessageWithCode {code, message}`); Snag `{message}` or `{error}`. Returns the text and the
/// code when they are non-empty strings; anything else (HTML, numbers, arrays) gives neither.
fn error_details<C: JsonCodec>(codec: &C, body: &str) -> (Option<String>, Option<String>) {
    let Ok(value) = codec.parse(body) else {
        return (None, None);
    };
    let text = |key: &str| {
        codec
            .member(&value, key)
            .and_then(|v| codec.as_string(&v))
            .filter(|t| !t.is_empty())
    };
    (text("error").or_else(|| text("message")), text("code"))
}

/// A request ready to be sent by [`execute`]: built and checked synchronously by a client's
/// `prepare*` method, so everything an argument can get wrong fails before anything is sent.
#[derive(Clone, Debug)]
pub struct Call {
    /// `"Dynamic"`, `"Dynamic admin"` or `"Snag"`, for messages.
    pub service: &'static str,
    /// The JS method name, for messages (`"verifyLink"`).
    pub operation: &'static str,
    pub request: HttpRequest,
    pub retry: RetryPolicy,
    /// See [`ClientOptions::deadline_ms`].
    pub deadline_ms: u64,
    pub idempotency: Idempotency,
    /// What a successful response must hold (see [`Required`]).
    pub required: &'static [Required],
}

impl Call {
    /// A call of `operation` with the `Accept` (and for a body, `Content-Type`) JSON headers,
    /// then `header` if given.
    pub(crate) fn new(
        (service, operation): (&'static str, &'static str),
        options: &ClientOptions,
        method: Method,
        url: String,
        header: Option<(&str, String)>,
        body: Option<String>,
        required: &'static [Required],
    ) -> Self {
        let json = || "application/json".to_owned();
        let mut headers = vec![("Accept".to_owned(), json())];
        if body.is_some() {
            headers.push(("Content-Type".to_owned(), json()));
        }
        if let Some((name, value)) = header {
            headers.push((name.to_owned(), value));
        }
        Call {
            service,
            operation,
            request: HttpRequest {
                method,
                url,
                headers,
                body,
                credentials: options.credentials,
                timeout_ms: options.timeout_ms,
            },
            retry: options.retry,
            deadline_ms: options.deadline_ms,
            idempotency: match method {
                Method::Get => Idempotency::Idempotent,
                Method::Post => Idempotency::StateChanging,
            },
            required,
        }
    }

    /// `"Dynamic verifyLink"`.
    fn what(&self) -> String {
        let mut what = String::with_capacity(self.service.len() + self.operation.len() + 1);
        what.push_str(self.service);
        what.push(' ');
        what.push_str(self.operation);
        what
    }
}

/// A successful response: its parsed body (checked against [`Call::required`]), status and text.
#[derive(Clone, Debug)]
pub struct Reply<R> {
    pub value: R,
    pub status: u16,
    pub body: String,
}

/// Serialises a request body with a [`ModelCodec`] (the typed methods).
pub(crate) fn encode_body<C: ModelCodec, B: Serialize + ?Sized>(
    codec: &C,
    body: &B,
    operation: &str,
) -> Result<String> {
    codec.encode(body).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("{operation}: could not encode the request: {e}"),
        )
    })
}

/// Decodes a reply into a model (the typed methods); a mismatch is `INVALID_RESPONSE`.
pub(crate) fn decode_reply<C: ModelCodec, R: DeserializeOwned>(
    codec: &C,
    call: &Call,
    reply: Reply<C::Raw>,
) -> Result<R> {
    let Reply {
        value,
        status,
        body,
    } = reply;
    codec.decode(value).map_err(|e| {
        invalid_response(
            call,
            status,
            &body,
            &format!("is not the expected JSON: {e}"),
        )
    })
}

fn invalid_response(call: &Call, status: u16, body: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::InvalidResponse,
        format!("{}: the {status} response {why}", call.what()),
    )
    .with_status(status)
    .with_body(body)
}

/// Sends `call`, retrying per its policy; parses a 2xx body and checks it holds what
/// `call.required` names. The one place every client's calls go through.
pub async fn execute<T: Transport, C: JsonCodec>(
    transport: &T,
    codec: &C,
    call: &Call,
) -> Result<Reply<C::Raw>> {
    let response = send_with_retries(transport, codec, call).await?;
    let status = response.status;
    let size = declared_length(&response).max(response.body.len() as u64);
    if size > MAX_RESPONSE_BYTES {
        return Err(Error::new(
            ErrorCode::InvalidResponse,
            format!(
                "{}: the response body ({size} bytes) is larger than the {MAX_RESPONSE_BYTES} \
                 bytes this client reads",
                call.what()
            ),
        )
        .with_status(status));
    }
    let body = response.body;
    let mut value = codec
        .parse(&body)
        .map_err(|e| invalid_response(call, status, &body, &format!("is not JSON: {e}")))?;
    if let Err((field, why)) = check_required(codec, &mut value, call.required) {
        let error = invalid_response(call, status, &body, &why);
        return Err(match field {
            Some(field) => error.with_field(field),
            None => error,
        });
    }
    Ok(Reply {
        value,
        status,
        body,
    })
}

/// Checks that `root` is an object holding every [`Required`] member; a numeric string where
/// [`Shape::UnixSeconds`] is required is replaced by its number. On failure, gives the member's
/// name and what is wrong.
fn check_required<C: JsonCodec>(
    codec: &C,
    root: &mut C::Raw,
    required: &[Required],
) -> core::result::Result<(), (Option<&'static str>, String)> {
    if codec.kind(root) != JsonKind::Object {
        return Err((None, "is not a JSON object".to_owned()));
    }
    for member in required {
        let mut value = None;
        for key in member.path {
            value = match &value {
                None => codec.member(root, key),
                Some(parent) => codec.member(parent, key),
            };
            if value.is_none() {
                break;
            }
        }
        let ok = value.is_some_and(|value| match member.shape {
            Shape::Object => codec.kind(&value) == JsonKind::Object,
            Shape::Array => codec.kind(&value) == JsonKind::Array,
            Shape::String => codec.kind(&value) == JsonKind::String,
            Shape::NonEmptyString => codec.as_string(&value).is_some_and(|s| !s.is_empty()),
            Shape::UnixSeconds => {
                if let Some(n) = codec.as_number(&value) {
                    unix_seconds_from_f64(n).is_some()
                } else if let Some(seconds) = codec
                    .as_string(&value)
                    .and_then(|s| unix_seconds_from_str(&s))
                    && let [key] = member.path
                {
                    codec.set_number(root, key, seconds as f64);
                    true
                } else {
                    false
                }
            }
        });
        if !ok {
            let path = member.path.join(".");
            let field = member.path.last().copied();
            return Err((
                field,
                format!("has no valid {path} ({})", member.shape.expected()),
            ));
        }
    }
    Ok(())
}

/// The `Content-Length` a response declared (0 when absent or unreadable).
pub fn declared_length(response: &HttpResponse) -> u64 {
    response
        .header("content-length")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

async fn send_with_retries<T: Transport, C: JsonCodec>(
    transport: &T,
    codec: &C,
    call: &Call,
) -> Result<HttpResponse> {
    let started = transport.now_ms();
    let elapsed = || transport.now_ms().saturating_sub(started).max(0) as u64;
    let mut retries = 0;
    loop {
        // Each attempt gets its own timeout, cut to what is left of the deadline.
        let remaining = call.deadline_ms.saturating_sub(elapsed());
        let shortened;
        let request = if remaining < call.request.timeout_ms {
            shortened = HttpRequest {
                timeout_ms: remaining.max(1),
                ..call.request.clone()
            };
            &shortened
        } else {
            &call.request
        };
        let result = match transport.send(request).await {
            Ok(response) if (200..300).contains(&response.status) => return Ok(response),
            result => result,
        };
        let outcome = match &result {
            Ok(response) => Outcome::Response(response),
            Err(e) => Outcome::Failed(e),
        };
        let delay = call.retry.next_delay_ms(
            call.idempotency,
            retries,
            outcome,
            transport.now_ms(),
            transport.random(),
        );
        // A retry that could not begin before the deadline is not waited for.
        let in_time = delay.filter(|ms| elapsed().saturating_add(*ms) < call.deadline_ms);
        let Some(ms) = in_time else {
            let mut error = match result {
                Ok(response) => http_error(codec, call, response),
                Err(e) => transport_error(e, call, request.timeout_ms, retries + 1),
            };
            if delay.is_some() {
                error.message.push_str(&format!(
                    "; no retry: it could not start before the {} ms deadline",
                    call.deadline_ms
                ));
            }
            return Err(error);
        };
        transport
            .sleep(ms)
            .await
            .map_err(|e| transport_error(e, call, request.timeout_ms, retries + 1))?;
        retries += 1;
    }
}

fn http_error<C: JsonCodec>(codec: &C, call: &Call, response: HttpResponse) -> Error {
    let (text, code) = error_details(codec, &response.body);
    let text = text.unwrap_or_else(|| {
        let raw = response.body.trim();
        match raw.char_indices().nth(MAX_ERROR_TEXT) {
            Some((cut, _)) => format!("{}…", &raw[..cut]),
            None => raw.to_owned(),
        }
    });
    let mut message = format!("{} failed with HTTP {}", call.what(), response.status);
    if !text.is_empty() {
        message.push_str(": ");
        message.push_str(&text);
    }
    if let Some(code) = &code {
        message.push_str(" (");
        message.push_str(code);
        message.push(')');
    }
    let mut error = Error::new(ErrorCode::HttpError, message)
        .with_status(response.status)
        .with_body(response.body);
    if let Some(code) = code {
        error = error.with_api_code(code);
    }
    error
}

fn transport_error(error: TransportError, call: &Call, timeout_ms: u64, attempts: u32) -> Error {
    let what = call.what();
    let url = &call.request.url;
    let tries = if attempts == 1 {
        String::new()
    } else {
        format!(" (after {attempts} attempts)")
    };
    match error {
        TransportError::Timeout => Error::new(
            ErrorCode::Timeout,
            if timeout_ms < call.request.timeout_ms {
                format!(
                    "{what}: no response within the {} ms deadline{tries}",
                    call.deadline_ms
                )
            } else {
                format!("{what}: no response within {timeout_ms} ms{tries}")
            },
        ),
        TransportError::Network { message, .. } => Error::new(
            ErrorCode::Network,
            format!("{what}: could not reach {url}{tries}: {message}"),
        ),
        TransportError::Refused(message) => Error::new(
            ErrorCode::Network,
            format!(
                "{what}: could not reach {url}{tries}: {message} (connection refused: nothing \
                 listens there; not retried)"
            ),
        ),
        TransportError::InvalidRequest(message) => Error::new(
            ErrorCode::InvalidArgument,
            format!("{what}: cannot send a request to {url}: {message}"),
        )
        .with_field("baseUrl"),
        TransportError::Aborted => Error::new(
            ErrorCode::Aborted,
            format!("{what} was aborted by the caller"),
        ),
    }
}
