//! An EVM JSON-RPC endpoint over HTTP, for the on-chain signature checks ([`crate::evm::contract`]).
//!
//! Requests go through [`execute`], so they get the clients' timeouts, deadline, bounded bodies
//! and retries (a read-only call is retried like a `GET`). A JSON-RPC error object is `RPC_ERROR`
//! with its code in `apiCode`; a reply with neither a string `result` nor an `error` is
//! `INVALID_RESPONSE`.

use super::client::{Call, ClientOptions, MAX_TIMEOUT_MS, execute, whole_number};
use super::json::{JsonCodec, JsonKind};
use super::retry::Idempotency;
use super::transport::{Method, Transport};
use crate::error::{Error, ErrorCode, Result};
use crate::evm::contract::{EvmRpc, rpc_error};

/// Longest RPC URL accepted (provider URLs carry an API key in the path or the query).
const MAX_RPC_URL_CHARS: usize = 2048;

/// Default budget of one verification's RPC calls, every attempt included.
pub const DEFAULT_RPC_TIMEOUT_MS: u64 = 10_000;

pub struct JsonRpcClient<T, C> {
    options: ClientOptions,
    transport: T,
    codec: C,
}

/// An `http(s)://` URL with a host; a query is allowed (some providers put their key there).
pub fn validate_rpc_url(url: &str) -> Result<String> {
    let fail = |why: &str| {
        Error::new(ErrorCode::InvalidArgument, format!("rpc {why}"))
            .with_field("rpc")
            .with_expected("an http(s) JSON-RPC URL or an EIP-1193 provider")
            .with_received(url)
    };
    if url.chars().count() > MAX_RPC_URL_CHARS {
        return Err(fail("is too long"));
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(fail("contains a space or a control character"));
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| fail("is not an http(s) URL"))?;
    if rest.is_empty() || rest.starts_with(['/', '?', '#']) {
        return Err(fail("has no host"));
    }
    Ok(url.to_owned())
}

/// The budget of a verification's RPC calls: `timeoutMs` (1 ms to 10 minutes) or
/// [`DEFAULT_RPC_TIMEOUT_MS`].
pub fn rpc_timeout_ms(timeout_ms: Option<f64>) -> Result<u64> {
    timeout_ms.map_or(Ok(DEFAULT_RPC_TIMEOUT_MS), |ms| {
        whole_number(ms, "timeoutMs", 1, MAX_TIMEOUT_MS)
    })
}

impl<T: Transport, C: JsonCodec> JsonRpcClient<T, C> {
    /// A client of the endpoint at `url` (checked with [`validate_rpc_url`]); every call, retries
    /// included, ends within `timeout_ms`.
    pub fn new(url: &str, timeout_ms: u64, transport: T, codec: C) -> Result<Self> {
        let mut options = ClientOptions::new(&validate_rpc_url(url)?);
        options.timeout_ms = timeout_ms;
        options.deadline_ms = timeout_ms;
        Ok(JsonRpcClient {
            options,
            transport,
            codec,
        })
    }

    /// Builds the request of `method` with `params` (the JSON text of an array).
    pub fn prepare(&self, method: &'static str, params: &str) -> Call {
        let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params}}}"#);
        let mut call = Call::new(
            ("EVM RPC", method),
            &self.options,
            Method::Post,
            self.options.base_url.clone(),
            None,
            Some(body),
            &[],
        );
        call.idempotency = Idempotency::Idempotent;
        call
    }
}

impl<T: Transport, C: JsonCodec> EvmRpc for JsonRpcClient<T, C> {
    async fn request(&self, method: &'static str, params: &str) -> Result<String> {
        let call = self.prepare(method, params);
        let reply = execute(&self.transport, &self.codec, &call).await?;
        let codec = &self.codec;
        if let Some(error) = codec.member(&reply.value, "error") {
            let code = codec
                .member(&error, "code")
                .and_then(|c| codec.as_number(&c));
            let message = codec
                .member(&error, "message")
                .and_then(|m| codec.as_string(&m));
            return Err(rpc_error(method, code, message.as_deref()).with_status(reply.status));
        }
        codec
            .member(&reply.value, "result")
            .filter(|result| codec.kind(result) == JsonKind::String)
            .and_then(|result| codec.as_string(&result))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidResponse,
                    format!("the RPC's answer to {method} has no string result and no error"),
                )
                .with_status(reply.status)
                .with_body(reply.body)
            })
    }
}
