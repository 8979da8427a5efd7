//! `tag_list`: a list of tags here, one comma-separated string on the wire.
//!
//! The vendor documents `tag_list` only as an "optional, comma delimited string". The name
//! and format are those of Rails' acts-as-taggable-on, which Cartfunnel's API follows, so this
//! module reads and writes that gem's format:
//!
//! * **Reading** splits on commas and trims white space around each tag, so `"vip,wholesale"`,
//!   `"vip, wholesale"` and `" vip ,wholesale "` are the same two tags. Empty tags (`"a,,b"`,
//!   a trailing comma) are dropped. A tag may be quoted with `"` or `'` to hold a comma:
//!   `"\"Smith, Jones\", vip"` is two tags.
//! * **Writing** joins with `", "` (the gem's own separator) and quotes a tag that holds a
//!   comma or starts with a quote, so what is written reads back the same.
//! * Tags are kept in order and duplicates are kept (the server may drop them; this crate
//!   does not guess).
//!
//! Every tag in a [`TagList`] is trimmed and non-empty: the constructors enforce it, which is
//! what makes `TagList::parse(&list.to_wire()) == list` hold. The one tag that cannot be
//! written faithfully is one holding both `",` and `',` (a quote then a comma, of both kinds);
//! it is written double-quoted and reads back split.

use core::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// The tags of a customer: a list here, a comma-separated string on the wire.
///
/// ```
/// use cartfunnel_client_types::TagList;
///
/// let tags = TagList::parse(" vip,wholesale ,, \"Smith, Jones\"");
/// assert_eq!(tags.as_slice(), ["vip", "wholesale", "Smith, Jones"]);
/// assert_eq!(tags.to_wire(), "vip, wholesale, \"Smith, Jones\"");
/// assert_eq!(TagList::parse(&tags.to_wire()), tags);
///
/// let built: TagList = ["newsletter", "  trial "].into_iter().collect();
/// assert_eq!(built.to_wire(), "newsletter, trial");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TagList(Vec<String>);

impl TagList {
    /// An empty list.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Reads the wire form (see the [module docs](self) for the rules). Never fails: any
    /// string is some list of tags.
    pub fn parse(wire: &str) -> Self {
        let mut tags = TagList::new();
        let mut rest = wire;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let (tag, after) = quoted_tag(rest).unwrap_or_else(|| match rest.split_once(',') {
                Some((tag, after)) => (tag, after),
                None => (rest, ""),
            });
            tags.push(tag);
            rest = after;
        }
        tags
    }

    /// Appends a tag, trimmed; an empty or blank tag is ignored.
    pub fn push(&mut self, tag: impl AsRef<str>) {
        let tag = tag.as_ref().trim();
        if !tag.is_empty() {
            self.0.push(tag.to_owned());
        }
    }

    /// The wire form: tags joined with `", "`, quoted where needed.
    pub fn to_wire(&self) -> String {
        let mut out = String::new();
        for (i, tag) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_tag(&mut out, tag);
        }
        out
    }

    /// The tags, in order.
    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// Iterates over the tags.
    pub fn iter(&self) -> core::slice::Iter<'_, String> {
        self.0.iter()
    }

    /// The number of tags.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no tags.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the list holds this tag (exact comparison).
    pub fn contains(&self, tag: &str) -> bool {
        self.0.iter().any(|t| t == tag)
    }
}

/// A tag that starts with a quote and ends at the same quote followed by optional white
/// space and a comma or the end. Returns the tag and what follows the comma.
fn quoted_tag(text: &str) -> Option<(&str, &str)> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = text.get(quote.len_utf8()..)?;
    for (at, _) in body.match_indices(quote) {
        let after = body.get(at + quote.len_utf8()..)?.trim_start();
        if after.is_empty() {
            return Some((body.get(..at)?, ""));
        }
        if let Some(after) = after.strip_prefix(',') {
            return Some((body.get(..at)?, after));
        }
    }
    None
}

/// Whether `tag` contains `quote`, optional white space, then a comma: inside that quote the
/// reader would end the tag there.
fn breaks_quote(tag: &str, quote: char) -> bool {
    tag.match_indices(quote).any(|(at, _)| {
        tag.get(at + quote.len_utf8()..)
            .is_some_and(|after| after.trim_start().starts_with(','))
    })
}

fn write_tag(out: &mut String, tag: &str) {
    let needs_quotes = tag.contains(',') || tag.starts_with(['"', '\'']);
    if !needs_quotes {
        out.push_str(tag);
        return;
    }
    // The quote the tag does not hold reads cleanest; with both, the one that does not
    // end the tag early.
    let quote = match (tag.contains('"'), tag.contains('\'')) {
        (true, false) => '\'',
        (true, true) if breaks_quote(tag, '"') && !breaks_quote(tag, '\'') => '\'',
        _ => '"',
    };
    out.push(quote);
    out.push_str(tag);
    out.push(quote);
}

impl fmt::Display for TagList {
    /// The wire form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_wire())
    }
}

impl<S: AsRef<str>> FromIterator<S> for TagList {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut tags = TagList::new();
        for tag in iter {
            tags.push(tag);
        }
        tags
    }
}

impl<S: AsRef<str>> Extend<S> for TagList {
    fn extend<I: IntoIterator<Item = S>>(&mut self, iter: I) {
        for tag in iter {
            self.push(tag);
        }
    }
}

impl IntoIterator for TagList {
    type Item = String;
    type IntoIter = std::vec::IntoIter<String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a TagList {
    type Item = &'a String;
    type IntoIter = core::slice::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Serialize for TagList {
    /// The typed form: a JSON array of tags. (The wire form, a string, is written by
    /// [`TagList::to_wire`] and the [`encode`](crate::encode) functions.)
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for tag in &self.0 {
            seq.serialize_element(tag)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for TagList {
    /// Accepts the wire form (a comma-separated string) or the typed form (an array of
    /// strings).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TagListVisitor;

        impl<'de> Visitor<'de> for TagListVisitor {
            type Value = TagList;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a comma-separated string of tags or an array of tags")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<TagList, E> {
                Ok(TagList::parse(v))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TagList, A::Error> {
                let mut tags = TagList::new();
                while let Some(tag) = seq.next_element::<String>()? {
                    tags.push(tag);
                }
                Ok(tags)
            }
        }

        d.deserialize_any(TagListVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tags(list: &TagList) -> Vec<&str> {
        list.iter().map(String::as_str).collect()
    }

    #[test]
    fn reads_every_separator_style() {
        for wire in [
            "vip,wholesale",
            "vip, wholesale",
            " vip ,wholesale ",
            "vip,,wholesale,",
            ",vip , , wholesale",
        ] {
            assert_eq!(
                tags(&TagList::parse(wire)),
                ["vip", "wholesale"],
                "{wire:?}"
            );
        }
        assert!(TagList::parse("").is_empty());
        assert!(TagList::parse(" , ,").is_empty());
        assert_eq!(tags(&TagList::parse("single")), ["single"]);
    }

    #[test]
    fn quotes_hold_commas() {
        let list = TagList::parse(r#""Smith, Jones", 'a, b' , vip"#);
        assert_eq!(tags(&list), ["Smith, Jones", "a, b", "vip"]);
        // An unclosed quote is part of the tag.
        assert_eq!(tags(&TagList::parse(r#""open, vip"#)), ["\"open", "vip"]);
        // A quote inside a tag is kept.
        assert_eq!(
            tags(&TagList::parse(r#"5" screen, vip"#)),
            ["5\" screen", "vip"]
        );
    }

    #[test]
    fn writes_the_gem_format() {
        let list: TagList = ["vip", "Smith, Jones", "\"quoted\"", "it's, fine", "x\", y"]
            .into_iter()
            .collect();
        assert_eq!(
            list.to_wire(),
            r#"vip, "Smith, Jones", '"quoted"', "it's, fine", 'x", y'"#
        );
        assert_eq!(TagList::parse(&list.to_wire()), list);
        assert_eq!(list.to_string(), list.to_wire());
        assert!(list.contains("vip"));
        assert!(!list.contains("VIP"));
    }

    #[test]
    fn serde_reads_both_forms_and_writes_an_array() {
        let from_wire: TagList = serde_json::from_str(r#""vip, wholesale""#).unwrap();
        let from_array: TagList = serde_json::from_str(r#"["vip", " wholesale", ""]"#).unwrap();
        assert_eq!(from_wire, from_array);
        assert_eq!(
            serde_json::to_string(&from_wire).unwrap(),
            r#"["vip","wholesale"]"#
        );
        assert!(serde_json::from_str::<TagList>("42").is_err());
        assert!(serde_json::from_str::<TagList>("[1]").is_err());
    }

    fn representable(tag: &str) -> bool {
        !(breaks_quote(tag, '"') && breaks_quote(tag, '\''))
    }

    proptest! {
        #[test]
        fn wire_round_trip(raw in prop::collection::vec("[a-z \"',é]{0,12}", 0..8)) {
            let list: TagList = raw.iter().collect();
            prop_assume!(list.iter().all(|t| representable(t)));
            prop_assert_eq!(TagList::parse(&list.to_wire()), list.clone());
            let json = serde_json::to_string(&list).unwrap();
            prop_assert_eq!(serde_json::from_str::<TagList>(&json).unwrap(), list);
        }

        #[test]
        fn parse_never_panics_and_is_stable(wire in "\\PC{0,64}") {
            let once = TagList::parse(&wire);
            prop_assert!(once.iter().all(|t| !t.is_empty() && t.trim() == t));
            let twice = TagList::parse(&once.to_wire());
            if once.iter().all(|t| representable(t)) {
                prop_assert_eq!(twice, once);
            }
        }
    }
}
