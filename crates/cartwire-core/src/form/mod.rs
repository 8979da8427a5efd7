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
use std::sync::OnceLock;

use serde::Deserialize;
use std::hash::{BuildHasher, RandomState};

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

/// Room a nested map starts with: an item, an address or a set of UTM tags has a handful of
/// fields, which then never make the map grow (a `Vec` would start at 4 and grow once).
const CHILD_CAPACITY: usize = 8;

/// Most room the top-level map starts with, however many pairs the body has (a body's pairs
/// mostly nest under a few top-level keys).
const TOP_CAPACITY: usize = 32;

/// Maps with more entries than this get a hash index; smaller ones are scanned, which is
/// faster than hashing for the handful of keys a real form nests.
const INDEX_FROM: usize = 32;

/// The key at a position of a list of entries or pairs.
#[inline]
fn key_of<'k, V>(entries: &'k [(Cow<'_, str>, V)], position: usize) -> Option<&'k str> {
    entries.get(position).map(|(k, _)| k.as_ref())
}

/// The position of `key` in a short list, by a scan: lengths and first bytes are compared
/// before the bytes, so most keys are passed over without a call to `memcmp`.
#[inline]
fn scan<V>(entries: &[(Cow<'_, str>, V)], key: &str) -> Option<usize> {
    let bytes = key.as_bytes();
    entries.iter().position(|(k, _)| {
        let k = k.as_bytes();
        k.len() == bytes.len() && k.first() == bytes.first() && k == bytes
    })
}

/// Positions of keys that live elsewhere (a map's entries, a list of pairs): each key hashed
/// once per lookup or insert and never copied into the index.
///
/// SipHash under a per-process random key, as `std`'s maps use: the keys come from the sender,
/// so a cheaper unkeyed hash would let a hostile form collide every key into one bucket.
#[derive(Debug, Clone, Default)]
struct KeyIndex {
    table: hashbrown::HashTable<usize>,
    hasher: RandomState,
}

impl KeyIndex {
    /// An index of the keys of `entries` (which are unique), with room for `capacity` keys.
    fn of<V>(entries: &[(Cow<'_, str>, V)], capacity: usize) -> Self {
        let mut index = Self {
            table: hashbrown::HashTable::with_capacity(capacity.max(entries.len())),
            hasher: RandomState::new(),
        };
        for (position, (key, _)) in entries.iter().enumerate() {
            index.insert_new(index.hash(key), position, |p| key_of(entries, p));
        }
        index
    }

    fn hash(&self, key: &str) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The position of `key` (whose hash is `hash`); `key_at` reads a position's key.
    fn find<'k>(
        &self,
        hash: u64,
        key: &str,
        key_at: impl Fn(usize) -> Option<&'k str>,
    ) -> Option<usize> {
        self.table
            .find(hash, |&position| key_at(position) == Some(key))
            .copied()
    }

    /// Records the position of a key known to be absent, whose hash is `hash`.
    fn insert_new<'k>(
        &mut self,
        hash: u64,
        position: usize,
        key_at: impl Fn(usize) -> Option<&'k str>,
    ) {
        let Self { table, hasher } = self;
        table.insert_unique(hash, position, |&p| {
            hasher.hash_one(key_at(p).unwrap_or_default())
        });
    }
}

/// An ordered map of the tree: keys in arrival order, as PHP arrays are.
#[derive(Debug, Clone, Default)]
pub struct FormMap<'a> {
    entries: Vec<(Cow<'a, str>, FormValue<'a>)>,
    /// Key to position, built once the map is large (boxed: most maps never have one, and a
    /// small map keeps every node of the tree small).
    index: Option<Box<KeyIndex>>,
    /// PHP's "next free element": one past the highest numeric key seen.
    next_index: u64,
}

impl PartialEq for FormMap<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for FormMap<'_> {}

impl<'a> FormMap<'a> {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map with room for `capacity` entries.
    fn with_capacity(capacity: usize) -> Self {
        Self {
            entries: Vec::with_capacity(capacity),
            ..Self::default()
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        // The last key is the one a run of nested keys (`items[3][sum]`, `items[3][price]`)
        // asks for again and again: checked first, it saves the scan or the hash.
        if self.entries.last().is_some_and(|(last, _)| last == key) {
            return Some(self.entries.len() - 1);
        }
        match &self.index {
            Some(index) => {
                let entries = &self.entries;
                index.find(index.hash(key), key, |p| key_of(entries, p))
            }
            None => scan(&self.entries, key),
        }
    }

    /// Appends a key known to be absent.
    fn push_new(&mut self, key: Cow<'a, str>, value: FormValue<'a>) -> usize {
        if let Some(index) = list_index(&key) {
            self.next_index = self.next_index.max(index.saturating_add(1));
        }
        let position = self.entries.len();
        if self.index.is_none() && position >= INDEX_FROM {
            self.index = Some(Box::new(KeyIndex::of(&self.entries, position * 2)));
        }
        if let Some(index) = &mut self.index {
            let entries = &self.entries;
            index.insert_new(index.hash(&key), position, |p| key_of(entries, p));
        }
        self.entries.push((key, value));
        position
    }

    /// The position of `key` in arrival order (as [`IndexMap::get_index_of`]), for readers
    /// that mark the entries they have read.
    ///
    /// [`IndexMap::get_index_of`]: indexmap::IndexMap::get_index_of
    pub fn get_index_of(&self, key: &str) -> Option<usize> {
        self.position(key)
    }

    /// The entry at a position in arrival order.
    pub fn get_index(&self, position: usize) -> Option<(&str, &FormValue<'a>)> {
        self.entry_at(position)
    }

    /// The entry at a position in arrival order, its value mutable: for a reader that owns
    /// the tree and moves the values it keeps out of it (`std::mem::take` of a
    /// [`FormValue::Text`]'s `Cow`) instead of copying them.
    ///
    /// ```
    /// use cartwire_core::form::{Form, FormValue};
    ///
    /// let mut tree = Form::parse(b"name=J%C3%BCrgen")?.into_tree();
    /// let Some((_, FormValue::Text(name))) = tree.get_index_mut(0) else { unreachable!() };
    /// let name: String = std::mem::take(name).into_owned(); // moved: decoded once, never copied
    /// assert_eq!(name, "Jürgen");
    /// # Ok::<(), cartwire_core::Error>(())
    /// ```
    pub fn get_index_mut(&mut self, position: usize) -> Option<(&str, &mut FormValue<'a>)> {
        self.entries.get_mut(position).map(|(k, v)| (&**k, v))
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&FormValue<'a>> {
        let position = self.position(key)?;
        self.entries.get(position).map(|(_, v)| v)
    }

    fn get_mut_at(&mut self, position: usize) -> Option<&mut FormValue<'a>> {
        self.entries.get_mut(position).map(|(_, v)| v)
    }

    /// The text at `key`, if it is a leaf.
    pub fn get_text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(FormValue::as_text)
    }

    /// Inserts or replaces `key`, keeping its first position (as PHP does).
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: impl Into<FormValue<'a>>) {
        let key = key.into();
        let value = value.into();
        match self.position(&key) {
            Some(position) => {
                if let Some(slot) = self.get_mut_at(position) {
                    *slot = value;
                }
            }
            None => {
                self.push_new(key, value);
            }
        }
    }

    /// Removes `key`, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<FormValue<'a>> {
        let position = self.position(key)?;
        if position >= self.entries.len() {
            return None;
        }
        if let Some(index) = &mut self.index {
            let hash = index.hash(key);
            if let Ok(entry) = index.table.find_entry(hash, |&p| p == position) {
                entry.remove();
            }
            for p in index.table.iter_mut() {
                if *p > position {
                    *p -= 1;
                }
            }
        }
        let (_, value) = self.entries.remove(position);
        Some(value)
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

    fn entry_at(&self, position: usize) -> Option<(&str, &FormValue<'a>)> {
        self.entries.get(position).map(|(k, v)| (k.as_ref(), v))
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
        Some(self.indexed()?.into_iter().map(|(_, v)| v).collect())
    }

    /// Like [`list`](Self::list), with each element's index as it was on the wire.
    pub fn indexed(&self) -> Option<Vec<(u64, &FormValue<'a>)>> {
        let mut indexed = Vec::with_capacity(self.entries.len());
        for (key, value) in &self.entries {
            indexed.push((list_index(key)?, value));
        }
        indexed.sort_by_key(|(index, _)| *index);
        Some(indexed)
    }

    /// Copies every borrowed string, detaching the map from the input.
    pub fn into_owned(self) -> FormMap<'static> {
        let mut map = FormMap::new();
        for (k, v) in self.entries {
            map.push_new(Cow::Owned(k.into_owned()), v.into_owned());
        }
        map.next_index = self.next_index;
        map
    }

    /// Deserializes a serde type from this map, with errors naming the field path.
    pub fn deserialize<'de, T: Deserialize<'de>>(&'de self) -> Result<T, Error> {
        // Tracking the path costs a third of the time on the happy path, so it is tracked only
        // when the fast attempt has failed; the same input fails the same way the second time.
        match T::deserialize(de::MapDeserializer::new(self)) {
            Ok(value) => Ok(value),
            Err(fast) => {
                match serde_path_to_error::deserialize::<_, T>(de::MapDeserializer::new(self)) {
                    Err(err) => Err(crate::error::from_path_error(err)),
                    Ok(_) => Err(Error::malformed("", fast)),
                }
            }
        }
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
///
/// Parsing builds the tree only, in one pass over the input, with every key segment and value
/// borrowed from the input unless it has an escape. The pairs are decoded from the input the
/// first time they are asked for ([`pairs`](Self::pairs), [`get`](Self::get),
/// [`count`](Self::count)), so a receiver that reads the tree never pays for them, and the
/// tree's strings are never copied into a second list.
#[derive(Debug, Clone)]
pub struct Form<'a> {
    /// The input, for the pairs; already checked whole by the parse.
    input: &'a [u8],
    options: Options,
    pairs: OnceLock<Vec<Pair<'a>>>,
    tree: FormMap<'a>,
}

impl PartialEq for Form<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.tree == other.tree && self.pair_list() == other.pair_list()
    }
}

impl Eq for Form<'_> {}

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
        // Room for a typical notification's top level, so the top map does not grow four times
        // on the way; never more than the body could hold (a pair takes two bytes at least).
        let mut tree = FormMap::with_capacity(TOP_CAPACITY.min(input.len() / 2 + 1));
        // Reused for every pair: the key's shape, and its decoded base and named segments.
        let mut segments = Vec::new();
        let mut names: Vec<Cow<'a, str>> = Vec::new();
        let mut count = 0;
        for piece in pieces(input, options.charset) {
            let raw_key = piece.key;
            // An empty name decodes from an empty raw name only; PHP drops the pair.
            if raw_key.is_empty() {
                continue;
            }
            let key = RawKey {
                raw: raw_key,
                text: piece.key_text,
                charset: options.charset,
            };
            // The key first, as `parse_pairs` does: its parts borrow unless escaped, and the
            // whole decoded key is built only to name it in an error.
            names.clear();
            let flat = match split_key(raw_key, &mut segments) {
                KeyShape::Flat { plain } => Some(key.part(0..raw_key.len(), plain)?),
                KeyShape::Nested {
                    base_len,
                    base_plain,
                } => {
                    names.push(key.part(0..base_len, base_plain)?);
                    for segment in &segments {
                        if let Segment::Name { range, plain } = segment {
                            names.push(key.part(range.clone(), *plain)?);
                        }
                    }
                    None
                }
            };
            if count == limits.max_pairs {
                return Err(LimitExceeded::new(Limit::Pairs, limits.max_pairs).into());
            }
            count += 1;
            let value = decode_text(piece.value, piece.value_text, options.charset)
                .map_err(|problem| Error::malformed(key.name(), problem))?;
            match flat {
                Some(name) => insert_leaf(&mut tree, name, value, &key, false, options)?,
                None => insert_nested(&mut tree, &mut names, &segments, value, &key, options)?,
            }
        }
        Ok(Form {
            input,
            options: options.clone(),
            pairs: OnceLock::new(),
            tree,
        })
    }

    /// The pairs, decoded on first use. The parse has already decoded every component of
    /// this input with these options, so none fails here.
    fn pair_list(&self) -> &[Pair<'a>] {
        self.pairs.get_or_init(|| {
            let mut pairs: Vec<Pair<'a>> = Vec::new();
            let _ = for_each_pair(self.input, &self.options, |_, key, value| {
                pairs.push((key, value));
                Ok(())
            });
            pairs
        })
    }

    /// Every decoded `(key, value)` in wire order, repeated keys included. Hash checks run
    /// over these.
    pub fn pairs(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.pair_list()
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// The value of the first pair whose decoded key is exactly `key` (`items[0][sum]` matches
    /// `items%5B0%5D%5Bsum%5D` on the wire).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pair_list()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }

    /// How many pairs have exactly this key.
    pub fn count(&self, key: &str) -> usize {
        self.pair_list().iter().filter(|(k, _)| k == key).count()
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
        let pairs: Vec<Pair<'static>> = self
            .pair_list()
            .iter()
            .map(|(k, v)| {
                (
                    Cow::Owned(k.as_ref().to_owned()),
                    Cow::Owned(v.as_ref().to_owned()),
                )
            })
            .collect();
        Form {
            input: &[],
            options: self.options,
            pairs: OnceLock::from(pairs),
            tree: self.tree.into_owned(),
        }
    }
}

/// One decoded `(key, value)` pair.
pub type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Decodes a flat body or query string into its pairs only, in wire order, without building
/// the tree: for protocols whose keys are all flat (CartFreak), this is most of the work saved.
///
/// The limits apply as in [`Form::parse_with`] (depth and index limits have nothing to
/// check). Repeated keys, compared after decoding (`a%5B%5D` and `a[]` are one key), follow
/// [`Options::duplicates`]: rejected by default, or resolved to the first or last value,
/// which keeps the position of the key's first appearance.
///
/// ```
/// use cartwire_core::form::{Options, parse_pairs};
///
/// let pairs = parse_pairs(b"command=REMOVE&billing_id=224&email=user%40domain.com", &Options::default())?;
/// assert_eq!(pairs[2].1, "user@domain.com");
/// assert!(parse_pairs(b"command=CREATE&command=REMOVE", &Options::default()).is_err());
/// # Ok::<(), cartwire_core::Error>(())
/// ```
pub fn parse_pairs<'a>(input: &'a [u8], options: &Options) -> Result<Vec<Pair<'a>>, Error> {
    // Room for every piece between `&`s (bounded by the pair limit), so the list is allocated
    // once: counting them is a vectorised scan, far cheaper than growing a large list.
    let pieces = memchr::memchr_iter(b'&', input).count().saturating_add(1);
    let mut pairs: Vec<Pair<'a>> = Vec::with_capacity(pieces.min(options.limits.max_pairs));
    // Small forms are scanned; large ones get an index of positions (each key hashed once).
    let mut index: Option<KeyIndex> = None;
    for_each_pair(input, options, |_, key, value| {
        let hash = index.as_ref().map(|index| index.hash(&key));
        let seen = match (&index, hash) {
            (Some(index), Some(hash)) => index.find(hash, &key, |p| key_of(&pairs, p)),
            _ => scan(&pairs, &key),
        };
        match (seen, options.duplicates) {
            (None, _) => {
                let position = pairs.len();
                if index.is_none() && position >= INDEX_FROM {
                    index = Some(KeyIndex::of(&pairs, pairs.capacity()));
                }
                pairs.push((key, value));
                if let Some(index) = &mut index {
                    let hash = match hash {
                        Some(hash) => hash,
                        // The index was built for this key: hash it with the index's key.
                        None => index.hash(key_of(&pairs, position).unwrap_or_default()),
                    };
                    index.insert_new(hash, position, |p| key_of(&pairs, p));
                }
            }
            (Some(_), Duplicates::Reject) => {
                return Err(Error::malformed(key.as_ref(), "the key is repeated"));
            }
            (Some(position), Duplicates::LastWins) => {
                if let Some(slot) = pairs.get_mut(position) {
                    slot.1 = value;
                }
            }
            (Some(_), Duplicates::FirstWins) => {}
        }
        Ok(())
    })?;
    Ok(pairs)
}

/// Decodes a flat body or query string pair by pair, in wire order, calling `each` with each
/// decoded key and value, without collecting them: for a decoder that files every pair where
/// it belongs as it comes (CartFreak fills its fields this way, with no list in between).
///
/// The limits, the UTF-8 rule and the skipping of empty names are those of [`parse_pairs`].
/// Repeated keys are passed on as they come: applying [`Options::duplicates`] is the
/// caller's part (an error from `each` stops the decode and is returned).
///
/// ```
/// use cartwire_core::form::{Options, visit_pairs};
///
/// let mut keys = Vec::new();
/// visit_pairs(b"command=REMOVE&email=user%40domain.com&email=x", &Options::default(), |key, value| {
///     keys.push(key.into_owned());
///     assert!(!value.is_empty());
///     Ok(())
/// })?;
/// assert_eq!(keys, ["command", "email", "email"]); // the repeat is the caller's to judge
/// # Ok::<(), cartwire_core::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Limit`] and [`Error::Malformed`] as [`parse_pairs`] (except repeated keys), or
/// the first error `each` returns.
pub fn visit_pairs<'a>(
    input: &'a [u8],
    options: &Options,
    mut each: impl FnMut(Cow<'a, str>, Cow<'a, str>) -> Result<(), Error>,
) -> Result<(), Error> {
    for_each_pair(input, options, |_, key, value| each(key, value))
}

/// Splits, limits and decodes the pairs of a body, calling `each` with the raw key, the
/// decoded key and the decoded value of every pair whose key is not empty.
fn for_each_pair<'a>(
    input: &'a [u8],
    options: &Options,
    mut each: impl FnMut(&'a [u8], Cow<'a, str>, Cow<'a, str>) -> Result<(), Error>,
) -> Result<(), Error> {
    let limits = &options.limits;
    if input.len() > limits.max_bytes {
        return Err(LimitExceeded::new(Limit::Bytes, limits.max_bytes).into());
    }
    let mut count = 0;
    for piece in pieces(input, options.charset) {
        let raw_key = piece.key;
        if raw_key.is_empty() {
            continue;
        }
        let key = decode_text(raw_key, piece.key_text, options.charset)
            .map_err(|problem| Error::malformed(String::from_utf8_lossy(raw_key), problem))?;
        if key.is_empty() {
            // PHP drops pairs with an empty name; so do we (they cannot be addressed).
            continue;
        }
        if count == limits.max_pairs {
            return Err(LimitExceeded::new(Limit::Pairs, limits.max_pairs).into());
        }
        count += 1;
        let value = decode_text(piece.value, piece.value_text, options.charset)
            .map_err(|problem| Error::malformed(key.as_ref(), problem))?;
        each(raw_key, key, value)?;
    }
    Ok(())
}

/// The first position of either byte: a plain loop for the short keys and values of a form
/// (where the set-up of a vectorised search costs more than it saves), memchr past them.
#[inline]
fn find2(a: u8, b: u8, haystack: &[u8]) -> Option<usize> {
    if haystack.len() < 32 {
        haystack.iter().position(|&c| c == a || c == b)
    } else {
        memchr::memchr2(a, b, haystack)
    }
}

/// What [`HEX`] holds for a byte that is no hex digit.
const NOT_HEX: u8 = 0xFF;

/// The value of every byte as an ASCII hex digit (either case), or [`NOT_HEX`]: one load per
/// digit where a `match` takes three range checks, in the loop every escaped byte of a form
/// goes through.
static HEX: [u8; 256] = hex_table();

#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time: an index out of bounds would fail the build, never a run"
)]
const fn hex_table() -> [u8; 256] {
    let mut table = [NOT_HEX; 256];
    let mut digit = 0;
    while digit < 16 {
        let value = digit as u8;
        let (lower, upper) = if value < 10 {
            (b'0' + value, b'0' + value)
        } else {
            (b'a' + value - 10, b'A' + value - 10)
        };
        table[lower as usize] = value;
        table[upper as usize] = value;
        digit += 1;
    }
    table
}

/// The byte a `%hi lo` escape stands for, if both are hex digits.
#[inline]
fn unescape(hi: u8, lo: u8) -> Option<u8> {
    let hi = HEX.get(usize::from(hi)).copied().unwrap_or(NOT_HEX);
    let lo = HEX.get(usize::from(lo)).copied().unwrap_or(NOT_HEX);
    // A digit is below 16 and NOT_HEX has every low bit set, so one test checks both.
    ((hi | lo) < 16).then_some(hi << 4 | lo)
}

/// Decodes one form component as PHP's `urldecode` does: `+` to space and percent escapes to
/// bytes, in one pass and at most one allocation (of the raw length: decoding never
/// lengthens); borrows when there is nothing to decode. An invalid escape (`%zz`, a lone `%`)
/// is kept literally.
///
/// ```
/// use cartwire_core::form::php_urldecode;
/// assert_eq!(&*php_urldecode(b"a+b%40c%zz"), b"a b@c%zz");
/// assert!(matches!(php_urldecode(b"plain"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn php_urldecode(raw: &[u8]) -> Cow<'_, [u8]> {
    let Some(first) = find2(b'+', b'%', raw) else {
        return Cow::Borrowed(raw);
    };
    let mut out = Vec::with_capacity(raw.len());
    out.extend_from_slice(raw.get(..first).unwrap_or_default());
    let mut rest = raw.get(first..).unwrap_or_default();
    loop {
        rest = match rest {
            [b'%', hi, lo, after @ ..] => match unescape(*hi, *lo) {
                Some(byte) => {
                    out.push(byte);
                    after
                }
                // An invalid escape: the `%` is kept and what follows read as text.
                None => {
                    out.push(b'%');
                    rest.get(1..).unwrap_or_default()
                }
            },
            // A `%` cut short by the end.
            [b'%', after @ ..] => {
                out.push(b'%');
                after
            }
            [b'+', after @ ..] => {
                out.push(b' ');
                after
            }
            [] => break,
            _ => {
                // Copy the run up to the next escape at once.
                let run = find2(b'+', b'%', rest).unwrap_or(rest.len());
                out.extend_from_slice(rest.get(..run).unwrap_or_default());
                rest.get(run..).unwrap_or_default()
            }
        };
    }
    Cow::Owned(out)
}

/// One raw `key=value` pair of a form into its raw key and value, split at the first `=` (no
/// `=`: an empty value). Neither is decoded ([`php_urldecode`] does that).
///
/// ```
/// use cartwire_core::form::split_pair;
/// assert_eq!(split_pair(b"a=b=c"), (&b"a"[..], &b"b=c"[..]));
/// assert_eq!(split_pair(b"flag"), (&b"flag"[..], &b""[..]));
/// ```
#[inline]
pub fn split_pair(raw: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b'=', raw) {
        Some(eq) => (
            raw.get(..eq).unwrap_or_default(),
            raw.get(eq + 1..).unwrap_or_default(),
        ),
        None => (raw, &b""[..]),
    }
}

/// One raw `key=value` piece of a body: its raw key and value, and the same bytes as text
/// when the whole body is known to be UTF-8 (then a part without escapes borrows its text
/// without a UTF-8 check of its own).
struct Piece<'a> {
    key: &'a [u8],
    value: &'a [u8],
    key_text: Option<&'a str>,
    value_text: Option<&'a str>,
}

/// The raw pieces of a body, between its `&`s, empty ones included (as
/// `input.split(|&b| b == b'&')`, with a vectorised search), each split at its first `=`
/// ([`split_pair`]).
///
/// A body in UTF-8 (the charset, and the bytes) is checked once whole: the pieces split it at
/// ASCII bytes, so every raw part is UTF-8 too, and one check of the body replaces one per
/// part.
fn pieces(input: &[u8], charset: Charset) -> impl Iterator<Item = Piece<'_>> {
    let text = match charset {
        Charset::Utf8 => std::str::from_utf8(input).ok(),
        #[cfg(feature = "legacy-charsets")]
        Charset::Windows1251 => None,
    };
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        let rest = input.get(from..)?;
        let end = match memchr::memchr(b'&', rest) {
            Some(amp) => {
                start = Some(from + amp + 1);
                from + amp
            }
            None => {
                start = None;
                input.len()
            }
        };
        let raw = input.get(from..end)?;
        let (key, value) = split_pair(raw);
        let key_end = from + key.len();
        Some(Piece {
            key,
            value,
            key_text: text.and_then(|t| t.get(from..key_end)),
            value_text: text.and_then(|t| t.get(end - value.len()..end)),
        })
    })
}

/// [`decode_component`], borrowing `text` (the same bytes as text) when there is nothing to
/// decode.
#[inline]
fn decode_text<'a>(
    raw: &'a [u8],
    text: Option<&'a str>,
    charset: Charset,
) -> Result<Cow<'a, str>, String> {
    match text {
        Some(text) if find2(b'+', b'%', raw).is_none() => Ok(Cow::Borrowed(text)),
        _ => decode_component(raw, charset),
    }
}

/// A raw key, decoded in parts; the whole decoded key is built only to name it in an error.
struct RawKey<'a> {
    raw: &'a [u8],
    /// The raw key as text, when the body is known to be UTF-8.
    text: Option<&'a str>,
    charset: Charset,
}

impl<'a> RawKey<'a> {
    /// One part of the key (its base or a segment, a byte range of the raw key), decoded;
    /// `plain` when the part is known to hold no `%` or `+` (then its text is itself).
    ///
    /// The parts sit between ASCII bracket tokens, so the key decodes cleanly exactly when
    /// every part does; a failure is reported on the whole key, as decoding it whole would.
    fn part(&self, range: Range<usize>, plain: bool) -> Result<Cow<'a, str>, Error> {
        let text = self.text.and_then(|t| t.get(range.clone()));
        if plain && let Some(text) = text {
            return Ok(Cow::Borrowed(text));
        }
        decode_text(self.raw.get(range).unwrap_or_default(), text, self.charset).map_err(|_| {
            let problem = match decode_component(self.raw, self.charset) {
                Err(problem) => problem,
                Ok(_) => "not valid UTF-8".to_owned(),
            };
            Error::malformed(String::from_utf8_lossy(self.raw), problem)
        })
    }

    /// The decoded key, for error messages.
    fn name(&self) -> String {
        match decode_component(self.raw, self.charset) {
            Ok(name) => name.into_owned(),
            Err(_) => String::from_utf8_lossy(self.raw).into_owned(),
        }
    }
}

/// `+` to space, percent escapes to bytes, bytes to text. Borrows when nothing changes.
fn decode_component(raw: &[u8], charset: Charset) -> Result<Cow<'_, str>, String> {
    let bytes = php_urldecode(raw);
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

/// The list index a key segment stands for, as PHP reads it: `0`, or digits without a leading
/// zero that fit a u64 (`"07"` and `"-1"` are names, not indexes).
pub fn list_index(segment: &str) -> Option<u64> {
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
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// A named step; `plain` when the range holds no `%` or `+`, so its text is itself.
    Name {
        range: Range<usize>,
        plain: bool,
    },
    Append,
}

/// What [`split_key`] found in a raw key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyShape {
    /// Not exactly `name[seg]…`: one flat key. `plain` when the key is known to hold no `%`
    /// or `+` (false when the scan stopped early).
    Flat { plain: bool },
    /// `name[seg]…`: the base is the first `base_len` bytes, `base_plain` as above.
    Nested { base_len: usize, base_plain: bool },
}

/// What a raw key byte starts: an opening or closing bracket token (`[`/`%5B`, `]`/`%5D`,
/// hex in either case) and its length, or nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Open(usize),
    Close(usize),
    Other,
}

#[inline]
fn token_at(raw: &[u8], at: usize) -> Token {
    match raw.get(at) {
        Some(b'[') => Token::Open(1),
        Some(b']') => Token::Close(1),
        Some(b'%') => match (raw.get(at + 1), raw.get(at + 2)) {
            (Some(b'5'), Some(b'B' | b'b')) => Token::Open(3),
            (Some(b'5'), Some(b'D' | b'd')) => Token::Close(3),
            _ => Token::Other,
        },
        _ => Token::Other,
    }
}

/// How many bytes of `raw` come before the first that [`split_key`] must look at (`[`, `]`,
/// `%`, `+`), or its length: a tight loop over the few bytes of a key's name or segment.
#[inline]
fn next_key_token(raw: &[u8]) -> usize {
    raw.iter()
        .position(|&b| matches!(b, b'[' | b']' | b'%' | b'+'))
        .unwrap_or(raw.len())
}

/// Splits the **raw** key `name[a][b][]` (brackets raw or percent-encoded) into the length of
/// its base and its segments, as byte ranges of the raw key (written to `segments`, which is
/// cleared first, so one buffer serves a whole form), or finds that it is not exactly of that
/// shape (then it is a flat key). The same pass notes which parts hold an escape, so a part
/// without one is borrowed as it is, never scanned again.
///
/// Working on the raw bytes is the same as decoding first and splitting after, since only
/// `%5B`/`%5D` decode to brackets; it lets each segment borrow from the input.
fn split_key(raw: &[u8], segments: &mut Vec<Segment>) -> KeyShape {
    // Whenever the key turns out flat before the end, nothing is claimed about its rest.
    const FLAT: KeyShape = KeyShape::Flat { plain: false };
    segments.clear();
    let mut plain = true;
    let mut at = 0;
    // The base, up to the first opening token (a `%` may be any other escape).
    let (open, mut open_len) = loop {
        at += next_key_token(raw.get(at..).unwrap_or_default());
        match raw.get(at) {
            None => return KeyShape::Flat { plain },
            Some(b'[') => break (at, 1),
            Some(b'%') => match token_at(raw, at) {
                Token::Open(len) => break (at, len),
                _ => plain = false,
            },
            Some(b'+') => plain = false,
            // A `]` before any `[`: text in the base.
            Some(_) => {}
        }
        at += 1;
    };
    if open == 0 {
        return FLAT;
    }
    let base_plain = plain;
    at = open;
    loop {
        let start = at + open_len;
        let mut end = start;
        let mut plain = true;
        let close_len = loop {
            end += next_key_token(raw.get(end..).unwrap_or_default());
            match raw.get(end) {
                None | Some(b'[') => return FLAT,
                Some(b']') => break 1,
                Some(b'%') => match token_at(raw, end) {
                    Token::Close(len) => break len,
                    Token::Open(_) => return FLAT,
                    Token::Other => plain = false,
                },
                Some(_) => plain = false,
            }
            end += 1;
        };
        segments.push(if end == start {
            Segment::Append
        } else {
            Segment::Name {
                range: start..end,
                plain,
            }
        });
        at = end + close_len;
        if at == raw.len() {
            return KeyShape::Nested {
                base_len: open,
                base_plain,
            };
        }
        match token_at(raw, at) {
            Token::Open(len) => open_len = len,
            _ => return FLAT,
        }
    }
}

fn index_limit(limits: &Limits, key: &RawKey<'_>) -> Error {
    let max = usize::try_from(limits.max_index).unwrap_or(usize::MAX);
    LimitExceeded::at(Limit::Index, max, key.name()).into()
}

fn list_limit(limits: &Limits, key: &RawKey<'_>) -> Error {
    LimitExceeded::at(Limit::ListLength, limits.max_list_len, key.name()).into()
}

fn conflict(key: &RawKey<'_>) -> Error {
    Error::malformed(
        key.name(),
        "the key is used both as a value and as a nested key",
    )
}

/// The map under `name` in `map`, created if absent, with one hash lookup. `Ok(None)` when a
/// text value is there and the policy keeps it.
fn child_map<'m, 'a>(
    map: &'m mut FormMap<'a>,
    name: Cow<'a, str>,
    is_list_slot: bool,
    full_key: &RawKey<'_>,
    options: &Options,
) -> Result<Option<&'m mut FormMap<'a>>, Error> {
    let position = match map.position(&name) {
        Some(position) => position,
        None => {
            if is_list_slot && map.len() >= options.limits.max_list_len {
                return Err(list_limit(&options.limits, full_key));
            }
            map.push_new(name, FormValue::Map(FormMap::with_capacity(CHILD_CAPACITY)))
        }
    };
    let Some(slot) = map.get_mut_at(position) else {
        return Err(conflict(full_key));
    };
    if let FormValue::Text(_) = slot {
        match options.duplicates {
            Duplicates::Reject => return Err(conflict(full_key)),
            Duplicates::FirstWins => return Ok(None),
            Duplicates::LastWins => *slot = FormValue::Map(FormMap::with_capacity(CHILD_CAPACITY)),
        }
    }
    match slot {
        FormValue::Map(child) => Ok(Some(child)),
        FormValue::Text(_) => Err(conflict(full_key)),
    }
}

/// Inserts a nested key: `names` holds its decoded base and named segments, in order, and
/// `segments` its shape.
fn insert_nested<'a>(
    tree: &mut FormMap<'a>,
    names: &mut Vec<Cow<'a, str>>,
    segments: &[Segment],
    value: Cow<'a, str>,
    key: &RawKey<'_>,
    options: &Options,
) -> Result<(), Error> {
    let limits = &options.limits;
    if segments.len() > limits.max_depth {
        return Err(LimitExceeded::at(Limit::Depth, limits.max_depth, key.name()).into());
    }
    let mut names = names.drain(..);
    let Some(mut name) = names.next() else {
        return Err(Error::malformed(key.name(), "the key has no name"));
    };
    let mut map = tree;
    let mut is_list_slot = false;
    for segment in segments {
        map = match child_map(map, name, is_list_slot, key, options)? {
            Some(child) => child,
            None => return Ok(()),
        };
        match segment {
            Segment::Name { .. } => {
                let Some(decoded) = names.next() else {
                    return Err(Error::malformed(key.name(), "the key has no name"));
                };
                let s = decoded.as_ref();
                is_list_slot = match list_index(s) {
                    Some(index) if index > limits.max_index => {
                        return Err(index_limit(limits, key));
                    }
                    Some(_) => true,
                    // All digits, no leading zero, but too large for u64.
                    None if s.len() > 1
                        && !s.starts_with('0')
                        && s.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        return Err(index_limit(limits, key));
                    }
                    None => false,
                };
                name = decoded;
            }
            Segment::Append => {
                if map.next_index > limits.max_index {
                    return Err(index_limit(limits, key));
                }
                is_list_slot = true;
                name = Cow::Owned(map.next_index.to_string());
            }
        }
    }
    insert_leaf(map, name, value, key, is_list_slot, options)
}

fn insert_leaf<'a>(
    map: &mut FormMap<'a>,
    name: Cow<'a, str>,
    value: Cow<'a, str>,
    full_key: &RawKey<'_>,
    is_list_slot: bool,
    options: &Options,
) -> Result<(), Error> {
    let Some(position) = map.position(&name) else {
        if is_list_slot && map.len() >= options.limits.max_list_len {
            return Err(list_limit(&options.limits, full_key));
        }
        map.push_new(name, FormValue::Text(value));
        return Ok(());
    };
    match options.duplicates {
        Duplicates::Reject => Err(match map.get_mut_at(position) {
            Some(FormValue::Map(_)) => conflict(full_key),
            _ => Error::malformed(full_key.name(), "the key is repeated"),
        }),
        Duplicates::LastWins => {
            if let Some(slot) = map.get_mut_at(position) {
                *slot = FormValue::Text(value);
            }
            Ok(())
        }
        Duplicates::FirstWins => Ok(()),
    }
}

#[cfg(test)]
mod tests;
