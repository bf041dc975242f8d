//! `verifyEvmMessage` and `verifyEvmSignIn`: the checks of any kind of EVM account, through the
//! RPC the caller gives: a JSON-RPC URL (through the clients' transport: timeouts, bounded bodies)
//! or an EIP-1193 provider such as the connected wallet (through the runtime's
//! `providerRequest(provider, method, params, ms, timedOut)`, which rejects with `timedOut` when
//! the provider has not answered after `ms`).

use serde::{Deserialize, Serialize};

use super::{Signed, any_evm_signature, message_bytes, text};
use crate::api::json_rpc::rpc_timeout_ms;
use crate::api::{JsonCodec, JsonRpcClient, Transport};
use crate::error::{Error, ErrorCode, Result};
use crate::evm::contract::{EvmRpc, rpc_error};
use crate::host::{self, HostValue, error_value};
use crate::message::SiweMessage;
use crate::{evm, signin};

/// The RPC a caller gave.
pub enum HostRpc<V, T, J> {
    Url(JsonRpcClient<T, J>),
    Provider {
        provider: V,
        timeout_ms: u64,
        runtime: V,
    },
}

impl<V, T, J> HostRpc<V, T, J>
where
    V: HostValue,
    T: Transport,
    J: JsonCodec,
{
    /// `rpc` as the caller gave it: an http(s) URL or an object with `request()`.
    pub fn new(rpc: V, timeout_ms: Option<f64>, runtime: V, transport: T, json: J) -> Result<Self> {
        let timeout_ms = rpc_timeout_ms(timeout_ms)?;
        if let Some(url) = rpc.text() {
            return JsonRpcClient::new(&url, timeout_ms, transport, json).map(HostRpc::Url);
        }
        if rpc.has_method("request") {
            return Ok(HostRpc::Provider {
                provider: rpc,
                timeout_ms,
                runtime,
            });
        }
        Err(Error::new(
            ErrorCode::InvalidArgument,
            "rpc must be an http(s) JSON-RPC URL or an EIP-1193 provider (an object with request())",
        )
        .with_field("rpc"))
    }
}

impl<V, T, J> EvmRpc for HostRpc<V, T, J>
where
    V: HostValue,
    T: Transport,
    J: JsonCodec,
{
    async fn request(&self, method: &'static str, params: &str) -> Result<String> {
        let (provider, timeout_ms, runtime) = match self {
            HostRpc::Url(client) => return client.request(method, params).await,
            HostRpc::Provider {
                provider,
                timeout_ms,
                runtime,
            } => (provider, *timeout_ms, runtime),
        };
        let timed_out = Error::new(
            ErrorCode::Timeout,
            format!("the provider did not answer {method} within {timeout_ms} ms"),
        );
        let args = [
            provider.clone(),
            V::from_str(method),
            V::from_str(params),
            V::from_f64(timeout_ms as f64),
            error_value(&timed_out),
        ];
        let answer = runtime.ask("providerRequest", &args).await;
        let answer = answer.map_err(|thrown| {
            let ours = host::thrown_error(&thrown, ErrorCode::RpcError);
            if ours.code != ErrorCode::RpcError {
                return ours;
            }
            let code = thrown.get("code").number();
            rpc_error(method, code, thrown.get_text("message").as_deref())
        })?;
        answer.text().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidResponse,
                format!("the provider's answer to {method} is not a string"),
            )
        })
    }
}

/// The members `verifyEvmMessage` and `verifyEvmSignIn` add: the RPC's time budget, and the
/// address (of `verifyEvmMessage`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OnChain {
    timeout_ms: Option<f64>,
    address: Option<String>,
}

/// Reads the RPC from the options' copy; `make` makes it from the value and the time budget.
fn on_chain<V: HostValue, R>(
    copy: &V,
    make: impl FnOnce(V, Option<f64>) -> Result<R>,
) -> Result<(OnChain, R)> {
    let on_chain: OnChain = host::read_snapshot(copy, "options")?;
    let rpc = copy.get("rpc");
    if rpc.is_nullish() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "rpc is required: an http(s) JSON-RPC URL or an EIP-1193 provider",
        )
        .with_field("rpc"));
    }
    let rpc = make(rpc, on_chain.timeout_ms)?;
    Ok((on_chain, rpc))
}

/// `verifyEvmMessage(options)`: `{ valid, kind? }`.
pub async fn verify_evm_message<V: HostValue, R: EvmRpc>(
    options: &V,
    make_rpc: impl FnOnce(V, Option<f64>) -> Result<R>,
) -> Result<V> {
    let copy = host::snapshot(options, "options")?;
    let (signed, _) = Signed::<V>::from_copy::<serde::de::IgnoredAny>(&copy)?;
    let message = message_bytes(&signed.message)?;
    let signature = any_evm_signature(&signed.signature)?;
    let (on_chain, rpc) = on_chain(&copy, make_rpc)?;
    let address = on_chain.address.ok_or_else(|| {
        Error::new(ErrorCode::InvalidArgument, "address is required").with_field("address")
    })?;
    let verdict = evm::verify_message(&rpc, &message, &signature, &address).await?;
    V::serialize(&verdict)
}

#[derive(Serialize)]
struct EvmSignInResult {
    fields: SiweMessage,
    kind: evm::SignatureKind,
}

/// `verifyEvmSignIn(options)`: `{ fields, kind }`.
pub async fn verify_evm_sign_in<V: HostValue, R: EvmRpc>(
    options: &V,
    make_rpc: impl FnOnce(V, Option<f64>) -> Result<R>,
) -> Result<V> {
    let copy = host::snapshot(options, "options")?;
    let (signed, mut check) = Signed::<V>::from_copy::<signin::SiweCheck>(&copy)?;
    check.now_ms = signed.now_ms()?;
    let message = text(&signed.message, "message")?;
    let signature = any_evm_signature(&signed.signature)?;
    let (_, rpc) = on_chain(&copy, make_rpc)?;
    let (fields, kind) =
        signin::verify_siwe_sign_in_with_rpc(&message, &signature, &check, &rpc).await?;
    V::serialize(&EvmSignInResult { fields, kind })
}
