//! The JSON view's `_wire` object (its format is documented in [`crate::encode`]): written
//! where typed JSON cannot show the wire text, applied on reading where it still describes
//! the value next to it.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;

use crate::decode::BodyShape;
use crate::fields::{EXTRA_KEY, ItemField, OrderField};
use crate::payload::{ExtraFields, Order, RawJson, WireDateTime};

const RAW: &str = "raw";
const KEY_ORDER: &str = "key_order";
const BODY: &str = "body";

/// The notes an order needs in its view (possibly none).
pub(crate) struct WireNotes<'a> {
    dates: Vec<(&'static str, &'a WireDateTime)>,
    raw: Vec<(String, &'a RawJson)>,
    key_order: Vec<(String, Vec<&'a str>)>,
    body: Option<&'static str>,
}

impl<'a> WireNotes<'a> {
    /// The notes of `order`, received in `shape` when known (only the form shape is noted:
    /// JSON is what a view without the note stands for).
    pub(crate) fn of(order: &'a Order, shape: Option<BodyShape>) -> Self {
        let dates = [
            (OrderField::Date, &order.date),
            (OrderField::ShippingDate, &order.shipping_date),
        ]
        .into_iter()
        .filter(|(_, date)| !date.is_canonical())
        .map(|(field, date)| (field.key(), date))
        .collect();
        let body = match shape {
            Some(BodyShape::Form) => Some("form"),
            Some(BodyShape::Json) | None => None,
        };
        let mut notes = Self {
            dates,
            raw: Vec::new(),
            key_order: Vec::new(),
            body,
        };
        if !survives_value(&order.extra_inputs) {
            notes.raw.push((
                OrderField::ExtraInputs.key().to_owned(),
                &order.extra_inputs,
            ));
        }
        notes.extra(EXTRA_KEY.to_owned(), &order.extra, |k| {
            OrderField::from_key(k).is_some()
        });
        for (i, item) in order.items.iter().enumerate() {
            notes.extra(format!("items[{i}].{EXTRA_KEY}"), &item.extra, |k| {
                ItemField::from_key(k).is_some()
            });
        }
        notes
    }

    /// Notes on the unknown fields of one `extra` object, `scope` its path in the view.
    fn extra(&mut self, scope: String, extra: &'a ExtraFields, known: fn(&str) -> bool) {
        let keys: Vec<&str> = extra
            .keys()
            .map(String::as_str)
            .filter(|k| !known(k))
            .collect();
        for key in &keys {
            if let Some(raw) = extra.get(*key).filter(|raw| !survives_value(raw)) {
                self.raw.push((format!("{scope}.{key}"), raw));
            }
        }
        if !keys.windows(2).all(|w| w.first() < w.get(1)) {
            self.key_order.push((scope, keys));
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.dates.is_empty()
            && self.raw.is_empty()
            && self.key_order.is_empty()
            && self.body.is_none()
    }
}

/// Whether a raw value comes back with the same text through a `serde_json::Value`.
fn survives_value(raw: &RawJson) -> bool {
    // Not `v == raw.get()`: that compares with a JSON string value, not with JSON text.
    raw.to_value()
        .and_then(|v| serde_json::to_string(&v))
        .is_ok_and(|text| text == raw.get())
}

impl Serialize for WireNotes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (key, date) in &self.dates {
            map.serialize_entry(key, &date.wire_text())?;
        }
        if !self.raw.is_empty() {
            let raw: Vec<(&str, &str)> = self
                .raw
                .iter()
                .map(|(k, v)| (k.as_str(), v.get()))
                .collect();
            map.serialize_entry(RAW, &Entries(&raw))?;
        }
        if !self.key_order.is_empty() {
            map.serialize_entry(KEY_ORDER, &Entries(&self.key_order))?;
        }
        if let Some(body) = self.body {
            map.serialize_entry(BODY, body)?;
        }
        map.end()
    }
}

/// A list of pairs written as a JSON object.
struct Entries<'a, K, V>(&'a [(K, V)]);

impl<K: Serialize, V: Serialize> Serialize for Entries<'_, K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Notes read back from a view.
#[derive(Default)]
pub(crate) struct ReadNotes {
    dates: Vec<(String, Option<String>)>,
    raw: Vec<(String, String)>,
    key_order: Vec<(String, Vec<String>)>,
    body: Option<String>,
}

pub(crate) struct NotesSeed;

impl<'de> DeserializeSeed<'de> for NotesSeed {
    type Value = ReadNotes;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for NotesSeed {
    type Value = ReadNotes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of wire spellings")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ReadNotes, A::Error> {
        let mut notes = ReadNotes::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                RAW => {
                    notes.raw = map
                        .next_value::<BTreeMap<String, String>>()?
                        .into_iter()
                        .collect()
                }
                KEY_ORDER => {
                    notes.key_order = map
                        .next_value::<BTreeMap<String, Vec<String>>>()?
                        .into_iter()
                        .collect();
                }
                BODY => notes.body = Some(map.next_value::<String>()?),
                _ if OrderField::from_key(&key).is_some() => {
                    let text = map.next_value::<Option<String>>()?;
                    notes.dates.push((key, text));
                }
                // Notes this version does not know are skipped, not errors.
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(notes)
    }
}

impl ReadNotes {
    /// The body shape noted (`"json"` or `"form"`, unchecked), taken out.
    pub(crate) fn take_body(&mut self) -> Option<String> {
        self.body.take()
    }

    /// Applies each note that still describes its value.
    pub(crate) fn apply(self, order: &mut Order) {
        for (key, text) in self.dates {
            let date = match OrderField::from_key(&key) {
                Some(OrderField::Date) => &mut order.date,
                Some(OrderField::ShippingDate) => &mut order.shipping_date,
                _ => continue,
            };
            let noted = match text {
                Some(text) => WireDateTime::parse(&text).ok(),
                None => Some(WireDateTime::null()),
            };
            if let Some(noted) = noted.filter(|n| n.value() == date.value()) {
                *date = noted;
            }
        }
        for (path, text) in self.raw {
            let Some(target) = raw_target(order, &path) else {
                continue;
            };
            let Ok(noted) = RawJson::from_json(text) else {
                continue;
            };
            let same = matches!((noted.to_value(), target.to_value()), (Ok(a), Ok(b)) if a == b);
            if same {
                *target = noted;
            }
        }
        for (scope, keys) in self.key_order {
            let extra = if scope == EXTRA_KEY {
                Some(&mut order.extra)
            } else {
                scope
                    .strip_suffix(EXTRA_SUFFIX)
                    .and_then(item_index)
                    .and_then(|i| order.items.get_mut(i))
                    .map(|item| &mut item.extra)
            };
            if let Some(extra) = extra {
                reorder(extra, &keys);
            }
        }
    }
}

/// The end of an item's `extra` scope: `items[0].extra`.
const EXTRA_SUFFIX: &str = ".extra";

/// `items[12]` → 12.
fn item_index(scope: &str) -> Option<usize> {
    scope
        .strip_prefix("items[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// The raw value a `raw` note's path names: `extra_inputs`, `extra.key` or
/// `items[0].extra.key`.
fn raw_target<'o>(order: &'o mut Order, path: &str) -> Option<&'o mut RawJson> {
    if path == OrderField::ExtraInputs.key() {
        return Some(&mut order.extra_inputs);
    }
    if let Some(key) = path.strip_prefix("extra.") {
        return order.extra.get_mut(key);
    }
    let (scope, key) = path.split_once("].extra.")?;
    let i = item_index(&format!("{scope}]"))?;
    order.items.get_mut(i)?.extra.get_mut(key)
}

/// Puts the listed keys first, in the listed order; the others follow as they were.
fn reorder(extra: &mut ExtraFields, keys: &[String]) {
    let mut old = std::mem::take(extra);
    for key in keys {
        if let Some((key, value)) = old.shift_remove_entry(key.as_str()) {
            extra.insert(key, value);
        }
    }
    extra.extend(old);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_scopes() {
        assert_eq!(item_index("items[0]"), Some(0));
        assert_eq!(item_index("items[12]"), Some(12));
        assert_eq!(item_index("items[x]"), None);
        assert_eq!(item_index("item[1]"), None);
    }

    #[test]
    fn raw_paths() {
        let raw = |t: &str| RawJson::from_json(t).unwrap();
        let mut order = Order::new("1");
        order.extra.insert("a.b".into(), raw("1"));
        let mut item = crate::Item::default();
        item.extra.insert("x].extra.y".into(), raw("2"));
        order.items.push(item);
        assert_eq!(raw_target(&mut order, "extra.a.b").unwrap().get(), "1");
        assert_eq!(
            raw_target(&mut order, "items[0].extra.x].extra.y")
                .unwrap()
                .get(),
            "2"
        );
        assert!(raw_target(&mut order, "extra_inputs").is_some());
        assert!(raw_target(&mut order, "a.b").is_none());
        assert!(raw_target(&mut order, "items[1].extra.x").is_none());
    }

    #[test]
    fn reorder_keeps_unlisted_keys() {
        let raw = |t: &str| RawJson::from_json(t).unwrap();
        let mut extra: ExtraFields = [("a", "1"), ("b", "2"), ("c", "3")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), raw(v)))
            .collect();
        reorder(&mut extra, &["c".into(), "zz".into(), "a".into()]);
        let keys: Vec<&str> = extra.keys().map(String::as_str).collect();
        assert_eq!(keys, ["c", "a", "b"]);
    }

    #[test]
    fn raw_text_that_a_value_keeps() {
        let raw = |t: &str| RawJson::from_json(t).unwrap();
        assert!(survives_value(&raw(r#"{"a":[1,"x",null]}"#)));
        assert!(!survives_value(&raw("[ ]")));
        // Key order survives exactly when serde_json keeps it (its `preserve_order` feature,
        // which another crate in the build may turn on): the note is needed only when not.
        let keeps_order = serde_json::from_str::<serde_json::Value>(r#"{"b":1,"a":2}"#)
            .and_then(|v| serde_json::to_string(&v))
            .is_ok_and(|text| text == r#"{"b":1,"a":2}"#);
        assert_eq!(survives_value(&raw(r#"{"b":1,"a":2}"#)), keeps_order);
        assert!(!survives_value(&raw("2.50")));
        assert!(!survives_value(&raw("1e3")));
    }
}
