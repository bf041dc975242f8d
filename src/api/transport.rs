//! The small HTTP interface the service clients are written against.
//!
//! The WebAssembly layer implements [`Transport`] over `fetch` (with `AbortController` timeouts and
//! the caller's `AbortSignal`); the native tests implement it with a scripted mock. Time, sleeping
//! and randomness come from the transport too, so the core never reads a clock.

/// HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// Whether the browser sends cookies with a request (`fetch`'s `credentials`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Credentials {
    /// Cookies for same-origin requests only (fetch's default).
    #[default]
    SameOrigin,
    /// Cookies for cross-origin requests too: Dynamic's cookie-based authentication.
    Include,
    /// Never send cookies.
    Omit,
}

impl Credentials {
    pub const fn as_str(self) -> &'static str {
        match self {
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
            Credentials::Omit => "omit",
        }
    }

    /// Reads fetch's spelling (`"include"`, `"same-origin"`, `"omit"`).
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "same-origin" => Some(Credentials::SameOrigin),
            "include" => Some(Credentials::Include),
            "omit" => Some(Credentials::Omit),
            _ => None,
        }
    }
}

/// One HTTP request attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// Absolute URL, or a path starting with `/` (resolved against the page in a browser).
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// JSON text of the body, if any.
    pub body: Option<String>,
    pub credentials: Credentials,
    /// The attempt (including reading the body) fails with [`TransportError::Timeout`] after this.
    pub timeout_ms: u64,
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// A complete HTTP response (any status).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// Header names as the platform gives them (fetch lower-cases them).
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why an attempt produced no HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// No complete response within the attempt's timeout. The server may have acted.
    Timeout,
    /// The connection failed. `before_send` is true only when the request certainly never reached
    /// the server (e.g. a failed DNS lookup), so even a state-changing call may be retried.
    Network { before_send: bool, message: String },
    /// The connection was refused outright: nothing listens at that address and port. A
    /// configuration error (a wrong `baseUrl`, a service not started), not a transient one: never
    /// retried. Only a runtime that names the socket error can report it (Node's `fetch`:
    /// `ECONNREFUSED`); a browser's `TypeError: Failed to fetch` tells nothing and is a
    /// [`TransportError::Network`] that may have been sent.
    Refused(String),
    /// The caller aborted (its `AbortSignal`). Never retried.
    Aborted,
    /// The platform refused to build the request (e.g. a relative URL outside a web page, or a
    /// header value it rejects). Nothing was sent; never retried.
    InvalidRequest(String),
}

impl TransportError {
    /// A failed connection, from the socket error codes the runtime named (Node's `fetch` names
    /// one in `cause.code`, or one per address tried in `cause.errors[i].code`; a browser names
    /// none). Only a refusal on every address is [`TransportError::Refused`]; only refusals and
    /// failed lookups prove that nothing was sent; anything else may have reached the server.
    pub fn connection_failed(codes: &[Option<&str>], message: String) -> TransportError {
        const REFUSED: &str = "ECONNREFUSED";
        const BEFORE_SEND: [&str; 4] = [REFUSED, "ENOTFOUND", "EAI_AGAIN", "EADDRNOTAVAIL"];
        if !codes.is_empty() && codes.iter().all(|c| *c == Some(REFUSED)) {
            return TransportError::Refused(message);
        }
        let before_send = !codes.is_empty()
            && codes
                .iter()
                .all(|c| c.is_some_and(|c| BEFORE_SEND.contains(&c)));
        TransportError::Network {
            before_send,
            message,
        }
    }
}

/// HTTP, time and randomness as the platform provides them.
///
/// The futures need not be `Send`: in WebAssembly everything runs on one thread.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends one request and reads the whole response, whatever its status.
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError>;
    /// Waits `ms` milliseconds before a retry; returns [`TransportError::Aborted`] early if the
    /// caller aborts meanwhile.
    async fn sleep(&self, ms: u64) -> Result<(), TransportError>;
    /// The current time in milliseconds since the Unix epoch (for HTTP-date `Retry-After`).
    fn now_ms(&self) -> i64;
    /// A uniformly distributed number in `[0, 1)` (backoff jitter; need not be cryptographic).
    fn random(&self) -> f64;
}
