//! The link server's request handling from arbitrary bytes: the route, the bearer token (split,
//! header, claims), the body and the proof. Whatever arrives, the answer is JSON `{ code, message }`
//! with a status the documented table allows, or a 200 after which Snag was called exactly once
//! with the configured ids; Snag is never called for a refusal, and a nonce is consumed at most
//! once.
//!
//! Input layout: lines `method`, `path`, `authorization`, then the body. The mock platform accepts
//! an RS256 "signature" equal to the bytes `ok` (so the fuzzer gets past authentication) and
//! issues the nonce `fuzzNonce1234`.
#![no_main]

use std::cell::{Cell, RefCell};

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/mod.rs"]
mod common;
use common::{SerdeJson, ready};
use wallet_linker::Result;
use wallet_linker::server::jwt::{self, JwtPlatform, JwtVerifier};
use wallet_linker::server::{
    DynamicJwtUser, LinkPlatform, LinkRequest, LinkServerConfig, RequestBody, handle,
};

const NOW_MS: i64 = 1_767_225_600_000;
const NONCE: &str = "fuzzNonce1234";

struct Mock {
    consumed: Cell<u32>,
    snag: RefCell<Vec<serde_json::Value>>,
}

impl JwtPlatform for Mock {
    type Json = SerdeJson;
    type Key = ();
    fn json(&self) -> &SerdeJson {
        &SerdeJson
    }
    async fn fetch_jwks(&self, _url: &str) -> Result<serde_json::Value> {
        let n = "AQ".repeat(171);
        Ok(serde_json::json!({ "keys": [{ "kty": "RSA", "kid": "k1", "n": n, "e": "AQAB" }] }))
    }
    async fn import_key(&self, _jwk: &serde_json::Value) -> Result<()> {
        Ok(())
    }
    async fn verify_rs256(&self, _key: &(), _data: &[u8], signature: &[u8]) -> Result<bool> {
        Ok(signature == b"ok")
    }
}

impl LinkPlatform for Mock {
    fn now_ms(&self) -> i64 {
        NOW_MS
    }
    async fn issue_nonce(&self, _ttl_ms: u64) -> Result<String> {
        Ok(NONCE.to_owned())
    }
    async fn consume_nonce(&self, nonce: &str) -> Result<bool> {
        if nonce != NONCE {
            return Ok(false);
        }
        self.consumed.set(self.consumed.get() + 1);
        Ok(self.consumed.get() == 1)
    }
    async fn snag_user_id(
        &self,
        _user: &DynamicJwtUser<serde_json::Value>,
    ) -> Result<Option<String>> {
        Ok(None)
    }
    async fn snag_connect(&self, body: String) -> Result<String> {
        let body = serde_json::from_str(&body).expect("the Snag body is JSON");
        self.snag.borrow_mut().push(body);
        Ok("{}".to_owned())
    }
    /// An RPC that cannot answer: no fuzzed request may be accepted through it.
    async fn evm_call(&self, _url: &str, _method: &'static str, _params: &str) -> Result<String> {
        Err(wallet_linker::Error::new(
            wallet_linker::ErrorCode::Network,
            "no RPC in the fuzz target",
        ))
    }
}

const STATUSES: &[u16] = &[200, 400, 401, 404, 405, 409, 413, 422, 502, 503];

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |&b| b == b'\n');
    let mut line = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let (method, path, authorization) = (line(), line(), line());
    let body = match std::str::from_utf8(parts.next().unwrap_or_default()) {
        Ok(text) => RequestBody::Text(text.to_owned()),
        Err(_) => RequestBody::NotText,
    };
    let config = LinkServerConfig::new("app.example.com", "site", "org").expect("valid config");
    let verifier: JwtVerifier<()> =
        JwtVerifier::new("env", jwt::jwks_url("https://dyn.test", "env"), 60).expect("valid");
    let mock = Mock {
        consumed: Cell::new(0),
        snag: RefCell::new(Vec::new()),
    };
    let request = LinkRequest {
        method,
        path,
        authorization: Some(authorization).filter(|a| !a.is_empty()),
        body,
    };
    let response = ready(handle(&config, &verifier, &mock, request));
    assert!(STATUSES.contains(&response.status), "{response:?}");
    let json: serde_json::Value =
        serde_json::from_str(&response.body).expect("every answer is JSON");
    let calls = mock.snag.borrow();
    if response.status == 200 && !calls.is_empty() {
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0]["websiteId"], "site");
        assert_eq!(calls[0]["organizationId"], "org");
        assert!(calls[0].get("userId").is_none() && calls[0].get("confirmDisconnect").is_none());
        assert_eq!(mock.consumed.get(), 1);
    } else {
        assert!(calls.is_empty(), "Snag called for {response:?}");
        if response.status != 200 {
            assert!(
                json["code"].as_str().is_some_and(|c| !c.is_empty()),
                "{json}"
            );
        }
    }
});
