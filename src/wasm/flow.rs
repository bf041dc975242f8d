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
use web_sys::AbortSignal;

use super::error::{from_js, wallet_error};
use super::input;
use super::rpc::Rpc;
use super::wallets::{get, get_function, get_string};
use crate::api::{SnagConnectParams, VerifyRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::evm::SignatureKind;
use crate::flow::{
    self, FlowOptions, LinkMessageFormat, LinkMode, LinkOutcome, LinkStep, MessageText, PlanInput,
    Proof, SnagProof, SnagTarget, WalletSignIn, WalletSignature,
};
use crate::message::ChainFamily;
use crate::message::SolanaSignInInput;

#[wasm_bindgen(typescript_custom_section)]
const TS_FLOW: &str = include_str!("types/flow.d.ts");

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
    /// Snag's `walletType` when it is not the chain's: `imx` for Immutable Passport (EVM).
    #[serde(default)]
    #[tsify(optional, type = "\"evm\" | \"imx\" | \"solana\"")]
    pub wallet_type: Option<String>,
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
    /// Where an EVM smart account's signature is checked (EIP-1271/6492): a JSON-RPC URL or an
    /// EIP-1193 provider on the message's chain; default the wallet's own provider
    /// (`wallet.provider`). A key's signature never needs it.
    #[serde(default, with = "serde_wasm_bindgen::preserve")]
    #[tsify(optional, type = "string | Eip1193Provider")]
    pub rpc: JsValue,
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

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = raceAbort)]
    async fn race_abort(
        value: JsValue,
        signal: Option<AbortSignal>,
    ) -> core::result::Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = preciseNow)]
    fn precise_now_ms() -> f64;
    /// `location.host`, or `location.origin + location.pathname`, for a default.
    #[wasm_bindgen(js_name = fromLocation)]
    pub(super) fn from_location(parts: Vec<String>) -> Option<String>;
}

/// The caller's `AbortSignal`, checked between steps and raced against slow promises.
struct Abort {
    signal: Option<AbortSignal>,
}

impl Abort {
    fn check(&self) -> Result<()> {
        match &self.signal {
            Some(signal) if signal.aborted() => Err(Error::new(
                ErrorCode::Aborted,
                "linkWallet was aborted by its signal",
            )),
            _ => Ok(()),
        }
    }

    /// Awaits `value` (a promise or a plain value); rejects with `ABORTED` as soon as the signal
    /// fires.
    async fn race(&self, value: JsValue) -> core::result::Result<JsValue, JsValue> {
        race_abort(value, self.signal.clone()).await
    }
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message).with_field(field)
}

/// The core's plan, with the caller's objects it is carried out with.
struct Plan {
    dynamic: JsValue,
    wallet: Option<JsValue>,
    sign_callback: Option<Function>,
    core: flow::Plan,
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
        domain: options
            .domain
            .clone()
            .or_else(|| from_location(vec!["host".into()])),
        uri: options
            .uri
            .clone()
            .or_else(|| from_location(vec!["origin".into(), "pathname".into()])),
        address_given: options.address.is_some(),
        sign_callback: sign_callback.is_some(),
        wallet_signs_in: wallet.as_ref().is_some_and(|w| {
            get(w, "canSignIn").as_bool() == Some(true) && get_function(w, "signIn").is_some()
        }),
    })?;
    Ok(Plan {
        dynamic,
        wallet,
        sign_callback,
        core,
    })
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

// ---------------------------------------------------------------------------------------------
// The caller's objects as the core flow's wallet, services and host.

struct JsWallet<'a> {
    options: &'a LinkWalletOptions,
    plan: &'a Plan,
    abort: &'a Abort,
}

impl flow::Wallet for JsWallet<'_> {
    fn known_address(&self) -> Option<String> {
        self.options.address.clone().or_else(|| {
            self.plan
                .wallet
                .as_ref()
                .and_then(|w| get_string(w, "address"))
        })
    }

    async fn connect(&self) -> Result<String> {
        let Some(wallet) = &self.plan.wallet else {
            return Err(invalid("address", "address is required with signMessage"));
        };
        let connect = get_function(wallet, "connect").ok_or_else(|| {
            invalid(
                "address",
                "address is required: the wallet has no connect()",
            )
        })?;
        let value = connect
            .call0(wallet)
            .map_err(|e| wallet_error(&e, "connect"))?;
        let value = self
            .abort
            .race(value)
            .await
            .map_err(|e| wallet_error(&e, "connect"))?;
        value
            .as_string()
            .or_else(|| get_string(wallet, "address"))
            .ok_or_else(|| Error::new(ErrorCode::WalletError, "connect() gave no address"))
    }

    fn chain_id(&self) -> Option<f64> {
        self.plan
            .wallet
            .as_ref()
            .and_then(|w| get(w, "chainId").as_f64())
    }

    async fn sign_message(&self, message: &str) -> Result<WalletSignature> {
        let text = JsValue::from_str(message);
        let value = match (&self.plan.sign_callback, &self.plan.wallet) {
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
        let value = self
            .abort
            .race(value)
            .await
            .map_err(|e| wallet_error(&e, "sign the message"))?;
        wallet_signature(self.plan.family, &value)
    }

    async fn sign_in(&self, input: &SolanaSignInInput) -> Result<WalletSignIn> {
        let wallet = self
            .plan
            .wallet
            .as_ref()
            .ok_or_else(|| Error::new(ErrorCode::Internal, "no wallet to sign in with"))?;
        let sign_in = get_function(wallet, "signIn")
            .ok_or_else(|| Error::new(ErrorCode::WalletNotFound, "the wallet has no signIn()"))?;
        // The wallet writes its own address.
        let js = input::to_js(input)?;
        let _ =
            Reflect::delete_property(js.unchecked_ref::<Object>(), &JsValue::from_str("address"));
        let value = sign_in
            .call1(wallet, &js)
            .map_err(|e| wallet_error(&e, "sign in"))?;
        let value = self
            .abort
            .race(value)
            .await
            .map_err(|e| wallet_error(&e, "sign in"))?;
        Ok(WalletSignIn {
            address: get_string(&value, "address")
                .ok_or_else(|| Error::new(ErrorCode::WalletError, "signIn() gave no address"))?,
            message: get_string(&value, "message")
                .ok_or_else(|| Error::new(ErrorCode::WalletError, "signIn() gave no message"))?,
            signature: wallet_signature(self.plan.family, &get(&value, "signature"))?,
        })
    }
}

/// A service object reached through its methods (this package's clients, or any look-alike).
struct JsService<'a> {
    object: JsValue,
    abort: &'a Abort,
}

impl JsService<'_> {
    async fn call(&self, method: &str, args: &[JsValue]) -> Result<JsValue> {
        call_service(
            self.abort,
            &self.object,
            method,
            args,
            ErrorCode::InvalidResponse,
        )
        .await
    }

    async fn nonce(&self) -> Result<String> {
        self.call("getNonce", &[])
            .await?
            .as_string()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidResponse,
                    "getNonce() did not give a nonce string",
                )
            })
    }
}

impl flow::DynamicApi for JsService<'_> {
    type Response = JsValue;

    async fn get_nonce(&self) -> Result<String> {
        self.nonce().await
    }

    async fn verify(&self, mode: LinkMode, request: &VerifyRequest) -> Result<JsValue> {
        self.call(mode.dynamic_method(), &[input::to_js(request)?])
            .await
    }

    fn auth_token(&self) -> Option<String> {
        get_string(&self.object, "authToken")
    }

    fn response_jwt(&self, response: &JsValue) -> Option<String> {
        get(response, "jwt").as_string()
    }

    fn response_has_user(&self, response: &JsValue) -> bool {
        get(response, "user").is_object()
    }
}

impl flow::SnagApi for JsService<'_> {
    type Response = JsValue;

    fn is_link_server(&self) -> bool {
        get_function(&self.object, "getNonce").is_some()
    }

    async fn get_nonce(&self) -> Result<String> {
        self.nonce().await
    }

    fn set_auth_token(&self, jwt: &str) -> Result<()> {
        Reflect::set(
            &self.object,
            &JsValue::from_str("authToken"),
            &JsValue::from_str(jwt),
        )
        .map(|_| ())
        .map_err(|e| from_js(&e, ErrorCode::InvalidArgument))
    }

    async fn connect(&self, params: &SnagConnectParams) -> Result<JsValue> {
        self.call("connectWallet", &[input::to_js(params)?]).await
    }

    async fn connect_proof(&self, wallet_type: &str, proof: &Proof) -> Result<JsValue> {
        let params = Object::new();
        for (key, value) in [
            ("walletType", wallet_type),
            ("walletAddress", proof.address.as_str()),
            ("message", proof.message.as_str()),
            ("signature", proof.signature.as_str()),
        ] {
            let _ = Reflect::set(&params, &JsValue::from_str(key), &JsValue::from_str(value));
        }
        self.call("connectWallet", &[params.into()]).await
    }
}

struct JsHost<'a> {
    on_step: Option<Function>,
    abort: &'a Abort,
}

impl flow::Host for JsHost<'_> {
    fn step(&self, step: LinkStep) {
        // What the callback throws is ignored: progress displays must not break the flow.
        if let Some(f) = &self.on_step {
            let _ = f.call1(&JsValue::UNDEFINED, &JsValue::from_str(step.as_str()));
        }
    }

    fn check_aborted(&self) -> Result<()> {
        self.abort.check()
    }

    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn now_text(&self) -> String {
        js_sys::Date::new_0().to_iso_string().into()
    }

    fn precise_ms(&self) -> f64 {
        precise_now_ms()
    }
}

/// The RPC for smart accounts: `options.rpc`, else the wallet's EIP-1193 provider, if any.
fn evm_rpc(options: &LinkWalletOptions, plan: &Plan) -> Result<Option<Rpc>> {
    if !options.rpc.is_undefined() && !options.rpc.is_null() {
        return Rpc::from_js(options.rpc.clone(), None).map(Some);
    }
    let provider = plan
        .wallet
        .as_ref()
        .map(|wallet| get(wallet, "provider"))
        .filter(|provider| get_function(provider, "request").is_some());
    provider
        .map(|provider| Rpc::from_js(provider, None))
        .transpose()
}

async fn run(options: LinkWalletOptions) -> Result<JsValue> {
    let abort = Abort {
        signal: options.signal.clone().dyn_into::<AbortSignal>().ok(),
    };
    let plan = plan(&options)?;
    let given_chain_id = &options.chain_id;
    let flow_options = FlowOptions {
        text: MessageText {
            statement: options.statement.clone(),
            app_name: options.app_name.clone(),
            solana_chain_id: given_chain_id.as_string(),
        },
        wallet_name: options.wallet_name.clone().or_else(|| {
            plan.wallet
                .as_ref()
                .and_then(|w| get_string(w, "walletName"))
        }),
        wallet_provider: options.wallet_provider.clone(),
        chain_id: (!given_chain_id.is_undefined() && !given_chain_id.is_null())
            .then(|| given_chain_id.as_f64().unwrap_or(f64::NAN)),
        snag: options.snag.as_ref().map(|snag| SnagTarget {
            wallet_type: snag.wallet_type.clone(),
            website_id: snag.website_id.clone(),
            organization_id: snag.organization_id.clone(),
            user_id: snag.user_id.clone(),
            proof: snag.proof,
            confirm_disconnect: snag.confirm_disconnect,
        }),
    };
    let wallet = JsWallet {
        options: &options,
        plan: &plan,
        abort: &abort,
    };
    let dynamic = JsService {
        object: plan.dynamic.clone(),
        abort: &abort,
    };
    let snag = options.snag.as_ref().map(|snag| JsService {
        object: snag.client.clone(),
        abort: &abort,
    });
    let host = JsHost {
        on_step: options.on_step.clone().dyn_into::<Function>().ok(),
        abort: &abort,
    };
    let rpc = evm_rpc(&options, &plan)?;
    let outcome = flow::run(
        &plan,
        &flow_options,
        &wallet,
        &dynamic,
        snag.as_ref(),
        &host,
        rpc.as_ref(),
    )
    .await?;
    link_result(&plan, outcome)
}

/// The `LinkResult` object (declared in `types/flow.d.ts`).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct LinkResult<'a> {
    mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    jwt: Option<&'a str>,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    user: JsValue,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    verified_credentials: JsValue,
    chain: &'a str,
    address: &'a str,
    wallet_name: &'a str,
    message: &'a str,
    signature: &'a str,
    local_check: LocalCheck<'a>,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    response: JsValue,
    #[serde(
        skip_serializing_if = "JsValue::is_undefined",
        with = "serde_wasm_bindgen::preserve"
    )]
    snag: JsValue,
}

#[derive(serde::Serialize)]
struct LocalCheck<'a> {
    ok: bool,
    micros: f64,
    address: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<SignatureKind>,
}

fn link_result(plan: &Plan, outcome: LinkOutcome<JsValue, JsValue>) -> Result<JsValue> {
    let user = get(&outcome.response, "user");
    let credentials = get(&user, "verifiedCredentials");
    let proof = &outcome.proof;
    input::to_js(&LinkResult {
        mode: plan.mode.as_str(),
        jwt: outcome.jwt.as_deref(),
        verified_credentials: if Array::is_array(&credentials) {
            credentials
        } else {
            Array::new().into()
        },
        user,
        chain: &plan.chain,
        address: &proof.address,
        wallet_name: &outcome.wallet_name,
        message: &proof.message,
        signature: &proof.signature,
        local_check: LocalCheck {
            ok: true,
            micros: outcome.micros,
            address: &proof.address,
            kind: outcome.kind,
        },
        response: outcome.response.clone(),
        snag: outcome.snag.clone().unwrap_or(JsValue::UNDEFINED),
    })
}
