//! The RPC a caller gives the on-chain signature checks: a JSON-RPC URL (through `fetch`, with
//! the clients' timeouts and bounded bodies) or an EIP-1193 provider such as the connected wallet.

use wasm_bindgen::prelude::*;

use super::error::from_js;
use super::fetch::{FetchTransport, JsJson};
use super::wallets::{get, get_function, get_string};
use crate::api::JsonRpcClient;
use crate::api::json_rpc::rpc_timeout_ms;
use crate::error::{Error, ErrorCode, Result};
use crate::evm::contract::{EvmRpc, rpc_error};

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
