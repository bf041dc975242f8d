//! A Rust value as a plain JavaScript value, built with [`HostValue`]'s constructors: structs
//! and maps as objects, sequences and tuples as arrays, integers as numbers, bytes as a
//! `Uint8Array`, unit variants as their name and other variants as `{ name: payload }`. `None`
//! is `undefined` (a skipped member is absent). What serde-wasm-bindgen's serializer makes with
//! `serialize_maps_as_objects`, without its string cache (a hash map in every `.wasm`).

use core::fmt;
use core::marker::PhantomData;

use serde::ser::{self, Serialize};

use super::HostValue;
use crate::error::{Error, ErrorCode, Result};

/// Serializes `value` through `V`'s constructors.
pub fn to_value<V: HostValue, T: Serialize + ?Sized>(value: &T) -> Result<V> {
    value.serialize(Builder(PhantomData)).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            format!("could not convert a result: {}", e.0),
        )
    })
}

/// Why a value could not be built.
#[derive(Debug)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

impl ser::Error for BuildError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        BuildError(message.to_string())
    }
}

type Built<V> = core::result::Result<V, BuildError>;

/// A whole number as a JavaScript number, when it holds it exactly.
fn whole<V: HostValue>(n: i128) -> Built<V> {
    const MAX_SAFE: i128 = (1 << 53) - 1;
    match (-MAX_SAFE..=MAX_SAFE).contains(&n) {
        true => Ok(V::from_f64(n as f64)),
        false => Err(BuildError(
            "an integer beyond Number.MAX_SAFE_INTEGER".into(),
        )),
    }
}

/// `{ variant: value }`.
fn tagged<V: HostValue>(variant: &str, value: V) -> V {
    let object = V::new_object();
    let _ = object.set(variant, value);
    object
}

/// `serialize_<integer>` methods: each a whole number through [`whole`].
macro_rules! whole_numbers {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Built<V> {
            whole(v.into())
        }
    )*};
}

struct Builder<V>(PhantomData<V>);

impl<V: HostValue> ser::Serializer for Builder<V> {
    type Ok = V;
    type Error = BuildError;
    type SerializeSeq = Items<V>;
    type SerializeTuple = Items<V>;
    type SerializeTupleStruct = Items<V>;
    type SerializeTupleVariant = Items<V>;
    type SerializeMap = Members<V>;
    type SerializeStruct = Members<V>;
    type SerializeStructVariant = Members<V>;

    fn serialize_bool(self, v: bool) -> Built<V> {
        Ok(V::from_bool(v))
    }
    whole_numbers!(
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );
    fn serialize_f32(self, v: f32) -> Built<V> {
        Ok(V::from_f64(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Built<V> {
        Ok(V::from_f64(v))
    }
    fn serialize_char(self, v: char) -> Built<V> {
        Ok(V::from_str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Built<V> {
        Ok(V::from_str(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Built<V> {
        Ok(V::from_bytes(v))
    }
    fn serialize_none(self) -> Built<V> {
        Ok(V::undefined())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Built<V> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Built<V> {
        Ok(V::undefined())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Built<V> {
        Ok(V::undefined())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Built<V> {
        Ok(V::from_str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Built<V> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Built<V> {
        Ok(tagged(variant, value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Built<Items<V>> {
        Ok(Items::new(None, len.unwrap_or(0)))
    }
    fn serialize_tuple(self, len: usize) -> Built<Items<V>> {
        Ok(Items::new(None, len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Built<Items<V>> {
        Ok(Items::new(None, len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Built<Items<V>> {
        Ok(Items::new(Some(variant), len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Built<Members<V>> {
        Ok(Members::new(None))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Built<Members<V>> {
        Ok(Members::new(None))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Built<Members<V>> {
        Ok(Members::new(Some(variant)))
    }
}

/// The elements of an array (of a tuple variant's payload when `variant` is set).
struct Items<V> {
    variant: Option<&'static str>,
    items: Vec<V>,
}

impl<V: HostValue> Items<V> {
    fn new(variant: Option<&'static str>, len: usize) -> Self {
        Items {
            variant,
            items: Vec::with_capacity(len),
        }
    }

    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Built<()> {
        self.items.push(value.serialize(Builder(PhantomData))?);
        Ok(())
    }

    fn finish(self) -> Built<V> {
        let array = V::new_array(self.items);
        Ok(match self.variant {
            Some(variant) => tagged(variant, array),
            None => array,
        })
    }
}

/// The members of an object (of a struct variant's payload when `variant` is set).
struct Members<V> {
    variant: Option<&'static str>,
    object: V,
    key: Option<String>,
}

impl<V: HostValue> Members<V> {
    fn new(variant: Option<&'static str>) -> Self {
        Members {
            variant,
            object: V::new_object(),
            key: None,
        }
    }

    fn member<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Built<()> {
        let value = value.serialize(Builder(PhantomData))?;
        let _ = self.object.set(key, value);
        Ok(())
    }

    fn finish(self) -> Built<V> {
        Ok(match self.variant {
            Some(variant) => tagged(variant, self.object),
            None => self.object,
        })
    }
}

/// Implements the element-pushing compound traits for [`Items`].
macro_rules! items {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<V: HostValue> ser::$trait for Items<V> {
            type Ok = V;
            type Error = BuildError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Built<()> {
                self.push(value)
            }
            fn end(self) -> Built<V> {
                self.finish()
            }
        }
    )*};
}

items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// Implements the member-setting compound traits for [`Members`].
macro_rules! members {
    ($($trait:ident),*) => {$(
        impl<V: HostValue> ser::$trait for Members<V> {
            type Ok = V;
            type Error = BuildError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Built<()> {
                self.member(key, value)
            }
            fn end(self) -> Built<V> {
                self.finish()
            }
        }
    )*};
}

members!(SerializeStruct, SerializeStructVariant);

impl<V: HostValue> ser::SerializeMap for Members<V> {
    type Ok = V;
    type Error = BuildError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Built<()> {
        let key: V = key.serialize(Builder(PhantomData))?;
        let key = key
            .text()
            .or_else(|| key.number_text())
            .ok_or_else(|| BuildError("a map key is not a string or a number".into()))?;
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Built<()> {
        let key = self.key.take().unwrap_or_default();
        self.member(&key, value)
    }

    fn end(self) -> Built<V> {
        self.finish()
    }
}
