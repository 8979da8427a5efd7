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
    push_php_urlencoded(&mut out, text);
    Cow::Owned(out)
}

/// Appends `text` to `out` percent-encoded as [`php_urlencode`] does, without an intermediate
/// string.
fn push_php_urlencoded(out: &mut String, text: &str) {
    // The encoder yields runs of untouched text and one `%XX` per encoded byte, so a space is
    // exactly the chunk `%20`.
    for chunk in utf8_percent_encode(text, PHP_URLENCODE) {
        out.push_str(if chunk == "%20" { "+" } else { chunk });
    }
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
        push_php_urlencoded(&mut self.out, key);
        self.out.push('=');
        push_php_urlencoded(&mut self.out, value);
        self
    }

    /// Appends `path[0][path[1]]…=value` with encoded brackets, as `http_build_query` writes
    /// nested arrays. An empty path writes nothing.
    pub fn nested(&mut self, path: &[&str], value: &str) -> &mut Self {
        let Some((first, rest)) = path.split_first() else {
            return self;
        };
        self.separator();
        push_php_urlencoded(&mut self.out, first);
        for segment in rest {
            self.out.push_str("%5B");
            push_php_urlencoded(&mut self.out, segment);
            self.out.push_str("%5D");
        }
        self.out.push('=');
        push_php_urlencoded(&mut self.out, value);
        self
    }

    /// Appends every leaf of `value` under `path` (`["items", "0"]` for `items[0]…`), depth
    /// first in map order. An empty path writes a map's entries at the top level; a text
    /// value needs a non-empty path.
    pub fn value(&mut self, path: &[&str], value: &FormValue<'_>) -> &mut Self {
        let mut prefix = String::new();
        for (depth, segment) in path.iter().enumerate() {
            push_segment(&mut prefix, segment, depth == 0);
        }
        self.write_node(&mut prefix, path.len(), value);
        self
    }

    /// Appends every entry of a map, as [`encode_map`] does.
    pub fn map(&mut self, map: &FormMap<'_>) -> &mut Self {
        self.write_map(&mut String::new(), 0, map);
        self
    }

    /// `prefix` is the encoded key so far (`items%5B0%5D`), made of `depth` segments; it is
    /// restored on return. The depth, not the prefix's length, tells the base name from the
    /// bracketed segments: an empty base name is a key too (PHP writes `{"": {"id": 2}}` as
    /// `%5Bid%5D=2`, and `{"": "x"}` as `=x`).
    fn write_node(&mut self, prefix: &mut String, depth: usize, value: &FormValue<'_>) {
        match value {
            FormValue::Text(text) => {
                if depth == 0 {
                    return;
                }
                self.separator();
                self.out.push_str(prefix);
                self.out.push('=');
                push_php_urlencoded(&mut self.out, text);
            }
            FormValue::Map(map) => self.write_map(prefix, depth, map),
        }
    }

    fn write_map(&mut self, prefix: &mut String, depth: usize, map: &FormMap<'_>) {
        for (key, child) in map.iter() {
            let len = prefix.len();
            push_segment(prefix, key, depth == 0);
            self.write_node(prefix, depth + 1, child);
            prefix.truncate(len);
        }
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
    let mut encoder = FormEncoder {
        out: String::with_capacity(64 * map.len()),
    };
    encoder.map(map);
    encoder.finish()
}

/// Appends one key segment: the base name as is, later ones in encoded brackets.
fn push_segment(prefix: &mut String, segment: &str, base: bool) {
    if base {
        push_php_urlencoded(prefix, segment);
    } else {
        prefix.push_str("%5B");
        push_php_urlencoded(prefix, segment);
        prefix.push_str("%5D");
    }
}
