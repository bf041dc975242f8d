//! `linkWallet` over the caller's objects: reads the options, finds the wallet, the clients and
//! the RPC, runs the core flow ([`crate::flow::run`]) and builds the `LinkResult`.
//!
//! The objects are reached through [`HostValue`] and a host object (`linkHost` in
//! `src/wasm/js/boundary.js`) that awaits the wallet and the services, races every wait against
//! the caller's `signal` and turns what they throw into coded errors. Its members: `connect()`,
//! `sign(message)`, `signIn(input)`, `dynamic(method, argument)`, `snag(method, argument)`,
//! `step(step)`, `aborted()`, `signal` (the caller's `AbortSignal`, when it is one), `now()`,
//! `preciseNow()` and `location(parts)`.

use crate::api::{SnagConnectParams, VerifyRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::evm::EvmRpc;
use crate::flow::{
    self, LinkMode, LinkOutcome, LinkStep, LinkWalletInput, PlanInput, Proof, WalletSignIn,
    WalletSignature,
};
use crate::host::{self, HostValue};
use crate::message::{ChainFamily, SolanaSignInInput};
use crate::signin::format_rfc3339_ms;

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message).with_field(field)
}

/// `host[method](...args)`, awaited; the host's failures are already coded errors.
async fn ask<V: HostValue>(host: &V, method: &str, args: &[V]) -> Result<V> {
    host.ask(method, args)
        .await
        .map_err(|thrown| host::thrown_error(&thrown, ErrorCode::Internal))
}

/// The caller's options: the data read into the core's input, the objects kept as they are.
struct Caller<V> {
    input: LinkWalletInput,
    dynamic: V,
    wallet: Option<V>,
    snag: Option<V>,
    rpc: V,
    host: V,
    sign_callback: bool,
}

impl<V: HostValue> Caller<V> {
    fn read(options: &V, host: V) -> Result<Self> {
        let copy = host::object_snapshot(options, "options")?;
        let input: LinkWalletInput = host::read_snapshot(&copy, "options")?;
        let dynamic = options.get("dynamic");
        let has = |name: &str| dynamic.has_method(name);
        if !has("getNonce") || !has("verify") || !has("verifyLink") {
            return Err(invalid(
                "dynamic",
                "dynamic must be a DynamicClient (an object with getNonce, verify and verifyLink)",
            ));
        }
        let wallet = Some(options.get("wallet")).filter(|w| w.is_record() || w.is_function());
        let sign_message = options.get("signMessage");
        let sign_callback = !sign_message.is_nullish();
        if sign_callback && !sign_message.is_function() {
            return Err(invalid("signMessage", "signMessage must be a function"));
        }
        let wallet_has = |name: &str| wallet.as_ref().is_some_and(|w| w.has_method(name));
        if !sign_callback && !wallet_has("signMessage") && !wallet_has("signIn") {
            return Err(invalid(
                "wallet",
                "give a wallet (an adapter with signMessage) or a signMessage callback",
            ));
        }
        // The host keeps the signal only when it is an `AbortSignal`.
        if !options.get("signal").is_nullish() && host.get("signal").is_nullish() {
            return Err(invalid("signal", "signal must be an AbortSignal"));
        }
        let snag = input
            .snag
            .is_some()
            .then(|| options.get("snag").get("client"));
        Ok(Caller {
            input,
            dynamic,
            wallet,
            snag,
            rpc: options.get("rpc"),
            host,
            sign_callback,
        })
    }

    fn wallet_string(&self, key: &str) -> Option<String> {
        self.wallet.as_ref().and_then(|w| w.get_text(key))
    }

    fn wallet_has(&self, name: &str) -> bool {
        self.wallet.as_ref().is_some_and(|w| w.has_method(name))
    }

    /// `location.host`, or `location.origin + location.pathname`, where there is a location.
    fn location(&self, parts: &[&str]) -> Option<String> {
        let parts = parts.iter().map(|p| V::from_str(p)).collect();
        let parts = V::new_array(parts);
        self.host.call_method("location", &[parts]).ok()?.text()
    }

    fn plan(&self) -> Result<flow::Plan> {
        let input = &self.input;
        flow::plan(PlanInput {
            chain: input.chain.clone().or_else(|| self.wallet_string("chain")),
            format: input.message_format,
            mode: input.mode,
            signed_in: self
                .dynamic
                .get_text("authToken")
                .is_some_and(|t| !t.is_empty()),
            environment_id: input
                .environment_id
                .clone()
                .or_else(|| self.dynamic.get_text("environmentId")),
            domain: input.domain.clone().or_else(|| self.location(&["host"])),
            uri: input
                .uri
                .clone()
                .or_else(|| self.location(&["origin", "pathname"])),
            address_given: input.address.is_some(),
            sign_callback: self.sign_callback,
            wallet_signs_in: self.wallet.as_ref().is_some_and(|w| {
                w.get("canSignIn").boolean() == Some(true) && w.has_method("signIn")
            }),
        })
    }

    /// The RPC for smart accounts: `options.rpc`, else the wallet's EIP-1193 provider, if any.
    fn evm_rpc<R>(&self, make: impl Fn(V) -> Result<R>) -> Result<Option<R>> {
        if !self.rpc.is_nullish() {
            return make(self.rpc.clone()).map(Some);
        }
        let provider = self
            .wallet
            .as_ref()
            .map(|wallet| wallet.get("provider"))
            .filter(|provider| provider.has_method("request"));
        provider.map(make).transpose()
    }
}

/// The wallet's signature value as text or bytes.
fn wallet_signature<V: HostValue>(family: ChainFamily, value: &V) -> Result<WalletSignature> {
    match host::given_text_or_bytes(value, "signature")? {
        Some(signature) => Ok(signature),
        None if family == ChainFamily::Solana => Err(Error::new(
            ErrorCode::WalletError,
            "the wallet returned no signature bytes",
        )),
        None => Err(host::wrong_type(
            "signature",
            "a string or a Uint8Array",
            value,
        )),
    }
}

/// The caller's wallet (or `signMessage` callback) as the core flow's wallet.
struct HostWallet<'a, V> {
    caller: &'a Caller<V>,
    family: ChainFamily,
}

impl<V: HostValue> flow::Wallet for HostWallet<'_, V> {
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
            .text()
            .ok_or_else(|| Error::new(ErrorCode::WalletError, "connect() gave no address"))
    }

    fn chain_id(&self) -> Option<f64> {
        let wallet = self.caller.wallet.as_ref()?;
        wallet.get("chainId").number()
    }

    async fn sign_message(&self, message: &str) -> Result<WalletSignature> {
        if !self.caller.sign_callback && !self.caller.wallet_has("signMessage") {
            return Err(Error::new(
                ErrorCode::WalletNotFound,
                "the wallet cannot sign messages (no signMessage)",
            ));
        }
        let value = ask(&self.caller.host, "sign", &[V::from_str(message)]).await?;
        wallet_signature(self.family, &value)
    }

    async fn sign_in(&self, input: &SolanaSignInInput) -> Result<WalletSignIn> {
        if !self.caller.wallet_has("signIn") {
            return Err(Error::new(
                ErrorCode::WalletNotFound,
                "the wallet has no signIn()",
            ));
        }
        let argument = V::serialize(input)?;
        // The wallet writes its own address.
        argument.delete("address");
        let value = ask(&self.caller.host, "signIn", &[argument]).await?;
        let text = |key: &str| {
            value.get_text(key).ok_or_else(|| {
                Error::new(ErrorCode::WalletError, format!("signIn() gave no {key}"))
            })
        };
        Ok(WalletSignIn {
            address: text("address")?,
            message: text("message")?,
            signature: wallet_signature(self.family, &value.get("signature"))?,
        })
    }
}

/// A service object reached through its methods (this package's clients, or any look-alike).
struct HostService<'a, V> {
    object: V,
    /// The host's method that calls it: `dynamic` or `snag`.
    through: &'static str,
    host: &'a V,
}

impl<V: HostValue> HostService<'_, V> {
    async fn call(&self, method: &str, argument: V) -> Result<V> {
        ask(self.host, self.through, &[V::from_str(method), argument]).await
    }

    async fn nonce(&self) -> Result<String> {
        self.call("getNonce", V::undefined())
            .await?
            .text()
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidResponse,
                    "getNonce() did not give a nonce string",
                )
            })
    }
}

impl<V: HostValue> flow::DynamicApi for HostService<'_, V> {
    type Response = V;

    async fn get_nonce(&self) -> Result<String> {
        self.nonce().await
    }

    async fn verify(&self, mode: LinkMode, request: &VerifyRequest) -> Result<V> {
        self.call(mode.dynamic_method(), V::serialize(request)?)
            .await
    }

    fn auth_token(&self) -> Option<String> {
        self.object.get_text("authToken")
    }

    fn response_jwt(&self, response: &V) -> Option<String> {
        response.get_text("jwt")
    }

    fn response_has_user(&self, response: &V) -> bool {
        let user = response.get("user");
        user.is_record() || user.array_length().is_some()
    }
}

impl<V: HostValue> flow::SnagApi for HostService<'_, V> {
    type Response = V;

    fn is_link_server(&self) -> bool {
        self.object.has_method("getNonce")
    }

    async fn get_nonce(&self) -> Result<String> {
        self.nonce().await
    }

    fn set_auth_token(&self, jwt: &str) -> Result<()> {
        self.object
            .set("authToken", V::from_str(jwt))
            .map_err(|thrown| host::thrown_error(&thrown, ErrorCode::InvalidArgument))
    }

    async fn connect(&self, params: &SnagConnectParams) -> Result<V> {
        self.call("connectWallet", V::serialize(params)?).await
    }

    async fn connect_proof(&self, wallet_type: &str, proof: &Proof) -> Result<V> {
        let params = V::new_object();
        for (key, value) in [
            ("walletType", wallet_type),
            ("walletAddress", proof.address.as_str()),
            ("message", proof.message.as_str()),
            ("signature", proof.signature.as_str()),
        ] {
            let _ = params.set(key, V::from_str(value));
        }
        self.call("connectWallet", params).await
    }
}

/// Steps, the abort check and the clocks, through the host.
struct HostSteps<'a, V> {
    host: &'a V,
}

impl<V: HostValue> HostSteps<'_, V> {
    fn number(&self, method: &str) -> f64 {
        let answer = self.host.call_method(method, &[]).ok();
        answer.and_then(|n| n.number()).unwrap_or(0.0)
    }
}

impl<V: HostValue> flow::Host for HostSteps<'_, V> {
    fn step(&self, step: LinkStep) {
        // What `onStep` throws is ignored: progress displays must not break the flow.
        let _ = self.host.call_method("step", &[V::from_str(step.as_str())]);
    }

    fn check_aborted(&self) -> Result<()> {
        let aborted = self.host.call_method("aborted", &[]).ok();
        match aborted.and_then(|v| v.boolean()) {
            Some(true) => Err(Error::new(
                ErrorCode::Aborted,
                "linkWallet was aborted by its signal",
            )),
            _ => Ok(()),
        }
    }

    fn now_ms(&self) -> i64 {
        self.number("now") as i64
    }

    fn now_text(&self) -> String {
        format_rfc3339_ms(self.now_ms())
    }

    fn precise_ms(&self) -> f64 {
        self.number("preciseNow")
    }
}

/// Runs `linkWallet(options)` with `host` (see the module's documentation); `make_rpc` makes the
/// smart-account RPC from `options.rpc` or the wallet's provider. Resolves to the `LinkResult`.
pub async fn link_wallet<V, R>(options: &V, host: V, make_rpc: impl Fn(V) -> Result<R>) -> Result<V>
where
    V: HostValue,
    R: EvmRpc,
{
    let caller = Caller::read(options, host)?;
    let plan = caller.plan()?;
    let flow_options = caller
        .input
        .flow_options(caller.wallet_string("walletName"));
    let wallet = HostWallet {
        caller: &caller,
        family: plan.family,
    };
    let dynamic = HostService {
        object: caller.dynamic.clone(),
        through: "dynamic",
        host: &caller.host,
    };
    let snag = caller.snag.clone().map(|object| HostService {
        object,
        through: "snag",
        host: &caller.host,
    });
    let rpc = caller.evm_rpc(make_rpc)?;
    let steps = HostSteps { host: &caller.host };
    let outcome = flow::run(
        &plan,
        &flow_options,
        &wallet,
        &dynamic,
        snag.as_ref(),
        &steps,
        rpc.as_ref(),
    )
    .await?;
    Ok(link_result(&plan, outcome))
}

/// The `LinkResult` object (declared in `src/wasm/types/flow.d.ts`).
fn link_result<V: HostValue>(plan: &flow::Plan, outcome: LinkOutcome<V, V>) -> V {
    let user = outcome.response.get("user");
    let credentials = user.get("verifiedCredentials");
    let credentials = match credentials.array_length() {
        Some(_) => credentials,
        None => V::new_array(Vec::new()),
    };
    let proof = &outcome.proof;
    let text = V::from_str;
    let local_check = V::new_object();
    let _ = local_check.set("ok", V::from_bool(true));
    let _ = local_check.set("micros", V::from_f64(outcome.micros));
    let _ = local_check.set("address", text(&proof.address));
    if let Some(kind) = outcome.kind {
        let _ = local_check.set("kind", text(kind.as_str()));
    }
    let result = V::new_object();
    let mut members = vec![("mode", text(plan.mode.as_str()))];
    if let Some(jwt) = &outcome.jwt {
        members.push(("jwt", text(jwt)));
    }
    members.extend([
        ("user", user),
        ("verifiedCredentials", credentials),
        ("chain", text(&plan.chain)),
        ("address", text(&proof.address)),
        ("walletName", text(&outcome.wallet_name)),
        ("message", text(&proof.message)),
        ("signature", text(&proof.signature)),
        ("localCheck", local_check),
        ("response", outcome.response.clone()),
    ]);
    if let Some(snag) = outcome.snag {
        members.push(("snag", snag));
    }
    for (key, value) in members {
        let _ = result.set(key, value);
    }
    result
}
