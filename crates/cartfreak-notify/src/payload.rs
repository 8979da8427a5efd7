//! The notification types: one per command, with the wire field names of the vendor's page.
//!
//! # Decisions where the vendor is silent
//!
//! * **Absent and blank are the same.** The cart sends every documented field of a command,
//!   blank when it has no value. Decoding treats an absent text field as blank, and encoding
//!   writes every documented field, blank or not, in the vendor's documented order, as the
//!   cart does. `billing_id` is `None` when absent or blank.
//! * **Money is strict.** `amount`, `fee` and `total` of a `CREATE` must be decimals
//!   (`19.95`, scale kept); a missing, blank or malformed one fails the decode naming the
//!   field. A `total` that is not `amount - fee` does *not* fail the decode: see
//!   [`Create::check_total`].
//! * **`RENEW`, `COMPLETE`, `DECLINE`** come from CartFreak's own receiver package, which
//!   names them but documents no fields. They concern a subscription, like `REMOVE`, so they
//!   share its type [`SubscriptionEvent`] (`billing_id`, `email`); whatever else they carry is
//!   kept, in arrival order, in [`SubscriptionEvent::extra`].
//! * **Commands are case-sensitive**, as in the vendor's receiver: `create` is an
//!   [`Notification::Unknown`] command, kept with all its fields.
//! * **An unknown command** still has the fields every command carries, `billing_id` and
//!   `email`, as typed fields of [`UnknownCommand`] (`None` when it did not carry them, so it
//!   is written back as it came); everything else is in [`UnknownCommand::extra`].
//! * **Unknown fields** are kept in arrival order ([`Extra`]) and written back after the
//!   documented ones. An extra field that bears the name of a documented field of the same
//!   command, `command` or `hash` is skipped on encode: the typed field wins.
//! * **De-duplication**: [`Notification::dedup_key`] (see there for the fields and why).

use core::fmt;
use std::borrow::Cow;

use cartwire_core::{Decimal, Dedup, DedupKey, Extra, Receiver as _};

use crate::error::TotalMismatch;

/// The `command` field: which event the notification reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Command {
    /// `CREATE`: a new sale, or a re-activated recurring subscription.
    Create,
    /// `REMOVE`: a recurring subscription was deactivated (by request or failed billing).
    Remove,
    /// `RENEW`: named by CartFreak's receiver package; a subscription was renewed.
    Renew,
    /// `COMPLETE`: named by CartFreak's receiver package; a subscription completed.
    Complete,
    /// `DECLINE`: named by CartFreak's receiver package; a subscription payment was declined.
    Decline,
    /// Any other value, kept verbatim (case included).
    Unknown(String),
}

impl Command {
    /// The command as on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Command::Create => "CREATE",
            Command::Remove => "REMOVE",
            Command::Renew => "RENEW",
            Command::Complete => "COMPLETE",
            Command::Decline => "DECLINE",
            Command::Unknown(other) => other,
        }
    }

    /// Reads the wire text; anything but the five known upper-case names is
    /// [`Command::Unknown`].
    pub fn from_wire(text: &str) -> Self {
        match text {
            "CREATE" => Command::Create,
            "REMOVE" => Command::Remove,
            "RENEW" => Command::Renew,
            "COMPLETE" => Command::Complete,
            "DECLINE" => Command::Decline,
            other => Command::Unknown(other.to_owned()),
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Command {
    fn from(text: &str) -> Self {
        Command::from_wire(text)
    }
}

/// The wire fields of a `CREATE`, in the vendor's documented order (after `command`).
pub const CREATE_FIELDS: [&str; 24] = [
    "billing_id",
    "first_name",
    "last_name",
    "email",
    "address",
    "address2",
    "city",
    "state",
    "zipcode",
    "country",
    "ship_address",
    "ship_address2",
    "ship_city",
    "ship_state",
    "ship_zipcode",
    "ship_country",
    "phone",
    "product_id",
    "product_name",
    "amount",
    "fee",
    "total",
    "order_id",
    "order_hash",
];

/// The wire fields of a `REMOVE` (and of `RENEW`, `COMPLETE`, `DECLINE`), in order, after
/// `command`.
pub const SUBSCRIPTION_FIELDS: [&str; 2] = ["billing_id", "email"];

/// The customer of a `CREATE`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Customer {
    /// `first_name`.
    pub first_name: String,
    /// `last_name`.
    pub last_name: String,
    /// `email`.
    pub email: String,
    /// `phone`, with country code.
    pub phone: String,
}

impl Customer {
    /// A customer with a name and an email (no phone).
    pub fn new(
        first_name: impl Into<String>,
        last_name: impl Into<String>,
        email: impl Into<String>,
    ) -> Self {
        Self {
            first_name: first_name.into(),
            last_name: last_name.into(),
            email: email.into(),
            phone: String::new(),
        }
    }

    /// Sets the phone number.
    pub fn with_phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = phone.into();
        self
    }
}

/// A postal address: the billing fields (`address` … `country`) or the shipping ones
/// (`ship_address` … `ship_country`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Address {
    /// First line (`address` / `ship_address`).
    pub address: String,
    /// Second line (`address2` / `ship_address2`).
    pub address2: String,
    /// City.
    pub city: String,
    /// State or province.
    pub state: String,
    /// Postal code (`zipcode`).
    pub zipcode: String,
    /// Country, as the cart writes it.
    pub country: String,
}

impl Address {
    /// An address from its first line, city, state, postal code and country.
    pub fn new(
        address: impl Into<String>,
        city: impl Into<String>,
        state: impl Into<String>,
        zipcode: impl Into<String>,
        country: impl Into<String>,
    ) -> Self {
        Self {
            address: address.into(),
            address2: String::new(),
            city: city.into(),
            state: state.into(),
            zipcode: zipcode.into(),
            country: country.into(),
        }
    }

    /// Sets the second line.
    pub fn with_address2(mut self, address2: impl Into<String>) -> Self {
        self.address2 = address2.into();
        self
    }

    /// Whether every field is blank (empty or white space): for the shipping fields, the cart's
    /// way of saying "same as billing".
    pub fn is_blank(&self) -> bool {
        [
            &self.address,
            &self.address2,
            &self.city,
            &self.state,
            &self.zipcode,
            &self.country,
        ]
        .iter()
        .all(|field| field.trim().is_empty())
    }
}

/// `CREATE`: a new sale, or a re-activated recurring subscription.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Create {
    /// `billing_id`: the subscription, for recurring products only.
    pub billing_id: Option<String>,
    /// `first_name`, `last_name`, `email`, `phone`.
    pub customer: Customer,
    /// `address` … `country`.
    pub billing_address: Address,
    /// `ship_address` … `ship_country` as sent: all blank when shipping equals billing. Use
    /// [`Create::effective_shipping`] for the address to ship to.
    pub shipping_address: Address,
    /// `product_id`.
    pub product_id: String,
    /// `product_name`.
    pub product_name: String,
    /// `amount`, the order amount (scale as received).
    pub amount: Decimal,
    /// `fee`, the order fees.
    pub fee: Decimal,
    /// `total`, documented as `amount - fee`; see [`Create::check_total`].
    pub total: Decimal,
    /// `order_id`.
    pub order_id: String,
    /// `order_hash`, for back-end processing (one-click upsells).
    pub order_hash: String,
    /// Fields the vendor does not document, in arrival order.
    pub extra: Extra,
}

impl Create {
    /// A sale of `product_id` for `amount` with `fee`; `total` is set to `amount - fee`
    /// (saturating). Every other field starts blank.
    pub fn new(
        order_id: impl Into<String>,
        product_id: impl Into<String>,
        product_name: impl Into<String>,
        amount: Decimal,
        fee: Decimal,
    ) -> Self {
        Self {
            order_id: order_id.into(),
            product_id: product_id.into(),
            product_name: product_name.into(),
            amount,
            fee,
            total: amount.saturating_sub(fee),
            ..Self::default()
        }
    }

    /// Sets the customer.
    pub fn with_customer(mut self, customer: Customer) -> Self {
        self.customer = customer;
        self
    }

    /// Sets the billing address.
    pub fn with_billing_address(mut self, address: Address) -> Self {
        self.billing_address = address;
        self
    }

    /// Sets a shipping address different from the billing one.
    pub fn with_shipping_address(mut self, address: Address) -> Self {
        self.shipping_address = address;
        self
    }

    /// Sets the subscription's billing id (recurring products).
    pub fn with_billing_id(mut self, billing_id: impl Into<String>) -> Self {
        self.billing_id = Some(billing_id.into());
        self
    }

    /// Sets the order hash.
    pub fn with_order_hash(mut self, order_hash: impl Into<String>) -> Self {
        self.order_hash = order_hash.into();
        self
    }

    /// The address to ship to: the `ship_*` fields, or the billing address when they are all
    /// blank (the cart leaves them blank when shipping equals billing). When any `ship_*`
    /// field has a value, the shipping fields are taken as a whole, never mixed with billing
    /// ones.
    pub fn effective_shipping(&self) -> &Address {
        if self.shipping_address.is_blank() {
            &self.billing_address
        } else {
            &self.shipping_address
        }
    }

    /// Whether the cart said "ship to the billing address" (every `ship_*` field blank).
    pub fn ships_to_billing_address(&self) -> bool {
        self.shipping_address.is_blank()
    }

    /// Checks the documented relation `total = amount - fee` (compared by value: `9.5` equals
    /// `9.50`). A mismatch is reported, never a decode failure: the cart's arithmetic is its
    /// own, and the receiver decides what to trust.
    pub fn check_total(&self) -> Result<(), TotalMismatch> {
        let expected = self.amount.checked_sub(self.fee);
        if expected == Some(self.total) {
            Ok(())
        } else {
            Err(TotalMismatch {
                amount: self.amount,
                fee: self.fee,
                total: self.total,
                expected,
            })
        }
    }
}

/// `REMOVE`, and the undocumented `RENEW`, `COMPLETE`, `DECLINE`: an event of a recurring
/// subscription.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SubscriptionEvent {
    /// `billing_id`: the subscription.
    pub billing_id: Option<String>,
    /// `email`: the customer.
    pub email: String,
    /// Fields the vendor does not document (for `RENEW` and the others, everything but
    /// `billing_id` and `email`), in arrival order.
    pub extra: Extra,
}

impl SubscriptionEvent {
    /// An event of subscription `billing_id` for the customer `email`.
    pub fn new(billing_id: impl Into<String>, email: impl Into<String>) -> Self {
        Self {
            billing_id: Some(billing_id.into()),
            email: email.into(),
            extra: Extra::new(),
        }
    }
}

/// A notification whose `command` this crate does not know, kept whole.
///
/// The fields every CartFreak command carries, `billing_id` and `email`, are typed fields
/// here too, so a handler can find the subscription and the customer of a command that did
/// not exist when it was written; every other field is in [`extra`](Self::extra).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownCommand {
    /// The `command` value, verbatim. Should not be one of the five known names (a
    /// notification built that way decodes back as the known command).
    pub command: String,
    /// `billing_id` as received: `None` when the notification did not carry it, `Some("")`
    /// when it was sent blank (kept, so the notification is written back as it came;
    /// [`Notification::billing_id`] reads both as no subscription).
    pub billing_id: Option<String>,
    /// `email` as received: `None` when the notification did not carry it.
    pub email: Option<String>,
    /// Every other field (but `hash`), in arrival order.
    pub extra: Extra,
}

impl UnknownCommand {
    /// An unknown command with no fields.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
            billing_id: None,
            email: None,
            extra: Extra::new(),
        }
    }

    /// Sets `billing_id`.
    pub fn with_billing_id(mut self, billing_id: impl Into<String>) -> Self {
        self.billing_id = Some(billing_id.into());
        self
    }

    /// Sets `email`.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }
}

/// A CartFreak notification, one variant per command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
// A notification is handled one at a time; boxing `Create` would cost an allocation and make
// every match and construction clumsier for no gain.
#[allow(clippy::large_enum_variant)]
pub enum Notification {
    /// `CREATE`.
    Create(Create),
    /// `REMOVE`.
    Remove(SubscriptionEvent),
    /// `RENEW`.
    Renew(SubscriptionEvent),
    /// `COMPLETE`.
    Complete(SubscriptionEvent),
    /// `DECLINE`.
    Decline(SubscriptionEvent),
    /// Any other command, with all its fields.
    Unknown(UnknownCommand),
}

impl Notification {
    /// The command.
    pub fn command(&self) -> Command {
        match self {
            Notification::Create(_) => Command::Create,
            Notification::Remove(_) => Command::Remove,
            Notification::Renew(_) => Command::Renew,
            Notification::Complete(_) => Command::Complete,
            Notification::Decline(_) => Command::Decline,
            Notification::Unknown(unknown) => Command::from_wire(&unknown.command),
        }
    }

    /// The command as on the wire (what the `hash` covers).
    pub fn command_str(&self) -> &str {
        match self {
            Notification::Create(_) => "CREATE",
            Notification::Remove(_) => "REMOVE",
            Notification::Renew(_) => "RENEW",
            Notification::Complete(_) => "COMPLETE",
            Notification::Decline(_) => "DECLINE",
            Notification::Unknown(unknown) => &unknown.command,
        }
    }

    /// The `CREATE` payload, if this is one.
    pub fn as_create(&self) -> Option<&Create> {
        match self {
            Notification::Create(create) => Some(create),
            _ => None,
        }
    }

    /// The subscription event, for `REMOVE`, `RENEW`, `COMPLETE` and `DECLINE`.
    pub fn as_subscription_event(&self) -> Option<&SubscriptionEvent> {
        match self {
            Notification::Remove(event)
            | Notification::Renew(event)
            | Notification::Complete(event)
            | Notification::Decline(event) => Some(event),
            _ => None,
        }
    }

    /// The subscription's `billing_id`, when the notification has one (blank is none).
    pub fn billing_id(&self) -> Option<&str> {
        match self {
            Notification::Create(create) => create.billing_id.as_deref(),
            Notification::Unknown(unknown) => {
                unknown.billing_id.as_deref().filter(|id| !id.is_empty())
            }
            _ => self
                .as_subscription_event()
                .and_then(|event| event.billing_id.as_deref()),
        }
    }

    /// The customer's `email` (for an unknown command: `None` when it carried none).
    pub fn email(&self) -> Option<&str> {
        match self {
            Notification::Create(create) => Some(&create.customer.email),
            Notification::Unknown(unknown) => unknown.email.as_deref(),
            _ => self
                .as_subscription_event()
                .map(|event| event.email.as_str()),
        }
    }

    /// The fields the vendor does not document (for an unknown command: all its fields but
    /// `billing_id` and `email`).
    pub fn extra(&self) -> &Extra {
        match self {
            Notification::Create(create) => &create.extra,
            Notification::Remove(event)
            | Notification::Renew(event)
            | Notification::Complete(event)
            | Notification::Decline(event) => &event.extra,
            Notification::Unknown(unknown) => &unknown.extra,
        }
    }

    /// [`Create::check_total`] for a `CREATE`; `Ok` for the others, which carry no total.
    pub fn check_total(&self) -> Result<(), TotalMismatch> {
        match self {
            Notification::Create(create) => create.check_total(),
            _ => Ok(()),
        }
    }

    /// The names of the fields the notification's type holds as typed fields:
    /// [`CREATE_FIELDS`] for a `CREATE`, [`SUBSCRIPTION_FIELDS`] for the others (unknown
    /// commands included). An extra field of one of these names is never written.
    pub(crate) fn typed_names(&self) -> &'static [&'static str] {
        match self {
            Notification::Create(_) => &CREATE_FIELDS,
            _ => &SUBSCRIPTION_FIELDS,
        }
    }

    /// The documented fields after `command`, in the vendor's order, as wire text (blank when
    /// empty; for an unknown command, `billing_id` and `email` when it carried them),
    /// followed by the extra fields that do not collide with a documented name.
    pub fn wire_fields(&self) -> Vec<(&str, Cow<'_, str>)> {
        let mut out: Vec<(&str, Cow<'_, str>)> = Vec::with_capacity(32);
        match self {
            Notification::Create(c) => {
                out.push((
                    "billing_id",
                    Cow::Borrowed(c.billing_id.as_deref().unwrap_or("")),
                ));
                out.push(("first_name", text(&c.customer.first_name)));
                out.push(("last_name", text(&c.customer.last_name)));
                out.push(("email", text(&c.customer.email)));
                push_address(&mut out, &c.billing_address, false);
                push_address(&mut out, &c.shipping_address, true);
                out.push(("phone", text(&c.customer.phone)));
                out.push(("product_id", text(&c.product_id)));
                out.push(("product_name", text(&c.product_name)));
                out.push(("amount", Cow::Owned(c.amount.to_string())));
                out.push(("fee", Cow::Owned(c.fee.to_string())));
                out.push(("total", Cow::Owned(c.total.to_string())));
                out.push(("order_id", text(&c.order_id)));
                out.push(("order_hash", text(&c.order_hash)));
            }
            Notification::Remove(e)
            | Notification::Renew(e)
            | Notification::Complete(e)
            | Notification::Decline(e) => {
                out.push((
                    "billing_id",
                    Cow::Borrowed(e.billing_id.as_deref().unwrap_or("")),
                ));
                out.push(("email", text(&e.email)));
            }
            Notification::Unknown(u) => {
                if let Some(billing_id) = &u.billing_id {
                    out.push(("billing_id", text(billing_id)));
                }
                if let Some(email) = &u.email {
                    out.push(("email", text(email)));
                }
            }
        }
        let typed = self.typed_names();
        for (name, value) in self.extra() {
            let reserved = name == "command" || name == "hash" || typed.contains(&name.as_str());
            if !reserved {
                out.push((name.as_str(), text(value)));
            }
        }
        out
    }

    /// The idempotency key for retried deliveries: the cart queues notifications, sends them
    /// in batches every five minutes, and may send one more than once. Handle a notification
    /// once per key.
    ///
    /// The key is [`DedupKey::builder`]`("cartfreak", command)` over **every field** of the
    /// notification ([`wire_fields`](Self::wire_fields): the documented ones, blank ones
    /// included, and the unknown ones), decoded, without `hash`. Every field, because a
    /// CartFreak notification carries no event id: `order_id` identifies a sale but not a
    /// `REMOVE`, and nothing identifies a `RENEW` but its content. So the key is the same
    /// whichever flavour carried the notification (GET query or hashed POST form), whatever
    /// the field order or percent-encoding on the wire, and it changes with any field.
    ///
    /// Two genuine events with the same content get the same key: a subscription removed,
    /// re-activated (a `CREATE` like the first) and removed again sends the same `REMOVE`
    /// twice. Keep the key of the last notification handled per subscription
    /// ([`Notification::billing_id`]), or expire stored keys after a day, rather than a set
    /// of every key ever seen.
    ///
    /// ```
    /// use cartfreak_notify::{CartFreakKey, Delivery, Receiver};
    ///
    /// let get = CartFreakKey::receive_unverified(&Delivery::get(
    ///     "/cf.php?command=REMOVE&billing_id=224&email=user%40domain.com",
    /// ))?;
    /// let key = CartFreakKey::new("sk_cartfreak_demo")?;
    /// let post = key.receive(&Delivery::post(
    ///     "/cf.php",
    ///     b"email=user@domain.com&billing_id=224&command=REMOVE\
    ///       &hash=4f5903323592304bcb55eb4783bcf19d158145a1",
    /// ))?;
    /// assert_eq!(get.dedup_key(), post.dedup_key());
    /// assert_eq!(get.dedup_key().as_str().len(), 64);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dedup_key(&self) -> DedupKey {
        DedupKey::builder(crate::CartFreakKey::PROTOCOL, self.command_str())
            .fields(self.wire_fields())
            .finish()
    }
}

impl Dedup for Notification {
    fn dedup_key(&self) -> DedupKey {
        Notification::dedup_key(self)
    }
}

fn text(value: &str) -> Cow<'_, str> {
    Cow::Borrowed(value)
}

fn push_address<'a>(out: &mut Vec<(&'a str, Cow<'a, str>)>, address: &'a Address, shipping: bool) {
    let names: [&'a str; 6] = if shipping {
        [
            "ship_address",
            "ship_address2",
            "ship_city",
            "ship_state",
            "ship_zipcode",
            "ship_country",
        ]
    } else {
        ["address", "address2", "city", "state", "zipcode", "country"]
    };
    let values = [
        &address.address,
        &address.address2,
        &address.city,
        &address.state,
        &address.zipcode,
        &address.country,
    ];
    for (name, value) in names.into_iter().zip(values) {
        out.push((name, Cow::Borrowed(value.as_str())));
    }
}

impl From<Create> for Notification {
    fn from(create: Create) -> Self {
        Notification::Create(create)
    }
}

impl From<UnknownCommand> for Notification {
    fn from(unknown: UnknownCommand) -> Self {
        Notification::Unknown(unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sale() -> Create {
        Create::new("1", "7", "Book", Decimal::new(1000, 2), Decimal::new(50, 2))
            .with_customer(Customer::new("A", "B", "a@b.c"))
            .with_billing_address(Address::new("1 Main", "Town", "CA", "90210", "US"))
    }

    #[test]
    fn blank_shipping_means_billing() {
        let mut create = sale();
        assert!(create.ships_to_billing_address());
        assert_eq!(create.effective_shipping().city, "Town");
        create.shipping_address.city = "   ".into();
        assert_eq!(
            create.effective_shipping().city,
            "Town",
            "white space is blank"
        );
        create.shipping_address.city = "Elsewhere".into();
        let ship = create.effective_shipping();
        assert_eq!(ship.city, "Elsewhere");
        assert_eq!(ship.address, "", "shipping is taken whole, never mixed");
    }

    #[test]
    fn total_check_reports_without_failing() {
        let mut create = sale();
        assert_eq!(create.total.to_string(), "9.50");
        assert_eq!(create.check_total(), Ok(()));
        create.total = Decimal::new(9500, 3); // 9.500: same value, other scale
        assert_eq!(create.check_total(), Ok(()));
        create.total = Decimal::new(10, 0);
        let mismatch = create.check_total().unwrap_err();
        assert_eq!(mismatch.expected, Some(Decimal::new(950, 2)));
        assert_eq!(
            mismatch.to_string(),
            "field `total`: 10 is not amount 10.00 - fee 0.50 (= 9.50)"
        );
        create.amount = Decimal::MAX;
        create.fee = Decimal::MIN;
        assert_eq!(create.check_total().unwrap_err().expected, None);
        assert_eq!(Notification::Create(create).command(), Command::Create);
    }

    #[test]
    fn dedup_key_depends_on_content_only() {
        let a = Notification::Create(sale());
        let key = a.dedup_key();
        assert_eq!(key.as_str().len(), 64);
        assert!(
            key.as_str()
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert_eq!(a.clone().dedup_key(), key);

        let mut b = sale();
        b.order_id = "2".into();
        assert_ne!(Notification::Create(b).dedup_key(), key);

        // Extra field order does not matter; their content does.
        let mut c = sale();
        c.extra.insert("x".into(), "1".into());
        c.extra.insert("y".into(), "2".into());
        let mut d = sale();
        d.extra.insert("y".into(), "2".into());
        d.extra.insert("x".into(), "1".into());
        assert_eq!(
            Notification::Create(c.clone()).dedup_key(),
            Notification::Create(d).dedup_key()
        );
        assert_ne!(Notification::Create(c).dedup_key(), key);

        // Field boundaries are part of the key: "ab"+"c" is not "a"+"bc".
        let e1 = Notification::Remove(SubscriptionEvent::new("ab", "c"));
        let e2 = Notification::Remove(SubscriptionEvent::new("a", "bc"));
        assert_ne!(e1.dedup_key(), e2.dedup_key());
        // Same fields, other command.
        let r = Notification::Renew(SubscriptionEvent::new("ab", "c"));
        assert_ne!(e1.dedup_key(), r.dedup_key());
        // The same fields under an unknown command: another key again.
        let u = Notification::Unknown(
            UnknownCommand::new("REMOVED")
                .with_billing_id("ab")
                .with_email("c"),
        );
        assert_ne!(e1.dedup_key(), u.dedup_key());
        // An unknown command that carried a blank billing_id is not one that carried none.
        let blank = Notification::Unknown(UnknownCommand::new("X").with_billing_id(""));
        let none = Notification::Unknown(UnknownCommand::new("X"));
        assert_ne!(blank.dedup_key(), none.dedup_key());
        // The key is core's: protocol, command and fields (as in the module docs).
        let expected = DedupKey::builder("cartfreak", "REMOVE")
            .field("email", "c")
            .field("billing_id", "ab")
            .finish();
        assert_eq!(e1.dedup_key(), expected);
        assert_eq!(Dedup::dedup_key(&e1), expected);
    }

    #[test]
    fn accessors_across_commands() {
        let mut refund = UnknownCommand::new("REFUND")
            .with_billing_id("9")
            .with_email("x@y.z");
        refund.extra.insert("order_id".into(), "7".into());
        let unknown = Notification::Unknown(refund);
        assert_eq!(unknown.billing_id(), Some("9"));
        assert_eq!(unknown.email(), Some("x@y.z"));
        assert_eq!(unknown.extra().len(), 1);
        let bare = Notification::Unknown(UnknownCommand::new("PING").with_billing_id(""));
        assert_eq!(bare.billing_id(), None, "blank is no subscription");
        assert_eq!(bare.email(), None);
        assert_eq!(unknown.command(), Command::Unknown("REFUND".into()));
        let decline = Notification::Decline(SubscriptionEvent::new("5", "e@x"));
        assert_eq!(decline.billing_id(), Some("5"));
        assert_eq!(decline.command().to_string(), "DECLINE");
        assert_eq!(Command::from("COMPLETE"), Command::Complete);
        assert_eq!(Notification::Create(sale()).billing_id(), None);
    }
}
