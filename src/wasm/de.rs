//! Options objects read through serde, with errors in plain words that name the member at fault:
//! `chainId must be a whole number, received string` with `field: "chainId"`, instead of serde's
//! `invalid type: string "1", expected u64` naming the whole object.
//!
//! [`Tracked`] walks the object itself (structs, maps, arrays, options), so it knows the path of
//! every member, and hands each leaf to serde-wasm-bindgen's deserializer through the method for
//! the member's Rust type: when that fails, the method called says what was expected, and the
//! value says what was received. A missing member is serde's `missing_field`, called on this
//! module's error type: no error text is parsed.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use js_sys::{Array, Date, Object, Reflect};
use serde::de::{
    self, DeserializeSeed, Deserializer as _, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::{Error, ErrorCode};

/// Reads `value` (a snapshot of the caller's argument, see `input::snapshot`) as `T`. Members
/// named in `times` that hold a `Date` are read as its `toISOString()` text.
pub(super) fn read<T: de::DeserializeOwned>(
    value: JsValue,
    times: &[&str],
) -> Result<T, FieldError> {
    T::deserialize(Tracked { value, times })
}

/// A failed read: where (innermost segment first) and what. Boxed, so that the `Result`s of the
/// many generic reading functions stay small.
pub(super) struct FieldError(Box<Failure>);

struct Failure {
    path: Vec<Segment>,
    problem: Problem,
}

enum Segment {
    Key(String),
    Index(u32),
}

enum Problem {
    /// A required member is absent (or `undefined` / `null`).
    Missing,
    /// The member has the wrong type, or a value outside what its type allows.
    Wrong { expected: String, received: String },
    /// A `Date` that holds no time (`new Date("x")`).
    InvalidDate,
    /// Anything else a `Deserialize` implementation reported.
    Other(String),
}

impl FieldError {
    fn new(problem: Problem) -> Self {
        FieldError(Box::new(Failure {
            path: Vec::new(),
            problem,
        }))
    }

    #[inline(never)]
    fn under(mut self, segment: Segment) -> Self {
        self.0.path.push(segment);
        self
    }

    #[inline(never)]
    fn under_key(self, key: &str) -> Self {
        self.under(Segment::Key(key.to_owned()))
    }

    /// The member's path inside `argument` (`chainId`, `snag.proof`, `resources[1]`), or
    /// `argument` itself for a problem with the whole value.
    fn field(&self, argument: &str) -> String {
        let mut out = String::new();
        for (i, segment) in self.0.path.iter().rev().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => out.push_str(key),
                Segment::Key(key) => {
                    out.push('.');
                    out.push_str(key);
                }
                Segment::Index(index) => {
                    if i == 0 {
                        out.push_str(argument);
                    }
                    out.push_str(&format!("[{index}]"));
                }
            }
        }
        if out.is_empty() {
            argument.to_owned()
        } else {
            out
        }
    }

    /// The coded error: `INVALID_ARGUMENT` for a wrong type, `invalid` for a member that is
    /// missing or holds an invalid `Date` (e.g. `INVALID_FIELD` for a message's fields).
    pub(super) fn into_error(self, argument: &str, invalid: ErrorCode) -> Error {
        let field = self.field(argument);
        match self.0.problem {
            Problem::Missing => Error::new(invalid, format!("{field} is required")),
            Problem::Wrong { expected, received } => Error::new(
                ErrorCode::InvalidArgument,
                format!("{field} must be {expected}, received {received}"),
            )
            .with_expected(expected)
            .with_received(received),
            Problem::InvalidDate => Error::new(
                invalid,
                format!(
                    "{field} must be a valid Date or an RFC 3339 string, received an invalid Date"
                ),
            )
            .with_received("Invalid Date"),
            Problem::Other(message) => {
                Error::new(ErrorCode::InvalidArgument, format!("{field}: {message}"))
            }
        }
        .with_field(field)
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field("(the value)");
        match &self.0.problem {
            Problem::Missing => write!(f, "{field} is required"),
            Problem::Wrong { expected, received } => {
                write!(f, "{field} must be {expected}, received {received}")
            }
            Problem::InvalidDate => write!(f, "{field} is an invalid Date"),
            Problem::Other(message) => write!(f, "{field}: {message}"),
        }
    }
}

impl fmt::Debug for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for FieldError {}

impl de::Error for FieldError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        FieldError::new(Problem::Other(message.to_string()))
    }

    fn missing_field(field: &'static str) -> Self {
        FieldError::new(Problem::Missing).under(Segment::Key(field.to_owned()))
    }
}

/// What a leaf's type accepts, in words.
#[derive(Clone, Copy)]
enum Expected {
    Boolean,
    /// An unsigned integer type; `Some(max)` for the types narrower than JavaScript's safe range.
    Whole(Option<u64>),
    Integer,
    Number,
    Text,
    Character,
    Bytes,
    Array,
    Object,
    Null,
    OneOf(&'static [&'static str]),
}

impl Expected {
    fn words(self) -> String {
        match self {
            Expected::Boolean => "a boolean".into(),
            Expected::Whole(None) => "a whole number".into(),
            Expected::Whole(Some(max)) => format!("a whole number from 0 to {max}"),
            Expected::Integer => "an integer".into(),
            Expected::Number => "a number".into(),
            Expected::Text => "a string".into(),
            Expected::Character => "a single character".into(),
            Expected::Bytes => "a Uint8Array".into(),
            Expected::Array => "an array".into(),
            Expected::Object => "an object".into(),
            Expected::Null => "null".into(),
            Expected::OneOf(variants) => {
                let quoted: Vec<String> = variants.iter().map(|v| format!("\"{v}\"")).collect();
                format!("one of {}", quoted.join(", "))
            }
        }
    }

    /// What was received, as much as helps: a number where a number was wanted (it had the right
    /// type, not the right value), a short string where one of some strings was wanted, else the
    /// type.
    fn received(self, value: &JsValue) -> String {
        match self {
            Expected::Whole(_) | Expected::Integer | Expected::Number
                if value.as_f64().is_some() =>
            {
                js_sys::Number::from(value.clone())
                    .to_string_with_radix(10)
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_else(|| "number".into())
            }
            Expected::OneOf(_) if value.is_string() => {
                let text = value.as_string().unwrap_or_default();
                let short: String = text.chars().take(40).collect();
                let ellipsis = if short.len() < text.len() { "…" } else { "" };
                format!("\"{short}{ellipsis}\"")
            }
            _ => type_name(value),
        }
    }
}

/// `typeof`, refined: `null`, `array`, and the class of other objects (`Uint8Array`, `Date`).
pub(super) fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if Array::is_array(value) {
        return "array".into();
    }
    if value.is_object() && !value.is_function() {
        let class = Reflect::get(value, &JsValue::from_str("constructor"))
            .ok()
            .and_then(|c| Reflect::get(&c, &JsValue::from_str("name")).ok())
            .and_then(|n| n.as_string())
            .filter(|n| !n.is_empty() && n != "Object");
        return class.unwrap_or_else(|| "object".into());
    }
    value.js_typeof().as_string().unwrap_or_default()
}

/// A value being read, with the members of a top-level struct that may hold a `Date`.
struct Tracked<'a> {
    value: JsValue,
    times: &'a [&'a str],
}

type SwbDeserializer = serde_wasm_bindgen::Deserializer;
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
type SwbResult<T> = Result<T, serde_wasm_bindgen::Error>;

impl Tracked<'_> {
    #[inline(never)]
    fn wrong(&self, expected: Expected) -> FieldError {
        let mut words = expected.words();
        // A whole number beyond what a JS number holds exactly (serde-wasm-bindgen refuses it).
        if let (Expected::Whole(None), Some(n)) = (expected, self.value.as_f64())
            && n.fract() == 0.0
            && n > MAX_SAFE_INTEGER
        {
            words = format!("a whole number up to {MAX_SAFE_INTEGER} (Number.MAX_SAFE_INTEGER)");
        }
        FieldError::new(Problem::Wrong {
            expected: words,
            received: expected.received(&self.value),
        })
    }

    /// One leaf, read by serde-wasm-bindgen; its failure is described by `expected`, except for a
    /// string of the right type that a visitor refused (then its own words are kept).
    fn leaf<V>(
        self,
        expected: Expected,
        read: impl FnOnce(SwbDeserializer) -> SwbResult<V>,
    ) -> Result<V, FieldError> {
        read(SwbDeserializer::from(self.value.clone())).map_err(|e| self.failed(expected, e))
    }

    #[inline(never)]
    fn failed(&self, expected: Expected, error: serde_wasm_bindgen::Error) -> FieldError {
        if matches!(expected, Expected::Text | Expected::Character) && self.value.is_string() {
            FieldError::new(Problem::Other(error.to_string()))
        } else {
            self.wrong(expected)
        }
    }

    /// A whole number in JavaScript's safe range (as serde-wasm-bindgen reads it; also from a
    /// BigInt), within the type's range (the visitor checks it).
    fn unsigned<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        max: Option<u64>,
    ) -> Result<V::Value, FieldError> {
        let expected = Expected::Whole(max);
        if self.value.is_bigint() {
            return self.leaf(expected, |d| d.deserialize_u64(visitor));
        }
        match self.value.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER).contains(&n) => {
                // In range by the guard, so exact.
                visitor
                    .visit_u64::<FieldError>(n as u64)
                    .map_err(|_| self.wrong(expected))
            }
            _ => Err(self.wrong(expected)),
        }
    }

    fn signed<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        if self.value.is_bigint() {
            return self.leaf(Expected::Integer, |d| d.deserialize_i64(visitor));
        }
        match self.value.as_f64() {
            Some(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => visitor
                .visit_i64::<FieldError>(n as i64)
                .map_err(|_| self.wrong(Expected::Integer)),
            _ => Err(self.wrong(Expected::Integer)),
        }
    }

    fn is_nullish(&self) -> bool {
        self.value.is_undefined() || self.value.is_null()
    }

    fn is_plain_object(&self) -> bool {
        self.value.is_object() && !Array::is_array(&self.value) && !self.value.is_function()
    }
}

macro_rules! leaves {
    ($($method:ident => $expected:expr),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
                self.leaf($expected, |d| d.$method(visitor))
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Tracked<'_> {
    type Error = FieldError;

    // The common leaves are read here (one call across the boundary each); the others, BigInts
    // and enums by serde-wasm-bindgen.
    leaves! {
        deserialize_i128 => Expected::Integer,
        deserialize_u128 => Expected::Whole(None),
        deserialize_char => Expected::Character,
        deserialize_bytes => Expected::Bytes,
        deserialize_byte_buf => Expected::Bytes,
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self.value.as_bool() {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.wrong(Expected::Boolean)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self.value.as_string() {
            Some(text) => visitor.visit_string(text),
            None => Err(self.wrong(Expected::Text)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self.value.as_f64() {
            Some(n) => visitor.visit_f64(n),
            None => Err(self.wrong(Expected::Number)),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.unsigned(visitor, Some(u8::MAX.into()))
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.unsigned(visitor, Some(u16::MAX.into()))
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.unsigned(visitor, Some(u32::MAX.into()))
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.unsigned(visitor, None)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.signed(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.signed(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.signed(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        self.signed(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else {
            Err(self.wrong(Expected::Null))
        }
    }

    /// Self-describing reads (untagged enums, `flatten`; none of the options use them) are
    /// serde-wasm-bindgen's, with its words.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        SwbDeserializer::from(self.value)
            .deserialize_any(visitor)
            .map_err(|e| FieldError::new(Problem::Other(e.to_string())))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        match self.value.dyn_ref::<Array>() {
            Some(array) => visitor.visit_seq(Elements {
                length: array.length(),
                array: array.clone(),
                next: 0,
            }),
            None => Err(self.wrong(Expected::Array)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        self.deserialize_seq(visitor)
    }

    /// serde-wasm-bindgen's own: `serde_wasm_bindgen::preserve` is a tuple struct it recognises
    /// by name, to hand over the JS value itself.
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        SwbDeserializer::from(self.value)
            .deserialize_tuple_struct(name, len, visitor)
            .map_err(|e| FieldError::new(Problem::Other(e.to_string())))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        if !self.is_plain_object() {
            return Err(self.wrong(Expected::Object));
        }
        let keys = Object::keys(self.value.unchecked_ref::<Object>());
        visitor.visit_map(Entries {
            length: keys.length(),
            keys,
            object: self.value,
            next: 0,
            current: None,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        if !self.is_plain_object() {
            return Err(self.wrong(Expected::Object));
        }
        visitor.visit_map(Members {
            object: self.value,
            fields,
            names: js_names(fields),
            next: 0,
            times: self.times,
            current: None,
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FieldError> {
        self.leaf(Expected::OneOf(variants), |d| {
            d.deserialize_enum(name, variants, visitor)
        })
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_unit()
    }
}

thread_local! {
    /// The member names of each struct read so far as JS strings, keyed by the address of its
    /// `'static` list of names: made once, not at every read.
    static NAMES: RefCell<Vec<(usize, Rc<[JsValue]>)>> = const { RefCell::new(Vec::new()) };
}

fn js_names(fields: &'static [&'static str]) -> Rc<[JsValue]> {
    let address = fields.as_ptr() as usize;
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some((_, js)) = names.iter().find(|(a, _)| *a == address) {
            return js.clone();
        }
        let js: Rc<[JsValue]> = fields.iter().map(|f| JsValue::from_str(f)).collect();
        names.push((address, js.clone()));
        js
    })
}

/// The declared members of a struct, read from the object by name (others are ignored).
struct Members<'a> {
    object: JsValue,
    fields: &'static [&'static str],
    names: Rc<[JsValue]>,
    next: usize,
    times: &'a [&'a str],
    current: Option<(&'static str, JsValue)>,
}

impl Members<'_> {
    /// The next declared member that is present (not absent, `undefined` or `null`).
    fn next_present(&mut self) -> Result<Option<&'static str>, FieldError> {
        while let (Some(&field), Some(name)) =
            (self.fields.get(self.next), self.names.get(self.next))
        {
            self.next += 1;
            let value = Reflect::get(&self.object, name).map_err(|_| {
                FieldError::new(Problem::Other("could not be read".into())).under_key(field)
            })?;
            if !value.is_undefined() && !value.is_null() {
                self.current = Some((field, value));
                return Ok(Some(field));
            }
        }
        Ok(None)
    }

    /// The value of the member [`Self::next_present`] found; a `Date` in a time member as text.
    fn take_value(&mut self) -> Result<(&'static str, JsValue), FieldError> {
        let Some((field, value)) = self.current.take() else {
            return Err(FieldError::new(Problem::Other(
                "a value was read before its key".into(),
            )));
        };
        if self.times.contains(&field)
            && let Some(date) = value.dyn_ref::<Date>()
        {
            if date.get_time().is_nan() {
                return Err(FieldError::new(Problem::InvalidDate).under_key(field));
            }
            return Ok((field, date.to_iso_string().into()));
        }
        Ok((field, value))
    }
}

impl<'de> MapAccess<'de> for Members<'_> {
    type Error = FieldError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, FieldError> {
        // Absent, undefined and null members are missing for serde (a default, `None`, or an
        // error naming them).
        match self.next_present()? {
            Some(field) => seed.deserialize(field.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, FieldError> {
        let (field, value) = self.take_value()?;
        seed.deserialize(Tracked { value, times: &[] })
            .map_err(|e| e.under_key(field))
    }
}

/// The own enumerable members of a plain object, for maps.
struct Entries {
    object: JsValue,
    keys: Array,
    length: u32,
    next: u32,
    current: Option<(String, JsValue)>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = FieldError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, FieldError> {
        if self.next >= self.length {
            return Ok(None);
        }
        let name = self.keys.get(self.next).as_string().unwrap_or_default();
        self.next += 1;
        let value = Reflect::get(&self.object, &JsValue::from_str(&name)).map_err(|_| {
            FieldError::new(Problem::Other("could not be read".into()))
                .under(Segment::Key(name.clone()))
        })?;
        let key = seed
            .deserialize(name.as_str().into_deserializer())
            .map_err(|e: FieldError| e.under(Segment::Key(name.clone())))?;
        self.current = Some((name, value));
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, FieldError> {
        let Some((name, value)) = self.current.take() else {
            return Err(FieldError::new(Problem::Other(
                "a value was read before its key".into(),
            )));
        };
        seed.deserialize(Tracked { value, times: &[] })
            .map_err(|e| e.under(Segment::Key(name)))
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.length - self.next).ok()
    }
}

/// The elements of an array.
struct Elements {
    array: Array,
    length: u32,
    next: u32,
}

impl<'de> SeqAccess<'de> for Elements {
    type Error = FieldError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, FieldError> {
        if self.next >= self.length {
            return Ok(None);
        }
        let index = self.next;
        self.next += 1;
        let value = self.array.get(index);
        seed.deserialize(Tracked { value, times: &[] })
            .map(Some)
            .map_err(|e| e.under(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.length - self.next).ok()
    }
}
