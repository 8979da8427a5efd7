//! serde `Deserializer`s over the decoded tree.
//!
//! Leaves are text, so numbers and flags are parsed from text when the target asks for them;
//! maps whose keys are all numeric indexes deserialize as sequences in index order.

use core::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::forward_to_deserialize_any;

use super::{FormMap, FormValue};
use crate::scalar;

/// The error of the form deserializers: a message; the field path is added by
/// [`FormMap::deserialize`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeError(String);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError(msg.to_string())
    }
}

/// Deserializes a whole map as a struct or map.
pub(super) struct MapDeserializer<'de, 'a> {
    map: &'de FormMap<'a>,
}

impl<'de, 'a> MapDeserializer<'de, 'a> {
    pub(super) fn new(map: &'de FormMap<'a>) -> Self {
        Self { map }
    }
}

impl<'de> Deserializer<'de> for MapDeserializer<'de, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        ValueDeserializer::map(self.map).deserialize_any(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        ValueDeserializer::map(self.map).deserialize_seq(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[derive(Clone, Copy)]
enum Node<'de, 'a> {
    Text(&'de str),
    Map(&'de FormMap<'a>),
}

/// Deserializes one node of the tree (a leaf's text or a nested map).
pub struct ValueDeserializer<'de, 'a> {
    node: Node<'de, 'a>,
}

impl<'de, 'a> ValueDeserializer<'de, 'a> {
    /// A deserializer over a node.
    pub fn new(value: &'de FormValue<'a>) -> Self {
        match value {
            FormValue::Text(t) => Self::text(t),
            FormValue::Map(m) => Self::map(m),
        }
    }

    fn text(text: &'de str) -> Self {
        Self {
            node: Node::Text(text),
        }
    }

    fn map(map: &'de FormMap<'a>) -> Self {
        Self {
            node: Node::Map(map),
        }
    }

    fn text_or_err(&self, what: &str) -> Result<&'de str, DeError> {
        match self.node {
            Node::Text(t) => Ok(t),
            Node::Map(_) => Err(de::Error::custom(format_args!(
                "expected {what}, found nested keys"
            ))),
        }
    }
}

macro_rules! parse_int_methods {
    ($($method:ident => $visit:ident : $ty:ty),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let text = self.text_or_err("an integer")?;
            let value: $ty = scalar::parse_int(text).map_err(de::Error::custom)?;
            visitor.$visit(value)
        }
    )*};
}

impl<'de> Deserializer<'de> for ValueDeserializer<'de, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node {
            Node::Text(t) => visitor.visit_borrowed_str(t),
            Node::Map(m) => visitor.visit_map(Entries::new(m)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let text = self.text_or_err("a flag")?;
        visitor.visit_bool(scalar::parse_flag(text).map_err(de::Error::custom)?)
    }

    parse_int_methods! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let text = self.text_or_err("a number")?;
        let value: f64 = text
            .trim()
            .parse()
            .map_err(|_| de::Error::custom(format_args!("expected a number, found {text:?}")))?;
        visitor.visit_f64(value)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // A present key is Some, even when empty: the lenient helpers in `scalar` decide what
        // an empty string means for their type.
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node {
            Node::Map(m) => match m.list() {
                Some(items) => visitor.visit_seq(Items {
                    items: items.into_iter(),
                }),
                None => Err(de::Error::custom(
                    "expected a list (numeric indexes), found named keys",
                )),
            },
            Node::Text(t) => Err(de::Error::custom(format_args!(
                "expected a list, found the value {t:?}"
            ))),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.node {
            Node::Map(m) => visitor.visit_map(Entries::new(m)),
            Node::Text(t) => Err(de::Error::custom(format_args!(
                "expected nested keys, found the value {t:?}"
            ))),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.node {
            Node::Text(t) => visitor.visit_enum(t.into_deserializer()),
            Node::Map(_) => Err(de::Error::custom("expected a name, found nested keys")),
        }
    }

    forward_to_deserialize_any! {
        char str string bytes byte_buf identifier ignored_any
    }
}

/// Map access over a tree map; keys are text deserializers.
struct Entries<'de, 'a> {
    map: &'de FormMap<'a>,
    next: usize,
    value: Option<&'de FormValue<'a>>,
}

impl<'de, 'a> Entries<'de, 'a> {
    fn new(map: &'de FormMap<'a>) -> Self {
        Self {
            map,
            next: 0,
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.map.entry_at(self.next) {
            Some((key, value)) => {
                self.next += 1;
                self.value = Some(value);
                seed.deserialize(ValueDeserializer::text(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.value.take() {
            Some(value) => seed.deserialize(ValueDeserializer::new(value)),
            None => Err(de::Error::custom("a value was asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.map.len().saturating_sub(self.next))
    }
}

struct Items<'de, 'a> {
    items: std::vec::IntoIter<&'de FormValue<'a>>,
}

impl<'de> SeqAccess<'de> for Items<'de, '_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.items.next() {
            Some(value) => seed.deserialize(ValueDeserializer::new(value)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}
