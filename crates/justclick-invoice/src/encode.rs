//! Encoding a [`Notification`] as the form body JustClick sends.
//!
//! JustClick's servers are PHP: they build an array and POST it with `http_build_query`, so
//! the body has bracket keys percent-encoded (`items%5B0%5D%5Bsum%5D`), values encoded as
//! PHP's `urlencode` does (space as `+`), UTF-8 throughout. The encoder writes exactly that,
//! with the form encoder of cartwire's core.
//!
//! # Field order and presence
//!
//! Fields are written in the order of JustClick's pages, merged into one order for all kinds:
//!
//! `status`, `id`, `first_name`, `last_name`, `middle_name`, `email`, `phone`, `city`,
//! `country`, `address`, `region`, `postalcode`, `created`, `paid`, `last_payment_sum`,
//! `prepayment_sum`, `comment`, `tag`, `kupon`/`coupon`, `type`, `payway`, `domain`, `link`,
//! `is_recurrent`, `utm[medium|source|campaign|content|term]`,
//! `items[n][id|title|sum|price|pincode|partners[m][partner_lvl|partner_id|partner_name|partner_fee]]`,
//! the unknown fields, `hash`.
//!
//! Each kind always writes the fields its vendor page lists, empty when they have no value,
//! as PHP does; a field that the page does not list for the kind is written only when it has
//! a value (a `link` on a paid notification, the payment fields of a refund). Items are
//! renumbered from 0 in their order. Unknown fields (`extra`) are written back where they
//! belong (top level, `utm`, each item, each partner), before `hash`, which stays last.
//!
//! An unknown kind is written as `status`, `id`, `email`, `created` (each only when it was
//! present), its other fields in their order, and `hash` (when present).
//!
//! Decisions where the pages are silent: prepaid notifications are written as paid ones plus
//! `prepayment_sum` after `last_payment_sum`; refunds (`moneyback`) as cancellations, plus
//! the payment fields that have a value; the coupon is `coupon` on paid and prepaid
//! notifications and `kupon` on all others.

use std::borrow::Cow;

use cartwire_core::Decimal;
use cartwire_core::form::{FormEncoder, FormValue};

use crate::payload::{Extra, Invoice, Item, Kind, Notification, Payment, UnixTime, Unknown, Utm};
use crate::receive::JustClickKey;

/// Encodes the notification as the form body JustClick sends, with the `hash` it holds.
///
/// To compute the hash, use [`encode_signed`] (or [`Notification::sign`] first).
///
/// ```
/// use justclick_invoice::{Cancelled, Invoice, encode};
///
/// let invoice = Invoice::new("1001", "ivan@example.ru");
/// let body = encode(&Cancelled::new(invoice).into());
/// assert!(body.starts_with("status=cancel_order&id=1001&first_name=&"));
/// assert!(body.contains("&email=ivan%40example.ru&"));
/// assert!(body.ends_with("&utm%5Bterm%5D=&hash="));
/// ```
pub fn encode(notification: &Notification) -> String {
    let mut encoder = FormEncoder::new();
    plan(notification).write_top(&mut encoder);
    encoder.finish()
}

/// Encodes the notification with its `hash` computed with `key` (the stored hash is
/// ignored): the body a JustClick server holding this key would send.
///
/// ```
/// use justclick_invoice::{Created, Delivery, Invoice, JustClickKey, Receiver, UnixTime, encode_signed};
///
/// let mut invoice = Invoice::new("1001", "ivan@example.ru");
/// invoice.created = UnixTime::from_seconds(1_712_044_800).unwrap();
/// let key = JustClickKey::new("test-key")?;
/// let body = encode_signed(&Created::new(invoice).into(), &key);
/// assert!(key.receive(&Delivery::post("/hook", body.as_bytes())).is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn encode_signed(notification: &Notification, key: &JustClickKey) -> String {
    let mut signed = notification.clone();
    signed.sign(key);
    encode(&signed)
}

/// A leaf of the plan: a value with its type, so the wire form and the JSON form are written
/// from one description.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Leaf<'a> {
    Text(&'a str),
    Money(Option<&'a Decimal>),
    Time(&'a UnixTime),
    Flag(Option<bool>),
    Level(Option<u32>),
}

impl Leaf<'_> {
    fn is_empty(&self) -> bool {
        match self {
            Leaf::Text(text) => text.is_empty(),
            Leaf::Money(money) => money.is_none(),
            Leaf::Time(time) => time.is_empty(),
            Leaf::Flag(flag) => flag.is_none(),
            Leaf::Level(level) => level.is_none(),
        }
    }

    /// The text on the wire.
    pub(crate) fn wire(&self) -> Cow<'_, str> {
        match self {
            Leaf::Text(text) => Cow::Borrowed(text),
            Leaf::Money(Some(money)) => Cow::Owned(money.to_string()),
            Leaf::Time(time) => Cow::Borrowed(time.raw()),
            Leaf::Flag(Some(true)) => Cow::Borrowed("1"),
            Leaf::Flag(Some(false)) => Cow::Borrowed("0"),
            Leaf::Level(Some(level)) => Cow::Owned(level.to_string()),
            Leaf::Money(None) | Leaf::Flag(None) | Leaf::Level(None) => Cow::Borrowed(""),
        }
    }
}

/// One node of the plan.
#[derive(Debug, Clone)]
pub(crate) enum Node<'a> {
    Leaf(Leaf<'a>),
    Object(Object<'a>),
    List(Vec<Node<'a>>),
}

/// A map of the plan: the documented fields, the unknown ones, and the documented fields
/// written after the unknown ones (the `hash`), each part in wire order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Object<'a> {
    /// Documented fields written before the unknown ones.
    pub(crate) fields: Vec<(&'static str, Node<'a>)>,
    /// Unknown fields, as received, in arrival order.
    pub(crate) extra: Vec<(&'a str, &'a FormValue<'static>)>,
    /// Documented fields written after the unknown ones.
    pub(crate) last: Vec<(&'static str, Node<'a>)>,
}

impl<'a> Object<'a> {
    /// Writes the top-level object: each entry's name is the base of its keys.
    fn write_top(&self, encoder: &mut FormEncoder) {
        let mut key = String::with_capacity(64);
        for (name, node) in &self.fields {
            key.clear();
            key.push_str(name);
            node.write(encoder, &mut key);
        }
        for (name, value) in &self.extra {
            key.clear();
            key.push_str(name);
            write_raw(value, encoder, &mut key);
        }
        for (name, node) in &self.last {
            key.clear();
            key.push_str(name);
            node.write(encoder, &mut key);
        }
    }

    /// Writes a nested object's leaves; `key` holds its bracket key (`items[0]`), which the
    /// encoder percent-encodes whole, as `http_build_query` does.
    fn write(&self, encoder: &mut FormEncoder, key: &mut String) {
        for (name, node) in &self.fields {
            with_segment(key, name, |key| node.write(encoder, key));
        }
        for (name, value) in &self.extra {
            with_segment(key, name, |key| write_raw(value, encoder, key));
        }
        for (name, node) in &self.last {
            with_segment(key, name, |key| node.write(encoder, key));
        }
    }

    /// A field the kind always sends.
    fn always(&mut self, key: &'static str, leaf: Leaf<'a>) {
        self.fields.push((key, Node::Leaf(leaf)));
    }

    /// A field sent always when `always` holds, else only when it has a value.
    fn when(&mut self, always: bool, key: &'static str, leaf: Leaf<'a>) {
        if always || !leaf.is_empty() {
            self.always(key, leaf);
        }
    }

    /// A text field sent when present.
    fn present(&mut self, key: &'static str, text: Option<&'a str>) {
        if let Some(text) = text {
            self.always(key, Leaf::Text(text));
        }
    }

    fn node(&mut self, key: &'static str, node: Node<'a>) {
        self.fields.push((key, node));
    }

    /// The unknown fields, except those named like a documented field already written or
    /// like one of `reserved` (fields written after them, or typed fields that are absent).
    fn extra(&mut self, extra: &'a Extra, reserved: &[&str]) {
        for (key, value) in extra {
            let key = key.as_str();
            if !reserved.contains(&key) && !self.fields.iter().any(|(k, _)| *k == key) {
                self.extra.push((key, value));
            }
        }
    }
}

impl Node<'_> {
    /// Writes the node's leaves at `key`.
    fn write(&self, encoder: &mut FormEncoder, key: &mut String) {
        match self {
            Node::Leaf(leaf) => {
                encoder.pair(key, &leaf.wire());
            }
            Node::Object(object) => object.write(encoder, key),
            Node::List(elements) => {
                for (index, node) in elements.iter().enumerate() {
                    with_segment(key, &index.to_string(), |key| node.write(encoder, key));
                }
            }
        }
    }
}

fn write_raw(value: &FormValue<'_>, encoder: &mut FormEncoder, key: &mut String) {
    match value {
        FormValue::Text(text) => {
            encoder.pair(key, text);
        }
        FormValue::Map(map) => {
            for (name, child) in map.iter() {
                with_segment(key, name, |key| write_raw(child, encoder, key));
            }
        }
    }
}

/// Runs `f` with `[segment]` appended to `key`.
fn with_segment(key: &mut String, segment: &str, f: impl FnOnce(&mut String)) {
    let len = key.len();
    key.push('[');
    key.push_str(segment);
    key.push(']');
    f(key);
    key.truncate(len);
}

/// The typed fields of an unknown kind, in the order they are written.
pub(crate) const UNKNOWN_FIELDS: [&str; 5] = ["status", "id", "email", "created", "hash"];

/// The top-level object of a notification, in wire order.
pub(crate) fn plan(notification: &Notification) -> Object<'_> {
    let kind = notification.kind();
    let (invoice, payment, prepayment_sum) = match notification {
        Notification::Created(n) => (&n.invoice, None, None),
        Notification::Cancelled(n) => (&n.invoice, None, None),
        Notification::Paid(n) => (&n.invoice, Some(&n.payment), None),
        Notification::Prepaid(n) => (&n.invoice, Some(&n.payment), Some(&n.prepayment_sum)),
        Notification::Moneyback(n) => (&n.invoice, Some(&n.payment), None),
        Notification::Unknown(unknown) => return unknown_plan(unknown),
    };
    invoice_plan(kind, invoice, payment, prepayment_sum)
}

fn unknown_plan(unknown: &Unknown) -> Object<'_> {
    let mut o = Object::default();
    o.present("status", unknown.status.as_deref());
    o.present("id", unknown.id.as_deref());
    o.present("email", unknown.email.as_deref());
    o.present("created", unknown.created.as_deref());
    o.extra(&unknown.extra, &UNKNOWN_FIELDS);
    if let Some(hash) = &unknown.hash {
        o.last.push(("hash", Node::Leaf(Leaf::Text(hash))));
    }
    o
}

fn invoice_plan<'a>(
    kind: Kind,
    invoice: &'a Invoice,
    payment: Option<&'a Payment>,
    prepayment_sum: Option<&'a Option<Decimal>>,
) -> Object<'a> {
    // What the vendor's pages list for each kind.
    let paid_like = matches!(kind, Kind::Paid | Kind::Prepaid);
    let full = paid_like || kind == Kind::Created;
    let link = kind == Kind::Created;

    let mut e = Object::default();
    if let Some(status) = kind.status() {
        e.always("status", Leaf::Text(status));
    }
    e.always("id", Leaf::Text(&invoice.id));
    e.always("first_name", Leaf::Text(&invoice.first_name));
    e.always("last_name", Leaf::Text(&invoice.last_name));
    e.always("middle_name", Leaf::Text(&invoice.middle_name));
    e.always("email", Leaf::Text(&invoice.email));
    e.always("phone", Leaf::Text(&invoice.phone));
    e.always("city", Leaf::Text(&invoice.city));
    e.always("country", Leaf::Text(&invoice.country));
    e.when(full, "address", Leaf::Text(&invoice.address));
    e.always("region", Leaf::Text(&invoice.region));
    e.always("postalcode", Leaf::Text(&invoice.postal_code));
    e.always("created", Leaf::Time(&invoice.created));
    if let Some(payment) = payment {
        e.when(paid_like, "paid", Leaf::Time(&payment.paid));
        e.when(
            paid_like,
            "last_payment_sum",
            Leaf::Money(payment.last_payment_sum.as_ref()),
        );
    }
    if let Some(sum) = prepayment_sum {
        e.always("prepayment_sum", Leaf::Money(sum.as_ref()));
    }
    e.always("comment", Leaf::Text(&invoice.comment));
    e.when(full, "tag", Leaf::Text(&invoice.tag));
    let coupon_key = if paid_like { "coupon" } else { "kupon" };
    e.when(full, coupon_key, Leaf::Text(&invoice.coupon));
    if let Some(payment) = payment {
        e.when(paid_like, "type", Leaf::Text(&payment.payment_type));
        e.when(paid_like, "payway", Leaf::Text(&payment.payway));
    }
    e.when(full, "domain", Leaf::Text(&invoice.domain));
    e.when(link, "link", Leaf::Text(&invoice.link));
    if let Some(payment) = payment {
        e.when(paid_like, "is_recurrent", Leaf::Flag(payment.is_recurrent));
    }
    e.node("utm", utm_node(&invoice.utm));
    e.node(
        "items",
        Node::List(
            invoice
                .items
                .iter()
                .map(|item| item_node(item, paid_like))
                .collect(),
        ),
    );
    e.extra(&invoice.extra, &["hash"]);
    e.last.push(("hash", Node::Leaf(Leaf::Text(&invoice.hash))));
    e
}

fn utm_node(utm: &Utm) -> Node<'_> {
    let mut e = Object::default();
    e.always("medium", Leaf::Text(&utm.medium));
    e.always("source", Leaf::Text(&utm.source));
    e.always("campaign", Leaf::Text(&utm.campaign));
    e.always("content", Leaf::Text(&utm.content));
    e.always("term", Leaf::Text(&utm.term));
    e.extra(&utm.extra, &[]);
    Node::Object(e)
}

fn item_node(item: &Item, paid_like: bool) -> Node<'_> {
    let mut e = Object::default();
    e.always("id", Leaf::Text(&item.id));
    e.always("title", Leaf::Text(&item.title));
    e.always("sum", Leaf::Money(item.sum.as_ref()));
    e.always("price", Leaf::Money(item.price.as_ref()));
    e.when(paid_like, "pincode", Leaf::Text(&item.pincode));
    if !item.partners.is_empty() {
        let partners = item
            .partners
            .iter()
            .map(|partner| {
                let mut p = Object::default();
                p.always("partner_lvl", Leaf::Level(partner.level));
                p.always("partner_id", Leaf::Text(&partner.id));
                p.always("partner_name", Leaf::Text(&partner.name));
                p.always("partner_fee", Leaf::Money(partner.fee.as_ref()));
                p.extra(&partner.extra, &[]);
                Node::Object(p)
            })
            .collect();
        e.node("partners", Node::List(partners));
    }
    // `partners` is reserved even when there are none: an unknown `partners` would be read
    // back as the typed list.
    e.extra(&item.extra, &["partners"]);
    Node::Object(e)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::payload::{Cancelled, Created, Moneyback, Paid, Prepaid, Unknown};

    fn keys(body: &str) -> Vec<String> {
        let form = cartwire_core::form::Form::parse(body.as_bytes()).unwrap();
        form.pairs().map(|(k, _)| k.to_owned()).collect()
    }

    fn invoice() -> Invoice {
        let mut invoice = Invoice::new("1", "a@b.ru");
        invoice
            .items
            .push(Item::new("A", "Курс", Decimal::ONE, Decimal::TWO));
        invoice
    }

    const COMMON_HEAD: [&str; 9] = [
        "id",
        "first_name",
        "last_name",
        "middle_name",
        "email",
        "phone",
        "city",
        "country",
        "address",
    ];
    const UTM: [&str; 5] = [
        "utm[medium]",
        "utm[source]",
        "utm[campaign]",
        "utm[content]",
        "utm[term]",
    ];

    #[test]
    fn each_kind_writes_its_pages_fields_in_order() {
        let created = keys(&encode(&Created::new(invoice()).into()));
        let mut want = vec!["status"];
        want.extend(COMMON_HEAD);
        want.extend([
            "region",
            "postalcode",
            "created",
            "comment",
            "tag",
            "kupon",
            "domain",
            "link",
        ]);
        want.extend(UTM);
        want.extend([
            "items[0][id]",
            "items[0][title]",
            "items[0][sum]",
            "items[0][price]",
            "hash",
        ]);
        assert_eq!(created, want);

        let cancelled = keys(&encode(&Cancelled::new(invoice()).into()));
        let want_cancelled: Vec<&str> = want
            .iter()
            .copied()
            .filter(|k| !["address", "tag", "kupon", "domain", "link"].contains(k))
            .collect();
        assert_eq!(cancelled, want_cancelled);

        let paid = keys(&encode(&Paid::new(invoice(), Payment::default()).into()));
        let mut want: Vec<&str> = COMMON_HEAD.to_vec();
        want.extend([
            "region",
            "postalcode",
            "created",
            "paid",
            "last_payment_sum",
            "comment",
            "tag",
            "coupon",
            "type",
            "payway",
            "domain",
            "is_recurrent",
        ]);
        want.extend(UTM);
        want.extend([
            "items[0][id]",
            "items[0][title]",
            "items[0][sum]",
            "items[0][price]",
            "items[0][pincode]",
            "hash",
        ]);
        assert_eq!(paid, want);

        let prepaid = keys(&encode(
            &Prepaid::new(invoice(), Decimal::TEN, Payment::default()).into(),
        ));
        let mut want_prepaid = want.clone();
        want_prepaid.insert(14, "prepayment_sum");
        assert_eq!(prepaid, want_prepaid);
    }

    #[test]
    fn fields_a_page_does_not_list_are_written_only_with_a_value() {
        let mut refund = Moneyback::new(invoice());
        assert!(!keys(&encode(&refund.clone().into())).contains(&"paid".to_owned()));
        refund.payment.paid = UnixTime::from_seconds(5).unwrap();
        refund.payment.is_recurrent = Some(false);
        refund.invoice.link = "https://x.test/".into();
        let body = encode(&refund.into());
        assert!(body.contains("&created=&paid=5&comment="), "{body}");
        assert!(
            body.contains("&link=https%3A%2F%2Fx.test%2F&is_recurrent=0&"),
            "{body}"
        );
        assert!(!body.contains("last_payment_sum"));
    }

    #[test]
    fn unknown_fields_never_shadow_typed_ones_and_the_hash_stays_last() {
        let mut inv = invoice();
        inv.hash = "h".into();
        inv.extra.insert("id".into(), "forged".into());
        inv.extra.insert("hash".into(), "forged".into());
        inv.extra.insert("x".into(), "1".into());
        inv.items[0].extra.insert("sum".into(), "999".into());
        inv.utm.extra.insert("source".into(), "forged".into());
        let body = encode(&Created::new(inv).into());
        assert!(!body.contains("forged") && !body.contains("999"), "{body}");
        assert!(body.ends_with("&x=1&hash=h"), "{body}");
    }

    #[test]
    fn no_items_write_nothing_and_unknown_kinds_write_their_fields() {
        let body = encode(&Created::new(Invoice::new("1", "a")).into());
        assert!(!body.contains("items"));
        let mut unknown = Unknown::new("x y", "1", "");
        unknown.email = None;
        unknown.extra.insert("id".into(), "shadowed".into());
        unknown.extra.insert("z".into(), "2".into());
        assert_eq!(encode(&unknown.into()), "status=x+y&id=1&z=2");
    }
}
