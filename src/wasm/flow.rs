//! `linkWallet`: JavaScript (`js/boundary.js`) hands the options and a host to
//! [`Core::link_wallet`]; the core ([`crate::link`], [`crate::flow`]) reads, decides and builds
//! the result.

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::*;

use super::Core;
use super::rpc::make_rpc;
use crate::error::ErrorCode;
use crate::host;

#[wasm_bindgen(typescript_custom_section)]
const TS_FLOW: &str = include_str!("types/flow.d.ts");

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = linkWallet, reexport, skip_typescript)]
    fn link_wallet_function();
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    /// Runs `linkWallet(options)`; `host` reaches the caller's objects (`linkHost` in
    /// boundary.js).
    #[wasm_bindgen(js_name = linkWallet)]
    pub fn link_wallet(&self, options: JsValue, host: JsValue) -> Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            let rpc = |rpc| make_rpc(rpc, None);
            Ok(crate::link::link_wallet(&options, host, rpc).await?)
        })
    }

    /// What a service threw, as a coded error: one of this package's keeps its code, anything
    /// else is `INVALID_RESPONSE`.
    #[wasm_bindgen(js_name = serviceError)]
    pub fn service_error(&self, thrown: JsValue) -> JsValue {
        host::thrown_error(&thrown, ErrorCode::InvalidResponse).into()
    }
}
