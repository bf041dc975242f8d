//! The link server and `verifyDynamicJwt` over the runtime's objects
//! (`wallet_linker::server::host`), natively, with scripted JavaScript values: what the
//! configuration and the nonce store must be, a store that fails, hangs or answers nonsense (an
//! error, never a nonce), the clock hook, the JWKS through the transport and RS256 through the
//! runtime object, and the user value the hooks and callers get.

#![allow(clippy::result_large_err)]

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use common::host::{Js, JsCodec, ScriptedHttp};
use common::ready;
use serde_json::{Value, json};
use wallet_linker::host::{self, HostValue};
use wallet_linker::options_reader::JsLike;
use wallet_linker::server::host::{HostServer, verify_dynamic_jwt};
use wallet_linker::server::jwt::VerifierCache;
use wallet_linker::server::{LinkRequest, LinkResponse, RequestBody};
use wallet_linker::{Error, ErrorCode};

const ENV: &str = "env-123";
/// 2026-01-01T00:00:00Z
const NOW: i64 = 1_767_225_600_000;
const TIMED_OUT: &str = "hang";

/// The runtime object: a key is its `kid`, a "signature" the key's name and the data's length
/// (the RSA itself is WebCrypto's, tested in the JS suite with jose-made tokens);
/// `withTimeout` gives up on the text `hang`.
fn runtime() -> Js {
    Js::object([
        ("importRsaKey", Js::function(|args| Ok(args[0].get("kid")))),
        (
            "verifyRs256",
            Js::function(|args| {
                let key = args[0].text().unwrap();
                let (data, signature) = (args[1].bytes().unwrap(), args[2].bytes().unwrap());
                Ok(Js::Bool(signature == fake_signature(&key, &data)))
            }),
        ),
        (
            "withTimeout",
            Js::function(|args| match args[0].text().as_deref() {
                Some(TIMED_OUT) => Err(args[2].clone()),
                _ => Ok(args[0].clone()),
            }),
        ),
    ])
}

fn fake_signature(key: &str, data: &[u8]) -> Vec<u8> {
    format!("{key}:{}", data.len()).into_bytes()
}

/// A nonce store whose `issue` answers `answer` (or throws it, when `throws`), recording the TTLs.
fn store(answer: Js, throws: bool, ttls: &Rc<RefCell<Vec<f64>>>) -> Js {
    let ttls = ttls.clone();
    Js::object([
        (
            "issue",
            Js::function(move |args| {
                ttls.borrow_mut().push(args[0].number().unwrap());
                match throws {
                    true => Err(answer.clone()),
                    false => Ok(answer.clone()),
                }
            }),
        ),
        ("consume", Js::function(|_| Ok(Js::Bool(false)))),
    ])
}

fn config(extra: Value) -> Js {
    let mut options = json!({
        "domain": "app.example.com",
        "dynamic": { "environmentId": ENV },
        "snag": { "apiKey": "key", "websiteId": "site-1", "organizationId": "org-1" },
    });
    for (key, value) in extra.as_object().unwrap() {
        options[key] = value.clone();
    }
    Js::json(&options)
}

fn server(config: &Js, store: Js) -> Result<HostServer<Js, ScriptedHttp, JsCodec>, Error> {
    let http = ScriptedHttp::json(NOW, &[]);
    HostServer::new(config, store, runtime(), false, http, JsCodec)
}

fn get_nonce(server: &HostServer<Js, ScriptedHttp, JsCodec>) -> (LinkResponse, Value) {
    let request = LinkRequest {
        method: "GET".into(),
        path: "/nonce".into(),
        authorization: None,
        body: RequestBody::Text(String::new()),
    };
    let response = ready(server.handle(request));
    let body = serde_json::from_str(&response.body).unwrap();
    (response, body)
}

#[test]
fn the_configuration_and_the_store_are_checked() {
    let ttls = Rc::default();
    let good_store = || store(Js::text("n1"), false, &ttls);
    let no_consume = Js::object([("issue", Js::function(|_| Ok(Js::text("n"))))]);
    let cases = [
        (server(&config(json!({})), no_consume).err(), "nonces"),
        (
            server(&config(json!({"snagUserId": "u1"})), good_store()).err(),
            "snagUserId",
        ),
        (
            server(&config(json!({"now": 5})), good_store()).err(),
            "now",
        ),
        (
            server(&config(json!({"domain": 7})), good_store()).err(),
            "domain",
        ),
        (
            server(&Js::object([("$throws", Js::text("getter"))]), good_store()).err(),
            "config",
        ),
    ];
    for (e, field) in cases {
        let e = e.expect("refused");
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidArgument, Some(field)),
            "{}",
            e.message
        );
    }
    assert!(ttls.borrow().is_empty(), "the store was not used");
}

#[test]
fn nonces_come_from_the_store_and_a_bad_store_is_an_error() {
    let ttls = Rc::new(RefCell::new(Vec::new()));
    let ok = server(
        &config(json!({"nonceTtlMs": 60000})),
        store(Js::text("nonce12345678"), false, &ttls),
    )
    .unwrap();
    let (response, body) = get_nonce(&ok);
    assert_eq!(
        (response.status, &body["nonce"]),
        (200, &json!("nonce12345678")),
        "{body}"
    );
    assert_eq!(*ttls.borrow(), [60_000.0]);

    let failing = |answer: Js, throws: bool| {
        let server = server(&config(json!({})), store(answer, throws, &ttls)).unwrap();
        get_nonce(&server)
    };
    let redis_down = host::error_value::<Js>(&Error::new(ErrorCode::Network, "redis is down"));
    for ((response, body), message) in [
        (
            failing(Js::text(TIMED_OUT), false),
            "did not answer within 5000 ms",
        ),
        (failing(Js::Number(7.0), false), "gave no string"),
        (
            failing(Js::thrown("connection reset", None), true),
            "connection reset",
        ),
        (failing(redis_down, true), "redis is down"),
    ] {
        assert_eq!(response.status, 503, "{body}");
        assert_eq!(body["code"], "NONCE_STORE", "{body}");
        let text = body["message"].as_str().unwrap();
        assert!(text.contains(message), "{text}");
    }
}

fn base64url(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

fn token(exp: i64, key: &str) -> String {
    let header = json!({ "alg": "RS256", "kid": "k1", "typ": "JWT" });
    let claims = json!({
        "sub": "user-1",
        "environment_id": ENV,
        "iss": format!("app.dynamicauth.com/{ENV}"),
        "iat": NOW / 1000 - 10,
        "exp": exp,
        "verified_credentials": [{ "address": "0xabc", "chain": "eip155" }],
    });
    common::jwt(&header, &claims, |input| fake_signature(key, input))
}

fn jwks() -> Value {
    json!({ "keys": [{
        "kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig",
        "n": base64url(&[1u8; 256]), "e": "AQAB"
    }] })
}

fn verify(token: &str, options: Value, runtime: Js) -> (Result<Js, Error>, ScriptedHttp) {
    let http = ScriptedHttp::json(NOW, &[jwks()]);
    let cache = RefCell::new(VerifierCache::new());
    let (token, options) = (Js::text(token), Js::json(&options));
    let verified = verify_dynamic_jwt(&token, &options, runtime, http.clone(), JsCodec, &cache);
    (ready(verified), http)
}

#[test]
fn a_dynamic_jwt_is_verified_with_the_fetched_keys() {
    let options = json!({"environmentId": ENV, "baseUrl": "https://dyn.test/api/v0"});
    let (user, http) = verify(&token(NOW / 1000 + 60, "k1"), options.clone(), runtime());
    let user = user.unwrap().to_json();
    assert_eq!(user["userId"], "user-1");
    assert_eq!(user["environmentId"], ENV);
    assert_eq!(user["expiresAt"], json!((NOW / 1000 + 60) as f64));
    assert_eq!(user["verifiedCredentials"][0]["address"], "0xabc");
    assert_eq!(user["claims"]["sub"], "user-1");
    assert_eq!(
        http.requests.borrow()[0].url,
        format!("https://dyn.test/api/v0/sdk/{ENV}/.well-known/jwks.json")
    );

    // Signed by another key, expired, or expired by the caller's clock: refused.
    let (forged, _) = verify(&token(NOW / 1000 + 60, "k2"), options.clone(), runtime());
    let (expired, _) = verify(&token(NOW / 1000 - 3600, "k1"), options.clone(), runtime());
    let mut later = options.clone();
    later["now"] = json!(NOW + 3_600_000);
    let (late, _) = verify(&token(NOW / 1000 + 60, "k1"), later, runtime());
    for refused in [forged, expired, late] {
        assert_eq!(refused.unwrap_err().code, ErrorCode::Unauthenticated);
    }

    // A key WebCrypto does not import is skipped: the token's key is then unknown.
    let no_import = runtime();
    no_import
        .set("importRsaKey", Js::function(|_| Ok(Js::Undefined)))
        .unwrap();
    let (e, _) = verify(&token(NOW / 1000 + 60, "k1"), options.clone(), no_import);
    assert_eq!(e.unwrap_err().code, ErrorCode::Unauthenticated);

    // Arguments.
    let (e, _) = verify("", json!({}), runtime());
    assert_eq!(e.unwrap_err().field.as_deref(), Some("environmentId"));
    let cache = RefCell::new(VerifierCache::new());
    let (number, options) = (Js::Number(1.0), Js::json(&options));
    let not_text = verify_dynamic_jwt(
        &number,
        &options,
        runtime(),
        ScriptedHttp::default(),
        JsCodec,
        &cache,
    );
    let e = ready(not_text).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidArgument, Some("token"))
    );
}

#[test]
fn the_now_hook_is_the_servers_clock() {
    let connect = |hook: Option<Js>| {
        let config = config(json!({}));
        if let Some(hook) = hook {
            config.set("now", hook).unwrap();
        }
        let ttls = Rc::default();
        let http = ScriptedHttp::json(NOW, &[jwks()]);
        let store = store(Js::text("n"), false, &ttls);
        let server = HostServer::new(&config, store, runtime(), false, http, JsCodec).unwrap();
        let request = LinkRequest {
            method: "POST".into(),
            path: "/snag/connect".into(),
            authorization: Some(format!("Bearer {}", token(NOW / 1000 + 60, "k1"))),
            body: RequestBody::Text("{}".into()),
        };
        ready(server.handle(request)).status
    };
    // By the runtime's clock the token is valid (and the empty proof is refused); by the hook's,
    // ten hours later, the token has expired.
    assert_eq!(connect(None), 400);
    let later = Js::function(|_| Ok(Js::Number((NOW + 36_000_000) as f64)));
    assert_eq!(connect(Some(later)), 401);
    // A hook that gives no finite number leaves the runtime's clock in place.
    let broken = Js::function(|_| Ok(Js::text("soon")));
    assert_eq!(connect(Some(broken)), 400);
}
