//! The notification types: one per kind, sharing [`Invoice`].
//!
//! Text fields are `String`s holding the decoded wire text: an empty string means the field
//! was empty or not sent (PHP receivers cannot tell these apart either, and JustClick sends
//! every documented field of a kind). Money is a [`Decimal`] that keeps the scale it arrived
//! with (`"4990.00"` prints as `4990.00`); `None` is an empty or absent amount. Times are
//! [`UnixTime`], which keeps the raw text the hash is computed over.

use cartwire_core::form::FormValue;
use cartwire_core::scalar::{ScalarError, parse_unix_seconds};
use cartwire_core::time::OffsetDateTime;
use cartwire_core::{Decimal, Dedup, DedupKey, Receiver};

use crate::receive::JustClickKey;

/// Fields that JustClick did not document (or that do not belong to the message's kind),
/// kept in arrival order with their nested structure (a [`FormValue`]: a text, or nested
/// keys such as `x[0]`, `x[1]`) and written back on encode. In the [JSON form](crate::json)
/// they are the object under `"extra"`.
///
/// Entries never override a typed field: if a key here is also written by the typed part of
/// the message, the encoder skips it.
///
/// ```
/// use justclick_invoice::{decode, FormValue};
///
/// let n = decode(b"status=new_order&id=1&email=a&referrer=t.me&x[0]=a")?;
/// let extra = &n.invoice().unwrap().extra;
/// assert_eq!(extra.get("referrer").and_then(FormValue::as_text), Some("t.me"));
/// assert_eq!(extra.keys().collect::<Vec<_>>(), ["referrer", "x"]);
/// # Ok::<(), justclick_invoice::Error>(())
/// ```
pub type Extra = cartwire_core::Extra<FormValue<'static>>;

/// A Unix timestamp as JustClick sends it (`created`, `paid`): whole seconds in a string.
///
/// It keeps the exact text received, because the hash is computed over that text and not
/// over a re-formatted number. An empty text (field empty or absent) has no time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct UnixTime {
    raw: String,
    time: Option<OffsetDateTime>,
}

impl UnixTime {
    /// Parses the wire text: decimal seconds (white space around them is tolerated and kept in
    /// [`raw`](Self::raw)); `""` and `null` mean "no time".
    ///
    /// ```
    /// use justclick_invoice::UnixTime;
    /// let t = UnixTime::parse("1712044800").unwrap();
    /// assert_eq!(t.seconds(), Some(1_712_044_800));
    /// assert_eq!(t.raw(), "1712044800");
    /// assert!(UnixTime::parse("").unwrap().time().is_none());
    /// assert!(UnixTime::parse("yesterday").is_err());
    /// ```
    pub fn parse(raw: impl Into<String>) -> Result<Self, ScalarError> {
        let raw = raw.into();
        let time = parse_unix_seconds(&raw)?;
        Ok(Self { raw, time })
    }

    /// A time from whole Unix seconds, written as its decimal text; `None` if the time is out
    /// of the range of [`OffsetDateTime`].
    pub fn from_seconds(seconds: i64) -> Option<Self> {
        let time = OffsetDateTime::from_unix_timestamp(seconds).ok()?;
        Some(Self {
            raw: seconds.to_string(),
            time: Some(time),
        })
    }

    /// A time from a date-time, truncated to whole seconds (the wire has no fractions) and
    /// normalised to UTC.
    pub fn from_time(time: OffsetDateTime) -> Self {
        let seconds = time.unix_timestamp();
        Self {
            raw: seconds.to_string(),
            // Whole seconds of a valid time are always in range; fall back to no time rather
            // than panic.
            time: OffsetDateTime::from_unix_timestamp(seconds).ok(),
        }
    }

    /// No time: the field is written empty.
    pub fn none() -> Self {
        Self::default()
    }

    /// The exact text received (or written), which the hash covers.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The time, in UTC; `None` when the text was empty or `null`.
    pub fn time(&self) -> Option<OffsetDateTime> {
        self.time
    }

    /// The Unix seconds; `None` when there is no time.
    pub fn seconds(&self) -> Option<i64> {
        self.time.map(OffsetDateTime::unix_timestamp)
    }

    /// Whether the wire text is empty (the field is empty or was not sent).
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
}

impl From<OffsetDateTime> for UnixTime {
    fn from(time: OffsetDateTime) -> Self {
        Self::from_time(time)
    }
}

/// The UTM tags of the visit that led to the order (`utm[medium]`, `utm[source]`, …).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Utm {
    /// `utm[medium]`: the channel.
    pub medium: String,
    /// `utm[source]`: the source.
    pub source: String,
    /// `utm[campaign]`: the campaign.
    pub campaign: String,
    /// `utm[content]`: the advertisement.
    pub content: String,
    /// `utm[term]`: the keyword.
    pub term: String,
    /// Other `utm[…]` keys.
    pub extra: Extra,
}

impl Utm {
    /// Empty tags.
    pub fn new() -> Self {
        Self::default()
    }
}

/// One affiliate's share of an item (`items[n][partners][m][…]`), on paid notifications.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Partner {
    /// `partner_lvl`: the affiliate level (1 for the first level, 2 for the second, …).
    pub level: Option<u32>,
    /// `partner_id`: the partner's identifier.
    pub id: String,
    /// `partner_name`: the partner's login.
    pub name: String,
    /// `partner_fee`: the partner's charge for this item.
    pub fee: Option<Decimal>,
    /// Other keys of this partner.
    pub extra: Extra,
}

impl Partner {
    /// A partner at `level` with its id, login and fee.
    pub fn new(level: u32, id: impl Into<String>, name: impl Into<String>, fee: Decimal) -> Self {
        Self {
            level: Some(level),
            id: id.into(),
            name: name.into(),
            fee: Some(fee),
            extra: Extra::new(),
        }
    }
}

/// One line of the invoice (`items[n][…]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Item {
    /// `id`: the product's character identifier.
    pub id: String,
    /// `title`: the product name.
    pub title: String,
    /// `sum`: the actual cost, after up-selling or discount.
    pub sum: Option<Decimal>,
    /// `price`: the cost from the product's settings.
    pub price: Option<Decimal>,
    /// `pincode`: the pin code sent in the letter after payment (paid notifications).
    pub pincode: String,
    /// `partners`: the affiliates' shares (paid notifications), in index order.
    pub partners: Vec<Partner>,
    /// Other keys of this item.
    pub extra: Extra,
}

impl Item {
    /// An item with its id, title, actual cost and settings price.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        sum: Decimal,
        price: Decimal,
    ) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            sum: Some(sum),
            price: Some(price),
            ..Self::default()
        }
    }
}

/// The fields every kind of notification shares: the invoice, its customer and its items.
///
/// Build one with [`Invoice::new`] and set the public fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Invoice {
    /// `id`: the order (invoice) number. Covered by the hash.
    pub id: String,
    /// `first_name`.
    pub first_name: String,
    /// `middle_name`.
    pub middle_name: String,
    /// `last_name`.
    pub last_name: String,
    /// `email`: the customer's e-mail. Covered by the hash.
    pub email: String,
    /// `phone`.
    pub phone: String,
    /// `city` of delivery.
    pub city: String,
    /// `country` of delivery.
    pub country: String,
    /// `address` of delivery.
    pub address: String,
    /// `region` of delivery.
    pub region: String,
    /// `postalcode`.
    pub postal_code: String,
    /// `created`: when the order was created. Covered by the hash, except on paid
    /// notifications (see [`HashedTime`](crate::HashedTime)).
    pub created: UnixTime,
    /// `comment` on the order.
    pub comment: String,
    /// `tag`.
    pub tag: String,
    /// The coupon used: `kupon` on created (and status) notifications, `coupon` on paid ones;
    /// either spelling is accepted on decode.
    pub coupon: String,
    /// `domain` of the order.
    pub domain: String,
    /// `link` to the order's payment page.
    pub link: String,
    /// `utm[…]`.
    pub utm: Utm,
    /// `items[n][…]`, in index order (the wire may send them in any order).
    pub items: Vec<Item>,
    /// `hash`: the hex MD5 the sender computed. Set it with
    /// [`Notification::sign`](crate::Notification::sign).
    pub hash: String,
    /// Fields not documented for this kind.
    pub extra: Extra,
}

impl Invoice {
    /// An invoice with its number and customer e-mail; everything else empty.
    pub fn new(id: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            email: email.into(),
            ..Self::default()
        }
    }
}

/// What paid (and prepaid, and refund) notifications add to the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Payment {
    /// `paid`: when the invoice was paid. Covered by the hash on paid notifications.
    pub paid: UnixTime,
    /// `last_payment_sum`: the amount of the last payment (the whole bill when it was paid
    /// at once).
    pub last_payment_sum: Option<Decimal>,
    /// `type`: the invoice type, as JustClick names it.
    pub payment_type: String,
    /// `payway`: the payment method.
    pub payway: String,
    /// `is_recurrent`: whether the bill is recurrent (`1`/`0`); `None` when empty.
    pub is_recurrent: Option<bool>,
}

impl Payment {
    /// A payment made at `paid`; everything else empty.
    pub fn new(paid: UnixTime) -> Self {
        Self {
            paid,
            ..Self::default()
        }
    }
}

/// `status=new_order` (the English page writes `new order`): an invoice was created.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Created {
    /// The invoice.
    pub invoice: Invoice,
}

impl Created {
    /// A created notification for `invoice`.
    pub fn new(invoice: Invoice) -> Self {
        Self { invoice }
    }
}

/// No `status` and a `paid` field: the invoice was paid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Paid {
    /// The invoice.
    pub invoice: Invoice,
    /// The payment.
    pub payment: Payment,
}

impl Paid {
    /// A paid notification.
    pub fn new(invoice: Invoice, payment: Payment) -> Self {
        Self { invoice, payment }
    }
}

/// No `status` and a `prepayment_sum` field: part of the invoice was paid in advance.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Prepaid {
    /// The invoice.
    pub invoice: Invoice,
    /// `prepayment_sum`: the amount prepaid.
    pub prepayment_sum: Option<Decimal>,
    /// The payment fields, as on paid notifications (empty when not sent).
    pub payment: Payment,
}

impl Prepaid {
    /// A prepaid notification.
    pub fn new(invoice: Invoice, prepayment_sum: Decimal, payment: Payment) -> Self {
        Self {
            invoice,
            prepayment_sum: Some(prepayment_sum),
            payment,
        }
    }
}

/// `status=cancel_order`: the invoice was cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Cancelled {
    /// The invoice.
    pub invoice: Invoice,
}

impl Cancelled {
    /// A cancellation of `invoice`.
    pub fn new(invoice: Invoice) -> Self {
        Self { invoice }
    }
}

/// `status=moneyback`: the money was returned.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Moneyback {
    /// The invoice.
    pub invoice: Invoice,
    /// The payment fields, when JustClick sends them (empty otherwise).
    pub payment: Payment,
}

impl Moneyback {
    /// A refund of `invoice`.
    pub fn new(invoice: Invoice) -> Self {
        Self {
            invoice,
            payment: Payment::default(),
        }
    }
}

/// A notification of a kind this crate does not know (an unknown `status`, or neither a
/// `status` nor a `paid` nor a `prepayment_sum` field), kept whole: the fields every kind
/// carries (and the hash covers) typed, as received, and every other field in `extra`.
///
/// A body with neither `id` nor `email` is not a notification of any kind: decoding it fails
/// naming `id`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Unknown {
    /// `status`: an unknown value, or empty; `None` when absent.
    pub status: Option<String>,
    /// `id`, as received; `None` when absent. Covered by the hash.
    pub id: Option<String>,
    /// `email`, as received; `None` when absent. Covered by the hash.
    pub email: Option<String>,
    /// `created`, the raw text (not converted: the hash covers it as sent); `None` when
    /// absent.
    pub created: Option<String>,
    /// `hash`, as received (or as set by [`Notification::sign`]); `None` when absent.
    pub hash: Option<String>,
    /// Every other field, in arrival order, nested as on the wire.
    pub extra: Extra,
}

impl Unknown {
    /// A notification with this `status`, `id` and `email`; no `created`, no `hash`, no
    /// other field.
    pub fn new(status: impl Into<String>, id: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            status: Some(status.into()),
            id: Some(id.into()),
            email: Some(email.into()),
            ..Self::default()
        }
    }

    /// The `status` field, if any.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// A top-level text field by its wire name: one of the typed fields, or one in
    /// [`extra`](Self::extra).
    pub fn get(&self, key: &str) -> Option<&str> {
        match key {
            "status" => self.status.as_deref(),
            "id" => self.id.as_deref(),
            "email" => self.email.as_deref(),
            "created" => self.created.as_deref(),
            "hash" => self.hash.as_deref(),
            _ => self.extra.get(key).and_then(FormValue::as_text),
        }
    }
}

/// The kind of a notification, as JustClick's own integrations tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// `status=new_order` or `status=new order`.
    Created,
    /// No `status`, a `paid` field, no `prepayment_sum`.
    Paid,
    /// No `status`, a `prepayment_sum` field.
    Prepaid,
    /// `status=cancel_order`.
    Cancelled,
    /// `status=moneyback`.
    Moneyback,
    /// Anything else.
    Unknown,
}

impl Kind {
    /// Tells the kind from the fields that decide it: the `status` text (if the field is
    /// present), and whether `prepayment_sum` and `paid` are present.
    ///
    /// A known, non-empty `status` decides. An unknown non-empty status is [`Kind::Unknown`].
    /// Without a status (or with an empty one), `prepayment_sum` makes it
    /// [`Kind::Prepaid`] (prepaid notifications carry `paid` too), else `paid` makes it
    /// [`Kind::Paid`], else it is [`Kind::Unknown`].
    ///
    /// ```
    /// use justclick_invoice::Kind;
    /// assert_eq!(Kind::detect(Some("new order"), false, false), Kind::Created);
    /// assert_eq!(Kind::detect(None, true, true), Kind::Prepaid);
    /// assert_eq!(Kind::detect(Some(""), false, true), Kind::Paid);
    /// assert_eq!(Kind::detect(Some("shipped"), false, true), Kind::Unknown);
    /// ```
    pub fn detect(status: Option<&str>, has_prepayment_sum: bool, has_paid: bool) -> Kind {
        match status {
            Some("new_order" | "new order") => Kind::Created,
            Some("cancel_order") => Kind::Cancelled,
            Some("moneyback") => Kind::Moneyback,
            Some(other) if !other.is_empty() => Kind::Unknown,
            _ if has_prepayment_sum => Kind::Prepaid,
            _ if has_paid => Kind::Paid,
            _ => Kind::Unknown,
        }
    }

    /// The kind's name in the JSON form (`"created"`, `"paid"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Created => "created",
            Kind::Paid => "paid",
            Kind::Prepaid => "prepaid",
            Kind::Cancelled => "cancelled",
            Kind::Moneyback => "moneyback",
            Kind::Unknown => "unknown",
        }
    }

    /// The `status` value JustClick sends for this kind (none for paid and prepaid).
    pub fn status(self) -> Option<&'static str> {
        match self {
            Kind::Created => Some("new_order"),
            Kind::Cancelled => Some("cancel_order"),
            Kind::Moneyback => Some("moneyback"),
            Kind::Paid | Kind::Prepaid | Kind::Unknown => None,
        }
    }
}

impl core::fmt::Display for Kind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A JustClick invoice notification of any kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notification {
    /// An invoice was created.
    Created(Created),
    /// An invoice was paid.
    Paid(Paid),
    /// An invoice was partly paid in advance.
    Prepaid(Prepaid),
    /// An invoice was cancelled.
    Cancelled(Cancelled),
    /// The money was returned.
    Moneyback(Moneyback),
    /// A kind this crate does not know, kept whole.
    Unknown(Unknown),
}

impl Notification {
    /// The kind.
    pub fn kind(&self) -> Kind {
        match self {
            Notification::Created(_) => Kind::Created,
            Notification::Paid(_) => Kind::Paid,
            Notification::Prepaid(_) => Kind::Prepaid,
            Notification::Cancelled(_) => Kind::Cancelled,
            Notification::Moneyback(_) => Kind::Moneyback,
            Notification::Unknown(_) => Kind::Unknown,
        }
    }

    /// The invoice, for every kind but [`Notification::Unknown`].
    pub fn invoice(&self) -> Option<&Invoice> {
        match self {
            Notification::Created(n) => Some(&n.invoice),
            Notification::Paid(n) => Some(&n.invoice),
            Notification::Prepaid(n) => Some(&n.invoice),
            Notification::Cancelled(n) => Some(&n.invoice),
            Notification::Moneyback(n) => Some(&n.invoice),
            Notification::Unknown(_) => None,
        }
    }

    /// The invoice, mutably.
    pub fn invoice_mut(&mut self) -> Option<&mut Invoice> {
        match self {
            Notification::Created(n) => Some(&mut n.invoice),
            Notification::Paid(n) => Some(&mut n.invoice),
            Notification::Prepaid(n) => Some(&mut n.invoice),
            Notification::Cancelled(n) => Some(&mut n.invoice),
            Notification::Moneyback(n) => Some(&mut n.invoice),
            Notification::Unknown(_) => None,
        }
    }

    /// The payment fields, on paid, prepaid and moneyback notifications.
    pub fn payment(&self) -> Option<&Payment> {
        match self {
            Notification::Paid(n) => Some(&n.payment),
            Notification::Prepaid(n) => Some(&n.payment),
            Notification::Moneyback(n) => Some(&n.payment),
            _ => None,
        }
    }

    /// The order number (`id`); for an unknown kind, its `id` field or `""`.
    pub fn id(&self) -> &str {
        match self {
            Notification::Unknown(u) => u.id.as_deref().unwrap_or_default(),
            other => other.invoice().map(|i| i.id.as_str()).unwrap_or_default(),
        }
    }

    /// The customer's e-mail; for an unknown kind, its `email` field or `""`.
    pub fn email(&self) -> &str {
        match self {
            Notification::Unknown(u) => u.email.as_deref().unwrap_or_default(),
            other => other
                .invoice()
                .map(|i| i.email.as_str())
                .unwrap_or_default(),
        }
    }

    /// The `hash` field as received (or as set by [`sign`](Self::sign)); `""` when absent.
    pub fn hash(&self) -> &str {
        match self {
            Notification::Unknown(u) => u.hash.as_deref().unwrap_or_default(),
            other => other.invoice().map(|i| i.hash.as_str()).unwrap_or_default(),
        }
    }

    /// The idempotency key for retried deliveries: the same for every delivery of this
    /// notification, different for any other notification (see [`DedupKey`]).
    ///
    /// It is built from the kind, the `id`, and the raw text of the time the hash covers
    /// (`paid` on paid notifications and on prepaid ones that carry a `paid`, `created`
    /// otherwise: [`HashedTime`](crate::HashedTime)), plus the `status` of an unknown kind.
    /// Why these: the hash covers exactly `id`, `email` and that time, so a retry, which
    /// JustClick sends with the same hash, repeats them; the e-mail belongs to the order and
    /// adds nothing. A later notification about the same invoice has another kind
    /// (cancelled, refunded) or another time (a second prepayment with its `paid`, the final
    /// payment), and so another key. Two prepayments that carry no `paid` share a key: the
    /// hash cannot tell them apart either. The values are the decoded ones: percent-encoding
    /// and field order do not change the key.
    ///
    /// ```
    /// use justclick_invoice::{decode, samples};
    ///
    /// let paid = decode(samples::PAID.as_bytes())?;
    /// // The same notification with its fields in another order and encoded differently.
    /// let reordered = decode(include_bytes!("../tests/fixtures/paid_shuffled.txt"))?;
    /// assert_eq!(paid.dedup_key(), reordered.dedup_key());
    /// // The invoice's creation is another event.
    /// let created = decode(samples::CREATED.as_bytes())?;
    /// assert_ne!(paid.dedup_key(), created.dedup_key());
    /// # Ok::<(), justclick_invoice::Error>(())
    /// ```
    pub fn dedup_key(&self) -> DedupKey {
        let time = self.hashed_time();
        let key = DedupKey::builder(JustClickKey::PROTOCOL, self.kind().as_str())
            .field("id", self.id())
            .field(time.field(), self.hashed_time_text());
        match self {
            Notification::Unknown(unknown) => key
                .field("status", unknown.status.as_deref().unwrap_or_default())
                .finish(),
            _ => key.finish(),
        }
    }
}

impl Dedup for Notification {
    fn dedup_key(&self) -> DedupKey {
        Notification::dedup_key(self)
    }
}

macro_rules! from_kind {
    ($($kind:ident),*) => {$(
        impl From<$kind> for Notification {
            fn from(value: $kind) -> Self {
                Notification::$kind(value)
            }
        }
    )*};
}
from_kind!(Created, Paid, Prepaid, Cancelled, Moneyback, Unknown);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn kinds_are_told_apart_as_justclick_integrations_do() {
        let table = [
            (Some("new_order"), false, false, Kind::Created),
            (Some("new order"), false, false, Kind::Created),
            // A status decides even when payment fields are there too.
            (Some("new_order"), true, true, Kind::Created),
            (Some("cancel_order"), false, true, Kind::Cancelled),
            (Some("moneyback"), false, true, Kind::Moneyback),
            (Some("refund"), false, true, Kind::Unknown),
            (Some("New_Order"), false, false, Kind::Unknown),
            (None, true, true, Kind::Prepaid),
            (None, true, false, Kind::Prepaid),
            (Some(""), true, true, Kind::Prepaid),
            (None, false, true, Kind::Paid),
            (Some(""), false, true, Kind::Paid),
            (None, false, false, Kind::Unknown),
            (Some(""), false, false, Kind::Unknown),
        ];
        for (status, prepayment, paid, kind) in table {
            assert_eq!(
                Kind::detect(status, prepayment, paid),
                kind,
                "{status:?} {prepayment} {paid}"
            );
        }
    }

    #[test]
    fn kind_names_and_statuses() {
        assert_eq!(Kind::Created.status(), Some("new_order"));
        assert_eq!(Kind::Cancelled.status(), Some("cancel_order"));
        assert_eq!(Kind::Moneyback.status(), Some("moneyback"));
        assert_eq!(Kind::Paid.status(), None);
        assert_eq!(Kind::Prepaid.to_string(), "prepaid");
    }

    #[test]
    fn unix_time_keeps_the_raw_text() {
        let padded = UnixTime::parse(" 1712044800").unwrap();
        assert_eq!(padded.raw(), " 1712044800");
        assert_eq!(padded.seconds(), Some(1_712_044_800));
        assert_eq!(padded, UnixTime::parse(" 1712044800").unwrap());
        assert_ne!(padded, UnixTime::parse("1712044800").unwrap());
        assert!(UnixTime::parse("null").unwrap().time().is_none());
        assert!(UnixTime::parse("1.5").is_err());
        assert!(UnixTime::parse("99999999999999999999").is_err());
        assert_eq!(UnixTime::from_seconds(i64::MAX), None);
        let t = UnixTime::from_seconds(-1).unwrap();
        assert_eq!(t.raw(), "-1");
        let from_time = UnixTime::from(
            OffsetDateTime::from_unix_timestamp_nanos(1_712_044_800_999_000_000).unwrap(),
        );
        assert_eq!(from_time, UnixTime::from_seconds(1_712_044_800).unwrap());
        assert!(UnixTime::none().is_empty());
    }

    #[test]
    fn accessors_cover_every_kind() {
        let mut invoice = Invoice::new("7", "a@b.ru");
        invoice.hash = "h".into();
        let all: Vec<Notification> = vec![
            Created::new(invoice.clone()).into(),
            Paid::new(invoice.clone(), Payment::new(UnixTime::none())).into(),
            Prepaid::new(invoice.clone(), Decimal::ONE, Payment::default()).into(),
            Cancelled::new(invoice.clone()).into(),
            Moneyback::new(invoice).into(),
        ];
        for n in &all {
            assert_eq!((n.id(), n.email(), n.hash()), ("7", "a@b.ru", "h"));
            assert!(n.invoice().is_some());
        }
        assert!(all[0].payment().is_none());
        assert!(all[1].payment().is_some());
        let mut unknown = Unknown::new("x", "9", "");
        unknown.email = None;
        let unknown: Notification = unknown.into();
        assert_eq!(
            (unknown.id(), unknown.email(), unknown.hash()),
            ("9", "", "")
        );
        assert!(unknown.invoice().is_none());
    }
}
