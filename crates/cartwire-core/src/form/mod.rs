//! A PHP-style `application/x-www-form-urlencoded` codec.
//!
//! PHP senders (JustClick, CartFreak's receivers, most cart scripts) write nested data with
//! bracket keys: `utm[source]=google&items[0][partners][1][partner_fee]=2.50`. This module
//! decodes a body or query string into
//!
//! * the **pairs**: every decoded `(key, value)` in wire order, for hash checks that must run
//!   over the raw strings ([`Form::pairs`], [`Form::get`]);
//! * the **tree**: nested maps built from the bracket keys, which any serde type deserializes
//!   from ([`Form::deserialize`]), and which [`encode_map`] writes back the way PHP's
//!   `http_build_query` does.
//!
//! ```
//! use cartwire_core::form::Form;
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Item<'a> { title: &'a str, sum: String }
//! #[derive(Deserialize)]
//! struct Invoice<'a> {
//!     id: &'a str,
//!     #[serde(borrow)]
//!     items: Vec<Item<'a>>,
//! }
//!
//! let body = b"id=1001&items%5B1%5D%5Btitle%5D=Course+2&items[1][sum]=20\
//!              &items[0][title]=Course%201&items[0][sum]=10.50";
//! let form = Form::parse(body)?;
//! assert_eq!(form.get("items[0][sum]"), Some("10.50"));
//!
//! let invoice: Invoice = form.deserialize()?;
//! assert_eq!(invoice.id, "1001"); // borrowed straight from the body
//! assert_eq!(invoice.items[0].title, "Course 1"); // ordered by index, not by arrival
//! assert_eq!(invoice.items[1].sum, "20");
//! # Ok::<(), cartwire_core::Error>(())
//! ```
//!
//! # Decisions
//!
//! * `+` is a space; `%5B`/`%5D` and raw brackets are the same key. An invalid percent escape
//!   (`%zz`, a lone `%`) is kept literally, as PHP and browsers do.
//! * Values and keys must be UTF-8 after percent-decoding, or the decode fails naming the key;
//!   enable the `legacy-charsets` feature and [`Charset::Windows1251`] for old Russian-language
//!   senders.
//! * A key is nested only if it is exactly `name[seg][seg]…`; anything else (`a[b`, `a]`,
//!   `a[b]c`, `[x]`) is kept as a flat key with its full text, never mangled the way PHP
//!   mangles it (`.` and space in names are kept too).
//! * `a[]` appends after the highest numeric index, as PHP does. Numbered lists may arrive in
//!   any order and with gaps; a list deserializes in index order.
//! * A repeated key is an error by default ([`Duplicates::Reject`]): a hash check over one
//!   value and a use of another is a classic forgery. [`Duplicates::LastWins`] gives PHP's
//!   behaviour.
//! * Every resource is bounded by [`Limits`], each with its own typed error.

mod de;
mod encode;

use std::borrow::Cow;
use std::ops::Range;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::error::{Error, Limit, LimitExceeded};

pub use de::{DeError, ValueDeserializer};
pub use encode::{FormEncoder, encode_map, php_urlencode};

/// Bounds on what the decoder accepts. Every limit that is hit gives an
/// [`Error::Limit`] naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest input, in bytes. Default 1 MiB.
    pub max_bytes: usize,
    /// Most `key=value` pairs. Default 10,000.
    pub max_pairs: usize,
    /// Deepest bracket nesting (`a[b][c]` is 2 below the base name). Default 16.
    pub max_depth: usize,
    /// Largest numeric index (`items[99999999]`). Default 9,999.
    pub max_index: u64,
    /// Most elements in one list. Default 10,000.
    pub max_list_len: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 1 << 20,
            max_pairs: 10_000,
            max_depth: 16,
            max_index: 9_999,
            max_list_len: 10_000,
        }
    }
}

/// What to do when a key arrives twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Duplicates {
    /// Fail with [`Error::Malformed`] naming the key (the default).
    #[default]
    Reject,
    /// Keep the last value, as PHP's `$_POST` does.
    LastWins,
    /// Keep the first value.
    FirstWins,
}

/// The character set of the percent-decoded bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Charset {
    /// Strict UTF-8 (the default).
    #[default]
    Utf8,
    /// windows-1251, for old Russian-language PHP senders.
    #[cfg(feature = "legacy-charsets")]
    Windows1251,
}

/// Decoder settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Resource limits.
    pub limits: Limits,
    /// Repeated keys.
    pub duplicates: Duplicates,
    /// Character set.
    pub charset: Charset,
}

impl Options {
    /// Sets the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// Sets the repeated-key policy.
    pub fn duplicates(mut self, duplicates: Duplicates) -> Self {
        self.duplicates = duplicates;
        self
    }
    /// Sets the character set.
    pub fn charset(mut self, charset: Charset) -> Self {
        self.charset = charset;
        self
    }
}

/// A node of the decoded tree: a text value or a nested map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormValue<'a> {
    /// A leaf value.
    Text(Cow<'a, str>),
    /// Nested keys (`a[b]=…`), in arrival order.
    Map(FormMap<'a>),
}

impl<'a> FormValue<'a> {
    /// The text, if this is a leaf.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FormValue::Text(t) => Some(t),
            FormValue::Map(_) => None,
        }
    }

    /// The map, if this is a nested node.
    pub fn as_map(&self) -> Option<&FormMap<'a>> {
        match self {
            FormValue::Map(m) => Some(m),
            FormValue::Text(_) => None,
        }
    }

    /// Copies every borrowed string, detaching the value from the input.
    pub fn into_owned(self) -> FormValue<'static> {
        match self {
            FormValue::Text(t) => FormValue::Text(Cow::Owned(t.into_owned())),
            FormValue::Map(m) => FormValue::Map(m.into_owned()),
        }
    }
}

impl From<String> for FormValue<'_> {
    fn from(value: String) -> Self {
        FormValue::Text(Cow::Owned(value))
    }
}

impl<'a> From<&'a str> for FormValue<'a> {
    fn from(value: &'a str) -> Self {
        FormValue::Text(Cow::Borrowed(value))
    }
}

impl<'a> From<FormMap<'a>> for FormValue<'a> {
    fn from(value: FormMap<'a>) -> Self {
        FormValue::Map(value)
    }
}

/// An ordered map of the tree: keys in arrival order, as PHP arrays are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormMap<'a> {
    entries: IndexMap<Cow<'a, str>, FormValue<'a>>,
    /// PHP's "next free element": one past the highest numeric key seen.
    next_index: u64,
}

impl<'a> FormMap<'a> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&FormValue<'a>> {
        self.entries.get(key)
    }

    /// The text at `key`, if it is a leaf.
    pub fn get_text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(FormValue::as_text)
    }

    /// Inserts or replaces `key`, keeping its first position (as PHP does).
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: impl Into<FormValue<'a>>) {
        let key = key.into();
        if let Some(index) = canonical_index(&key) {
            self.next_index = self.next_index.max(index.saturating_add(1));
        }
        self.entries.insert(key, value.into());
    }

    /// Removes `key`, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<FormValue<'a>> {
        self.entries.shift_remove(key)
    }

    /// Appends `value` after the highest numeric key (`a[]=…`).
    pub fn push(&mut self, value: impl Into<FormValue<'a>>) {
        let key = self.next_index.to_string();
        self.insert(key, value);
    }

    /// The entries in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &FormValue<'a>)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in list order, if every key is a numeric index: sorted by index, gaps closed
    /// (`items[5]` and `items[2]` give two elements, `2` first).
    pub fn list(&self) -> Option<Vec<&FormValue<'a>>> {
        let mut indexed = Vec::with_capacity(self.entries.len());
        for (key, value) in &self.entries {
            indexed.push((canonical_index(key)?, value));
        }
        indexed.sort_by_key(|(index, _)| *index);
        Some(indexed.into_iter().map(|(_, v)| v).collect())
    }

    /// Copies every borrowed string, detaching the map from the input.
    pub fn into_owned(self) -> FormMap<'static> {
        FormMap {
            entries: self
                .entries
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                .collect(),
            next_index: self.next_index,
        }
    }

    /// Deserializes a serde type from this map, with errors naming the field path.
    pub fn deserialize<'de, T: Deserialize<'de>>(&'de self) -> Result<T, Error> {
        serde_path_to_error::deserialize(de::MapDeserializer::new(self))
            .map_err(crate::error::from_path_error)
    }
}

impl<'a, K: Into<Cow<'a, str>>, V: Into<FormValue<'a>>> FromIterator<(K, V)> for FormMap<'a> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = FormMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

/// A decoded form: its pairs in wire order and the tree built from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    tree: FormMap<'a>,
}

impl<'a> Form<'a> {
    /// Decodes a body or query string (without the leading `?`) with the default
    /// [`Options`].
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        Self::parse_with(input, &Options::default())
    }

    /// Decodes with explicit options.
    pub fn parse_with(input: &'a [u8], options: &Options) -> Result<Self, Error> {
        let limits = &options.limits;
        if input.len() > limits.max_bytes {
            return Err(LimitExceeded::new(Limit::Bytes, limits.max_bytes).into());
        }
        let mut pairs = Vec::new();
        let mut tree = FormMap::new();
        for raw in input.split(|&b| b == b'&') {
            if raw.is_empty() {
                continue;
            }
            let (raw_key, raw_value) = match raw.iter().position(|&b| b == b'=') {
                Some(eq) => (
                    raw.get(..eq).unwrap_or_default(),
                    raw.get(eq + 1..).unwrap_or_default(),
                ),
                None => (raw, &b""[..]),
            };
            let key = decode_component(raw_key, options.charset)
                .map_err(|problem| Error::malformed(String::from_utf8_lossy(raw_key), problem))?;
            if key.is_empty() {
                // PHP drops pairs with an empty name; so do we (they cannot be addressed).
                continue;
            }
            if pairs.len() == limits.max_pairs {
                return Err(LimitExceeded::new(Limit::Pairs, limits.max_pairs).into());
            }
            let value = decode_component(raw_value, options.charset)
                .map_err(|problem| Error::malformed(key.as_ref(), problem))?;
            insert_path(&mut tree, &key, value.clone(), options)?;
            pairs.push((key, value));
        }
        Ok(Form { pairs, tree })
    }

    /// Every decoded `(key, value)` in wire order, repeated keys included. Hash checks run
    /// over these.
    pub fn pairs(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The value of the first pair whose decoded key is exactly `key` (`items[0][sum]` matches
    /// `items%5B0%5D%5Bsum%5D` on the wire).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// How many pairs have exactly this key.
    pub fn count(&self, key: &str) -> usize {
        self.pairs.iter().filter(|(k, _)| k == key).count()
    }

    /// The nested tree.
    pub fn tree(&self) -> &FormMap<'a> {
        &self.tree
    }

    /// Takes the tree, dropping the pairs.
    pub fn into_tree(self) -> FormMap<'a> {
        self.tree
    }

    /// Deserializes a serde type from the tree; errors name the field path
    /// (`items.0.price`).
    pub fn deserialize<'de, T: Deserialize<'de>>(&'de self) -> Result<T, Error> {
        self.tree.deserialize()
    }

    /// Copies every borrowed string, detaching the form from the input.
    pub fn into_owned(self) -> Form<'static> {
        Form {
            pairs: self
                .pairs
                .into_iter()
                .map(|(k, v)| (Cow::Owned(k.into_owned()), Cow::Owned(v.into_owned())))
                .collect(),
            tree: self.tree.into_owned(),
        }
    }
}

/// `+` to space, percent escapes to bytes, bytes to text. Borrows when nothing changes.
fn decode_component(raw: &[u8], charset: Charset) -> Result<Cow<'_, str>, String> {
    let needs_decoding = raw.iter().any(|&b| b == b'+' || b == b'%');
    let bytes: Cow<'_, [u8]> = if needs_decoding {
        let plus_free: Cow<'_, [u8]> = if raw.contains(&b'+') {
            Cow::Owned(
                raw.iter()
                    .map(|&b| if b == b'+' { b' ' } else { b })
                    .collect(),
            )
        } else {
            Cow::Borrowed(raw)
        };
        Cow::Owned(percent_encoding::percent_decode(&plus_free).collect())
    } else {
        Cow::Borrowed(raw)
    };
    match charset {
        Charset::Utf8 => match bytes {
            Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed),
            Cow::Owned(v) => String::from_utf8(v)
                .map(Cow::Owned)
                .map_err(|e| e.utf8_error()),
        }
        .map_err(|e| {
            format!(
                "not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            )
        }),
        #[cfg(feature = "legacy-charsets")]
        Charset::Windows1251 => {
            let (text, _) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(&bytes);
            Ok(Cow::Owned(text.into_owned()))
        }
    }
}

/// A key segment that PHP would treat as an integer index: `0`, or digits without a leading
/// zero, small enough for u64.
fn canonical_index(segment: &str) -> Option<u64> {
    let bytes = segment.as_bytes();
    let canonical = match bytes {
        [] => false,
        [b'0'] => true,
        [first, rest @ ..] => (b'1'..=b'9').contains(first) && rest.iter().all(u8::is_ascii_digit),
    };
    if canonical {
        segment.parse().ok()
    } else {
        None
    }
}

/// One step of a bracket key: a byte range of the key, or `[]`.
#[derive(Debug, PartialEq, Eq)]
enum Segment {
    Name(Range<usize>),
    Append,
}

/// Splits `name[a][b][]` into the length of its base and its segments; `None` if the key is
/// not exactly of that shape (then it is a flat key).
fn split_key(key: &str) -> Option<(usize, Vec<Segment>)> {
    let open = key.find('[')?;
    if open == 0 {
        return None;
    }
    let mut segments = Vec::new();
    let mut at = open;
    while at < key.len() {
        let rest = key.get(at..)?;
        let after_open = rest.strip_prefix('[')?;
        let close = after_open.find(']')?;
        let segment = after_open.get(..close)?;
        if segment.contains('[') {
            return None;
        }
        segments.push(if segment.is_empty() {
            Segment::Append
        } else {
            Segment::Name(at + 1..at + 1 + close)
        });
        at += close + 2;
    }
    Some((open, segments))
}

/// A part of a `Cow` key, staying borrowed when the key was.
fn sub_cow<'a>(whole: &Cow<'a, str>, range: Range<usize>) -> Cow<'a, str> {
    match whole {
        Cow::Borrowed(b) => Cow::Borrowed(b.get(range).unwrap_or_default()),
        Cow::Owned(o) => Cow::Owned(o.get(range).unwrap_or_default().to_owned()),
    }
}

// The key's `Cow` tells whether its sub-keys can borrow from the input.
#[allow(clippy::ptr_arg)]
fn insert_path<'a>(
    tree: &mut FormMap<'a>,
    key: &Cow<'a, str>,
    value: Cow<'a, str>,
    options: &Options,
) -> Result<(), Error> {
    let limits = &options.limits;
    let Some((base_len, segments)) = split_key(key) else {
        return insert_leaf(tree, key.clone(), value, key, options);
    };
    if segments.len() > limits.max_depth {
        return Err(LimitExceeded::at(Limit::Depth, limits.max_depth, key.as_ref()).into());
    }
    let mut map = tree;
    let mut name: Cow<'a, str> = sub_cow(key, 0..base_len);
    let mut name_is_list_slot = false;
    for segment in &segments {
        // Descend into `name`, creating a map there if needed.
        if name_is_list_slot && map.len() >= limits.max_list_len && map.get(&name).is_none() {
            return Err(
                LimitExceeded::at(Limit::ListLength, limits.max_list_len, key.as_ref()).into(),
            );
        }
        let replace = match map.get(&name) {
            Some(FormValue::Map(_)) => false,
            None => true,
            Some(FormValue::Text(_)) => match options.duplicates {
                Duplicates::Reject => {
                    return Err(Error::malformed(
                        key.as_ref(),
                        "the key is used both as a value and as a nested key",
                    ));
                }
                Duplicates::LastWins => true,
                Duplicates::FirstWins => return Ok(()),
            },
        };
        if replace {
            map.insert(name.clone(), FormMap::new());
        }
        map = match map.entries.get_mut(&name) {
            Some(FormValue::Map(m)) => m,
            // Just ensured above that a map is there.
            _ => {
                return Err(Error::malformed(
                    key.as_ref(),
                    "internal: nested map missing",
                ));
            }
        };
        match segment {
            Segment::Name(range) => {
                let s = key.get(range.clone()).unwrap_or_default();
                name_is_list_slot = match canonical_index(s) {
                    Some(index) if index > limits.max_index => {
                        return Err(LimitExceeded::at(
                            Limit::Index,
                            limits.max_index as usize,
                            key.as_ref(),
                        )
                        .into());
                    }
                    Some(_) => true,
                    None if s.bytes().all(|b| b.is_ascii_digit())
                        && s.len() > 1
                        && !s.starts_with('0') =>
                    {
                        // All digits but too large for u64: certainly over the limit.
                        return Err(LimitExceeded::at(
                            Limit::Index,
                            limits.max_index as usize,
                            key.as_ref(),
                        )
                        .into());
                    }
                    None => false,
                };
                name = sub_cow(key, range.clone());
            }
            Segment::Append => {
                if map.next_index > limits.max_index {
                    return Err(LimitExceeded::at(
                        Limit::Index,
                        limits.max_index as usize,
                        key.as_ref(),
                    )
                    .into());
                }
                name_is_list_slot = true;
                name = Cow::Owned(map.next_index.to_string());
            }
        }
    }
    if name_is_list_slot && map.len() >= limits.max_list_len && map.get(&name).is_none() {
        return Err(LimitExceeded::at(Limit::ListLength, limits.max_list_len, key.as_ref()).into());
    }
    insert_leaf(map, name, value, key, options)
}

fn insert_leaf<'a>(
    map: &mut FormMap<'a>,
    name: Cow<'a, str>,
    value: Cow<'a, str>,
    full_key: &str,
    options: &Options,
) -> Result<(), Error> {
    match map.get(&name) {
        None => map.insert(name, FormValue::Text(value)),
        Some(existing) => match options.duplicates {
            Duplicates::Reject => {
                let problem = match existing {
                    FormValue::Text(_) => "the key is repeated",
                    FormValue::Map(_) => "the key is used both as a value and as a nested key",
                };
                return Err(Error::malformed(full_key, problem));
            }
            Duplicates::LastWins => map.insert(name, FormValue::Text(value)),
            Duplicates::FirstWins => {}
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests;
