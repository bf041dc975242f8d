//! Options objects read through serde with errors in plain words ([`crate::options_reader`]):
//! this is [`JsLike`] for `JsValue`, the questions that reader asks answered with js-sys.

use std::cell::RefCell;

use js_sys::{Array, ArrayBuffer, BigInt, Date, Object, Reflect, Uint8Array};
use serde::de::{Deserializer as _, Error as _, Visitor};
use wasm_bindgen::{JsCast, JsValue};

use crate::options_reader::{FieldError, JsLike};

/// `read(value, times)`: reads `value` (a snapshot of the caller's argument, see
/// `input::snapshot`) as `T`; members named in `times` that hold a `Date` as its ISO text.
pub(super) use crate::options_reader::read;

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

    /// serde-wasm-bindgen's own: `serde_wasm_bindgen::preserve` is a tuple struct it recognises
    /// by name, to hand over the JS value itself.
    fn tuple_struct<'de, V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        serde_wasm_bindgen::Deserializer::from(self)
            .deserialize_tuple_struct(name, len, visitor)
            .map_err(|e| FieldError::custom(e.to_string()))
    }
}
