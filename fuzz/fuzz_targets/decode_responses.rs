//! Service responses from arbitrary bytes. The response models and the free-form `Value` (which
//! also reads error bodies) decode without panicking, and whatever decodes encodes and decodes back
//! to itself. Through the clients, any status and body ends in a coded result: a decoded model,
//! `INVALID_RESPONSE` or `HTTP_ERROR` with the status and a bounded body, and a state-changing call
//! is sent again only when the server said it did not act (429, or 503 with `Retry-After`).
//!
//! Input layout: the whole input is the response body (so JSON seeds and dictionaries apply
//! directly); the HTTP status is picked from a list by a hash of the body, and the body's first
//! line is also sent as a `Retry-After` header.
#![no_main]

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::sync::LazyLock;
use std::task::{Context, Poll, Waker};

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
mod common;
use common::{SerdeJson, ready};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wallet_linker::api::json::MAX_VALUE_DEPTH;
use wallet_linker::api::retry::parse_retry_after;
use wallet_linker::api::{
    BulkUserCreateResponse, ClientOptions, DynamicClient, GlobalWalletConnection, HttpRequest,
    HttpResponse, JsonCodec, JsonKind, ModelCodec, NonceResponse, SecretPlacement, SnagClient,
    SnagConnectParams, SnagConnectResponse, Transport, TransportError, Value, VerifyRequest,
    VerifyResponse,
};
use wallet_linker::{Error, ErrorCode};

/// Statuses worth telling apart: successes, the errors the services document, the retryable
/// ones, and values no server should send.
const STATUSES: &[u16] = &[
    200, 201, 204, 299, 0, 100, 301, 304, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503,
    504, 599, 600, 999, 65535,
];
/// Most characters `Error::body` keeps (then an ellipsis).
const MAX_BODY_CHARS: usize = 8192;
/// Most characters of a non-JSON error body quoted in the message, plus room for the rest of it.
const MAX_PLAIN_MESSAGE_CHARS: usize = 200 + 100;
const NOW_MS: i64 = 1_767_225_600_000;

fuzz_target!(|data: &[u8]| {
    round_trip::<VerifyResponse>(data);
    round_trip::<NonceResponse>(data);
    round_trip::<GlobalWalletConnection>(data);
    round_trip::<BulkUserCreateResponse>(data);
    round_trip::<SnagConnectResponse>(data);
    if let Some(value) = round_trip::<Value>(data) {
        assert!(depth(&value) <= MAX_VALUE_DEPTH as usize);
    }

    let body = String::from_utf8_lossy(data).into_owned();
    let retry_after = body.lines().next().unwrap_or("").to_owned();
    let _ = parse_retry_after(&retry_after, NOW_MS);
    let status = STATUSES[fnv1a(data) % STATUSES.len()];
    let response = HttpResponse {
        status,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("retry-after".into(), retry_after),
        ],
        body,
    };
    clients(&response);
});

/// Decodes `T` from the bytes; when that works, its JSON decodes to an equal value.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    data: &[u8],
) -> Option<T> {
    let value: T = serde_json::from_slice(data).ok()?;
    let text = serde_json::to_string(&value).expect("a decoded model encodes");
    let again: T =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text} does not decode again: {e}"));
    assert_eq!(again, value, "{text}");
    Some(value)
}

fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(members) => 1 + members.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

fn fnv1a(data: &[u8]) -> usize {
    data.iter().fold(0x811c_9dc5u32, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x0100_0193)
    }) as usize
}

/// Answers every request with the same response, counting them; never waits.
struct Replay<'a> {
    response: &'a HttpResponse,
    sent: Cell<u32>,
}

impl Transport for &Replay<'_> {
    async fn send(&self, _request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.set(self.sent.get() + 1);
        Ok(self.response.clone())
    }
    async fn sleep(&self, _ms: u64) -> Result<(), TransportError> {
        Ok(())
    }
    fn now_ms(&self) -> i64 {
        NOW_MS
    }
    fn random(&self) -> f64 {
        0.5
    }
}

const MAX_RETRIES: u32 = 1;

static VERIFY_REQUEST: LazyLock<VerifyRequest> = LazyLock::new(|| {
    serde_json::from_str(
        r#"{"signedMessage":"0x00","messageToSign":"m","publicWalletAddress":"0x00",
            "chain":"EVM","walletName":"fuzz","walletProvider":"browserExtension"}"#,
    )
    .expect("a valid request")
});
static CONNECT_PARAMS: LazyLock<SnagConnectParams> = LazyLock::new(|| {
    serde_json::from_str(
        r#"{"organizationId":"o","walletAddress":"0x00","walletType":"evm","websiteId":"w"}"#,
    )
    .expect("valid parameters")
});

fn options() -> ClientOptions {
    let mut options = ClientOptions::new("https://api.test/api/v0");
    options.retry.max_retries = MAX_RETRIES;
    options
}

fn clients(response: &HttpResponse) {
    let status = response.status;
    let success = (200..300).contains(&status);

    // An idempotent read.
    let replay = Replay {
        response,
        sent: Cell::new(0),
    };
    let client = DynamicClient::new("env-1", Some("jwt"), options(), &replay, SerdeJson)
        .expect("valid client options");
    let nonce = ready(client.get_nonce());
    check_result(response, &nonce, "get_nonce");
    assert!(replay.sent.get() <= MAX_RETRIES + 1);
    if success {
        assert_eq!(replay.sent.get(), 1);
    }

    // State-changing calls: Dynamic's link and Snag's connect.
    let replay = Replay {
        response,
        sent: Cell::new(0),
    };
    let client = DynamicClient::new("env-1", Some("jwt"), options(), &replay, SerdeJson)
        .expect("valid client options");
    let linked = ready(client.verify_link(&VERIFY_REQUEST));
    check_result(response, &linked, "verify_link");
    check_sent_once_unless_told(response, replay.sent.get());

    let replay = Replay {
        response,
        sent: Cell::new(0),
    };
    let snag = SnagClient::new(None, SecretPlacement::Server, options(), &replay, SerdeJson)
        .expect("valid client options");
    let connected = ready(snag.connect_wallet(&CONNECT_PARAMS));
    check_result(response, &connected, "connect_wallet");
    check_sent_once_unless_told(response, replay.sent.get());
}

fn check_sent_once_unless_told(response: &HttpResponse, sent: u32) {
    assert!(sent >= 1);
    if sent > 1 {
        assert!(
            matches!(response.status, 429 | 503),
            "a state-changing call was sent {sent} times after HTTP {}",
            response.status
        );
    }
}

fn check_result<T: std::fmt::Debug>(
    response: &HttpResponse,
    result: &Result<T, Error>,
    call: &str,
) {
    let status = response.status;
    let Err(e) = result else {
        assert!(
            (200..300).contains(&status),
            "{call}: HTTP {status} succeeded"
        );
        return;
    };
    if (200..300).contains(&status) {
        assert_eq!(e.code, ErrorCode::InvalidResponse, "{call}: {e:?}");
    } else {
        assert_eq!(e.code, ErrorCode::HttpError, "{call}: {e:?}");
        if let Some(api_code) = &e.api_code {
            assert!(!api_code.is_empty());
        }
        // Only a JSON object's `error`/`message`/`code` strings are quoted whole.
        let is_object = matches!(
            serde_json::from_str::<serde_json::Value>(&response.body),
            Ok(serde_json::Value::Object(_))
        );
        if !is_object {
            assert!(
                e.message.chars().count() <= MAX_PLAIN_MESSAGE_CHARS,
                "{call}: {} characters of message",
                e.message.chars().count()
            );
        }
    }
    if e.code == ErrorCode::HttpError || e.body.is_some() {
        assert_eq!(e.status, Some(status), "{call}: {e:?}");
        let body = e.body.as_deref().unwrap_or("");
        assert!(body.chars().count() <= MAX_BODY_CHARS + 1, "{call}");
        let kept = body.strip_suffix('…').unwrap_or(body);
        assert!(response.body.starts_with(kept), "{call}: body not a prefix");
    }
}
