//! The JavaScript face of the crate: conversions at the boundary only. No logic lives here that
//! the core could hold.

#[cfg(feature = "services")]
mod clients;
mod de;
pub mod error;
#[cfg(feature = "services")]
mod fetch;
#[cfg(feature = "services")]
mod flow;
pub mod input;
mod messages;
#[cfg(feature = "services")]
mod rpc;
#[cfg(feature = "services")]
mod server;
mod verify;
#[cfg(feature = "services")]
mod wallets;

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::wasm_bindgen;

/// What the JavaScript half of the boundary (`js/boundary.js`: the client classes, the wallet
/// adapters) calls into: one object, handed over when the module starts. Private: the package
/// does not export it.
#[wasm_bindgen(private)]
pub struct Core;

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = setCore)]
    fn set_core(core: Core);
    /// What the core calls in the runtime: WebCrypto's RS256, a timer, an EIP-1193 request
    /// (`runtime` in `js/boundary.js`).
    #[cfg(feature = "services")]
    #[wasm_bindgen(thread_local_v2, js_name = runtime)]
    static RUNTIME: wasm_bindgen::JsValue;
}

#[cfg(feature = "services")]
fn runtime() -> wasm_bindgen::JsValue {
    RUNTIME.with(wasm_bindgen::JsValue::clone)
}

#[wasm_bindgen]
impl Core {
    /// The synchronous export `name` with its arguments ([`crate::exports::call`]).
    pub fn call(&self, name: &str, a: JsValue, b: JsValue, c: JsValue) -> crate::Result<JsValue> {
        crate::exports::call(name, &a, &b, &c)
    }
}

#[wasm_bindgen(start, private)]
fn start() {
    set_core(Core);
}

/// The package version (from Cargo.toml).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
