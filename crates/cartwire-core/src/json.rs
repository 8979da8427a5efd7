//! JSON kept as it was sent (feature `json`): [`RawJson`], the value type of every JSON
//! protocol's unknown fields ([`Extra<RawJson>`](crate::Extra)).
//!
//! A vendor's undocumented member is kept as its exact text rather than a
//! [`serde_json::Value`]: a `Value` rounds a number past `f64`'s digits
//! (`12345678901234567890123` becomes `1.2345678901234568e22`) and sorts object keys, so
//! what is written back would not be what came. Reading it is also cheaper: the parser only
//! checks the text and slices it out, where a `Value` builds a map and a string per member.
//!
//! ```
//! use cartwire_core::Extra;
//! use cartwire_core::json::RawJson;
//!
//! let extra: Extra<RawJson> =
//!     serde_json::from_str(r#"{"tier": {"name": "gold"}, "points": 12345678901234567890123}"#)?;
//! assert_eq!(extra["tier"].get(), r#"{"name": "gold"}"#);
//! assert_eq!(extra["points"].get(), "12345678901234567890123"); // not rounded
//! assert_eq!(extra["tier"].to_value()?["name"], "gold");
//! assert_eq!(
//!     serde_json::to_string(&extra)?,
//!     r#"{"tier":{"name": "gold"},"points":12345678901234567890123}"#
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

use core::fmt;
use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, Deserializer};
use serde::{Deserialize, Serialize, Serializer, ser};
use serde_json::value::RawValue;

/// A JSON value kept as the exact text received.
///
/// The text is always valid JSON: the only ways to build one are decoding,
/// [`RawJson::from_json`] (which checks it) and [`RawJson::from_value`]. It has no
/// `Default`: which JSON stands for "nothing" is the protocol's to say; see
/// [`RawJson::empty_array`] and [`RawJson::null`].
///
/// Reading with [`Deserialize`] keeps any depth of nesting (serde_json skips a raw value
/// without its recursion limit); decoders that may later turn the text into a `Value` read
/// with [`RawJson::deserialize_within`], which bounds it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RawJson(
    // Borrowed only for the constant values (`[]`, `null`), which then allocate nothing.
    Cow<'static, str>,
);

impl RawJson {
    /// How deep [`RawJson::deserialize_within`] lets decoders nest arrays and objects by
    /// default: a value within it always parses into a [`serde_json::Value`] (whose parser
    /// stops at 128 levels, counting the levels around the value).
    pub const MAX_DEPTH: usize = 100;

    /// Checks that `text` is one JSON value and keeps it as is.
    ///
    /// # Errors
    ///
    /// serde_json's error when `text` is not exactly one JSON value.
    ///
    /// ```
    /// use cartwire_core::json::RawJson;
    ///
    /// assert_eq!(RawJson::from_json(r#"{"b": 1,  "a": [ ]}"#)?.get(), r#"{"b": 1,  "a": [ ]}"#);
    /// assert!(RawJson::from_json("1 2").is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_json(text: impl Into<String>) -> Result<Self, serde_json::Error> {
        let raw = RawValue::from_string(text.into())?;
        Ok(Self::from(raw))
    }

    /// The compact JSON text of a [`serde_json::Value`].
    pub fn from_value(value: &serde_json::Value) -> Self {
        // Display on a Value writes compact JSON and cannot fail.
        Self(Cow::Owned(value.to_string()))
    }

    /// `[]`, without allocating (Cartloom's `extra_inputs` when there are none).
    pub const fn empty_array() -> Self {
        Self(Cow::Borrowed("[]"))
    }

    /// `null`, without allocating.
    pub const fn null() -> Self {
        Self(Cow::Borrowed("null"))
    }

    /// The JSON text, exactly as received.
    pub fn get(&self) -> &str {
        &self.0
    }

    /// Parses the text into a [`serde_json::Value`] (object keys come out sorted unless
    /// serde_json's `preserve_order` is on; numbers past `f64` are rounded).
    ///
    /// # Errors
    ///
    /// For what a `Value` cannot hold: a number past `f64`'s range (`1e400`, which serde_json
    /// refuses rather than round to infinity), or nesting deeper than serde_json's limit of
    /// 128 levels (which a decoder reading with [`RawJson::deserialize_within`] never
    /// produces). The text itself is always valid JSON.
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(&self.0)
    }

    /// Deserializes the text into any type.
    ///
    /// # Errors
    ///
    /// serde_json's error when the text is not a `T`.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.0)
    }

    /// Whether the text nests arrays and objects deeper than `max` levels.
    ///
    /// ```
    /// use cartwire_core::json::RawJson;
    ///
    /// let raw = RawJson::from_json(r#"[{"a": "[[["}]"#)?;
    /// assert!(!raw.nests_deeper_than(2));
    /// assert!(raw.nests_deeper_than(1));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn nests_deeper_than(&self, max: usize) -> bool {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        for byte in self.0.bytes() {
            if in_string {
                match byte {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max {
                        return true;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        false
    }

    /// Reads one value as [`Deserialize`] does, refusing one that nests arrays and objects
    /// deeper than `max_depth` levels (usually [`RawJson::MAX_DEPTH`]), so that whatever is
    /// read can also be turned into a [`serde_json::Value`] later.
    ///
    /// # Errors
    ///
    /// The deserializer's error, or a custom one saying how deep is too deep.
    ///
    /// ```
    /// use cartwire_core::json::RawJson;
    ///
    /// let mut de = serde_json::Deserializer::from_str("[[[1]]]");
    /// assert!(RawJson::deserialize_within(&mut de, 2).is_err());
    /// let mut de = serde_json::Deserializer::from_str("[[[1]]]");
    /// assert_eq!(RawJson::deserialize_within(&mut de, 3)?.get(), "[[[1]]]");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn deserialize_within<'de, D: Deserializer<'de>>(
        d: D,
        max_depth: usize,
    ) -> Result<Self, D::Error> {
        let raw = Self::deserialize(d)?;
        if raw.nests_deeper_than(max_depth) {
            return Err(de::Error::custom(format_args!(
                "JSON nested deeper than {max_depth} levels"
            )));
        }
        Ok(raw)
    }
}

/// [`RawJson::deserialize_within`] as a seed, for a visitor reading unknown members with
/// `next_value_seed`: the depth bound it holds.
///
/// ```
/// use cartwire_core::json::{RawJson, WithinDepth};
/// use serde::de::DeserializeSeed;
///
/// let mut de = serde_json::Deserializer::from_str(r#"{"a": [1]}"#);
/// let raw = WithinDepth(RawJson::MAX_DEPTH).deserialize(&mut de)?;
/// assert_eq!(raw.get(), r#"{"a": [1]}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WithinDepth(pub usize);

impl<'de> DeserializeSeed<'de> for WithinDepth {
    type Value = RawJson;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawJson, D::Error> {
        RawJson::deserialize_within(d, self.0)
    }
}

impl From<Box<RawValue>> for RawJson {
    /// Keeps a serde_json raw value's text (without copying it).
    fn from(raw: Box<RawValue>) -> Self {
        let text: Box<str> = raw.into();
        Self(Cow::Owned(text.into()))
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson").field(&&*self.0).finish()
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Written as the JSON it holds (verbatim with `serde_json`).
impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw: &RawValue = serde_json::from_str(self.get()).map_err(ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// Read as any JSON value, keeping its text (with `serde_json`; from a
/// [`serde_json::Value`] the text is the value's compact form).
impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(RawJson::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_and_keeps_text() {
        let raw = RawJson::from_json(r#"{"b": 1,  "a": [ ]}"#).unwrap();
        assert_eq!(raw.get(), r#"{"b": 1,  "a": [ ]}"#);
        assert_eq!(raw.to_value().unwrap()["b"], 1);
        assert!(RawJson::from_json("{").is_err());
        assert!(RawJson::from_json("1 2").is_err());
        assert_eq!(RawJson::empty_array().get(), "[]");
        assert_eq!(RawJson::null().get(), "null");
        assert_eq!(
            RawJson::from_value(&serde_json::json!({"x": "1"})).get(),
            r#"{"x":"1"}"#
        );
        assert_eq!(format!("{raw:?}"), r#"RawJson("{\"b\": 1,  \"a\": [ ]}")"#);
        assert_eq!(raw.to_string(), raw.get());
    }

    #[test]
    fn every_value_within_the_bound_parses_into_a_value() {
        for (open, close) in [("[", "]"), ("{\"k\":", "}")] {
            let nest = |depth: usize| format!("{}0{}", open.repeat(depth), close.repeat(depth));
            let within = nest(RawJson::MAX_DEPTH);
            let mut de = serde_json::Deserializer::from_str(&within);
            let raw = RawJson::deserialize_within(&mut de, RawJson::MAX_DEPTH).unwrap();
            assert!(raw.to_value().is_ok());
            // Even inside the two levels of a page of objects around it.
            let page = format!("[{{\"x\":{within}}}]");
            assert!(serde_json::from_str::<serde_json::Value>(&page).is_ok());
            let past = nest(RawJson::MAX_DEPTH + 1);
            let mut de = serde_json::Deserializer::from_str(&past);
            let err = RawJson::deserialize_within(&mut de, RawJson::MAX_DEPTH).unwrap_err();
            assert!(
                err.to_string().contains("nested deeper than 100 levels"),
                "{err}"
            );
        }
        // Brackets inside strings, and escaped quotes, are not nesting.
        let raw = RawJson::from_json(r#"["[[[\"[[", {"]]": "\\"}]"#).unwrap();
        assert!(!raw.nests_deeper_than(2));
        assert!(raw.nests_deeper_than(1));
    }

    #[test]
    fn a_number_past_f64_is_kept_though_a_value_cannot_hold_it() {
        let raw = RawJson::from_json("1e400").unwrap();
        assert_eq!(raw.get(), "1e400");
        assert!(raw.to_value().is_err());
        assert_eq!(serde_json::to_string(&raw).unwrap(), "1e400");
    }

    #[test]
    fn depth_ignores_strings_and_siblings() {
        let deeper = |text: &str, max| RawJson::from_json(text).unwrap().nests_deeper_than(max);
        assert!(!deeper("[[1]]", 2));
        assert!(deeper("[[[1]]]", 2));
        assert!(!deeper(r#"{"a":"[[[[\"[[[["}"#, 1));
        assert!(!deeper(r#"["\\\\",{"b":[]}]"#, 3));
        assert!(deeper(r#"["\\\\",{"b":[[]]}]"#, 3));
        assert!(!deeper("[[],[],[],[]]", 2));
        assert!(!deeper("\"x\"", 0));
    }

    #[test]
    fn numbers_keep_every_digit() {
        let text = r#"{"n":123456789012345678901234567890.000000000000000000001}"#;
        let extra: crate::Extra<RawJson> = serde_json::from_str(text).unwrap();
        assert_eq!(
            extra["n"].get(),
            "123456789012345678901234567890.000000000000000000001"
        );
        assert_eq!(serde_json::to_string(&extra).unwrap(), text);
    }
}
