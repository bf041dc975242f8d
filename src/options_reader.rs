//! Options objects read through serde, with errors in plain words that name the member at fault:
//! `chainId must be a whole number, received string` with `field: "chainId"`, instead of serde's
//! `invalid type: string "1", expected u64` naming the whole object.
//!
//! [`Reader`] walks the value itself (structs, maps, arrays, options, enums) and reads each leaf
//! through the method for the member's Rust type, so it knows the path of every member, what was
//! expected (the method called) and what was received (the value). A missing member is serde's
//! `missing_field`, called on this module's error type: no error text is parsed.
//!
//! The value is anything that answers [`JsLike`]'s few questions about a JavaScript value: the
//! WebAssembly layer answers them for `JsValue` (`src/wasm/de.rs`), the native tests with JSON.

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer as _, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, Visitor,
};

use crate::error::{Error, ErrorCode};

/// `Number.MAX_SAFE_INTEGER`: the largest whole number a JS number holds exactly.
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// A JavaScript value, as the reader sees it. `From<String>` makes the string a `Date` member is
/// read as.
pub trait JsLike: Sized + From<String> {
    /// `undefined` or `null`.
    fn is_nullish(&self) -> bool;
    /// A boolean's value.
    fn boolean(&self) -> Option<bool>;
    /// A number's value (not a BigInt's).
    fn number(&self) -> Option<f64>;
    /// A number as JavaScript writes it (`String(n)`), for messages. The default writes it in
    /// Rust; a JavaScript engine says it without linking Rust's float formatter into the wasm.
    fn number_text(&self) -> Option<String> {
        self.number().map(number_text)
    }
    /// A string's text.
    fn text(&self) -> Option<String>;
    /// A BigInt's value in decimal (`-12`).
    fn bigint(&self) -> Option<String>;
    /// The contents of a `Uint8Array` or an `ArrayBuffer`.
    fn bytes(&self) -> Option<Vec<u8>>;
    /// A `Date`'s `toISOString()`, `Some(None)` for a `Date` that holds no time; `None` for
    /// anything else.
    fn date(&self) -> Option<Option<String>>;
    /// An array's length; `None` for anything else.
    fn array_length(&self) -> Option<u32>;
    /// Element `index` of an array.
    fn element(&self, index: u32) -> Self;
    /// An object other than an array (and not `null` or a function): what a struct or a map is
    /// read from.
    fn is_record(&self) -> bool;
    /// Member `name` of an object (`undefined` when absent); `None` when reading it throws.
    fn member(&self, name: &'static str) -> Option<Self>;
    /// An object's own enumerable members, in `Object.entries` order.
    fn entries(&self) -> Vec<(String, Self)>;
    /// What `received` says of a value of the wrong type: `typeof`, refined (`null`, `array`, and
    /// the class of other objects, e.g. `Uint8Array`, `Date`).
    fn type_name(&self) -> String;
}

/// Reads `value` as `T`. Members of the top-level struct named in `times` that hold a `Date` are
/// read as its `toISOString()` text.
pub fn read<T: DeserializeOwned, V: JsLike>(value: V, times: &[&str]) -> Result<T, FieldError> {
    T::deserialize(Reader { value, times })
}

/// A failed read: where (innermost segment first) and what. Boxed, so that the `Result`s of the
/// many generic reading functions stay small.
pub struct FieldError(Box<Failure>);

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
    pub fn into_error(self, argument: &str, invalid: ErrorCode) -> Error {
        let field = self.field(argument);
        self.describe(&field, invalid).with_field(field)
    }

    /// The error for the member at `field`, without its `field`.
    fn describe(self, field: &str, invalid: ErrorCode) -> Error {
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

    fn invalid_type(unexpected: Unexpected, expected: &dyn de::Expected) -> Self {
        let unexpected = UnexpectedWords(unexpected);
        Self::custom(format_args!(
            "invalid type: {unexpected}, expected {expected}"
        ))
    }

    fn invalid_value(unexpected: Unexpected, expected: &dyn de::Expected) -> Self {
        let unexpected = UnexpectedWords(unexpected);
        Self::custom(format_args!(
            "invalid value: {unexpected}, expected {expected}"
        ))
    }
}

/// serde's [`Unexpected`] in serde's words, but a float without its digits: writing an `f64`
/// would link Rust's float formatter into the wasm for an error message.
struct UnexpectedWords<'a>(Unexpected<'a>);

impl fmt::Display for UnexpectedWords<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Float(_) => f.write_str("floating point number"),
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(n) => write!(f, "integer `{n}`"),
            Unexpected::Signed(n) => write!(f, "integer `{n}`"),
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("unit value"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
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
            Expected::Number => "a finite number".into(),
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
    fn received(self, value: &impl JsLike) -> String {
        match self {
            Expected::Whole(_) | Expected::Integer | Expected::Number => {
                if let Some(text) = value.number_text() {
                    return text;
                }
            }
            Expected::OneOf(_) => {
                if let Some(text) = value.text() {
                    let short: String = text.chars().take(40).collect();
                    let ellipsis = if short.len() < text.len() { "…" } else { "" };
                    return format!("\"{short}{ellipsis}\"");
                }
            }
            _ => {}
        }
        value.type_name()
    }
}

/// A number as JavaScript writes it (`Number.prototype.toString()`): `1.5`, `-1`,
/// `1152921504606847000`, `1e+21`, `1e-7`, `NaN`, `Infinity`.
fn number_text(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n == 0.0 {
        return "0".into();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    if n.is_infinite() {
        return format!("{sign}Infinity");
    }
    // The shortest digits that read back as `n`, and the exponent: `d.ddde-7`.
    let scientific = format!("{:e}", n.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    // ECMAScript's n: the value is 0.digits × 10^n.
    let point = exponent.parse::<i32>().unwrap_or(0) + 1;
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat(-point as usize))
    } else {
        let e = point - 1;
        let e_sign = if e < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        format!("{first}{dot}{rest}e{e_sign}{}", e.abs())
    };
    format!("{sign}{body}")
}

/// A serde `Deserializer` over a [`JsLike`] value (see the module's documentation).
pub struct Reader<'a, V> {
    value: V,
    /// The members of a top-level struct that may hold a `Date`.
    times: &'a [&'a str],
}

impl<V: JsLike> Reader<'static, V> {
    /// A reader for `value`, where no member is a time.
    pub fn new(value: V) -> Self {
        Reader { value, times: &[] }
    }
}

impl<V: JsLike> Reader<'_, V> {
    #[inline(never)]
    fn wrong(&self, expected: Expected) -> FieldError {
        let mut words = expected.words();
        // A whole number beyond what a JS number holds exactly.
        if let (Expected::Whole(None), Some(n)) = (expected, self.value.number())
            && n.fract() == 0.0
            && n > MAX_SAFE_INTEGER
        {
            // Written out: formatting the f64 would link Rust's float formatter into the wasm.
            words = "a whole number up to 9007199254740991 (Number.MAX_SAFE_INTEGER)".into();
        }
        FieldError::new(Problem::Wrong {
            expected: words,
            received: expected.received(&self.value),
        })
    }

    /// A whole number in JavaScript's safe range, or a BigInt.
    fn whole(&self) -> Option<i128> {
        match self.value.number() {
            // In range by the guard, so exact.
            Some(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => Some(n as i128),
            Some(_) => None,
            None => self.value.bigint().and_then(|t| t.parse().ok()),
        }
    }

    /// A whole number from 0 within the type's range (`max`, checked again by the visitor).
    fn unsigned<'de, W: Visitor<'de>>(
        self,
        visitor: W,
        max: Option<u64>,
    ) -> Result<W::Value, FieldError> {
        let expected = Expected::Whole(max);
        match self.whole().and_then(|n| u64::try_from(n).ok()) {
            Some(n) => visitor
                .visit_u64(n)
                .map_err(|_: FieldError| self.wrong(expected)),
            None => Err(self.wrong(expected)),
        }
    }

    /// A whole number within the type's range (the visitor checks it).
    fn signed<'de, W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        match self.whole().and_then(|n| i64::try_from(n).ok()) {
            Some(n) => visitor
                .visit_i64(n)
                .map_err(|_: FieldError| self.wrong(Expected::Integer)),
            None => Err(self.wrong(Expected::Integer)),
        }
    }
}

/// `deserialize_*` methods that forward to another reading method of [`Reader`].
macro_rules! forward {
    ($($method:ident => $to:ident($($arg:expr)?);)*) => {$(
        fn $method<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
            self.$to(visitor $(, $arg)?)
        }
    )*};
}

impl<'de, V: JsLike> de::Deserializer<'de> for Reader<'_, V> {
    type Error = FieldError;

    fn deserialize_bool<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        match self.value.boolean() {
            Some(b) => visitor.visit_bool(b),
            None => Err(self.wrong(Expected::Boolean)),
        }
    }

    fn deserialize_string<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        match self.value.text() {
            Some(text) => visitor.visit_string(text),
            None => Err(self.wrong(Expected::Text)),
        }
    }

    /// One UTF-16 code unit (what `JsString::as_char` accepts); another string is refused in
    /// serde's words.
    fn deserialize_char<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        let Some(text) = self.value.text() else {
            return Err(self.wrong(Expected::Character));
        };
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.len_utf16() == 1 => visitor.visit_char(c),
            _ => Err(de::Error::invalid_type(Unexpected::Str(&text), &visitor)),
        }
    }

    /// A finite number: JSON holds no `NaN` or `Infinity`, and no option means one.
    fn deserialize_f64<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        match self.value.number() {
            Some(n) if n.is_finite() => visitor.visit_f64(n),
            _ => Err(self.wrong(Expected::Number)),
        }
    }

    forward! {
        deserialize_f32 => deserialize_f64();
        deserialize_str => deserialize_string();
        deserialize_identifier => deserialize_string();
        deserialize_bytes => deserialize_byte_buf();
        deserialize_u8 => unsigned(Some(u8::MAX.into()));
        deserialize_u16 => unsigned(Some(u16::MAX.into()));
        deserialize_u32 => unsigned(Some(u32::MAX.into()));
        deserialize_u64 => unsigned(None);
        deserialize_i8 => signed();
        deserialize_i16 => signed();
        deserialize_i32 => signed();
        deserialize_i64 => signed();
    }

    /// A BigInt only.
    fn deserialize_i128<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        match self.value.bigint().and_then(|t| t.parse().ok()) {
            Some(n) => visitor
                .visit_i128::<FieldError>(n)
                .map_err(|_| self.wrong(Expected::Integer)),
            None => Err(self.wrong(Expected::Integer)),
        }
    }

    /// A BigInt only.
    fn deserialize_u128<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        let expected = Expected::Whole(None);
        match self.value.bigint().and_then(|t| t.parse().ok()) {
            Some(n) => visitor
                .visit_u128::<FieldError>(n)
                .map_err(|_| self.wrong(expected)),
            None => Err(self.wrong(expected)),
        }
    }

    /// A `Uint8Array`, an `ArrayBuffer` or an array.
    fn deserialize_byte_buf<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        let read = if let Some(bytes) = self.value.bytes() {
            visitor.visit_byte_buf(bytes)
        } else if let Some(length) = self.value.array_length() {
            visitor.visit_seq(Elements {
                array: &self.value,
                length,
                next: 0,
            })
        } else {
            return Err(self.wrong(Expected::Bytes));
        };
        read.map_err(|_| self.wrong(Expected::Bytes))
    }

    fn deserialize_unit<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        if self.value.is_nullish() {
            visitor.visit_unit()
        } else {
            Err(self.wrong(Expected::Null))
        }
    }

    /// Self-describing reads (free-form [`Value`](crate::api::Value) members of the request
    /// models; untagged enums and `flatten`, which none of the options use), as
    /// serde-wasm-bindgen reads them: a safe integer as `i64`, another number as `f64`. A `Date`
    /// reads as `JSON.stringify` writes it: its `toISOString()` text (`null` for an invalid one).
    fn deserialize_any<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        let value = &self.value;
        if value.is_nullish() {
            visitor.visit_unit()
        } else if let Some(b) = value.boolean() {
            visitor.visit_bool(b)
        } else if let Some(n) = value.number() {
            if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
                visitor.visit_i64(n as i64)
            } else {
                visitor.visit_f64(n)
            }
        } else if let Some(text) = value.bigint() {
            match (text.parse::<i64>(), text.parse::<u64>()) {
                (Ok(n), _) => visitor.visit_i64(n),
                (_, Ok(n)) => visitor.visit_u64(n),
                _ => Err(de::Error::custom(
                    "Couldn't deserialize i64 or u64 from a BigInt outside i64::MIN..u64::MAX bounds",
                )),
            }
        } else if let Some(text) = value.text() {
            visitor.visit_string(text)
        } else if value.array_length().is_some() {
            self.deserialize_seq(visitor)
        } else if let Some(bytes) = value.bytes() {
            visitor.visit_byte_buf(bytes)
        } else if let Some(date) = value.date() {
            match date {
                Some(iso) => visitor.visit_string(iso),
                None => visitor.visit_unit(),
            }
        } else if value.is_record() {
            self.deserialize_map(visitor)
        } else {
            let name = value.type_name();
            Err(de::Error::invalid_type(Unexpected::Other(&name), &visitor))
        }
    }

    fn deserialize_option<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        if self.value.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit_struct<W: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: W,
    ) -> Result<W::Value, FieldError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<W: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: W,
    ) -> Result<W::Value, FieldError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        match self.value.array_length() {
            Some(length) => visitor.visit_seq(Elements {
                array: &self.value,
                length,
                next: 0,
            }),
            None => Err(self.wrong(Expected::Array)),
        }
    }

    fn deserialize_tuple<W: Visitor<'de>>(
        self,
        _len: usize,
        visitor: W,
    ) -> Result<W::Value, FieldError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<W: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: W,
    ) -> Result<W::Value, FieldError> {
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        if !self.value.is_record() {
            return Err(self.wrong(Expected::Object));
        }
        visitor.visit_map(Entries {
            entries: self.value.entries().into_iter(),
            current: None,
        })
    }

    fn deserialize_struct<W: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, FieldError> {
        if !self.value.is_record() {
            return Err(self.wrong(Expected::Object));
        }
        visitor.visit_map(Members {
            object: self.value,
            fields,
            next: 0,
            times: self.times,
            current: None,
        })
    }

    /// A unit variant's name, or an object with one member: `{ variant: payload }`.
    fn deserialize_enum<W: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, FieldError> {
        let expected = Expected::OneOf(variants);
        let access = if let Some(tag) = self.value.text() {
            Variant { tag, payload: None }
        } else if self.value.is_record() {
            let mut entries = self.value.entries();
            match entries.pop() {
                Some((tag, payload)) if entries.is_empty() => Variant {
                    tag,
                    payload: Some(payload),
                },
                _ => return Err(self.wrong(expected)),
            }
        } else {
            return Err(self.wrong(expected));
        };
        visitor.visit_enum(access).map_err(|_| self.wrong(expected))
    }

    fn deserialize_ignored_any<W: Visitor<'de>>(self, visitor: W) -> Result<W::Value, FieldError> {
        visitor.visit_unit()
    }
}

/// The declared members of a struct, read from the object by name (others are ignored).
struct Members<'a, V> {
    object: V,
    fields: &'static [&'static str],
    next: usize,
    times: &'a [&'a str],
    current: Option<(&'static str, V)>,
}

impl<V: JsLike> Members<'_, V> {
    /// The next declared member that is present (not absent, `undefined` or `null`).
    fn next_present(&mut self) -> Result<Option<&'static str>, FieldError> {
        while let Some(&field) = self.fields.get(self.next) {
            self.next += 1;
            let value = self.object.member(field).ok_or_else(|| {
                FieldError::new(Problem::Other("could not be read".into())).under_key(field)
            })?;
            if !value.is_nullish() {
                self.current = Some((field, value));
                return Ok(Some(field));
            }
        }
        Ok(None)
    }

    /// The value of the member [`Self::next_present`] found; a `Date` in a time member as text.
    fn take_value(&mut self) -> Result<(&'static str, V), FieldError> {
        let Some((field, value)) = self.current.take() else {
            return Err(FieldError::new(Problem::Other(
                "a value was read before its key".into(),
            )));
        };
        if self.times.contains(&field)
            && let Some(date) = value.date()
        {
            return match date {
                Some(iso) => Ok((field, V::from(iso))),
                None => Err(FieldError::new(Problem::InvalidDate).under_key(field)),
            };
        }
        Ok((field, value))
    }
}

impl<'de, V: JsLike> MapAccess<'de> for Members<'_, V> {
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

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, FieldError> {
        let (field, value) = self.take_value()?;
        seed.deserialize(Reader::new(value))
            .map_err(|e| e.under_key(field))
    }
}

/// The own enumerable members of an object, for maps.
struct Entries<V> {
    entries: std::vec::IntoIter<(String, V)>,
    current: Option<(String, V)>,
}

impl<'de, V: JsLike> MapAccess<'de> for Entries<V> {
    type Error = FieldError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, FieldError> {
        let Some((name, value)) = self.entries.next() else {
            return Ok(None);
        };
        let key = seed
            .deserialize(name.as_str().into_deserializer())
            .map_err(|e: FieldError| e.under(Segment::Key(name.clone())))?;
        self.current = Some((name, value));
        Ok(Some(key))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<S::Value, FieldError> {
        let Some((name, value)) = self.current.take() else {
            return Err(FieldError::new(Problem::Other(
                "a value was read before its key".into(),
            )));
        };
        seed.deserialize(Reader::new(value))
            .map_err(|e| e.under(Segment::Key(name)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// The elements of an array.
struct Elements<'a, V> {
    array: &'a V,
    length: u32,
    next: u32,
}

impl<'de, V: JsLike> SeqAccess<'de> for Elements<'_, V> {
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
        seed.deserialize(Reader::new(self.array.element(index)))
            .map(Some)
            .map_err(|e| e.under(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.length - self.next).ok()
    }
}

/// An enum's variant: its name, and its payload (`None` for a unit variant's name alone, which
/// reads as `undefined`).
struct Variant<V> {
    tag: String,
    payload: Option<V>,
}

impl<'de, V: JsLike> de::EnumAccess<'de> for Variant<V> {
    type Error = FieldError;
    type Variant = Payload<V>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Payload<V>), FieldError> {
        let tag = seed.deserialize(self.tag.into_deserializer())?;
        Ok((tag, Payload(self.payload)))
    }
}

struct Payload<V>(Option<V>);

impl<'de, V: JsLike> de::VariantAccess<'de> for Payload<V> {
    type Error = FieldError;

    fn unit_variant(self) -> Result<(), FieldError> {
        match self.0 {
            Some(value) => de::Deserialize::deserialize(Reader::new(value)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<S::Value, FieldError> {
        match self.0 {
            Some(value) => seed.deserialize(Reader::new(value)),
            None => seed.deserialize(de::value::UnitDeserializer::new()),
        }
    }

    fn tuple_variant<W: Visitor<'de>>(
        self,
        len: usize,
        visitor: W,
    ) -> Result<W::Value, FieldError> {
        match self.0 {
            Some(value) => Reader::new(value).deserialize_tuple(len, visitor),
            None => Err(de::Error::invalid_type(Unexpected::Unit, &visitor)),
        }
    }

    fn struct_variant<W: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: W,
    ) -> Result<W::Value, FieldError> {
        match self.0 {
            Some(value) => Reader::new(value).deserialize_struct("", fields, visitor),
            None => Err(de::Error::invalid_type(Unexpected::Unit, &visitor)),
        }
    }
}
