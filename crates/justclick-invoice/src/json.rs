//! The JSON form of a notification (serde `Serialize` and `Deserialize` for
//! [`Notification`]), as the `cartwire` command prints and reads it.
//!
//! One object, the fields named and ordered as on the wire, nested objects for `utm`, arrays
//! for `items` and `partners`, plus a leading `"kind"` (`"created"`, `"paid"`, `"prepaid"`,
//! `"cancelled"`, `"moneyback"`, `"unknown"`). Money is a decimal string as received
//! (`"4990.00"`), `created` and `paid` are RFC 3339 in UTC, `is_recurrent` a boolean,
//! `partner_lvl` a number; an empty value of those types is `null`. Unknown fields appear
//! as they arrived (strings, objects, arrays for numbered lists). An unknown kind is written
//! as its fields, unconverted.
//!
//! Reading goes through the same decoder as the wire, so the rules (kinds, required fields,
//! errors naming the field) are the same: the kind is told from `status`, `paid` and
//! `prepayment_sum`, and `"kind"` is only a label (dropped on reading when it matches).
//! `created` and `paid` are read as RFC 3339 or Unix seconds; numbers and booleans anywhere
//! are read as their text (`true` as `1`); `null` as an empty value.
//!
//! ```
//! use justclick_invoice::{decode, Notification};
//!
//! let body = b"id=7&email=a%40b.ru&created=1712044800&paid=1712048461\
//!              &last_payment_sum=1500.00&is_recurrent=0&hash=";
//! let paid = decode(body)?;
//! let json = serde_json::to_value(&paid).unwrap();
//! assert_eq!(json["kind"], "paid");
//! assert_eq!(json["paid"], "2024-04-02T09:01:01Z");
//! assert_eq!(json["last_payment_sum"], "1500.00");
//! assert_eq!(json["is_recurrent"], false);
//!
//! let back: Notification = serde_json::from_value(json).unwrap();
//! assert_eq!(back, paid);
//! # Ok::<(), justclick_invoice::Error>(())
//! ```

use core::fmt;

use cartwire_core::form::{FormMap, FormValue};
use cartwire_core::scalar::{format_rfc3339, parse_rfc3339};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::decode::{detect, from_tree};
use crate::encode::{Leaf, Node, plan};
use crate::payload::Notification;

impl Serialize for Notification {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entries = plan(self);
        let label = !entries.iter().any(|(key, _)| key == "kind");
        let mut map = serializer.serialize_map(Some(entries.len() + usize::from(label)))?;
        if label {
            map.serialize_entry("kind", self.kind().as_str())?;
        }
        for (key, node) in &entries {
            map.serialize_entry(key.as_ref(), &JsonNode(node))?;
        }
        map.end()
    }
}

struct JsonNode<'n, 'a>(&'n Node<'a>);

impl Serialize for JsonNode<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Node::Leaf(leaf) => serialize_leaf(leaf, serializer),
            Node::Raw(value) => JsonRaw(value).serialize(serializer),
            Node::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, node) in entries {
                    map.serialize_entry(key.as_ref(), &JsonNode(node))?;
                }
                map.end()
            }
            Node::List(elements) => {
                let mut seq = serializer.serialize_seq(Some(elements.len()))?;
                for node in elements {
                    seq.serialize_element(&JsonNode(node))?;
                }
                seq.end()
            }
        }
    }
}

fn serialize_leaf<S: Serializer>(leaf: &Leaf<'_>, serializer: S) -> Result<S::Ok, S::Error> {
    match leaf {
        Leaf::Text(text) => serializer.serialize_str(text),
        Leaf::Money(Some(money)) => serializer.collect_str(money),
        Leaf::Time(time) => match time.time() {
            Some(time) => serializer.serialize_str(&format_rfc3339(time)),
            None => serializer.serialize_none(),
        },
        Leaf::Flag(Some(flag)) => serializer.serialize_bool(*flag),
        Leaf::Level(Some(level)) => serializer.serialize_u32(*level),
        Leaf::Money(None) | Leaf::Flag(None) | Leaf::Level(None) => serializer.serialize_none(),
    }
}

/// An unknown field as received: a string, or an object (an array when its keys are
/// `0`, `1`, … in order).
struct JsonRaw<'v, 'a>(&'v FormValue<'a>);

impl Serialize for JsonRaw<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            FormValue::Text(text) => serializer.serialize_str(text),
            FormValue::Map(map) if is_list(map) => {
                let mut seq = serializer.serialize_seq(Some(map.len()))?;
                for (_, value) in map.iter() {
                    seq.serialize_element(&JsonRaw(value))?;
                }
                seq.end()
            }
            FormValue::Map(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map.iter() {
                    out.serialize_entry(key, &JsonRaw(value))?;
                }
                out.end()
            }
        }
    }
}

fn is_list(map: &FormMap<'_>) -> bool {
    !map.is_empty()
        && map
            .iter()
            .enumerate()
            .all(|(index, (key, _))| key == index.to_string())
}

impl<'de> Deserialize<'de> for Notification {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let JsonTree(mut tree) = JsonTree::deserialize(deserializer)?;
        for key in ["created", "paid"] {
            if let Some(Ok(Some(time))) = tree.get_text(key).map(parse_rfc3339) {
                tree.insert(key, time.unix_timestamp().to_string());
            }
        }
        let kind = detect(&tree);
        if tree.get_text("kind") == Some(kind.as_str()) {
            tree.remove("kind");
        }
        from_tree(&tree).map_err(de::Error::custom)
    }
}

/// A JSON object read as a form tree.
struct JsonTree(FormMap<'static>);

impl<'de> Deserialize<'de> for JsonTree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match deserializer.deserialize_map(ValueVisitor)? {
            FormValue::Map(map) => Ok(JsonTree(map)),
            FormValue::Text(_) => Err(de::Error::custom("expected a JSON object")),
        }
    }
}

struct JsonValue(FormValue<'static>);

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor).map(JsonValue)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = FormValue<'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean, null, array or object")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(FormValue::from(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(FormValue::from(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(FormValue::from(if v { "1" } else { "0" }.to_owned()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(FormValue::from(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(FormValue::from(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(FormValue::from(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(FormValue::from(String::new()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(FormValue::from(String::new()))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut map = FormMap::new();
        while let Some(JsonValue(value)) = seq.next_element()? {
            map.push(value);
        }
        Ok(FormValue::Map(map))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = FormMap::new();
        while let Some((key, JsonValue(value))) = access.next_entry::<String, JsonValue>()? {
            if map.get(&key).is_some() {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            map.insert(key, value);
        }
        Ok(FormValue::Map(map))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use crate::decode;

    #[test]
    fn the_json_form_of_a_paid_notification() {
        let n = decode(
            b"id=1&email=a&created=1712044800&paid=&last_payment_sum=&is_recurrent=1\
              &items[0][sum]=4990.00&items[0][partners][0][partner_lvl]=2&x[0]=a&x[1]=b&y[k]=v",
        )
        .unwrap();
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(json["kind"], "paid");
        assert_eq!(json["created"], "2024-04-02T08:00:00Z");
        assert!(json["paid"].is_null());
        assert!(json["last_payment_sum"].is_null());
        assert_eq!(json["is_recurrent"], true);
        assert_eq!(json["items"][0]["sum"], "4990.00");
        assert!(json["items"][0]["price"].is_null());
        assert_eq!(json["items"][0]["partners"][0]["partner_lvl"], 2);
        assert_eq!(json["x"], serde_json::json!(["a", "b"]));
        assert_eq!(json["y"], serde_json::json!({"k": "v"}));
        assert_eq!(json["utm"]["source"], "");
        let back: Notification = serde_json::from_value(json).unwrap();
        assert_eq!(back, n);
    }

    #[test]
    fn json_times_may_be_rfc3339_with_an_offset_or_unix_seconds() {
        let n: Notification = serde_json::from_str(
            r#"{"status": "new_order", "id": 17, "email": "a", "created": "2024-04-02T11:00:00+03:00"}"#,
        )
        .unwrap();
        let inv = n.invoice().unwrap();
        assert_eq!(inv.id, "17");
        assert_eq!(inv.created.raw(), "1712044800");
        let n: Notification =
            serde_json::from_str(r#"{"id": "1", "email": "a", "paid": 1712048461}"#).unwrap();
        assert_eq!(n.payment().unwrap().paid.raw(), "1712048461");
    }

    #[test]
    fn a_wire_field_named_kind_is_kept() {
        let n = decode(b"status=new_order&id=1&email=a&kind=vip").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert!(json.starts_with(r#"{"status":"new_order""#), "{json}");
        assert!(json.contains(r#""kind":"vip""#));
        let back: Notification = serde_json::from_str(&json).unwrap();
        assert_eq!(back, n);
        // The label is dropped only when it matches the kind.
        let n: Notification =
            serde_json::from_str(r#"{"kind": "paid", "id": "1", "email": "a", "paid": null}"#)
                .unwrap();
        assert!(n.invoice().unwrap().extra.is_empty());
    }

    #[test]
    fn json_errors_name_the_field() {
        let err = serde_json::from_str::<Notification>(r#"{"paid": "1", "email": "a"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("field `id`: missing"), "{err}");
        let err = serde_json::from_str::<Notification>(
            r#"{"paid": "1", "id": "1", "email": "a", "items": [{"sum": "x"}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("items[0][sum]"), "{err}");
        assert!(serde_json::from_str::<Notification>(r#"["id"]"#).is_err());
        assert!(serde_json::from_str::<Notification>(r#"{"id": "1", "id": "2"}"#).is_err());
    }
}
