//! De-duplication keys: one definition for every protocol.
//!
//! Every vendor retries: CartFreak queues notifications and sends them in batches every five
//! minutes, JustClick and Cartloom re-post after a timeout, Cartfunnel retries webhooks. A
//! receiver that grants access or ships goods must do so once per event, so every
//! notification type of every receiving crate has `dedup_key()` ([`Dedup`]): the idempotency
//! key for retried deliveries.
//!
//! A [`DedupKey`] is the lower-case hex SHA-256 of the protocol, the notification's kind and
//! its identifying fields, each length-prefixed; the fields are sorted by name (then value)
//! first. So the key does not depend on the order the fields came in, on how they were
//! percent-encoded (the fields are fed decoded), nor on the flavour that carried them; and
//! fields of different protocols or kinds never collide. Which fields identify a notification
//! is each protocol crate's decision, documented on its `dedup_key`.
//!
//! ```
//! use cartwire_core::DedupKey;
//!
//! let a = DedupKey::builder("justclick", "paid").field("id", "1001").field("paid", "1712048461").finish();
//! let b = DedupKey::builder("justclick", "paid").field("paid", "1712048461").field("id", "1001").finish();
//! assert_eq!(a, b);
//! assert_eq!(a.as_str().len(), 64);
//! let c = DedupKey::builder("justclick", "created").field("id", "1001").field("paid", "1712048461").finish();
//! assert_ne!(a, c);
//! ```

use core::fmt;
use std::borrow::Cow;

use sha2::{Digest, Sha256};

/// What every received notification offers: a stable idempotency key (see the
/// [module docs](self)).
pub trait Dedup {
    /// The key of this notification: the same for a retried delivery of it, different for
    /// any other notification.
    fn dedup_key(&self) -> DedupKey;
}

/// A de-duplication key: 64 lower-case hex characters (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DedupKey(String);

impl DedupKey {
    /// Starts a key for a notification of `kind` in `protocol`.
    pub fn builder<'a>(protocol: &'a str, kind: &'a str) -> DedupKeyBuilder<'a> {
        DedupKeyBuilder {
            protocol,
            kind,
            fields: Vec::new(),
        }
    }

    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key's text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for DedupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for DedupKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl serde::Serialize for DedupKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Reads a key back from its text (the JSON form of an [`Event`](crate::event::Event)):
/// exactly 64 lower-case hex characters, anything else is refused.
impl<'de> serde::Deserialize<'de> for DedupKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(deserializer)?;
        let well_formed =
            text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if well_formed {
            Ok(DedupKey(text))
        } else {
            Err(serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&text),
                &"64 lower-case hex characters",
            ))
        }
    }
}

/// Collects the identifying fields of a [`DedupKey`].
#[derive(Debug, Clone)]
#[must_use = "call finish() for the key"]
pub struct DedupKeyBuilder<'a> {
    protocol: &'a str,
    kind: &'a str,
    fields: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> DedupKeyBuilder<'a> {
    /// Adds a field, decoded (as the handler reads it, not as it was percent-encoded).
    pub fn field(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// Adds every field of an iterator.
    pub fn fields<N, V>(mut self, fields: impl IntoIterator<Item = (N, V)>) -> Self
    where
        N: Into<Cow<'a, str>>,
        V: Into<Cow<'a, str>>,
    {
        self.fields
            .extend(fields.into_iter().map(|(n, v)| (n.into(), v.into())));
        self
    }

    /// The key.
    pub fn finish(mut self) -> DedupKey {
        self.fields.sort_unstable();
        let mut hasher = Sha256::new();
        let mut feed = |bytes: &[u8]| {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        };
        feed(self.protocol.as_bytes());
        feed(self.kind.as_bytes());
        for (name, value) in &self.fields {
            feed(name.as_bytes());
            feed(value.as_bytes());
        }
        DedupKey(crate::to_lower_hex(&hasher.finalize()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_vector() {
        // python3 -c 'import hashlib,struct
        // f=lambda b: struct.pack("<Q",len(b))+b
        // print(hashlib.sha256(f(b"p")+f(b"k")+f(b"a")+f(b"1")+f(b"b")+f(b"")).hexdigest())'
        let key = DedupKey::builder("p", "k")
            .field("b", "")
            .field("a", "1")
            .finish();
        assert_eq!(
            key.as_str(),
            "df96bf1079da4887935c8f45ff759eaae42acd798f1e742688c404fb728d56dd"
        );
    }

    #[test]
    fn boundaries_are_length_prefixed() {
        let a = DedupKey::builder("p", "k").field("ab", "c").finish();
        let b = DedupKey::builder("p", "k").field("a", "bc").finish();
        assert_ne!(a, b);
        let c = DedupKey::builder("pk", "").finish();
        let d = DedupKey::builder("p", "k").finish();
        assert_ne!(c, d);
    }
}
