//! The JS face of [`crate::server`]: `js/server.js` reads the `Request` (bounded) and builds the
//! `Response`; the core's [`HostServer`] holds every rule and reaches the nonce store, the hooks
//! and WebCrypto (`runtime` in `js/boundary.js`) through `JsValue`.

use core::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::clients::is_browser;
use super::fetch::{FetchTransport, JsJson};
use super::{Core, runtime};
use crate::error::Result;
use crate::server::host::{self as server_host, HostServer};
use crate::server::jwt::VerifierCache;
use crate::server::{self as core_server, LinkRequest, RequestBody};

#[wasm_bindgen(typescript_custom_section)]
const TS_SERVER: &str = include_str!("types/server.d.ts");

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(js_name = verifyDynamicJwt, reexport, skip_typescript)]
    fn reexport_verify_dynamic_jwt();
}

/// The engine of `createLinkServer` (`wallet-linker/server`); use that instead.
#[wasm_bindgen(js_name = LinkServerCore)]
pub struct JsLinkServer {
    inner: Rc<HostServer<JsValue, FetchTransport, JsJson>>,
}

#[wasm_bindgen(js_class = LinkServerCore)]
impl JsLinkServer {
    /// `config` as `createLinkServer` takes it; `store` a `NonceStore`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, store: JsValue) -> Result<JsLinkServer> {
        let transport = FetchTransport::new(None);
        let server = HostServer::new(&config, store, runtime(), is_browser(), transport, JsJson)?;
        Ok(JsLinkServer {
            inner: Rc::new(server),
        })
    }

    /// Largest request body the server reads; `js/server.js` stops reading past it.
    #[wasm_bindgen(getter, js_name = maxBodyBytes)]
    pub fn max_body_bytes(&self) -> u32 {
        core_server::MAX_BODY_BYTES as u32
    }

    /// Serves one request; resolves to `{ status, body }` (JSON text), never rejects.
    /// `bodyKind`: `"text"` (then `body` is the text), `"too-large"` or `"not-text"`.
    pub fn handle(
        &self,
        method: String,
        path: String,
        authorization: Option<String>,
        #[wasm_bindgen(js_name = bodyKind)] body_kind: String,
        body: Option<String>,
    ) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let body = match (body_kind.as_str(), body) {
                ("too-large", _) => RequestBody::TooLarge,
                ("not-text", _) => RequestBody::NotText,
                (_, text) => RequestBody::Text(text.unwrap_or_default()),
            };
            let request = LinkRequest {
                method,
                path,
                authorization,
                body,
            };
            let response = inner.handle(request).await;
            let object = Object::new();
            Reflect::set(&object, &"status".into(), &response.status.into())?;
            Reflect::set(&object, &"body".into(), &response.body.into())?;
            if let Some(allow) = response.allow {
                Reflect::set(&object, &"allow".into(), &allow.into())?;
            }
            Ok(object.into())
        })
    }
}

thread_local! {
    /// The verifiers of `verifyDynamicJwt`, each with its cached JWKS.
    static VERIFIERS: Rc<RefCell<VerifierCache<JsValue>>> = Rc::new(RefCell::new(VerifierCache::new()));
}

#[wasm_bindgen(js_class = Core)]
impl Core {
    /// `verifyDynamicJwt(token, options)` (declared in `types/server.d.ts`).
    #[wasm_bindgen(js_name = verifyDynamicJwt)]
    pub fn verify_dynamic_jwt(&self, token: JsValue, options: JsValue) -> Promise {
        let cache = VERIFIERS.with(Rc::clone);
        future_to_promise(async move {
            let transport = FetchTransport::new(None);
            let verified = server_host::verify_dynamic_jwt(
                &token,
                &options,
                runtime(),
                transport,
                JsJson,
                &cache,
            );
            Ok(verified.await?)
        })
    }
}
