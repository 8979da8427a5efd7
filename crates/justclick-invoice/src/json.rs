//! The JSON form of a notification (serde `Serialize` and `Deserialize` for
//! [`Notification`]), as the `cartwire` command prints and reads it.
//!
//! One object: a leading `"kind"` (`"created"`, `"paid"`, `"prepaid"`, `"cancelled"`,
//! `"moneyback"`, `"unknown"`), then the documented fields named and ordered as on the wire
//! (nested objects for `utm`, arrays for `items` and `partners`), `hash`, and last `"extra"`:
//! the unknown fields, as an object in arrival order (always there at the top level, `{}`
//! when there are none; in `utm`, an item or a partner, only when there are some). A reader
//! that sorts object keys (`serde_json::Value` without its `preserve_order` feature) loses
//! that order, not the fields.
//!
//! ```json
//! {"kind": "created", "status": "new_order", "id": "1001", "first_name": "Иван", …,
//!  "email": "ivan.petrov+shop@example.ru", …, "created": "2024-04-02T08:00:00Z", …,
//!  "utm": {"medium": "cpc", "source": "yandex", "campaign": "весна-2024", …},
//!  "items": [{"id": "COURSE-PY", "title": "Курс «Python с нуля»", "sum": "4990.00",
//!             "price": "5990.00", "extra": {"qty": "2"}}, …],
//!  "hash": "98a0f021605006077983e9c882f8ddea",
//!  "extra": {"referrer": "https://t.me/shop"}}
//! ```
//!
//! Money is a decimal string as received (`"4990.00"`), `created` and `paid` are RFC 3339 in
//! UTC, `is_recurrent` a boolean, `partner_lvl` a number; an empty value of those types is
//! `null`. Unknown fields are strings, objects, or arrays (for numbered lists). An unknown
//! kind has `status`, `id`, `email`, `created` (its raw text, unconverted) and `hash` at the
//! top level when they were sent, and every other field under `"extra"`, unconverted. The
//! view has no `verified` and no `dedup_key`: the `cartwire` command adds both.
//!
//! Reading goes through the same decoder as the wire, so the rules (kinds, required fields,
//! errors naming the field) are the same: the kind is told from `status`, `paid` and
//! `prepayment_sum`, and `"kind"` is only a label, which must agree with them when present.
//! The fields under `"extra"` are read as if they were sent after the documented ones (one
//! that is also a top-level key is an error); `"verified"` and `"dedup_key"` are ignored, and
//! an undocumented top-level key is read as an unknown field. `created` and `paid` are read
//! as RFC 3339 or Unix seconds; numbers and booleans anywhere are read as their text (`true`
//! as `1`); `null` as an empty value. So `decode` → JSON → `encode` gives back every field.
//!
//! ```
//! use justclick_invoice::{decode, Notification};
//!
//! let body = b"id=7&email=a%40b.ru&created=1712044800&paid=1712048461\
//!              &last_payment_sum=1500.00&is_recurrent=0&hash=&referrer=t.me";
//! let paid = decode(body)?;
//! let json = serde_json::to_value(&paid).unwrap();
//! assert_eq!(json["kind"], "paid");
//! assert_eq!(json["paid"], "2024-04-02T09:01:01Z");
//! assert_eq!(json["last_payment_sum"], "1500.00");
//! assert_eq!(json["is_recurrent"], false);
//! assert_eq!(json["extra"], serde_json::json!({"referrer": "t.me"}));
//!
//! let back: Notification = serde_json::from_value(json).unwrap();
//! assert_eq!(back, paid);
//! # Ok::<(), justclick_invoice::Error>(())
//! ```

use core::fmt;

use cartwire_core::Error;
use cartwire_core::form::{FormMap, FormValue};
use cartwire_core::scalar::{parse_rfc3339, try_format_rfc3339};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::decode::from_tree;
use crate::encode::{Leaf, Node, Object, plan};
use crate::payload::{Kind, Notification};

/// The key of the unknown fields.
const EXTRA: &str = "extra";

impl Serialize for Notification {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let object = plan(self);
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", self.kind().as_str())?;
        write_fields(&object, &mut map)?;
        map.serialize_entry(EXTRA, &JsonExtra(&object.extra))?;
        map.end()
    }
}

/// The documented fields of an object, in wire order.
fn write_fields<M: SerializeMap>(object: &Object<'_>, map: &mut M) -> Result<(), M::Error> {
    for (key, node) in object.fields.iter().chain(&object.last) {
        map.serialize_entry(key, &JsonNode(node))?;
    }
    Ok(())
}

/// A nested object: its documented fields, then `extra` when it has unknown fields.
struct JsonObject<'o, 'a>(&'o Object<'a>);

impl Serialize for JsonObject<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        write_fields(self.0, &mut map)?;
        if !self.0.extra.is_empty() {
            map.serialize_entry(EXTRA, &JsonExtra(&self.0.extra))?;
        }
        map.end()
    }
}

/// The unknown fields of an object, as one JSON object in arrival order.
struct JsonExtra<'o, 'a>(&'o [(&'a str, &'a FormValue<'static>)]);

impl Serialize for JsonExtra<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in self.0 {
            map.serialize_entry(key, &JsonRaw(value))?;
        }
        map.end()
    }
}

struct JsonNode<'n, 'a>(&'n Node<'a>);

impl Serialize for JsonNode<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Node::Leaf(leaf) => serialize_leaf(leaf, serializer),
            Node::Object(object) => JsonObject(object).serialize(serializer),
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
        // RFC 3339 when the wire spelled the time canonically; otherwise the wire's text,
        // which the reader takes as it came (`0712048461`, `0`): the hash covers that text, so
        // a view that rewrote it would not verify once written back. Found by the JSON-view
        // fuzz target.
        // A time RFC 3339 cannot spell (a year before 0 or after 9999, which Unix seconds
        // reach) is written as the wire's text too. Found by the JSON-view fuzz target.
        Leaf::Time(time) => match time.time() {
            Some(parsed) if time.raw() == parsed.unix_timestamp().to_string() => {
                match try_format_rfc3339(parsed) {
                    Some(text) => serializer.serialize_str(&text),
                    None => serializer.serialize_str(time.raw()),
                }
            }
            _ if time.raw().is_empty() => serializer.serialize_none(),
            _ => serializer.serialize_str(time.raw()),
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
        let JsonTree(tree) = JsonTree::deserialize(deserializer)?;
        from_json_tree(tree).map_err(de::Error::custom)
    }
}

/// Turns the JSON object into the wire tree the decoder reads, and decodes it.
fn from_json_tree(mut top: FormMap<'static>) -> Result<Notification, Error> {
    for added_by_the_cli in ["verified", "dedup_key"] {
        top.remove(added_by_the_cli);
    }
    let label = top.remove("kind");
    let extra = top
        .remove(EXTRA)
        .map(|extra| extra_map(extra, EXTRA))
        .transpose()?
        .unwrap_or_default();
    let present = |key: &str| top.get(key).or_else(|| extra.get(key));
    let kind = Kind::detect(
        present("status").and_then(FormValue::as_text),
        present("prepayment_sum").is_some(),
        present("paid").is_some(),
    );
    if kind != Kind::Unknown {
        // The documented fields of a known kind; an unknown kind's are as received.
        for key in ["created", "paid"] {
            if let Some(Ok(Some(time))) = top.get_text(key).map(parse_rfc3339) {
                top.insert(key, time.unix_timestamp().to_string());
            }
        }
        lift_nested_extras(&mut top)?;
    }
    merge(&mut top, &extra, "")?;
    match label {
        None => {}
        Some(FormValue::Text(label)) if label == kind.as_str() => {}
        Some(FormValue::Text(label)) => {
            return Err(Error::malformed(
                "kind",
                format!(
                    "the fields make a {kind} notification, not {label:?} (the kind is told \
                     from `status`, `paid` and `prepayment_sum`)"
                ),
            ));
        }
        Some(FormValue::Map(_)) => return Err(Error::malformed("kind", "expected a string")),
    }
    from_tree(&mut top)
}

/// The unknown fields under an `extra` key: an object (or an array, or `null` for none).
fn extra_map(value: FormValue<'static>, field: &str) -> Result<FormMap<'static>, Error> {
    match value {
        FormValue::Map(map) => Ok(map),
        FormValue::Text(text) if text.is_empty() => Ok(FormMap::new()),
        FormValue::Text(_) => Err(Error::malformed(
            field,
            "expected an object of the unknown fields",
        )),
    }
}

/// Adds the unknown fields to the documented ones of the map at `path`.
fn merge(map: &mut FormMap<'static>, extra: &FormMap<'static>, path: &str) -> Result<(), Error> {
    for (key, value) in extra.iter() {
        if map.get(key).is_some() {
            let field = if path.is_empty() {
                key.to_owned()
            } else {
                format!("{path}[{key}]")
            };
            return Err(Error::malformed(
                field,
                "given both as a documented field and under `extra`",
            ));
        }
        map.insert(key.to_owned(), value.clone());
    }
    Ok(())
}

/// Moves the `extra` of the map at `path` into it.
fn lift(map: &mut FormMap<'static>, path: &str) -> Result<(), Error> {
    match map.remove(EXTRA) {
        None => Ok(()),
        Some(extra) => {
            let extra = extra_map(extra, &format!("{path}[{EXTRA}]"))?;
            merge(map, &extra, path)
        }
    }
}

/// Moves the `extra` of `utm`, of each item and of each partner into its object.
fn lift_nested_extras(top: &mut FormMap<'static>) -> Result<(), Error> {
    if let Some(FormValue::Map(utm)) = top.get("utm") {
        let mut utm = utm.clone();
        lift(&mut utm, "utm")?;
        top.insert("utm", utm);
    }
    if let Some(FormValue::Map(items)) = top.get("items") {
        let mut lifted = FormMap::new();
        for (index, item) in items.iter() {
            let mut item = item.clone();
            if let FormValue::Map(fields) = &mut item {
                let path = format!("items[{index}]");
                lift(fields, &path)?;
                if let Some(FormValue::Map(partners)) = fields.get("partners") {
                    let mut lifted_partners = FormMap::new();
                    for (p, partner) in partners.iter() {
                        let mut partner = partner.clone();
                        if let FormValue::Map(partner_fields) = &mut partner {
                            lift(partner_fields, &format!("{path}[partners][{p}]"))?;
                        }
                        lifted_partners.insert(p.to_owned(), partner);
                    }
                    fields.insert("partners", lifted_partners);
                }
            }
            lifted.insert(index.to_owned(), item);
        }
        top.insert("items", lifted);
    }
    Ok(())
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
    /// serde_json hands over a number with a fraction or an exponent, or one past 64 bits,
    /// as the nearest `f64`: its digits may be rounded already (`0.1000000000000000055511151231257827`
    /// arrives as `0.1`), and the hash would then cover text the user did not write. Refused:
    /// the view writes every value as a string, and so should a hand-written one.
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(cartwire_core::scalar::float_refused())
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
        let mut index = 0_usize;
        while let Some(JsonValue(value)) = seq
            .next_element()
            .map_err(|e| at_field::<A::Error>(&index.to_string(), &e))?
        {
            map.push(value);
            index += 1;
        }
        Ok(FormValue::Map(map))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut map = FormMap::new();
        while let Some(key) = access.next_key::<String>()? {
            let JsonValue(value) = access
                .next_value()
                .map_err(|e| at_field::<A::Error>(&key, &e))?;
            if map.get(&key).is_some() {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            map.insert(key, value);
        }
        Ok(FormValue::Map(map))
    }
}

/// The error `inner` met inside the value of `key`, naming the whole path in the wire's
/// bracket form, as the decoder's errors do: `field `items[0][sum]`: …`.
fn at_field<E: de::Error>(key: &str, inner: &impl fmt::Display) -> E {
    let inner = inner.to_string();
    let nested = inner
        .strip_prefix("field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(path, message)| match path.split_once('[') {
            Some((first, deeper)) => (format!("{key}[{first}][{deeper}"), message),
            None => (format!("{key}[{path}]"), message),
        });
    match nested {
        Some((path, message)) => E::custom(format_args!("field `{path}`{message}")),
        None => E::custom(format_args!("field `{key}`: {inner}")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;
    use crate::{decode, samples};
    use serde_json::json;

    #[test]
    fn the_json_form_of_a_paid_notification() {
        let n = decode(
            b"id=1&email=a&created=1712044800&paid=&last_payment_sum=&is_recurrent=1\
              &items[0][sum]=4990.00&items[0][partners][0][partner_lvl]=2&x[0]=a&x[1]=b&y[k]=v\
              &items[0][qty]=3&items[0][partners][0][since]=2020&utm[gclid]=g",
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
        assert_eq!(json["items"][0]["extra"], json!({"qty": "3"}));
        assert_eq!(
            json["items"][0]["partners"][0]["extra"],
            json!({"since": "2020"})
        );
        assert_eq!(json["utm"]["extra"], json!({"gclid": "g"}));
        assert_eq!(json["extra"], json!({"x": ["a", "b"], "y": {"k": "v"}}));
        assert!(json.get("x").is_none());
        assert_eq!(json["utm"]["source"], "");
        let back: Notification = serde_json::from_value(json).unwrap();
        assert_eq!(back, n);
    }

    #[test]
    fn extra_is_last_and_in_arrival_order_and_nested_only_when_needed() {
        let n = decode(b"status=new_order&id=1&email=a&zeta=1&alpha=2&mid[b]=3&mid[a]=4").unwrap();
        let text = serde_json::to_string(&n).unwrap();
        assert!(
            text.starts_with(r#"{"kind":"created","status":"new_order","id":"1","#),
            "{text}"
        );
        assert!(
            text.ends_with(
                r#""hash":"","extra":{"zeta":"1","alpha":"2","mid":{"b":"3","a":"4"}}}"#
            ),
            "{text}"
        );
        assert!(!text.contains(
            r#""utm":{"medium":"","source":"","campaign":"","content":"","term":"","extra""#
        ));
        let plain = serde_json::to_value(decode(b"id=1&email=a&paid=1").unwrap()).unwrap();
        assert_eq!(plain["extra"], json!({}));
        assert!(plain["utm"].get("extra").is_none());
    }

    #[test]
    fn every_sample_round_trips_exactly() {
        for (_, wire) in samples::ALL {
            let n = decode(wire.as_bytes()).unwrap();
            let json = serde_json::to_string(&n).unwrap();
            let back: Notification = serde_json::from_str(&json).unwrap();
            assert_eq!(back, n);
            assert_eq!(crate::encode(&back), *wire);
        }
    }

    #[test]
    fn a_time_rfc3339_cannot_spell_is_viewed_as_its_wire_text() {
        for created in ["-71204480000", "-62167219201"] {
            let body = format!("id=1&email=a&created={created}&paid=1712048461");
            let n = decode(body.as_bytes()).unwrap();
            let view = serde_json::to_string(&n).unwrap();
            assert!(
                view.contains(&format!(r#""created":"{created}""#)),
                "{view}"
            );
            let back: Notification = serde_json::from_str(&view).unwrap();
            assert_eq!(back, n);
        }
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
    fn a_time_spelled_other_than_canonically_keeps_its_wire_text() {
        // Found by the JSON-view fuzz target: `paid=0712048461` was shown as RFC 3339 and read
        // back as `712048461`, so the notification written from the view no longer verified.
        let body = b"id=1&email=a&created=0&paid=0712048461&last_payment_sum=1.00";
        let n = decode(body).unwrap();
        let text = serde_json::to_string(&n).unwrap();
        assert!(text.contains(r#""paid":"0712048461""#), "{text}");
        let back: Notification = serde_json::from_str(&text).unwrap();
        assert_eq!(back, n);
        assert_eq!(crate::encode(&back), crate::encode(&n));
        assert_eq!(back.payment().unwrap().paid.raw(), "0712048461");
        // The canonical spelling is still shown as a time.
        let n = decode(b"id=1&email=a&created=1712044800&paid=1712048461").unwrap();
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(json["paid"], "2024-04-02T09:01:01Z");
    }

    #[test]
    fn unknown_fields_are_never_converted() {
        // A `paid` foreign to a created notification, and an unknown kind's `created`.
        for body in [
            &b"status=new_order&id=1&email=a&paid=2024-04-02T11:00:00%2B03:00"[..],
            b"status=shipped&id=1&created=2024-04-02T11:00:00Z&paid=2024-04-02T11:00:00Z",
        ] {
            let n = decode(body).unwrap();
            let json = serde_json::to_value(&n).unwrap();
            let back: Notification = serde_json::from_value(json).unwrap();
            assert_eq!(back, n);
        }
    }

    #[test]
    fn unknown_kinds_keep_the_common_fields_at_the_top() {
        let n = decode(include_bytes!("../tests/fixtures/unknown.txt")).unwrap();
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(
            json,
            json!({
                "kind": "unknown",
                "status": "order_shipped",
                "id": "1001",
                "email": "ivan.petrov+shop@example.ru",
                "created": "1712044800",
                "hash": "98a0f021605006077983e9c882f8ddea",
                "extra": {"track": "RA123456789RU", "items": [{"id": "COURSE-PY"}]},
            })
        );
        let back: Notification = serde_json::from_value(json).unwrap();
        assert_eq!(back, n);
        // Absent common fields stay absent.
        let n = decode(b"email=a&x=1").unwrap();
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(
            json,
            json!({"kind": "unknown", "email": "a", "extra": {"x": "1"}})
        );
        assert_eq!(serde_json::from_value::<Notification>(json).unwrap(), n);
    }

    #[test]
    fn wire_fields_named_like_the_views_keys_stay_in_extra() {
        let n = decode(
            b"status=new_order&id=1&email=a&kind=vip&extra=e&verified=no&dedup_key=d&items[0][extra]=x",
        )
        .unwrap();
        let json = serde_json::to_value(&n).unwrap();
        assert_eq!(json["kind"], "created");
        assert_eq!(
            json["extra"],
            json!({"kind": "vip", "extra": "e", "verified": "no", "dedup_key": "d"})
        );
        assert_eq!(json["items"][0]["extra"], json!({"extra": "x"}));
        let back: Notification = serde_json::from_value(json).unwrap();
        assert_eq!(back, n);
    }

    #[test]
    fn the_clis_additions_are_ignored_and_the_label_must_agree() {
        let n: Notification = serde_json::from_str(
            r#"{"kind": "paid", "id": "1", "email": "a", "paid": null, "verified": true, "dedup_key": "abc"}"#,
        )
        .unwrap();
        assert!(n.invoice().unwrap().extra.is_empty());
        let err = serde_json::from_str::<Notification>(
            r#"{"kind": "paid", "status": "new_order", "id": "1", "email": "a"}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("field `kind`: the fields make a created notification"),
            "{err}"
        );
        // Older JSON, with unknown fields at the top level, is still read.
        let n: Notification =
            serde_json::from_str(r#"{"id": "1", "email": "a", "paid": "1", "x": "y"}"#).unwrap();
        assert_eq!(n.invoice().unwrap().extra["x"].as_text(), Some("y"));
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
        for (json, field) in [
            (
                r#"{"paid": "1", "id": "1", "email": "a", "extra": {"id": "2"}}"#,
                "field `id`",
            ),
            (
                r#"{"paid": "1", "id": "1", "email": "a", "extra": "x"}"#,
                "field `extra`",
            ),
            (
                r#"{"paid": "1", "id": "1", "email": "a", "items": [{"sum": "1", "extra": {"sum": "2"}}]}"#,
                "field `items[0][sum]`",
            ),
            (
                r#"{"paid": "1", "id": "1", "email": "a", "utm": {"extra": 5}}"#,
                "field `utm[extra]`",
            ),
        ] {
            let err = serde_json::from_str::<Notification>(json)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(field), "{json}: {err}");
        }
        // A number with a fraction is refused where it stands: it arrived as an f64, whose
        // digits may be rounded already (the hash would cover text nobody wrote).
        for (json, field) in [
            (
                r#"{"paid": "1", "id": "1", "email": "a", "sum": 19.95}"#,
                "field `sum`",
            ),
            (
                r#"{"paid": "1", "id": "1", "email": "a", "items": [{"sum": "1"}, {"sum": 0.1000000000000000055511151231257827}]}"#,
                "field `items[1][sum]`",
            ),
            (
                r#"{"paid": "1", "id": "1", "email": "a", "extra": {"x": {"y": [1e2]}}}"#,
                "field `extra[x][y][0]`",
            ),
        ] {
            let err = serde_json::from_str::<Notification>(json)
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(field), "{json}: {err}");
            assert!(err.contains("send it as a string"), "{json}: {err}");
        }
        // Integers are read as their text.
        let n: Notification = serde_json::from_str(
            r#"{"paid": 1, "id": 17, "email": "a", "x": 12345678901234567890}"#,
        )
        .unwrap();
        assert_eq!(
            n.invoice().unwrap().extra["x"].as_text(),
            Some("12345678901234567890")
        );
        assert!(serde_json::from_str::<Notification>(r#"["id"]"#).is_err());
        assert!(serde_json::from_str::<Notification>(r#"{"id": "1", "id": "2"}"#).is_err());
        assert!(serde_json::from_str::<Notification>(r#"{}"#).is_err());
    }
}
