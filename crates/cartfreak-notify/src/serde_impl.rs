//! serde for the notification types: a flat object with the wire field names, as the CLI
//! prints it.
//!
//! ```json
//! {"command": "REMOVE", "billing_id": "224", "email": "user@domain.com",
//!  "extra": [["utm[source]", "newsletter"], ["affiliate_id", "aff-77"]]}
//! ```
//!
//! Documented fields are top-level and always present (`billing_id` is `null` when blank),
//! money is a decimal string as received (`"19.95"`). Unknown fields are under `extra` (for an
//! unknown command, all its fields are) as an array of `[name, value]` pairs: a JSON object is
//! unordered (`serde_json::Value`, PostgreSQL `jsonb` and many stores sort or shuffle its
//! keys), and the pairs keep the wire order, so JSON → wire gives the bytes the cart sent.
//! A [`Received`] adds `hash` and `api_url` when it has them.
//!
//! Deserializing accepts the same shape, `extra` as an object too, numbers for text, `null`
//! for blank, and unknown top-level keys as unknown fields; it validates like the wire
//! decoder.

use core::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::api_url::ApiUrl;
use crate::decode::{Received, notification_from_fields};
use crate::payload::{CREATE_FIELDS, DedupKey, Extra, Notification, SUBSCRIPTION_FIELDS};

fn documented_len(notification: &Notification) -> usize {
    match notification {
        Notification::Create(_) => CREATE_FIELDS.len(),
        Notification::Unknown(_) => 0,
        _ => SUBSCRIPTION_FIELDS.len(),
    }
}

struct ExtraRef<'a>(&'a Extra);

impl Serialize for ExtraRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|(name, value)| [name, value]))
    }
}

fn write_notification<M: SerializeMap>(
    notification: &Notification,
    map: &mut M,
) -> Result<(), M::Error> {
    map.serialize_entry("command", notification.command_str())?;
    let fields = notification.wire_fields();
    for (name, value) in fields.iter().take(documented_len(notification)) {
        if *name == "billing_id" && value.is_empty() {
            map.serialize_entry(name, &None::<&str>)?;
        } else {
            map.serialize_entry(name, value)?;
        }
    }
    map.serialize_entry("extra", &ExtraRef(notification.extra()))
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

/// An `extra` array of `[name, value]` pairs, or an object.
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
                f.write_str("unknown fields: an array of [name, value] pairs, or an object")
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
                while let Some((name, Text(value))) = access.next_entry::<String, Text>()? {
                    insert_extra(&mut extra, name, value)?;
                }
                Ok(ExtraMap(extra))
            }
        }
        deserializer.deserialize_any(ExtraVisitor)
    }
}

/// The object's entries: `command`, the other top-level fields, and `extra`.
struct RawObject {
    command: Option<String>,
    fields: Extra,
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
                while let Some(name) = access.next_key::<String>()? {
                    let repeated = match name.as_str() {
                        "command" => raw
                            .command
                            .replace(access.next_value::<Text>()?.0)
                            .is_some(),
                        "extra" => {
                            let ExtraMap(extra) = access.next_value()?;
                            !std::mem::replace(&mut raw.extra, extra).is_empty()
                        }
                        _ => {
                            let Text(value) = access.next_value()?;
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
    fn into_notification<E: de::Error>(self) -> Result<Notification, E> {
        let command = self.command.ok_or_else(|| E::missing_field("command"))?;
        let mut fields = self.fields;
        for (name, value) in self.extra {
            if fields.contains_key(&name) {
                return Err(E::custom(format_args!(
                    "field `{name}`: both a top-level and an `extra` field"
                )));
            }
            fields.insert(name, value);
        }
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
        let hash = raw.fields.shift_remove("hash");
        let api_url = match raw.fields.shift_remove("api_url") {
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

impl Serialize for DedupKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
