//! One event model for every cart: what a notification *means* for the shop, in one
//! vocabulary, whichever vendor sent it.
//!
//! A shop that sells through several carts maps each vendor's words onto the same business
//! actions: grant access on payment, revoke it on cancellation, refund or the end of a
//! subscription. [`Event`] is that mapping's result: the [`EventKind`], when it happened
//! (where the protocol says), the order and subscription ids, the [`Customer`], the total
//! and the [`Item`]s, and the notification's [`DedupKey`].
//!
//! Core knows no protocol: each receiving crate implements [`ToEvent`] for what its key
//! receives, with a table in its docs giving, for every kind, the vendor phrase the mapping
//! rests on and marking the guesses (`cartstack-confirm` has none: it sends a confirmation to
//! CartStack and receives no notification). The original notification stays yours: `to_event`
//! borrows it, and with the `axum08` feature the
//! [`VerifiedEvent<R>`](crate::axum08::VerifiedEvent) extractor hands a handler both the
//! [`Event`] and the notification it was made from.
//!
//! | kind | JSON | typically means for access |
//! |---|---|---|
//! | [`EventKind::OrderCreated`] | `order_created` | nothing yet (not paid) |
//! | [`EventKind::OrderPaid`] | `order_paid` | grant |
//! | [`EventKind::PartialPayment`] | `partial_payment` | the shop's call (a deposit) |
//! | [`EventKind::OrderCancelled`] | `order_cancelled` | revoke |
//! | [`EventKind::OrderRefunded`] | `order_refunded` | revoke |
//! | [`EventKind::PaymentFailed`] | `payment_failed` | the shop's call (a dunning period) |
//! | [`EventKind::SubscriptionStarted`] | `subscription_started` | grant |
//! | [`EventKind::SubscriptionRenewed`] | `subscription_renewed` | grant (extend) |
//! | [`EventKind::SubscriptionEnded`] | `subscription_ended` | revoke |
//! | [`EventKind::CartAbandoned`] | `cart_abandoned` | nothing (a reminder mail) |
//! | [`EventKind::Other`] | the vendor's name, verbatim | look at the notification |
//!
//! # The JSON form
//!
//! Stable `snake_case` names, every field always present (`null` when the protocol does not
//! carry it), money as strings that keep their scale (`"49.00"` stays `"49.00"`), and
//! [`Event`] reads back what it writes:
//!
//! ```
//! use cartwire_core::event::{Customer, Event, EventKind};
//! use cartwire_core::{Decimal, DedupKey};
//!
//! let mut event = Event::new(
//!     "cartfreak",
//!     EventKind::OrderPaid,
//!     DedupKey::builder("cartfreak", "CREATE").field("order_id", "100234").finish(),
//! );
//! event.order_id = Some("100234".into());
//! event.total = Some(Decimal::new(4728, 2));
//! event.customer = Customer::with_email("jose+shop@example.com");
//!
//! let json = serde_json::to_value(&event)?;
//! assert_eq!(json["kind"], "order_paid");
//! assert_eq!(json["total"], "47.28");
//! assert_eq!(json["currency"], serde_json::Value::Null);
//! assert_eq!(json["customer"]["email"], "jose+shop@example.com");
//! assert_eq!(serde_json::from_value::<Event>(json)?, event);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! # Currency
//!
//! [`Event::currency`] is set only where the delivery states one. None of the vendor pages
//! does (CartFreak, JustClick and Cartloom send bare amounts; the shop's currency is a
//! setting of its account, never sent), so for them it is always `None`; the shop knows its
//! currency and the library does not invent one. Cartfunnel's webhook body is whatever the
//! merchant's template writes: its mapping reads a `currency` field when the body has one.

use core::fmt;
use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::dedup::{Dedup, DedupKey};
use crate::scalar;

/// What a notification means for the shop, vendor-neutral (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// The protocol that carried it, as [`Receiver::PROTOCOL`](crate::Receiver::PROTOCOL)
    /// spells it (`cartfreak`, `cartloom`, `justclick`, `cartfunnel`).
    pub protocol: Cow<'static, str>,
    /// What happened.
    pub kind: EventKind,
    /// When it happened, where the protocol says (see [`OccurredAt`]); `None` where it does
    /// not (a CartFreak notification carries no time; a JustClick cancellation carries the
    /// invoice's creation time, not the cancellation's).
    pub occurred_at: Option<OccurredAt>,
    /// The vendor's order or invoice id, as sent (zero padding kept).
    pub order_id: Option<String>,
    /// The vendor's id of the recurring subscription (CartFreak's `billing_id`).
    pub subscription_id: Option<String>,
    /// The customer, as far as the notification tells.
    pub customer: Customer,
    /// The order's total, as the vendor names it (each crate's table says which field);
    /// scale kept.
    #[serde(with = "scalar::opt_decimal")]
    pub total: Option<Decimal>,
    /// The currency, only where the delivery states one (see the
    /// [module docs](self#currency)).
    pub currency: Option<String>,
    /// The items, in the order sent.
    pub items: Vec<Item>,
    /// The notification's idempotency key ([`Dedup::dedup_key`]): the same for a retried
    /// delivery, so a store keyed on it handles each event once.
    pub dedup_key: DedupKey,
}

impl Event {
    /// An event of `kind` from `protocol` with its key; everything else empty.
    pub fn new(
        protocol: impl Into<Cow<'static, str>>,
        kind: EventKind,
        dedup_key: DedupKey,
    ) -> Self {
        Self {
            protocol: protocol.into(),
            kind,
            occurred_at: None,
            order_id: None,
            subscription_id: None,
            customer: Customer::default(),
            total: None,
            currency: None,
            items: Vec::new(),
            dedup_key,
        }
    }
}

impl Dedup for Event {
    fn dedup_key(&self) -> DedupKey {
        self.dedup_key.clone()
    }
}

/// What a received notification means, in the shared vocabulary: implemented by every
/// receiving crate for what its key receives (each with a mapping table in its docs).
///
/// The notification stays as it was: `to_event` borrows it, so a handler that needs a
/// vendor's own field (a JustClick partner fee, a Cartloom serial number) still has it.
pub trait ToEvent: Dedup {
    /// The event this notification reports. Never fails: a kind the crate does not know is
    /// [`EventKind::Other`], a field it does not carry is `None`.
    fn to_event(&self) -> Event;
}

/// The kind of an [`Event`] (see the [module docs](self) for the table).
///
/// Its JSON form is one string: the `snake_case` name of a known kind, or the vendor's own
/// name for [`Other`](Self::Other).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// An order or invoice was created, not paid yet.
    OrderCreated,
    /// An order was paid (in full).
    OrderPaid,
    /// Part of an order was paid (a prepayment, a deposit).
    PartialPayment,
    /// An order was cancelled.
    OrderCancelled,
    /// An order was refunded (in full or in part: the notification tells how much).
    OrderRefunded,
    /// A payment was declined.
    PaymentFailed,
    /// A recurring subscription started (or was re-activated).
    SubscriptionStarted,
    /// A recurring subscription was renewed.
    SubscriptionRenewed,
    /// A recurring subscription ended (cancelled, billing failed for good, or completed).
    SubscriptionEnded,
    /// A cart was left without checking out.
    CartAbandoned,
    /// A kind of the vendor's that is none of these, kept by the vendor's name
    /// (CartFreak's `REFUND`, a JustClick status this library does not know).
    ///
    /// Build it with [`EventKind::from_name`], which gives the known kind for a known
    /// name: an `Other` holding a known name (`Other("order_paid")`) would be written as
    /// that name and read back as the known kind.
    Other(String),
}

/// The known kinds and their JSON names.
const NAMES: [(EventKind, &str); 10] = [
    (EventKind::OrderCreated, "order_created"),
    (EventKind::OrderPaid, "order_paid"),
    (EventKind::PartialPayment, "partial_payment"),
    (EventKind::OrderCancelled, "order_cancelled"),
    (EventKind::OrderRefunded, "order_refunded"),
    (EventKind::PaymentFailed, "payment_failed"),
    (EventKind::SubscriptionStarted, "subscription_started"),
    (EventKind::SubscriptionRenewed, "subscription_renewed"),
    (EventKind::SubscriptionEnded, "subscription_ended"),
    (EventKind::CartAbandoned, "cart_abandoned"),
];

impl EventKind {
    /// The kind's name: `order_paid`, …, or the vendor's name for [`Other`](Self::Other).
    pub fn as_str(&self) -> &str {
        match self {
            EventKind::OrderCreated => "order_created",
            EventKind::OrderPaid => "order_paid",
            EventKind::PartialPayment => "partial_payment",
            EventKind::OrderCancelled => "order_cancelled",
            EventKind::OrderRefunded => "order_refunded",
            EventKind::PaymentFailed => "payment_failed",
            EventKind::SubscriptionStarted => "subscription_started",
            EventKind::SubscriptionRenewed => "subscription_renewed",
            EventKind::SubscriptionEnded => "subscription_ended",
            EventKind::CartAbandoned => "cart_abandoned",
            EventKind::Other(name) => name,
        }
    }

    /// The kind of this name: a known kind for its `snake_case` name (case-sensitive),
    /// [`Other`](Self::Other) for anything else.
    ///
    /// ```
    /// use cartwire_core::event::EventKind;
    ///
    /// assert_eq!(EventKind::from_name("order_refunded"), EventKind::OrderRefunded);
    /// assert_eq!(EventKind::from_name("REFUND"), EventKind::Other("REFUND".into()));
    /// assert_eq!(EventKind::from_name("REFUND").as_str(), "REFUND");
    /// ```
    pub fn from_name(name: &str) -> Self {
        NAMES.iter().find(|(_, known)| *known == name).map_or_else(
            || EventKind::Other(name.to_owned()),
            |(kind, _)| kind.clone(),
        )
    }

    /// Every known kind (not [`Other`](Self::Other)).
    pub fn known() -> impl Iterator<Item = EventKind> {
        NAMES.into_iter().map(|(kind, _)| kind)
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = Cow::<'de, str>::deserialize(deserializer)?;
        Ok(EventKind::from_name(&name))
    }
}

/// When an event happened, as precisely as the protocol says it.
///
/// JSON: one string. An [`Instant`](Self::Instant) is RFC 3339 with its offset
/// (`2024-04-02T09:01:01Z`); a [`Local`](Self::Local) time is `YYYY-MM-DD HH:MM:SS`, without
/// zone, exactly as the vendor wrote it (a space, not `T`, and no offset: it cannot be
/// mistaken for an instant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OccurredAt {
    /// A point in time (JustClick's Unix seconds: UTC).
    Instant(OffsetDateTime),
    /// A wall-clock time without zone (Cartloom's `date`: the shop's local time, whose zone
    /// the notification does not say).
    Local(PrimitiveDateTime),
}

impl OccurredAt {
    /// The instant, when the protocol gives one.
    pub fn instant(&self) -> Option<OffsetDateTime> {
        match self {
            OccurredAt::Instant(at) => Some(*at),
            OccurredAt::Local(_) => None,
        }
    }

    /// The wall-clock time: the instant's date and time in its own offset, or the local time.
    pub fn wall_clock(&self) -> PrimitiveDateTime {
        match self {
            OccurredAt::Instant(at) => PrimitiveDateTime::new(at.date(), at.time()),
            OccurredAt::Local(local) => *local,
        }
    }
}

impl fmt::Display for OccurredAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OccurredAt::Instant(at) => f.write_str(&scalar::format_rfc3339(*at)),
            OccurredAt::Local(local) => f.write_str(&scalar::format_naive_datetime(Some(*local))),
        }
    }
}

impl Serialize for OccurredAt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OccurredAt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        let unexpected = || {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&text),
                &"an RFC 3339 time or YYYY-MM-DD HH:MM:SS",
            )
        };
        if let Ok(Some(at)) = scalar::parse_rfc3339(&text) {
            return Ok(OccurredAt::Instant(at));
        }
        match scalar::parse_naive_datetime(&text) {
            Ok(Some(local)) => Ok(OccurredAt::Local(local)),
            _ => Err(unexpected()),
        }
    }
}

/// The customer of an event, as far as the notification tells (`None`: not sent, or blank).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Customer {
    /// E-mail address.
    pub email: Option<String>,
    /// First (given) name.
    pub first_name: Option<String>,
    /// Middle name (JustClick's `middle_name`, a patronymic in Russian shops).
    pub middle_name: Option<String>,
    /// Last (family) name.
    pub last_name: Option<String>,
    /// Phone number, as sent.
    pub phone: Option<String>,
    /// The address the notification gives (billing, or delivery where that is all it has:
    /// each crate's table says which).
    pub address: Option<Address>,
}

impl Customer {
    /// A customer known by e-mail only.
    pub fn with_email(email: impl Into<String>) -> Self {
        Self {
            email: Some(email.into()),
            ..Self::default()
        }
    }
}

/// A postal address (`None`: not sent, or blank).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Address {
    /// First line.
    pub line1: Option<String>,
    /// Second line.
    pub line2: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State, province or region.
    pub region: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Country, as sent (a code or a name: the vendors differ).
    pub country: Option<String>,
}

impl Address {
    /// An address from its parts, each blank (empty or white space) one as `None`; `None`
    /// when every part is blank.
    pub fn from_parts(
        line1: &str,
        line2: &str,
        city: &str,
        region: &str,
        postal_code: &str,
        country: &str,
    ) -> Option<Self> {
        let address = Self {
            line1: text(line1),
            line2: text(line2),
            city: text(city),
            region: text(region),
            postal_code: text(postal_code),
            country: text(country),
        };
        (address != Self::default()).then_some(address)
    }
}

/// One item of an event's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Item {
    /// The vendor's id of the product or line.
    pub id: Option<String>,
    /// The SKU, where the vendor has one.
    pub sku: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The quantity, where the vendor sends one.
    pub quantity: Option<u32>,
    /// The price of one unit as charged (each crate's table says which field), scale kept.
    #[serde(with = "scalar::opt_decimal")]
    pub price: Option<Decimal>,
}

impl Item {
    /// An item with this id and title (blank ones as `None`).
    pub fn new(id: &str, title: &str) -> Self {
        Self {
            id: text(id),
            title: text(title),
            ..Self::default()
        }
    }
}

/// A text field of an event: `None` when blank (empty or white space), else the text as sent.
pub fn text(value: &str) -> Option<String> {
    (!value.trim().is_empty()).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key() -> DedupKey {
        DedupKey::builder("p", "k").finish()
    }

    #[test]
    fn every_kind_round_trips_by_name() {
        for kind in EventKind::known().chain([EventKind::Other("REFUND".into())]) {
            let json = serde_json::to_value(&kind).unwrap();
            assert_eq!(json, serde_json::Value::String(kind.to_string()));
            assert_eq!(serde_json::from_value::<EventKind>(json).unwrap(), kind);
            assert_eq!(EventKind::from_name(kind.as_str()), kind);
        }
        assert_eq!(EventKind::known().count(), NAMES.len());
        assert_eq!(
            EventKind::from_name("Order_Paid"),
            EventKind::Other("Order_Paid".into())
        );
    }

    #[test]
    fn occurred_at_keeps_instant_and_local_apart() {
        let instant =
            OccurredAt::Instant(OffsetDateTime::from_unix_timestamp(1_712_048_461).unwrap());
        let json = serde_json::to_string(&instant).unwrap();
        assert_eq!(json, r#""2024-04-02T09:01:01Z""#);
        assert_eq!(serde_json::from_str::<OccurredAt>(&json).unwrap(), instant);

        let local = OccurredAt::Local(
            scalar::parse_naive_datetime("2013-02-0904:30:25")
                .unwrap()
                .unwrap(),
        );
        let json = serde_json::to_string(&local).unwrap();
        assert_eq!(json, r#""2013-02-09 04:30:25""#);
        assert_eq!(serde_json::from_str::<OccurredAt>(&json).unwrap(), local);
        assert_eq!(local.instant(), None);
        assert_eq!(
            OccurredAt::Local(instant.wall_clock()).to_string(),
            "2024-04-02 09:01:01"
        );

        for bad in [r#""yesterday""#, r#""""#, "7"] {
            assert!(serde_json::from_str::<OccurredAt>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_full_event_round_trips_and_names_are_stable() {
        let mut event = Event::new("p", EventKind::SubscriptionStarted, key());
        event.occurred_at = Some(OccurredAt::Local(
            scalar::parse_naive_datetime("2013-02-09 04:30:25")
                .unwrap()
                .unwrap(),
        ));
        event.order_id = Some("0000123456".into());
        event.subscription_id = Some("224".into());
        event.customer = Customer {
            email: Some("a@b.c".into()),
            first_name: Some("Анна".into()),
            middle_name: None,
            last_name: Some("B".into()),
            phone: Some("+7 900".into()),
            address: Address::from_parts("1 Main", "", "Town", "GA", "30120", "US"),
        };
        event.total = Some(Decimal::new(4900, 2));
        event.items = vec![Item {
            id: Some("0001234567".into()),
            sku: Some("WDGT001".into()),
            title: Some("Widget".into()),
            quantity: Some(2),
            price: Some(Decimal::new(1000, 3)),
        }];
        let json = serde_json::to_value(&event).unwrap();
        let names: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = [
            "protocol",
            "kind",
            "occurred_at",
            "order_id",
            "subscription_id",
            "customer",
            "total",
            "currency",
            "items",
            "dedup_key",
        ];
        let mut sorted = names.clone();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(json["total"], "49.00");
        assert_eq!(json["items"][0]["price"], "1.000");
        assert_eq!(
            json["customer"]["address"]["line2"],
            serde_json::Value::Null
        );
        assert_eq!(json["dedup_key"], key().as_str());
        assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
    }

    #[test]
    fn a_bad_dedup_key_is_refused() {
        let event = Event::new("p", EventKind::OrderPaid, key());
        let mut json = serde_json::to_value(&event).unwrap();
        json["dedup_key"] = "not-a-key".into();
        assert!(serde_json::from_value::<Event>(json).is_err());
    }

    #[test]
    fn blank_parts_are_none() {
        assert_eq!(Address::from_parts(" ", "", "", "", "", ""), None);
        assert_eq!(text("  "), None);
        assert_eq!(Item::new("", "T").id, None);
    }
}
