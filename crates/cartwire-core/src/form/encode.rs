//! Writing forms the way PHP's `http_build_query` does.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{FormMap, FormValue};

/// What PHP's `urlencode` leaves alone: ASCII letters, digits, `-`, `_`, `.` (space becomes
/// `+`, handled separately).
const PHP_URLENCODE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');

/// Percent-encodes text exactly as PHP's `urlencode` does (and so `http_build_query`):
/// letters, digits and `-_.` stay, space becomes `+`, every other byte of the UTF-8 text
/// becomes `%XX` with upper-case hex.
///
/// ```
/// use cartwire_core::form::php_urlencode;
/// assert_eq!(php_urlencode("user+tag@domain.com"), "user%2Btag%40domain.com");
/// assert_eq!(php_urlencode("Иван Петров"), "%D0%98%D0%B2%D0%B0%D0%BD+%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2");
/// assert_eq!(php_urlencode("a-b_c.d~*"), "a-b_c.d%7E%2A");
/// ```
pub fn php_urlencode(text: &str) -> Cow<'_, str> {
    if !text.contains(' ') {
        return utf8_percent_encode(text, PHP_URLENCODE).into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, part) in text.split(' ').enumerate() {
        if i > 0 {
            out.push('+');
        }
        out.extend(utf8_percent_encode(part, PHP_URLENCODE));
    }
    Cow::Owned(out)
}

/// Builds a form body or query string pair by pair, in the order given.
///
/// ```
/// use cartwire_core::form::FormEncoder;
///
/// let mut form = FormEncoder::new();
/// form.pair("id", "1001");
/// form.nested(&["items", "0", "title"], "Курс");
/// form.nested(&["utm", "source"], "google ads");
/// assert_eq!(
///     form.finish(),
///     "id=1001&items%5B0%5D%5Btitle%5D=%D0%9A%D1%83%D1%80%D1%81&utm%5Bsource%5D=google+ads"
/// );
/// ```
#[derive(Debug, Clone, Default)]
pub struct FormEncoder {
    out: String,
}

impl FormEncoder {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Continues an existing query string (`token=abc`): new pairs are appended after `&`.
    pub fn continuing(existing: impl Into<String>) -> Self {
        Self {
            out: existing.into(),
        }
    }

    fn separator(&mut self) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
    }

    /// Appends `key=value`, both percent-encoded as PHP's `urlencode` does.
    pub fn pair(&mut self, key: &str, value: &str) -> &mut Self {
        self.separator();
        self.out.push_str(&php_urlencode(key));
        self.out.push('=');
        self.out.push_str(&php_urlencode(value));
        self
    }

    /// Appends `path[0][path[1]]…=value` with encoded brackets, as `http_build_query` writes
    /// nested arrays. An empty path writes nothing.
    pub fn nested(&mut self, path: &[&str], value: &str) -> &mut Self {
        let Some((first, rest)) = path.split_first() else {
            return self;
        };
        self.separator();
        self.out.push_str(&php_urlencode(first));
        for segment in rest {
            self.out.push_str("%5B");
            self.out.push_str(&php_urlencode(segment));
            self.out.push_str("%5D");
        }
        self.out.push('=');
        self.out.push_str(&php_urlencode(value));
        self
    }

    /// Appends every leaf of `value` under `path`, depth first in map order.
    pub fn value(&mut self, path: &mut Vec<String>, value: &FormValue<'_>) -> &mut Self {
        match value {
            FormValue::Text(text) => {
                let segments: Vec<&str> = path.iter().map(String::as_str).collect();
                self.nested(&segments, text);
            }
            FormValue::Map(map) => {
                for (key, child) in map.iter() {
                    path.push(key.to_owned());
                    self.value(path, child);
                    path.pop();
                }
            }
        }
        self
    }

    /// Appends every entry of a map, as [`encode_map`] does.
    pub fn map(&mut self, map: &FormMap<'_>) -> &mut Self {
        let mut path = Vec::new();
        for (key, child) in map.iter() {
            path.push(key.to_owned());
            self.value(&mut path, child);
            path.pop();
        }
        self
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// The encoded form.
    pub fn finish(self) -> String {
        self.out
    }
}

/// Encodes a tree as PHP's `http_build_query($tree)` would: nested keys as
/// `a%5Bb%5D%5B0%5D=…` in map order. Empty maps write nothing (PHP drops them too).
///
/// ```
/// use cartwire_core::form::{Form, encode_map};
/// let form = Form::parse(b"utm[source]=mail&items[0][id]=7&items[0][title]=A+B")?;
/// assert_eq!(
///     encode_map(form.tree()),
///     "utm%5Bsource%5D=mail&items%5B0%5D%5Bid%5D=7&items%5B0%5D%5Btitle%5D=A+B"
/// );
/// # Ok::<(), cartwire_core::Error>(())
/// ```
pub fn encode_map(map: &FormMap<'_>) -> String {
    let mut encoder = FormEncoder::new();
    encoder.map(map);
    encoder.finish()
}
