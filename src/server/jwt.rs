//! Dynamic's JWTs, checked on the backend: RS256 only, keys from the environment's JWKS.
//!
//! The RSA arithmetic is the platform's (WebCrypto in every JavaScript runtime), reached through
//! [`JwtPlatform`]; everything that decides is here: the token's shape, the refused algorithms,
//! which key of the JWKS is used and when the JWKS is fetched again, and the claims.
//!
//! Order of checks: size and shape → header (`alg` must be `RS256`) → key by `kid` (the JWKS is
//! fetched when none is cached, when it is older than [`JWKS_MAX_AGE_MS`], and at most once per
//! [`JWKS_REFETCH_INTERVAL_MS`] for an unknown `kid`; verifications that need it while a fetch is
//! under way wait for that one fetch) → signature → claims (`exp`, `nbf`,
//! `environment_id`, `iss`, `sub`). Every refusal is `UNAUTHENTICATED` with `field` naming the
//! check; a JWKS that cannot be fetched is the client's error (`NETWORK`, `TIMEOUT`, `HTTP_ERROR`,
//! `INVALID_RESPONSE`), never a refusal of the token and never an acceptance.

use core::cell::RefCell;
use core::future::Future;
use core::task::{Poll, Waker};
use std::rc::Rc;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde::Deserialize;

use crate::api::client::validate_base_url;
use crate::api::{ClientOptions, JsonCodec, JsonKind};
use crate::error::{Error, ErrorCode, Result};
use crate::signin::DEFAULT_CLOCK_SKEW_SECONDS;

/// Longest token accepted (Dynamic's JWTs with many credentials stay far below).
pub const MAX_TOKEN_CHARS: usize = 16 * 1024;
/// An unknown `kid` refetches the JWKS at most this often (a forged `kid` cannot make us hammer
/// the JWKS endpoint).
pub const JWKS_REFETCH_INTERVAL_MS: i64 = 30_000;
/// A cached JWKS is fetched again after this long, so a key removed from it stops working.
pub const JWKS_MAX_AGE_MS: i64 = 10 * 60_000;
/// Smallest RSA modulus accepted from a JWKS, in bytes (2048 bits).
const MIN_MODULUS_BYTES: usize = 256;
/// Most keys read from one JWKS.
const MAX_JWKS_KEYS: usize = 32;
/// Dynamic's API root, under which each environment publishes its JWKS.
pub const DEFAULT_DYNAMIC_API: &str = crate::api::DEFAULT_DYNAMIC_BASE_URL;

fn refuse(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::Unauthenticated, message).with_field(field)
}

/// `{base_url}/sdk/{environment_id}/.well-known/jwks.json`.
pub fn jwks_url(base_url: &str, environment_id: &str) -> String {
    format!(
        "{}/sdk/{}/.well-known/jwks.json",
        base_url.trim_end_matches('/'),
        crate::api::client::encode_path_segment(environment_id)
    )
}

crate::api::client::with_client_options! {
    /// The Dynamic environment whose JWTs are verified, as a caller gives it: `createLinkServer`'s
    /// `dynamic`, and `verifyDynamicJwt`'s options (with [`JwtTimeOptions`], read from the same
    /// object). The JWKS request takes the options every client takes (`baseUrl`, `timeoutMs`, ...).
    #[derive(Clone, Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DynamicJwtOptions {
        pub environment_id: String,
        /// Default [`jwks_url`] of the API root and the environment.
        pub jwks_url: Option<String>,
    }
}

impl DynamicJwtOptions {
    /// The options of the JWKS request; the API root defaults to [`DEFAULT_DYNAMIC_API`].
    pub fn client_options(&self) -> Result<ClientOptions> {
        self.client_options_or(DEFAULT_DYNAMIC_API)
    }

    /// A verifier for the environment: `jwksUrl` checked like a base URL (an error names
    /// `jwksUrl`), `clock_skew_seconds` by default [`DEFAULT_CLOCK_SKEW_SECONDS`] and at most a day.
    pub fn verifier<K: Clone>(&self, clock_skew_seconds: Option<u32>) -> Result<JwtVerifier<K>> {
        let client = self.client_options()?;
        let url = match &self.jwks_url {
            Some(url) => validate_base_url(url).map_err(|e| e.with_field("jwksUrl"))?,
            None => jwks_url(&client.base_url, &self.environment_id),
        };
        JwtVerifier::new(
            &self.environment_id,
            url,
            clock_skew_seconds.unwrap_or(DEFAULT_CLOCK_SKEW_SECONDS),
        )
    }
}

/// The members of `verifyDynamicJwt`'s options besides the environment's ([`DynamicJwtOptions`]).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtTimeOptions {
    /// Default [`DEFAULT_CLOCK_SKEW_SECONDS`].
    pub clock_skew_seconds: Option<u32>,
    /// The current time in epoch milliseconds (tests); default the runtime's clock.
    pub now: Option<f64>,
}

impl JwtTimeOptions {
    /// `now` in whole milliseconds, when given: it must be a finite number.
    pub fn now_ms(&self) -> Result<Option<i64>> {
        match self.now {
            Some(ms) if ms.is_finite() => Ok(Some(ms as i64)),
            Some(_) => Err(
                Error::new(ErrorCode::InvalidArgument, "now must be a finite number")
                    .with_field("now"),
            ),
            None => Ok(None),
        }
    }
}

/// Most verifiers a [`VerifierCache`] keeps.
pub const MAX_CACHED_VERIFIERS: usize = 16;

/// Verifiers kept between calls, each with its cached JWKS (`verifyDynamicJwt` is a function: its
/// verifiers outlive a call here), one per environment, JWKS URL and clock skew; past
/// [`MAX_CACHED_VERIFIERS`], the oldest is dropped.
pub struct VerifierCache<K> {
    entries: Vec<(String, Rc<JwtVerifier<K>>)>,
}

impl<K> Default for VerifierCache<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K> VerifierCache<K> {
    pub const fn new() -> Self {
        VerifierCache {
            entries: Vec::new(),
        }
    }

    /// The cached verifier with `fresh`'s settings, or `fresh`, cached from now on.
    pub fn get_or_insert(&mut self, fresh: JwtVerifier<K>) -> Rc<JwtVerifier<K>> {
        let key = format!(
            "{}\n{}\n{}",
            fresh.environment_id, fresh.jwks_url, fresh.clock_skew_seconds
        );
        if let Some((_, cached)) = self.entries.iter().find(|(k, _)| *k == key) {
            return cached.clone();
        }
        if self.entries.len() >= MAX_CACHED_VERIFIERS {
            self.entries.remove(0);
        }
        let verifier = Rc::new(fresh);
        self.entries.push((key, verifier.clone()));
        verifier
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A compact JWS split and decoded, not yet trusted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtParts {
    /// The header's JSON text.
    pub header: String,
    /// The payload's JSON text.
    pub payload: String,
    /// `base64url(header) "." base64url(payload)`: the bytes the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// Splits `header.payload.signature`, each part strict unpadded base64url, header and payload
/// UTF-8. A `Bearer ` prefix is not accepted here (see [`bearer_token`]).
pub fn split_jwt(token: &str) -> Result<JwtParts> {
    if token.is_empty() {
        return Err(refuse("token", "no token was given"));
    }
    if token.len() > MAX_TOKEN_CHARS {
        return Err(refuse(
            "token",
            format!("the token is longer than {MAX_TOKEN_CHARS} characters"),
        ));
    }
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(refuse(
            "token",
            "a JWT is three base64url parts separated by dots",
        ));
    };
    let decode = |part: &str, what: &str| {
        Base64UrlUnpadded::decode_vec(part)
            .map_err(|_| refuse("token", format!("the token's {what} is not base64url")))
    };
    let text = |bytes: Vec<u8>, what: &str| {
        String::from_utf8(bytes)
            .map_err(|_| refuse("token", format!("the token's {what} is not UTF-8")))
    };
    Ok(JwtParts {
        header: text(decode(header, "header")?, "header")?,
        payload: text(decode(payload, "payload")?, "payload")?,
        signing_input: token[..header.len() + 1 + payload.len()].to_owned(),
        signature: decode(signature, "signature")?,
    })
}

/// The token of an `Authorization: Bearer <token>` header value.
pub fn bearer_token(authorization: Option<&str>) -> Result<&str> {
    let value = authorization.ok_or_else(|| {
        refuse(
            "authorization",
            "no Authorization header: send the user's Dynamic JWT as `Bearer <token>`",
        )
    })?;
    let (scheme, token) = value.trim().split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(refuse(
            "authorization",
            "the Authorization header is not `Bearer <token>`",
        ));
    }
    Ok(token.trim())
}

/// What the header allows: the key id, once `alg` is known to be `RS256`.
pub fn read_header<C: JsonCodec>(codec: &C, header: &str) -> Result<Option<String>> {
    let value = codec
        .parse(header)
        .map_err(|_| refuse("token", "the token's header is not JSON"))?;
    if codec.kind(&value) != JsonKind::Object {
        return Err(refuse("token", "the token's header is not a JSON object"));
    }
    let alg = codec
        .member(&value, "alg")
        .and_then(|a| codec.as_string(&a));
    if alg.as_deref() != Some("RS256") {
        // `none`, HS256 (keyed with the public key by an attacker) and every other algorithm.
        let received = alg.unwrap_or_else(|| "(absent)".to_owned());
        return Err(
            refuse("alg", "only RS256 tokens are accepted").with_received(received.as_str())
        );
    }
    if codec.member(&value, "crit").is_some() {
        return Err(refuse(
            "crit",
            "the token has critical header parameters this verifier does not know",
        ));
    }
    match codec.member(&value, "kid") {
        None => Ok(None),
        Some(kid) => codec
            .as_string(&kid)
            .map(Some)
            .ok_or_else(|| refuse("kid", "the token's kid is not a string")),
    }
}

/// One usable key of a JWKS: its `kid` and the JWK object as the platform holds it.
pub struct Jwk<Raw> {
    pub kid: Option<String>,
    pub jwk: Raw,
}

/// The RS256 signing keys of a JWKS document: `kty` `RSA`, `use` absent or `sig`, `alg` absent or
/// `RS256`, a modulus of at least 2048 bits. Other keys are skipped; a document that is not a
/// JWKS is `INVALID_RESPONSE`.
pub fn read_jwks<C: JsonCodec>(codec: &C, document: &C::Raw) -> Result<Vec<Jwk<C::Raw>>> {
    let keys = codec
        .member(document, "keys")
        .filter(|k| codec.kind(k) == JsonKind::Array)
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidResponse,
                "the JWKS is not an object with a keys array",
            )
        })?;
    let text =
        |value: &C::Raw, key: &str| codec.member(value, key).and_then(|v| codec.as_string(&v));
    let mut usable = Vec::new();
    for index in 0..MAX_JWKS_KEYS {
        let Some(jwk) = codec.element(&keys, index) else {
            break;
        };
        let modulus_bytes = text(&jwk, "n")
            .and_then(|n| Base64UrlUnpadded::decode_vec(&n).ok())
            .map(|n| n.iter().skip_while(|&&b| b == 0).count());
        let fits = text(&jwk, "kty").as_deref() == Some("RSA")
            && text(&jwk, "use").is_none_or(|u| u == "sig")
            && text(&jwk, "alg").is_none_or(|a| a == "RS256")
            && text(&jwk, "e").is_some()
            && modulus_bytes.is_some_and(|n| n >= MIN_MODULUS_BYTES);
        if fits {
            usable.push(Jwk {
                kid: text(&jwk, "kid"),
                jwk,
            });
        }
    }
    Ok(usable)
}

/// The verified identity a Dynamic JWT carries.
#[derive(Clone, Debug, PartialEq)]
pub struct DynamicJwtUser<Raw> {
    /// `sub`: Dynamic's user id.
    pub user_id: String,
    pub environment_id: String,
    pub issuer: String,
    /// `exp`, epoch seconds.
    pub expires_at: i64,
    /// `verified_credentials` when present (an array).
    pub verified_credentials: Option<Raw>,
    /// The whole payload.
    pub claims: Raw,
}

/// Checks the payload of a token whose signature verified: `exp` (required), `nbf` (if present),
/// `environment_id`, `iss` ending in `/{environment_id}`, and `sub`.
pub fn check_claims<C: JsonCodec>(
    codec: &C,
    payload: &str,
    environment_id: &str,
    now_ms: i64,
    skew_seconds: u32,
) -> Result<DynamicJwtUser<C::Raw>> {
    let claims = codec
        .parse(payload)
        .map_err(|_| refuse("token", "the token's payload is not JSON"))?;
    if codec.kind(&claims) != JsonKind::Object {
        return Err(refuse("token", "the token's payload is not a JSON object"));
    }
    let now = now_ms.div_euclid(1000);
    let skew = i64::from(skew_seconds);
    let number = |key: &str| {
        codec.member(&claims, key).map(|v| {
            codec
                .as_number(&v)
                .filter(|n| n.is_finite())
                .map(|n| n as i64)
        })
    };
    let text = |key: &str| codec.member(&claims, key).and_then(|v| codec.as_string(&v));
    let expires_at = match number("exp") {
        Some(Some(exp)) => exp,
        _ => return Err(refuse("exp", "the token has no numeric exp claim")),
    };
    if now >= expires_at.saturating_add(skew) {
        return Err(refuse("exp", "the token has expired")
            .with_expected(format!("exp after {now} (-{skew} s skew)"))
            .with_received(expires_at.to_string()));
    }
    match number("nbf") {
        None => {}
        Some(Some(nbf)) if nbf <= now.saturating_add(skew) => {}
        Some(_) => return Err(refuse("nbf", "the token is not valid yet")),
    }
    let token_environment = text("environment_id").unwrap_or_default();
    if token_environment != environment_id {
        return Err(refuse(
            "environment_id",
            "the token belongs to another Dynamic environment",
        )
        .with_expected(environment_id)
        .with_received(token_environment.as_str()));
    }
    let issuer = text("iss").unwrap_or_default();
    let suffix_ok = issuer
        .strip_suffix(environment_id)
        .is_some_and(|head| head.ends_with('/'));
    if !suffix_ok {
        return Err(
            refuse("iss", "the token's issuer is not this Dynamic environment")
                .with_expected(format!(".../{environment_id}"))
                .with_received(issuer.as_str()),
        );
    }
    let user_id = text("sub")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| refuse("sub", "the token names no user (sub)"))?;
    let verified_credentials = codec
        .member(&claims, "verified_credentials")
        .filter(|v| codec.kind(v) == JsonKind::Array);
    Ok(DynamicJwtUser {
        user_id,
        environment_id: token_environment,
        issuer,
        expires_at,
        verified_credentials,
        claims,
    })
}

/// RSA and the JWKS as the platform provides them.
#[allow(async_fn_in_trait)]
pub trait JwtPlatform {
    type Json: JsonCodec;
    /// A public key ready for verification (WebCrypto's `CryptoKey`).
    type Key: Clone;
    fn json(&self) -> &Self::Json;
    /// GETs the JWKS document (bounded, with a timeout); a failure is a coded error.
    async fn fetch_jwks(&self, url: &str) -> Result<<Self::Json as JsonCodec>::Raw>;
    /// Imports one JWK from [`read_jwks`] as an RS256 verification key.
    async fn import_key(&self, jwk: &<Self::Json as JsonCodec>::Raw) -> Result<Self::Key>;
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    async fn verify_rs256(&self, key: &Self::Key, data: &[u8], signature: &[u8]) -> Result<bool>;
}

struct CachedKeys<K> {
    keys: Vec<(Option<String>, K)>,
    fetched_at: Option<i64>,
    last_attempt: Option<i64>,
    /// The fetch in progress: concurrent verifications wait for it instead of fetching too.
    inflight: Option<Rc<Inflight>>,
}

/// The outcome of one JWKS fetch, awaited by every verification that needs it.
#[derive(Default)]
struct Inflight {
    outcome: RefCell<Option<Result<()>>>,
    waiters: RefCell<Vec<Waker>>,
}

impl Inflight {
    fn finish(&self, outcome: Result<()>) {
        *self.outcome.borrow_mut() = Some(outcome);
        for waker in self.waiters.borrow_mut().drain(..) {
            waker.wake();
        }
    }

    fn wait(self: Rc<Self>) -> impl Future<Output = Result<()>> {
        core::future::poll_fn(move |context| match self.outcome.borrow().as_ref() {
            Some(outcome) => Poll::Ready(outcome.clone()),
            None => {
                self.waiters.borrow_mut().push(context.waker().clone());
                Poll::Pending
            }
        })
    }
}

/// What a verification does about its key.
enum KeyStep<K> {
    Found(K),
    Wait(Rc<Inflight>),
    Fetch,
    Refuse,
}

/// Verifies one environment's tokens, with its JWKS cached between calls.
pub struct JwtVerifier<K> {
    pub environment_id: String,
    pub jwks_url: String,
    pub clock_skew_seconds: u32,
    cache: RefCell<CachedKeys<K>>,
}

impl<K: Clone> JwtVerifier<K> {
    pub fn new(environment_id: &str, jwks_url: String, clock_skew_seconds: u32) -> Result<Self> {
        if environment_id.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "environmentId is required to verify Dynamic JWTs",
            )
            .with_field("environmentId"));
        }
        crate::signin::check_clock_skew(clock_skew_seconds)?;
        Ok(JwtVerifier {
            environment_id: environment_id.to_owned(),
            jwks_url,
            clock_skew_seconds,
            cache: RefCell::new(CachedKeys {
                keys: Vec::new(),
                fetched_at: None,
                last_attempt: None,
                inflight: None,
            }),
        })
    }

    /// The user of a valid token; see the module documentation for the checks.
    pub async fn verify<P>(
        &self,
        platform: &P,
        token: &str,
        now_ms: i64,
    ) -> Result<DynamicJwtUser<<P::Json as JsonCodec>::Raw>>
    where
        P: JwtPlatform<Key = K>,
    {
        let parts = split_jwt(token)?;
        let kid = read_header(platform.json(), &parts.header)?;
        let key = self.key_for(platform, kid.as_deref(), now_ms).await?;
        if !platform
            .verify_rs256(&key, parts.signing_input.as_bytes(), &parts.signature)
            .await?
        {
            return Err(refuse(
                "signature",
                "the token's signature does not verify with the environment's key",
            ));
        }
        check_claims(
            platform.json(),
            &parts.payload,
            &self.environment_id,
            now_ms,
            self.clock_skew_seconds,
        )
    }

    async fn key_for<P: JwtPlatform<Key = K>>(
        &self,
        platform: &P,
        kid: Option<&str>,
        now: i64,
    ) -> Result<K> {
        let step = {
            let cache = self.cache.borrow();
            let stale = cache
                .fetched_at
                .is_none_or(|at| now.saturating_sub(at) >= JWKS_MAX_AGE_MS);
            let may_refetch = cache
                .last_attempt
                .is_none_or(|at| now.saturating_sub(at) >= JWKS_REFETCH_INTERVAL_MS);
            match (pick(&cache.keys, kid), &cache.inflight) {
                (Some(key), _) if !stale => KeyStep::Found(key),
                (_, Some(inflight)) => KeyStep::Wait(inflight.clone()),
                _ if stale || may_refetch => KeyStep::Fetch,
                _ => KeyStep::Refuse,
            }
        };
        match step {
            KeyStep::Found(key) => return Ok(key),
            KeyStep::Wait(inflight) => inflight.wait().await?,
            KeyStep::Fetch => {
                let inflight = Rc::new(Inflight::default());
                {
                    let mut cache = self.cache.borrow_mut();
                    cache.last_attempt = Some(now);
                    cache.inflight = Some(inflight.clone());
                }
                let outcome = self.fetch_keys(platform, now).await;
                self.cache.borrow_mut().inflight = None;
                inflight.finish(outcome.clone());
                outcome?;
            }
            KeyStep::Refuse => {}
        }
        pick(&self.cache.borrow().keys, kid).ok_or_else(|| {
            refuse(
                "kid",
                "the environment's JWKS has no RS256 key for this token's kid",
            )
            .with_received(kid.unwrap_or("(absent)"))
        })
    }

    async fn fetch_keys<P: JwtPlatform<Key = K>>(&self, platform: &P, now: i64) -> Result<()> {
        let document = platform.fetch_jwks(&self.jwks_url).await?;
        let mut keys = Vec::new();
        for jwk in read_jwks(platform.json(), &document)? {
            // A key the platform cannot import is skipped, not fatal to its neighbours.
            if let Ok(key) = platform.import_key(&jwk.jwk).await {
                keys.push((jwk.kid, key));
            }
        }
        let mut cache = self.cache.borrow_mut();
        cache.keys = keys;
        cache.fetched_at = Some(now);
        Ok(())
    }
}

/// The key named `kid`; without a `kid`, the only key.
fn pick<K: Clone>(keys: &[(Option<String>, K)], kid: Option<&str>) -> Option<K> {
    match kid {
        Some(kid) => keys
            .iter()
            .find(|(id, _)| id.as_deref() == Some(kid))
            .map(|(_, k)| k.clone()),
        None => match keys {
            [(_, key)] => Some(key.clone()),
            _ => None,
        },
    }
}
