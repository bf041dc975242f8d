//! `linkWallet`: the whole linking flow in one call.
//!
//! connect (when the address is unknown) → nonce (`dynamic.getNonce()`) → message (Dynamic's
//! template, SIWE or SIWS) → signature (`signMessage` callback or a wallet adapter) → local
//! verification with the Rust core (a bad signature never reaches the network) → `verifyLink`
//! (or `verify` to sign in) → optional Snag `connectWallet` → `LinkResult`.
//!
//! The services are reached through their objects' methods (`getNonce`, `verify`, `verifyLink`,
//! `connectWallet`), so this package's `DynamicClient` / `SnagClient` work, and so does any
//! object with the same methods (a wrapper that logs calls, a mock in a test). Each failure is a
//! coded error whose `step` names the step: "connect", "nonce", "message", "sign", "verify",
//! "link" or "snag".

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use serde::Deserialize;
use tsify::{Ts, Tsify};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::error::from_js;
use super::input;
use super::wallets::{get, get_function, get_string, settle, wallet_error};
use crate::error::{Error, ErrorCode, Result};
use crate::flow::{
    self, LinkMessageFormat, LinkMode, LinkStep, MessageText, PlanInput, Proof, SnagProof,
    SnagTarget, WalletSignature,
};
use crate::message::ChainFamily;

#[wasm_bindgen(typescript_custom_section)]
const TS_FLOW: &'static str = r#"
/** What `linkWallet` needs of a Dynamic client (this package's `DynamicClient` has it all). */
export interface DynamicClientLike {
  getNonce(): Promise<string>;
  verify(request: VerifyRequest): Promise<VerifyResponse>;
  verifyLink(request: VerifyRequest): Promise<VerifyResponse>;
  /** A signed-in user's JWT: when present, `linkWallet` links (`verifyLink`); otherwise it signs in. */
  readonly authToken?: string;
  /** Written as the message's `Request ID` when `options.environmentId` is not given. */
  readonly environmentId?: string;
}

/** What `linkWallet` needs of a Snag client (this package's `SnagClient` has it). */
export interface SnagClientLike {
  connectWallet(params: SnagConnectParams): Promise<SnagConnectResponse>;
}

/** What `linkWallet` needs of a wallet: a `WalletAdapter`, or any object of this shape. */
export interface WalletLike {
  readonly chain?: string;
  readonly address?: string;
  readonly chainId?: number;
  /** The key sent as Dynamic's `walletName` when `options.walletName` is not given. */
  readonly walletName?: string;
  /** `true` when `signIn` builds and signs a Sign-In With Solana message (`solana:signIn`). */
  readonly canSignIn?: boolean;
  connect?(): Promise<string>;
  signMessage(message: string): Promise<string | Uint8Array>;
  signIn?(input: Partial<SolanaSignInInput>): Promise<WalletSignInOutput>;
}

/** The local verification `linkWallet` ran before any network call. */
export interface LocalCheck {
  ok: true;
  /** Time spent verifying, in microseconds (`performance.now()`, whose resolution the browser
   * may coarsen). */
  micros: number;
  /** The address whose signature was verified. */
  address: string;
}

/** What `linkWallet` resolves to. */
export interface LinkResult {
  mode: LinkMode;
  /** The new Dynamic JWT (absent in cookie mode). */
  jwt?: string;
  user: SdkUser;
  /** The user's verified credentials after the call (`user.verifiedCredentials`). */
  verifiedCredentials: JwtVerifiedCredential[];
  chain: string;
  address: string;
  walletName: string;
  /** The exact text the wallet signed. */
  message: string;
  /** The signature as sent: 0x-hex for EVM, base58 for Solana. */
  signature: string;
  localCheck: LocalCheck;
  /** Dynamic's whole response. */
  response: VerifyResponse;
  /** Snag's response, when `options.snag` was given. */
  snag?: SnagConnectResponse;
}
"#;

/// `options.snag` of `linkWallet`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct LinkSnagOptions {
    /// A `LinkServerClient` (in a page: your backend checks the proof and calls Snag with its
    /// key), or a `SnagClient` (on a server, with the key).
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "SnagClientLike | LinkServerClient")]
    pub client: JsValue,
    /// Required with a `SnagClient`; a `LinkServerClient`'s server uses its own configuration.
    #[serde(default)]
    #[tsify(optional)]
    pub website_id: Option<String>,
    #[serde(default)]
    #[tsify(optional)]
    pub organization_id: Option<String>,
    /// The Snag user to connect the wallet to.
    #[serde(default)]
    #[tsify(optional)]
    pub user_id: Option<String>,
    #[serde(default)]
    #[tsify(optional)]
    pub proof: Option<SnagProof>,
    #[serde(default)]
    #[tsify(optional)]
    pub confirm_disconnect: Option<bool>,
}

/// Options of `linkWallet`.
#[derive(Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct LinkWalletOptions {
    /// The Dynamic client: a `DynamicClient`, or any object with its methods.
    #[serde(with = "serde_wasm_bindgen::preserve")]
    #[tsify(type = "DynamicClientLike")]
    pub dynamic: JsValue,
    /// A wallet adapter (from `discoverEvmWallets` / `discoverSolanaWallets`) or any object with
    /// `signMessage`. Either this or `signMessage` is required.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(optional, type = "WalletLike")]
    pub wallet: JsValue,
    /// Signs the message's UTF-8 bytes: resolves to 0x-hex (EVM), base58 or base64 text, or bytes.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(
        optional,
        type = "(message: string) => Promise<string | Uint8Array> | string | Uint8Array"
    )]
    pub sign_message: JsValue,
    /// `EVM` (or `ETH`) or `SOL`; default `wallet.chain`.
    #[serde(default)]
    #[tsify(optional, type = "ChainEnum")]
    pub chain: Option<String>,
    /// The wallet address; default `wallet.address`, else `wallet.connect()`.
    #[serde(default)]
    #[tsify(optional)]
    pub address: Option<String>,
    /// Dynamic's `walletName` (e.g. `metamask`); default `wallet.walletName`.
    #[serde(default)]
    #[tsify(optional)]
    pub wallet_name: Option<String>,
    /// Dynamic's `walletProvider`; default `browserExtension`.
    #[serde(default)]
    #[tsify(optional, type = "WalletProviderEnum")]
    pub wallet_provider: Option<String>,
    /// Written as the message's `Request ID`; default `dynamic.environmentId`. Required by
    /// Dynamic's template.
    #[serde(default)]
    #[tsify(optional)]
    pub environment_id: Option<String>,
    /// The message format; default `dynamic`.
    #[serde(default)]
    #[tsify(optional)]
    pub message_format: Option<LinkMessageFormat>,
    /// `link` when `dynamic.authToken` is set, else `signIn`, unless given.
    #[serde(default)]
    #[tsify(optional)]
    pub mode: Option<LinkMode>,
    /// Also connect the wallet to Snag.
    #[serde(default)]
    #[tsify(optional)]
    pub snag: Option<LinkSnagOptions>,
    /// Names the app in Dynamic's default statement; default the domain.
    #[serde(default)]
    #[tsify(optional)]
    pub app_name: Option<String>,
    /// The statement; default Dynamic's welcome text (Dynamic, SIWE) or none (SIWS).
    #[serde(default)]
    #[tsify(optional)]
    pub statement: Option<String>,
    /// The message's domain; default `location.host`.
    #[serde(default)]
    #[tsify(optional)]
    pub domain: Option<String>,
    /// The message's URI; default `location.origin + location.pathname`.
    #[serde(default)]
    #[tsify(optional)]
    pub uri: Option<String>,
    /// EVM chain id (default `wallet.chainId`, else 1), or a Solana cluster for SIWS
    /// (e.g. `"mainnet"`).
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(optional, type = "number | string")]
    pub chain_id: JsValue,
    /// Cancels the flow between steps and while waiting for the wallet (`ABORTED`).
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(optional, type = "AbortSignal")]
    pub signal: JsValue,
    /// Called as each step starts (for progress displays); what it throws is ignored.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(optional, type = "(step: LinkStep) => void")]
    pub on_step: JsValue,
}

/// Links a wallet (or signs in with it) in one call: nonce, message, signature, a local check of
/// the signature, then Dynamic's `verify/link` (or `verify`), and optionally Snag's
/// `users/connect`.
///
/// A signature that does not verify locally is refused with `SIGNATURE_MISMATCH` (step
/// "verify") before any request carries it. Every failure is a `WalletLinkerError` whose `step`
/// names where it happened: `USER_REJECTED` at "sign" when the user declines in the wallet,
/// `HTTP_ERROR` at "link" when Dynamic refuses (with `status` and `apiCode`), and so on.
#[wasm_bindgen(js_name = linkWallet, unchecked_return_type = "Promise<LinkResult>")]
pub fn link_wallet(options: Ts<LinkWalletOptions>) -> Promise {
    let original = options.js_value();
    let options = input::ts(&options, "options").map(|parsed| with_originals(parsed, &original));
    wasm_bindgen_futures::future_to_promise(async move { Ok(run(options?).await?) })
}

/// Puts back the caller's own objects (clients, wallet, callbacks): argument reading works on a
/// copy of plain objects, and a duck-typed client's methods must run on the caller's object
/// (its `this` and state), not on a copy.
fn with_originals(mut options: LinkWalletOptions, original: &JsValue) -> LinkWalletOptions {
    let own = |object: &JsValue, key: &str, copy: JsValue| {
        let value = get(object, key);
        if value.is_undefined() || value.is_null() {
            copy
        } else {
            value
        }
    };
    options.dynamic = own(original, "dynamic", options.dynamic);
    options.wallet = own(original, "wallet", options.wallet);
    options.sign_message = own(original, "signMessage", options.sign_message);
    options.signal = own(original, "signal", options.signal);
    options.on_step = own(original, "onStep", options.on_step);
    if let Some(snag) = options.snag.as_mut() {
        let original_snag = get(original, "snag");
        snag.client = own(&original_snag, "client", std::mem::take(&mut snag.client));
    }
    options
}

// ---------------------------------------------------------------------------------------------

fn aborted() -> Error {
    Error::new(ErrorCode::Aborted, "linkWallet was aborted by its signal")
}

/// The caller's `AbortSignal`, checked between steps and raced against slow promises.
struct Abort {
    signal: Option<AbortSignal>,
}

impl Abort {
    fn check(&self) -> Result<()> {
        match &self.signal {
            Some(signal) if signal.aborted() => Err(aborted()),
            _ => Ok(()),
        }
    }

    /// Awaits `value` (a promise or a plain value); rejects with `ABORTED` as soon as the signal
    /// fires.
    async fn race(&self, value: JsValue) -> core::result::Result<JsValue, JsValue> {
        let Some(signal) = &self.signal else {
            return settle(value).await;
        };
        if signal.aborted() {
            return Err(aborted().into());
        }
        let mut reject_slot: Option<Function> = None;
        let on_abort = Promise::new(&mut |_resolve, reject| reject_slot = Some(reject));
        let Some(reject) = reject_slot else {
            return settle(value).await;
        };
        let listener = Closure::<dyn FnMut()>::new(move || {
            let _ = reject.call1(&JsValue::UNDEFINED, &aborted().into());
        });
        let listener_fn: &Function = listener.as_ref().unchecked_ref();
        let listen = |method: &str| {
            if let Some(f) = get_function(signal, method) {
                let _ = f.call2(signal, &JsValue::from_str("abort"), listener_fn);
            }
        };
        listen("addEventListener");
        let race = Promise::race(&Array::of2(&Promise::resolve(&value), &on_abort));
        let outcome = JsFuture::from(race).await;
        listen("removeEventListener");
        drop(listener);
        outcome
    }
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message).with_field(field)
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// `performance.now()` in milliseconds (with `Date.now()` where there is no `performance`).
fn precise_now_ms() -> f64 {
    let performance = get(&js_sys::global(), "performance");
    get_function(&performance, "now")
        .and_then(|now| now.call0(&performance).ok())
        .and_then(|t| t.as_f64())
        .unwrap_or_else(now_ms)
}

fn iso_now() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// `location.host`, or `location.origin + location.pathname`, for a default.
fn from_location(parts: &[&str]) -> Option<String> {
    let location = get(&js_sys::global(), "location");
    parts
        .iter()
        .map(|part| get_string(&location, part))
        .collect()
}

/// The core's plan, with the caller's objects it is carried out with.
struct Plan {
    dynamic: JsValue,
    wallet: Option<JsValue>,
    sign_callback: Option<Function>,
    core: flow::Plan,
    text: MessageText,
}

impl core::ops::Deref for Plan {
    type Target = flow::Plan;
    fn deref(&self) -> &flow::Plan {
        &self.core
    }
}

/// Reads the caller's objects (their methods and properties) for the core's plan.
fn plan(options: &LinkWalletOptions) -> Result<Plan> {
    let dynamic = options.dynamic.clone();
    let has = |name: &str| get_function(&dynamic, name).is_some();
    if !has("getNonce") || !has("verify") || !has("verifyLink") {
        return Err(invalid(
            "dynamic",
            "dynamic must be a DynamicClient (an object with getNonce, verify and verifyLink)",
        ));
    }
    let wallet = Some(options.wallet.clone()).filter(JsValue::is_object);
    let sign_callback = if options.sign_message.is_undefined() || options.sign_message.is_null() {
        None
    } else {
        Some(
            options
                .sign_message
                .clone()
                .dyn_into::<Function>()
                .map_err(|_| invalid("signMessage", "signMessage must be a function"))?,
        )
    };
    if sign_callback.is_none()
        && !wallet.as_ref().is_some_and(|w| {
            get_function(w, "signMessage").is_some() || get_function(w, "signIn").is_some()
        })
    {
        return Err(invalid(
            "wallet",
            "give a wallet (an adapter with signMessage) or a signMessage callback",
        ));
    }
    let signal = &options.signal;
    if !signal.is_undefined() && !signal.is_null() && !signal.is_instance_of::<AbortSignal>() {
        return Err(invalid("signal", "signal must be an AbortSignal"));
    }
    let core = flow::plan(PlanInput {
        chain: options
            .chain
            .clone()
            .or_else(|| wallet.as_ref().and_then(|w| get_string(w, "chain"))),
        format: options.message_format,
        mode: options.mode,
        signed_in: get_string(&dynamic, "authToken").is_some_and(|t| !t.is_empty()),
        environment_id: options
            .environment_id
            .clone()
            .or_else(|| get_string(&dynamic, "environmentId")),
        domain: options.domain.clone().or_else(|| from_location(&["host"])),
        uri: options
            .uri
            .clone()
            .or_else(|| from_location(&["origin", "pathname"])),
        address_given: options.address.is_some(),
        sign_callback: sign_callback.is_some(),
        wallet_signs_in: wallet.as_ref().is_some_and(|w| {
            get(w, "canSignIn").as_bool() == Some(true) && get_function(w, "signIn").is_some()
        }),
    })?;
    let text = MessageText {
        statement: options.statement.clone(),
        app_name: options.app_name.clone(),
        solana_chain_id: options.chain_id.as_string(),
    };
    Ok(Plan {
        dynamic,
        wallet,
        sign_callback,
        core,
        text,
    })
}

/// Calls `onStep(step)`, ignoring whatever it throws.
fn report_step(on_step: &Option<Function>, step: LinkStep) {
    if let Some(f) = on_step {
        let _ = f.call1(&JsValue::UNDEFINED, &JsValue::from_str(step.as_str()));
    }
}

/// Calls a service method and awaits it; its rejection keeps its code (e.g. `HTTP_ERROR`).
async fn call_service(
    abort: &Abort,
    object: &JsValue,
    method: &str,
    args: &[JsValue],
    fallback: ErrorCode,
) -> Result<JsValue> {
    let function = get_function(object, method)
        .ok_or_else(|| invalid(method, format!("the client has no {method}() method")))?;
    let arguments: Array = args.iter().collect();
    let value = Reflect::apply(&function, object, &arguments).map_err(|e| from_js(&e, fallback))?;
    abort.race(value).await.map_err(|e| from_js(&e, fallback))
}

/// The wallet's signature value as text or bytes.
fn wallet_signature(family: ChainFamily, value: &JsValue) -> Result<WalletSignature> {
    if family == ChainFamily::Solana && !value.is_string() && !value.is_instance_of::<Uint8Array>()
    {
        return Err(Error::new(
            ErrorCode::WalletError,
            "the wallet returned no signature bytes",
        ));
    }
    Ok(match input::text_or_bytes(value, "signature")? {
        input::TextOrBytes::Text(text) => WalletSignature::Text(text),
        input::TextOrBytes::Bytes(bytes) => WalletSignature::Bytes(bytes),
    })
}

/// The signature as the services expect it and its bytes, checked locally for `address`.
fn checked_signature(
    plan: &Plan,
    value: &JsValue,
    message: &str,
    address: &str,
    nonce: &str,
    chain_id: Option<u64>,
) -> Result<String> {
    let (text, bytes) =
        flow::normalize_signature(plan.family, wallet_signature(plan.family, value)?)?;
    flow::verify_locally(
        plan,
        message,
        &bytes,
        address,
        nonce,
        chain_id,
        now_ms() as i64,
    )?;
    Ok(text)
}

/// The wallet's address: `options.address`, else `wallet.address`, else `wallet.connect()`.
async fn resolve_address(
    options: &LinkWalletOptions,
    plan: &Plan,
    abort: &Abort,
) -> Result<String> {
    let address = match (&options.address, &plan.wallet) {
        (Some(address), _) => address.clone(),
        (None, Some(wallet)) => match get_string(wallet, "address") {
            Some(address) => address,
            None => {
                let connect = get_function(wallet, "connect").ok_or_else(|| {
                    invalid(
                        "address",
                        "address is required: the wallet has no connect()",
                    )
                })?;
                let value = connect
                    .call0(wallet)
                    .map_err(|e| wallet_error(&e, "connect"))?;
                let value = abort
                    .race(value)
                    .await
                    .map_err(|e| wallet_error(&e, "connect"))?;
                match value.as_string() {
                    Some(address) => address,
                    None => get_string(wallet, "address").ok_or_else(|| {
                        Error::new(ErrorCode::WalletError, "connect() gave no address")
                    })?,
                }
            }
        },
        (None, None) => return Err(invalid("address", "address is required with signMessage")),
    };
    flow::wallet_address(plan.family, &address)
}

fn evm_chain_id(options: &LinkWalletOptions, wallet: Option<&JsValue>) -> Result<u64> {
    let given = &options.chain_id;
    let given = if given.is_undefined() || given.is_null() {
        None
    } else {
        Some(given.as_f64().unwrap_or(f64::NAN))
    };
    flow::evm_chain_id(given, wallet.and_then(|w| get(w, "chainId").as_f64()))
}

struct Signed {
    address: String,
    message: String,
    signature_value: JsValue,
}

async fn run(options: LinkWalletOptions) -> Result<JsValue> {
    let on_step = options.on_step.clone().dyn_into::<Function>().ok();
    let abort = Abort {
        signal: options.signal.clone().dyn_into::<AbortSignal>().ok(),
    };
    let plan = plan(&options)?;
    abort.check()?;

    // 1. The address (the wallet may prompt the user).
    let mut address = None;
    let mut chain_id = None;
    if !plan.wallet_sign_in {
        report_step(&on_step, LinkStep::Connect);
        let resolved = resolve_address(&options, &plan, &abort)
            .await
            .map_err(|e| e.with_step("connect"))?;
        if plan.family == ChainFamily::Evm {
            chain_id = Some(
                evm_chain_id(&options, plan.wallet.as_ref()).map_err(|e| e.with_step("message"))?,
            );
        }
        address = Some(resolved);
    }

    // 2. A fresh nonce from Dynamic.
    abort.check().map_err(|e| e.with_step("nonce"))?;
    report_step(&on_step, LinkStep::Nonce);
    let nonce = call_service(
        &abort,
        &plan.dynamic,
        "getNonce",
        &[],
        ErrorCode::InvalidResponse,
    )
    .await
    .and_then(|n| {
        n.as_string().filter(|n| !n.is_empty()).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidResponse,
                "getNonce() did not give a nonce string",
            )
        })
    })
    .map_err(|e| e.with_step("nonce"))?;

    // 3. The message.
    abort.check().map_err(|e| e.with_step("message"))?;
    report_step(&on_step, LinkStep::Message);
    let issued_at = iso_now();
    let message = match (&address, plan.format) {
        (Some(address), _) => {
            flow::build_message(&plan, &plan.text, address, chain_id, &nonce, &issued_at)
        }
        (None, LinkMessageFormat::Siws) => {
            let input = flow::siws_input(&plan, &plan.text, String::new(), &nonce, &issued_at);
            // The wallet builds the text itself, writing its own address.
            let js = input::to_js(&input).map_err(|e| e.with_step("message"))?;
            let _ = Reflect::delete_property(
                js.unchecked_ref::<Object>(),
                &JsValue::from_str("address"),
            );
            return sign_in_with_wallet(&options, &plan, &abort, &on_step, js, nonce).await;
        }
        (None, _) => Err(Error::new(
            ErrorCode::Internal,
            "no address to write in the message",
        )),
    }
    .map_err(|e| e.with_step("message"))?;
    let address = address.unwrap_or_default();

    // 4. The wallet signs.
    abort.check().map_err(|e| e.with_step("sign"))?;
    report_step(&on_step, LinkStep::Sign);
    let signature_value = sign(&plan, &abort, &message)
        .await
        .map_err(|e| e.with_step("sign"))?;
    finish(
        &options,
        &plan,
        &abort,
        &on_step,
        Signed {
            address,
            message,
            signature_value,
        },
        &nonce,
        chain_id,
    )
    .await
}

/// Snag through your backend's link server (a `LinkServerClient`): it only accepts a proof with a
/// nonce it issued, so the wallet signs a second message with that nonce, which is checked here
/// first like the first one; the user's new Dynamic JWT authenticates the call.
async fn connect_link_server(
    snag: &LinkSnagOptions,
    plan: &Plan,
    abort: &Abort,
    address: &str,
    jwt: Option<String>,
    chain_id: Option<u64>,
) -> Result<JsValue> {
    let nonce = call_service(
        abort,
        &snag.client,
        "getNonce",
        &[],
        ErrorCode::InvalidResponse,
    )
    .await?
    .as_string()
    .filter(|n| !n.is_empty())
    .ok_or_else(|| Error::new(ErrorCode::InvalidResponse, "getNonce() gave no nonce"))?;
    let message = flow::build_message(plan, &plan.text, address, chain_id, &nonce, &iso_now())?;
    abort.check()?;
    let signature_value = sign(plan, abort, &message).await?;
    let signature = checked_signature(plan, &signature_value, &message, address, &nonce, chain_id)?;
    if let Some(jwt) = jwt {
        Reflect::set(
            &snag.client,
            &JsValue::from_str("authToken"),
            &JsValue::from_str(&jwt),
        )
        .map_err(|e| from_js(&e, ErrorCode::InvalidArgument))?;
    }
    let params = Object::new();
    for (key, value) in [
        ("walletType", flow::wallet_type(plan.family)),
        ("walletAddress", address),
        ("message", message.as_str()),
        ("signature", signature.as_str()),
    ] {
        let _ = Reflect::set(&params, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    call_service(
        abort,
        &snag.client,
        "connectWallet",
        &[params.into()],
        ErrorCode::InvalidResponse,
    )
    .await
}

async fn sign(plan: &Plan, abort: &Abort, message: &str) -> Result<JsValue> {
    let text = JsValue::from_str(message);
    let value = match (&plan.sign_callback, &plan.wallet) {
        (Some(callback), _) => callback.call1(&JsValue::UNDEFINED, &text),
        (None, Some(wallet)) => match get_function(wallet, "signMessage") {
            Some(f) => f.call1(wallet, &text),
            None => {
                return Err(Error::new(
                    ErrorCode::WalletNotFound,
                    "the wallet cannot sign messages (no signMessage)",
                ));
            }
        },
        (None, None) => return Err(invalid("signMessage", "nothing can sign the message")),
    }
    .map_err(|e| wallet_error(&e, "sign the message"))?;
    abort
        .race(value)
        .await
        .map_err(|e| wallet_error(&e, "sign the message"))
}

/// SIWS through the wallet's `signIn`: the wallet connects, builds and signs the message.
async fn sign_in_with_wallet(
    options: &LinkWalletOptions,
    plan: &Plan,
    abort: &Abort,
    on_step: &Option<Function>,
    input: JsValue,
    nonce: String,
) -> Result<JsValue> {
    let wallet = plan
        .wallet
        .clone()
        .ok_or_else(|| Error::new(ErrorCode::Internal, "no wallet to sign in with"))?;
    abort.check().map_err(|e| e.with_step("sign"))?;
    report_step(on_step, LinkStep::Sign);
    let output = async {
        let sign_in = get_function(&wallet, "signIn")
            .ok_or_else(|| Error::new(ErrorCode::WalletNotFound, "the wallet has no signIn()"))?;
        let value = sign_in
            .call1(&wallet, &input)
            .map_err(|e| wallet_error(&e, "sign in"))?;
        let value = abort
            .race(value)
            .await
            .map_err(|e| wallet_error(&e, "sign in"))?;
        let address = get_string(&value, "address")
            .ok_or_else(|| Error::new(ErrorCode::WalletError, "signIn() gave no address"))?;
        let message = get_string(&value, "message")
            .ok_or_else(|| Error::new(ErrorCode::WalletError, "signIn() gave no message"))?;
        Ok::<_, Error>(Signed {
            address,
            message,
            signature_value: get(&value, "signature"),
        })
    }
    .await
    .map_err(|e| e.with_step("sign"))?;
    finish(options, plan, abort, on_step, output, &nonce, None).await
}

/// Steps 5 to 7: local verification, Dynamic, Snag, and the result.
async fn finish(
    options: &LinkWalletOptions,
    plan: &Plan,
    abort: &Abort,
    on_step: &Option<Function>,
    signed: Signed,
    nonce: &str,
    chain_id: Option<u64>,
) -> Result<JsValue> {
    let Signed {
        address,
        message,
        signature_value,
    } = signed;

    // 5. Local verification: nothing leaves the page unless the signature is right.
    report_step(on_step, LinkStep::Verify);
    let started = precise_now_ms();
    let checked = checked_signature(plan, &signature_value, &message, &address, nonce, chain_id);
    let micros = ((precise_now_ms() - started) * 1000.0).round().max(0.0);
    let signature = checked.map_err(|e| e.with_step("verify"))?;

    // 6. Dynamic: link the wallet, or sign in with it.
    abort.check().map_err(|e| e.with_step("link"))?;
    report_step(on_step, LinkStep::Link);
    let proof = Proof {
        address,
        message,
        signature,
    };
    let wallet_name = options.wallet_name.clone().or_else(|| {
        plan.wallet
            .as_ref()
            .and_then(|w| get_string(w, "walletName"))
    });
    let request = flow::at(
        LinkStep::Link,
        flow::verify_request(plan, &proof, wallet_name, options.wallet_provider.clone()),
    )?;
    let method = plan.mode.dynamic_method();
    let request_js = input::to_js(&request).map_err(|e| e.with_step("link"))?;
    let response = call_service(
        abort,
        &plan.dynamic,
        method,
        &[request_js],
        ErrorCode::InvalidResponse,
    )
    .await
    .map_err(|e| e.with_step("link"))?;
    let user = get(&response, "user");
    if !user.is_object() {
        return Err(Error::new(
            ErrorCode::InvalidResponse,
            format!("{method}() gave no user"),
        )
        .with_step("link"));
    }
    let credentials = get(&user, "verifiedCredentials");
    let credentials = if Array::is_array(&credentials) {
        credentials
    } else {
        Array::new().into()
    };
    let jwt = get(&response, "jwt").as_string();

    // 7. Snag, with the same proof or the new Dynamic JWT.
    let snag = match &options.snag {
        Some(snag) => {
            abort.check().map_err(|e| e.with_step("snag"))?;
            report_step(on_step, LinkStep::Snag);
            Some(
                connect_snag(snag, plan, abort, &proof, jwt.clone(), chain_id)
                    .await
                    .map_err(|e| e.with_step("snag"))?,
            )
        }
        None => None,
    };

    let result = Object::new();
    let put = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&result, &JsValue::from_str(key), value);
    };
    put("mode", &JsValue::from_str(plan.mode.as_str()));
    if let Some(jwt) = &jwt {
        put("jwt", &JsValue::from_str(jwt));
    }
    put("user", &user);
    put("verifiedCredentials", &credentials);
    put("chain", &JsValue::from_str(&plan.chain));
    put("address", &JsValue::from_str(&proof.address));
    put("walletName", &JsValue::from_str(&request.wallet_name));
    put("message", &JsValue::from_str(&proof.message));
    put("signature", &JsValue::from_str(&proof.signature));
    let local = Object::new();
    let _ = Reflect::set(&local, &JsValue::from_str("ok"), &JsValue::TRUE);
    let _ = Reflect::set(
        &local,
        &JsValue::from_str("micros"),
        &JsValue::from_f64(micros),
    );
    let _ = Reflect::set(
        &local,
        &JsValue::from_str("address"),
        &JsValue::from_str(&proof.address),
    );
    put("localCheck", &local);
    put("response", &response);
    if let Some(snag) = &snag {
        put("snag", snag);
    }
    Ok(result.into())
}

async fn connect_snag(
    snag: &LinkSnagOptions,
    plan: &Plan,
    abort: &Abort,
    proof: &Proof,
    jwt: Option<String>,
    chain_id: Option<u64>,
) -> Result<JsValue> {
    if get_function(&snag.client, "getNonce").is_some() {
        return connect_link_server(snag, plan, abort, &proof.address, jwt, chain_id).await;
    }
    let target = SnagTarget {
        website_id: snag.website_id.clone(),
        organization_id: snag.organization_id.clone(),
        user_id: snag.user_id.clone(),
        proof: snag.proof,
        confirm_disconnect: snag.confirm_disconnect,
    };
    let jwt = jwt.or_else(|| get_string(&plan.dynamic, "authToken"));
    let params = flow::snag_params(&target, plan.family, proof, jwt)?;
    let params = input::to_js(&params)?;
    call_service(
        abort,
        &snag.client,
        "connectWallet",
        &[params],
        ErrorCode::InvalidResponse,
    )
    .await
}
