//! wasm-bindgen tests run in headless Chromium: the platform pieces a browser provides.
#![cfg(target_arch = "wasm32")]

use js_sys::Reflect;
use wallet_linker::wasm::error as js_error;
use wallet_linker::{Error, ErrorCode};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn runs_in_a_real_browser_page() {
    let global = js_sys::global();
    let has = |name: &str| Reflect::has(&global, &JsValue::from_str(name)).unwrap_or(false);
    assert!(has("document") && has("window"), "not a browser page");
    assert!(has("crypto") && has("fetch") && has("AbortController"));
}

#[wasm_bindgen_test]
fn errors_thrown_in_the_page_keep_their_code() {
    let js: JsValue = Error::new(ErrorCode::BrowserSecret, "no keys in a browser").into();
    // A throw/catch round trip through real JS, as a dapp would see it.
    let thrower = js_sys::Function::new_with_args(
        "e",
        "try { throw e } catch (x) { return x.name + ':' + x.code + ':' + (x instanceof Error) }",
    );
    let seen = thrower.call1(&JsValue::NULL, &js).unwrap().as_string();
    assert_eq!(
        seen.as_deref(),
        Some("WalletLinkerError:BROWSER_SECRET:true")
    );
    assert!(js_error::is_wallet_linker_error(js));
}
