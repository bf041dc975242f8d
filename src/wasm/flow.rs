//! `linkWallet`: the core's flow ([`crate::flow`]) run with the caller's objects.
//!
//! `linkWallet` itself is JavaScript (`js/boundary.js`): it hands the options and a host to
//! [`Core::link_wallet`]. The host reaches the caller's objects (the wallet or the `signMessage`
//! callback, the Dynamic and Snag clients, `onStep`), races every wait against the `signal`, and
//! turns what they throw into coded errors. Everything else is read and decided here and in the
//! core: the options (`crate::flow::LinkWalletInput`), the plan, the message, the local check, the
//! requests and the result.

use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::Core;
use super::error::from_js;
use super::input;
use super::messages::from_location;
use super::rpc::Rpc;
use super::wallets::{get, get_function, get_string};
use crate::api::{SnagConnectParams, VerifyRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::evm::SignatureKind;
use crate::flow::{
    self, LinkMode, LinkOutcome, LinkStep, LinkWalletInput, PlanInput, Proof, WalletSignIn,
    WalletSignature,
};
use crate::message::{ChainFamily, SolanaSignInInput};

#[wasm_bindgen(typescript_custom_section)]
const TS_FLOW: &str = include_str!("types/flow.d.ts");

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = linkWallet, reexport, skip_typescript)]
    fn link_wallet_function();
    #[wasm_bindgen(js_name = preciseNow)]
    fn precise_now_ms() -> f64;
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    /// Runs `linkWallet(options)`; `host` reaches the caller's objects (`linkHost` in
    /// boundary.js).
    #[wasm_bindgen(js_name = linkWallet)]
    pub fn link_wallet(&self, options: JsValue, host: JsValue) -> Promise {
        wasm_bindgen_futures::future_to_promise(async move { Ok(run(options, host).await?) })
    }

    /// What a service threw, as a coded error: one of this package's keeps its code, anything
    /// else is `INVALID_RESPONSE`.
    #[wasm_bindgen(js_name = serviceError)]
    pub fn service_error(&self, thrown: JsValue) -> JsValue {
        from_js(&thrown, ErrorCode::InvalidResponse).into()
    }
}

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message).with_field(field)
}

/// Calls `host[method](...args)` and awaits it. The host's failures are already coded errors.
async fn ask(host: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue> {
    let function = get_function(host, method)
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("the host has no {method}()")))?;
    let arguments: Array = args.iter().collect();
    let value = Reflect::apply(&function, host, &arguments)
        .map_err(|e| from_js(&e, ErrorCode::Internal))?;
    JsFuture::from(Promise::resolve(&value))
        .await
        .map_err(|e| from_js(&e, ErrorCode::Internal))
}

/// The caller's options: the data read into the core's input, the objects kept as they are.
struct Caller {
    input: LinkWalletInput,
    dynamic: JsValue,
    wallet: Option<JsValue>,
    snag: Option<JsValue>,
    rpc: JsValue,
    host: JsValue,
    sign_callback: bool,
}

fn read_caller(options: &JsValue, host: JsValue) -> Result<Caller> {
    let input: LinkWalletInput = input::object(options, "options")?;
    let dynamic = get(options, "dynamic");
    let has = |name: &str| get_function(&dynamic, name).is_some();
    if !has("getNonce") || !has("verify") || !has("verifyLink") {
        return Err(invalid(
            "dynamic",
            "dynamic must be a DynamicClient (an object with getNonce, verify and verifyLink)",
        ));
    }
    let wallet = Some(get(options, "wallet")).filter(JsValue::is_object);
    let sign_message = get(options, "signMessage");
    let sign_callback = !sign_message.is_undefined() && !sign_message.is_null();
    if sign_callback && !sign_message.is_function() {
        return Err(invalid("signMessage", "signMessage must be a function"));
    }
    let wallet_has = |name: &str| {
        wallet
            .as_ref()
            .is_some_and(|w| get_function(w, name).is_some())
    };
    if !sign_callback && !wallet_has("signMessage") && !wallet_has("signIn") {
        return Err(invalid(
            "wallet",
            "give a wallet (an adapter with signMessage) or a signMessage callback",
        ));
    }
    let signal = get(options, "signal");
    if !signal.is_undefined()
        && !signal.is_null()
        && !signal.is_instance_of::<web_sys::AbortSignal>()
    {
        return Err(invalid("signal", "signal must be an AbortSignal"));
    }
    let snag = input
        .snag
        .is_some()
        .then(|| get(&get(options, "snag"), "client"));
    Ok(Caller {
        input,
        dynamic,
        wallet,
        snag,
        rpc: get(options, "rpc"),
        host,
        sign_callback,
    })
}

impl Caller {
    fn wallet_string(&self, key: &str) -> Option<String> {
        self.wallet.as_ref().and_then(|w| get_string(w, key))
    }

    fn wallet_has(&self, name: &str) -> bool {
        self.wallet
            .as_ref()
            .is_some_and(|w| get_function(w, name).is_some())
    }

    fn plan(&self) -> Result<flow::Plan> {
        let input = &self.input;
        flow::plan(PlanInput {
            chain: input.chain.clone().or_else(|| self.wallet_string("chain")),
            format: input.message_format,
            mode: input.mode,
            signed_in: get_string(&self.dynamic, "authToken").is_some_and(|t| !t.is_empty()),
            environment_id: input
                .environment_id
                .clone()
                .or_else(|| get_string(&self.dynamic, "environmentId")),
            domain: input
                .domain
                .clone()
                .or_else(|| from_location(vec!["host".into()])),
            uri: input
                .uri
                .clone()
                .or_else(|| from_location(vec!["origin".into(), "pathname".into()])),
            address_given: input.address.is_some(),
            sign_callback: self.sign_callback,
            wallet_signs_in: self.wallet.as_ref().is_some_and(|w| {
                get(w, "canSignIn").as_bool() == Some(true) && self.wallet_has("signIn")
            }),
        })
    }

    /// The RPC for smart accounts: `options.rpc`, else the wallet's EIP-1193 provider, if any.
    fn evm_rpc(&self) -> Result<Option<Rpc>> {
        if !self.rpc.is_undefined() && !self.rpc.is_null() {
            return Rpc::from_js(self.rpc.clone(), None).map(Some);
        }
        let provider = self
            .wallet
            .as_ref()
            .map(|wallet| get(wallet, "provider"))
            .filter(|provider| get_function(provider, "request").is_some());
        provider
            .map(|provider| Rpc::from_js(provider, None))
            .transpose()
    }
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
    input::text_or_bytes(value, "signature")
}

/// The caller's wallet (or `signMessage` callback) as the core flow's wallet.
struct JsWallet<'a> {
    caller: &'a Caller,
    family: ChainFamily,
}

impl flow::Wallet for JsWallet<'_> {
    fn known_address(&self) -> Option<String> {
        let caller = self.caller;
        caller
            .input
            .address
            .clone()
            .or_else(|| caller.wallet_string("address"))
    }

    async fn connect(&self) -> Result<String> {
        if self.caller.wallet.is_none() {
            return Err(invalid("address", "address is required with signMessage"));
        }
        if !self.caller.wallet_has("connect") {
            return Err(invalid(
                "address",
                "address is required: the wallet has no connect()",
            ));
        }
        ask(&self.caller.host, "connect", &[])
            .await?
            .as_string()
            .ok_or_else(|| Error::new(ErrorCode::WalletError, "connect() gave no address"))
    }

    fn chain_id(&self) -> Option<f64> {
        self.caller
            .wallet
            .as_ref()
            .and_then(|w| get(w, "chainId").as_f64())
    }

    async fn sign_message(&self, message: &str) -> Result<WalletSignature> {
        if !self.caller.sign_callback && !self.caller.wallet_has("signMessage") {
            return Err(Error::new(
                ErrorCode::WalletNotFound,
                "the wallet cannot sign messages (no signMessage)",
            ));
        }
        let value = ask(&self.caller.host, "sign", &[JsValue::from_str(message)]).await?;
        wallet_signature(self.family, &value)
    }

    async fn sign_in(&self, input: &SolanaSignInInput) -> Result<WalletSignIn> {
        if !self.caller.wallet_has("signIn") {
            return Err(Error::new(
                ErrorCode::WalletNotFound,
                "the wallet has no signIn()",
            ));
        }
        // The wallet writes its own address.
        let js = input::to_js(input)?;
        let _ =
            Reflect::delete_property(js.unchecked_ref::<Object>(), &JsValue::from_str("address"));
        let value = ask(&self.caller.host, "signIn", &[js]).await?;
        let text = |key: &str| {
            get_string(&value, key).ok_or_else(|| {
                Error::new(ErrorCode::WalletError, format!("signIn() gave no {key}"))
            })
        };
        Ok(WalletSignIn {
            address: text("address")?,
            message: text("message")?,
            signature: wallet_signature(self.family, &get(&value, "signature"))?,
        })
    }
}

/// A service object reached through its methods (this package's clients, or any look-alike).
struct JsService<'a> {
    object: JsValue,
    /// The host's method that calls it: `dynamic` or `snag`.
    through: &'static str,
    host: &'a JsValue,
}

impl JsService<'_> {
    async fn call(&self, method: &str, argument: JsValue) -> Result<JsValue> {
        ask(
            self.host,
            self.through,
            &[JsValue::from_str(method), argument],
        )
        .await
    }

    async fn nonce(&self) -> Result<String> {
        self.call("getNonce", JsValue::UNDEFINED)
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
        self.call(mode.dynamic_method(), input::to_js(request)?)
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
        self.call("connectWallet", input::to_js(params)?).await
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
        self.call("connectWallet", params.into()).await
    }
}

struct JsHost<'a> {
    host: &'a JsValue,
}

impl flow::Host for JsHost<'_> {
    fn step(&self, step: LinkStep) {
        // The host ignores what `onStep` throws: progress displays must not break the flow.
        if let Some(f) = get_function(self.host, "step") {
            let _ = f.call1(self.host, &JsValue::from_str(step.as_str()));
        }
    }

    fn check_aborted(&self) -> Result<()> {
        let aborted = get_function(self.host, "aborted")
            .and_then(|f| f.call0(self.host).ok())
            .and_then(|v| v.as_bool());
        match aborted {
            Some(true) => Err(Error::new(
                ErrorCode::Aborted,
                "linkWallet was aborted by its signal",
            )),
            _ => Ok(()),
        }
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

async fn run(options: JsValue, host: JsValue) -> Result<JsValue> {
    let caller = read_caller(&options, host)?;
    let plan = caller.plan()?;
    let flow_options = caller
        .input
        .flow_options(caller.wallet_string("walletName"));
    let wallet = JsWallet {
        caller: &caller,
        family: plan.family,
    };
    let dynamic = JsService {
        object: caller.dynamic.clone(),
        through: "dynamic",
        host: &caller.host,
    };
    let snag = caller.snag.clone().map(|object| JsService {
        object,
        through: "snag",
        host: &caller.host,
    });
    let rpc = caller.evm_rpc()?;
    let outcome = flow::run(
        &plan,
        &flow_options,
        &wallet,
        &dynamic,
        snag.as_ref(),
        &JsHost { host: &caller.host },
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

fn link_result(plan: &flow::Plan, outcome: LinkOutcome<JsValue, JsValue>) -> Result<JsValue> {
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
