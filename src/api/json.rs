//! JSON at the edge of the service clients.
//!
//! The core never names a JSON library: encoding and decoding are supplied by the platform through
//! [`JsonCodec`]. In WebAssembly the codec is the JavaScript engine's own `JSON.parse` /
//! `JSON.stringify` (with `serde-wasm-bindgen` in between), which keeps `serde_json` out of the
//! `.wasm`; natively, any serde format works (the tests use `serde_json`).
//!
//! [`Value`] holds the free-form parts of the services' models (`metadata`, `oauth_metadata`, error
//! `payload`s) without a JSON library either.

use core::cell::Cell;
use core::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// Turns values into JSON text and back. Errors are human-readable messages; the clients wrap them
/// into coded errors (`INVALID_RESPONSE` for a response, `INTERNAL` for a request).
///
/// ```
/// use wallet_linker::api::JsonCodec;
///
/// struct SerdeJson;
/// impl JsonCodec for SerdeJson {
///     fn encode<T: serde::Serialize + ?Sized>(&self, value: &T) -> Result<String, String> {
///         serde_json::to_string(value).map_err(|e| e.to_string())
///     }
///     fn decode<T: serde::de::DeserializeOwned>(&self, text: &str) -> Result<T, String> {
///         serde_json::from_str(text).map_err(|e| e.to_string())
///     }
/// }
/// ```
pub trait JsonCodec {
    /// Serialises `value` as JSON text; absent optional fields must be omitted (the models skip
    /// `None`), maps become JSON objects.
    fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<String, String>;
    /// Parses JSON text into `T`, ignoring unknown object fields.
    fn decode<T: DeserializeOwned>(&self, text: &str) -> Result<T, String>;
}

/// Any JSON value. Objects keep their key order; numbers are `f64` (what JavaScript holds).
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object (the first one, if a key repeats).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Deepest nesting of a free-form [`Value`] accepted from a service: the typed models have a fixed
/// depth, so only `Value` could recurse without bound (and exhaust the wasm stack).
pub const MAX_VALUE_DEPTH: u32 = 64;

std::thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Counts one level of `Value` nesting for as long as it lives.
struct DepthGuard;

impl DepthGuard {
    fn enter<E: de::Error>() -> Result<Self, E> {
        DEPTH.with(|depth| {
            if depth.get() >= MAX_VALUE_DEPTH {
                Err(E::custom(format_args!(
                    "JSON value nested deeper than {MAX_VALUE_DEPTH} levels"
                )))
            } else {
                depth.set(depth.get() + 1);
                Ok(DepthGuard)
            }
        })
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// Largest integer a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            // Whole numbers are written as integers (`1`, not `1.0`), as JSON.stringify does.
            Value::Number(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => {
                serializer.serialize_i64(*n as i64)
            }
            Value::Number(n) => serializer.serialize_f64(*n),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        Value::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let _guard = DepthGuard::enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let _guard = DepthGuard::enter()?;
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            members.push((key, value));
        }
        Ok(Value::Object(members))
    }
}
