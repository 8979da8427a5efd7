//! Writing the wire form: customer objects the way Cartfunnel writes them, and request bodies.
//!
//! The canonical wire form follows the vendor's examples: every documented attribute present,
//! booleans as the strings `"true"`/`"false"`, a missing `last_order_id` as the string
//! `"null"`, other absent values as JSON `null`, times with milliseconds, `tag_list` as one
//! comma-separated string, `errors` only when there are some, and unknown attributes after
//! the known ones. Request bodies send only what was set, with JSON booleans.
//!
//! Objects are [`serde_json::Map`]s, so their keys come out in that map's order (sorted,
//! unless some crate in the build enables serde_json's `preserve_order`); JSON readers,
//! Cartfunnel's included, do not care.
//!
//! Every function here is infallible: the JSON is built as a [`serde_json::Value`], whose
//! text form cannot fail.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::{Customer, CustomerUpdate, NewCustomer, TagList};

const MILLIS: &[BorrowedFormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3][offset_hour sign:mandatory]:[offset_minute]"
);

/// Formats a time as the vendor does: RFC 3339 with milliseconds and a numeric offset
/// (`2018-12-04T23:29:37.406-05:00`). A time with digits past the millisecond keeps them
/// (plain RFC 3339), so nothing read is lost.
pub fn format_timestamp(time: OffsetDateTime) -> String {
    let formatted = if time.nanosecond().is_multiple_of(1_000_000) {
        time.format(MILLIS)
    } else {
        time.format(&Rfc3339)
    };
    // Formatting fails only for years outside 0..=9999, which RFC 3339 cannot express and no
    // parse produces; fall back to the full-precision form rather than fail.
    formatted
        .or_else(|_| time.format(&Rfc3339))
        .unwrap_or_else(|_| cartwire_core::scalar::format_rfc3339(time))
}

fn text(value: Option<&str>) -> Value {
    value.map_or(Value::Null, |v| Value::String(v.to_owned()))
}

fn flag_text(value: Option<bool>) -> Value {
    match value {
        Some(true) => Value::String("true".to_owned()),
        Some(false) => Value::String("false".to_owned()),
        None => Value::Null,
    }
}

fn number<T: Into<serde_json::Number>>(value: Option<T>) -> Value {
    value.map_or(Value::Null, |v| Value::Number(v.into()))
}

fn time_text(value: Option<OffsetDateTime>) -> Value {
    value.map_or(Value::Null, |t| Value::String(format_timestamp(t)))
}

fn insert_extra(map: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (key, value) in extra {
        // A typed field of the same name wins.
        if !map.contains_key(key) {
            map.insert(key.clone(), value.clone());
        }
    }
}

/// A customer object in the canonical wire form.
pub fn customer(c: &Customer) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), Value::Number(c.id.into()));
    map.insert("email".into(), text(c.email.as_deref()));
    map.insert("created_at".into(), time_text(c.created_at));
    map.insert("updated_at".into(), time_text(c.updated_at));
    map.insert("accepts_marketing".into(), flag_text(c.accepts_marketing));
    map.insert("first_name".into(), text(c.first_name.as_deref()));
    map.insert("last_name".into(), text(c.last_name.as_deref()));
    map.insert("note".into(), text(c.note.as_deref()));
    map.insert("orders_count".into(), number(c.orders_count));
    map.insert("total_spent_cents".into(), number(c.total_spent_cents));
    map.insert("tax_exempt".into(), flag_text(c.tax_exempt));
    map.insert("subscriptions_count".into(), number(c.subscriptions_count));
    map.insert(
        "last_order_id".into(),
        c.last_order_id.map_or_else(
            || Value::String("null".to_owned()),
            |id| Value::Number(id.into()),
        ),
    );
    if let Some(tags) = &c.tag_list {
        map.insert("tag_list".into(), Value::String(tags.to_wire()));
    }
    map.insert("persisted".into(), flag_text(c.persisted));
    if !c.errors.is_empty() {
        map.insert(
            "errors".into(),
            Value::Array(c.errors.iter().cloned().map(Value::String).collect()),
        );
    }
    for (key, raw) in &c.extra {
        // A typed field of the same name wins.
        if !map.contains_key(key) {
            // What a `Value` cannot hold (a number past f64's range such as `1e400`; nesting
            // past 128 levels, which decoding refuses) goes out as its text in a string
            // rather than not at all; the typed form (`Serialize`) writes it as it came.
            let value = raw
                .to_value()
                .unwrap_or_else(|_| Value::String(raw.get().to_owned()));
            map.insert(key.clone(), value);
        }
    }
    Value::Object(map)
}

/// A page of customers (the list endpoint's body): a JSON array of wire-form objects.
pub fn customer_page(customers: &[Customer]) -> Value {
    Value::Array(customers.iter().map(customer).collect())
}

#[derive(Default)]
struct Writable<'a> {
    email: Option<&'a str>,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    note: Option<&'a str>,
    tax_exempt: Option<bool>,
    accepts_marketing: Option<bool>,
    tag_list: Option<&'a TagList>,
    extra: Option<&'a Map<String, Value>>,
}

impl Writable<'_> {
    fn fields(&self) -> Map<String, Value> {
        let mut map = Map::new();
        let mut put_text = |name: &str, value: Option<&str>| {
            if let Some(v) = value {
                map.insert(name.to_owned(), Value::String(v.to_owned()));
            }
        };
        put_text("email", self.email);
        put_text("first_name", self.first_name);
        put_text("last_name", self.last_name);
        put_text("note", self.note);
        if let Some(v) = self.tax_exempt {
            map.insert("tax_exempt".into(), Value::Bool(v));
        }
        if let Some(v) = self.accepts_marketing {
            map.insert("accepts_marketing".into(), Value::Bool(v));
        }
        if let Some(tags) = self.tag_list {
            map.insert("tag_list".into(), Value::String(tags.to_wire()));
        }
        if let Some(extra) = self.extra {
            insert_extra(&mut map, extra);
        }
        map
    }
}

fn envelope(fields: Map<String, Value>) -> Value {
    let mut body = Map::new();
    body.insert("customer".into(), Value::Object(fields));
    Value::Object(body)
}

/// The attributes of a new customer, as they go under `"customer"`.
pub fn new_customer_fields(c: &NewCustomer) -> Map<String, Value> {
    Writable {
        email: Some(c.email()),
        first_name: c.first_name.as_deref(),
        last_name: c.last_name.as_deref(),
        note: c.note.as_deref(),
        tax_exempt: c.tax_exempt,
        accepts_marketing: c.accepts_marketing,
        tag_list: c.tag_list.as_ref(),
        extra: Some(&c.extra),
    }
    .fields()
}

/// The body of `POST /customers.json`: `{"customer": {…}}`.
pub fn new_customer_body(c: &NewCustomer) -> Value {
    envelope(new_customer_fields(c))
}

/// The attributes of an update, as they go under `"customer"`: only those set.
pub fn customer_update_fields(u: &CustomerUpdate) -> Map<String, Value> {
    Writable {
        first_name: u.first_name.as_deref(),
        last_name: u.last_name.as_deref(),
        note: u.note.as_deref(),
        tax_exempt: u.tax_exempt,
        accepts_marketing: u.accepts_marketing,
        tag_list: u.tag_list.as_ref(),
        extra: Some(&u.extra),
        ..Writable::default()
    }
    .fields()
}

/// The body of `PATCH /customers/:id.json`: `{"customer": {…}}`.
pub fn customer_update_body(u: &CustomerUpdate) -> Value {
    envelope(customer_update_fields(u))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    #[test]
    fn timestamps_keep_milliseconds_and_offset() {
        assert_eq!(
            format_timestamp(datetime!(2018-12-04 23:29:37.406 -05:00)),
            "2018-12-04T23:29:37.406-05:00"
        );
        assert_eq!(
            format_timestamp(datetime!(2018-12-04 23:29:37.4 -05:00)),
            "2018-12-04T23:29:37.400-05:00"
        );
        assert_eq!(
            format_timestamp(datetime!(2018-12-04 23:29:37 UTC)),
            "2018-12-04T23:29:37.000+00:00"
        );
        // Finer than a millisecond: nothing is dropped.
        assert_eq!(
            format_timestamp(datetime!(2018-12-04 23:29:37.406123 +01:30)),
            "2018-12-04T23:29:37.406123+01:30"
        );
        // Outside RFC 3339's years: no panic, still some text.
        assert!(!format_timestamp(datetime!(-0001-01-01 00:00 UTC)).is_empty());
    }

    #[test]
    fn request_bodies_send_only_what_is_set() {
        let c = NewCustomer::new("a@example.com")
            .unwrap()
            .tax_exempt(false)
            .field(
                "first_name",
                "ignored: the typed field is unset, so this one goes",
            )
            .field("company", "ACME");
        assert_eq!(
            new_customer_body(&c),
            json!({"customer": {
                "email": "a@example.com", "tax_exempt": false,
                "first_name": "ignored: the typed field is unset, so this one goes",
                "company": "ACME"
            }})
        );
        let u = CustomerUpdate::new()
            .note("")
            .tag_list(TagList::new())
            .field("note", "the typed field wins");
        assert_eq!(
            customer_update_body(&u),
            json!({"customer": {"note": "", "tag_list": ""}})
        );
        assert_eq!(
            customer_update_body(&CustomerUpdate::new()),
            json!({"customer": {}})
        );
    }

    #[test]
    fn a_bare_customer_writes_every_documented_attribute() {
        let wire = customer(&Customer::new(7));
        assert_eq!(
            wire,
            json!({
                "id": 7, "email": null, "created_at": null, "updated_at": null,
                "accepts_marketing": null, "first_name": null, "last_name": null, "note": null,
                "orders_count": null, "total_spent_cents": null, "tax_exempt": null,
                "subscriptions_count": null, "last_order_id": "null", "persisted": null
            })
        );
    }
}
