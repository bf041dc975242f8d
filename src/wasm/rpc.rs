//! `verifyEvmMessage` and `verifyEvmSignIn` ([`crate::exports::rpc`]): the RPC a caller gives is a
//! JSON-RPC URL (through `fetch`) or an EIP-1193 provider (through the runtime's
//! `providerRequest`).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::fetch::{FetchTransport, JsJson};
use super::{Core, runtime};
use crate::error::Result;
use crate::exports::rpc::{self, HostRpc};

/// The RPC of the on-chain checks.
pub(super) type Rpc = HostRpc<JsValue, FetchTransport, JsJson>;

/// `rpc` as the caller gave it, with its time budget.
pub(super) fn make_rpc(rpc: JsValue, timeout_ms: Option<f64>) -> Result<Rpc> {
    HostRpc::new(
        rpc,
        timeout_ms,
        runtime(),
        FetchTransport::new(None),
        JsJson,
    )
}

#[wasm_bindgen(typescript_custom_section)]
const TS_RPC: &str = include_str!("types/rpc.d.ts");

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = verifyEvmMessage, reexport, skip_typescript)]
    fn reexport_verify_evm_message();
    #[wasm_bindgen(js_name = verifyEvmSignIn, reexport, skip_typescript)]
    fn reexport_verify_evm_sign_in();
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    #[wasm_bindgen(js_name = verifyEvmMessage)]
    pub fn verify_evm_message(&self, options: JsValue) -> Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(rpc::verify_evm_message(&options, make_rpc).await?)
        })
    }

    #[wasm_bindgen(js_name = verifyEvmSignIn)]
    pub fn verify_evm_sign_in(&self, options: JsValue) -> Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(rpc::verify_evm_sign_in(&options, make_rpc).await?)
        })
    }
}
