//! The service clients against a scripted transport: URLs, headers, auth, JWT capture, every error
//! mapping, the retry policy, and the JSON shape of the models.

// The crate's one error type is deliberately rich (see src/lib.rs).
#![allow(clippy::result_large_err)]

mod common;

use std::cell::RefCell;
use std::collections::VecDeque;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use wallet_linker::api::DynamicOperation;
use wallet_linker::api::retry::{
    self, Idempotency, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, Outcome, RetryPolicy, backoff_ms,
    parse_http_date, parse_retry_after,
};
use wallet_linker::api::types::{Field, FieldType, Required, Shape};
use wallet_linker::api::{
    ClientOptions, Credentials, DEFAULT_DYNAMIC_BASE_URL, DEFAULT_SNAG_BASE_URL,
    DynamicAdminClient, DynamicClient, GlobalWalletConnectionCreateRequest, HttpRequest,
    HttpResponse, InternalUserFields, LinkServerClient, Method, SecretPlacement, SnagClient,
    SnagConnectParams, Transport, TransportError, VerifyRequest, VerifyResponse,
    VerifyUnlinkRequest, client, types,
};
use wallet_linker::{Error, ErrorCode};

use common::SerdeJson;

// ---------------------------------------------------------------------------------------------
// Test doubles

type Reply = Result<HttpResponse, TransportError>;
type Handler = Box<dyn FnMut(&HttpRequest) -> Reply>;

/// A transport whose answers come from a handler; it records every request and every sleep.
struct Mock {
    handler: RefCell<Handler>,
    requests: RefCell<Vec<HttpRequest>>,
    sleeps: RefCell<Vec<u64>>,
    /// What `sleep` returns (e.g. `Aborted` when the caller aborts during a backoff).
    sleep_error: Option<TransportError>,
    /// The clock: sleeps and timed-out attempts move it forward.
    now_ms: std::cell::Cell<i64>,
    random: f64,
}

impl Mock {
    fn with(handler: impl FnMut(&HttpRequest) -> Reply + 'static) -> Self {
        Mock {
            handler: RefCell::new(Box::new(handler)),
            requests: RefCell::default(),
            sleeps: RefCell::default(),
            sleep_error: None,
            now_ms: std::cell::Cell::new(1_767_225_600_000), // 2026-01-01T00:00:00Z
            random: 0.0,
        }
    }

    /// Answers with `replies` in order, then fails the test if asked again.
    fn scripted(replies: Vec<Reply>) -> Self {
        let mut queue: VecDeque<Reply> = replies.into();
        Mock::with(move |request| {
            queue
                .pop_front()
                .unwrap_or_else(|| panic!("unexpected extra request {request:?}"))
        })
    }

    fn requests(&self) -> Vec<HttpRequest> {
        self.requests.borrow().clone()
    }

    fn only_request(&self) -> HttpRequest {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests[0].clone()
    }

    fn sleeps(&self) -> Vec<u64> {
        self.sleeps.borrow().clone()
    }
}

impl Transport for &Mock {
    async fn send(&self, request: &HttpRequest) -> Reply {
        self.requests.borrow_mut().push(request.clone());
        let reply = (self.handler.borrow_mut())(request);
        if reply == Err(TransportError::Timeout) {
            self.now_ms
                .set(self.now_ms.get() + request.timeout_ms as i64);
        }
        reply
    }
    async fn sleep(&self, ms: u64) -> Result<(), TransportError> {
        self.sleeps.borrow_mut().push(ms);
        self.now_ms.set(self.now_ms.get() + ms as i64);
        match &self.sleep_error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }
    fn now_ms(&self) -> i64 {
        self.now_ms.get()
    }
    fn random(&self) -> f64 {
        self.random
    }
}

fn respond(status: u16, body: serde_json::Value) -> Reply {
    Ok(HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string(),
    })
}

fn respond_text(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
    Ok(HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.to_owned(),
    })
}

fn lost() -> Reply {
    Err(TransportError::Network {
        before_send: false,
        message: "connection reset".into(),
    })
}

/// A failure before anything was sent that may pass (a DNS lookup that timed out).
fn not_sent() -> Reply {
    Err(TransportError::Network {
        before_send: true,
        message: "fetch failed (EAI_AGAIN)".into(),
    })
}

/// Nothing listens at the address (Node's fetch: `ECONNREFUSED` on every address).
fn refused() -> Reply {
    Err(TransportError::Refused(
        "fetch failed (ECONNREFUSED)".into(),
    ))
}

const ENV: &str = "95b11417-f18f-457f-8804-68e361f9164f";
const BASE: &str = "http://127.0.0.1:9000/api/v0";

fn options() -> ClientOptions {
    ClientOptions::new(BASE)
}

fn dynamic<'a>(mock: &'a Mock, token: Option<&str>) -> DynamicClient<&'a Mock, SerdeJson> {
    DynamicClient::new(ENV, token, options(), mock, SerdeJson).expect("client")
}

fn dynamic_with<'a>(
    mock: &'a Mock,
    token: Option<&str>,
    options: ClientOptions,
) -> DynamicClient<&'a Mock, SerdeJson> {
    DynamicClient::new(ENV, token, options, mock, SerdeJson).expect("client")
}

fn block<F: std::future::Future>(future: F) -> F::Output {
    pollster::block_on(future)
}

fn verify_request() -> VerifyRequest {
    serde_json::from_value(json!({
        "signedMessage": "0xsig",
        "messageToSign": "example.com wants you to sign in",
        "publicWalletAddress": "0xbF394748301603f18d953C90F0b087CBEC0E1834",
        "chain": "EVM",
        "walletName": "metamask",
        "walletProvider": "browserExtension"
    }))
    .expect("request")
}

fn verify_response(jwt: Option<&str>) -> serde_json::Value {
    let mut body = json!({
        "user": {
            "id": "user-1",
            "projectEnvironmentId": ENV,
            "verifiedCredentials": [{
                "id": "vc-1",
                "format": "blockchain",
                "address": "0xbF394748301603f18d953C90F0b087CBEC0E1834",
                "chain": "eip155",
                "wallet_name": "metamask",
                "wallet_provider": "browserExtension",
                "signInEnabled": true
            }]
        },
        "expiresAt": 1_767_229_200
    });
    if let Some(jwt) = jwt {
        body["jwt"] = json!(jwt);
    }
    body
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request.header(name)
}

fn body_json(request: &HttpRequest) -> serde_json::Value {
    serde_json::from_str(request.body.as_deref().expect("a body")).expect("JSON body")
}

fn expect_err<T: std::fmt::Debug>(result: Result<T, Error>, code: ErrorCode) -> Error {
    match result {
        Ok(value) => panic!("expected {code}, got Ok({value:?})"),
        Err(e) => {
            assert_eq!(e.code, code, "wrong code: {e:?}");
            e
        }
    }
}

// ---------------------------------------------------------------------------------------------
// URLs, headers, auth

#[test]
fn get_nonce_is_an_unauthenticated_get_on_the_environment() {
    let mock = Mock::scripted(vec![respond(200, json!({"nonce": "n0nce1234"}))]);
    let client = dynamic(&mock, Some("jwt-1"));
    assert_eq!(block(client.get_nonce()).expect("nonce"), "n0nce1234");
    let request = mock.only_request();
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.url, format!("{BASE}/sdk/{ENV}/nonce"));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(header(&request, "content-type"), None);
    assert_eq!(request.body, None);
    assert_eq!(request.credentials, Credentials::SameOrigin);
    assert_eq!(request.timeout_ms, 30_000);
}

#[test]
fn default_base_urls_and_trailing_slashes() {
    let mock = Mock::scripted(vec![respond(200, json!({"nonce": "abcdefgh"}))]);
    let options =
        ClientOptions::from_parts(DEFAULT_DYNAMIC_BASE_URL, None, None, None, None).unwrap();
    let client = dynamic_with(&mock, None, options);
    block(client.get_nonce()).unwrap();
    assert_eq!(
        mock.only_request().url,
        format!("https://app.dynamicauth.com/api/v0/sdk/{ENV}/nonce")
    );

    let trimmed = ClientOptions::from_parts(
        DEFAULT_SNAG_BASE_URL,
        Some("https://proxy.example/snag///"),
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(trimmed.base_url, "https://proxy.example/snag");
    let default_snag =
        ClientOptions::from_parts(DEFAULT_SNAG_BASE_URL, None, None, None, None).unwrap();
    assert_eq!(default_snag.base_url, "https://admin.snagsolutions.io");
    let relative = ClientOptions::from_parts(
        DEFAULT_SNAG_BASE_URL,
        Some("/proxy/snag/"),
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(relative.base_url, "/proxy/snag");
}

#[test]
fn environment_id_is_percent_encoded_in_the_path() {
    let mock = Mock::scripted(vec![respond(200, json!({"nonce": "abcdefgh"}))]);
    let client = DynamicClient::new("a/b?c#é", None, options(), &mock, SerdeJson).unwrap();
    block(client.get_nonce()).unwrap();
    assert_eq!(
        mock.only_request().url,
        format!("{BASE}/sdk/a%2Fb%3Fc%23%C3%A9/nonce")
    );
    assert_eq!(client.environment_id(), "a/b?c#é");
    assert_eq!(
        client::encode_path_segment("Az09-_.!~*'()é"),
        "Az09-_.!~*'()%C3%A9"
    );
}

#[test]
fn verify_posts_the_request_without_authorization() {
    let mock = Mock::scripted(vec![respond(200, verify_response(Some("jwt-new")))]);
    let client = dynamic(&mock, Some("jwt-old"));
    let response = block(client.verify(&verify_request())).expect("verify");
    assert_eq!(response.user.id, "user-1");
    let request = mock.only_request();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, format!("{BASE}/sdk/{ENV}/verify"));
    assert_eq!(
        header(&request, "authorization"),
        None,
        "sign-in sends no token (as the official client)"
    );
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        body_json(&request),
        json!({
            "signedMessage": "0xsig",
            "messageToSign": "example.com wants you to sign in",
            "publicWalletAddress": "0xbF394748301603f18d953C90F0b087CBEC0E1834",
            "chain": "EVM",
            "walletName": "metamask",
            "walletProvider": "browserExtension"
        })
    );
}

#[test]
fn link_unlink_and_connections_send_the_bearer_token() {
    let mock = Mock::scripted(vec![
        respond(200, verify_response(None)),
        respond(200, verify_response(None)),
        respond(
            201,
            json!({"id": "c1", "userId": "u1", "appUrl": "https://app.example", "status": "connected",
                   "createdAt": "2026-01-01T00:00:00.000Z", "expiresAt": null}),
        ),
    ]);
    let client = dynamic(&mock, Some("jwt-1"));
    block(client.verify_link(&verify_request())).unwrap();
    let unlink = VerifyUnlinkRequest {
        wallet_id: Some("w1".into()),
        verified_crential_id: None,
        verified_credential_id: None,
        primary_wallet_id: None,
    };
    block(client.verify_unlink(&unlink)).unwrap();
    let connection = block(client.create_global_wallet_connection(
        &GlobalWalletConnectionCreateRequest {
            expires_at: "2026-02-01T00:00:00.000Z".into(),
        },
    ))
    .unwrap();
    assert_eq!(connection.status, "connected");
    assert_eq!(connection.expires_at, None, "null reads as absent");

    let requests = mock.requests();
    let paths: Vec<_> = requests
        .iter()
        .map(|r| r.url.trim_start_matches(BASE).to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            format!("/sdk/{ENV}/verify/link"),
            format!("/sdk/{ENV}/verify/unlink"),
            format!("/sdk/{ENV}/globalWallets/connections")
        ]
    );
    for request in &requests {
        assert_eq!(request.method, Method::Post);
        assert_eq!(header(request, "Authorization"), Some("Bearer jwt-1"));
    }
    assert_eq!(body_json(&requests[1]), json!({"walletId": "w1"}));
    assert_eq!(
        body_json(&requests[2]),
        json!({"expiresAt": "2026-02-01T00:00:00.000Z"})
    );
}

#[test]
fn authenticated_calls_without_a_token_fail_before_sending() {
    let mock = Mock::scripted(vec![]);
    let client = dynamic(&mock, None);
    let e = expect_err(
        block(client.verify_link(&verify_request())),
        ErrorCode::InvalidArgument,
    );
    assert_eq!(e.field.as_deref(), Some("authToken"));
    assert!(mock.requests().is_empty());
}

#[test]
fn cookie_mode_sends_credentials_and_no_authorization() {
    let mock = Mock::scripted(vec![respond(200, verify_response(None))]);
    let mut options = options();
    options.credentials = Credentials::Include;
    let client = dynamic_with(&mock, None, options);
    block(client.verify_link(&verify_request())).expect("link with the cookie");
    let request = mock.only_request();
    assert_eq!(request.credentials, Credentials::Include);
    assert_eq!(header(&request, "authorization"), None);
    assert_eq!(client.auth_token(), None, "no jwt in cookie mode");
}

#[test]
fn a_new_jwt_replaces_the_token_for_later_calls() {
    let mock = Mock::scripted(vec![
        respond(200, verify_response(Some("jwt-from-verify"))),
        respond(200, verify_response(None)),
        respond(200, verify_response(Some("jwt-from-link"))),
        respond(200, verify_response(None)),
    ]);
    let client = dynamic(&mock, None);
    block(client.verify(&verify_request())).unwrap();
    assert_eq!(client.auth_token().as_deref(), Some("jwt-from-verify"));
    block(client.verify_link(&verify_request())).unwrap();
    assert_eq!(
        client.auth_token().as_deref(),
        Some("jwt-from-verify"),
        "a response without jwt keeps it"
    );
    block(client.verify_link(&verify_request())).unwrap();
    block(client.verify_link(&verify_request())).unwrap();
    let auths: Vec<_> = mock
        .requests()
        .iter()
        .map(|r| header(r, "authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        auths,
        [
            None,
            Some("Bearer jwt-from-verify".into()),
            Some("Bearer jwt-from-verify".into()),
            Some("Bearer jwt-from-link".into())
        ]
    );
    assert_eq!(client.auth_token().as_deref(), Some("jwt-from-link"));

    client.set_auth_token(Some("manual")).unwrap();
    assert_eq!(client.auth_token().as_deref(), Some("manual"));
    client.set_auth_token(None).unwrap();
    assert_eq!(client.auth_token(), None);
    expect_err(
        client.set_auth_token(Some("a\nb")),
        ErrorCode::InvalidArgument,
    );
    expect_err(client.set_auth_token(Some("")), ErrorCode::InvalidArgument);
}

#[test]
fn admin_bulk_create_posts_a_bare_array_with_the_api_token() {
    let mock = Mock::scripted(vec![
        respond(
            201,
            json!({"created": [{"id": "u1", "projectEnvironmentId": ENV}], "updated": [], "failed": [], "total": 1}),
        ),
        respond(201, json!({"total": 0})),
        respond(201, json!({})),
    ]);
    let client = DynamicAdminClient::new(
        ENV,
        "dyn_secret",
        SecretPlacement::Server,
        options(),
        &mock,
        SerdeJson,
    )
    .unwrap();
    let users: Vec<InternalUserFields> = serde_json::from_value(
        json!([{"email": "a@example.com", "alias": "A"}, {"username": "b"}]),
    )
    .unwrap();
    let response = block(client.bulk_create_users(&users, Some(true))).unwrap();
    assert_eq!(response.created.as_ref().map(Vec::len), Some(1));
    assert_eq!(response.total, Some(1.0));
    block(client.bulk_create_users(&users, Some(false))).unwrap();
    block(client.bulk_create_users(&[], None)).unwrap();

    let requests = mock.requests();
    assert_eq!(
        requests[0].url,
        format!("{BASE}/environments/{ENV}/users/bulk?upsert=true")
    );
    assert_eq!(
        requests[1].url,
        format!("{BASE}/environments/{ENV}/users/bulk?upsert=false")
    );
    assert_eq!(
        requests[2].url,
        format!("{BASE}/environments/{ENV}/users/bulk")
    );
    assert_eq!(
        header(&requests[0], "authorization"),
        Some("Bearer dyn_secret")
    );
    assert_eq!(
        body_json(&requests[0]),
        json!([{"alias": "A", "email": "a@example.com"}, {"username": "b"}])
    );
    assert_eq!(body_json(&requests[2]), json!([]));
}

#[test]
fn snag_connect_sends_the_key_only_when_given() {
    let answer = json!({"id": "s1", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
                        "walletAddress": "0xabc", "unknownField": 1});
    let mock = Mock::scripted(vec![respond(200, answer.clone()), respond(200, answer)]);
    let params: SnagConnectParams = serde_json::from_value(json!({
        "organizationId": "org", "websiteId": "site", "walletType": "evm", "walletAddress": "0xabc",
        "verificationData": {"message": "m", "signature": "0xsig", "dynamicAuthToken": "jwt"}
    }))
    .unwrap();
    let with_key = SnagClient::new(
        Some("snag-key"),
        SecretPlacement::Server,
        ClientOptions::new(DEFAULT_SNAG_BASE_URL),
        &mock,
        SerdeJson,
    )
    .unwrap();
    let response = block(with_key.connect_wallet(&params)).unwrap();
    assert_eq!(response.wallet_address, "0xabc");
    let proxy = SnagClient::new(
        None,
        SecretPlacement::Browser,
        ClientOptions::new("/proxy/snag"),
        &mock,
        SerdeJson,
    )
    .unwrap();
    block(proxy.connect_wallet(&params)).unwrap();

    let requests = mock.requests();
    assert_eq!(
        requests[0].url,
        "https://admin.snagsolutions.io/api/users/connect"
    );
    assert_eq!(header(&requests[0], "x-api-key"), Some("snag-key"));
    assert_eq!(requests[1].url, "/proxy/snag/api/users/connect");
    assert_eq!(header(&requests[1], "x-api-key"), None);
    assert_eq!(
        body_json(&requests[0]),
        json!({"organizationId": "org", "walletAddress": "0xabc", "walletType": "evm", "websiteId": "site",
               "verificationData": {"dynamicAuthToken": "jwt", "message": "m", "signature": "0xsig"}})
    );
}

#[test]
fn a_call_ends_by_its_deadline_whatever_the_retries() {
    // A server that accepts and never answers: 30 s per attempt would be 91.5 s with two retries;
    // the 45 s default deadline cuts the second attempt short and allows no third.
    let mock = Mock::with(|_| Err(TransportError::Timeout));
    let client = dynamic(&mock, None);
    let error = expect_err(block(client.get_nonce()), ErrorCode::Timeout);
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].timeout_ms, 30_000);
    let waited: u64 = mock.sleeps().iter().sum();
    assert_eq!(requests[1].timeout_ms, 45_000 - 30_000 - waited);
    assert!(
        error.message.contains("45000 ms deadline"),
        "{}",
        error.message
    );

    // A deadline shorter than one attempt bounds that attempt; no retry is waited for after it.
    let mock = Mock::with(|_| Err(TransportError::Timeout));
    let options = ClientOptions::new(DEFAULT_DYNAMIC_BASE_URL)
        .with_deadline(Some(5_000.0))
        .unwrap();
    let client = dynamic_with(&mock, None, options);
    expect_err(block(client.get_nonce()), ErrorCode::Timeout);
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(mock.requests()[0].timeout_ms, 5_000);
    assert!(mock.sleeps().is_empty());
    for bad in [0.0, -1.0, 1.5, 600_001.0, f64::NAN] {
        let e = ClientOptions::new(DEFAULT_DYNAMIC_BASE_URL)
            .with_deadline(Some(bad))
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("deadlineMs"));
    }
}

#[test]
fn link_server_client_gets_nonces_and_posts_proofs_with_the_jwt() {
    let mock = Mock::scripted(vec![
        respond(
            200,
            json!({"nonce": "abcDEF123456", "expiresAt": "2026-01-01T00:05:00.000Z"}),
        ),
        respond(
            200,
            json!({"id": "s1", "walletAddress": "0xabc", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}),
        ),
    ]);
    let client = LinkServerClient::new(ClientOptions::new("/api/link/"), None, &mock).unwrap();
    let call = client.prepare_get_nonce();
    assert_eq!(
        (call.request.method, call.request.url.as_str()),
        (Method::Get, "/api/link/nonce")
    );
    let nonce = block(client::execute(&&mock, &SerdeJson, &call))
        .unwrap()
        .value;
    assert_eq!(nonce["nonce"], "abcDEF123456");
    // Without the user's JWT nothing is sent.
    let error = client
        .prepare_connect("evm", "0xabc", "m", "0xsig")
        .unwrap_err();
    assert_eq!(
        (error.code, error.field.as_deref()),
        (ErrorCode::InvalidArgument, Some("authToken"))
    );
    client.set_auth_token(Some("jwt-1")).unwrap();
    let call = client
        .prepare_connect("evm", "0xabc", "line 1\n\"quoted\"", "0xsig")
        .unwrap();
    block(client::execute(&&mock, &SerdeJson, &call)).unwrap();
    let requests = mock.requests();
    assert_eq!(requests[1].url, "/api/link/snag/connect");
    assert_eq!(header(&requests[1], "authorization"), Some("Bearer jwt-1"));
    assert_eq!(
        body_json(&requests[1]),
        json!({"walletType": "evm", "walletAddress": "0xabc", "message": "line 1\n\"quoted\"", "signature": "0xsig"})
    );
    // A TON proof goes as tonVerification, whole.
    let ton = r#"{"proof":{"timestamp":1,"payload":"n"},"account":{"address":"0:ab"}}"#;
    let call = client.prepare_connect_ton("0:ab", ton).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(call.request.body.as_deref().unwrap()).unwrap(),
        json!({"walletType": "ton", "walletAddress": "0:ab", "tonVerification": serde_json::from_str::<serde_json::Value>(ton).unwrap()})
    );
    assert_eq!(call.request.header("authorization"), Some("Bearer jwt-1"));
    assert_eq!(
        LinkServerClient::new(ClientOptions::new("/x"), Some("a\nb"), &mock)
            .err()
            .map(|e| e.code),
        Some(ErrorCode::InvalidArgument)
    );
}

#[test]
fn server_secrets_are_refused_in_a_browser() {
    let mock = Mock::scripted(vec![]);
    let admin = DynamicAdminClient::new(
        ENV,
        "dyn_secret",
        SecretPlacement::Browser,
        options(),
        &mock,
        SerdeJson,
    );
    let e = expect_err(admin.map(|_| ()), ErrorCode::BrowserSecret);
    assert_eq!(e.field.as_deref(), Some("apiToken"));
    assert!(
        DynamicAdminClient::new(
            ENV,
            "dyn_secret",
            SecretPlacement::BrowserAllowed,
            options(),
            &mock,
            SerdeJson
        )
        .is_ok()
    );
    assert!(
        DynamicAdminClient::new(
            ENV,
            "dyn_secret",
            SecretPlacement::Server,
            options(),
            &mock,
            SerdeJson
        )
        .is_ok()
    );

    let snag = SnagClient::new(
        Some("key"),
        SecretPlacement::Browser,
        options(),
        &mock,
        SerdeJson,
    );
    let e = expect_err(snag.map(|_| ()), ErrorCode::BrowserSecret);
    assert_eq!(e.field.as_deref(), Some("apiKey"));
    assert!(
        SnagClient::new(
            Some("key"),
            SecretPlacement::BrowserAllowed,
            options(),
            &mock,
            SerdeJson
        )
        .is_ok()
    );
    assert!(SnagClient::new(None, SecretPlacement::Browser, options(), &mock, SerdeJson).is_ok());
    // Keyless calls to Snag's own API would all be refused: a keyless client needs a proxy URL.
    let keyless = SnagClient::new(
        None,
        SecretPlacement::Server,
        ClientOptions::new(DEFAULT_SNAG_BASE_URL),
        &mock,
        SerdeJson,
    );
    let e = expect_err(keyless.map(|_| ()), ErrorCode::InvalidArgument);
    assert_eq!(e.field.as_deref(), Some("apiKey"));
}

#[test]
fn options_and_credentials_are_validated() {
    let parts = |url: Option<&str>, timeout: Option<f64>, retries: Option<f64>| {
        ClientOptions::from_parts(DEFAULT_DYNAMIC_BASE_URL, url, timeout, retries, None)
    };
    for (url, why) in [
        ("", "empty"),
        ("app.dynamicauth.com", "no scheme"),
        ("ftp://x.example", "wrong scheme"),
        ("https://", "no host"),
        ("https:///path", "no host"),
        ("//evil.example", "protocol-relative"),
        ("https://x.example/a b", "space"),
        ("https://x.example/?q=1", "query"),
        ("https://x.example/#f", "fragment"),
        ("https://x.example/\n", "control"),
    ] {
        let e = expect_err(parts(Some(url), None, None), ErrorCode::InvalidArgument);
        assert_eq!(e.field.as_deref(), Some("baseUrl"), "{why}");
    }
    for timeout in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 600_001.0] {
        let e = expect_err(parts(None, Some(timeout), None), ErrorCode::InvalidArgument);
        assert_eq!(e.field.as_deref(), Some("timeoutMs"));
    }
    for retries in [-1.0, 0.5, 11.0, f64::NAN] {
        let e = expect_err(parts(None, None, Some(retries)), ErrorCode::InvalidArgument);
        assert_eq!(e.field.as_deref(), Some("maxRetries"));
    }
    let ok = ClientOptions::from_parts(
        DEFAULT_DYNAMIC_BASE_URL,
        Some("HTTP://localhost:8080/api/v0/"),
        Some(5.0),
        Some(0.0),
        Some(true),
    )
    .unwrap();
    assert_eq!(ok.base_url, "HTTP://localhost:8080/api/v0");
    assert_eq!(
        (
            ok.timeout_ms,
            ok.retry.max_retries,
            ok.retry.retry_state_changing
        ),
        (5, 0, true)
    );

    let mock = Mock::scripted(vec![]);
    for env in ["", "has space", "tab\t"] {
        let e = expect_err(
            DynamicClient::new(env, None, options(), &mock, SerdeJson).map(|_| ()),
            ErrorCode::InvalidArgument,
        );
        assert_eq!(e.field.as_deref(), Some("environmentId"));
    }
    let e = expect_err(
        DynamicClient::new(ENV, Some("x\r\ny"), options(), &mock, SerdeJson).map(|_| ()),
        ErrorCode::InvalidArgument,
    );
    assert_eq!(e.field.as_deref(), Some("authToken"));
    let huge = "k".repeat(10_000);
    expect_err(
        SnagClient::new(
            Some(&huge),
            SecretPlacement::Server,
            options(),
            &mock,
            SerdeJson,
        )
        .map(|_| ()),
        ErrorCode::InputTooLarge,
    );
}

// ---------------------------------------------------------------------------------------------
// Error mapping

#[test]
fn http_401_maps_to_http_error_with_status_and_body() {
    let mock = Mock::scripted(vec![respond(
        401,
        json!({"error": "Invalid or expired JWT"}),
    )]);
    let client = dynamic(&mock, Some("stale"));
    let e = expect_err(
        block(client.verify_link(&verify_request())),
        ErrorCode::HttpError,
    );
    assert_eq!(e.status, Some(401));
    assert_eq!(e.api_code, None);
    assert_eq!(
        e.body.as_deref(),
        Some(r#"{"error":"Invalid or expired JWT"}"#)
    );
    assert!(
        e.message.contains("verifyLink")
            && e.message.contains("401")
            && e.message.contains("Invalid or expired JWT"),
        "{}",
        e.message
    );
    assert_eq!(mock.requests().len(), 1, "401 is not retried");
}

#[test]
fn http_422_carries_the_api_code() {
    for code in [
        "invalid_verification",
        "reassign_wallet_confirm",
        "merge_accounts_confirmation",
    ] {
        let mock = Mock::scripted(vec![respond(
            422,
            json!({"error": "Cannot verify", "code": code, "payload": {"additionalMessages": ["x"]}}),
        )]);
        let client = dynamic(&mock, Some("jwt"));
        let e = expect_err(
            block(client.verify_link(&verify_request())),
            ErrorCode::HttpError,
        );
        assert_eq!(e.status, Some(422));
        assert_eq!(e.api_code.as_deref(), Some(code));
        assert!(e.body.as_deref().unwrap().contains("additionalMessages"));
    }
}

#[test]
fn error_bodies_that_are_not_the_usual_json_still_give_the_status() {
    for (body, api_code, text) in [
        ("<html>Bad gateway</html>", None, "<html>Bad gateway</html>"),
        (
            r#"{"message":"Unauthorized","code":"unauthorized"}"#,
            Some("unauthorized"),
            "Unauthorized",
        ),
        (r#"{"error":{"nested":true},"code":42}"#, None, ""),
        (r#"["a"]"#, None, r#"["a"]"#),
        ("", None, ""),
    ] {
        let mock = Mock::scripted(vec![respond_text(400, &[], body)]);
        let client = dynamic(&mock, Some("jwt"));
        let e = expect_err(
            block(client.verify_link(&verify_request())),
            ErrorCode::HttpError,
        );
        assert_eq!(e.status, Some(400));
        assert_eq!(e.api_code.as_deref(), api_code, "{body}");
        assert_eq!(e.body.as_deref(), Some(body));
        assert!(e.message.contains(text), "{} / {text}", e.message);
    }
    // A huge error body is kept bounded (in `body` and in the message).
    let huge = "x".repeat(100_000);
    let mock = Mock::scripted(vec![respond_text(400, &[], &huge)]);
    let e = expect_err(
        block(dynamic(&mock, Some("jwt")).verify_link(&verify_request())),
        ErrorCode::HttpError,
    );
    assert!(e.body.unwrap().chars().count() <= 8193);
    assert!(e.message.chars().count() < 400);
}

#[test]
fn malformed_or_mismatched_success_bodies_are_invalid_response() {
    for body in [
        "{not json",
        "",
        "null",
        r#"{"user": {"id": 1}}"#,
        r#"{"jwt": "x"}"#,
    ] {
        let mock = Mock::scripted(vec![respond_text(200, &[], body)]);
        let e = expect_err(
            block(dynamic(&mock, Some("jwt")).verify_link(&verify_request())),
            ErrorCode::InvalidResponse,
        );
        assert_eq!(e.status, Some(200));
        assert_eq!(e.body.as_deref(), Some(body));
        assert_eq!(mock.requests().len(), 1, "a bad body is not retried");
    }
    for body in [r#"{}"#, r#"{"nonce": ""}"#, r#"{"nonce": null}"#] {
        let mock = Mock::scripted(vec![respond_text(200, &[], body)]);
        let e = expect_err(
            block(dynamic(&mock, None).get_nonce()),
            ErrorCode::InvalidResponse,
        );
        assert_eq!(e.field.as_deref(), Some("nonce"), "{body}");
    }
}

#[test]
fn transport_failures_map_to_timeout_network_and_aborted() {
    let mut no_retry = options();
    no_retry.retry.max_retries = 0;
    no_retry.timeout_ms = 1234;
    let cases = [
        (Err(TransportError::Timeout), ErrorCode::Timeout, "1234 ms"),
        (lost(), ErrorCode::Network, "connection reset"),
        (not_sent(), ErrorCode::Network, "EAI_AGAIN"),
        (refused(), ErrorCode::Network, "ECONNREFUSED"),
        (Err(TransportError::Aborted), ErrorCode::Aborted, "aborted"),
    ];
    for (reply, code, text) in cases {
        let mock = Mock::scripted(vec![reply]);
        let e = expect_err(
            block(dynamic_with(&mock, None, no_retry.clone()).get_nonce()),
            code,
        );
        assert!(e.message.contains(text), "{}", e.message);
        assert_eq!(e.status, None);
    }
}

#[test]
fn an_abort_during_backoff_stops_at_once() {
    let mut mock = Mock::scripted(vec![respond(503, json!({"error": "busy"}))]);
    mock.sleep_error = Some(TransportError::Aborted);
    let e = expect_err(block(dynamic(&mock, None).get_nonce()), ErrorCode::Aborted);
    assert!(e.message.contains("getNonce"));
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(mock.sleeps(), [500]);
}

#[test]
fn unknown_fields_and_enum_values_in_responses_are_accepted() {
    let mut body = verify_response(Some("jwt"));
    body["brandNewField"] = json!({"deep": [1, 2, 3]});
    body["user"]["verifiedCredentials"][0]["chain"] = json!("MIDNIGHT");
    body["user"]["verifiedCredentials"][0]["wallet_provider"] = json!("someFutureProvider");
    body["user"]["verifiedCredentials"][0]["format"] = json!("futureFormat");
    body["user"]["mfaBackupCodeAcknowledgement"] = json!(null);
    body["user"]["metadata"] = json!({"plan": "gold", "n": 3, "nested": {"ok": true}});
    let mock = Mock::scripted(vec![respond(200, body)]);
    let response =
        block(dynamic(&mock, Some("jwt")).verify_link(&verify_request())).expect("lenient decode");
    let credential = &response.user.verified_credentials[0];
    assert_eq!(credential.chain.as_deref(), Some("MIDNIGHT"));
    assert_eq!(
        credential.wallet_provider.as_deref(),
        Some("someFutureProvider")
    );
    assert_eq!(credential.format, "futureFormat");
    assert_eq!(response.user.profile.mfa_backup_code_acknowledgement, None);
    let metadata = response.user.profile.metadata.expect("metadata");
    assert_eq!(metadata.get("plan").and_then(|v| v.as_str()), Some("gold"));
}

// ---------------------------------------------------------------------------------------------
// Retries: the client loop

#[test]
fn a_get_is_retried_on_5xx_then_succeeds_with_backoff() {
    let mock = Mock::scripted(vec![
        respond(500, json!({"error": "oops"})),
        respond(502, json!({"error": "oops"})),
        respond(200, json!({"nonce": "third-time"})),
    ]);
    assert_eq!(
        block(dynamic(&mock, None).get_nonce()).unwrap(),
        "third-time"
    );
    assert_eq!(mock.requests().len(), 3);
    assert_eq!(mock.sleeps(), [500, 1000]);
}

#[test]
fn retries_stop_after_max_retries_with_the_last_error() {
    let mock = Mock::scripted(vec![
        Err(TransportError::Timeout),
        respond(503, json!({"error": "down"})),
        respond(504, json!({"error": "gateway timeout"})),
    ]);
    let e = expect_err(
        block(dynamic(&mock, None).get_nonce()),
        ErrorCode::HttpError,
    );
    assert_eq!(e.status, Some(504));
    assert_eq!(
        mock.requests().len(),
        3,
        "default maxRetries 2 = 3 attempts"
    );

    let mock = Mock::scripted(vec![
        Err(TransportError::Timeout),
        Err(TransportError::Timeout),
        Err(TransportError::Timeout),
    ]);
    // With room in the deadline, maxRetries is what stops the attempts.
    let roomy = options().with_deadline(Some(600_000.0)).unwrap();
    let e = expect_err(
        block(dynamic_with(&mock, None, roomy).get_nonce()),
        ErrorCode::Timeout,
    );
    assert!(e.message.contains("after 3 attempts"), "{}", e.message);

    let mut once = options();
    once.retry.max_retries = 0;
    let mock = Mock::scripted(vec![respond(503, json!({}))]);
    expect_err(
        block(dynamic_with(&mock, None, once).get_nonce()),
        ErrorCode::HttpError,
    );
    assert_eq!(mock.requests().len(), 1);
    assert!(mock.sleeps().is_empty());
}

#[test]
fn a_429_then_success_waits_as_the_server_asks() {
    let mock = Mock::scripted(vec![
        respond_text(429, &[("Retry-After", "2")], r#"{"error":"slow down"}"#),
        respond(200, verify_response(Some("jwt-2"))),
    ]);
    let client = dynamic(&mock, Some("jwt-1"));
    block(client.verify_link(&verify_request())).expect("retried after 429");
    assert_eq!(mock.sleeps(), [2000]);
    let requests = mock.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0], requests[1], "the retry is the same request");
}

#[test]
fn a_post_link_is_not_retried_after_a_lost_response() {
    // The "server" links the wallet, then the response is lost (reset after sending, or a
    // timeout). Retrying would link twice; the client must report the failure instead.
    for failure in [lost(), Err(TransportError::Timeout)] {
        let links = std::rc::Rc::new(std::cell::Cell::new(0));
        let counter = links.clone();
        let mut failure = Some(failure);
        let mock = Mock::with(move |request| {
            if request.url.ends_with("/verify/link") {
                counter.set(counter.get() + 1);
            }
            failure
                .take()
                .unwrap_or_else(|| respond(200, verify_response(None)))
        });
        let result = block(dynamic(&mock, Some("jwt")).verify_link(&verify_request()));
        let e = result.expect_err("the lost response is reported");
        assert!(matches!(e.code, ErrorCode::Network | ErrorCode::Timeout));
        assert_eq!(links.get(), 1, "linked exactly once");
        assert_eq!(mock.requests().len(), 1);
    }
    // 500 and 502 after sending: the server may have acted, so no retry either.
    for status in [500, 502, 503, 504, 408] {
        let mock = Mock::scripted(vec![respond(status, json!({"error": "x"}))]);
        expect_err(
            block(dynamic(&mock, Some("jwt")).verify_link(&verify_request())),
            ErrorCode::HttpError,
        );
        assert_eq!(mock.requests().len(), 1, "status {status}");
    }
}

#[test]
fn a_refused_connection_fails_at_once_with_network() {
    // Nothing listens there: a configuration error, so no retry and no wait, whatever the call.
    let check = |mock: &Mock, e: Error| {
        assert_eq!(e.code, ErrorCode::Network);
        assert!(e.message.contains("ECONNREFUSED"), "{}", e.message);
        assert!(e.message.contains("not retried"), "{}", e.message);
        assert_eq!(mock.requests().len(), 1);
        assert!(mock.sleeps().is_empty());
    };
    let mock = Mock::scripted(vec![refused()]);
    check(&mock, block(dynamic(&mock, None).get_nonce()).unwrap_err());

    let mock = Mock::scripted(vec![refused()]);
    let e = block(dynamic(&mock, Some("jwt")).verify_link(&verify_request())).unwrap_err();
    check(&mock, e);

    let mut opt_in = options();
    opt_in.retry.retry_state_changing = true;
    opt_in.retry.max_retries = 10;
    let mock = Mock::scripted(vec![refused()]);
    let e = block(dynamic_with(&mock, Some("jwt"), opt_in).verify_link(&verify_request()));
    check(&mock, e.unwrap_err());

    let mock = Mock::scripted(vec![refused()]);
    let client = LinkServerClient::new(ClientOptions::new("/api/link"), None, &mock).unwrap();
    let call = client.prepare_get_nonce();
    check(
        &mock,
        block(client::execute(&&mock, &SerdeJson, &call)).unwrap_err(),
    );

    // A refusal on a retry (the service went away meanwhile) ends the retries too.
    let mock = Mock::scripted(vec![respond(503, json!({"error": "busy"})), refused()]);
    let e = expect_err(block(dynamic(&mock, None).get_nonce()), ErrorCode::Network);
    assert!(e.message.contains("after 2 attempts"), "{}", e.message);
    assert_eq!(mock.requests().len(), 2);
    assert_eq!(mock.sleeps(), [500]);
}

#[test]
fn a_post_is_retried_when_the_server_cannot_have_acted() {
    let mock = Mock::scripted(vec![
        not_sent(),
        respond_text(503, &[("retry-after", "1")], r#"{"error":"maintenance"}"#),
        respond(200, verify_response(None)),
    ]);
    block(dynamic(&mock, Some("jwt")).verify_link(&verify_request())).expect("third attempt");
    assert_eq!(mock.sleeps(), [500, 1000]);
}

#[test]
fn opting_in_retries_state_changing_calls_like_reads() {
    let mut opt_in = options();
    opt_in.retry.retry_state_changing = true;
    let mock = Mock::scripted(vec![
        lost(),
        respond(500, json!({})),
        respond(200, verify_response(None)),
    ]);
    block(dynamic_with(&mock, Some("jwt"), opt_in).verify_link(&verify_request()))
        .expect("retried");
    assert_eq!(mock.requests().len(), 3);
}

#[test]
fn bulk_and_snag_follow_the_state_changing_rules() {
    let mock = Mock::scripted(vec![lost()]);
    let admin = DynamicAdminClient::new(
        ENV,
        "key",
        SecretPlacement::Server,
        options(),
        &mock,
        SerdeJson,
    )
    .unwrap();
    expect_err(
        block(admin.bulk_create_users(&[], Some(true))),
        ErrorCode::Network,
    );
    assert_eq!(mock.requests().len(), 1);

    let answer = json!({"id": "s1", "createdAt": "t", "updatedAt": "t", "walletAddress": "0xabc"});
    let mock = Mock::scripted(vec![respond_text(429, &[], "{}"), respond(200, answer)]);
    let params: SnagConnectParams = serde_json::from_value(json!({
        "organizationId": "o", "websiteId": "w", "walletType": "solana", "walletAddress": "abc"
    }))
    .unwrap();
    let snag = SnagClient::new(None, SecretPlacement::Server, options(), &mock, SerdeJson).unwrap();
    block(snag.connect_wallet(&params)).expect("429 then success");
    assert_eq!(mock.sleeps(), [500]);
}

#[test]
fn a_retry_after_beyond_the_cap_ends_the_retries() {
    let mock = Mock::scripted(vec![respond_text(
        429,
        &[("Retry-After", "3600")],
        r#"{"error":"quota"}"#,
    )]);
    let e = expect_err(
        block(dynamic(&mock, None).get_nonce()),
        ErrorCode::HttpError,
    );
    assert_eq!(e.status, Some(429));
    assert!(mock.sleeps().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Retries: the pure policy

fn status(code: u16, headers: &[(&str, &str)]) -> HttpResponse {
    HttpResponse {
        status: code,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: String::new(),
    }
}

#[test]
fn retry_policy_table() {
    use Idempotency::{Idempotent as Get, StateChanging as Post};
    let timeout = TransportError::Timeout;
    let aborted = TransportError::Aborted;
    let reset = TransportError::Network {
        before_send: false,
        message: String::new(),
    };
    let not_sent = TransportError::Network {
        before_send: true,
        message: String::new(),
    };
    let refused = TransportError::Refused(String::new());
    let with_retry_after = status(503, &[("Retry-After", "1")]);
    // (kind, outcome, retried by default?)
    let failures: [(&str, Outcome<'_>, bool, bool); 6] = [
        // name, outcome, GET retries, POST retries
        ("timeout", Outcome::Failed(&timeout), true, false),
        ("aborted", Outcome::Failed(&aborted), false, false),
        ("reset after send", Outcome::Failed(&reset), true, false),
        ("failed before send", Outcome::Failed(&not_sent), true, true),
        (
            "connection refused",
            Outcome::Failed(&refused),
            false,
            false,
        ),
        (
            "503 + Retry-After",
            Outcome::Response(&with_retry_after),
            true,
            true,
        ),
    ];
    let policy = RetryPolicy::default();
    let opt_in = RetryPolicy {
        retry_state_changing: true,
        ..policy
    };
    for (name, outcome, get, post) in failures {
        assert_eq!(
            policy.next_delay_ms(Get, 0, outcome, 0, 0.0).is_some(),
            get,
            "GET {name}"
        );
        assert_eq!(
            policy.next_delay_ms(Post, 0, outcome, 0, 0.0).is_some(),
            post,
            "POST {name}"
        );
        let never = matches!(
            outcome,
            Outcome::Failed(TransportError::Aborted | TransportError::Refused(_))
        );
        assert_eq!(
            opt_in.next_delay_ms(Post, 0, outcome, 0, 0.0).is_some(),
            !never,
            "opt-in POST {name}"
        );
    }
    for code in [
        200u16, 201, 204, 301, 304, 400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502, 503,
        504, 599,
    ] {
        let response = status(code, &[]);
        let get = policy
            .next_delay_ms(Get, 0, Outcome::Response(&response), 0, 0.0)
            .is_some();
        let post = policy
            .next_delay_ms(Post, 0, Outcome::Response(&response), 0, 0.0)
            .is_some();
        let get_expected = code == 408 || code == 429 || (500..=599).contains(&code);
        assert_eq!(get, get_expected, "GET {code}");
        assert_eq!(post, code == 429, "POST {code} without Retry-After");
        let opt = opt_in
            .next_delay_ms(Post, 0, Outcome::Response(&response), 0, 0.0)
            .is_some();
        assert_eq!(opt, get_expected, "opt-in POST {code}");
    }
    // An unparseable Retry-After does not make a POST 503 retryable.
    let garbage = status(503, &[("Retry-After", "soon")]);
    assert_eq!(
        policy.next_delay_ms(Post, 0, Outcome::Response(&garbage), 0, 0.0),
        None
    );
    // The retry budget.
    let not_sent_outcome = Outcome::Failed(&not_sent);
    assert!(
        policy
            .next_delay_ms(Get, 1, not_sent_outcome, 0, 0.0)
            .is_some()
    );
    assert!(
        policy
            .next_delay_ms(Get, 2, not_sent_outcome, 0, 0.0)
            .is_none()
    );
    let none = RetryPolicy {
        max_retries: 0,
        ..policy
    };
    assert!(
        none.next_delay_ms(Get, 0, not_sent_outcome, 0, 0.0)
            .is_none()
    );
    assert!(retry::is_retryable(Get, not_sent_outcome, false));
}

#[test]
fn backoff_doubles_from_half_a_second_to_eight_with_jitter() {
    let expected = [500, 1000, 2000, 4000, 8000, 8000, 8000];
    for (n, want) in expected.iter().enumerate() {
        assert_eq!(backoff_ms(n as u32, 0.0), *want, "retry {n}");
    }
    assert_eq!(backoff_ms(u32::MAX, 0.0), MAX_BACKOFF_MS);
    // Jitter takes off up to a quarter: random 0.5 -> 87.5 %, random just below 1 -> ~75 %.
    assert_eq!(backoff_ms(0, 0.5), 438);
    assert_eq!(backoff_ms(2, 0.5), 1750);
    assert_eq!(backoff_ms(4, 0.999_999), 6000);
    for random in [0.0, 0.1, 0.37, 0.5, 0.9, 0.999] {
        for n in 0..6 {
            let base = backoff_ms(n, 0.0);
            let d = backoff_ms(n, random);
            assert!(
                d <= base && d * 4 >= base * 3,
                "n={n} random={random}: {d} vs {base}"
            );
        }
    }
    // Out-of-range randomness is clamped, never negative or larger than the base.
    assert_eq!(backoff_ms(1, f64::NAN), 1000);
    assert_eq!(backoff_ms(1, -3.0), 1000);
    assert_eq!(backoff_ms(1, 7.0), 750);
    // The policy uses backoff when the server gives no hint.
    let response = status(500, &[]);
    let d = RetryPolicy::default().next_delay_ms(
        Idempotency::Idempotent,
        1,
        Outcome::Response(&response),
        0,
        0.5,
    );
    assert_eq!(d, Some(875));
}

#[test]
fn retry_after_in_seconds_dates_and_milliseconds() {
    let now = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    assert_eq!(parse_retry_after("0", now), Some(0));
    assert_eq!(parse_retry_after("3", now), Some(3000));
    assert_eq!(parse_retry_after(" 120 ", now), Some(120_000));
    assert_eq!(parse_retry_after("1.5", now), Some(1500));
    // 2026-01-01T00:00:10Z is 1767225610 s (computed with Python's calendar.timegm).
    assert_eq!(
        parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", now),
        Some(10_000)
    );
    assert_eq!(
        parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", now + 250),
        Some(9750)
    );
    // A date in the past means "retry now".
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
        Some(0)
    );
    for bad in [
        "",
        "-1",
        "soon",
        "1e3",
        "0x10",
        "+5",
        "1.",
        ".5",
        "Thu, 01 Jan 2026 00:00:10 UTC",
        "99999999999999999",
    ] {
        assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
    }

    let policy = RetryPolicy::default();
    let get = Idempotency::Idempotent;
    let hinted = |headers: &[(&str, &str)]| {
        let response = status(429, headers);
        policy.next_delay_ms(get, 0, Outcome::Response(&response), now, 0.9)
    };
    assert_eq!(
        hinted(&[("Retry-After", "2")]),
        Some(2000),
        "no jitter on a server hint"
    );
    assert_eq!(hinted(&[("retry-after-ms", "150")]), Some(150));
    assert_eq!(
        hinted(&[("Retry-After", "2"), ("retry-after-ms", "150")]),
        Some(150),
        "ms wins"
    );
    assert_eq!(
        hinted(&[("retry-after-ms", "bogus"), ("Retry-After", "2")]),
        Some(2000)
    );
    assert_eq!(
        hinted(&[("Retry-After", "Thu, 01 Jan 2026 00:00:10 GMT")]),
        Some(10_000)
    );
    assert_eq!(
        hinted(&[("Retry-After", "60")]),
        Some(MAX_RETRY_AFTER_MS),
        "the cap itself is honoured"
    );
    assert_eq!(
        hinted(&[("Retry-After", "61")]),
        None,
        "beyond the cap: give up"
    );
    assert_eq!(hinted(&[("retry-after-ms", "60001")]), None);
    assert_eq!(
        hinted(&[("Retry-After", "Fri, 02 Jan 2026 00:00:00 GMT")]),
        None
    );
    assert_eq!(
        hinted(&[("Retry-After", "later")]),
        Some(backoff_ms(0, 0.9)),
        "garbage: backoff"
    );
}

#[test]
fn http_dates_in_all_three_forms() {
    let now = 1_767_225_600_000;
    // RFC 9110 §5.6.7's three example forms of the same instant, 784111777 s after the epoch
    // (Python: calendar.timegm(email.utils.parsedate("Sun, 06 Nov 1994 08:49:37 GMT"))).
    let expected = Some(784_111_777_000);
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", now),
        expected
    );
    assert_eq!(
        parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now),
        expected
    );
    assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994", now), expected);
    // Leap day (Python: 1835481599).
    assert_eq!(
        parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT", now),
        Some(1_835_481_599_000)
    );
    // RFC 850 two-digit years: more than 50 years ahead means the previous century.
    assert_eq!(
        parse_http_date("Thursday, 01-Jan-26 00:00:10 GMT", now),
        Some(1_767_225_610_000)
    );
    // (Python: 2075-01-01 is 3313526400 s, 1977-01-01 is 220924800 s.)
    let year_2075 = parse_http_date("Tuesday, 01-Jan-75 00:00:00 GMT", now);
    assert_eq!(
        year_2075,
        Some(3_313_526_400_000),
        "2075 is within 50 years"
    );
    let year_1977 = parse_http_date("Saturday, 01-Jan-77 00:00:00 GMT", now);
    assert_eq!(
        year_1977,
        Some(220_924_800_000),
        "2077 would be over 50 years ahead, so 1977"
    );
    for bad in [
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 extra",
        "",
    ] {
        assert_eq!(parse_http_date(bad, now), None, "{bad:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// JSON shapes

#[test]
fn verify_request_uses_official_names_and_omits_absent_fields() {
    let full: VerifyRequest = serde_json::from_value(json!({
        "oauth": {"provider": "google", "accessToken": "at"},
        "signedMessage": "s", "messageToSign": "m", "publicWalletAddress": "a", "chain": "SOL",
        "walletName": "phantom", "walletProvider": "browserExtension", "skipEmptyAccountCheck": true,
        "captchaToken": "c", "network": "mainnet",
        "additionalWalletAddresses": [{"address": "bc1", "type": "ordinals", "publicKey": "pk"}],
        "backup": "b", "password": "p", "passwordSource": "user", "sessionPublicKey": "spk",
        "requestedScopes": ["credential:link"]
    }))
    .unwrap();
    let written = serde_json::to_value(&full).unwrap();
    let keys: Vec<_> = written.as_object().unwrap().keys().cloned().collect();
    // serde_json's map is sorted; these are exactly the official VerifyRequestToJSON keys.
    assert_eq!(
        keys,
        [
            "additionalWalletAddresses",
            "backup",
            "captchaToken",
            "chain",
            "messageToSign",
            "network",
            "oauth",
            "password",
            "passwordSource",
            "publicWalletAddress",
            "requestedScopes",
            "sessionPublicKey",
            "signedMessage",
            "skipEmptyAccountCheck",
            "walletName",
            "walletProvider"
        ]
    );
    assert_eq!(
        written["additionalWalletAddresses"][0],
        json!({"address": "bc1", "publicKey": "pk", "type": "ordinals"})
    );
    assert_eq!(
        written["oauth"],
        json!({"provider": "google", "accessToken": "at"})
    );

    let minimal = serde_json::to_string(&verify_request()).unwrap();
    assert!(!minimal.contains("null"), "{minimal}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&minimal)
            .unwrap()
            .as_object()
            .unwrap()
            .len(),
        6
    );

    // Missing required fields are refused (the JS layer turns this into INVALID_ARGUMENT).
    assert!(serde_json::from_value::<VerifyRequest>(json!({"signedMessage": "s"})).is_err());
}

#[test]
fn wire_names_of_credentials_users_and_snag_models() {
    let credential: types::JwtVerifiedCredential = serde_json::from_value(json!({
        "id": "vc", "format": "blockchain", "signInEnabled": false, "name_service": {"name": "vitalik.eth"},
        "public_identifier": "pi", "wallet_name": "wn", "wallet_provider": "embeddedWallet",
        "wallet_properties": {"turnkeyHDWalletId": "x"}, "oauth_provider": "google", "oauth_username": "u",
        "oauth_display_name": null, "oauth_account_id": "oa", "oauth_account_photos": ["p"], "oauth_emails": ["e"],
        "oauth_metadata": {"k": 1}, "previous_users": ["pu"], "embedded_wallet_id": "ew",
        "wallet_additional_addresses": [{"address": "a", "type": "evm"}], "phoneCountryCode": "1",
        "isoCountryCode": "US", "lastSelectedAt": "2026-01-01T00:00:00.000Z", "refId": "r", "signerRefId": "s"
    }))
    .unwrap();
    assert_eq!(
        credential
            .name_service
            .as_ref()
            .and_then(|n| n.name.as_deref()),
        Some("vitalik.eth")
    );
    assert_eq!(credential.oauth_display_name, None);
    let back = serde_json::to_value(&credential).unwrap();
    for key in [
        "name_service",
        "public_identifier",
        "wallet_name",
        "wallet_provider",
        "wallet_properties",
        "oauth_provider",
        "oauth_username",
        "oauth_account_id",
        "oauth_account_photos",
        "oauth_emails",
        "oauth_metadata",
        "previous_users",
        "embedded_wallet_id",
        "wallet_additional_addresses",
        "phoneCountryCode",
        "isoCountryCode",
        "lastSelectedAt",
        "signInEnabled",
        "refId",
        "signerRefId",
    ] {
        assert!(back.get(key).is_some(), "{key} missing in {back}");
    }
    assert!(
        back.get("oauth_display_name").is_none(),
        "null is written as absent"
    );
    assert_eq!(
        back["oauth_metadata"],
        json!({"k": 1}),
        "whole numbers stay integers"
    );

    let user: InternalUserFields = serde_json::from_value(json!({"tShirtSize": "M", "mfaBackupCodeAcknowledgement": "pending",
        "wallets": [{"publicWalletAddress": "0x1", "chain": "EVM", "walletName": "w", "walletProvider": "browserExtension"}],
        "oauthAccounts": [{"provider": "discord", "accountId": "1", "profile": {"a": [true, null, 1.5]}}]})).unwrap();
    assert_eq!(
        serde_json::to_value(&user).unwrap(),
        json!({"tShirtSize": "M", "mfaBackupCodeAcknowledgement": "pending",
               "wallets": [{"publicWalletAddress": "0x1", "chain": "EVM", "walletName": "w", "walletProvider": "browserExtension"}],
               "oauthAccounts": [{"provider": "discord", "accountId": "1", "profile": {"a": [true, null, 1.5]}}]})
    );

    let device: types::MFADevice =
        serde_json::from_value(json!({"type": "totp", "default": true})).unwrap();
    assert_eq!(
        (device.type_.as_deref(), device.default),
        (Some("totp"), Some(true))
    );

    let ton: SnagConnectParams = serde_json::from_value(json!({
        "organizationId": "o", "websiteId": "w", "walletType": "ton", "walletAddress": "EQ...",
        "verificationData": {"tonVerification": {
            "account": {"address": "0:abc", "chain": "-239", "publicKey": "pk", "walletStateInit": "te6"},
            "proof": {"timestamp": 1767225600, "domain": {"lengthBytes": 11, "value": "example.com"},
                      "payload": "p", "signature": "s", "state_init": "si"}}}
    }))
    .unwrap();
    let back = serde_json::to_value(&ton).unwrap();
    let proof = &back["verificationData"]["tonVerification"]["proof"];
    assert_eq!(proof["state_init"], "si");
    assert_eq!(proof["domain"]["lengthBytes"], 11.0);
    assert_eq!(
        back["verificationData"]["tonVerification"]["account"]["walletStateInit"],
        "te6"
    );
}

#[test]
fn verify_response_expiry_reads_numbers_and_numeric_strings() {
    for (value, expected) in [
        (json!(1715620310), 1715620310),
        (json!("1715620310"), 1715620310),
        (json!(1715620310.0), 1715620310),
    ] {
        let mut body = verify_response(None);
        body["expiresAt"] = value;
        let response: VerifyResponse = serde_json::from_value(body).unwrap();
        assert_eq!(response.expires_at, expected);
    }
    for bad in [json!("soon"), json!(1.5), json!(null)] {
        let mut body = verify_response(None);
        body["expiresAt"] = bad.clone();
        assert!(
            serde_json::from_value::<VerifyResponse>(body).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn deeply_nested_free_form_values_are_refused_not_overflowing() {
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    let text = format!(r#"{{"id":"u","projectEnvironmentId":"e","metadata":{{"x":{deep}}}}}"#);
    let result: Result<types::User, _> = serde_json::from_str(&text);
    let message = result.expect_err("too deep").to_string();
    assert!(message.contains("nested deeper"), "{message}");
    // Depth bookkeeping is restored after the failure: a normal value still decodes.
    let ok: types::User = serde_json::from_value(
        json!({"id": "u", "projectEnvironmentId": "e", "metadata": {"a": [[1]]}}),
    )
    .unwrap();
    assert!(ok.profile.metadata.is_some());
}

#[test]
fn every_enum_lists_known_values_without_duplicates() {
    let mut names = std::collections::HashSet::new();
    for (name, values) in types::ENUMS {
        assert!(names.insert(*name), "{name} twice");
        let unique: std::collections::HashSet<_> = values.iter().collect();
        assert_eq!(unique.len(), values.len(), "{name} repeats a value");
        assert!(!values.is_empty());
    }
    // The chains the issue names beyond the seed list.
    for chain in ["ETH", "EVM", "SOL", "STELLAR", "ALEO", "TEMPO", "MIDNIGHT"] {
        assert!(types::CHAIN_ENUM.contains(&chain), "{chain}");
    }
    for wallet_type in ["evm", "solana", "imx", "sui", "ton"] {
        assert!(types::SNAG_WALLET_TYPE.contains(&wallet_type));
    }
    for code in [
        "invalid_verification",
        "reassign_wallet_confirm",
        "merge_accounts_confirmation",
    ] {
        assert!(types::UNPROCESSABLE_ENTITY_ERROR_CODE.contains(&code));
    }
}

#[test]
fn a_request_the_platform_cannot_build_is_invalid_argument_and_not_retried() {
    let mock = Mock::scripted(vec![Err(TransportError::InvalidRequest(
        "Failed to parse URL".into(),
    ))]);
    let client = DynamicClient::new(
        ENV,
        None,
        ClientOptions::new("/relative/api"),
        &mock,
        SerdeJson,
    )
    .unwrap();
    let e = expect_err(block(client.get_nonce()), ErrorCode::InvalidArgument);
    assert_eq!(e.field.as_deref(), Some("baseUrl"));
    assert!(e.message.contains("Failed to parse URL"));
    assert_eq!(mock.requests().len(), 1);
    assert!(mock.sleeps().is_empty());
}

#[test]
fn typescript_unions_list_exactly_the_known_enum_values() {
    // The unions of the package's declarations (src/wasm/types/models.d.ts, the wasm layer's
    // custom section) must match ENUMS.
    let declarations = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/wasm/types/models.d.ts"
    ))
    .unwrap();
    for (name, values) in types::ENUMS {
        let start = declarations
            .find(&format!("export type {name} = "))
            .unwrap_or_else(|| panic!("no TS union for {name}"));
        let rest = &declarations[start..];
        let union = &rest[..rest.find(';').expect("end of the union")];
        let listed: Vec<&str> = union.split('"').skip(1).step_by(2).collect();
        assert_eq!(listed, *values, "{name}");
        assert!(
            union.contains("(string & {})"),
            "{name} must stay open to new values"
        );
    }
}

#[test]
fn oversized_responses_are_refused() {
    let big = (9 * 1024 * 1024).to_string();
    // The transport skipped a body whose Content-Length is over the limit.
    let mock = Mock::scripted(vec![respond_text(200, &[("Content-Length", &big)], "")]);
    let e = expect_err(
        block(dynamic(&mock, None).get_nonce()),
        ErrorCode::InvalidResponse,
    );
    assert_eq!(e.status, Some(200));
    assert!(e.message.contains("larger than"), "{}", e.message);
    // A body read in full (no Content-Length) that is over the limit.
    let padded = format!(
        r#"{{"nonce":"abcdefgh","pad":"{}"}}"#,
        "x".repeat(8 * 1024 * 1024)
    );
    let mock = Mock::scripted(vec![respond_text(200, &[], &padded)]);
    expect_err(
        block(dynamic(&mock, None).get_nonce()),
        ErrorCode::InvalidResponse,
    );
    // Just under the limit is fine.
    let padded = format!(
        r#"{{"nonce":"abcdefgh","pad":"{}"}}"#,
        "x".repeat(8 * 1024 * 1024 - 40)
    );
    let mock = Mock::scripted(vec![respond_text(200, &[], &padded)]);
    assert_eq!(block(dynamic(&mock, None).get_nonce()).unwrap(), "abcdefgh");
    // An error status keeps its status even when its body was skipped.
    let mut once = options();
    once.retry.max_retries = 0;
    let mock = Mock::scripted(vec![respond_text(500, &[("content-length", &big)], "")]);
    let e = expect_err(
        block(dynamic_with(&mock, None, once).get_nonce()),
        ErrorCode::HttpError,
    );
    assert_eq!(e.status, Some(500));
}

// ---------------------------------------------------------------------------------------------
// The JSON calls (what the WebAssembly layer uses): the response as parsed, checked only for the
// members its model requires; and the tables those checks and the request checks come from.

#[test]
fn json_calls_send_the_body_as_given_and_give_the_response_as_parsed() {
    let mut answer = verify_response(Some("new.jwt"));
    answer["brandNewField"] = json!({"deep": [1, null]});
    answer["user"]["metadata"] = json!({"k": null});
    let mock = Mock::scripted(vec![respond(200, answer.clone())]);
    let client = dynamic(&mock, Some("old.jwt"));
    let body = r#"{"chain":"EVM","x":1}"#.to_owned();
    let value = block(client.send_json(DynamicOperation::VerifyLink, Some(body.clone())))
        .expect("a valid response");
    assert_eq!(value, answer, "unknown members are kept");
    assert_eq!(client.auth_token().as_deref(), Some("new.jwt"));
    let request = mock.only_request();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, format!("{BASE}/sdk/{ENV}/verify/link"));
    assert_eq!(request.body.as_deref(), Some(body.as_str()));
    assert_eq!(header(&request, "authorization"), Some("Bearer old.jwt"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));

    // The same calls, built but not sent.
    let call = client
        .prepare(DynamicOperation::GetNonce, None)
        .expect("nonce needs no token");
    assert_eq!(call.request.method, Method::Get);
    assert_eq!(call.operation, "getNonce");
    assert_eq!(call.request.header("authorization"), None);
    let anonymous = dynamic(&mock, None);
    let e = expect_err(
        anonymous.prepare(DynamicOperation::VerifyUnlink, Some("{}".into())),
        ErrorCode::InvalidArgument,
    );
    assert_eq!(e.field.as_deref(), Some("authToken"));

    let admin = DynamicAdminClient::new(
        ENV,
        "dyn_t",
        SecretPlacement::Server,
        options(),
        &mock,
        SerdeJson,
    )
    .unwrap();
    let call = admin.prepare_bulk_create_users("[]".into(), Some(true));
    assert!(call.request.url.ends_with("/users/bulk?upsert=true"));
    assert_eq!(call.request.header("authorization"), Some("Bearer dyn_t"));
    let snag = SnagClient::new(
        Some("k"),
        SecretPlacement::Server,
        options(),
        &mock,
        SerdeJson,
    )
    .unwrap();
    let call = snag.prepare_connect_wallet("{}".into());
    assert_eq!(call.request.header("x-api-key"), Some("k"));
    assert_eq!(call.request.body.as_deref(), Some("{}"));
}

#[test]
fn json_calls_check_the_members_the_models_require() {
    let cases = [
        (json!([]), None),
        (json!({"jwt": "x", "expiresAt": 1}), Some("user")),
        (json!({"user": [], "expiresAt": 1}), Some("user")),
        (
            json!({"user": {"id": "u", "projectEnvironmentId": "e"}, "expiresAt": 1}),
            Some("verifiedCredentials"),
        ),
        (
            json!({"user": {"id": 7, "projectEnvironmentId": "e", "verifiedCredentials": []}, "expiresAt": 1}),
            Some("id"),
        ),
        (
            json!({"user": {"id": "u", "projectEnvironmentId": "e", "verifiedCredentials": []}, "expiresAt": "soon"}),
            Some("expiresAt"),
        ),
        (
            json!({"user": {"id": "u", "projectEnvironmentId": "e", "verifiedCredentials": []}, "expiresAt": 1.5}),
            Some("expiresAt"),
        ),
    ];
    for (body, field) in cases {
        let mock = Mock::scripted(vec![respond(200, body.clone())]);
        let client = dynamic(&mock, Some("old"));
        let e = expect_err(
            block(client.send_json(DynamicOperation::VerifyLink, Some("{}".into()))),
            ErrorCode::InvalidResponse,
        );
        assert_eq!(e.field.as_deref(), field, "{body}");
        assert_eq!(e.status, Some(200));
        assert_eq!(e.body, Some(body.to_string()));
        assert_eq!(
            client.auth_token().as_deref(),
            Some("old"),
            "an invalid reply's jwt is not kept"
        );
    }
    // A numeric string where the model says number becomes that number.
    let mut body = verify_response(None);
    body["expiresAt"] = json!(" 1715620310 ");
    let mock = Mock::scripted(vec![respond(200, body)]);
    let value =
        block(dynamic(&mock, Some("t")).send_json(DynamicOperation::Verify, Some("{}".into())))
            .unwrap();
    assert_eq!(value["expiresAt"], json!(1715620310.0));

    let snag = |body: serde_json::Value| {
        let mock = Mock::scripted(vec![respond(200, body)]);
        let client = SnagClient::new(
            Some("k"),
            SecretPlacement::Server,
            options(),
            &mock,
            SerdeJson,
        )
        .unwrap();
        block(client.connect_wallet_json("{}".into()))
    };
    let ok =
        json!({"id": "s", "createdAt": "c", "updatedAt": "u", "walletAddress": "w", "more": null});
    assert_eq!(snag(ok.clone()).unwrap(), ok);
    let e = expect_err(
        snag(json!({"id": "s", "createdAt": "c", "updatedAt": "u", "walletAddress": null})),
        ErrorCode::InvalidResponse,
    );
    assert_eq!(e.field.as_deref(), Some("walletAddress"));
    assert!(
        e.message
            .contains("Snag connectWallet: the 200 response has no valid walletAddress"),
        "{}",
        e.message
    );
}

#[test]
fn a_typed_call_keeps_the_jwt_only_of_a_response_its_model_reads() {
    // Valid for the JSON call (the checked members are there), not for the typed model: a
    // credential without its `id`.
    let mut body = verify_response(Some("new.jwt"));
    body["user"]["verifiedCredentials"][0]
        .as_object_mut()
        .unwrap()
        .remove("id");
    let mock = Mock::scripted(vec![respond(200, body.clone()), respond(200, body)]);
    let client = dynamic(&mock, Some("old.jwt"));
    let e = expect_err(
        block(client.verify_link(&verify_request())),
        ErrorCode::InvalidResponse,
    );
    assert!(e.message.contains("not the expected JSON"), "{}", e.message);
    assert_eq!(client.auth_token().as_deref(), Some("old.jwt"));
    // The JSON call hands the same response over and keeps its token.
    block(client.send_json(DynamicOperation::VerifyLink, Some("{}".into()))).unwrap();
    assert_eq!(client.auth_token().as_deref(), Some("new.jwt"));
}

/// The smallest JSON holding every member of `required`.
fn required_sample(required: &[Required]) -> serde_json::Value {
    let mut root = json!({});
    for member in required {
        let value = match member.shape {
            Shape::Object => json!({}),
            Shape::Array => json!([]),
            Shape::String | Shape::NonEmptyString => json!("s"),
            Shape::UnixSeconds => json!(1_767_229_200),
        };
        let (last, parents) = member.path.split_last().unwrap();
        let mut at = &mut root;
        for key in parents {
            at = &mut at[*key];
        }
        at[*last] = value;
    }
    root
}

/// `required` lists the members `T` requires (at the levels it covers): its sample decodes, and
/// without any one member it does not.
fn check_required_table<T: DeserializeOwned>(name: &str, required: &[Required]) {
    let sample = required_sample(required);
    serde_json::from_value::<T>(sample.clone())
        .unwrap_or_else(|e| panic!("{name}: the model requires more than the table: {e}"));
    for member in required {
        let mut without = sample.clone();
        let (last, parents) = member.path.split_last().unwrap();
        let mut at = &mut without;
        for key in parents {
            at = &mut at[*key];
        }
        at.as_object_mut().unwrap().remove(*last);
        assert!(
            serde_json::from_value::<T>(without).is_err(),
            "{name}: {} is not required by the model",
            member.path.join(".")
        );
    }
}

#[test]
fn response_required_tables_match_their_models() {
    use types::*;
    check_required_table::<VerifyResponse>("VerifyResponse", VERIFY_RESPONSE_REQUIRED);
    check_required_table::<GlobalWalletConnection>(
        "GlobalWalletConnection",
        GLOBAL_WALLET_CONNECTION_REQUIRED,
    );
    check_required_table::<BulkUserCreateResponse>(
        "BulkUserCreateResponse",
        BULK_USER_CREATE_RESPONSE_REQUIRED,
    );
    check_required_table::<SnagConnectResponse>(
        "SnagConnectResponse",
        SNAG_CONNECT_RESPONSE_REQUIRED,
    );
    // The nonce is optional in the model; the client needs it.
    assert_eq!(NONCE_RESPONSE_REQUIRED[0].path, ["nonce"]);
}

#[test]
fn free_form_fields_are_the_value_members_of_the_models() {
    // Each model's `Deserialize`, driven by a probe, names its members and shows what each asks
    // for: a free-form member takes any JSON, objects included. Every model is listed (nested
    // ones are reached through their parents as well), so the list is checked against the
    // models themselves, not against their source text.
    use types::*;
    let findings = RefCell::new(probe::Findings::default());
    macro_rules! probe {
        ($($model:ident)*) => {$(
            probe::model::<$model>(&findings)
                .unwrap_or_else(|e| panic!("{}: {e}", stringify!($model)));
        )*};
    }
    probe! {
        VerifyRequest OauthProviderRequest WalletAdditionalAddress VerifyUnlinkRequest
        GlobalWalletConnectionCreateRequest NonceResponse VerifyResponse UserProfile SdkUser
        JwtVerifiedCredential NameServiceData ProjectSettingsKyc GlobalWalletConnection
        InternalUserFields CreateWalletRequest CreateUserOauthRequest BulkUserCreateResponse
        BulkUserCreateResponseFailed User Session Wallet ChainalysisCheck OAuthAccount MFADevice
        SnagConnectParams SnagVerificationData SnagTonVerification SnagTonAccount SnagTonProof
        SnagTonProofDomain SnagConnectResponse
    }
    let findings = findings.into_inner();
    // The probe reaches the members, nested and flattened ones included.
    for typed in [
        "chain",
        "walletName",
        "expiresAt",
        "verifiedCredentials",
        "user",
    ] {
        assert!(findings.members.contains(typed), "{typed} not seen");
    }
    assert!(
        findings.any_scalar.contains("expiresAt"),
        "a Unix time is a number or a string"
    );
    let listed: std::collections::BTreeSet<String> = types::FREE_FORM_FIELDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(findings.free_form, listed);
}

/// A deserializer that makes up the input a model asks for, to learn the model's members from its
/// own `Deserialize`: a struct names its fields (`deserialize_struct`), and each member's type
/// shows in what it asks for. A member asking for any JSON (`deserialize_any`) is free-form when
/// it accepts an object (a [`Value`](wallet_linker::api::Value)); one that refuses an object (a
/// Unix time read as a number or a string) is answered with a number on the next try.
///
/// A struct with a flattened member is read as a map whose fields the probe is not told: it is
/// given the members it reports missing, and the flattened struct is probed on its own. Its
/// optional members of its own are not seen: a free-form member belongs in a struct without a
/// flattened member (as `metadata` is in `UserProfile`, which `User` and `SdkUser` flatten).
mod probe {
    use std::cell::RefCell;
    use std::collections::BTreeSet;
    use std::fmt;

    use serde::de::value::{MapDeserializer, StrDeserializer};
    use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, Visitor};

    #[derive(Debug, Default)]
    pub struct Findings {
        /// Every member met, by wire name.
        pub members: BTreeSet<String>,
        /// The members whose type takes any JSON value.
        pub free_form: BTreeSet<String>,
        /// The members that ask for any JSON but refuse an object.
        pub any_scalar: BTreeSet<String>,
        /// Members a struct read as a map reported missing: offered to it on the next try.
        missing: BTreeSet<&'static str>,
    }

    #[derive(Debug)]
    pub enum Stop {
        Missing(&'static str),
        RefusedObject(String),
        Other(String),
    }

    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Stop::Missing(field) => write!(f, "missing {field}"),
                Stop::RefusedObject(member) => write!(f, "{member} refused an object"),
                Stop::Other(message) => f.write_str(message),
            }
        }
    }

    impl std::error::Error for Stop {}

    impl de::Error for Stop {
        fn custom<T: fmt::Display>(message: T) -> Self {
            Stop::Other(message.to_string())
        }
        fn missing_field(field: &'static str) -> Self {
            Stop::Missing(field)
        }
    }

    /// Probes `T` until it reads the made-up input (each retry knows one more thing).
    pub fn model<T: DeserializeOwned>(findings: &RefCell<Findings>) -> Result<(), Stop> {
        for _ in 0..16 {
            let probe = Probe {
                findings,
                member: "",
                depth: 0,
            };
            match T::deserialize(probe) {
                Ok(_) => return Ok(()),
                Err(Stop::Missing(field)) if findings.borrow_mut().missing.insert(field) => {}
                Err(Stop::RefusedObject(member))
                    if findings.borrow_mut().any_scalar.insert(member.clone()) => {}
                Err(e) => return Err(e),
            }
        }
        Err(Stop::Other("no progress".into()))
    }

    #[derive(Clone, Copy)]
    struct Probe<'a> {
        findings: &'a RefCell<Findings>,
        member: &'static str,
        depth: u32,
    }

    impl Probe<'_> {
        fn member(self, member: &'static str) -> Self {
            Probe {
                member,
                depth: self.depth + 1,
                ..self
            }
        }

        fn unexpected(self, what: &str) -> Stop {
            Stop::Other(format!("{}: unexpected {what}", self.member))
        }
    }

    /// The members of a struct, each with a probe as its value.
    struct Members<'a> {
        probe: Probe<'a>,
        keys: Vec<&'static str>,
        next: usize,
    }

    impl<'de> de::MapAccess<'de> for Members<'_> {
        type Error = Stop;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, Stop> {
            match self.keys.get(self.next) {
                Some(key) => seed.deserialize(StrDeserializer::new(key)).map(Some),
                None => Ok(None),
            }
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
            let key = self.keys[self.next];
            self.next += 1;
            let findings = self.probe.findings;
            findings.borrow_mut().members.insert(key.to_owned());
            seed.deserialize(self.probe.member(key))
        }
    }

    /// An array of one element, probed under the array's member name.
    struct One<'a>(Option<Probe<'a>>);

    impl<'de> de::SeqAccess<'de> for One<'_> {
        type Error = Stop;

        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Stop> {
            self.0
                .take()
                .map(|probe| seed.deserialize(probe))
                .transpose()
        }
    }

    macro_rules! refuse {
        ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
            fn $method<V: Visitor<'de>>(self, $(_: $ty,)* _: V) -> Result<V::Value, Stop> {
                Err(self.unexpected(stringify!($method)))
            }
        )*};
    }

    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            let member = self.member.to_owned();
            if self.findings.borrow().any_scalar.contains(&member) {
                return visitor.visit_u64(0);
            }
            let empty = MapDeserializer::<_, Stop>::new(std::iter::empty::<(&str, &str)>());
            match visitor.visit_map(empty) {
                Ok(value) => {
                    self.findings.borrow_mut().free_form.insert(member);
                    Ok(value)
                }
                Err(_) => Err(Stop::RefusedObject(member)),
            }
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_some(self)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Stop> {
            if self.depth > 32 {
                return Err(self.unexpected("nesting"));
            }
            visitor.visit_map(Members {
                probe: self,
                keys: fields.to_vec(),
                next: 0,
            })
        }

        /// A struct with a flattened member: it gets the members it reported missing.
        fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            let keys: Vec<&'static str> = self.findings.borrow().missing.iter().copied().collect();
            visitor.visit_map(Members {
                probe: self,
                keys,
                next: 0,
            })
        }

        fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_seq(One(Some(self)))
        }

        fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_str("")
        }

        fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_str("")
        }

        fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_str("")
        }

        fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_bool(false)
        }

        fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_f64(0.0)
        }

        fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_i64(0)
        }

        fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_u64(0)
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
            visitor.visit_unit()
        }

        refuse! {
            deserialize_i8(); deserialize_i16(); deserialize_i32(); deserialize_u8();
            deserialize_u16(); deserialize_u32(); deserialize_f32(); deserialize_char();
            deserialize_bytes(); deserialize_byte_buf(); deserialize_unit();
            deserialize_unit_struct(name: &'static str);
            deserialize_newtype_struct(name: &'static str);
            deserialize_tuple(len: usize);
            deserialize_tuple_struct(name: &'static str, len: usize);
            deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        }
    }
}

#[test]
fn numbers_in_error_details_are_written_without_the_float_formatter() {
    for (value, text) in [
        (0.0, "0"),
        (-0.0, "0"),
        (42.0, "42"),
        (-7.0, "-7"),
        (2.5, "2.5"),
        (0.1, "0.1"),
        (-1.25, "-1.25"),
        (1.0 / 3.0, "0.333333"),
        (9_007_199_254_740_993.0, "9007199254740992"),
        (1e300, "1e19 or more"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
    ] {
        assert_eq!(client::number_text(value), text, "{value}");
    }
    let e = expect_err(
        ClientOptions::from_parts(BASE, None, None, Some(2.5), None),
        ErrorCode::InvalidArgument,
    );
    assert_eq!(e.field.as_deref(), Some("maxRetries"));
    assert_eq!(e.received.as_deref(), Some("2.5"));
}

#[test]
fn retry_after_fractions_are_exact_and_rounded_up() {
    let now = 1_767_225_600_000;
    assert_eq!(parse_retry_after("0.001", now), Some(1));
    assert_eq!(parse_retry_after("0.0001", now), Some(1), "rounded up");
    assert_eq!(parse_retry_after("2.0005", now), Some(2001));
    assert_eq!(
        parse_retry_after("999999999999999", now),
        Some(999_999_999_999_999_000)
    );
    let hinted = |ms: &str| {
        let response = status(429, &[("retry-after-ms", ms)]);
        retry::server_delay_ms(&response, now)
    };
    assert_eq!(hinted("1.2"), Some(2));
    assert_eq!(hinted("150"), Some(150));
    assert_eq!(hinted("1e2"), None);
}
/// The field names serde's derive gives a struct's deserializer (its wire names).
fn serde_fields<T: DeserializeOwned>() -> Vec<&'static str> {
    use serde::de::{Error as _, Visitor};
    struct Names<'a>(&'a mut Vec<&'static str>);
    impl<'de> serde::Deserializer<'de> for Names<'_> {
        type Error = serde::de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(Self::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0.extend_from_slice(fields);
            Err(Self::Error::custom("names read"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }
    let mut names = Vec::new();
    let _ = T::deserialize(Names(&mut names));
    names
}

/// A JSON object with every member of `fields`, each of its type.
fn full_sample(fields: &[Field]) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for field in fields {
        let value = match field.ty {
            FieldType::String => json!("s"),
            FieldType::Bool => json!(true),
            FieldType::Number => json!(1.5),
            FieldType::Strings => json!(["a", "b"]),
            FieldType::Any => json!({"k": [1, null, {"n": "v"}]}),
            FieldType::Model(inner) => full_sample(inner),
            FieldType::Models(inner) => json!([full_sample(inner)]),
        };
        object.insert(field.name.to_owned(), value);
    }
    object.into()
}

/// `fields` names exactly the members of `T`, with their JSON types and which are required.
fn check_field_table<T: Serialize + DeserializeOwned>(name: &str, fields: &[Field]) {
    let mut listed: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let mut model = serde_fields::<T>();
    listed.sort_unstable();
    model.sort_unstable();
    assert_eq!(
        listed, model,
        "{name}: the table and the model name different members"
    );
    // Every member of its listed type: the model reads the sample and writes it back unchanged.
    let sample = full_sample(fields);
    let decoded: T = serde_json::from_value(sample.clone())
        .unwrap_or_else(|e| panic!("{name}: the model refuses the table's sample: {e}"));
    assert_eq!(serde_json::to_value(&decoded).unwrap(), sample, "{name}");
    // Required exactly where the model requires the member.
    for field in fields {
        let mut without = sample.clone();
        without.as_object_mut().unwrap().remove(field.name);
        let decodes = serde_json::from_value::<T>(without).is_ok();
        assert_eq!(decodes, !field.required, "{name}.{}: required?", field.name);
    }
}

#[test]
fn request_field_tables_match_their_models() {
    use types::*;
    check_field_table::<VerifyRequest>("VerifyRequest", VERIFY_REQUEST_FIELDS);
    check_field_table::<OauthProviderRequest>(
        "OauthProviderRequest",
        OAUTH_PROVIDER_REQUEST_FIELDS,
    );
    check_field_table::<WalletAdditionalAddress>(
        "WalletAdditionalAddress",
        WALLET_ADDITIONAL_ADDRESS_FIELDS,
    );
    check_field_table::<VerifyUnlinkRequest>("VerifyUnlinkRequest", VERIFY_UNLINK_REQUEST_FIELDS);
    check_field_table::<InternalUserFields>("InternalUserFields", INTERNAL_USER_FIELDS_FIELDS);
    check_field_table::<CreateWalletRequest>("CreateWalletRequest", CREATE_WALLET_REQUEST_FIELDS);
    check_field_table::<CreateUserOauthRequest>(
        "CreateUserOauthRequest",
        CREATE_USER_OAUTH_REQUEST_FIELDS,
    );
    check_field_table::<SnagConnectParams>("SnagConnectParams", SNAG_CONNECT_PARAMS_FIELDS);
    check_field_table::<SnagVerificationData>(
        "SnagVerificationData",
        SNAG_VERIFICATION_DATA_FIELDS,
    );
    check_field_table::<SnagTonVerification>("SnagTonVerification", SNAG_TON_VERIFICATION_FIELDS);
    check_field_table::<SnagTonAccount>("SnagTonAccount", SNAG_TON_ACCOUNT_FIELDS);
    check_field_table::<SnagTonProof>("SnagTonProof", SNAG_TON_PROOF_FIELDS);
    check_field_table::<SnagTonProofDomain>("SnagTonProofDomain", SNAG_TON_PROOF_DOMAIN_FIELDS);
}
