//! The backend's rules (`wallet_linker::server`) against a mock platform: every refusal of the
//! attack list answers with its status and code and reaches neither the nonce store's consume nor
//! Snag; the happy paths send Snag exactly the configured ids; the JWKS cache refetches on the
//! documented schedule only.

#![allow(clippy::result_large_err)]

mod common;

use std::cell::RefCell;
use std::collections::HashMap;

use common::{ScriptedRpc, SerdeJson};
use ed25519_dalek::{Signer, SigningKey as EdSigningKey};
use k256::ecdsa::SigningKey as EcdsaSigningKey;
use serde_json::{Value, json};
use wallet_linker::message::{
    DynamicSignInParams, SiweMessage, SolanaSignInInput, create_dynamic_sign_in_message,
    create_siwe_message, create_solana_sign_in_message,
};
use wallet_linker::server::jwt::{
    self, JWKS_MAX_AGE_MS, JWKS_REFETCH_INTERVAL_MS, JwtPlatform, JwtVerifier,
};
use wallet_linker::server::{
    DynamicJwtUser, LinkPlatform, LinkRequest, LinkResponse, LinkServerConfig, MAX_BODY_BYTES,
    RequestBody, handle, push_json_string,
};
use wallet_linker::signin::format_rfc3339_ms;
use wallet_linker::{Error, ErrorCode, Result, evm, solana};

const ENV: &str = "env-123";
const DOMAIN: &str = "app.example.com";
/// 2026-01-01T00:00:00Z
const NOW: i64 = 1_767_225_600_000;

// ---------------------------------------------------------------------------------------------
// The mock platform: keys are names, a "signature" is the name and the signed bytes' length and
// checksum (the RSA itself is WebCrypto's and is tested in the JS suite with jose-made tokens).

fn mock_signature(key: &str, data: &[u8]) -> Vec<u8> {
    let sum: u64 = data
        .iter()
        .enumerate()
        .map(|(i, b)| (i as u64 + 1) * u64::from(*b))
        .sum();
    format!("{key}:{}:{sum}", data.len()).into_bytes()
}

struct Mock {
    now: RefCell<i64>,
    jwks: RefCell<Result<Value>>,
    jwks_fetches: RefCell<u32>,
    nonces: RefCell<HashMap<String, bool>>,
    next_nonce: RefCell<u32>,
    store_fails: RefCell<bool>,
    consumed: RefCell<Vec<String>>,
    snag_user: Option<String>,
    snag_reply: RefCell<Result<String>>,
    snag_calls: RefCell<Vec<Value>>,
    rpc: ScriptedRpc,
    rpc_urls: RefCell<Vec<String>>,
}

impl Mock {
    fn new() -> Self {
        Mock {
            now: RefCell::new(NOW),
            jwks: RefCell::new(Ok(jwks(&["k1"]))),
            jwks_fetches: RefCell::new(0),
            nonces: RefCell::new(HashMap::new()),
            next_nonce: RefCell::new(0),
            store_fails: RefCell::new(false),
            consumed: RefCell::new(Vec::new()),
            snag_user: None,
            snag_reply: RefCell::new(Ok(r#"{"id":"snag-1"}"#.to_owned())),
            snag_calls: RefCell::new(Vec::new()),
            rpc: ScriptedRpc::default(),
            rpc_urls: RefCell::new(Vec::new()),
        }
    }

    fn issue(&self) -> String {
        pollster::block_on(self.issue_nonce(300_000)).unwrap()
    }

    fn store_error(&self) -> Result<()> {
        if *self.store_fails.borrow() {
            return Err(Error::new(ErrorCode::Network, "redis is down"));
        }
        Ok(())
    }
}

/// A JWKS of RSA-looking keys (a 2048-bit modulus of `0x01` bytes) named `kids`.
fn jwks(kids: &[&str]) -> Value {
    let n = base64url(&[1u8; 256]);
    json!({ "keys": kids.iter().map(|kid| json!({
        "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": n, "e": "AQAB"
    })).collect::<Vec<_>>() })
}

impl JwtPlatform for Mock {
    type Json = SerdeJson;
    type Key = String;

    fn json(&self) -> &SerdeJson {
        &SerdeJson
    }

    async fn fetch_jwks(&self, url: &str) -> Result<Value> {
        assert_eq!(
            url,
            format!("https://dyn.test/api/v0/sdk/{ENV}/.well-known/jwks.json")
        );
        *self.jwks_fetches.borrow_mut() += 1;
        self.jwks.borrow().clone()
    }

    async fn import_key(&self, jwk: &Value) -> Result<String> {
        Ok(jwk["kid"].as_str().unwrap_or("no-kid").to_owned())
    }

    async fn verify_rs256(&self, key: &String, data: &[u8], signature: &[u8]) -> Result<bool> {
        Ok(signature == mock_signature(key, data))
    }
}

impl LinkPlatform for Mock {
    fn now_ms(&self) -> i64 {
        *self.now.borrow()
    }

    async fn issue_nonce(&self, _ttl_ms: u64) -> Result<String> {
        self.store_error()?;
        let mut n = self.next_nonce.borrow_mut();
        *n += 1;
        let nonce = format!("nonce{:08}", *n);
        self.nonces.borrow_mut().insert(nonce.clone(), false);
        Ok(nonce)
    }

    async fn consume_nonce(&self, nonce: &str) -> Result<bool> {
        self.store_error()?;
        self.consumed.borrow_mut().push(nonce.to_owned());
        Ok(match self.nonces.borrow_mut().get_mut(nonce) {
            Some(used) if !*used => {
                *used = true;
                true
            }
            _ => false,
        })
    }

    async fn snag_user_id(&self, user: &DynamicJwtUser<Value>) -> Result<Option<String>> {
        Ok(self
            .snag_user
            .as_ref()
            .map(|prefix| format!("{prefix}{}", user.user_id)))
    }

    async fn snag_connect(&self, body: String) -> Result<String> {
        self.snag_calls
            .borrow_mut()
            .push(serde_json::from_str(&body).expect("the Snag body is JSON"));
        self.snag_reply.borrow().clone()
    }

    async fn evm_call(&self, url: &str, method: &'static str, params: &str) -> Result<String> {
        self.rpc_urls.borrow_mut().push(url.to_owned());
        wallet_linker::evm::EvmRpc::request(&self.rpc, method, params).await
    }
}

fn base64url(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

fn token_with(header: Value, claims: Value, key: &str) -> String {
    common::jwt(&header, &claims, |input| mock_signature(key, input))
}

fn claims() -> Value {
    json!({
        "sub": "user-1",
        "environment_id": ENV,
        "iss": format!("app.dynamicauth.com/{ENV}"),
        "iat": NOW / 1000,
        "exp": NOW / 1000 + 3600,
        "verified_credentials": [{ "address": "0xabc", "chain": "eip155" }],
    })
}

fn token() -> String {
    token_with(
        json!({ "alg": "RS256", "kid": "k1", "typ": "JWT" }),
        claims(),
        "k1",
    )
}

fn config() -> LinkServerConfig {
    LinkServerConfig::new(DOMAIN, "site-1", "org-1").unwrap()
}

fn verifier() -> JwtVerifier<String> {
    JwtVerifier::new(ENV, jwt::jwks_url("https://dyn.test/api/v0", ENV), 60).unwrap()
}

struct Server {
    config: LinkServerConfig,
    verifier: JwtVerifier<String>,
    mock: Mock,
}

impl Server {
    fn new() -> Self {
        Server {
            config: config(),
            verifier: verifier(),
            mock: Mock::new(),
        }
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        auth: Option<&str>,
        body: RequestBody,
    ) -> LinkResponse {
        let request = LinkRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            authorization: auth.map(str::to_owned),
            body,
        };
        pollster::block_on(handle(&self.config, &self.verifier, &self.mock, request))
    }

    fn connect(&self, token: &str, body: &Value) -> LinkResponse {
        self.send(
            "POST",
            "/snag/connect",
            Some(&format!("Bearer {token}")),
            RequestBody::Text(body.to_string()),
        )
    }

    /// Asserts a refusal: status, code, and that Snag was not called.
    #[track_caller]
    fn refused(&self, response: &LinkResponse, status: u16, code: ErrorCode) -> Value {
        let body: Value = serde_json::from_str(&response.body).unwrap();
        assert_eq!(
            (response.status, body["code"].as_str()),
            (status, Some(code.as_str())),
            "{body}"
        );
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(self.mock.snag_calls.borrow().is_empty(), "Snag was called");
        body
    }
}

struct EvmWallet {
    key: EcdsaSigningKey,
    address: String,
}

fn evm_wallet(seed: u8) -> EvmWallet {
    let key = EcdsaSigningKey::from_slice(&[seed; 32]).unwrap();
    let point = key.verifying_key().to_sec1_point(false);
    let hash = <sha3::Keccak256 as sha3::Digest>::digest(&point.as_bytes()[1..]);
    let address = evm::eip55::checksum_of_bytes(&hash[12..].try_into().unwrap());
    EvmWallet { key, address }
}

impl EvmWallet {
    fn sign(&self, message: &str) -> String {
        let (signature, recovery) = self
            .key
            .sign_prehash_recoverable(&evm::eip191_hash(message.as_bytes()));
        let mut bytes = signature.to_bytes().to_vec();
        bytes.push(27 + recovery.to_byte());
        format!(
            "0x{}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )
    }

    fn siwe(&self, nonce: &str, issued_at: i64) -> SiweMessage {
        SiweMessage {
            scheme: None,
            domain: DOMAIN.into(),
            address: self.address.clone(),
            statement: Some("Connect this wallet to Snag".into()),
            uri: format!("https://{DOMAIN}"),
            version: "1".into(),
            chain_id: 1,
            nonce: nonce.into(),
            issued_at: format_rfc3339_ms(issued_at),
            expiration_time: None,
            not_before: None,
            request_id: None,
            resources: None,
        }
    }

    fn proof(&self, fields: &SiweMessage) -> Value {
        let message = create_siwe_message(fields).unwrap();
        json!({
            "walletType": "evm",
            "walletAddress": self.address,
            "signature": self.sign(&message),
            "message": message,
        })
    }
}

fn solana_wallet() -> (EdSigningKey, String) {
    let key = EdSigningKey::from_bytes(&[0x42; 32]);
    let address = solana::pubkey::to_address(&key.verifying_key().to_bytes());
    (key, address)
}

fn siws(address: &str, nonce: Option<&str>, issued_at: Option<i64>) -> String {
    create_solana_sign_in_message(&SolanaSignInInput {
        domain: DOMAIN.into(),
        address: address.into(),
        statement: Some("Connect this wallet to Snag".into()),
        uri: Some(format!("https://{DOMAIN}")),
        version: Some("1".into()),
        chain_id: Some("solana:mainnet".into()),
        nonce: nonce.map(str::to_owned),
        issued_at: issued_at.map(format_rfc3339_ms),
        ..SolanaSignInInput::default()
    })
    .unwrap()
}

fn solana_proof(key: &EdSigningKey, address: &str, message: &str) -> Value {
    json!({
        "walletType": "solana",
        "walletAddress": address,
        "message": message,
        "signature": bs58::encode(key.sign(message.as_bytes()).to_bytes()).into_string(),
    })
}

// ---------------------------------------------------------------------------------------------
// Happy paths

#[test]
fn nonce_route_issues_from_the_store() {
    let s = Server::new();
    let response = s.send("GET", "/nonce", None, RequestBody::Text(String::new()));
    assert_eq!(response.status, 200);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["nonce"], "nonce00000001");
    assert_eq!(body["expiresAt"], "2026-01-01T00:05:00.000Z");
    assert!(s.mock.nonces.borrow().contains_key("nonce00000001"));
}

#[test]
fn evm_proof_reaches_snag_with_the_configured_ids_only() {
    let s = Server::new();
    let wallet = evm_wallet(0x11);
    let nonce = s.mock.issue();
    let mut body = wallet.proof(&wallet.siwe(&nonce, NOW - 10_000));
    // An attacker's extra members are ignored.
    for (key, value) in [
        ("userId", json!("victim")),
        ("websiteId", json!("other-site")),
        ("organizationId", json!("other-org")),
        ("confirmDisconnect", json!(true)),
    ] {
        body[key] = value;
    }
    let response = s.connect(&token(), &body);
    assert_eq!(
        (response.status, response.body.as_str()),
        (200, r#"{"id":"snag-1"}"#)
    );
    let calls = s.mock.snag_calls.borrow();
    assert_eq!(
        calls.as_slice(),
        [json!({
            "walletAddress": wallet.address,
            "walletType": "evm",
            "websiteId": "site-1",
            "organizationId": "org-1",
            "verificationData": { "message": body["message"], "signature": body["signature"] },
        })]
    );
    assert_eq!(s.mock.consumed.borrow().as_slice(), [nonce]);
}

#[test]
fn user_hook_and_allow_move_wallet_are_the_only_sources_of_those_fields() {
    let mut s = Server::new();
    s.mock.snag_user = Some("snag-".into());
    s.config.allow_move_wallet = true;
    let wallet = evm_wallet(0x12);
    let body = wallet.proof(&wallet.siwe(&s.mock.issue(), NOW));
    assert_eq!(s.connect(&token(), &body).status, 200);
    let call = &s.mock.snag_calls.borrow()[0];
    assert_eq!(call["userId"], "snag-user-1");
    assert_eq!(call["confirmDisconnect"], true);
}

#[test]
fn dynamic_evm_template_is_accepted() {
    let s = Server::new();
    let wallet = evm_wallet(0x13);
    let message = create_dynamic_sign_in_message(&DynamicSignInParams {
        chain: "EVM".into(),
        domain: Some(DOMAIN.into()),
        address: wallet.address.clone(),
        uri: Some(format!("https://{DOMAIN}")),
        chain_id: Some(1),
        nonce: s.mock.issue(),
        issued_at: Some(format_rfc3339_ms(NOW)),
        environment_id: ENV.into(),
        app_name: Some("Example".into()),
        ..DynamicSignInParams::default()
    })
    .unwrap();
    let body = json!({
        "walletType": "evm", "walletAddress": wallet.address,
        "message": message, "signature": wallet.sign(&message),
    });
    let response = s.connect(&token(), &body);
    assert_eq!(response.status, 200, "{}", response.body);
}

#[test]
fn solana_sign_in_and_dynamic_solana_template_are_accepted() {
    let s = Server::new();
    let (key, address) = solana_wallet();
    let message = siws(&address, Some(&s.mock.issue()), Some(NOW));
    let response = s.connect(&token(), &solana_proof(&key, &address, &message));
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(s.mock.snag_calls.borrow()[0]["walletType"], "solana");

    let template = create_dynamic_sign_in_message(&DynamicSignInParams {
        chain: "SOL".into(),
        domain: Some(DOMAIN.into()),
        address: address.clone(),
        uri: Some(format!("https://{DOMAIN}")),
        nonce: s.mock.issue(),
        issued_at: Some(format_rfc3339_ms(NOW)),
        environment_id: ENV.into(),
        app_name: Some("Example".into()),
        ..DynamicSignInParams::default()
    })
    .unwrap();
    let response = s.connect(&token(), &solana_proof(&key, &address, &template));
    assert_eq!(response.status, 200, "{}", response.body);
}

// ---------------------------------------------------------------------------------------------
// Who is calling

#[test]
fn every_bad_token_is_401_and_nothing_else_happens() {
    let good = claims();
    let header = json!({ "alg": "RS256", "kid": "k1" });
    let with = |key: &str, value: Value| {
        let mut c = good.clone();
        c[key] = value;
        c
    };
    let without = |key: &str| {
        let mut c = good.clone();
        c.as_object_mut().unwrap().remove(key);
        c
    };
    let now = NOW / 1000;
    let cases: Vec<(&str, Option<String>, &str)> = vec![
        ("no header", None, "authorization"),
        (
            "basic auth",
            Some("Basic dXNlcjpwYXNz".into()),
            "authorization",
        ),
        ("empty bearer", Some("Bearer ".into()), "authorization"),
        ("two parts", Some("Bearer a.b".into()), "token"),
        ("not base64url", Some("Bearer a+b.c.d".into()), "token"),
        (
            "alg none",
            Some(format!(
                "Bearer {}",
                token_with(json!({ "alg": "none" }), good.clone(), "k1")
            )),
            "alg",
        ),
        (
            "HS256",
            Some(format!(
                "Bearer {}",
                token_with(json!({ "alg": "HS256", "kid": "k1" }), good.clone(), "k1")
            )),
            "alg",
        ),
        (
            "no alg",
            Some(format!(
                "Bearer {}",
                token_with(json!({ "kid": "k1" }), good.clone(), "k1")
            )),
            "alg",
        ),
        (
            "crit",
            Some(format!(
                "Bearer {}",
                token_with(
                    json!({ "alg": "RS256", "kid": "k1", "crit": ["b64"] }),
                    good.clone(),
                    "k1"
                )
            )),
            "crit",
        ),
        (
            "forged signature",
            Some(format!(
                "Bearer {}",
                token_with(header.clone(), good.clone(), "attacker")
            )),
            "signature",
        ),
        (
            "unknown kid",
            Some(format!(
                "Bearer {}",
                token_with(json!({ "alg": "RS256", "kid": "k9" }), good.clone(), "k9")
            )),
            "kid",
        ),
        (
            "expired",
            Some(format!(
                "Bearer {}",
                token_with(header.clone(), with("exp", json!(now - 61)), "k1")
            )),
            "exp",
        ),
        (
            "no exp",
            Some(format!(
                "Bearer {}",
                token_with(header.clone(), without("exp"), "k1")
            )),
            "exp",
        ),
        (
            "not yet valid",
            Some(format!(
                "Bearer {}",
                token_with(header.clone(), with("nbf", json!(now + 61)), "k1")
            )),
            "nbf",
        ),
        (
            "another environment",
            Some(format!(
                "Bearer {}",
                token_with(
                    header.clone(),
                    with("environment_id", json!("env-999")),
                    "k1"
                )
            )),
            "environment_id",
        ),
        (
            "issuer of another environment",
            Some(format!(
                "Bearer {}",
                token_with(
                    header.clone(),
                    with("iss", json!("app.dynamicauth.com/env-999")),
                    "k1"
                )
            )),
            "iss",
        ),
        (
            "issuer suffix without a slash",
            Some(format!(
                "Bearer {}",
                token_with(
                    header.clone(),
                    with("iss", json!(format!("evil{ENV}"))),
                    "k1"
                )
            )),
            "iss",
        ),
        (
            "no subject",
            Some(format!(
                "Bearer {}",
                token_with(header.clone(), without("sub"), "k1")
            )),
            "sub",
        ),
    ];
    for (name, authorization, field) in cases {
        let s = Server::new();
        let wallet = evm_wallet(0x21);
        let nonce = s.mock.issue();
        let body = wallet.proof(&wallet.siwe(&nonce, NOW));
        let response = s.send(
            "POST",
            "/snag/connect",
            authorization.as_deref(),
            RequestBody::Text(body.to_string()),
        );
        let error = s.refused(&response, 401, ErrorCode::Unauthenticated);
        assert_eq!(error["field"], field, "{name}");
        assert!(
            s.mock.consumed.borrow().is_empty(),
            "{name}: nonce consumed"
        );
    }
    // Within the skew, exp and nbf still pass.
    let s = Server::new();
    let wallet = evm_wallet(0x22);
    let body = wallet.proof(&wallet.siwe(&s.mock.issue(), NOW));
    let lenient = with("exp", json!(now - 59));
    let lenient = {
        let mut c = lenient;
        c["nbf"] = json!(now + 59);
        c
    };
    assert_eq!(
        s.connect(&token_with(header, lenient, "k1"), &body).status,
        200
    );
}

#[test]
fn jwks_is_refetched_for_unknown_kids_at_most_every_30_seconds() {
    let mock = Mock::new();
    let verifier = verifier();
    let verify = |token: &str| pollster::block_on(verifier.verify(&mock, token, mock.now_ms()));
    let fetches = || *mock.jwks_fetches.borrow();
    assert_eq!(verify(&token()).unwrap().user_id, "user-1");
    assert_eq!(
        verify(&token()).unwrap().verified_credentials.unwrap()[0]["address"],
        "0xabc"
    );
    assert_eq!(fetches(), 1, "cached");

    // The environment rotates to k2: the first k2 token refetches once.
    *mock.jwks.borrow_mut() = Ok(jwks(&["k2"]));
    *mock.now.borrow_mut() += JWKS_REFETCH_INTERVAL_MS;
    let k2 = token_with(json!({ "alg": "RS256", "kid": "k2" }), claims(), "k2");
    assert!(verify(&k2).is_ok());
    assert_eq!(fetches(), 2);
    // A burst of forged kids: at most one fetch per interval.
    for i in 0..50 {
        let forged = token_with(
            json!({ "alg": "RS256", "kid": format!("x{i}") }),
            claims(),
            "x",
        );
        assert_eq!(
            verify(&forged).unwrap_err().code,
            ErrorCode::Unauthenticated
        );
    }
    assert_eq!(fetches(), 2);
    *mock.now.borrow_mut() += JWKS_REFETCH_INTERVAL_MS;
    let forged = token_with(json!({ "alg": "RS256", "kid": "x" }), claims(), "x");
    assert!(verify(&forged).is_err());
    assert_eq!(fetches(), 3);
    // A removed key stops working once the cache is stale.
    *mock.jwks.borrow_mut() = Ok(jwks(&["k3"]));
    assert!(verify(&k2).is_ok(), "still cached");
    *mock.now.borrow_mut() += JWKS_MAX_AGE_MS;
    assert_eq!(verify(&k2).unwrap_err().field.as_deref(), Some("kid"));
    assert_eq!(fetches(), 4);
}

#[test]
fn jwks_failures_are_errors_not_refusals_and_keys_are_filtered() {
    let mock = Mock::new();
    let verifier = verifier();
    *mock.jwks.borrow_mut() = Err(Error::new(ErrorCode::Network, "down"));
    let error = pollster::block_on(verifier.verify(&mock, &token(), NOW)).unwrap_err();
    assert_eq!(error.code, ErrorCode::Network);

    let s = Server::new();
    *s.mock.jwks.borrow_mut() = Err(Error::new(ErrorCode::Timeout, "slow"));
    let wallet = evm_wallet(0x23);
    let body = wallet.proof(&wallet.siwe(&s.mock.issue(), NOW));
    s.refused(&s.connect(&token(), &body), 503, ErrorCode::Timeout);

    // Only RS256 signing keys of at least 2048 bits are used.
    let small = base64url(&[1u8; 128]);
    let n = base64url(&[1u8; 256]);
    let document = json!({ "keys": [
        { "kty": "RSA", "kid": "small", "n": small, "e": "AQAB" },
        { "kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA" },
        { "kty": "RSA", "kid": "enc", "use": "enc", "n": n, "e": "AQAB" },
        { "kty": "RSA", "kid": "hs", "alg": "HS256", "n": n, "e": "AQAB" },
        { "kty": "RSA", "kid": "good", "n": n, "e": "AQAB" },
    ]});
    let kids: Vec<_> = jwt::read_jwks(&SerdeJson, &document)
        .unwrap()
        .into_iter()
        .map(|k| k.kid)
        .collect();
    assert_eq!(kids, [Some("good".to_owned())]);
    assert_eq!(
        jwt::read_jwks(&SerdeJson, &json!({ "nokeys": [] }))
            .err()
            .map(|e| e.code),
        Some(ErrorCode::InvalidResponse)
    );
    // No kid: only a JWKS with exactly one key can say which.
    let mock = Mock::new();
    let no_kid = token_with(json!({ "alg": "RS256" }), claims(), "k1");
    assert!(pollster::block_on(verifier.verify(&mock, &no_kid, NOW)).is_ok());
    *mock.jwks.borrow_mut() = Ok(jwks(&["k1", "k2"]));
    let fresh = self::verifier();
    let no_kid_two = token_with(json!({ "alg": "RS256" }), claims(), "k1");
    assert_eq!(
        pollster::block_on(fresh.verify(&mock, &no_kid_two, NOW))
            .unwrap_err()
            .field
            .as_deref(),
        Some("kid")
    );
}

// ---------------------------------------------------------------------------------------------
// Which proof

#[test]
fn every_bad_proof_is_refused_before_the_nonce_is_consumed() {
    let wallet = evm_wallet(0x31);
    let other = evm_wallet(0x32);
    type Case = (
        &'static str,
        fn(&Mock, &EvmWallet, &EvmWallet) -> Value,
        u16,
        ErrorCode,
    );
    let cases: Vec<Case> = vec![
        (
            "another domain",
            |m, w, _| {
                w.proof(&SiweMessage {
                    domain: "evil.example".into(),
                    ..w.siwe(&m.issue(), NOW)
                })
            },
            422,
            ErrorCode::DomainMismatch,
        ),
        (
            "domain with another port",
            |m, w, _| {
                w.proof(&SiweMessage {
                    domain: format!("{DOMAIN}:8443"),
                    ..w.siwe(&m.issue(), NOW)
                })
            },
            422,
            ErrorCode::DomainMismatch,
        ),
        (
            "address is not walletAddress",
            |m, w, o| {
                let mut body = w.proof(&w.siwe(&m.issue(), NOW));
                body["walletAddress"] = json!(o.address);
                body
            },
            422,
            ErrorCode::AddressMismatch,
        ),
        (
            "signed by another key",
            |m, w, o| {
                let mut body = w.proof(&w.siwe(&m.issue(), NOW));
                body["signature"] = json!(o.sign(body["message"].as_str().unwrap()));
                body
            },
            422,
            ErrorCode::SignatureMismatch,
        ),
        (
            "older than maxAgeSeconds",
            |m, w, _| w.proof(&w.siwe(&m.issue(), NOW - 300_000)),
            422,
            ErrorCode::Expired,
        ),
        (
            "issued in the future",
            |m, w, _| w.proof(&w.siwe(&m.issue(), NOW + 120_000)),
            422,
            ErrorCode::IssuedInFuture,
        ),
        (
            "expired window",
            |m, w, _| {
                w.proof(&SiweMessage {
                    expiration_time: Some(format_rfc3339_ms(NOW - 61_000)),
                    ..w.siwe(&m.issue(), NOW - 100_000)
                })
            },
            422,
            ErrorCode::Expired,
        ),
        (
            "not a sign-in message",
            |_, w, _| {
                json!({
                    "walletType": "evm", "walletAddress": w.address,
                    "message": "hello", "signature": w.sign("hello"),
                })
            },
            422,
            ErrorCode::MessageParse,
        ),
        (
            "malformed signature",
            |m, w, _| {
                let mut body = w.proof(&w.siwe(&m.issue(), NOW));
                body["signature"] = json!("0x1234");
                body
            },
            422,
            ErrorCode::InvalidSignatureLength,
        ),
        (
            "walletType btc",
            |m, w, _| {
                let mut body = w.proof(&w.siwe(&m.issue(), NOW));
                body["walletType"] = json!("btc");
                body
            },
            422,
            ErrorCode::UnsupportedChain,
        ),
        (
            "walletType ton with a message instead of tonVerification",
            |m, w, _| {
                let mut body = w.proof(&w.siwe(&m.issue(), NOW));
                body["walletType"] = json!("ton");
                body
            },
            400,
            ErrorCode::MissingField,
        ),
        (
            "no message",
            |m, w, _| {
                let mut body = w.proof(&w.siwe(&m.issue(), NOW));
                body.as_object_mut().unwrap().remove("message");
                body
            },
            400,
            ErrorCode::MissingField,
        ),
        (
            "signature as a number",
            |m, w, _| {
                let mut body = w.proof(&w.siwe(&m.issue(), NOW));
                body["signature"] = json!(12);
                body
            },
            400,
            ErrorCode::MissingField,
        ),
        (
            "body is an array",
            |_, _, _| json!([1, 2]),
            400,
            ErrorCode::InvalidArgument,
        ),
    ];
    for (name, make, status, code) in cases {
        let s = Server::new();
        let body = make(&s.mock, &wallet, &other);
        let response = s.connect(&token(), &body);
        assert_eq!(response.status, status, "{name}: {}", response.body);
        s.refused(&response, status, code);
        assert!(
            s.mock.consumed.borrow().is_empty(),
            "{name}: nonce consumed"
        );
    }
}

#[test]
fn nonces_are_single_use_and_must_be_issued_here() {
    let s = Server::new();
    let wallet = evm_wallet(0x41);
    // Never issued.
    let body = wallet.proof(&wallet.siwe("nonceNEVERissued", NOW));
    s.refused(&s.connect(&token(), &body), 409, ErrorCode::NonceUnknown);
    // Issued: accepted once, then a replay is refused.
    let body = wallet.proof(&wallet.siwe(&s.mock.issue(), NOW));
    assert_eq!(s.connect(&token(), &body).status, 200);
    let replay = s.connect(&token(), &body);
    assert_eq!(replay.status, 409);
    assert_eq!(s.mock.snag_calls.borrow().len(), 1);
}

#[test]
fn solana_proofs_need_a_nonce_and_an_issued_at() {
    let (key, address) = solana_wallet();
    let s = Server::new();
    let no_nonce = siws(&address, None, Some(NOW));
    let response = s.connect(&token(), &solana_proof(&key, &address, &no_nonce));
    assert_eq!(
        s.refused(&response, 400, ErrorCode::MissingField)["field"],
        "nonce"
    );
    let no_issued_at = siws(&address, Some(&s.mock.issue()), None);
    let response = s.connect(&token(), &solana_proof(&key, &address, &no_issued_at));
    assert_eq!(
        s.refused(&response, 400, ErrorCode::MissingField)["field"],
        "issuedAt"
    );
    // A key that is not the message's address.
    let other = solana::pubkey::to_address(
        &EdSigningKey::from_bytes(&[7; 32])
            .verifying_key()
            .to_bytes(),
    );
    let message = siws(&address, Some(&s.mock.issue()), Some(NOW));
    let mut body = solana_proof(&key, &address, &message);
    body["walletAddress"] = json!(other);
    s.refused(&s.connect(&token(), &body), 422, ErrorCode::AddressMismatch);
    assert!(s.mock.consumed.borrow().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Transport-level refusals and failures

#[test]
fn routes_sizes_and_bodies() {
    let s = Server::new();
    let auth = format!("Bearer {}", token());
    let text = |t: &str| RequestBody::Text(t.to_owned());
    s.refused(
        &s.send("GET", "/snag/connect", Some(&auth), text("")),
        405,
        ErrorCode::RouteNotFound,
    );
    s.refused(
        &s.send("POST", "/nonce", None, text("")),
        405,
        ErrorCode::RouteNotFound,
    );
    s.refused(
        &s.send("GET", "/admin", None, text("")),
        404,
        ErrorCode::RouteNotFound,
    );
    s.refused(
        &s.send("GET", "/nonce/", None, text("")),
        404,
        ErrorCode::RouteNotFound,
    );
    // Size is refused before the token is even read.
    s.refused(
        &s.send("POST", "/snag/connect", None, RequestBody::TooLarge),
        413,
        ErrorCode::InputTooLarge,
    );
    s.refused(
        &s.send("POST", "/snag/connect", Some(&auth), RequestBody::NotText),
        400,
        ErrorCode::InvalidArgument,
    );
    s.refused(
        &s.send("POST", "/snag/connect", Some(&auth), text("{not json")),
        400,
        ErrorCode::InvalidArgument,
    );
    let long = json!({
        "walletType": "evm", "walletAddress": "0x0", "signature": "0x0",
        "message": "a".repeat(MAX_BODY_BYTES / 2),
    });
    s.refused(&s.connect(&token(), &long), 413, ErrorCode::InputTooLarge);
    assert_eq!(*s.mock.jwks_fetches.borrow(), 1);

    let mut based = Server::new();
    based.config = config().with_base_path("/api/link").unwrap();
    assert_eq!(
        based.send("GET", "/api/link/nonce", None, text("")).status,
        200
    );
    based.refused(
        &based.send("GET", "/nonce", None, text("")),
        404,
        ErrorCode::RouteNotFound,
    );
    for bad in ["api", "/a?b", "/a//b"] {
        assert_eq!(
            config().with_base_path(bad).unwrap_err().code,
            ErrorCode::InvalidArgument
        );
    }
}

#[test]
fn store_and_snag_failures() {
    let s = Server::new();
    let wallet = evm_wallet(0x51);
    let body = wallet.proof(&wallet.siwe(&s.mock.issue(), NOW));
    *s.mock.store_fails.borrow_mut() = true;
    s.refused(&s.connect(&token(), &body), 503, ErrorCode::NonceStore);
    s.refused(
        &s.send("GET", "/nonce", None, RequestBody::Text(String::new())),
        503,
        ErrorCode::NonceStore,
    );
    *s.mock.store_fails.borrow_mut() = false;

    // Snag failing is 502; the nonce was consumed before the call (the proof is spent).
    *s.mock.snag_reply.borrow_mut() =
        Err(Error::new(ErrorCode::HttpError, "Snag: 500").with_status(500));
    let response = s.connect(&token(), &body);
    assert_eq!(response.status, 502);
    assert_eq!(s.mock.snag_calls.borrow().len(), 1);
    assert_eq!(s.connect(&token(), &body).status, 409);
}

#[test]
fn config_is_validated() {
    let bad = |r: Result<LinkServerConfig>, field: &str| {
        let e = r.unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidArgument, Some(field))
        );
    };
    bad(LinkServerConfig::new("", "s", "o"), "domain");
    bad(LinkServerConfig::new("a b", "s", "o"), "domain");
    bad(LinkServerConfig::new(DOMAIN, "", "o"), "websiteId");
    bad(LinkServerConfig::new(DOMAIN, "s", ""), "organizationId");
    bad(config().with_max_age_seconds(0), "maxAgeSeconds");
    bad(config().with_max_age_seconds(86_401), "maxAgeSeconds");
    bad(config().with_nonce_ttl_ms(999), "nonceTtlMs");
    assert!(LinkServerConfig::new("localhost:3000", "s", "o").is_ok());
    assert!(JwtVerifier::<String>::new("", String::new(), 60).is_err());
}

#[test]
fn json_strings_are_escaped() {
    let mut out = String::new();
    push_json_string(&mut out, "a\"b\\c\n\r\t\u{1}\u{1f}é😀");
    let back: String = serde_json::from_str(&out).unwrap();
    assert_eq!(back, "a\"b\\c\n\r\t\u{1}\u{1f}é😀");
}

/// A JWKS endpoint that answers only once the test opens the gate.
struct Gated {
    open: std::cell::Cell<bool>,
    fetches: std::cell::Cell<u32>,
    answer: Result<Value>,
}

impl JwtPlatform for Gated {
    type Json = SerdeJson;
    type Key = String;
    fn json(&self) -> &SerdeJson {
        &SerdeJson
    }
    async fn fetch_jwks(&self, _url: &str) -> Result<Value> {
        self.fetches.set(self.fetches.get() + 1);
        std::future::poll_fn(|_| {
            if self.open.get() {
                std::task::Poll::Ready(())
            } else {
                std::task::Poll::Pending
            }
        })
        .await;
        self.answer.clone()
    }
    async fn import_key(&self, jwk: &Value) -> Result<String> {
        Ok(jwk["kid"].as_str().unwrap_or_default().to_owned())
    }
    async fn verify_rs256(&self, key: &String, data: &[u8], signature: &[u8]) -> Result<bool> {
        Ok(signature == mock_signature(key, data))
    }
}

/// Polls every future until all are done, opening the gate once all have started.
fn run_concurrently<T>(
    gate: &Gated,
    futures: Vec<std::pin::Pin<Box<dyn Future<Output = T> + '_>>>,
) -> Vec<T> {
    use std::task::{Context, Poll, Waker};
    let mut futures: Vec<_> = futures.into_iter().map(Some).collect();
    let mut results: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    let mut context = Context::from_waker(Waker::noop());
    for round in 0..100 {
        for (slot, result) in futures.iter_mut().zip(results.iter_mut()) {
            if let Some(future) = slot
                && let Poll::Ready(value) = future.as_mut().poll(&mut context)
            {
                *result = Some(value);
                *slot = None;
            }
        }
        if round == 0 {
            gate.open.set(true);
        }
    }
    results
        .into_iter()
        .map(|r| r.expect("every verification ends"))
        .collect()
}

use std::future::Future;

/// A verification in flight, boxed so several can be polled side by side.
type Verifying<'a> = std::pin::Pin<Box<dyn Future<Output = Result<DynamicJwtUser<Value>>> + 'a>>;

#[test]
fn concurrent_verifications_share_one_jwks_fetch() {
    let gate = Gated {
        open: std::cell::Cell::new(false),
        fetches: std::cell::Cell::new(0),
        answer: Ok(jwks(&["k1"])),
    };
    let verifier = verifier();
    let token = token();
    let forged = token_with(json!({ "alg": "RS256", "kid": "zz" }), claims(), "zz");
    let mut futures: Vec<Verifying<'_>> = (0..20)
        .map(|_| Box::pin(verifier.verify(&gate, &token, NOW)) as _)
        .collect();
    futures.push(Box::pin(verifier.verify(&gate, &forged, NOW)));
    let results = run_concurrently(&gate, futures);
    assert_eq!(
        gate.fetches.get(),
        1,
        "one fetch for a cold cache hit by 21 tokens"
    );
    assert!(
        results[..20]
            .iter()
            .all(|r| r.as_ref().is_ok_and(|u| u.user_id == "user-1"))
    );
    assert_eq!(
        results[20].as_ref().unwrap_err().field.as_deref(),
        Some("kid")
    );

    // A failed fetch fails every waiter with its error, and the next request may fetch again.
    let down = Gated {
        open: std::cell::Cell::new(false),
        fetches: std::cell::Cell::new(0),
        answer: Err(Error::new(ErrorCode::Network, "down")),
    };
    let verifier = self::verifier();
    let futures: Vec<Verifying<'_>> = (0..5)
        .map(|_| Box::pin(verifier.verify(&down, &token, NOW)) as _)
        .collect();
    let results = run_concurrently(&down, futures);
    assert_eq!(down.fetches.get(), 1);
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap_err().code == ErrorCode::Network)
    );
    assert!(pollster::block_on(verifier.verify(&down, &token, NOW + 1)).is_err());
    assert_eq!(
        down.fetches.get(),
        2,
        "a cold cache is fetched again after a failure"
    );
}

// ---------------------------------------------------------------------------------------------
// Options: `createLinkServer`'s and `verifyDynamicJwt`'s, as callers give them (camelCase JSON
// here, JavaScript objects through the options reader in the wasm build).

use std::rc::Rc;

use wallet_linker::server::jwt::{
    DynamicJwtOptions, JwtTimeOptions, MAX_CACHED_VERIFIERS, VerifierCache,
};
use wallet_linker::server::{
    DEFAULT_NONCE_STORE_TIMEOUT_MS, LinkServerOptions, LinkServerSetup, MAX_NONCE_STORE_TIMEOUT_MS,
};

fn server_options(extra: Value) -> Value {
    let mut options = json!({
        "domain": DOMAIN,
        "dynamic": { "environmentId": ENV },
        "snag": { "apiKey": "key", "websiteId": "site-1", "organizationId": "org-1" },
    });
    for (key, value) in extra.as_object().unwrap() {
        options[key] = value.clone();
    }
    options
}

fn setup(options: Value) -> Result<LinkServerSetup<String>> {
    serde_json::from_value::<LinkServerOptions>(options)
        .expect("the options read")
        .validate()
}

#[test]
fn server_options_take_their_defaults() {
    let s = setup(server_options(json!({}))).unwrap();
    assert_eq!(s.config, config());
    assert_eq!(
        (s.config.base_path.as_str(), s.config.max_age_seconds),
        ("/", 300)
    );
    assert_eq!(
        (s.config.nonce_ttl_ms, s.config.clock_skew_seconds),
        (300_000, 60)
    );
    assert!(!s.config.allow_move_wallet);
    assert_eq!(s.nonce_store_timeout_ms, DEFAULT_NONCE_STORE_TIMEOUT_MS);
    assert_eq!(
        s.verifier.jwks_url,
        format!("https://app.dynamicauth.com/api/v0/sdk/{ENV}/.well-known/jwks.json")
    );
    assert_eq!(
        (
            s.verifier.environment_id.as_str(),
            s.verifier.clock_skew_seconds
        ),
        (ENV, 60)
    );
    assert_eq!(s.jwks_client.base_url, "https://app.dynamicauth.com/api/v0");
    assert_eq!(s.snag_client.base_url, "https://admin.snagsolutions.io");
    assert_eq!(s.snag_api_key, "key");
}

#[test]
fn server_options_are_applied() {
    let s = setup(server_options(json!({
        "basePath": "/api/link",
        "maxAgeSeconds": 30,
        "nonceTtlMs": 1000,
        "clockSkewSeconds": 5,
        "allowMoveWallet": true,
        "nonceStoreTimeoutMs": MAX_NONCE_STORE_TIMEOUT_MS,
        "dynamic": {
            "environmentId": ENV,
            "baseUrl": "https://dyn.test/api/v0/",
            "timeoutMs": 300,
            "maxRetries": 0,
        },
        "snag": {
            "apiKey": "key", "websiteId": "w", "organizationId": "o",
            "baseUrl": "http://127.0.0.1:9", "deadlineMs": 2000,
        },
        // The runtime's own members are not the core's to read.
        "nonces": { "issue": "fn" }, "snagUserId": "fn", "now": "fn",
    })))
    .unwrap();
    let c = &s.config;
    assert_eq!(
        (c.base_path.as_str(), c.max_age_seconds),
        ("/api/link/", 30)
    );
    assert_eq!((c.nonce_ttl_ms, c.clock_skew_seconds), (1000, 5));
    assert!(c.allow_move_wallet);
    assert_eq!(
        (c.website_id.as_str(), c.organization_id.as_str()),
        ("w", "o")
    );
    // One clock skew for the caller's JWT and the proof's message.
    assert_eq!(s.verifier.clock_skew_seconds, 5);
    assert_eq!(
        s.verifier.jwks_url,
        jwt::jwks_url("https://dyn.test/api/v0", ENV)
    );
    assert_eq!(s.jwks_client.base_url, "https://dyn.test/api/v0");
    assert_eq!(
        (s.jwks_client.timeout_ms, s.jwks_client.retry.max_retries),
        (300, 0)
    );
    assert_eq!(
        (s.snag_client.base_url.as_str(), s.snag_client.deadline_ms),
        ("http://127.0.0.1:9", 2000)
    );
    assert_eq!(s.nonce_store_timeout_ms, MAX_NONCE_STORE_TIMEOUT_MS);
    let given = setup(server_options(json!({
        "dynamic": { "environmentId": ENV, "jwksUrl": "https://keys.test/jwks.json/" },
    })))
    .unwrap();
    assert_eq!(given.verifier.jwks_url, "https://keys.test/jwks.json");
}

#[test]
fn every_bad_server_option_is_named() {
    let cases = [
        (json!({ "domain": "example.com/x" }), "domain"),
        (json!({ "domain": "" }), "domain"),
        (json!({ "basePath": "api" }), "basePath"),
        (json!({ "maxAgeSeconds": 0 }), "maxAgeSeconds"),
        (json!({ "maxAgeSeconds": 172_800 }), "maxAgeSeconds"),
        (json!({ "nonceTtlMs": 10 }), "nonceTtlMs"),
        (json!({ "nonceTtlMs": 86_400_001u64 }), "nonceTtlMs"),
        (json!({ "clockSkewSeconds": 86_401 }), "clockSkewSeconds"),
        (json!({ "nonceStoreTimeoutMs": 0 }), "nonceStoreTimeoutMs"),
        (
            json!({ "nonceStoreTimeoutMs": 60_001 }),
            "nonceStoreTimeoutMs",
        ),
        (
            json!({ "dynamic": { "environmentId": "" } }),
            "environmentId",
        ),
        (
            json!({ "dynamic": { "environmentId": ENV, "jwksUrl": "ftp://x" } }),
            "jwksUrl",
        ),
        (
            json!({ "dynamic": { "environmentId": ENV, "baseUrl": "x" } }),
            "baseUrl",
        ),
        (
            json!({ "dynamic": { "environmentId": ENV, "timeoutMs": 0 } }),
            "timeoutMs",
        ),
        (
            json!({ "snag": { "apiKey": "k", "websiteId": "", "organizationId": "o" } }),
            "websiteId",
        ),
        (
            json!({ "snag": { "apiKey": "k", "websiteId": "w", "organizationId": "" } }),
            "organizationId",
        ),
        (
            json!({ "snag": { "apiKey": "k", "websiteId": "w", "organizationId": "o", "maxRetries": 1.5 } }),
            "maxRetries",
        ),
    ];
    for (extra, field) in cases {
        let e = setup(server_options(extra.clone()))
            .err()
            .unwrap_or_else(|| {
                panic!("{extra} was accepted");
            });
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidArgument, Some(field)),
            "{extra}: {}",
            e.message
        );
    }
    let e = setup(server_options(json!({ "nonceStoreTimeoutMs": 0 })))
        .err()
        .unwrap();
    assert_eq!(
        e.message,
        "nonceStoreTimeoutMs must be a whole number from 1 to 60000"
    );
    assert_eq!(e.received.as_deref(), Some("0"));
    // Required members: serde reports them (the options reader names them in the wasm build).
    for missing in ["domain", "dynamic", "snag"] {
        let mut options = server_options(json!({}));
        options.as_object_mut().unwrap().remove(missing);
        assert!(
            serde_json::from_value::<LinkServerOptions>(options).is_err(),
            "{missing}"
        );
    }
    let no_key = json!({ "snag": { "websiteId": "w", "organizationId": "o" } });
    assert!(serde_json::from_value::<LinkServerOptions>(server_options(no_key)).is_err());
}

#[test]
fn verify_dynamic_jwt_options() {
    let dynamic: DynamicJwtOptions = serde_json::from_value(json!({
        "environmentId": ENV, "baseUrl": "https://dyn.test/api/v0", "timeoutMs": 200,
        "clockSkewSeconds": 0, "now": NOW,
    }))
    .unwrap();
    let time: JwtTimeOptions = serde_json::from_value(json!({
        "environmentId": ENV, "clockSkewSeconds": 0, "now": NOW as f64 + 0.5,
    }))
    .unwrap();
    let verifier: JwtVerifier<String> = dynamic.verifier(time.clock_skew_seconds).unwrap();
    assert_eq!(verifier.clock_skew_seconds, 0);
    assert_eq!(
        verifier.jwks_url,
        jwt::jwks_url("https://dyn.test/api/v0", ENV)
    );
    assert_eq!(dynamic.client_options().unwrap().timeout_ms, 200);
    assert_eq!(time.now_ms(), Ok(Some(NOW)));
    assert_eq!(JwtTimeOptions::default().now_ms(), Ok(None));
    assert_eq!(
        dynamic.verifier::<String>(None).unwrap().clock_skew_seconds,
        60
    );
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = JwtTimeOptions {
            now: Some(bad),
            ..JwtTimeOptions::default()
        }
        .now_ms()
        .unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref(), e.message.as_str()),
            (
                ErrorCode::InvalidArgument,
                Some("now"),
                "now must be a finite number"
            )
        );
    }
    let e = dynamic.verifier::<String>(Some(86_401)).err().unwrap();
    assert_eq!(e.field.as_deref(), Some("clockSkewSeconds"));
}

#[test]
fn verifiers_are_cached_by_environment_url_and_skew() {
    let verifier = |env: &str, skew: u32| {
        JwtVerifier::<String>::new(env, jwt::jwks_url("https://dyn.test", env), skew).unwrap()
    };
    let mut cache = VerifierCache::new();
    let first = cache.get_or_insert(verifier("e0", 60));
    assert!(Rc::ptr_eq(&first, &cache.get_or_insert(verifier("e0", 60))));
    assert!(!Rc::ptr_eq(&first, &cache.get_or_insert(verifier("e0", 0))));
    assert_eq!(cache.len(), 2);
    for i in 1..MAX_CACHED_VERIFIERS {
        cache.get_or_insert(verifier(&format!("e{i}"), 60));
    }
    // Full: the oldest (e0 with 60 s) made room, the others stay.
    assert_eq!(cache.len(), MAX_CACHED_VERIFIERS);
    let second = cache.get_or_insert(verifier("e1", 60));
    assert_eq!(cache.len(), MAX_CACHED_VERIFIERS);
    assert!(Rc::ptr_eq(
        &second,
        &cache.get_or_insert(verifier("e1", 60))
    ));
    assert!(!Rc::ptr_eq(
        &first,
        &cache.get_or_insert(verifier("e0", 60))
    ));
}

// ---------------------------------------------------------------------------------------------
// Smart accounts: the proof is signed by the owner's key, the address is the account contract's.

const ACCOUNT: &str = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const RPC_1: &str = "https://rpc.chain-1.test/v1/key";

fn answers(texts: &[&str]) -> Vec<Result<String>> {
    texts.iter().map(|t| Ok((*t).to_owned())).collect()
}

impl Server {
    /// A server with an RPC for chain 1 whose answers are `answers`.
    fn with_rpc(answers: Vec<Result<String>>) -> Self {
        let mut s = Server::new();
        s.config.rpc = vec![(1, RPC_1.to_owned())];
        s.mock.rpc = ScriptedRpc::answering(answers);
        s
    }

    /// A smart account's proof (SIWE on `chain_id`, the owner's signature) with a fresh nonce.
    fn account_proof(&self, wallet_type: &str, chain_id: u64) -> Value {
        let owner = evm_wallet(0x21);
        let fields = SiweMessage {
            address: ACCOUNT.into(),
            chain_id,
            ..owner.siwe(&self.mock.issue(), NOW)
        };
        let message = create_siwe_message(&fields).unwrap();
        json!({
            "walletType": wallet_type,
            "walletAddress": ACCOUNT,
            "signature": owner.sign(&message),
            "message": message,
        })
    }
}

#[test]
fn a_smart_account_is_accepted_only_after_its_contract_on_the_configured_chain() {
    let s = Server::with_rpc(answers(&["0x1", "0x01"]));
    let response = s.connect(&token(), &s.account_proof("evm", 1));
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(s.mock.rpc.methods(), ["eth_chainId", "eth_call"]);
    assert_eq!(s.mock.rpc_urls.borrow().as_slice(), [RPC_1, RPC_1]);
    assert_eq!(s.mock.snag_calls.borrow()[0]["walletAddress"], ACCOUNT);
    assert_eq!(s.mock.consumed.borrow().len(), 1);
}

#[test]
fn a_smart_account_refused_by_its_contract_or_unchecked_goes_nowhere() {
    // The contract says no.
    let s = Server::with_rpc(answers(&["0x1", "0x00"]));
    let response = s.connect(&token(), &s.account_proof("evm", 1));
    s.refused(&response, 422, ErrorCode::SignatureMismatch);
    assert!(s.mock.consumed.borrow().is_empty(), "the nonce survives");

    // No RPC for the message's chain: the local refusal stands, and no RPC is called.
    let s = Server::with_rpc(vec![]);
    let response = s.connect(&token(), &s.account_proof("evm", 8453));
    s.refused(&response, 422, ErrorCode::SignatureMismatch);
    assert!(s.mock.rpc.methods().is_empty());

    // The chain-1 URL serves another chain.
    let s = Server::with_rpc(answers(&["0x2105"]));
    let response = s.connect(&token(), &s.account_proof("evm", 1));
    s.refused(&response, 422, ErrorCode::ChainIdMismatch);

    // The RPC cannot answer: neither accepted nor refused (503), nothing consumed.
    for failure in [ErrorCode::RpcError, ErrorCode::Timeout, ErrorCode::Network] {
        let s = Server::with_rpc(vec![Ok("0x1".into()), Err(Error::new(failure, "down"))]);
        let response = s.connect(&token(), &s.account_proof("evm", 1));
        s.refused(&response, 503, failure);
        assert!(s.mock.consumed.borrow().is_empty());
    }
}

#[test]
fn a_key_signature_never_calls_the_rpc() {
    let s = Server::with_rpc(vec![]);
    let wallet = evm_wallet(0x22);
    let body = wallet.proof(&wallet.siwe(&s.mock.issue(), NOW));
    assert_eq!(s.connect(&token(), &body).status, 200);
    assert!(s.mock.rpc.methods().is_empty());
}

#[test]
fn imx_proofs_name_an_immutable_zkevm_chain() {
    for chain in [13371, 13473] {
        let mut s = Server::with_rpc(answers(&[]));
        s.config.rpc = vec![(chain, RPC_1.to_owned())];
        s.mock.rpc = ScriptedRpc::answering(answers(&[&format!("0x{chain:x}"), "0x01"]));
        let response = s.connect(&token(), &s.account_proof("imx", chain));
        assert_eq!(response.status, 200, "{}", response.body);
        assert_eq!(s.mock.snag_calls.borrow()[0]["walletType"], "imx");
    }
    let s = Server::with_rpc(answers(&["0x1", "0x01"]));
    let response = s.connect(&token(), &s.account_proof("imx", 1));
    s.refused(&response, 422, ErrorCode::ChainIdMismatch);
    assert!(s.mock.rpc.methods().is_empty());
}

#[test]
fn rpc_options_are_checked() {
    use wallet_linker::server::LinkServerOptions;
    let options = |rpc: Value| -> Result<()> {
        let options: LinkServerOptions = serde_json::from_value(json!({
            "domain": DOMAIN,
            "dynamic": { "environmentId": ENV },
            "snag": { "apiKey": "k", "websiteId": "w", "organizationId": "o" },
            "rpc": rpc,
        }))
        .unwrap();
        options.validate::<String>().map(|setup| {
            assert!(setup.config.rpc.iter().all(|(id, _)| *id > 0));
        })
    };
    assert!(options(json!({ "1": RPC_1, "8453": "http://127.0.0.1:8545" })).is_ok());
    for (rpc, field) in [
        (json!({ "mainnet": RPC_1 }), "rpc"),
        (json!({ "0": RPC_1 }), "rpc"),
        (json!({ "+1": RPC_1 }), "rpc"),
        (json!({ "1": "ws://x" }), "rpc.1"),
    ] {
        let error = options(rpc.clone()).unwrap_err();
        assert_eq!(
            (error.code, error.field.as_deref()),
            (ErrorCode::InvalidArgument, Some(field)),
            "{rpc}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sui: Dynamic's template for SUI, signed with `sui:signPersonalMessage`.

fn sui_proof(seed: u8, nonce: &str, issued_at: i64, domain: &str) -> Value {
    let (address, sign) = common::sui_key(seed);
    let message = create_dynamic_sign_in_message(&DynamicSignInParams {
        chain: "SUI".into(),
        domain: Some(domain.into()),
        address: address.clone(),
        uri: Some(format!("https://{DOMAIN}/")),
        app_name: Some("Example".into()),
        nonce: nonce.into(),
        issued_at: Some(format_rfc3339_ms(issued_at)),
        environment_id: ENV.into(),
        ..DynamicSignInParams::default()
    })
    .unwrap();
    json!({
        "walletType": "sui",
        "walletAddress": address,
        "signature": sign(message.as_bytes()),
        "message": message,
    })
}

#[test]
fn a_sui_proof_reaches_snag_once() {
    let s = Server::new();
    let nonce = s.mock.issue();
    let body = sui_proof(0x31, &nonce, NOW - 5_000, DOMAIN);
    let response = s.connect(&token(), &body);
    assert_eq!(response.status, 200, "{}", response.body);
    let call = s.mock.snag_calls.borrow_mut().remove(0);
    assert_eq!(call["walletType"], "sui");
    assert_eq!(call["walletAddress"], body["walletAddress"]);
    // The same proof again: its nonce is spent.
    let again = s.connect(&token(), &body);
    s.refused(&again, 409, ErrorCode::NonceUnknown);
}

#[test]
fn sui_proofs_break_no_rule() {
    let s = Server::new();
    let forged = {
        let mut body = sui_proof(0x31, &s.mock.issue(), NOW, DOMAIN);
        body["signature"] = sui_proof(0x32, "nonce99999999", NOW, DOMAIN)["signature"].clone();
        body
    };
    let mut another_address = sui_proof(0x31, &s.mock.issue(), NOW, DOMAIN);
    another_address["walletAddress"] = json!(common::sui_key(0x32).0);
    for (body, code) in [
        (forged, ErrorCode::SignatureMismatch),
        (
            sui_proof(0x31, &s.mock.issue(), NOW, "evil.example"),
            ErrorCode::DomainMismatch,
        ),
        (
            sui_proof(0x31, &s.mock.issue(), NOW - 301_000, DOMAIN),
            ErrorCode::Expired,
        ),
        (another_address, ErrorCode::AddressMismatch),
    ] {
        let response = s.connect(&token(), &body);
        s.refused(&response, 422, code);
    }
    assert!(s.mock.consumed.borrow().is_empty(), "no nonce was spent");
}

// ---------------------------------------------------------------------------------------------
// TON: a TON Connect proof whose payload is this server's nonce (tests/vectors/ton_proof.json's
// wallets, made by @ton/ton; the proof signed here with the wallet's seed).

struct TonWallet {
    key: EdSigningKey,
    raw: String,
    public_key: String,
    state_init: String,
}

fn ton_wallet() -> TonWallet {
    let path = format!(
        "{}/tests/vectors/ton_proof.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let wallet = vectors["wallets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["version"] == "v4r2" && w["codeIsLibrary"] == false)
        .unwrap();
    let seed: [u8; 32] = base16ct::mixed::decode_vec(wallet["seed"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    TonWallet {
        key: EdSigningKey::from_bytes(&seed),
        raw: wallet["raw"].as_str().unwrap().to_owned(),
        public_key: wallet["publicKey"].as_str().unwrap().to_owned(),
        state_init: wallet["stateInit"].as_str().unwrap().to_owned(),
    }
}

impl TonWallet {
    fn proof(&self, domain: &str, payload: &str, timestamp_ms: i64) -> Value {
        use base64ct::{Base64, Encoding};
        use wallet_linker::ton::{TonAddress, ton_proof_digest, ton_proof_message};
        let address = TonAddress::parse(&self.raw).unwrap();
        let seconds = (timestamp_ms / 1000) as u64;
        let digest = ton_proof_digest(&ton_proof_message(&address, domain, seconds, payload));
        json!({
            "walletType": "ton",
            "walletAddress": self.raw,
            "tonVerification": {
                "proof": {
                    "timestamp": seconds,
                    "domain": { "lengthBytes": domain.len(), "value": domain },
                    "payload": payload,
                    "signature": Base64::encode_string(&self.key.sign(&digest).to_bytes()),
                },
                "account": {
                    "address": self.raw,
                    "chain": "-239",
                    "publicKey": self.public_key,
                    "walletStateInit": self.state_init,
                },
            },
        })
    }
}

#[test]
fn a_ton_proof_with_the_servers_nonce_reaches_snag_once() {
    let s = Server::new();
    let wallet = ton_wallet();
    let nonce = s.mock.issue();
    let body = wallet.proof(DOMAIN, &nonce, NOW - 5_000);
    let response = s.connect(&token(), &body);
    assert_eq!(response.status, 200, "{}", response.body);
    let call = s.mock.snag_calls.borrow_mut().remove(0);
    assert_eq!(call["walletType"], "ton");
    assert_eq!(call["walletAddress"], wallet.raw);
    // Snag gets the proof and the account exactly as the wallet gave them.
    assert_eq!(
        call["verificationData"]["tonVerification"],
        body["tonVerification"]
    );
    assert_eq!(s.mock.consumed.borrow().as_slice(), [nonce]);
    let again = s.connect(&token(), &body);
    s.refused(&again, 409, ErrorCode::NonceUnknown);
}

#[test]
fn ton_proofs_break_no_rule() {
    let s = Server::new();
    let wallet = ton_wallet();
    let mut forged = wallet.proof(DOMAIN, &s.mock.issue(), NOW);
    forged["tonVerification"]["proof"]["signature"] =
        wallet.proof(DOMAIN, "other-payload", NOW)["tonVerification"]["proof"]["signature"].clone();
    let mut other_address = wallet.proof(DOMAIN, &s.mock.issue(), NOW);
    other_address["walletAddress"] = json!(format!("0:{}", "11".repeat(32)));
    for (body, status, code) in [
        (forged, 422, ErrorCode::SignatureMismatch),
        (
            wallet.proof("evil.example", &s.mock.issue(), NOW),
            422,
            ErrorCode::DomainMismatch,
        ),
        (
            wallet.proof(DOMAIN, &s.mock.issue(), NOW - 301_000),
            422,
            ErrorCode::Expired,
        ),
        (other_address, 422, ErrorCode::AddressMismatch),
        (
            json!({ "walletType": "ton", "walletAddress": wallet.raw }),
            400,
            ErrorCode::MissingField,
        ),
    ] {
        let response = s.connect(&token(), &body);
        s.refused(&response, status, code);
    }
    assert!(s.mock.consumed.borrow().is_empty(), "no nonce was spent");
    // A payload this server never issued: refused when the nonce is consumed.
    let unissued = wallet.proof(DOMAIN, "neverIssued12345678901", NOW);
    s.refused(
        &s.connect(&token(), &unissued),
        409,
        ErrorCode::NonceUnknown,
    );
}
