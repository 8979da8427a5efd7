//! Cartloom's order POST in the shared vocabulary: [`ToEvent`] for [`ReceivedOrder`] and
//! [`Order`] (see [`cartwire_core::event`]).
//!
//! Cartloom has one message, the order, posted again when its state changes; the kind is
//! read from its flags.
//!
//! # The mapping
//!
//! | the order's flags | [`EventKind`] | the vendor's phrase it rests on |
//! |---|---|---|
//! | `refunded` is `"1"` (whatever `on_hold` says) | `order_refunded` (**guess**) | the page shows `"refunded": "0", "refund_amount": ""` and says nothing more: read as "the order was refunded", by `refund_amount` (in full or in part) |
//! | `on_hold` is `"1"`, not refunded | `order_created` (**guess**) | the page shows `"on_hold": "0"` only: read as "the order is held (for review, or its payment is pending)", so it exists but is not to be fulfilled yet; when the hold is lifted Cartloom posts the order again, with another [`dedup_key`](Order::dedup_key), and that post is `order_paid` |
//! | neither | `order_paid` (**guess** that the POST follows payment) | "When Notify Server? is checked, Cartloom will POST the order information"; the order carries `trans_id` and `payment_type`, a completed charge |
//!
//! `subscribed` plays no part: it is the buyer's mailing-list opt-in, not a recurring
//! subscription (Cartloom's page documents no subscriptions).
//!
//! # Fields
//!
//! * `order_id`: `oid` (zero padding kept). `subscription_id`: `None`.
//! * `customer`: `billing_email`, `billing_first_name`, `billing_last_name`,
//!   `billing_phone`, and the billing address (`billing_address1` … `billing_country`).
//! * `total`: `grandtotal` (for a refund too: the refunded amount is the order's
//!   `refund_amount`).
//! * `items`: `item_id`, `sku`, `title`, `qty` and `price` of each item.
//! * `occurred_at`: `date` ("when the order was placed"), as a local time (the wire has no
//!   zone), on `order_paid` and `order_created`; `None` on `order_refunded`, whose `date` is
//!   the order's, not the refund's.
//! * `currency`: `None`: the page sends bare amounts.
//! * `dedup_key`: [`Order::dedup_key`] (so the refund of an order is a new event).
//!
//! ```
//! use cartloom_order::{samples, CartloomToken, Delivery, EventKind, Receiver, ToEvent};
//!
//! let token = CartloomToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35")?;
//! let target = "/hooks/cartloom?token=5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";
//! let received = token.receive(&Delivery::post(target, samples::ORDER_JSON.as_bytes()))?;
//! let event = received.to_event();
//! assert_eq!(event.kind, EventKind::OrderPaid);
//! assert_eq!(event.total.map(|t| t.to_string()).as_deref(), Some("19.95"));
//! assert_eq!(event.occurred_at.map(|t| t.to_string()).as_deref(), Some("2013-02-09 04:30:25"));
//!
//! let mut refunded = received.order.clone();
//! refunded.refunded = true;
//! assert_eq!(refunded.to_event().kind, EventKind::OrderRefunded);
//! assert_ne!(refunded.to_event().dedup_key, event.dedup_key);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use cartwire_core::Receiver as _;
use cartwire_core::event::{Address, Event, EventKind, Item, OccurredAt, ToEvent, text};

use crate::payload::{Order, ReceivedOrder};
use crate::verify::CartloomToken;

impl Order {
    /// The kind of event this order's state reports (see the [mapping](crate::event)).
    pub fn event_kind(&self) -> EventKind {
        if self.refunded {
            EventKind::OrderRefunded
        } else if self.on_hold {
            EventKind::OrderCreated
        } else {
            EventKind::OrderPaid
        }
    }
}

impl ToEvent for Order {
    fn to_event(&self) -> Event {
        let kind = self.event_kind();
        let mut event = Event::new(CartloomToken::PROTOCOL, kind.clone(), self.dedup_key());
        if kind != EventKind::OrderRefunded {
            event.occurred_at = self.date.value().map(OccurredAt::Local);
        }
        event.order_id = text(&self.oid);
        let billing = &self.billing;
        let customer = &mut event.customer;
        customer.email = text(&billing.email);
        customer.first_name = text(&billing.first_name);
        customer.last_name = text(&billing.last_name);
        customer.phone = text(&billing.phone);
        customer.address = Address::from_parts(
            &billing.address1,
            &billing.address2,
            &billing.city,
            &billing.state,
            &billing.postal_code,
            &billing.country,
        );
        event.total = Some(self.grandtotal);
        event.items = self
            .items
            .iter()
            .map(|item| {
                let mut out = Item::new(&item.item_id, &item.title);
                out.sku = text(&item.sku);
                out.quantity = Some(item.qty);
                out.price = Some(item.price);
                out
            })
            .collect();
        event
    }
}

impl ToEvent for ReceivedOrder {
    fn to_event(&self) -> Event {
        self.order.to_event()
    }
}
