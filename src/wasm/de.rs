//! `JsValue` as the core sees a JavaScript value: [`JsLike`] (what the options reader,
//! [`crate::options_reader`], asks) and [`HostValue`] (members, calls, promises, new objects,
//! this package's error class), answered with js-sys.

use std::cell::RefCell;

use js_sys::{Array, ArrayBuffer, BigInt, Date, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::host::HostValue;
use crate::options_reader::JsLike;

thread_local! {
    /// The struct members' names read so far as JS strings (the same `'static` text: the same
    /// address and length): made once, not at every read.
    static NAMES: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
}

fn js_name(name: &'static str) -> JsValue {
    NAMES.with_borrow_mut(|names| {
        if let Some((_, js)) = names.iter().find(|(known, _)| std::ptr::eq(*known, name)) {
            return js.clone();
        }
        let js = JsValue::from_str(name);
        names.push((name, js.clone()));
        js
    })
}

impl JsLike for JsValue {
    fn is_nullish(&self) -> bool {
        self.is_undefined() || self.is_null()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn text(&self) -> Option<String> {
        self.as_string()
    }

    fn bigint(&self) -> Option<String> {
        let bigint = self.dyn_ref::<BigInt>()?;
        bigint.to_string(10).ok().map(String::from)
    }

    fn bytes(&self) -> Option<Vec<u8>> {
        match self.dyn_ref::<ArrayBuffer>() {
            Some(buffer) => Some(Uint8Array::new(buffer).to_vec()),
            None => self.dyn_ref::<Uint8Array>().map(Uint8Array::to_vec),
        }
    }

    fn number_text(&self) -> Option<String> {
        self.as_f64()?;
        let number: &js_sys::Number = self.unchecked_ref();
        number.to_string_with_radix(10).ok().map(String::from)
    }

    fn date(&self) -> Option<Option<String>> {
        let date = self.dyn_ref::<Date>()?;
        Some((!date.get_time().is_nan()).then(|| date.to_iso_string().into()))
    }

    fn array_length(&self) -> Option<u32> {
        self.dyn_ref::<Array>().map(Array::length)
    }

    fn element(&self, index: u32) -> Self {
        self.unchecked_ref::<Array>().get(index)
    }

    fn is_record(&self) -> bool {
        self.is_object() && !Array::is_array(self)
    }

    fn member(&self, name: &'static str) -> Option<Self> {
        Reflect::get(self, &js_name(name)).ok()
    }

    fn entries(&self) -> Vec<(String, Self)> {
        let entries = Object::entries(self.unchecked_ref::<Object>());
        let pair = |entry: JsValue| {
            let entry = entry.unchecked_into::<Array>();
            (entry.get(0).as_string().unwrap_or_default(), entry.get(1))
        };
        entries.iter().map(pair).collect()
    }

    /// `typeof`, refined: `null`, `array`, and the class of other objects (`Uint8Array`, `Date`).
    fn type_name(&self) -> String {
        if self.is_null() {
            return "null".into();
        }
        if Array::is_array(self) {
            return "array".into();
        }
        if self.is_object() {
            let class = Reflect::get(self, &JsValue::from_str("constructor"))
                .ok()
                .and_then(|c| Reflect::get(&c, &JsValue::from_str("name")).ok())
                .and_then(|n| n.as_string())
                .filter(|n| !n.is_empty() && n != "Object");
            return class.unwrap_or_else(|| "object".into());
        }
        self.js_typeof().as_string().unwrap_or_default()
    }
}

#[wasm_bindgen(module = "/src/wasm/js/boundary.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = snapshot)]
    fn snapshot_js(value: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = WalletLinkerError)]
    type JsWalletLinkerError;
    #[wasm_bindgen(constructor, js_class = WalletLinkerError)]
    fn new(code: &str, message: &str) -> JsWalletLinkerError;
    /// Exported as is: true only for instances of the class (a private brand, not the name).
    #[wasm_bindgen(js_name = isWalletLinkerError, reexport, skip_typescript)]
    fn is_ours(value: &JsValue) -> bool;
}

impl HostValue for JsValue {
    fn undefined() -> Self {
        JsValue::UNDEFINED
    }

    fn clock_ms() -> i64 {
        Date::now() as i64
    }

    fn from_f64(n: f64) -> Self {
        JsValue::from_f64(n)
    }

    fn from_bool(b: bool) -> Self {
        JsValue::from_bool(b)
    }

    fn from_bytes(bytes: &[u8]) -> Self {
        Uint8Array::from(bytes).into()
    }

    fn new_object() -> Self {
        Object::new().into()
    }

    fn new_array(items: Vec<Self>) -> Self {
        items.into_iter().collect::<Array>().into()
    }

    fn get(&self, key: &str) -> Self {
        if !self.is_object() && !self.is_function() {
            return JsValue::UNDEFINED;
        }
        Reflect::get(self, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn set(&self, key: &str, value: Self) -> Result<(), Self> {
        Reflect::set(self, &JsValue::from_str(key), &value).map(|_| ())
    }

    fn delete(&self, key: &str) {
        if let Some(object) = self.dyn_ref::<Object>() {
            let _ = Reflect::delete_property(object, &JsValue::from_str(key));
        }
    }

    fn is_function(&self) -> bool {
        JsValue::is_function(self)
    }

    fn call(&self, args: &[Self]) -> Result<Self, Self> {
        let arguments: Array = args.iter().collect();
        Reflect::apply(
            self.unchecked_ref::<js_sys::Function>(),
            &JsValue::UNDEFINED,
            &arguments,
        )
    }

    fn call_method(&self, method: &str, args: &[Self]) -> Result<Self, Self> {
        let function = HostValue::get(self, method);
        if !function.is_function() {
            let message = format!("{method} is not a function");
            return Err(js_sys::TypeError::new(&message).into());
        }
        let arguments: Array = args.iter().collect();
        Reflect::apply(
            function.unchecked_ref::<js_sys::Function>(),
            self,
            &arguments,
        )
    }

    async fn settle(self) -> Result<Self, Self> {
        wasm_bindgen_futures::JsFuture::from(Promise::resolve(&self)).await
    }

    fn snapshot(&self) -> Result<Self, Self> {
        snapshot_js(self)
    }

    fn json_text(&self) -> Option<String> {
        js_sys::JSON::stringify(self).ok()?.as_string()
    }

    fn is_coded_error(&self) -> bool {
        is_ours(self)
    }

    fn new_coded_error(code: &str, message: &str) -> Self {
        JsWalletLinkerError::new(code, message).into()
    }

    fn checked_text(&self, field: &str) -> crate::Result<Option<String>> {
        match self.is_string() {
            true => super::input::string(self, field).map(Some),
            false => Ok(None),
        }
    }

    fn checked_bytes(&self, field: &str) -> crate::Result<Option<Vec<u8>>> {
        match self.is_instance_of::<Uint8Array>() {
            true => super::input::bytes(self, field).map(Some),
            false => Ok(None),
        }
    }
}
