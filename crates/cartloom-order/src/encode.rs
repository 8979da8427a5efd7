//! Writing an [`Order`] back: Cartloom's wire JSON, the `order=` form, and the typed JSON view.
//!
//! # The wire JSON ([`encode_json`])
//!
//! Written the way Cartloom writes it: one compact object, the documented keys in the order
//! of Cartloom's sample, then unknown keys in the order they arrived; every value a JSON
//! string except `subscribed` (a number) and the raw JSON values (`extra_inputs`, unknown
//! fields, written byte for byte). Text is kept: ids stay zero-padded, amounts keep their
//! scale, dates keep the spelling they arrived in (glued, zero date or `""`). Strings are
//! escaped as `serde_json` escapes them (`"`, `\`, control characters; `/` and non-ASCII are
//! written as is). See [the payload docs](crate::payload) for the few values whose text is
//! normalized.
//!
//! # The `order=` form ([`encode_form`])
//!
//! `order=` and the wire JSON percent-encoded as PHP's `urlencode` does (space as `+`),
//! sent as `application/x-www-form-urlencoded`.
//!
//! # The JSON view (`Serialize` and `Deserialize` of [`Order`] and [`ReceivedOrder`])
//!
//! What the `cartwire` command prints, for people and scripts: one object with the wire's
//! documented keys, in the wire's order, with typed values: flags as booleans, amounts as
//! decimal strings (`"19.95"`), quantities and counters as numbers, `subscribed` as a
//! boolean, dates as `YYYY-MM-DDTHH:MM:SS` (ISO 8601 without an offset: the wire has none,
//! the time is the store's wall clock) or `null`, the shipping fields `null` when there is no
//! shipping address, `extra_inputs` as received. Then:
//!
//! * `extra`: the unknown fields, an object in arrival order, each value the JSON received
//!   (always present, `{}` when there are none). Each item has its own `extra` likewise. So
//!   an unknown field can have any name (`verified`, `_wire`, `extra`) without clashing
//!   with the view's own keys.
//! * `_wire`: what typed JSON cannot show (below), present only when needed.
//!
//! The view has no `verified` and no `dedup_key`: the `cartwire` command adds both, and
//! reading a view back skips them.
//!
//! ```json
//! {"oid": "0000123456", "…": "…", "items": [{"pid": "000001234", "…": "…", "extra": {}}],
//!  "subscribed": true, "extra": {"affiliate_id": "000042"},
//!  "_wire": {"date": "2013-02-0904:30:25", "raw": {"extra_inputs": "[ ]"}}}
//! ```
//!
//! `_wire` keeps the wire text, so that reading the view back gives the same wire bytes, even
//! after the view has been through a `serde_json::Value` (which sorts object keys and
//! rewrites numbers):
//!
//! ```json
//! "_wire": {
//!   "date": "2013-02-0904:30:25",
//!   "shipping_date": null,
//!   "raw": {"extra_inputs": "[ ]", "items[0].extra.license": "{\"seats\": \"5\"}"},
//!   "key_order": {"extra": ["zeta", "alpha"], "items[0].extra": ["upsell_of", "license"]},
//!   "body": "form"
//! }
//! ```
//!
//! * `date`, `shipping_date`: the wire text of a date not written `YYYY-MM-DD HH:MM:SS` (or
//!   the zero date for none), such as the glued form or `""`; `null` for a JSON `null`.
//! * `raw`: the exact text of `extra_inputs` or of an unknown field (`extra.key`, or
//!   `items[0].extra.key` for an item's) whose compact `serde_json` form differs from it
//!   (spaces, `2.50`, key order).
//! * `key_order`: the arrival order of unknown fields (`extra` for the order's,
//!   `items[0].extra` for an item's) when it is not sorted.
//! * `body`: `"form"` in the view of a [`ReceivedOrder`] that came as the `order=` form; a
//!   view without it (or with `"json"`) stands for a raw JSON body, any other value is an
//!   error naming `_wire.body`. [`Order`]'s own view never has it; reading one into an
//!   [`Order`] drops it.
//!
//! Reading the view back applies a note only while it still describes the value next to it
//! (the same time, the same JSON value, the same keys): a note left behind after an edit is
//! ignored. It also accepts unknown fields at the top level of an order or item (as the wire
//! JSON has them) and files them under `extra`; [`decode`](crate::decode()) is the way to
//! read the wire JSON, though (it enforces the limits and keeps date text).
//!
//! ```
//! use cartloom_order::{samples, BodyShape, Decoder, ReceivedOrder};
//!
//! let received = Decoder::new().decode_shaped(samples::ORDER_FORM.as_bytes())?;
//! let view = serde_json::to_value(&received)?;
//! assert_eq!(view["_wire"]["body"], "form");
//! assert_eq!(view["extra"], serde_json::json!({}));
//! let back: ReceivedOrder = serde_json::from_value(view)?;
//! assert_eq!(back, received);
//! assert_eq!(back.encode(), samples::ORDER_FORM.trim());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt::Write as _;

use cartwire_core::Decimal;
use cartwire_core::form::FormEncoder;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::decode::{BodyShape, Ctx, Decoder, ItemSeed, Mode, OrderSeed};
use crate::fields::{EXTRA_KEY, ItemField, OrderField, WIRE_NOTES_KEY};
use crate::notes::WireNotes;
use crate::payload::{
    ExtraFields, Item, Order, RawJson, ReceivedOrder, ShippingAddress, WireDateTime,
};

/// Writes the order as Cartloom's wire JSON.
///
/// ```
/// let body = include_bytes!("../tests/fixtures/vendor-sample.compact.json");
/// let order = cartloom_order::decode(body)?;
/// assert_eq!(cartloom_order::encode_json(&order).as_bytes(), body);
/// # Ok::<(), cartloom_order::Error>(())
/// ```
pub fn encode_json(order: &Order) -> String {
    let mut out = String::with_capacity(1024 + order.items.len() * 512);
    write_order(&mut out, order);
    out
}

/// Writes the order as the `order=` form body, percent-encoded as PHP's `urlencode` does.
pub fn encode_form(order: &Order) -> String {
    let mut form = FormEncoder::new();
    form.pair("order", &encode_json(order));
    form.finish()
}

/// Writes the order in the given shape.
pub fn encode(order: &Order, shape: BodyShape) -> String {
    match shape {
        BodyShape::Json => encode_json(order),
        BodyShape::Form => encode_form(order),
    }
}

/// One field's value, borrowed from an order or an item; both writers read fields through
/// this, so the wire and the view cannot disagree on what a field holds.
enum Field<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Money(&'a Decimal),
    OptMoney(Option<&'a Decimal>),
    Flag(bool),
    Count(u32),
    Date(&'a WireDateTime),
    Raw(&'a RawJson),
    Items(&'a [Item]),
    /// `subscribed`: a number on the wire.
    NumericFlag(bool),
    /// A `shipping_*` text field; `None` when there is no shipping address.
    ShipText(Option<&'a str>),
    /// `shipping_company`; the outer `None` when there is no shipping address.
    ShipCompany(Option<Option<&'a str>>),
}

fn order_field(order: &Order, field: OrderField) -> Field<'_> {
    use Field::*;
    use OrderField as F;
    let ship = order.shipping.as_ref().filter(|s| !s.is_blank());
    let ship_text = |get: fn(&ShippingAddress) -> &str| ShipText(ship.map(get));
    let b = &order.billing;
    match field {
        F::Oid => Text(&order.oid),
        F::Invoice => Text(&order.invoice),
        F::UniqueId => Text(&order.unique_id),
        F::OnHold => Flag(order.on_hold),
        F::Date => Date(&order.date),
        F::IpAddress => Text(&order.ip_address),
        F::PaymentType => Text(&order.payment_type),
        F::TransId => Text(&order.trans_id),
        F::Subtotal => Money(&order.subtotal),
        F::ProcessingFee => Money(&order.processing_fee),
        F::Grandtotal => Money(&order.grandtotal),
        F::Refunded => Flag(order.refunded),
        F::RefundAmount => OptMoney(order.refund_amount.as_ref()),
        F::ShippingAmount => Money(&order.shipping_amount),
        F::ShippingTitle => Text(&order.shipping_title),
        F::ShippingStatus => Text(order.shipping_status.as_str()),
        F::ShippingDate => Date(&order.shipping_date),
        F::ShippingTrackingNumber => Text(&order.shipping_tracking_number),
        F::TaxAmount => Money(&order.tax_amount),
        F::TaxTitle => Text(&order.tax_title),
        F::DiscountCode => Text(&order.discount_code),
        F::DiscountAmount => Money(&order.discount_amount),
        F::DiscountTitle => Text(&order.discount_title),
        F::BillingFirstName => Text(&b.first_name),
        F::BillingLastName => Text(&b.last_name),
        F::BillingCompany => OptText(b.company.as_deref()),
        F::BillingEmail => Text(&b.email),
        F::BillingPhone => Text(&b.phone),
        F::BillingAddress1 => Text(&b.address1),
        F::BillingAddress2 => Text(&b.address2),
        F::BillingCity => Text(&b.city),
        F::BillingState => Text(&b.state),
        F::BillingPostalCode => Text(&b.postal_code),
        F::BillingCountry => Text(&b.country),
        F::ShippingFirstName => ship_text(|s| &s.first_name),
        F::ShippingLastName => ship_text(|s| &s.last_name),
        F::ShippingCompany => ShipCompany(ship.map(|s| s.company.as_deref())),
        F::ShippingAddress1 => ship_text(|s| &s.address1),
        F::ShippingAddress2 => ship_text(|s| &s.address2),
        F::ShippingCity => ship_text(|s| &s.city),
        F::ShippingState => ship_text(|s| &s.state),
        F::ShippingPostalCode => ship_text(|s| &s.postal_code),
        F::ShippingCountry => ship_text(|s| &s.country),
        F::Comments => Text(&order.comments),
        F::Notes => Text(&order.notes),
        F::ExtraInputs => Raw(&order.extra_inputs),
        F::CardNumber => Text(&order.card_number),
        F::CardType => Text(&order.card_type),
        F::VatNumber => OptText(order.vat_number.as_deref()),
        F::Items => Items(&order.items),
        F::Subscribed => NumericFlag(order.subscribed),
    }
}

fn item_field(item: &Item, field: ItemField) -> Field<'_> {
    use Field::*;
    use ItemField as F;
    match field {
        F::Pid => Text(&item.pid),
        F::ItemId => Text(&item.item_id),
        F::Qty => Count(item.qty),
        F::Title => Text(&item.title),
        F::Sku => Text(&item.sku),
        F::SendLink => Flag(item.send_link),
        F::Category => Text(&item.category),
        F::Options => Text(&item.options),
        F::Digital => Flag(item.digital),
        F::FileUrl => Text(&item.file_url),
        F::Price => Money(&item.price),
        F::SerialNums => Text(&item.serial_nums),
        F::DlCnt => Count(item.dl_cnt),
        F::DlMax => Count(item.dl_max),
        F::DlUnlimited => Flag(item.dl_unlimited),
        F::Did => Text(&item.did),
        F::PartOfBundle => Flag(item.part_of_bundle),
        F::BundleId => Text(&item.bundle_id),
        F::BundleName => Text(&item.bundle_name),
    }
}

// ---------------------------------------------------------------------------------------
// The wire writer: a small JSON writer of its own, so that encoding cannot fail and writes
// the raw values byte for byte.

fn write_order(out: &mut String, order: &Order) {
    out.push('{');
    for (i, field) in OrderField::ALL.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_key(out, field.key());
        write_wire_value(out, order_field(order, *field));
    }
    write_extra(out, &order.extra, |key| OrderField::from_key(key).is_some());
    out.push('}');
}

fn write_item(out: &mut String, item: &Item) {
    out.push('{');
    for (i, field) in ItemField::ALL.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_key(out, field.key());
        write_wire_value(out, item_field(item, *field));
    }
    write_extra(out, &item.extra, |key| ItemField::from_key(key).is_some());
    out.push('}');
}

/// Unknown fields, after the known ones; a key that names a documented field (which only
/// code can put there) is skipped, so the object never holds a key twice.
fn write_extra(out: &mut String, extra: &ExtraFields, known: fn(&str) -> bool) {
    for (key, value) in extra {
        if known(key) {
            continue;
        }
        out.push(',');
        write_str(out, key);
        out.push(':');
        out.push_str(value.get());
    }
}

/// A documented key and its colon: the keys are plain ASCII, nothing to escape.
fn write_key(out: &mut String, key: &str) {
    out.push('"');
    out.push_str(key);
    out.push_str("\":");
}

/// A count as a JSON string, without going through `fmt`.
fn write_count(out: &mut String, mut count: u32) {
    let mut digits = [b'0'; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(d) = digits.get_mut(start) {
            // `count % 10` is below 10, so the cast cannot truncate.
            *d = b'0' + (count % 10) as u8;
        }
        count /= 10;
        if count == 0 || start == 0 {
            break;
        }
    }
    out.push('"');
    for d in digits.get(start..).unwrap_or_default() {
        out.push(char::from(*d));
    }
    out.push('"');
}

fn write_wire_value(out: &mut String, value: Field<'_>) {
    match value {
        Field::Text(text) | Field::ShipText(Some(text)) => write_str(out, text),
        Field::ShipText(None) | Field::ShipCompany(None) => out.push_str("\"\""),
        Field::OptText(text) | Field::ShipCompany(Some(text)) => match text {
            Some(text) => write_str(out, text),
            None => out.push_str("null"),
        },
        Field::Money(amount) | Field::OptMoney(Some(amount)) => {
            out.push('"');
            let _ = write!(out, "{amount}");
            out.push('"');
        }
        Field::OptMoney(None) => out.push_str("\"\""),
        Field::Flag(flag) => out.push_str(if flag { "\"1\"" } else { "\"0\"" }),
        Field::NumericFlag(flag) => out.push(if flag { '1' } else { '0' }),
        Field::Count(count) => write_count(out, count),
        Field::Date(date) => match date.wire_text() {
            Some(text) => write_str(out, &text),
            None => out.push_str("null"),
        },
        Field::Raw(raw) => out.push_str(raw.get()),
        Field::Items(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_item(out, item);
            }
            out.push(']');
        }
    }
}

/// A JSON string, escaped exactly as `serde_json` escapes it.
///
/// Every byte that needs escaping is ASCII, so scanning bytes never splits a UTF-8
/// sequence: the text between escapes is copied in whole runs.
fn write_str(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape: &str = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0x00..=0x1F => "",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            for nibble in [byte >> 4, byte & 0xF] {
                out.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out.push('"');
}

// ---------------------------------------------------------------------------------------
// The JSON view.

/// A field's value in the JSON view.
struct View<'a>(Field<'a>);

impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Field::Text(text) | Field::ShipText(Some(text)) => s.serialize_str(text),
            Field::OptText(text) | Field::ShipCompany(Some(text)) => match text {
                Some(text) => s.serialize_str(text),
                None => s.serialize_none(),
            },
            Field::ShipText(None) | Field::ShipCompany(None) | Field::OptMoney(None) => {
                s.serialize_none()
            }
            Field::Money(amount) | Field::OptMoney(Some(amount)) => s.collect_str(amount),
            Field::Flag(flag) | Field::NumericFlag(flag) => s.serialize_bool(*flag),
            Field::Count(count) => s.serialize_u32(*count),
            Field::Date(date) => cartwire_core::scalar::naive_datetime::serialize(&date.value(), s),
            Field::Raw(raw) => raw.serialize(s),
            Field::Items(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in *items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

/// Unknown fields as the view's `extra` object, in arrival order; a name that is a
/// documented key (which only code can put there, and the wire writer skips) is skipped too.
struct ExtraView<'a> {
    extra: &'a ExtraFields,
    known: fn(&str) -> bool,
}

impl Serialize for ExtraView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (key, value) in self.extra {
            if !(self.known)(key) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// The view of `order`, noting the body shape when known.
fn serialize_order<S: Serializer>(
    order: &Order,
    shape: Option<BodyShape>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    for field in OrderField::ALL {
        map.serialize_entry(field.key(), &View(order_field(order, *field)))?;
    }
    let extra = ExtraView {
        extra: &order.extra,
        known: |key| OrderField::from_key(key).is_some(),
    };
    map.serialize_entry(EXTRA_KEY, &extra)?;
    let notes = WireNotes::of(order, shape);
    if !notes.is_empty() {
        map.serialize_entry(WIRE_NOTES_KEY, &notes)?;
    }
    map.end()
}

/// Reads a view with `ctx`, turning the first typed error into the format's error.
fn deserialize_order<'de, D: Deserializer<'de>>(d: D, ctx: &Ctx) -> Result<Order, D::Error> {
    OrderSeed { ctx }
        .deserialize(d)
        .map_err(|err| match ctx.take() {
            Some(typed) => de::Error::custom(typed),
            None => err,
        })
}

/// The order's JSON view: see [the module docs](self).
impl Serialize for Order {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_order(self, None, s)
    }
}

/// The order's JSON view, with `"_wire": {"body": "form"}` when it came as a form: see
/// [the module docs](self).
impl Serialize for ReceivedOrder {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_order(&self.order, Some(self.shape), s)
    }
}

/// The item's JSON view, as in the order's.
impl Serialize for Item {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for field in ItemField::ALL {
            map.serialize_entry(field.key(), &View(item_field(self, *field)))?;
        }
        let extra = ExtraView {
            extra: &self.extra,
            known: |key| ItemField::from_key(key).is_some(),
        };
        map.serialize_entry(EXTRA_KEY, &extra)?;
        map.end()
    }
}

/// Reads the JSON view back (see [the module docs](self)); `_wire.body` is ignored. Errors
/// name the field.
impl<'de> Deserialize<'de> for Order {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let ctx = Ctx::new(Mode::View, Decoder::DEFAULT_MAX_ITEMS);
        deserialize_order(d, &ctx)
    }
}

/// Reads the JSON view back, the shape from `_wire.body` (raw JSON when absent). Errors name
/// the field.
impl<'de> Deserialize<'de> for ReceivedOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let ctx = Ctx::new(Mode::View, Decoder::DEFAULT_MAX_ITEMS);
        let order = deserialize_order(d, &ctx)?;
        let shape = ctx.noted_shape().unwrap_or(BodyShape::Json);
        Ok(ReceivedOrder::new(order, shape))
    }
}

/// Reads one item of the JSON view.
impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let ctx = Ctx::new(Mode::View, 1);
        ItemSeed {
            ctx: &ctx,
            index: 0,
        }
        .deserialize(d)
        .map_err(|err| match ctx.take() {
            Some(typed) => de::Error::custom(typed),
            None => err,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        for count in [0, 1, 9, 10, 99, 100, 4_294_967_295, 1_000_000_000] {
            let mut out = String::new();
            write_count(&mut out, count);
            assert_eq!(out, format!("\"{count}\""));
        }
    }

    #[test]
    fn documented_keys_need_no_escaping() {
        for key in crate::ORDER_KEYS.iter().chain(crate::ITEM_KEYS) {
            let mut out = String::new();
            write_key(&mut out, key);
            assert_eq!(out, format!("{}:", serde_json::to_string(key).unwrap()));
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let mut all = String::new();
        for c in (0u32..0x80).filter_map(char::from_u32) {
            all.push(c);
        }
        all.push_str("é—😀\u{7f}\u{2028}/");
        for text in ["", "plain", "a\"b\\c", "\u{0}\u{1f}", all.as_str()] {
            let mut out = String::new();
            write_str(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }
}
