//! The link server and `verifyDynamicJwt` over the runtime's objects: the caller's nonce store and
//! hooks, and a runtime object with WebCrypto and timers, reached through [`HostValue`]; HTTP
//! through a [`Transport`] and JSON through a [`JsonCodec`] whose documents are host values.
//!
//! The runtime object's members used here (`runtime` in `src/wasm/js/boundary.js`):
//! `importRsaKey(jwk)` (a key, or `undefined` for a JWK that does not import),
//! `verifyRs256(key, data, signature)` and `withTimeout(value, ms, marker)` (rejects with `marker`
//! when `value` has not settled after `ms`).

use super::jwt::{
    DynamicJwtOptions, DynamicJwtUser, JwtPlatform, JwtTimeOptions, JwtVerifier, VerifierCache,
};
use super::{
    DEFAULT_NONCE_STORE_TIMEOUT_MS, LinkPlatform, LinkRequest, LinkResponse, LinkServerConfig,
    LinkServerOptions, LinkServerSetup,
};
use crate::api::client::{Call, ClientOptions, execute};
use crate::api::json_rpc::DEFAULT_RPC_TIMEOUT_MS;
use crate::api::{JsonCodec, JsonRpcClient, Method, SecretPlacement, SnagClient, Transport};
use crate::error::{Error, ErrorCode, Result};
use crate::evm::EvmRpc;
use crate::host::{self, HostValue};

/// What a timed-out store call rejects with (never a value a store could throw).
const STORE_TIMEOUT: &str = "wallet-linker: nonce store timeout";

/// Where the time comes from.
enum Clock<V> {
    /// The transport's (the runtime's) clock.
    System,
    Fixed(i64),
    /// The caller's `now()` hook (a number that is not finite falls back to the runtime's).
    Hook(V),
}

/// The runtime's I/O for the core's server ([`LinkPlatform`]).
pub struct HostPlatform<V, T, J> {
    runtime: V,
    store: V,
    user_hook: Option<V>,
    snag: Option<SnagClient<T, J>>,
    clock: Clock<V>,
    jwks_options: ClientOptions,
    store_timeout_ms: u64,
    transport: T,
    json: J,
}

impl<V, T, J> HostPlatform<V, T, J>
where
    V: HostValue,
    T: Transport + Clone,
    J: JsonCodec<Raw = V> + Clone,
{
    fn runtime_failure(&self, thrown: V) -> Error {
        host::thrown_error(&thrown, ErrorCode::Internal)
    }

    /// `store[method](argument)`, awaited for at most `store_timeout_ms`: a store that hangs (a
    /// Redis client queueing commands while disconnected) is a `NONCE_STORE` failure, not a wait.
    async fn store_call(&self, method: &str, argument: V) -> Result<V> {
        let failed = |thrown: V| host::thrown_error(&thrown, ErrorCode::NonceStore);
        if !self.store.has_method(method) {
            return Err(Error::new(
                ErrorCode::NonceStore,
                format!("the nonce store has no {method}()"),
            ));
        }
        let started = self
            .store
            .call_method(method, &[argument])
            .map_err(failed)?;
        let limit = V::from_f64(self.store_timeout_ms as f64);
        let marker = V::from_str(STORE_TIMEOUT);
        let outcome = self
            .runtime
            .ask("withTimeout", &[started, limit, marker])
            .await;
        outcome.map_err(|thrown| match thrown.text().as_deref() {
            Some(STORE_TIMEOUT) => Error::new(
                ErrorCode::NonceStore,
                format!(
                    "the nonce store's {method}() did not answer within {} ms",
                    self.store_timeout_ms
                ),
            ),
            _ => failed(thrown),
        })
    }
}

impl<V, T, J> JwtPlatform for HostPlatform<V, T, J>
where
    V: HostValue,
    T: Transport + Clone,
    J: JsonCodec<Raw = V> + Clone,
{
    type Json = J;
    type Key = V;

    fn json(&self) -> &J {
        &self.json
    }

    async fn fetch_jwks(&self, url: &str) -> Result<V> {
        let call = Call::new(
            ("Dynamic", "jwks"),
            &self.jwks_options,
            Method::Get,
            url.to_owned(),
            None,
            None,
            &[],
        );
        Ok(execute(&self.transport, &self.json, &call).await?.value)
    }

    async fn import_key(&self, jwk: &V) -> Result<V> {
        let key = self
            .runtime
            .ask("importRsaKey", std::slice::from_ref(jwk))
            .await;
        let key = key.map_err(|thrown| self.runtime_failure(thrown))?;
        match key.is_nullish() {
            true => Err(Error::new(
                ErrorCode::InvalidResponse,
                "a JWKS key does not import",
            )),
            false => Ok(key),
        }
    }

    async fn verify_rs256(&self, key: &V, data: &[u8], signature: &[u8]) -> Result<bool> {
        let args = [key.clone(), V::from_bytes(data), V::from_bytes(signature)];
        let valid = self.runtime.ask("verifyRs256", &args).await;
        let valid = valid.map_err(|thrown| self.runtime_failure(thrown))?;
        Ok(valid.boolean() == Some(true))
    }
}

impl<V, T, J> LinkPlatform for HostPlatform<V, T, J>
where
    V: HostValue,
    T: Transport + Clone,
    J: JsonCodec<Raw = V> + Clone,
{
    fn now_ms(&self) -> i64 {
        match &self.clock {
            Clock::Fixed(ms) => *ms,
            Clock::Hook(hook) => {
                let given = hook.call(&[]).ok().and_then(|v| v.number());
                match given.filter(|ms| ms.is_finite()) {
                    Some(ms) => ms as i64,
                    None => self.transport.now_ms(),
                }
            }
            Clock::System => self.transport.now_ms(),
        }
    }

    async fn issue_nonce(&self, ttl_ms: u64) -> Result<String> {
        let issued = self.store_call("issue", V::from_f64(ttl_ms as f64)).await?;
        issued.text().ok_or_else(|| {
            Error::new(
                ErrorCode::NonceStore,
                "the nonce store's issue() gave no string",
            )
        })
    }

    async fn consume_nonce(&self, nonce: &str) -> Result<bool> {
        let consumed = self.store_call("consume", V::from_str(nonce)).await?;
        consumed.boolean().ok_or_else(|| {
            Error::new(
                ErrorCode::NonceStore,
                "the nonce store's consume() gave no boolean",
            )
        })
    }

    async fn snag_user_id(&self, user: &DynamicJwtUser<V>) -> Result<Option<String>> {
        let Some(hook) = &self.user_hook else {
            return Ok(None);
        };
        let hook_failed = |why: String| {
            Error::new(ErrorCode::Internal, format!("snagUserId failed: {why}"))
                .with_field("snagUserId")
        };
        let thrown =
            |thrown: V| hook_failed(host::thrown_error(&thrown, ErrorCode::Internal).message);
        let started = hook.call(&[user_value(user)]).map_err(thrown)?;
        let value = started.settle().await.map_err(thrown)?;
        if value.is_nullish() {
            return Ok(None);
        }
        value
            .text()
            .filter(|id| !id.is_empty())
            .map(Some)
            .ok_or_else(|| hook_failed("it must return a non-empty string or undefined".into()))
    }

    async fn snag_connect(&self, body: String) -> Result<String> {
        let snag = self
            .snag
            .as_ref()
            .ok_or_else(|| Error::new(ErrorCode::Internal, "no Snag client is configured"))?;
        let call = snag.prepare_connect_wallet(body);
        Ok(execute(snag.transport(), &self.json, &call).await?.body)
    }

    async fn evm_call(&self, url: &str, method: &'static str, params: &str) -> Result<String> {
        let timeout = DEFAULT_RPC_TIMEOUT_MS;
        JsonRpcClient::new(url, timeout, self.transport.clone(), self.json.clone())?
            .request(method, params)
            .await
    }
}

/// What the `snagUserId` hook and `verifyDynamicJwt` give: the user of a verified JWT.
pub fn user_value<V: HostValue>(user: &DynamicJwtUser<V>) -> V {
    let object = V::new_object();
    let credentials = user.verified_credentials.clone();
    for (key, value) in [
        ("userId", V::from_str(&user.user_id)),
        ("environmentId", V::from_str(&user.environment_id)),
        ("issuer", V::from_str(&user.issuer)),
        ("expiresAt", V::from_f64(user.expires_at as f64)),
        (
            "verifiedCredentials",
            credentials.unwrap_or_else(|| V::new_array(Vec::new())),
        ),
        ("claims", user.claims.clone()),
    ] {
        let _ = object.set(key, value);
    }
    object
}

/// The engine of `createLinkServer`: the checked configuration and the runtime's I/O.
pub struct HostServer<V, T, J> {
    config: LinkServerConfig,
    verifier: JwtVerifier<V>,
    platform: HostPlatform<V, T, J>,
}

impl<V, T, J> HostServer<V, T, J>
where
    V: HostValue,
    T: Transport + Clone,
    J: JsonCodec<Raw = V> + Clone,
{
    /// `config` as `createLinkServer` takes it (the core's options and the `snagUserId` and `now`
    /// hooks); `store` a `NonceStore`; `in_browser` refuses the Snag key in a page.
    pub fn new(
        config: &V,
        store: V,
        runtime: V,
        in_browser: bool,
        transport: T,
        json: J,
    ) -> Result<Self> {
        let copy = host::snapshot(config, "config")?;
        let options: LinkServerOptions = host::read_snapshot(&copy, "config")?;
        let LinkServerSetup {
            config,
            verifier,
            jwks_client,
            snag_api_key,
            snag_client,
            nonce_store_timeout_ms,
        } = options.validate()?;
        for method in ["issue", "consume"] {
            if !store.has_method(method) {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!("nonces must be a NonceStore (issue and consume methods); it has no {method}()"),
                )
                .with_field("nonces"));
            }
        }
        let snag = SnagClient::new(
            Some(&snag_api_key),
            SecretPlacement::new(in_browser, false),
            snag_client,
            transport.clone(),
            json.clone(),
        )?;
        let user_hook = host::optional_function(copy.get("snagUserId"), "snagUserId")?;
        let clock = match host::optional_function(copy.get("now"), "now")? {
            Some(hook) => Clock::Hook(hook),
            None => Clock::System,
        };
        Ok(HostServer {
            config,
            verifier,
            platform: HostPlatform {
                runtime,
                store,
                user_hook,
                snag: Some(snag),
                clock,
                jwks_options: jwks_client,
                store_timeout_ms: nonce_store_timeout_ms,
                transport,
                json,
            },
        })
    }

    /// Serves one request (never fails: every failure is a response).
    pub async fn handle(&self, request: LinkRequest) -> LinkResponse {
        super::handle(&self.config, &self.verifier, &self.platform, request).await
    }
}

/// `verifyDynamicJwt(token, options)`: the user of a valid token. `cache` keeps each
/// environment's verifier (and its JWKS) between calls.
pub async fn verify_dynamic_jwt<V, T, J>(
    token: &V,
    options: &V,
    runtime: V,
    transport: T,
    json: J,
    cache: &core::cell::RefCell<VerifierCache<V>>,
) -> Result<V>
where
    V: HostValue,
    T: Transport + Clone,
    J: JsonCodec<Raw = V> + Clone,
{
    let token = match token.checked_text("token")? {
        Some(token) => token,
        None => return Err(host::wrong_type("token", "a string", token)),
    };
    let copy = host::snapshot(options, "options")?;
    let dynamic: DynamicJwtOptions = host::read_snapshot(&copy, "options")?;
    let time: JwtTimeOptions = host::read_snapshot(&copy, "options")?;
    let fresh = dynamic.verifier(time.clock_skew_seconds)?;
    let clock = match time.now_ms()? {
        Some(ms) => Clock::Fixed(ms),
        None => Clock::System,
    };
    let verifier = cache.borrow_mut().get_or_insert(fresh);
    let platform = HostPlatform {
        runtime,
        store: V::undefined(),
        user_hook: None,
        snag: None,
        clock,
        jwks_options: dynamic.client_options()?,
        store_timeout_ms: DEFAULT_NONCE_STORE_TIMEOUT_MS,
        transport,
        json,
    };
    let user = verifier
        .verify(&platform, &token, platform.now_ms())
        .await?;
    Ok(user_value(&user))
}
