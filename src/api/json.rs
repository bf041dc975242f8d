//! JSON at the edge of the service clients.
//!
//! The core never names a JSON library: parsing is supplied by the platform through [`JsonCodec`],
//! whose [`JsonCodec::Raw`] is a parsed document as the platform holds it. In WebAssembly the
//! codec is the JavaScript engine's own `JSON.parse` and `Raw` is the parsed JS value, handed to
//! the caller as it is: the clients read only the few members they need (`jwt`, `nonce`, an error
//! body's `code`), so no model is converted field by field and neither `serde_json` nor per-model
//! conversion code lands in the `.wasm`. Natively, [`ModelCodec`] adds typed encoding and decoding
//! of the models in [`super::types`] (the tests use `serde_json`).
//!
//! [`Value`] holds the free-form parts of the services' models (`metadata`, `oauth_metadata`, error
//! `payload`s) without a JSON library either.

use core::cell::Cell;
use core::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// The type of a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// Parses JSON text and reads members of the result, as the platform does it. Errors are
/// human-readable messages; the clients wrap them into coded errors (`INVALID_RESPONSE`).
///
/// ```
/// use wallet_linker::api::{JsonCodec, JsonKind};
///
/// struct SerdeJson;
/// impl JsonCodec for SerdeJson {
///     type Raw = serde_json::Value;
///     fn parse(&self, text: &str) -> Result<Self::Raw, String> {
///         serde_json::from_str(text).map_err(|e| e.to_string())
///     }
///     fn member(&self, value: &Self::Raw, key: &str) -> Option<Self::Raw> {
///         value.get(key).filter(|v| !v.is_null()).cloned()
///     }
///     fn kind(&self, value: &Self::Raw) -> JsonKind {
///         use serde_json::Value as V;
///         match value {
///             V::Null => JsonKind::Null,
///             V::Bool(_) => JsonKind::Bool,
///             V::Number(_) => JsonKind::Number,
///             V::String(_) => JsonKind::String,
///             V::Array(_) => JsonKind::Array,
///             V::Object(_) => JsonKind::Object,
///         }
///     }
///     fn as_string(&self, value: &Self::Raw) -> Option<String> {
///         value.as_str().map(str::to_owned)
///     }
///     fn as_number(&self, value: &Self::Raw) -> Option<f64> {
///         value.as_f64()
///     }
///     fn set_number(&self, object: &mut Self::Raw, key: &str, value: f64) {
///         if let Some(object) = object.as_object_mut() {
///             object.insert(key.to_owned(), value.into());
///         }
///     }
/// }
/// ```
pub trait JsonCodec {
    /// A parsed JSON document (in WebAssembly, the JS value `JSON.parse` returned).
    type Raw;
    /// Parses JSON text. A `null` member of an object may be dropped (it reads as absent).
    fn parse(&self, text: &str) -> Result<Self::Raw, String>;
    /// The member `key` of an object; `None` when `value` is not an object or the member is
    /// absent or `null`.
    fn member(&self, value: &Self::Raw, key: &str) -> Option<Self::Raw>;
    fn kind(&self, value: &Self::Raw) -> JsonKind;
    /// The text of a JSON string (`None` for any other kind).
    fn as_string(&self, value: &Self::Raw) -> Option<String>;
    /// The value of a JSON number (`None` for any other kind).
    fn as_number(&self, value: &Self::Raw) -> Option<f64>;
    /// Sets the member `key` of an object to a number (the clients turn a numeric string the
    /// service sent where its model says `number` into that number).
    fn set_number(&self, object: &mut Self::Raw, key: &str, value: f64);
    /// The element `index` of an array (`None` past its end, or when `value` is not an array).
    /// The default reads the member named by the index, as JavaScript arrays allow.
    fn element(&self, value: &Self::Raw, index: usize) -> Option<Self::Raw> {
        if self.kind(value) != JsonKind::Array {
            return None;
        }
        self.member(value, &index.to_string())
    }
}

/// Typed encoding and decoding of the models in [`super::types`], for the clients' typed methods
/// (`verify_link(&VerifyRequest) -> VerifyResponse`, ...). Not needed by the `*_json` methods.
pub trait ModelCodec: JsonCodec {
    /// Serialises `value` as JSON text; absent optional fields must be omitted (the models skip
    /// `None`), maps become JSON objects.
    fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<String, String>;
    /// Converts a parsed document into `T`, ignoring unknown object fields.
    fn decode<T: DeserializeOwned>(&self, value: Self::Raw) -> Result<T, String>;
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
