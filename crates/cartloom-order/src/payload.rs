//! The order Cartloom's notify server posts, field by field.
//!
//! Field names are Cartloom's own (`oid`, `qty`, `dl_cnt`), so the vendor page and this code
//! read the same. Only the two address blocks are grouped: `billing_*` becomes
//! [`Order::billing`] and `shipping_*` becomes [`Order::shipping`], which is `None` when every
//! shipping field is blank (Cartloom sends nine empty strings when the buyer ships to the
//! billing address, or buys only digital goods).
//!
//! # Types, and what round-trips exactly
//!
//! | wire (all strings but `subscribed`) | Rust | written back as |
//! |---|---|---|
//! | ids: `"0000123456"` | `String` | the same text; zero padding is kept |
//! | flags: `"0"`/`"1"` | `bool` | `"0"`/`"1"` |
//! | money: `"19.95"`, `"0.00"` | [`Decimal`] | the same text: the scale is kept (`"10.00"` stays `"10.00"`) |
//! | quantities, counters: `"1"` | `u32` | the decimal text |
//! | dates: `"2013-02-0904:30:25"`, `"0000-00-00 00:00:00"`, `""` | [`WireDateTime`] | the text received, whichever form |
//! | `billing_company`, `vat_number`, `*_company`: `null` or text | `Option<String>` | `null` for `None`, the text otherwise (`""` stays `""`) |
//! | `refund_amount`: `""` or money | `Option<Decimal>` | `""` for `None` |
//! | `shipping_status`: `"0"` | [`ShippingStatus`] | the text received |
//! | `extra_inputs`, unknown fields | [`RawJson`] | the JSON text received, byte for byte |
//! | `subscribed`: `1` (a number) | `bool` | `1`/`0` (a number) |
//!
//! What is normalized (the receiver sees the same value, the text changes): values that
//! arrived as JSON numbers or booleans are written back as strings (`"qty": 1` becomes
//! `"qty": "1"`, `"digital": true` becomes `"digital": "1"`), as Cartloom writes them; flags
//! spelled other than `"0"`/`"1"` (`"true"`, `""`) become `"0"`/`"1"`; integers and decimals
//! lose leading `+`, leading zeros and surrounding blanks (`"007"` becomes `"7"`), and a
//! negative zero amount loses its sign (`"-0.00"`, which PHP 7's `number_format` could
//! write, becomes `"0.00"`); a `null`
//! where Cartloom sends text (say `"comments": null`) becomes `""`; a documented field that was
//! absent is written with its blank value. Everything Cartloom's sample shows survives
//! `decode` then `encode` unchanged.

use core::fmt;
use std::borrow::Cow;

use cartwire_core::scalar::{ScalarError, format_naive_datetime, parse_naive_datetime};
use cartwire_core::time::PrimitiveDateTime;
use cartwire_core::{Decimal, Dedup, DedupKey, Extra, Receiver as _};

use crate::decode::BodyShape;
use crate::verify::CartloomToken;

/// Unknown fields, in the order they arrived (each name once), each with its raw JSON
/// value: the crate's [`Extra`] map.
pub type ExtraFields = Extra<RawJson>;

/// What [`CartloomToken`] receives: the order, and the body shape it came in (to answer or
/// relay it in kind: [`ReceivedOrder::encode`]).
///
/// Its JSON view (`Serialize`, `Deserialize`) is the order's, noting the form shape as
/// `"_wire": {"body": "form"}` (see [the JSON view](mod@crate::encode#the-json-view-serialize-and-deserialize-of-order-and-receivedorder)).
///
/// ```
/// use cartloom_order::{samples, BodyShape, CartloomToken, Delivery, Receiver};
///
/// let token = CartloomToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35")?;
/// let target = "/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";
/// let received = token.receive(&Delivery::post(target, samples::ORDER_JSON.as_bytes()))?;
/// assert_eq!(received.shape, BodyShape::Json);
/// assert_eq!(received.order.oid, "0000123456");
/// assert_eq!(received.encode(), samples::ORDER_JSON);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedOrder {
    /// The order.
    pub order: Order,
    /// How the body carried it: the raw JSON, or the `order=` form.
    pub shape: BodyShape,
}

impl ReceivedOrder {
    /// An order as received in `shape`.
    pub fn new(order: Order, shape: BodyShape) -> Self {
        Self { order, shape }
    }

    /// The order's idempotency key ([`Order::dedup_key`]; the shape plays no part: the same
    /// order posted as JSON and as a form is one delivery).
    pub fn dedup_key(&self) -> DedupKey {
        self.order.dedup_key()
    }

    /// The order written back in the shape it came in ([`encode`](crate::encode())).
    pub fn encode(&self) -> String {
        crate::encode(&self.order, self.shape)
    }
}

impl Dedup for ReceivedOrder {
    fn dedup_key(&self) -> DedupKey {
        ReceivedOrder::dedup_key(self)
    }
}

impl Dedup for Order {
    fn dedup_key(&self) -> DedupKey {
        Order::dedup_key(self)
    }
}

/// One order, as Cartloom's notify server posts it.
///
/// Build one with [`Order::new`] (or [`Default`]) and set the public fields; the struct is
/// `#[non_exhaustive]` so that fields Cartloom adds later can join it without breaking you.
///
/// ```
/// use cartloom_order::{Decimal, Item, Order};
///
/// let mut order = Order::new("0000123456");
/// order.billing.email = "customer@example.com".into();
/// order.subtotal = Decimal::new(1995, 2);
/// order.grandtotal = Decimal::new(1995, 2);
/// order.items.push(Item::new("000001234", "0001234567", 1, Decimal::new(1995, 2)));
/// let wire = cartloom_order::encode_json(&order);
/// assert!(wire.starts_with(r#"{"oid":"0000123456","invoice":"""#));
/// assert_eq!(cartloom_order::decode(wire.as_bytes())?, order);
/// # Ok::<(), cartloom_order::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Order {
    /// `oid`: the order id, zero-padded (`"0000123456"`). Required.
    pub oid: String,
    /// `invoice`: the invoice number, zero-padded (`"000004321"`).
    pub invoice: String,
    /// `unique_id`: a short random id (`"p8lueCLf"`).
    pub unique_id: String,
    /// `on_hold`: the order is held for review.
    pub on_hold: bool,
    /// `date`: when the order was placed, the store's wall-clock time (no zone on the wire).
    pub date: WireDateTime,
    /// `ip_address`: the buyer's IP address, as text.
    pub ip_address: String,
    /// `payment_type`: how the buyer paid (`"Credit Card"`).
    pub payment_type: String,
    /// `trans_id`: the payment gateway's transaction id (`"ch_1G6AeqkbrrtTYg"`).
    pub trans_id: String,
    /// `subtotal`: the items' total. Required.
    pub subtotal: Decimal,
    /// `processing_fee`.
    pub processing_fee: Decimal,
    /// `grandtotal`: what the buyer paid. Required.
    pub grandtotal: Decimal,
    /// `refunded`: the order was refunded.
    pub refunded: bool,
    /// `refund_amount`: `None` when blank (`""`).
    pub refund_amount: Option<Decimal>,
    /// `shipping_amount`.
    pub shipping_amount: Decimal,
    /// `shipping_title`: the shipping method's name.
    pub shipping_title: String,
    /// `shipping_status`.
    pub shipping_status: ShippingStatus,
    /// `shipping_date`: when the order shipped; the zero date (none) until then.
    pub shipping_date: WireDateTime,
    /// `shipping_tracking_number`.
    pub shipping_tracking_number: String,
    /// `tax_amount`.
    pub tax_amount: Decimal,
    /// `tax_title`: the tax's name.
    pub tax_title: String,
    /// `discount_code`: the coupon code entered.
    pub discount_code: String,
    /// `discount_amount`.
    pub discount_amount: Decimal,
    /// `discount_title`: the discount's name.
    pub discount_title: String,
    /// The `billing_*` fields.
    pub billing: BillingAddress,
    /// The `shipping_*` address fields; `None` when all of them are blank.
    pub shipping: Option<ShippingAddress>,
    /// `comments`: the buyer's comments.
    pub comments: String,
    /// `notes`: the merchant's notes.
    pub notes: String,
    /// `extra_inputs`: custom checkout inputs. Cartloom documents no shape (its sample sends
    /// an empty array), so the JSON is kept as received. Absent means `[]`.
    pub extra_inputs: RawJson,
    /// `card_number`: the last four digits of the card, never the full number.
    pub card_number: String,
    /// `card_type`: the card brand (`"MasterCard"`).
    pub card_type: String,
    /// `vat_number`: the buyer's VAT number; Cartloom sends `null` when there is none.
    pub vat_number: Option<String>,
    /// `items`: the order lines. Required (it may be empty).
    pub items: Vec<Item>,
    /// `subscribed`: the buyer opted in to the mailing list. The one value Cartloom sends as
    /// a JSON number (`1`/`0`), and writes back so.
    pub subscribed: bool,
    /// Fields this crate does not know, in arrival order, written back after the known ones.
    pub extra: ExtraFields,
}

/// Every field blank (amounts zero, flags false, dates none, no items), and `extra_inputs`
/// `[]`, what Cartloom sends when there are none.
impl Default for Order {
    fn default() -> Self {
        Self {
            oid: Default::default(),
            invoice: Default::default(),
            unique_id: Default::default(),
            on_hold: Default::default(),
            date: Default::default(),
            ip_address: Default::default(),
            payment_type: Default::default(),
            trans_id: Default::default(),
            subtotal: Default::default(),
            processing_fee: Default::default(),
            grandtotal: Default::default(),
            refunded: Default::default(),
            refund_amount: Default::default(),
            shipping_amount: Default::default(),
            shipping_title: Default::default(),
            shipping_status: Default::default(),
            shipping_date: Default::default(),
            shipping_tracking_number: Default::default(),
            tax_amount: Default::default(),
            tax_title: Default::default(),
            discount_code: Default::default(),
            discount_amount: Default::default(),
            discount_title: Default::default(),
            billing: Default::default(),
            shipping: Default::default(),
            comments: Default::default(),
            notes: Default::default(),
            extra_inputs: RawJson::empty_array(),
            card_number: Default::default(),
            card_type: Default::default(),
            vat_number: Default::default(),
            items: Default::default(),
            subscribed: Default::default(),
            extra: Default::default(),
        }
    }
}

impl Order {
    /// An order with this `oid` and every other field blank: amounts zero, flags false, dates
    /// none, no items.
    pub fn new(oid: impl Into<String>) -> Self {
        Self {
            oid: oid.into(),
            ..Self::default()
        }
    }

    /// The address to ship to: the shipping address when there is one, else the billing
    /// address (Cartloom leaves the shipping fields blank when they equal billing).
    pub fn ship_to(&self) -> AddressRef<'_> {
        match &self.shipping {
            Some(s) => AddressRef {
                first_name: &s.first_name,
                last_name: &s.last_name,
                company: s.company.as_deref(),
                address1: &s.address1,
                address2: &s.address2,
                city: &s.city,
                state: &s.state,
                postal_code: &s.postal_code,
                country: &s.country,
            },
            None => {
                let b = &self.billing;
                AddressRef {
                    first_name: &b.first_name,
                    last_name: &b.last_name,
                    company: b.company.as_deref(),
                    address1: &b.address1,
                    address2: &b.address2,
                    city: &b.city,
                    state: &b.state,
                    postal_code: &b.postal_code,
                    country: &b.country,
                }
            }
        }
    }

    /// The idempotency key of this delivery, for recognising a retried POST.
    ///
    /// Cartloom re-posts an order after a timeout, and posts the same order again when its
    /// state changes (refunded, put on or taken off hold, shipped). The key is built from
    /// `oid` and the fields that change with such a re-post: `refunded`, `refund_amount`,
    /// `on_hold`, `shipping_status` and `subscribed`, plus `invoice` and `trans_id` (blank
    /// when absent). So a retried POST of the same order state gives the same key (whether
    /// it came as JSON or as a form, however it was percent-encoded, whatever the order of
    /// its keys: the values are compared decoded, amounts by value, `"10.0"` as `"10.00"`),
    /// and a refund of that order gives a new one. Other fields (addresses, items, notes) do
    /// not identify the delivery: a re-post that changes only them is treated as a retry.
    ///
    /// ```
    /// use cartloom_order::{samples, Decimal};
    ///
    /// let order = cartloom_order::decode(samples::ORDER_JSON.as_bytes())?;
    /// let retried = cartloom_order::decode(samples::ORDER_FORM.as_bytes())?;
    /// assert_eq!(order.dedup_key(), retried.dedup_key());
    ///
    /// let mut refunded = order.clone();
    /// refunded.refunded = true;
    /// refunded.refund_amount = Some(Decimal::new(1995, 2));
    /// assert_ne!(refunded.dedup_key(), order.dedup_key());
    /// # Ok::<(), cartloom_order::Error>(())
    /// ```
    pub fn dedup_key(&self) -> DedupKey {
        let flag = |value: bool| if value { "1" } else { "0" };
        let refund_amount = self
            .refund_amount
            .map(|amount| amount.normalize().to_string())
            .unwrap_or_default();
        DedupKey::builder(CartloomToken::PROTOCOL, "order")
            .field("oid", self.oid.as_str())
            .field("invoice", self.invoice.as_str())
            .field("trans_id", self.trans_id.as_str())
            .field("on_hold", flag(self.on_hold))
            .field("refunded", flag(self.refunded))
            .field("refund_amount", refund_amount)
            .field("shipping_status", self.shipping_status.as_str())
            .field("subscribed", flag(self.subscribed))
            .finish()
    }

    /// The number of units ordered, over all items (saturating).
    pub fn total_quantity(&self) -> u32 {
        self.items
            .iter()
            .fold(0u32, |sum, item| sum.saturating_add(item.qty))
    }
}

/// The `billing_*` fields of an order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct BillingAddress {
    /// `billing_first_name`.
    pub first_name: String,
    /// `billing_last_name`.
    pub last_name: String,
    /// `billing_company`: Cartloom sends `null` when there is none.
    pub company: Option<String>,
    /// `billing_email`: the buyer's e-mail address.
    pub email: String,
    /// `billing_phone`.
    pub phone: String,
    /// `billing_address1`.
    pub address1: String,
    /// `billing_address2`.
    pub address2: String,
    /// `billing_city`.
    pub city: String,
    /// `billing_state`: a state or region code (`"GA"`).
    pub state: String,
    /// `billing_postal_code`: text, so leading zeros stay.
    pub postal_code: String,
    /// `billing_country`: a country code (`"US"`).
    pub country: String,
}

/// The `shipping_*` address fields of an order (the shipping method, amount, status and date
/// are on [`Order`]).
///
/// An address whose fields are all blank is no address: it decodes as `None`, and
/// `Some(ShippingAddress::default())` encodes exactly as `None` does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ShippingAddress {
    /// `shipping_first_name`.
    pub first_name: String,
    /// `shipping_last_name`.
    pub last_name: String,
    /// `shipping_company`: `None` for `null`.
    pub company: Option<String>,
    /// `shipping_address1`.
    pub address1: String,
    /// `shipping_address2`.
    pub address2: String,
    /// `shipping_city`.
    pub city: String,
    /// `shipping_state`.
    pub state: String,
    /// `shipping_postal_code`.
    pub postal_code: String,
    /// `shipping_country`.
    pub country: String,
}

impl ShippingAddress {
    /// Whether every field is blank (`company` `None` or empty).
    pub fn is_blank(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.address1,
            &self.address2,
            &self.city,
            &self.state,
            &self.postal_code,
            &self.country,
        ]
        .iter()
        .all(|s| s.is_empty())
            && self.company.as_deref().is_none_or(str::is_empty)
    }
}

/// A postal address borrowed from either block of an order; see [`Order::ship_to`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AddressRef<'a> {
    /// First name.
    pub first_name: &'a str,
    /// Last name.
    pub last_name: &'a str,
    /// Company, when there is one.
    pub company: Option<&'a str>,
    /// First address line.
    pub address1: &'a str,
    /// Second address line.
    pub address2: &'a str,
    /// City.
    pub city: &'a str,
    /// State or region.
    pub state: &'a str,
    /// Postal code.
    pub postal_code: &'a str,
    /// Country code.
    pub country: &'a str,
}

/// One line of an order (an element of `items`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Item {
    /// `pid`: the product id, zero-padded (`"000001234"`). Required.
    pub pid: String,
    /// `item_id`: this line's id, zero-padded (`"0001234567"`).
    pub item_id: String,
    /// `qty`: units ordered. Required.
    pub qty: u32,
    /// `title`: the product's name.
    pub title: String,
    /// `sku`.
    pub sku: String,
    /// `send_link`: Cartloom e-mails a download link for this line.
    pub send_link: bool,
    /// `category`: the product category (`"plugin"`).
    pub category: String,
    /// `options`: the options the buyer chose, as Cartloom writes them.
    pub options: String,
    /// `digital`: a downloadable product.
    pub digital: bool,
    /// `file_url`: the download's URL, blank for physical goods.
    pub file_url: String,
    /// `price`: the unit price. Required.
    pub price: Decimal,
    /// `serial_nums`: serial numbers or licence keys issued for this line, as one string.
    pub serial_nums: String,
    /// `dl_cnt`: downloads used so far.
    pub dl_cnt: u32,
    /// `dl_max`: downloads allowed (see `dl_unlimited`).
    pub dl_max: u32,
    /// `dl_unlimited`: downloads are not limited.
    pub dl_unlimited: bool,
    /// `did`: the download's id, blank when there is none.
    pub did: String,
    /// `part_of_bundle`: the line was sold as part of a bundle.
    pub part_of_bundle: bool,
    /// `bundle_id`: zero-padded; `"0000000000"` when not in a bundle.
    pub bundle_id: String,
    /// `bundle_name`.
    pub bundle_name: String,
    /// Fields this crate does not know, in arrival order.
    pub extra: ExtraFields,
}

impl Item {
    /// A line with these ids, quantity and unit price, everything else blank.
    pub fn new(
        pid: impl Into<String>,
        item_id: impl Into<String>,
        qty: u32,
        price: Decimal,
    ) -> Self {
        Self {
            pid: pid.into(),
            item_id: item_id.into(),
            qty,
            price,
            ..Self::default()
        }
    }

    /// `price × qty`, or `None` on overflow.
    pub fn line_total(&self) -> Option<Decimal> {
        self.price.checked_mul(Decimal::from(self.qty))
    }
}

/// `shipping_status`. Cartloom documents no values; its sample sends `"0"` on an order that
/// has not shipped (zero `shipping_date`), so `"0"` is read as not shipped and `"1"` as
/// shipped. Any other text is kept as [`ShippingStatus::Unknown`] and written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ShippingStatus {
    /// `"0"`.
    #[default]
    NotShipped,
    /// `"1"`.
    Shipped,
    /// Any other value, with its text (`""` included).
    Unknown(String),
}

impl ShippingStatus {
    /// The text on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            ShippingStatus::NotShipped => "0",
            ShippingStatus::Shipped => "1",
            ShippingStatus::Unknown(text) => text,
        }
    }
}

impl From<String> for ShippingStatus {
    fn from(text: String) -> Self {
        match text.as_str() {
            "0" => ShippingStatus::NotShipped,
            "1" => ShippingStatus::Shipped,
            _ => ShippingStatus::Unknown(text),
        }
    }
}

impl From<&str> for ShippingStatus {
    fn from(text: &str) -> Self {
        match text {
            "0" => ShippingStatus::NotShipped,
            "1" => ShippingStatus::Shipped,
            _ => ShippingStatus::Unknown(text.to_owned()),
        }
    }
}

impl fmt::Display for ShippingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A wall-clock date and time as Cartloom wrote it: the value, and the text it came as.
///
/// Cartloom writes `YYYY-MM-DD HH:MM:SS` in the store's time with no zone; its own sample
/// glues date and time (`"2013-02-0904:30:25"`), and an unset date is MySQL's zero date
/// `"0000-00-00 00:00:00"`. [`value`](Self::value) gives the time (`None` for the zero date,
/// `""`, `"null"` and JSON `null`); the text received is kept so that encoding writes it back
/// exactly. A value built in code ([`new`](Self::new), [`none`](Self::none)) is written in
/// the canonical form: `YYYY-MM-DD HH:MM:SS`, or the zero date.
///
/// Equality compares the text too: the glued and spaced forms of one instant are not equal.
/// Compare [`value`](Self::value)s to compare times.
///
/// ```
/// use cartloom_order::WireDateTime;
/// use cartloom_order::time::macros::datetime;
///
/// let glued = WireDateTime::parse("2013-02-0904:30:25")?;
/// assert_eq!(glued.value(), Some(datetime!(2013-02-09 04:30:25)));
/// assert_eq!(glued.wire_text().as_deref(), Some("2013-02-0904:30:25"));
/// assert!(!glued.is_canonical());
///
/// let zero = WireDateTime::parse("0000-00-00 00:00:00")?;
/// assert_eq!(zero.value(), None);
/// assert_eq!(zero, WireDateTime::none());
/// assert_ne!(WireDateTime::parse("")?, WireDateTime::none()); // same value, other text
/// # Ok::<(), cartloom_order::ScalarError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct WireDateTime {
    value: Option<PrimitiveDateTime>,
    spelling: Spelling,
}

/// How a [`WireDateTime`] is written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
enum Spelling {
    /// `YYYY-MM-DD HH:MM:SS`, or the zero date for none.
    #[default]
    Canonical,
    /// The text received, which is not the canonical one.
    Text(Box<str>),
    /// JSON `null`.
    Null,
}

impl WireDateTime {
    /// A date and time, written `YYYY-MM-DD HH:MM:SS`.
    pub fn new(value: PrimitiveDateTime) -> Self {
        Self {
            value: Some(value),
            spelling: Spelling::Canonical,
        }
    }

    /// No date, written as the zero date `0000-00-00 00:00:00`.
    pub fn none() -> Self {
        Self::default()
    }

    /// No date, written as JSON `null`.
    pub fn null() -> Self {
        Self {
            value: None,
            spelling: Spelling::Null,
        }
    }

    /// Parses the wire text, keeping it: `YYYY-MM-DD HH:MM:SS`, the glued
    /// `YYYY-MM-DDHH:MM:SS`, a `T` separator, a bare date, and `""`, `"null"` or a zero date
    /// for none.
    ///
    /// # Errors
    ///
    /// [`ScalarError`] when the text is none of these, or not a real date (`2013-02-30`).
    pub fn parse(text: &str) -> Result<Self, ScalarError> {
        let value = parse_naive_datetime(text)?;
        let spelling = if spelled_canonically(text, value) {
            Spelling::Canonical
        } else {
            Spelling::Text(text.into())
        };
        Ok(Self { value, spelling })
    }

    /// The date and time, or `None` when the wire said "no date".
    pub fn value(&self) -> Option<PrimitiveDateTime> {
        self.value
    }

    /// Whether there is no date.
    pub fn is_none(&self) -> bool {
        self.value.is_none()
    }

    /// The text written on the wire, or `None` when it is JSON `null`.
    pub fn wire_text(&self) -> Option<Cow<'_, str>> {
        match &self.spelling {
            Spelling::Canonical => Some(Cow::Owned(format_naive_datetime(self.value))),
            Spelling::Text(text) => Some(Cow::Borrowed(text)),
            Spelling::Null => None,
        }
    }

    /// Whether the value is written in the canonical form (`YYYY-MM-DD HH:MM:SS` or the zero
    /// date).
    pub fn is_canonical(&self) -> bool {
        self.spelling == Spelling::Canonical
    }

    /// The same value, to be written in the canonical form.
    pub fn to_canonical(&self) -> Self {
        Self {
            value: self.value,
            spelling: Spelling::Canonical,
        }
    }
}

impl From<PrimitiveDateTime> for WireDateTime {
    fn from(value: PrimitiveDateTime) -> Self {
        Self::new(value)
    }
}

impl From<Option<PrimitiveDateTime>> for WireDateTime {
    fn from(value: Option<PrimitiveDateTime>) -> Self {
        Self {
            value,
            spelling: Spelling::Canonical,
        }
    }
}

/// Whether `text` is exactly how [`format_naive_datetime`] writes `value`, without writing
/// it when the answer is plain: a year of four digits is compared digit for digit.
fn spelled_canonically(text: &str, value: Option<PrimitiveDateTime>) -> bool {
    let Some(v) = value else {
        return text == "0000-00-00 00:00:00";
    };
    let Ok(year) = u16::try_from(v.year()) else {
        return format_naive_datetime(value) == text;
    };
    if year > 9999 {
        return format_naive_datetime(value) == text;
    }
    let mut canonical = *b"0000-00-00 00:00:00";
    let fields = [
        (0, 4, year),
        (5, 2, u16::from(u8::from(v.month()))),
        (8, 2, u16::from(v.day())),
        (11, 2, u16::from(v.hour())),
        (14, 2, u16::from(v.minute())),
        (17, 2, u16::from(v.second())),
    ];
    for (start, width, mut number) in fields {
        for at in (start..start + width).rev() {
            if let Some(slot) = canonical.get_mut(at) {
                // `number % 10` is one digit.
                #[allow(clippy::cast_possible_truncation)]
                let digit = (number % 10) as u8;
                *slot = b'0' + digit;
            }
            number /= 10;
        }
    }
    text.as_bytes() == canonical
}

/// A JSON value kept as the exact text received (`extra_inputs`, unknown fields): the core
/// type every JSON protocol crate keeps unknown values in, under the name this crate has
/// always given it.
pub use cartwire_core::json::RawJson;

#[cfg(test)]
mod tests {
    use super::*;
    use cartwire_core::time::macros::datetime;

    /// The digit-for-digit check says what comparing with the written text says.
    #[test]
    fn canonical_spelling_is_the_written_text() {
        let times = [
            None,
            Some(datetime!(2013-02-09 04:30:25)),
            Some(datetime!(0000-01-01 00:00:00)),
            Some(datetime!(9999-12-31 23:59:59)),
            Some(datetime!(-0001-01-01 00:00:00)),
        ];
        for value in times {
            let written = format_naive_datetime(value);
            assert!(spelled_canonically(&written, value), "{written}");
            for other in [
                format!(" {written}"),
                written.replace(' ', "T"),
                written.replace(' ', ""),
                written.replacen('0', "1", 1),
                "0000-00-00 00:00:00".to_owned(),
                String::new(),
            ] {
                assert_eq!(
                    spelled_canonically(&other, value),
                    other == written,
                    "{other:?} for {written:?}"
                );
            }
        }
    }

    #[test]
    fn dates_keep_their_spelling() {
        let cases = [
            (
                "2013-02-09 04:30:25",
                Some(datetime!(2013-02-09 04:30:25)),
                true,
            ),
            (
                "2013-02-0904:30:25",
                Some(datetime!(2013-02-09 04:30:25)),
                false,
            ),
            (
                "2013-02-09T04:30:25",
                Some(datetime!(2013-02-09 04:30:25)),
                false,
            ),
            ("2013-02-09", Some(datetime!(2013-02-09 00:00:00)), false),
            ("0000-00-00 00:00:00", None, true),
            ("0000-00-00", None, false),
            ("", None, false),
            ("null", None, false),
        ];
        for (text, value, canonical) in cases {
            let date = WireDateTime::parse(text).unwrap();
            assert_eq!(date.value(), value, "{text:?}");
            assert_eq!(date.is_canonical(), canonical, "{text:?}");
            assert_eq!(date.wire_text().as_deref(), Some(text), "{text:?}");
            assert_eq!(date.to_canonical().value(), value);
        }
        assert!(WireDateTime::parse("2013-02-30 00:00:00").is_err());
        assert!(WireDateTime::parse("soon").is_err());
        assert_eq!(WireDateTime::null().wire_text(), None);
        assert!(WireDateTime::null().is_none());
        assert_eq!(
            WireDateTime::from(datetime!(2020-01-02 03:04:05))
                .wire_text()
                .as_deref(),
            Some("2020-01-02 03:04:05")
        );
        assert_eq!(
            WireDateTime::none().wire_text().as_deref(),
            Some("0000-00-00 00:00:00")
        );
    }

    #[test]
    fn shipping_status_keeps_unknown_text() {
        assert_eq!(ShippingStatus::from("0"), ShippingStatus::NotShipped);
        assert_eq!(
            ShippingStatus::from("1".to_owned()),
            ShippingStatus::Shipped
        );
        let odd = ShippingStatus::from("partial");
        assert_eq!(odd, ShippingStatus::Unknown("partial".into()));
        assert_eq!(odd.as_str(), "partial");
        assert_eq!(ShippingStatus::Shipped.to_string(), "1");
        assert_eq!(
            ShippingStatus::from(""),
            ShippingStatus::Unknown(String::new())
        );
    }

    #[test]
    fn a_blank_order_has_no_extra_inputs() {
        assert_eq!(Order::default().extra_inputs.get(), "[]");
        assert_eq!(Order::new("1").extra_inputs, RawJson::empty_array());
    }

    #[test]
    fn blank_shipping_and_ship_to() {
        let mut order = Order::new("1");
        order.billing.city = "Some City".into();
        assert_eq!(order.ship_to().city, "Some City");
        let mut shipping = ShippingAddress::default();
        assert!(shipping.is_blank());
        shipping.company = Some(String::new());
        assert!(shipping.is_blank());
        shipping.city = "Atlanta".into();
        assert!(!shipping.is_blank());
        order.shipping = Some(shipping);
        assert_eq!(order.ship_to().city, "Atlanta");
    }

    #[test]
    fn totals() {
        let mut order = Order::new("1");
        order
            .items
            .push(Item::new("1", "1", 2, Decimal::new(1995, 2)));
        order
            .items
            .push(Item::new("2", "2", u32::MAX, Decimal::ONE));
        assert_eq!(order.total_quantity(), u32::MAX);
        assert_eq!(
            order.items[0].line_total().map(|d| d.to_string()),
            Some("39.90".into())
        );
    }
}
