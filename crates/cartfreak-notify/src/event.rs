//! CartFreak's commands in the shared vocabulary: [`ToEvent`] for [`Notification`] and
//! [`Received`] (see [`cartwire_core::event`]).
//!
//! # The mapping
//!
//! | command | [`EventKind`] | the vendor's phrase it rests on |
//! |---|---|---|
//! | `CREATE` without `billing_id` | `order_paid` | "A CREATE notification is sent when a new sale occurs"; "These calls are placed in a queue as soon as the required action is completed (ie, sale is authorized)" |
//! | `CREATE` with a `billing_id` | `subscription_started` | "billing_id - Billing ID for the current subscription (if recurring)" |
//! | `CREATE` of a re-activated subscription | `subscription_started` (**guess**) | "A CREATE notification will also be sent when re-activating a previously deactivated recurring billing subscription": the notification looks like a new sale's, so it cannot be told apart; both start a subscription |
//! | `REMOVE` | `subscription_ended` | "A REMOVE notification is sent when a recurring billing subscription has been deactivated - either by request or by billing failure" |
//! | `RENEW` | `subscription_renewed` (**guess**) | named by CartFreak's receiver package (PROTOCOLS.md), no fields documented: the name |
//! | `COMPLETE` | `subscription_ended` (**guess**) | named by the receiver package only: read as "the subscription completed its billing cycles". If your products are payment plans, where completing means *paid in full*, match on [`Notification::Complete`] instead |
//! | `DECLINE` | `payment_failed` (**guess**) | named by the receiver package only: read as "a subscription payment was declined" (the subscription goes on until a `REMOVE`) |
//! | any other command | `Other(command)`, verbatim ([`EventKind::from_name`]) | "model them, plus an unknown-command variant" (PROTOCOLS.md) |
//!
//! # Fields
//!
//! * `order_id`: `order_id` of a `CREATE`; `subscription_id`: `billing_id` (every command).
//! * `customer`: `email`, `first_name`, `last_name`, `phone` and the billing address
//!   (`address` … `country`) of a `CREATE`; only `email` for the other commands.
//! * `total`: `total`, which the page calls "Order total (amount - fees)".
//! * `items`: one, the product of a `CREATE` (`product_id`, `product_name`): "Product ID
//!   purchased and/or subscribed to". No quantity and no unit price: the page sends neither.
//! * `occurred_at`: `None`: no command carries a time, and the queue delivers minutes late.
//! * `currency`: `None`: the page sends bare amounts.
//! * `dedup_key`: [`Notification::dedup_key`] (every field: so the same for a retried
//!   delivery in either flavour).
//!
//! ```
//! use cartfreak_notify::{samples, CartFreakKey, Delivery, EventKind, Receiver, ToEvent};
//!
//! let key = CartFreakKey::new(samples::SAMPLE_API_KEY)?;
//! let received = key.receive(&Delivery::post("/hook", samples::REMOVE_FORM.as_bytes()))?;
//! let event = received.to_event();
//! assert_eq!(event.kind, EventKind::SubscriptionEnded);
//! assert_eq!(event.subscription_id.as_deref(), Some("224"));
//! assert_eq!(event.dedup_key, received.dedup_key());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use cartwire_core::Receiver as _;
use cartwire_core::event::{Address, Event, EventKind, Item, ToEvent, text};

use crate::decode::Received;
use crate::payload::Notification;

impl Notification {
    /// The kind of event this command reports (see the [mapping](crate::event)).
    pub fn event_kind(&self) -> EventKind {
        match self {
            Notification::Create(create) if create.billing_id.is_some() => {
                EventKind::SubscriptionStarted
            }
            Notification::Create(_) => EventKind::OrderPaid,
            Notification::Remove(_) | Notification::Complete(_) => EventKind::SubscriptionEnded,
            Notification::Renew(_) => EventKind::SubscriptionRenewed,
            Notification::Decline(_) => EventKind::PaymentFailed,
            Notification::Unknown(unknown) => EventKind::from_name(&unknown.command),
        }
    }
}

impl ToEvent for Notification {
    fn to_event(&self) -> Event {
        let mut event = Event::new(
            crate::CartFreakKey::PROTOCOL,
            self.event_kind(),
            self.dedup_key(),
        );
        event.subscription_id = self.billing_id().and_then(text);
        match self {
            Notification::Create(create) => {
                let customer = &create.customer;
                let billing = &create.billing_address;
                event.order_id = text(&create.order_id);
                event.customer.email = text(&customer.email);
                event.customer.first_name = text(&customer.first_name);
                event.customer.last_name = text(&customer.last_name);
                event.customer.phone = text(&customer.phone);
                event.customer.address = Address::from_parts(
                    &billing.address,
                    &billing.address2,
                    &billing.city,
                    &billing.state,
                    &billing.zipcode,
                    &billing.country,
                );
                event.total = Some(create.total);
                event.items = vec![Item::new(&create.product_id, &create.product_name)];
            }
            other => {
                event.customer.email = other.email().and_then(text);
            }
        }
        event
    }
}

impl ToEvent for Received {
    fn to_event(&self) -> Event {
        self.notification.to_event()
    }
}
