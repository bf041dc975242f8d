//! The service clients as JavaScript classes (`DynamicClient`, `DynamicAdminClient`, `SnagClient`,
//! `LinkServerClient` in `js/boundary.js`), each over a [`ClientCore`]: the core's
//! [`HostClient`] reads the options and arguments and prepares each call; this file sends it
//! through [`FetchTransport`] and hands over the promise. Methods never throw: a bad argument
//! rejects the returned promise.

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::Core;
use super::fetch::{FetchTransport, JsJson};
use crate::api::execute;
use crate::api::host::HostClient;
use crate::error::Result;
use crate::host::wrong_type;

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENTS: &str = include_str!("types/clients.d.ts");

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = DynamicClient, reexport, skip_typescript)]
    fn dynamic_client_class();
    #[wasm_bindgen(js_name = DynamicAdminClient, reexport, skip_typescript)]
    fn dynamic_admin_client_class();
    #[wasm_bindgen(js_name = SnagClient, reexport, skip_typescript)]
    fn snag_client_class();
    #[wasm_bindgen(js_name = LinkServerClient, reexport, skip_typescript)]
    fn link_server_client_class();
}

/// True in a page (`window`, `document`) or a browser's web worker (`importScripts`): code served
/// to visitors, with any key in it. Servers (Node, Deno, Bun, workerd) have none of the three.
pub(super) fn is_browser() -> bool {
    let global = js_sys::global();
    ["window", "document", "importScripts"].iter().any(|name| {
        Reflect::get(&global, &JsValue::from_str(name)).is_ok_and(|v| !v.is_undefined())
    })
}

/// `fetch` with the caller's `signal`, if any.
fn transport(signal: &JsValue) -> Result<FetchTransport> {
    if signal.is_undefined() || signal.is_null() {
        return Ok(FetchTransport::new(None));
    }
    match signal.dyn_ref::<AbortSignal>() {
        Some(signal) => Ok(FetchTransport::new(Some(signal.clone()))),
        None => Err(wrong_type("signal", "an AbortSignal", signal)),
    }
}

/// What a JavaScript client class holds: its core client. Private: made by [`Core::client`].
#[wasm_bindgen(private)]
pub struct ClientCore {
    client: HostClient<FetchTransport, JsJson>,
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    /// The core client for `new <class>(options)`.
    pub fn client(&self, class: &str, options: JsValue) -> Result<ClientCore> {
        let client = HostClient::new(class, &options, is_browser(), transport, JsJson)?;
        Ok(ClientCore { client })
    }
}

#[wasm_bindgen(js_class = ClientCore)]
impl ClientCore {
    /// Sends the client method `method` with its arguments; the promise never throws
    /// synchronously (a bad argument rejects it).
    pub fn send(&self, method: &str, argument: JsValue, options: JsValue) -> Promise {
        let (call, finish) = match self.client.prepare(method, &argument, &options) {
            Ok(prepared) => prepared,
            Err(e) => return Promise::reject(&e.into()),
        };
        let transport = self.client.transport().clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let value = execute(&transport, &JsJson, &call).await?.value;
            Ok(finish.apply(value))
        })
    }

    #[wasm_bindgen(getter, js_name = environmentId)]
    pub fn environment_id(&self) -> Option<String> {
        self.client.environment_id()
    }

    #[wasm_bindgen(getter, js_name = authToken)]
    pub fn auth_token(&self) -> Option<String> {
        self.client.auth_token()
    }

    /// Replaces the JWT (`undefined` or `null` forgets it).
    #[wasm_bindgen(js_name = setAuthToken)]
    pub fn set_auth_token(&self, token: JsValue) -> Result<()> {
        self.client.set_auth_token(&token)
    }
}
