//! serde for the notification types: the JSON view, a flat object with the wire field names
//! (what the `cartwire` CLI prints, and what its `encode` reads).
//!
//! ```json
//! {"command": "CREATE", "billing_id": "5517", "first_name": "John", "…": "…",
//!  "order_hash": "e3b9f1c27a0d4c58",
//!  "extra": {"affiliate_id": "aff-77", "utm[source]": "newsletter"}}
//! ```
//!
//! * `command`, then the command's typed fields, top-level and always present, in the
//!   vendor's order: the 24 fields of a `CREATE`; `billing_id` and `email` of every other
//!   command, unknown ones included. `billing_id` is `null` when blank (for an unknown
//!   command: when it was not sent; `""` when it was sent blank), `email` is `null` for an
//!   unknown command that did not send it. Money is a decimal string as received (`"19.95"`).
//! * `extra`: the unknown fields, one JSON object in arrival order (`{}` when there are
//!   none), for every command. Write the JSON as text, or into a map that keeps order, for the
//!   order to survive: encoding it back then gives the bytes the cart sent.
//! * A [`Received`] adds `hash` and `api_url` when it has them.
//!
//! The view has no `verified` and no `dedup_key`: whoever prints it knows whether it checked
//! the hash, and adds the key ([`Notification::dedup_key`]) if it wants it. Deserializing
//! ignores both.
//!
//! Deserializing accepts the same shape, and is lenient as a decoder should be: numbers for
//! text, `null` for an absent top-level field (blank, for the typed fields of a known
//! command), unknown top-level keys as unknown fields, and `extra` as an array of
//! `[name, value]` pairs (the view's former shape) too. It validates like the wire decoder.

use core::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::Extra;
use crate::api_url::ApiUrl;
use crate::decode::{Received, notification_from_fields};
use crate::payload::Notification;

/// Keys of the CLI's output that are not part of the view, ignored when reading it back.
const DERIVED_KEYS: [&str; 2] = ["verified", "dedup_key"];

/// Unknown fields, written as one object in their order.
struct ExtraView<'a>(&'a [&'a (&'a str, std::borrow::Cow<'a, str>)]);

impl Serialize for ExtraView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, value)| (name, value)))
    }
}

fn write_notification<M: SerializeMap>(
    notification: &Notification,
    map: &mut M,
) -> Result<(), M::Error> {
    map.serialize_entry("command", notification.command_str())?;
    let typed = notification.typed_names();
    let fields = notification.wire_fields();
    let (typed_fields, extra): (Vec<_>, Vec<_>) =
        fields.iter().partition(|(name, _)| typed.contains(name));
    match notification {
        Notification::Unknown(unknown) => {
            map.serialize_entry("billing_id", &unknown.billing_id)?;
            map.serialize_entry("email", &unknown.email)?;
        }
        _ => {
            for (name, value) in typed_fields {
                if *name == "billing_id" && value.is_empty() {
                    map.serialize_entry(name, &None::<&str>)?;
                } else {
                    map.serialize_entry(name, value)?;
                }
            }
        }
    }
    map.serialize_entry("extra", &ExtraView(&extra))
}

impl Serialize for Notification {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_notification(self, &mut map)?;
        map.end()
    }
}

impl Serialize for Received {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_notification(&self.notification, &mut map)?;
        if let Some(hash) = &self.hash {
            map.serialize_entry("hash", hash)?;
        }
        if let Some(api_url) = &self.api_url {
            map.serialize_entry("api_url", api_url.as_str())?;
        }
        map.end()
    }
}

/// Any scalar as its wire text (`null` is blank).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        cartwire_core::scalar::string::deserialize(deserializer).map(Text)
    }
}

/// An `extra` object, or an array of `[name, value]` pairs.
struct ExtraMap(Extra);

fn insert_extra<E: de::Error>(extra: &mut Extra, name: String, value: String) -> Result<(), E> {
    if extra.contains_key(&name) {
        return Err(E::custom(format_args!("field `extra.{name}`: repeated")));
    }
    extra.insert(name, value);
    Ok(())
}

impl<'de> Deserialize<'de> for ExtraMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExtraVisitor;
        impl<'de> Visitor<'de> for ExtraVisitor {
            type Value = ExtraMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("unknown fields: an object, or an array of [name, value] pairs")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<ExtraMap, A::Error> {
                let mut extra = Extra::new();
                while let Some((name, Text(value))) = access.next_element::<(String, Text)>()? {
                    insert_extra(&mut extra, name, value)?;
                }
                Ok(ExtraMap(extra))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ExtraMap, E> {
                Ok(ExtraMap(Extra::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<ExtraMap, E> {
                Ok(ExtraMap(Extra::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<ExtraMap, A::Error> {
                let mut extra = Extra::new();
                while let Some(name) = access.next_key::<String>()? {
                    let Text(value) = access.next_value().map_err(|e| {
                        de::Error::custom(format_args!("field `extra.{name}`: {e}"))
                    })?;
                    insert_extra(&mut extra, name, value)?;
                }
                Ok(ExtraMap(extra))
            }
        }
        deserializer.deserialize_any(ExtraVisitor)
    }
}

/// The object's entries: `command`, the other top-level fields (`None` for `null`), and
/// `extra`.
struct RawObject {
    command: Option<String>,
    fields: Extra<Option<String>>,
    extra: Extra,
}

impl<'de> Deserialize<'de> for RawObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RawVisitor;
        impl<'de> Visitor<'de> for RawVisitor {
            type Value = RawObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CartFreak notification object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<RawObject, A::Error> {
                let mut raw = RawObject {
                    command: None,
                    fields: Extra::new(),
                    extra: Extra::new(),
                };
                let mut has_extra = false;
                while let Some(name) = access.next_key::<String>()? {
                    let repeated = match name.as_str() {
                        "command" => raw
                            .command
                            .replace(access.next_value::<Text>()?.0)
                            .is_some(),
                        "extra" => {
                            let ExtraMap(extra) = access.next_value()?;
                            raw.extra = extra;
                            std::mem::replace(&mut has_extra, true)
                        }
                        derived if DERIVED_KEYS.contains(&derived) => {
                            access.next_value::<IgnoredAny>()?;
                            false
                        }
                        _ => {
                            let value = access.next_value::<Option<Text>>().map_err(|e| {
                                de::Error::custom(format_args!("field `{name}`: {e}"))
                            })?;
                            let value = value.map(|Text(text)| text);
                            raw.fields.insert(name.clone(), value).is_some()
                        }
                    };
                    if repeated {
                        return Err(de::Error::custom(format_args!("field `{name}`: repeated")));
                    }
                }
                Ok(raw)
            }
        }
        deserializer.deserialize_map(RawVisitor)
    }
}

impl RawObject {
    /// Takes a top-level field out (`None` when absent or `null`).
    fn take(&mut self, name: &str) -> Option<String> {
        self.fields.shift_remove(name).flatten()
    }

    fn into_notification<E: de::Error>(self) -> Result<Notification, E> {
        let command = self.command.ok_or_else(|| E::missing_field("command"))?;
        let mut fields = Extra::with_capacity(self.fields.len() + self.extra.len());
        for (name, value) in &self.fields {
            if self.extra.contains_key(name) {
                return Err(E::custom(format_args!(
                    "field `{name}`: both a top-level and an `extra` field"
                )));
            }
            if let Some(value) = value {
                fields.insert(name.clone(), value.clone());
            }
        }
        fields.extend(self.extra);
        notification_from_fields(&command, fields).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Notification {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawObject::deserialize(deserializer)?;
        if raw.fields.contains_key("hash") {
            return Err(de::Error::custom(
                "field `hash`: not part of a notification (deserialize a `Received`)",
            ));
        }
        raw.into_notification()
    }
}

impl<'de> Deserialize<'de> for Received {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut raw = RawObject::deserialize(deserializer)?;
        let hash = raw.take("hash");
        let api_url = match raw.take("api_url") {
            Some(text) if !text.is_empty() => {
                Some(ApiUrl::parse(&text).map_err(de::Error::custom)?)
            }
            _ => None,
        };
        Ok(Received {
            notification: raw.into_notification()?,
            hash,
            api_url,
        })
    }
}

impl Serialize for ApiUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ApiUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Text(text) = Text::deserialize(deserializer)?;
        ApiUrl::parse(&text).map_err(de::Error::custom)
    }
}
