//! Decoding a notification body into a [`Notification`].
//!
//! The body is parsed as a [`Form`] (PHP bracket keys, raw or
//! percent-encoded; repeated keys rejected; sizes and depths bounded), then the tree is read
//! field by field. Reading the tree directly, rather than through a derived serde struct,
//! keeps three things exact: the raw text of the hashed fields, the fields that are unknown
//! to each kind (kept in `extra`), and error messages that name the field as it is written on
//! the wire (`items[1][partners][0][partner_fee]`).
//!
//! # Decisions
//!
//! * `id` and `email` are required and must be non-empty on every known kind; the order is
//!   meaningless without them. A body with neither (an empty body, a JSON document, noise)
//!   is no JustClick notification at all: it is malformed, naming `id`, never an
//!   [`Unknown`] notification. Every other field is optional.
//! * An empty text, `""` or `null`, is "no value" for money, flags, levels and times. A
//!   value that is present but not of its type (`sum=12,50`, `created=yesterday`) is an error
//!   naming the field rather than a silent `None`.
//! * `utm`, `items` and `partners` must be nested keys; an empty plain value (`items=`) is
//!   read as an empty list, any other plain value is an error. Items and partners are read in
//!   index order whatever order they arrive in; the indexes need not be contiguous.
//! * `kupon` is read on created, cancelled and moneyback notifications, `coupon` on paid and
//!   prepaid ones; when only the other spelling is present it is read instead, and when both
//!   are, the other one is kept in `extra`.
//! * Fields that a kind does not define (a `paid` on a created notification, `qty` on an item)
//!   are kept in the `extra` map of the nearest enclosing struct, in arrival order. An
//!   unknown kind keeps `status`, `id`, `email`, `created` and `hash` as received (absent is
//!   `None`) and everything else in its `extra`.

use std::borrow::Cow;

use cartwire_core::form::{Form, FormMap, FormValue, Options, list_index};
use cartwire_core::scalar::{is_null_text, parse_decimal, parse_flag, parse_int};
use cartwire_core::{Decimal, Error};

use crate::payload::{
    Cancelled, Created, Extra, Invoice, Item, Kind, Moneyback, Notification, Paid, Partner,
    Payment, Prepaid, UnixTime, Unknown, Utm,
};

type CoreError = Error;

/// Decodes a notification body (`application/x-www-form-urlencoded`, UTF-8) with the default
/// limits of [`Options`]. It does **not** check the hash: a receiver uses
/// [`JustClickKey`](crate::JustClickKey) (`key.receive(&delivery)` or
/// `key.decode_verified(body)`), which checks it first.
///
/// ```
/// use justclick_invoice::{decode, Notification};
///
/// let body = b"id=77&email=a%40b.ru&created=1712044800&paid=1712048461&hash=x";
/// let Notification::Paid(paid) = decode(body)? else { panic!("not a paid notification") };
/// assert_eq!(paid.invoice.id, "77");
/// assert_eq!(paid.payment.paid.seconds(), Some(1_712_048_461));
///
/// // No `id` and no `email`: not a JustClick notification.
/// assert_eq!(decode(b"").unwrap_err().field(), Some("id"));
/// # Ok::<(), justclick_invoice::Error>(())
/// ```
///
/// # Errors
///
/// [`Error::Malformed`] naming the field as written on the wire (`items[0][sum]`), or
/// [`Error::Limit`].
pub fn decode(body: &[u8]) -> Result<Notification, Error> {
    decode_with(body, &Options::default())
}

/// Decodes with explicit form options (limits, repeated-key policy, charset), without
/// checking the hash.
///
/// # Errors
///
/// As [`decode`].
pub fn decode_with(body: &[u8], options: &Options) -> Result<Notification, Error> {
    let form = Form::parse_with(body, options)?;
    from_tree(&mut form.into_tree())
}

/// Decodes a form that was already parsed, without checking the hash.
///
/// The form is borrowed, so its tree is copied first ([`decode`] and the receiver own theirs,
/// and move the decoded values out of it instead).
///
/// # Errors
///
/// As [`decode`].
pub fn decode_form(form: &Form<'_>) -> Result<Notification, Error> {
    from_tree(&mut form.tree().clone())
}

/// Tells the kind of the notification a tree holds.
pub(crate) fn detect(tree: &FormMap<'_>) -> Kind {
    Kind::detect(
        tree.get_text("status"),
        tree.get("prepayment_sum").is_some(),
        tree.get("paid").is_some(),
    )
}

/// Reads a notification from the form tree, moving the values it keeps out of it (the tree is
/// left with empty texts in their place).
pub(crate) fn from_tree(tree: &mut FormMap<'_>) -> Result<Notification, CoreError> {
    if let Some(FormValue::Map(_)) = tree.get("status") {
        return Err(CoreError::malformed("status", EXPECTED_VALUE));
    }
    if tree.get("id").is_none() && tree.get("email").is_none() {
        return Err(CoreError::malformed("id", NOT_A_NOTIFICATION));
    }
    let kind = detect(tree);
    if kind == Kind::Unknown {
        return unknown(tree);
    }
    let mut fields = Fields::new(tree, Path::Root);
    if kind.status().is_some() {
        fields.take("status");
    }
    let (coupon_key, other_coupon_key) = match kind {
        Kind::Paid | Kind::Prepaid => ("coupon", "kupon"),
        _ => ("kupon", "coupon"),
    };
    let mut invoice = Invoice {
        id: fields.required_text("id")?,
        first_name: fields.text("first_name")?,
        middle_name: fields.text("middle_name")?,
        last_name: fields.text("last_name")?,
        email: fields.required_text("email")?,
        phone: fields.text("phone")?,
        city: fields.text("city")?,
        country: fields.text("country")?,
        address: fields.text("address")?,
        region: fields.text("region")?,
        postal_code: fields.text("postalcode")?,
        created: fields.time("created")?,
        comment: fields.text("comment")?,
        tag: fields.text("tag")?,
        coupon: String::new(),
        domain: fields.text("domain")?,
        link: fields.text("link")?,
        utm: utm(&mut fields)?,
        items: items(&mut fields)?,
        hash: fields.text("hash")?,
        extra: Extra::new(),
    };
    invoice.coupon = if fields.has(coupon_key) {
        fields.text(coupon_key)?
    } else {
        fields.text(other_coupon_key)?
    };
    let notification = match kind {
        Kind::Created => {
            invoice.extra = fields.rest();
            Notification::Created(Created { invoice })
        }
        Kind::Cancelled => {
            invoice.extra = fields.rest();
            Notification::Cancelled(Cancelled { invoice })
        }
        Kind::Paid => {
            let payment = payment(&mut fields)?;
            invoice.extra = fields.rest();
            Notification::Paid(Paid { invoice, payment })
        }
        Kind::Prepaid => {
            let payment = payment(&mut fields)?;
            let prepayment_sum = fields.money("prepayment_sum")?;
            invoice.extra = fields.rest();
            Notification::Prepaid(Prepaid {
                invoice,
                prepayment_sum,
                payment,
            })
        }
        Kind::Moneyback => {
            let payment = payment(&mut fields)?;
            invoice.extra = fields.rest();
            Notification::Moneyback(Moneyback { invoice, payment })
        }
        // Told apart above, before any value was moved.
        Kind::Unknown => return Err(CoreError::malformed("id", NOT_A_NOTIFICATION)),
    };
    Ok(notification)
}

/// An unknown kind: the fields every kind carries, as received, and the rest in `extra`.
fn unknown(tree: &mut FormMap<'_>) -> Result<Notification, CoreError> {
    let mut fields = Fields::new(tree, Path::Root);
    Ok(Notification::Unknown(Unknown {
        status: fields.optional_text("status")?,
        id: fields.optional_text("id")?,
        email: fields.optional_text("email")?,
        created: fields.optional_text("created")?,
        hash: fields.optional_text("hash")?,
        extra: fields.rest(),
    }))
}

fn payment(fields: &mut Fields<'_, '_>) -> Result<Payment, CoreError> {
    Ok(Payment {
        paid: fields.time("paid")?,
        last_payment_sum: fields.money("last_payment_sum")?,
        payment_type: fields.text("type")?,
        payway: fields.text("payway")?,
        is_recurrent: fields.flag("is_recurrent")?,
    })
}

fn utm(fields: &mut Fields<'_, '_>) -> Result<Utm, CoreError> {
    let parent = fields.path;
    let Some(map) = fields.map("utm")? else {
        return Ok(Utm::default());
    };
    let mut utm = Fields::new(map, Path::Key(&parent, "utm"));
    Ok(Utm {
        medium: utm.text("medium")?,
        source: utm.text("source")?,
        campaign: utm.text("campaign")?,
        content: utm.text("content")?,
        term: utm.text("term")?,
        extra: utm.rest(),
    })
}

fn items(fields: &mut Fields<'_, '_>) -> Result<Vec<Item>, CoreError> {
    let parent = fields.path;
    let Some(map) = fields.map("items")? else {
        return Ok(Vec::new());
    };
    let path = Path::Key(&parent, "items");
    let mut items = Vec::with_capacity(map.len());
    elements(map, &path, |index, item| {
        let mut item = Fields::new(item, Path::Index(&path, index));
        items.push(Item {
            id: item.text("id")?,
            title: item.text("title")?,
            sum: item.money("sum")?,
            price: item.money("price")?,
            pincode: item.text("pincode")?,
            partners: partners(&mut item)?,
            extra: item.rest(),
        });
        Ok(())
    })?;
    Ok(items)
}

fn partners(item: &mut Fields<'_, '_>) -> Result<Vec<Partner>, CoreError> {
    let parent = item.path;
    let Some(map) = item.map("partners")? else {
        return Ok(Vec::new());
    };
    let path = Path::Key(&parent, "partners");
    let mut partners = Vec::with_capacity(map.len());
    elements(map, &path, |index, partner| {
        let mut partner = Fields::new(partner, Path::Index(&path, index));
        partners.push(Partner {
            level: partner.int("partner_lvl")?,
            id: partner.text("partner_id")?,
            name: partner.text("partner_name")?,
            fee: partner.money("partner_fee")?,
            extra: partner.rest(),
        });
        Ok(())
    })?;
    Ok(partners)
}

const EXPECTED_VALUE: &str = "expected a value, found nested keys";

const NOT_A_NOTIFICATION: &str =
    "missing (neither `id` nor `email` is present: not a JustClick notification)";

/// Calls `each` with the elements of a numbered list (`items[3]`, `items[0]`) in index
/// order, each with its index; every element must itself be nested keys. Lists arrive in
/// order, and are then read in place; others are read through a sorted list of positions.
fn elements<'a>(
    map: &mut FormMap<'a>,
    path: &Path<'_>,
    mut each: impl FnMut(u64, &mut FormMap<'a>) -> Result<(), CoreError>,
) -> Result<(), CoreError> {
    let mut in_order = true;
    let mut previous = None;
    for (key, value) in map.iter() {
        let index = list_index(key).ok_or_else(|| {
            CoreError::malformed(
                path.name(key),
                "expected a numbered list element (items[0], items[1], …)",
            )
        })?;
        if let FormValue::Text(_) = value {
            return Err(CoreError::malformed(
                path.name(key),
                "expected nested keys, found a value",
            ));
        }
        in_order &= previous.is_none_or(|previous| previous < index);
        previous = Some(index);
    }
    let positions: Option<Vec<(u64, usize)>> = (!in_order).then(|| {
        let mut positions: Vec<(u64, usize)> = map
            .iter()
            .enumerate()
            .filter_map(|(position, (key, _))| Some((list_index(key)?, position)))
            .collect();
        positions.sort_unstable();
        positions
    });
    let len = map.len();
    let mut element = |position: usize| -> Result<(), CoreError> {
        if let Some((key, FormValue::Map(element))) = map.get_index_mut(position)
            && let Some(index) = list_index(key)
        {
            each(index, element)?;
        }
        Ok(())
    };
    match positions {
        None => (0..len).try_for_each(&mut element),
        Some(positions) => positions
            .into_iter()
            .try_for_each(|(_, position)| element(position)),
    }
}

/// Where a map sits in the tree, rendered as a wire name (`items[0][partners]`) only when an
/// error needs it.
#[derive(Debug, Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    /// A list element, by its index (written as it was on the wire: indexes are canonical).
    Index(&'p Path<'p>, u64),
}

impl Path<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Path::Root => {}
            Path::Key(Path::Root, key) => out.push_str(key),
            Path::Key(parent, key) => {
                parent.write(out);
                out.push('[');
                out.push_str(key);
                out.push(']');
            }
            Path::Index(parent, index) => {
                parent.write(out);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }

    /// The wire name of `key` in the map at this path (`email`, `items[0][sum]`).
    fn name(&self, key: &str) -> String {
        let mut out = String::new();
        Path::Key(self, key).write(&mut out);
        out
    }
}

/// A reader over one map of the tree that remembers which entries were read, so the rest can
/// be kept as `extra`: a bit per position for the first 128 entries (no allocation for any
/// real notification), a list past them.
struct Fields<'t, 'a> {
    map: &'t mut FormMap<'a>,
    path: Path<'t>,
    taken: u128,
    taken_far: Vec<usize>,
    /// The position after the last entry read.
    next: usize,
}

impl<'t, 'a> Fields<'t, 'a> {
    fn new(map: &'t mut FormMap<'a>, path: Path<'t>) -> Self {
        Self {
            map,
            path,
            taken: 0,
            taken_far: Vec::new(),
            next: 0,
        }
    }

    fn is_taken(&self, position: usize) -> bool {
        match u32::try_from(position) {
            Ok(p) if p < u128::BITS => self.taken & (1 << p) != 0,
            _ => self.taken_far.contains(&position),
        }
    }

    fn has(&self, key: &str) -> bool {
        self.map.get(key).is_some()
    }

    /// Marks `key` read and gives its value, which the caller may move out.
    fn take(&mut self, key: &str) -> Option<&mut FormValue<'a>> {
        // Fields are read in the order JustClick sends them, so the entry after the last one
        // read is usually the one asked for: checked first, it saves a scan of the map.
        let position = match self.map.get_index(self.next) {
            Some((next_key, _)) if next_key == key => self.next,
            _ => self.map.get_index_of(key)?,
        };
        self.next = position + 1;
        match u32::try_from(position) {
            Ok(p) if p < u128::BITS => self.taken |= 1 << p,
            _ => self.taken_far.push(position),
        }
        self.map.get_index_mut(position).map(|(_, value)| value)
    }

    fn raw(&mut self, key: &str) -> Result<Option<&str>, CoreError> {
        let path = self.path;
        match self.take(key) {
            None => Ok(None),
            Some(FormValue::Text(text)) => Ok(Some(text)),
            Some(FormValue::Map(_)) => Err(CoreError::malformed(path.name(key), EXPECTED_VALUE)),
        }
    }

    /// The text at `key`, moved out of the tree (a value decoded from escapes is not copied).
    fn owned(&mut self, key: &str) -> Result<Option<String>, CoreError> {
        let path = self.path;
        match self.take(key) {
            None => Ok(None),
            Some(FormValue::Text(text)) => Ok(Some(std::mem::take(text).into_owned())),
            Some(FormValue::Map(_)) => Err(CoreError::malformed(path.name(key), EXPECTED_VALUE)),
        }
    }

    fn text(&mut self, key: &str) -> Result<String, CoreError> {
        Ok(self.owned(key)?.unwrap_or_default())
    }

    fn optional_text(&mut self, key: &str) -> Result<Option<String>, CoreError> {
        self.owned(key)
    }

    fn required_text(&mut self, key: &str) -> Result<String, CoreError> {
        match self.owned(key)? {
            None => Err(CoreError::missing(self.path.name(key))),
            Some(text) if text.is_empty() => {
                Err(CoreError::malformed(self.path.name(key), "empty"))
            }
            Some(text) => Ok(text),
        }
    }

    fn typed<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Result<T, cartwire_core::scalar::ScalarError>,
    ) -> Result<Option<T>, CoreError> {
        let path = self.path;
        match self.raw(key)? {
            Some(text) if !is_null_text(text) => parse(text)
                .map(Some)
                .map_err(|err| CoreError::malformed(path.name(key), err)),
            _ => Ok(None),
        }
    }

    fn money(&mut self, key: &str) -> Result<Option<Decimal>, CoreError> {
        self.typed(key, parse_decimal)
    }

    fn flag(&mut self, key: &str) -> Result<Option<bool>, CoreError> {
        self.typed(key, parse_flag)
    }

    fn int(&mut self, key: &str) -> Result<Option<u32>, CoreError> {
        self.typed(key, parse_int)
    }

    fn time(&mut self, key: &str) -> Result<UnixTime, CoreError> {
        let path = self.path;
        match self.owned(key)? {
            None => Ok(UnixTime::none()),
            Some(text) => {
                UnixTime::parse(text).map_err(|err| CoreError::malformed(path.name(key), err))
            }
        }
    }

    /// A nested map; `None` when absent or an empty plain value.
    fn map(&mut self, key: &str) -> Result<Option<&mut FormMap<'a>>, CoreError> {
        let path = self.path;
        match self.take(key) {
            None => Ok(None),
            Some(FormValue::Map(map)) => Ok(Some(map)),
            Some(FormValue::Text(text)) if text.is_empty() => Ok(None),
            Some(FormValue::Text(_)) => Err(CoreError::malformed(
                path.name(key),
                "expected nested keys, found a value",
            )),
        }
    }

    /// Every entry not read, in arrival order, moved out of the tree.
    fn rest(&mut self) -> Extra {
        let mut rest = Extra::new();
        for position in 0..self.map.len() {
            if self.is_taken(position) {
                continue;
            }
            if let Some((key, value)) = self.map.get_index_mut(position) {
                let value = std::mem::replace(value, FormValue::Text(Cow::Borrowed("")));
                rest.insert(key.to_owned(), value.into_owned());
            }
        }
        rest
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;

    fn text<'e>(extra: &'e Extra, key: &str) -> Option<&'e str> {
        extra.get(key).and_then(FormValue::as_text)
    }

    fn invoice(body: &str) -> Invoice {
        decode(body.as_bytes()).unwrap().invoice().unwrap().clone()
    }

    #[test]
    fn either_coupon_spelling_is_read() {
        let base = "id=1&email=a";
        assert_eq!(
            invoice(&format!("status=new_order&{base}&kupon=K")).coupon,
            "K"
        );
        assert_eq!(
            invoice(&format!("status=new_order&{base}&coupon=C")).coupon,
            "C"
        );
        assert_eq!(invoice(&format!("{base}&paid=1&coupon=C")).coupon, "C");
        assert_eq!(invoice(&format!("{base}&paid=1&kupon=K")).coupon, "K");
        // Both: the kind's own spelling wins, the other is kept.
        let both = invoice(&format!("{base}&paid=1&kupon=K&coupon=C"));
        assert_eq!(both.coupon, "C");
        assert_eq!(text(&both.extra, "kupon"), Some("K"));
        let both = invoice(&format!("status=cancel_order&{base}&kupon=K&coupon=C"));
        assert_eq!(both.coupon, "K");
        assert_eq!(text(&both.extra, "coupon"), Some("C"));
    }

    #[test]
    fn fields_foreign_to_a_kind_are_kept_in_extra() {
        let created = invoice(
            "status=new_order&id=1&email=a&paid=5&prepayment_sum=1&last_payment_sum=2&type=t",
        );
        let keys: Vec<&str> = created.extra.keys().map(String::as_str).collect();
        assert_eq!(keys, ["paid", "prepayment_sum", "last_payment_sum", "type"]);
        // An empty status on a paid notification is not the kind's: kept.
        let paid = invoice("status=&id=1&email=a&paid=5");
        assert_eq!(text(&paid.extra, "status"), Some(""));
        let Notification::Paid(paid) = decode(b"id=1&email=a&paid=5&x[y][z]=1").unwrap() else {
            panic!()
        };
        assert_eq!(paid.payment.paid.seconds(), Some(5));
        let nested = paid.invoice.extra.get("x").unwrap().as_map().unwrap();
        assert!(nested.get("y").unwrap().as_map().unwrap().get_text("z") == Some("1"));
    }

    #[test]
    fn sparse_indexes_are_closed_in_order() {
        let inv = invoice(
            "status=new_order&id=1&email=a&items[7][id]=c&items[2][id]=b&items[0][id]=a\
             &items[2][partners][5][partner_id]=q&items[2][partners][1][partner_id]=p",
        );
        let ids: Vec<&str> = inv.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let partners: Vec<&str> = inv.items[1]
            .partners
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(partners, ["p", "q"]);
    }

    #[test]
    fn appended_items_are_read() {
        let inv = invoice("status=new_order&id=1&email=a&items[][id]=a&items[][id]=b");
        let ids: Vec<&str> = inv.items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn unknown_kinds_keep_every_field() {
        let n = decode(b"id=1&x[0]=a&x[1]=b").unwrap();
        let Notification::Unknown(u) = n else {
            panic!()
        };
        assert_eq!(u.id.as_deref(), Some("1"));
        assert_eq!(
            (u.status(), u.email.as_deref(), u.hash.as_deref()),
            (None, None, None)
        );
        assert_eq!(u.extra.len(), 1);
        assert_eq!(u.extra["x"].as_map().unwrap().len(), 2);
        let n = decode(b"status=shipped&hash=h&email=&track=T&created=yesterday").unwrap();
        let Notification::Unknown(u) = n else {
            panic!()
        };
        assert_eq!(u.status(), Some("shipped"));
        assert_eq!((u.id.as_deref(), u.email.as_deref()), (None, Some("")));
        assert_eq!(u.created.as_deref(), Some("yesterday"));
        assert_eq!(u.get("track"), Some("T"));
        assert_eq!(u.get("hash"), Some("h"));
        // The typed fields of an unknown kind are values, not nested keys.
        let err = decode(b"status=shipped&id[x]=1").unwrap_err();
        assert_eq!(err.field(), Some("id"));
    }

    #[test]
    fn a_body_with_neither_id_nor_email_is_no_notification() {
        for body in [
            &b""[..],
            b"garbage%%%",
            br#"{"id":1}"#,
            b"status=shipped&x=1",
        ] {
            let err = decode(body).unwrap_err();
            assert_eq!(err.kind(), cartwire_core::ErrorKind::Malformed);
            assert_eq!(err.field(), Some("id"), "{err}");
            assert_eq!(
                err.to_string(),
                "field `id`: missing (neither `id` nor `email` is present: not a JustClick notification)"
            );
        }
        // Either one is enough to be kept as an unknown kind.
        assert!(matches!(decode(b"email=a"), Ok(Notification::Unknown(_))));
        assert!(matches!(decode(b"id="), Ok(Notification::Unknown(_))));
    }
}
