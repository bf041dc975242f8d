//! The RPC a caller gives the on-chain signature checks: a JSON-RPC URL (through `fetch`, with
//! the clients' timeouts and bounded bodies) or an EIP-1193 provider such as the connected wallet.

use wasm_bindgen::prelude::*;

use serde::Deserialize;

use super::Core;
use super::error::from_js;
use super::fetch::{FetchTransport, JsJson};
use super::input;
use super::verify::{Signed, message_bytes, now_ms, read_options};
use super::wallets::{get, get_function, get_string};
use crate::api::JsonRpcClient;
use crate::api::json_rpc::rpc_timeout_ms;
use crate::error::{Error, ErrorCode, Result};
use crate::evm::contract::{EvmRpc, rpc_error};
use crate::message::siwe::SiweMessage;
use crate::{evm, signin};

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = providerRequest)]
    async fn provider_request(
        provider: &JsValue,
        method: &str,
        params: &str,
        ms: f64,
        timed_out: &JsValue,
    ) -> core::result::Result<JsValue, JsValue>;
}

pub(super) enum Rpc {
    Url(JsonRpcClient<FetchTransport, JsJson>),
    Provider { provider: JsValue, timeout_ms: u64 },
}

impl Rpc {
    /// `rpc` as the caller gave it: an http(s) URL or an object with `request()`.
    pub(super) fn from_js(rpc: JsValue, timeout_ms: Option<f64>) -> Result<Rpc> {
        let timeout_ms = rpc_timeout_ms(timeout_ms)?;
        if let Some(url) = rpc.as_string() {
            return JsonRpcClient::new(&url, timeout_ms, FetchTransport::new(None), JsJson)
                .map(Rpc::Url);
        }
        if get_function(&rpc, "request").is_some() {
            return Ok(Rpc::Provider {
                provider: rpc,
                timeout_ms,
            });
        }
        Err(Error::new(
            ErrorCode::InvalidArgument,
            "rpc must be an http(s) JSON-RPC URL or an EIP-1193 provider (an object with request())",
        )
        .with_field("rpc"))
    }
}

impl EvmRpc for Rpc {
    async fn request(&self, method: &'static str, params: &str) -> Result<String> {
        let (provider, timeout_ms) = match self {
            Rpc::Url(client) => return client.request(method, params).await,
            Rpc::Provider {
                provider,
                timeout_ms,
            } => (provider, *timeout_ms),
        };
        let timed_out = Error::new(
            ErrorCode::Timeout,
            format!("the provider did not answer {method} within {timeout_ms} ms"),
        );
        let answer = provider_request(
            provider,
            method,
            params,
            timeout_ms as f64,
            &timed_out.into(),
        )
        .await
        .map_err(|thrown| {
            let ours = from_js(&thrown, ErrorCode::RpcError);
            if ours.code != ErrorCode::RpcError {
                return ours;
            }
            let code = get(&thrown, "code").as_f64();
            rpc_error(method, code, get_string(&thrown, "message").as_deref())
        })?;
        answer.as_string().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidResponse,
                format!("the provider's answer to {method} is not a string"),
            )
        })
    }
}

// ---------------------------------------------------------------------------------------------
// verifyEvmMessage and verifyEvmSignIn: the checks of any kind of EVM account, through the RPC.

#[wasm_bindgen(typescript_custom_section)]
const TS_RPC: &str = include_str!("types/rpc.d.ts");

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = verifyEvmMessage, reexport, skip_typescript)]
    fn reexport_verify_evm_message();
    #[wasm_bindgen(js_name = verifyEvmSignIn, reexport, skip_typescript)]
    fn reexport_verify_evm_sign_in();
}

/// The members `verifyEvmMessage` and `verifyEvmSignIn` add: the RPC and its time budget.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OnChain {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    rpc: JsValue,
    #[serde(default)]
    timeout_ms: Option<f64>,
    #[serde(default)]
    address: Option<String>,
}

impl OnChain {
    fn rpc(self) -> Result<Rpc> {
        if self.rpc.is_undefined() || self.rpc.is_null() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "rpc is required: an http(s) JSON-RPC URL or an EIP-1193 provider",
            )
            .with_field("rpc"));
        }
        Rpc::from_js(self.rpc, self.timeout_ms)
    }
}

/// A signature of any kind of account: hex of any length, or bytes.
fn any_evm_signature(value: &JsValue) -> Result<Vec<u8>> {
    input::text_or_bytes(value, "signature")?.decode(evm::contract::decode_any_signature)
}

#[derive(serde::Serialize)]
struct EvmSignInResult {
    fields: SiweMessage,
    kind: evm::SignatureKind,
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    #[wasm_bindgen(js_name = verifyEvmMessage)]
    pub fn verify_evm_message(&self, options: JsValue) -> js_sys::Promise {
        let prepared = (|| -> Result<_> {
            let (signed, on_chain) = read_options::<Signed, OnChain>(&options)?;
            let message = message_bytes(&signed.message)?;
            let signature = any_evm_signature(&signed.signature)?;
            let address = on_chain.address.clone().ok_or_else(|| {
                Error::new(ErrorCode::InvalidArgument, "address is required").with_field("address")
            })?;
            Ok((message, signature, address, on_chain.rpc()?))
        })();
        wasm_bindgen_futures::future_to_promise(async move {
            let (message, signature, address, rpc) = prepared?;
            let verdict = evm::verify_message(&rpc, &message, &signature, &address).await?;
            Ok(input::to_js(&verdict)?)
        })
    }

    #[wasm_bindgen(js_name = verifyEvmSignIn)]
    pub fn verify_evm_sign_in(&self, options: JsValue) -> js_sys::Promise {
        let prepared = (|| -> Result<_> {
            let (signed, mut check) = read_options::<Signed, signin::SiweCheck>(&options)?;
            let (_, on_chain) = read_options::<Signed, OnChain>(&options)?;
            check.now_ms = now_ms(signed.now.as_ref())?;
            let message = input::string(&signed.message, "message")?;
            let signature = any_evm_signature(&signed.signature)?;
            Ok((message, signature, check, on_chain.rpc()?))
        })();
        wasm_bindgen_futures::future_to_promise(async move {
            let (message, signature, check, rpc) = prepared?;
            let (fields, kind) =
                signin::verify_siwe_sign_in_with_rpc(&message, &signature, &check, &rpc).await?;
            Ok(input::to_js(&EvmSignInResult { fields, kind })?)
        })
    }
}
