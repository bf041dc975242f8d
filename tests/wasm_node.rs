//! wasm-bindgen tests run in Node: the error boundary as JavaScript sees it.
#![cfg(target_arch = "wasm32")]

use js_sys::{JsString, Reflect, Uint8Array};
use wallet_linker::wasm::{error as js_error, input};
use wallet_linker::{Error, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn prop(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn core_error_becomes_a_js_error_with_code_and_details() {
    let e = Error::mismatch(
        ErrorCode::DomainMismatch,
        "domain",
        "a.example",
        "b.example",
    )
    .with_status(422)
    .with_step("link");
    let js: JsValue = e.into();
    assert!(js.is_instance_of::<js_sys::Error>());
    assert_eq!(
        prop(&js, "name").as_string().as_deref(),
        Some("WalletLinkerError")
    );
    assert_eq!(
        prop(&js, "code").as_string().as_deref(),
        Some("DOMAIN_MISMATCH")
    );
    assert_eq!(prop(&js, "field").as_string().as_deref(), Some("domain"));
    assert_eq!(
        prop(&js, "expected").as_string().as_deref(),
        Some("a.example")
    );
    assert_eq!(
        prop(&js, "received").as_string().as_deref(),
        Some("b.example")
    );
    assert_eq!(prop(&js, "status").as_f64(), Some(422.0));
    assert_eq!(prop(&js, "step").as_string().as_deref(), Some("link"));
    assert!(
        prop(&js, "apiCode").is_undefined(),
        "absent details are absent"
    );
    assert!(js_error::is_wallet_linker_error(js.clone()));
    // And back: an error of ours thrown through a callback keeps its code.
    let back = js_error::from_js(&js, ErrorCode::WalletError);
    assert_eq!(back.code, ErrorCode::DomainMismatch);
    assert_eq!(back.step.as_deref(), Some("link"));
}

#[wasm_bindgen_test]
fn foreign_errors_get_the_fallback_code() {
    let foreign: JsValue = js_sys::TypeError::new("boom").into();
    let e = js_error::from_js(&foreign, ErrorCode::WalletError);
    assert_eq!(e.code, ErrorCode::WalletError);
    assert_eq!(e.message, "boom");
    assert!(!js_error::is_wallet_linker_error(foreign));
    // An Error that merely carries our name and a code is not ours either.
    let forged = js_sys::Error::new("forged");
    forged.set_name("WalletLinkerError");
    js_sys::Reflect::set(&forged, &"code".into(), &"DOMAIN_MISMATCH".into()).unwrap();
    let forged: JsValue = forged.into();
    assert!(!js_error::is_wallet_linker_error(forged.clone()));
    assert_eq!(
        js_error::from_js(&forged, ErrorCode::WalletError).code,
        ErrorCode::WalletError
    );
}

#[wasm_bindgen_test]
fn arguments_of_the_wrong_type_get_invalid_argument() {
    for bad in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(1.0),
        js_sys::Object::new().into(),
    ] {
        let e = input::string(&bad, "message").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        assert_eq!(e.field.as_deref(), Some("message"));
    }
    let array: JsValue = js_sys::Array::new().into();
    let e = wallet_linker::exports::text_or_bytes(&array, "signature")
        .err()
        .map(|e| e.code);
    assert_eq!(e, Some(ErrorCode::InvalidArgument));
}

#[wasm_bindgen_test]
fn lone_surrogates_and_huge_inputs_are_refused() {
    let lone: JsValue = JsString::from_char_code1(0xD800).into();
    assert_eq!(
        input::string(&lone, "m").unwrap_err().code,
        ErrorCode::InvalidArgument
    );
    let huge: JsValue = JsString::from("x")
        .repeat(input::MAX_STRING_LEN as i32 + 1)
        .into();
    assert_eq!(
        input::string(&huge, "m").unwrap_err().code,
        ErrorCode::InputTooLarge
    );
    let big = Uint8Array::new_with_length(input::MAX_BYTES_LEN + 1);
    assert_eq!(
        input::bytes(&big.into(), "b").unwrap_err().code,
        ErrorCode::InputTooLarge
    );
    let ok = Uint8Array::from(&[1u8, 2, 3][..]);
    assert_eq!(input::bytes(&ok.into(), "b").unwrap(), vec![1, 2, 3]);
}
