//! The JS face of [`crate::server`]: WebCrypto, `fetch` and the caller's nonce store as the core's
//! platform. `js/server.js` reads the `Request` (bounded) and builds the `Response`; every rule is
//! in the core.

use core::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::clients::is_browser;
use super::error::from_js;
use super::fetch::{FetchTransport, JsJson};
use super::wallets::get_function;
use super::{Core, input};
use crate::api::client::{Call, ClientOptions, execute};
use crate::api::{JsonRpcClient, Method, SnagClient};
use crate::error::{Error, ErrorCode, Result};
use crate::evm::EvmRpc;
use crate::server::jwt::{
    DynamicJwtOptions, DynamicJwtUser, JwtPlatform, JwtTimeOptions, JwtVerifier, VerifierCache,
};
use crate::server::{
    self as core_server, DEFAULT_NONCE_STORE_TIMEOUT_MS, LinkPlatform, LinkRequest,
    LinkServerConfig, LinkServerOptions, LinkServerSetup, RequestBody,
};

/// Awaits a value that may be a promise (or any thenable); a rejection comes back as `Err`.
async fn settle(value: JsValue) -> core::result::Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(Promise::resolve(&value)).await
}

#[wasm_bindgen(typescript_custom_section)]
const TS_SERVER: &str = include_str!("types/server.d.ts");

static JSON: JsJson = JsJson;

/// The runtime's I/O for the core.
struct Platform {
    store: JsValue,
    user_hook: Option<Function>,
    snag: Option<SnagClient<FetchTransport, JsJson>>,
    clock: Clock,
    jwks_options: ClientOptions,
    store_timeout_ms: u64,
}

enum Clock {
    System,
    Fixed(i64),
    Function(Function),
}

impl Clock {
    fn now_ms(&self) -> i64 {
        let now = match self {
            Clock::System => js_sys::Date::now(),
            Clock::Fixed(ms) => return *ms,
            Clock::Function(f) => f
                .call0(&JsValue::UNDEFINED)
                .ok()
                .and_then(|v| v.as_f64())
                .filter(|ms| ms.is_finite())
                .unwrap_or_else(js_sys::Date::now),
        };
        now as i64
    }
}

impl JwtPlatform for Platform {
    type Json = JsJson;
    type Key = JsValue;

    fn json(&self) -> &JsJson {
        &JSON
    }

    async fn fetch_jwks(&self, url: &str) -> Result<JsValue> {
        let call = Call::new(
            ("Dynamic", "jwks"),
            &self.jwks_options,
            Method::Get,
            url.to_owned(),
            None,
            None,
            &[],
        );
        Ok(execute(&FetchTransport::new(None), &JSON, &call)
            .await?
            .value)
    }

    async fn import_key(&self, jwk: &JsValue) -> Result<JsValue> {
        import_rsa_key(jwk)
            .await
            .map_err(|e| from_js(&e, ErrorCode::Internal))?
            .ok_or_else(|| Error::new(ErrorCode::InvalidResponse, "a JWKS key does not import"))
    }

    async fn verify_rs256(&self, key: &JsValue, data: &[u8], signature: &[u8]) -> Result<bool> {
        verify_rs256(key, data, signature)
            .await
            .map(|valid| valid.as_bool() == Some(true))
            .map_err(|e| from_js(&e, ErrorCode::Internal))
    }
}

impl LinkPlatform for Platform {
    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    async fn issue_nonce(&self, ttl_ms: u64) -> Result<String> {
        let issued = self
            .store_call("issue", JsValue::from_f64(ttl_ms as f64))
            .await?;
        issued.as_string().ok_or_else(|| {
            Error::new(
                ErrorCode::NonceStore,
                "the nonce store's issue() gave no string",
            )
        })
    }

    async fn consume_nonce(&self, nonce: &str) -> Result<bool> {
        let consumed = self.store_call("consume", nonce.into()).await?;
        consumed.as_bool().ok_or_else(|| {
            Error::new(
                ErrorCode::NonceStore,
                "the nonce store's consume() gave no boolean",
            )
        })
    }

    async fn snag_user_id(&self, user: &DynamicJwtUser<JsValue>) -> Result<Option<String>> {
        let Some(hook) = &self.user_hook else {
            return Ok(None);
        };
        let hook_failed = |why: String| {
            Error::new(ErrorCode::Internal, format!("snagUserId failed: {why}"))
                .with_field("snagUserId")
        };
        let result = hook
            .call1(&JsValue::UNDEFINED, &user_to_js(user))
            .map_err(|e| hook_failed(from_js(&e, ErrorCode::Internal).message))?;
        let value = settle(result)
            .await
            .map_err(|e| hook_failed(from_js(&e, ErrorCode::Internal).message))?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value
            .as_string()
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
        Ok(execute(snag.transport(), &JSON, &call).await?.body)
    }

    async fn evm_call(&self, url: &str, method: &'static str, params: &str) -> Result<String> {
        let timeout = crate::api::json_rpc::DEFAULT_RPC_TIMEOUT_MS;
        JsonRpcClient::new(url, timeout, FetchTransport::new(None), JsJson)?
            .request(method, params)
            .await
    }
}

/// What a timed-out store call rejects with (never a value a store could throw).
const STORE_TIMEOUT: &str = "wallet-linker: nonce store timeout";

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = withTimeout)]
    async fn with_timeout(value: JsValue, ms: f64, timed_out: &str) -> Result<JsValue, JsValue>;
    /// WebCrypto's RS256 key import; `None` for a key that does not import.
    #[wasm_bindgen(catch, js_name = importRsaKey)]
    async fn import_rsa_key(jwk: &JsValue) -> Result<Option<JsValue>, JsValue>;
    #[wasm_bindgen(catch, js_name = verifyRs256)]
    async fn verify_rs256(key: &JsValue, data: &[u8], signature: &[u8])
    -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = verifyDynamicJwt, reexport, skip_typescript)]
    fn reexport_verify_dynamic_jwt();
}

impl Platform {
    /// `store[method](argument)`, awaited for at most `store_timeout_ms`: a store that hangs (a
    /// Redis client queueing commands while disconnected) is a `NONCE_STORE` failure, not a wait.
    async fn store_call(&self, method: &str, argument: JsValue) -> Result<JsValue> {
        let failed = |e: JsValue| from_js(&e, ErrorCode::NonceStore);
        let function = get_function(&self.store, method).ok_or_else(|| {
            Error::new(
                ErrorCode::NonceStore,
                format!("the nonce store has no {method}()"),
            )
        })?;
        let started = function.call1(&self.store, &argument).map_err(failed)?;
        let outcome = with_timeout(started, self.store_timeout_ms as f64, STORE_TIMEOUT).await;
        outcome.map_err(|e| {
            if e.as_string().as_deref() == Some(STORE_TIMEOUT) {
                Error::new(
                    ErrorCode::NonceStore,
                    format!(
                        "the nonce store's {method}() did not answer within {} ms",
                        self.store_timeout_ms
                    ),
                )
            } else {
                failed(e)
            }
        })
    }
}

fn user_to_js(user: &DynamicJwtUser<JsValue>) -> JsValue {
    let object = Object::new();
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&object, &key.into(), &value);
    };
    set("userId", user.user_id.as_str().into());
    set("environmentId", user.environment_id.as_str().into());
    set("issuer", user.issuer.as_str().into());
    set("expiresAt", JsValue::from_f64(user.expires_at as f64));
    set(
        "verifiedCredentials",
        user.verified_credentials
            .clone()
            .unwrap_or_else(|| Array::new().into()),
    );
    set("claims", user.claims.clone());
    object.into()
}

/// Reads `copy`, an argument's [`input::snapshot`], as `T` (`argument` names it in errors): the
/// core's options and the runtime's own members are each read from the same copy.
fn read<T: DeserializeOwned>(copy: &JsValue, argument: &str) -> Result<T> {
    super::de::read(copy.clone(), &[])
        .map_err(|e| e.into_error(argument, ErrorCode::InvalidArgument))
}

/// The members of `createLinkServer`'s options that are JavaScript functions; the core reads the
/// others ([`LinkServerOptions`]) from the same object, and the nonce store comes on its own.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServerHooks {
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    snag_user_id: JsValue,
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    now: JsValue,
}

struct Server {
    config: LinkServerConfig,
    verifier: JwtVerifier<JsValue>,
    platform: Platform,
}

/// The engine of `createLinkServer` (`wallet-linker/server`); use that instead.
#[wasm_bindgen(js_name = LinkServerCore)]
pub struct JsLinkServer {
    inner: Rc<Server>,
}

#[wasm_bindgen(js_class = LinkServerCore)]
impl JsLinkServer {
    /// `config` as `createLinkServer` takes it; `store` a `NonceStore`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, store: JsValue) -> Result<JsLinkServer> {
        let copy = input::snapshot(&config, "config")?;
        let options: LinkServerOptions = read(&copy, "config")?;
        let hooks: ServerHooks = read(&copy, "config")?;
        let LinkServerSetup {
            config,
            verifier,
            jwks_client,
            snag_api_key,
            snag_client,
            nonce_store_timeout_ms,
        } = options.validate()?;
        for method in ["issue", "consume"] {
            if get_function(&store, method).is_none() {
                return Err(Error::new(
                    ErrorCode::InvalidArgument,
                    format!("nonces must be a NonceStore (issue and consume methods); it has no {method}()"),
                )
                .with_field("nonces"));
            }
        }
        let snag = SnagClient::new(
            Some(&snag_api_key),
            is_browser(),
            false,
            snag_client,
            FetchTransport::new(None),
            JsJson,
        )?;
        let user_hook = optional_function(hooks.snag_user_id, "snagUserId")?;
        let clock = match optional_function(hooks.now, "now")? {
            Some(f) => Clock::Function(f),
            None => Clock::System,
        };
        Ok(JsLinkServer {
            inner: Rc::new(Server {
                config,
                verifier,
                platform: Platform {
                    store,
                    user_hook,
                    snag: Some(snag),
                    clock,
                    jwks_options: jwks_client,
                    store_timeout_ms: nonce_store_timeout_ms,
                },
            }),
        })
    }

    /// Largest request body the server reads; `js/server.js` stops reading past it.
    #[wasm_bindgen(getter, js_name = maxBodyBytes)]
    pub fn max_body_bytes(&self) -> u32 {
        core_server::MAX_BODY_BYTES as u32
    }

    /// Serves one request; resolves to `{ status, body }` (JSON text), never rejects.
    /// `bodyKind`: `"text"` (then `body` is the text), `"too-large"` or `"not-text"`.
    pub fn handle(
        &self,
        method: String,
        path: String,
        authorization: Option<String>,
        #[wasm_bindgen(js_name = bodyKind)] body_kind: String,
        body: Option<String>,
    ) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let body = match (body_kind.as_str(), body) {
                ("too-large", _) => RequestBody::TooLarge,
                ("not-text", _) => RequestBody::NotText,
                (_, text) => RequestBody::Text(text.unwrap_or_default()),
            };
            let request = LinkRequest {
                method,
                path,
                authorization,
                body,
            };
            let response =
                core_server::handle(&inner.config, &inner.verifier, &inner.platform, request).await;
            let object = Object::new();
            Reflect::set(&object, &"status".into(), &response.status.into())?;
            Reflect::set(&object, &"body".into(), &response.body.into())?;
            if let Some(allow) = response.allow {
                Reflect::set(&object, &"allow".into(), &allow.into())?;
            }
            Ok(object.into())
        })
    }
}

/// A member that must be a function when given.
fn optional_function(value: JsValue, key: &str) -> Result<Option<Function>> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.dyn_into::<Function>().map(Some).map_err(|_| {
        Error::new(
            ErrorCode::InvalidArgument,
            format!("{key} must be a function"),
        )
        .with_field(key)
    })
}

thread_local! {
    /// The verifiers of `verifyDynamicJwt`, each with its cached JWKS.
    static VERIFIERS: RefCell<VerifierCache<JsValue>> = const { RefCell::new(VerifierCache::new()) };
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    /// `verifyDynamicJwt(token, options)` (declared in `types/server.d.ts`).
    #[wasm_bindgen(js_name = verifyDynamicJwt)]
    pub fn verify_dynamic_jwt(&self, token: JsValue, options: JsValue) -> Promise {
        let prepared = (|| -> Result<_> {
            let token = input::string(&token, "token")?;
            let copy = input::snapshot(&options, "options")?;
            let dynamic: DynamicJwtOptions = read(&copy, "options")?;
            let time: JwtTimeOptions = read(&copy, "options")?;
            let fresh = dynamic.verifier(time.clock_skew_seconds)?;
            let clock = match time.now_ms()? {
                Some(ms) => Clock::Fixed(ms),
                None => Clock::System,
            };
            let verifier = VERIFIERS.with_borrow_mut(|cache| cache.get_or_insert(fresh));
            let platform = Platform {
                store: JsValue::UNDEFINED,
                user_hook: None,
                snag: None,
                clock,
                jwks_options: dynamic.client_options()?,
                store_timeout_ms: DEFAULT_NONCE_STORE_TIMEOUT_MS,
            };
            Ok((token, verifier, platform))
        })();
        let (token, verifier, platform) = match prepared {
            Ok(parts) => parts,
            Err(e) => return Promise::reject(&e.into()),
        };
        future_to_promise(async move {
            let user = verifier
                .verify(&platform, &token, platform.now_ms())
                .await?;
            Ok(user_to_js(&user))
        })
    }
}
