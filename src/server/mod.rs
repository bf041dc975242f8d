//! The backend half of a link: what a dapp's server decides before it calls Snag with its key.
//!
//! The page's checks are advisory (the page belongs to the user); these are not. [`handle`] serves
//! two routes under a base path:
//! - `GET nonce` → `{ nonce, expiresAt }`, from the server's own nonce store;
//! - `POST snag/connect` with `Authorization: Bearer <Dynamic JWT>` and a JSON body
//!   `{ walletType, walletAddress, message, signature }`.
//!
//! A connect is accepted only in this order, and the first failure answers (Snag is never called
//! for a refused request): body size → the caller's JWT ([`jwt`]) → body shape → the message
//! parses (SIWE, Sign-In With Solana or Dynamic's template) and names this server's `domain`,
//! the address `walletAddress`, a nonce, and an `issuedAt` within `max_age_seconds`, inside its
//! own time window → the signature verifies (an EVM smart account's only through the RPC
//! configured for the message's chain, by its contract) → the nonce is consumed (once, atomically, by the
//! store) → Snag is called with the website and organization ids from the configuration, the
//! user id only from the configured hook, and `confirmDisconnect` only when moving wallets is
//! allowed. Members of the body other than the four above are ignored.
//!
//! The runtime supplies I/O through [`LinkPlatform`] (WebCrypto, fetch, the nonce store); time
//! comes from it too, so every rule here is tested natively with mocks. The server's options are
//! read and checked here too ([`LinkServerOptions`]); the runtime reads only its own objects (the
//! nonce store, the `snagUserId` hook, a clock function).

pub mod host;
pub mod jwt;

use serde::Deserialize;

use crate::api::{ClientOptions, DEFAULT_SNAG_BASE_URL, JsonCodec, JsonKind};
use crate::error::{Error, ErrorCode, Result};
use crate::evm::EvmRpc;
use crate::message::grammar;
use crate::signin::{self, SiweCheck, SolanaSignInCheck};
use crate::ton::{TonAccount, TonProof, TonProofCheck, TonProofDomain, TonVerification};
use crate::{evm, solana};

pub use jwt::{DynamicJwtOptions, DynamicJwtUser, JwtPlatform, JwtVerifier};

/// Largest request body read (bytes). Proofs are a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest message accepted in a proof.
const MAX_MESSAGE_CHARS: usize = 16 * 1024;
/// Default largest age of a proof's `issuedAt`.
pub const DEFAULT_MAX_AGE_SECONDS: u32 = 300;
/// Default lifetime of an issued nonce.
pub const DEFAULT_NONCE_TTL_MS: u64 = 300_000;
/// Longest nonce lifetime accepted.
pub const MAX_NONCE_TTL_MS: u64 = 86_400_000;
/// Default longest wait for the nonce store before a request fails with 503 `NONCE_STORE`.
pub const DEFAULT_NONCE_STORE_TIMEOUT_MS: u64 = 5_000;
/// Longest `nonceStoreTimeoutMs` accepted.
pub const MAX_NONCE_STORE_TIMEOUT_MS: u64 = 60_000;

/// `createLinkServer`'s options as a caller gives them (camelCase members), but for the runtime's
/// own objects: the nonce store (`nonces`), the `snagUserId` hook and the `now` clock function.
/// [`LinkServerOptions::validate`] checks them and applies the defaults.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkServerOptions {
    /// The only domain a proof may name ([`LinkServerConfig::domain`]).
    pub domain: String,
    /// The environment whose JWTs are accepted, and how its JWKS is fetched.
    pub dynamic: DynamicJwtOptions,
    pub snag: SnagOptions,
    /// Default `/`.
    pub base_path: Option<String>,
    /// 1 to 86400; default [`DEFAULT_MAX_AGE_SECONDS`].
    pub max_age_seconds: Option<u32>,
    /// 1000 to [`MAX_NONCE_TTL_MS`]; default [`DEFAULT_NONCE_TTL_MS`].
    pub nonce_ttl_ms: Option<u64>,
    /// For tokens and messages alike; default [`signin::DEFAULT_CLOCK_SKEW_SECONDS`], at most a day.
    pub clock_skew_seconds: Option<u32>,
    #[serde(default)]
    pub allow_move_wallet: bool,
    /// 1 to [`MAX_NONCE_STORE_TIMEOUT_MS`]; default [`DEFAULT_NONCE_STORE_TIMEOUT_MS`].
    pub nonce_store_timeout_ms: Option<u64>,
    /// EVM JSON-RPC URLs by chain id (`{ "8453": "https://…" }`): a smart account's proof
    /// (EIP-1271/6492) is accepted only on these chains, after its contract accepts it there.
    #[serde(default)]
    pub rpc: std::collections::BTreeMap<String, String>,
}

crate::api::client::with_client_options! {
    /// `createLinkServer`'s `snag`: Snag's API, called with the server's key, and the ids every connect
    /// carries. Takes the options every client takes (`baseUrl`, `timeoutMs`, ...).
    #[derive(Clone, Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct SnagOptions {
        pub api_key: String,
        pub website_id: String,
        pub organization_id: String,
    }
}

impl SnagOptions {
    /// The options of the Snag client; the API root defaults to [`DEFAULT_SNAG_BASE_URL`].
    pub fn client_options(&self) -> Result<ClientOptions> {
        self.client_options_or(DEFAULT_SNAG_BASE_URL)
    }
}

/// What a link server runs with: [`LinkServerOptions`] checked, defaults applied.
pub struct LinkServerSetup<K> {
    /// What [`handle`] enforces.
    pub config: LinkServerConfig,
    pub verifier: JwtVerifier<K>,
    /// The JWKS request's options.
    pub jwks_client: ClientOptions,
    /// The Snag client's key (the client checks it, and refuses it in a browser) and options.
    pub snag_api_key: String,
    pub snag_client: ClientOptions,
    /// How long the nonce store may take to answer.
    pub nonce_store_timeout_ms: u64,
}

impl LinkServerOptions {
    /// Checks every option (the first failure is an `INVALID_ARGUMENT` naming it) and applies the
    /// defaults. The clock skew applies to the caller's JWT and to the proof's message alike.
    pub fn validate<K: Clone>(self) -> Result<LinkServerSetup<K>> {
        let verifier = self.dynamic.verifier(self.clock_skew_seconds)?;
        let jwks_client = self.dynamic.client_options()?;
        let mut config = LinkServerConfig::new(
            &self.domain,
            &self.snag.website_id,
            &self.snag.organization_id,
        )?;
        config.clock_skew_seconds = verifier.clock_skew_seconds;
        if let Some(path) = &self.base_path {
            config = config.with_base_path(path)?;
        }
        if let Some(seconds) = self.max_age_seconds {
            config = config.with_max_age_seconds(seconds)?;
        }
        if let Some(ms) = self.nonce_ttl_ms {
            config = config.with_nonce_ttl_ms(ms)?;
        }
        config.allow_move_wallet = self.allow_move_wallet;
        config.rpc = rpc_urls(self.rpc)?;
        let snag_client = self.snag.client_options()?;
        let nonce_store_timeout_ms = match self.nonce_store_timeout_ms {
            None => DEFAULT_NONCE_STORE_TIMEOUT_MS,
            Some(ms) if (1..=MAX_NONCE_STORE_TIMEOUT_MS).contains(&ms) => ms,
            Some(ms) => {
                return Err(invalid_config(
                    "nonceStoreTimeoutMs",
                    format!(
                        "nonceStoreTimeoutMs must be a whole number from 1 to \
                         {MAX_NONCE_STORE_TIMEOUT_MS}"
                    ),
                )
                .with_expected(format!("1..={MAX_NONCE_STORE_TIMEOUT_MS}"))
                .with_received(ms.to_string()));
            }
        };
        Ok(LinkServerSetup {
            config,
            verifier,
            jwks_client,
            snag_api_key: self.snag.api_key,
            snag_client,
            nonce_store_timeout_ms,
        })
    }
}

/// What the server enforces. Build with [`LinkServerConfig::new`] and adjust the public fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkServerConfig {
    /// The only domain (RFC 3986 authority, port included) a proof may name.
    pub domain: String,
    /// Routes live under this path; always starts and ends with `/`.
    pub base_path: String,
    pub max_age_seconds: u32,
    pub nonce_ttl_ms: u64,
    pub allow_move_wallet: bool,
    pub website_id: String,
    pub organization_id: String,
    pub clock_skew_seconds: u32,
    /// EVM JSON-RPC URL per chain id, for smart accounts' proofs.
    pub rpc: Vec<(u64, String)>,
}

impl LinkServerConfig {
    /// Validates the required values; the others take their defaults.
    pub fn new(domain: &str, website_id: &str, organization_id: &str) -> Result<Self> {
        if let Err(why) = grammar::check_authority(domain, true) {
            return Err(invalid_config("domain", format!("domain {why}")));
        }
        for (field, value) in [
            ("websiteId", website_id),
            ("organizationId", organization_id),
        ] {
            if value.is_empty() {
                return Err(invalid_config(field, format!("snag.{field} is required")));
            }
        }
        Ok(LinkServerConfig {
            domain: domain.to_owned(),
            base_path: "/".to_owned(),
            max_age_seconds: DEFAULT_MAX_AGE_SECONDS,
            nonce_ttl_ms: DEFAULT_NONCE_TTL_MS,
            allow_move_wallet: false,
            website_id: website_id.to_owned(),
            organization_id: organization_id.to_owned(),
            clock_skew_seconds: signin::DEFAULT_CLOCK_SKEW_SECONDS,
            rpc: Vec::new(),
        })
    }

    /// The RPC URL configured for `chain_id`.
    pub fn rpc_url(&self, chain_id: u64) -> Option<&str> {
        self.rpc
            .iter()
            .find(|(id, _)| *id == chain_id)
            .map(|(_, url)| url.as_str())
    }

    /// Sets the base path (`/api/link` and `/api/link/` both mean `/api/link/`).
    pub fn with_base_path(mut self, path: &str) -> Result<Self> {
        if !path.starts_with('/') || path.contains(['?', '#', ' ']) || path.contains("//") {
            return Err(invalid_config(
                "basePath",
                "basePath is an absolute path such as /api/link",
            ));
        }
        self.base_path = format!("{}/", path.trim_end_matches('/'));
        Ok(self)
    }

    pub fn with_max_age_seconds(mut self, seconds: u32) -> Result<Self> {
        if seconds == 0 || seconds > signin::MAX_AGE_LIMIT_SECONDS {
            return Err(invalid_config(
                "maxAgeSeconds",
                format!(
                    "maxAgeSeconds is from 1 to {} (one day)",
                    signin::MAX_AGE_LIMIT_SECONDS
                ),
            ));
        }
        self.max_age_seconds = seconds;
        Ok(self)
    }

    pub fn with_nonce_ttl_ms(mut self, ms: u64) -> Result<Self> {
        if !(1_000..=MAX_NONCE_TTL_MS).contains(&ms) {
            return Err(invalid_config(
                "nonceTtlMs",
                format!("nonceTtlMs is from 1000 to {MAX_NONCE_TTL_MS} (one day)"),
            ));
        }
        self.nonce_ttl_ms = ms;
        Ok(self)
    }
}

/// `rpc`'s members: decimal chain ids to http(s) URLs.
fn rpc_urls(members: std::collections::BTreeMap<String, String>) -> Result<Vec<(u64, String)>> {
    members
        .into_iter()
        .map(|(chain, url)| {
            let id = chain
                .parse::<u64>()
                .ok()
                .filter(|id| *id > 0 && chain.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    invalid_config("rpc", "rpc's keys are chain ids, e.g. { \"8453\": url }")
                        .with_received(chain.as_str())
                })?;
            let url = crate::api::json_rpc::validate_rpc_url(&url)
                .map_err(|e| e.with_field(format!("rpc.{chain}")))?;
            Ok((id, url))
        })
        .collect()
}

fn invalid_config(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message).with_field(field)
}

/// The parts of an HTTP request the server reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRequest {
    pub method: String,
    /// The URL's path, percent-encoded as received, without query.
    pub path: String,
    pub authorization: Option<String>,
    pub body: RequestBody,
}

/// A body as the runtime read it: bounded while reading, so an oversized body is never buffered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestBody {
    Text(String),
    /// More than [`MAX_BODY_BYTES`] arrived (reading stopped there).
    TooLarge,
    /// The bytes are not UTF-8.
    NotText,
}

/// A JSON response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkResponse {
    pub status: u16,
    pub body: String,
    /// The `Allow` header of a 405 (RFC 9110 requires it).
    pub allow: Option<&'static str>,
}

/// What the runtime provides besides RSA: the clock, the nonce store, the user mapping and Snag.
#[allow(async_fn_in_trait)]
pub trait LinkPlatform: JwtPlatform {
    fn now_ms(&self) -> i64;
    /// A new nonce from the store, valid for `ttl_ms`.
    async fn issue_nonce(&self, ttl_ms: u64) -> Result<String>;
    /// Whether `nonce` was issued, unexpired and unused, marking it used (atomically).
    async fn consume_nonce(&self, nonce: &str) -> Result<bool>;
    /// The Snag user id for this Dynamic user (the configured hook); `None` lets Snag decide.
    async fn snag_user_id(
        &self,
        user: &DynamicJwtUser<<Self::Json as JsonCodec>::Raw>,
    ) -> Result<Option<String>>;
    /// `POST /api/users/connect` with the server's key; the response body's JSON text.
    async fn snag_connect(&self, body: String) -> Result<String>;
    /// One JSON-RPC call to the EVM endpoint at `url` (from [`LinkServerConfig::rpc`]); see
    /// [`EvmRpc::request`].
    async fn evm_call(&self, url: &str, method: &'static str, params: &str) -> Result<String>;
}

/// The platform's RPC of one chain, as the signature checks use it.
struct ChainRpc<'a, P> {
    platform: &'a P,
    url: &'a str,
}

impl<P: LinkPlatform> EvmRpc for ChainRpc<'_, P> {
    async fn request(&self, method: &'static str, params: &str) -> Result<String> {
        self.platform.evm_call(self.url, method, params).await
    }
}

/// Which route a request names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Nonce,
    SnagConnect,
}

/// The route of `method path` under `base_path`; a known path with another method is 405.
pub fn route(base_path: &str, method: &str, path: &str) -> Result<Route> {
    let not_found = || {
        Error::new(
            ErrorCode::RouteNotFound,
            format!("no route for {method} {path}"),
        )
        .with_status(404)
    };
    let rest = path.strip_prefix(base_path).ok_or_else(not_found)?;
    let (route, allowed) = match rest {
        "nonce" => (Route::Nonce, "GET"),
        "snag/connect" => (Route::SnagConnect, "POST"),
        _ => return Err(not_found()),
    };
    if method != allowed {
        return Err(Error::new(
            ErrorCode::RouteNotFound,
            format!("{path} answers {allowed} only"),
        )
        .with_status(405)
        .with_expected(allowed));
    }
    Ok(route)
}

/// The HTTP status a refusal answers with.
pub fn status_for(error: &Error) -> u16 {
    use ErrorCode as C;
    match error.code {
        C::RouteNotFound => error.status.unwrap_or(404),
        C::Unauthenticated => 401,
        C::InputTooLarge => 413,
        C::NonceUnknown => 409,
        C::InvalidArgument | C::MissingField => 400,
        // The nonce store or a chain's RPC could not answer: the proof was neither accepted nor
        // refused.
        C::NonceStore | C::RpcError => 503,
        C::HttpError | C::Timeout | C::Network | C::InvalidResponse | C::Aborted
            if error.step.as_deref() == Some("snag") =>
        {
            502
        }
        // The JWKS could not be fetched: the caller is not at fault, nor refused.
        C::HttpError | C::Timeout | C::Network | C::InvalidResponse | C::Aborted => 503,
        C::Internal | C::RandomUnavailable => 500,
        _ => 422,
    }
}

/// Serves one request. Never fails: refusals are JSON `{ code, message, field? }` responses.
pub async fn handle<P: LinkPlatform>(
    config: &LinkServerConfig,
    verifier: &JwtVerifier<P::Key>,
    platform: &P,
    request: LinkRequest,
) -> LinkResponse {
    let result = match route(&config.base_path, &request.method, &request.path) {
        Ok(Route::Nonce) => issue(config, platform).await,
        Ok(Route::SnagConnect) => connect(config, verifier, platform, request).await,
        Err(e) => Err(e),
    };
    result.unwrap_or_else(|error| {
        let status = status_for(&error);
        LinkResponse {
            status,
            body: error_body(&error),
            allow: match (status, error.expected.as_deref()) {
                (405, Some("GET")) => Some("GET"),
                (405, Some("POST")) => Some("POST"),
                _ => None,
            },
        }
    })
}

async fn issue<P: LinkPlatform>(config: &LinkServerConfig, platform: &P) -> Result<LinkResponse> {
    let nonce = platform
        .issue_nonce(config.nonce_ttl_ms)
        .await
        .map_err(store_error)?;
    if let Err(why) = grammar::check_nonce(&nonce) {
        return Err(Error::new(
            ErrorCode::NonceStore,
            format!("the nonce store issued an unusable nonce: {why}"),
        ));
    }
    let expires = platform.now_ms().saturating_add(config.nonce_ttl_ms as i64);
    let mut body = JsonWriter::new();
    body.string("nonce", &nonce);
    body.string("expiresAt", &signin::format_rfc3339_ms(expires));
    Ok(LinkResponse {
        status: 200,
        body: body.finish(),
        allow: None,
    })
}

fn store_error(error: Error) -> Error {
    match error.code {
        ErrorCode::NonceStore => error,
        _ => Error::new(
            ErrorCode::NonceStore,
            format!("the nonce store failed: {}", error.message),
        ),
    }
}

/// The proof fields of a connect body: a message and its signature, or for TON the wallet's
/// `tonVerification` (its TON Connect proof and account; `message` and `signature` are empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectBody {
    pub wallet_type: WalletType,
    pub wallet_address: String,
    pub message: String,
    pub signature: String,
    pub ton: Option<TonVerification>,
}

/// The wallet types whose proofs this server can check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalletType {
    Evm,
    /// Immutable Passport: an EVM smart account on Immutable zkEVM, which Snag keeps apart.
    Imx,
    Solana,
    /// Dynamic's template for `SUI`, signed with `sui:signPersonalMessage`.
    Sui,
    /// A TON Connect `ton_proof` whose payload is this server's nonce.
    Ton,
}

/// Immutable zkEVM's chain ids (mainnet, testnet): the only chains of an `imx` proof.
pub const IMMUTABLE_ZKEVM_CHAIN_IDS: [u64; 2] = [13371, 13473];

impl WalletType {
    pub const fn as_str(self) -> &'static str {
        match self {
            WalletType::Evm => "evm",
            WalletType::Imx => "imx",
            WalletType::Solana => "solana",
            WalletType::Sui => "sui",
            WalletType::Ton => "ton",
        }
    }
}

fn body_too_large() -> Error {
    Error::new(
        ErrorCode::InputTooLarge,
        format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
    )
}

/// Reads the connect body; other members (`userId`, `confirmDisconnect`, ids) are ignored.
pub fn read_connect_body<C: JsonCodec>(codec: &C, body: &RequestBody) -> Result<ConnectBody> {
    let text = match body {
        RequestBody::Text(text) => text,
        RequestBody::TooLarge => return Err(body_too_large()),
        RequestBody::NotText => {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "the request body is not UTF-8 text",
            ));
        }
    };
    let bad = |field: &str, message: &str| {
        Error::new(ErrorCode::InvalidArgument, message.to_owned()).with_field(field)
    };
    let value = codec
        .parse(text)
        .map_err(|_| bad("body", "the request body is not JSON"))?;
    if codec.kind(&value) != JsonKind::Object {
        return Err(bad("body", "the request body is not a JSON object"));
    }
    let string = |field: &str| {
        codec
            .member(&value, field)
            .and_then(|v| codec.as_string(&v))
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::MissingField,
                    format!("the body needs {field} (a non-empty string)"),
                )
                .with_field(field)
            })
    };
    let wallet_type = match string("walletType")?.as_str() {
        "evm" => WalletType::Evm,
        "imx" => WalletType::Imx,
        "solana" => WalletType::Solana,
        "sui" => WalletType::Sui,
        "ton" => WalletType::Ton,
        other => {
            return Err(Error::new(
                ErrorCode::UnsupportedChain,
                "this server checks proofs of walletType evm, imx, solana, sui or ton",
            )
            .with_field("walletType")
            .with_expected("evm | imx | solana | sui | ton")
            .with_received(other));
        }
    };
    if wallet_type == WalletType::Ton {
        let ton = codec
            .member(&value, "tonVerification")
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::MissingField,
                    "a ton proof needs tonVerification { proof, account }",
                )
                .with_field("tonVerification")
            })
            .and_then(|ton| read_ton_verification(codec, &ton))?;
        return Ok(ConnectBody {
            wallet_type,
            wallet_address: string("walletAddress")?,
            message: String::new(),
            signature: String::new(),
            ton: Some(ton),
        });
    }
    let message = string("message")?;
    if message.len() > MAX_MESSAGE_CHARS {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("the message is longer than {MAX_MESSAGE_CHARS} bytes"),
        )
        .with_field("message"));
    }
    Ok(ConnectBody {
        wallet_type,
        wallet_address: string("walletAddress")?,
        message,
        signature: string("signature")?,
        ton: None,
    })
}

/// `tonVerification` of a connect body, member by member (the body is the platform's JSON).
fn read_ton_verification<C: JsonCodec>(codec: &C, ton: &C::Raw) -> Result<TonVerification> {
    let member = |object: &C::Raw, path: &'static str, key: &str| {
        codec.member(object, key).ok_or_else(|| {
            Error::new(
                ErrorCode::MissingField,
                format!("tonVerification.{path} is missing"),
            )
            .with_field(format!("tonVerification.{path}"))
        })
    };
    let text = |object: &C::Raw, path: &'static str, key: &str| {
        member(object, path, key).and_then(|v| {
            codec.as_string(&v).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidArgument,
                    format!("tonVerification.{path} is not a string"),
                )
                .with_field(format!("tonVerification.{path}"))
            })
        })
    };
    let optional_text =
        |object: &C::Raw, key: &str| codec.member(object, key).and_then(|v| codec.as_string(&v));
    let proof = member(ton, "proof", "proof")?;
    let account = member(ton, "account", "account")?;
    let domain = member(&proof, "proof.domain", "domain")?;
    let whole = |value: f64| (value.fract() == 0.0 && value >= 0.0).then_some(value as u64);
    let timestamp = member(&proof, "proof.timestamp", "timestamp")?;
    let timestamp = codec
        .as_number(&timestamp)
        .and_then(whole)
        .or_else(|| codec.as_string(&timestamp).and_then(|t| t.parse().ok()))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                "tonVerification.proof.timestamp is not a whole number of seconds",
            )
            .with_field("tonVerification.proof.timestamp")
        })?;
    let length_bytes = member(&domain, "proof.domain.lengthBytes", "lengthBytes")?;
    let length_bytes = codec
        .as_number(&length_bytes)
        .and_then(whole)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidArgument,
                "tonVerification.proof.domain.lengthBytes is not a whole number",
            )
            .with_field("tonVerification.proof.domain.lengthBytes")
        })?;
    Ok(TonVerification {
        proof: TonProof {
            timestamp,
            domain: TonProofDomain {
                length_bytes,
                value: text(&domain, "proof.domain.value", "value")?,
            },
            payload: text(&proof, "proof.payload", "payload")?,
            signature: text(&proof, "proof.signature", "signature")?,
            state_init: optional_text(&proof, "state_init"),
        },
        account: TonAccount {
            address: text(&account, "account.address", "address")?,
            chain: text(&account, "account.chain", "chain")?,
            public_key: text(&account, "account.publicKey", "publicKey")?,
            wallet_state_init: optional_text(&account, "walletStateInit"),
        },
    })
}

/// Checks the proof of a connect body and gives the nonce it names (not yet consumed): the
/// message parses, names `domain`, the address `walletAddress`, a nonce and an `issuedAt` within
/// the maximum age, is inside its own time window, and its signature verifies: a key's locally,
/// a smart account's (EVM) only through the RPC configured for the message's chain, by its
/// contract (EIP-1271/6492). An `imx` proof names an Immutable zkEVM chain.
pub async fn check_proof<P: LinkPlatform>(
    config: &LinkServerConfig,
    body: &ConnectBody,
    now_ms: i64,
    platform: &P,
) -> Result<String> {
    let nonce = message_nonce(body)?;
    match body.wallet_type {
        WalletType::Ton => {
            let ton = body.ton.as_ref().ok_or_else(|| {
                Error::new(ErrorCode::MissingField, "a ton proof needs tonVerification")
                    .with_field("tonVerification")
            })?;
            let check = TonProofCheck {
                domain: config.domain.clone(),
                payload: nonce.clone(),
                now_ms,
                max_age_seconds: Some(config.max_age_seconds),
                clock_skew_seconds: Some(config.clock_skew_seconds),
                chain: None,
            };
            let verified = ton.verify(&check)?;
            let claimed = crate::ton::TonAddress::parse(&body.wallet_address)
                .map_err(|e| e.with_field("walletAddress"))?;
            if claimed != verified.address {
                return Err(Error::mismatch(
                    ErrorCode::AddressMismatch,
                    "walletAddress",
                    verified.address.to_raw(),
                    claimed.to_raw(),
                ));
            }
        }
        WalletType::Evm | WalletType::Imx => {
            // SIWE and Dynamic's EVM template are both EIP-4361 text.
            let signature = evm::contract::decode_any_signature(&body.signature)?;
            let chain_id = crate::message::parse_siwe_message(&body.message)?.chain_id;
            if body.wallet_type == WalletType::Imx && !IMMUTABLE_ZKEVM_CHAIN_IDS.contains(&chain_id)
            {
                return Err(Error::new(
                    ErrorCode::ChainIdMismatch,
                    "an imx proof names an Immutable zkEVM chain (13371, or 13473 for testnet)",
                )
                .with_field("chainId")
                .with_received(chain_id.to_string()));
            }
            let check = SiweCheck {
                domain: config.domain.clone(),
                nonce: nonce.clone(),
                now_ms,
                address: Some(body.wallet_address.clone()),
                clock_skew_seconds: Some(config.clock_skew_seconds),
                max_age_seconds: Some(config.max_age_seconds),
                ..SiweCheck::default()
            };
            let local = signin::verify_siwe_sign_in(&body.message, &signature, &check);
            let refused = match local {
                Ok(_) => return Ok(nonce),
                Err(e) => e,
            };
            let url = config
                .rpc_url(chain_id)
                .filter(|_| evm::contract::is_signature_refusal(&refused));
            let Some(url) = url else {
                return Err(refused);
            };
            let rpc = ChainRpc { platform, url };
            signin::verify_siwe_sign_in_with_rpc(&body.message, &signature, &check, &rpc).await?;
        }
        WalletType::Sui => {
            let signature = crate::sui::SuiSignature::parse(&body.signature)?;
            let check = signin::SuiSignInCheck {
                domain: config.domain.clone(),
                nonce: nonce.clone(),
                now_ms,
                address: Some(body.wallet_address.clone()),
                clock_skew_seconds: Some(config.clock_skew_seconds),
                max_age_seconds: Some(config.max_age_seconds),
            };
            signin::verify_sui_sign_in(&body.message, &signature, &check)?;
        }
        WalletType::Solana => {
            let signature = solana::decode_signature(&body.signature)?;
            let key = solana::parse_public_key(&body.wallet_address)
                .map_err(|e| e.with_field("walletAddress"))?;
            let check = SolanaSignInCheck {
                domain: config.domain.clone(),
                nonce: nonce.clone(),
                now_ms,
                public_key: Some(key),
                clock_skew_seconds: Some(config.clock_skew_seconds),
                max_age_seconds: Some(config.max_age_seconds),
                ..SolanaSignInCheck::default()
            };
            signin::verify_solana_sign_in(body.message.as_bytes(), &signature, &check)?;
        }
    }
    Ok(nonce)
}

/// The nonce the message names (required: without one, a proof could be replayed forever).
fn message_nonce(body: &ConnectBody) -> Result<String> {
    let nonce = match body.wallet_type {
        WalletType::Evm | WalletType::Imx => {
            Some(crate::message::parse_siwe_message(&body.message)?.nonce)
        }
        WalletType::Sui => {
            Some(crate::message::parse_dynamic_sign_in_message(&body.message)?.nonce)
        }
        // The proof's payload is the nonce this server issued.
        WalletType::Ton => body
            .ton
            .as_ref()
            .map(|ton| ton.proof.payload.clone())
            .filter(|payload| !payload.is_empty()),
        WalletType::Solana => {
            crate::message::parse_solana_sign_in_message(signin::sign_in_text(
                body.message.as_bytes(),
            )?)?
            .nonce
        }
    };
    nonce.ok_or_else(|| {
        Error::new(
            ErrorCode::MissingField,
            "the message has no nonce: only messages with a nonce this server issued are accepted",
        )
        .with_field("nonce")
    })
}

async fn connect<P: LinkPlatform>(
    config: &LinkServerConfig,
    verifier: &JwtVerifier<P::Key>,
    platform: &P,
    request: LinkRequest,
) -> Result<LinkResponse> {
    if request.body == RequestBody::TooLarge {
        return Err(body_too_large());
    }
    let token = jwt::bearer_token(request.authorization.as_deref())?;
    let user = verifier.verify(platform, token, platform.now_ms()).await?;
    let body = read_connect_body(platform.json(), &request.body)?;
    let nonce = check_proof(config, &body, platform.now_ms(), platform).await?;
    if !platform.consume_nonce(&nonce).await.map_err(store_error)? {
        return Err(Error::new(
            ErrorCode::NonceUnknown,
            "the message's nonce was not issued by this server, has expired, or was already used",
        )
        .with_field("nonce"));
    }
    let user_id = platform.snag_user_id(&user).await?;
    let snag_body = snag_connect_body(config, &body, user_id.as_deref());
    let response = platform
        .snag_connect(snag_body)
        .await
        .map_err(|e| e.with_step("snag"))?;
    Ok(LinkResponse {
        status: 200,
        body: response,
        allow: None,
    })
}

/// The body of Snag's `users/connect`: ids from the configuration, never from the caller.
pub fn snag_connect_body(
    config: &LinkServerConfig,
    body: &ConnectBody,
    user_id: Option<&str>,
) -> String {
    let mut json = JsonWriter::new();
    json.string("walletAddress", &body.wallet_address);
    json.string("walletType", body.wallet_type.as_str());
    json.string("websiteId", &config.website_id);
    json.string("organizationId", &config.organization_id);
    if let Some(user_id) = user_id {
        json.string("userId", user_id);
    }
    if config.allow_move_wallet {
        json.raw("confirmDisconnect", "true");
    }
    let mut proof = JsonWriter::new();
    match &body.ton {
        Some(ton) => proof.raw("tonVerification", &ton_verification_json(ton)),
        None => {
            proof.string("message", &body.message);
            proof.string("signature", &body.signature);
        }
    }
    json.raw("verificationData", &proof.finish());
    json.finish()
}

/// Snag's `tonVerification` object, as the wallet sent it.
fn ton_verification_json(ton: &TonVerification) -> String {
    let mut domain = JsonWriter::new();
    domain.raw("lengthBytes", &ton.proof.domain.length_bytes.to_string());
    domain.string("value", &ton.proof.domain.value);
    let mut proof = JsonWriter::new();
    proof.raw("timestamp", &ton.proof.timestamp.to_string());
    proof.raw("domain", &domain.finish());
    proof.string("payload", &ton.proof.payload);
    proof.string("signature", &ton.proof.signature);
    if let Some(state_init) = &ton.proof.state_init {
        proof.string("state_init", state_init);
    }
    let mut account = JsonWriter::new();
    account.string("address", &ton.account.address);
    account.string("chain", &ton.account.chain);
    account.string("publicKey", &ton.account.public_key);
    if let Some(state_init) = &ton.account.wallet_state_init {
        account.string("walletStateInit", state_init);
    }
    let mut out = JsonWriter::new();
    out.raw("proof", &proof.finish());
    out.raw("account", &account.finish());
    out.finish()
}

/// `{ code, message, field? }`.
pub fn error_body(error: &Error) -> String {
    let mut json = JsonWriter::new();
    json.string("code", error.code.as_str());
    json.string("message", &error.message);
    if let Some(field) = &error.field {
        json.string("field", field);
    }
    json.finish()
}

/// A flat JSON object written member by member (no JSON library in the `.wasm`).
pub struct JsonWriter(String);

impl Default for JsonWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonWriter {
    pub fn new() -> Self {
        JsonWriter(String::from("{"))
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_json_string(&mut self.0, key);
        self.0.push(':');
    }

    pub fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        push_json_string(&mut self.0, value);
    }

    /// `value` must already be JSON.
    pub fn raw(&mut self, key: &str, value: &str) {
        self.key(key);
        self.0.push_str(value);
    }

    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// Appends `text` as a JSON string (RFC 8259 escapes; everything else as UTF-8).
pub fn push_json_string(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
