//! Cartfunnel's webhooks in the shared vocabulary: [`ToEvent`] for [`Webhook`] (see
//! [`cartwire_core::event`]).
//!
//! A Cartfunnel webhook's body is whatever the merchant's template writes (PROTOCOLS.md:
//! "merchant-edited JSON body"), so **every field read here is a guess about that
//! template**; the one this crate's [`samples`](crate::samples) follow, and which a merchant
//! can copy, is below. A field that is not where it is looked for is simply `None`; the body
//! stays whole in [`Webhook::json`].
//!
//! # The mapping
//!
//! The kind is the body's topic, [`Webhook::event`] (the top-level `event` string, else
//! `topic`):
//!
//! | topic | [`EventKind`] | the phrase it rests on |
//! |---|---|---|
//! | `order_created`, `order_paid`, `order` | `order_paid` (**guess** that the order webhook follows the checkout's payment: Cartfunnel is a checkout, it sends no unpaid orders that its page mentions) | PROTOCOLS.md: "Cartfunnel's order and abandoned-cart webhooks" |
//! | `abandoned_cart`, `cart_abandoned` | `cart_abandoned` | the same: "abandoned-cart webhooks" |
//! | any other topic | that name read by [`EventKind::from_name`]: one of the shared names (`order_refunded`, `subscription_ended`, …) if the template uses one, else `Other(topic)` | the template is the merchant's: a merchant who names a topic in the shared vocabulary means it |
//! | no topic | `Other("webhook")` | the kind [`Webhook::dedup_key`] uses too |
//!
//! # Fields
//!
//! The object read is `order` (or `cart`, for an abandoned cart; else the body itself):
//!
//! * `order_id`: its `id` (a number or a string); `None` for a cart.
//! * `customer`: `email` (of the object, else of the body, else of its `customer`),
//!   `first_name`, `last_name` and `phone` of its `customer` object (else of the body's).
//! * `total`: its `total_price` (a string or a number; scale kept).
//! * `currency`: its `currency`, else the body's: **the one protocol where a currency can be
//!   stated**, by the merchant's template (the sample's `"currency": "USD"`). `None` when the
//!   body has none; never invented.
//! * `items`: its `line_items` (else `items`): `id` (else `product_id`), `sku`, `title`,
//!   `quantity`, `price` of each.
//! * `occurred_at`, `subscription_id`: `None`: nothing documents a time or a subscription.
//! * `dedup_key`: [`Webhook::dedup_key`] (the canonical body).
//!
//! ```
//! use cartfunnel_client_types::{samples, EventKind, ToEvent, Webhook};
//!
//! let order = Webhook::parse(samples::WEBHOOK_ORDER.as_bytes())?.to_event();
//! assert_eq!(order.kind, EventKind::OrderPaid);
//! assert_eq!(order.order_id.as_deref(), Some("3200291"));
//! assert_eq!(order.currency.as_deref(), Some("USD"));
//! let cart = Webhook::parse(samples::WEBHOOK_ABANDONED_CART.as_bytes())?.to_event();
//! assert_eq!(cart.kind, EventKind::CartAbandoned);
//! assert_eq!(cart.customer.email.as_deref(), Some("anna.benning@example.com"));
//! # Ok::<(), cartfunnel_client_types::Error>(())
//! ```

use cartwire_core::event::{Event, EventKind, Item, ToEvent, text};
use cartwire_core::{Decimal, Receiver as _, scalar};
use serde_json::Value;

use crate::verify::{CartfunnelWebhookSecret, Webhook};

impl Webhook {
    /// The kind of event this webhook's topic reports (see the [mapping](crate::event)).
    pub fn event_kind(&self) -> EventKind {
        match self.event() {
            Some("order_created" | "order_paid" | "order") => EventKind::OrderPaid,
            Some("abandoned_cart" | "cart_abandoned") => EventKind::CartAbandoned,
            Some(other) => EventKind::from_name(other),
            None => EventKind::Other("webhook".to_owned()),
        }
    }
}

/// A text or number field as text (`None` when absent, null, blank or of another type).
fn scalar_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => text(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn decimal(value: Option<&Value>) -> Option<Decimal> {
    scalar_text(value).and_then(|t| scalar::parse_decimal(&t).ok())
}

fn first<'a>(
    candidates: impl IntoIterator<Item = Option<&'a Value>>,
    name: &str,
) -> Option<String> {
    candidates
        .into_iter()
        .flatten()
        .find_map(|object| scalar_text(object.get(name)))
}

impl ToEvent for Webhook {
    fn to_event(&self) -> Event {
        let kind = self.event_kind();
        let body = self.json();
        let is_cart = kind == EventKind::CartAbandoned;
        let object = body
            .get(if is_cart { "cart" } else { "order" })
            .filter(|v| v.is_object())
            .unwrap_or(body);
        let customer = object
            .get("customer")
            .or_else(|| body.get("customer"))
            .filter(|v| v.is_object());

        let mut event = Event::new(CartfunnelWebhookSecret::PROTOCOL, kind, self.dedup_key());
        if !is_cart {
            event.order_id = scalar_text(object.get("id"));
        }
        event.customer.email = first([Some(object), Some(body), customer], "email");
        event.customer.first_name = first([customer, Some(body)], "first_name");
        event.customer.last_name = first([customer, Some(body)], "last_name");
        event.customer.phone = first([customer, Some(body)], "phone");
        event.total = decimal(object.get("total_price"));
        event.currency = first([Some(object), Some(body)], "currency");
        let items = object
            .get("line_items")
            .or_else(|| object.get("items"))
            .and_then(Value::as_array);
        event.items = items
            .into_iter()
            .flatten()
            .map(|line| {
                let mut item = Item::default();
                item.id =
                    scalar_text(line.get("id")).or_else(|| scalar_text(line.get("product_id")));
                item.sku = scalar_text(line.get("sku"));
                item.title = scalar_text(line.get("title"));
                item.quantity = scalar_text(line.get("quantity")).and_then(|q| q.parse().ok());
                item.price = decimal(line.get("price"));
                item
            })
            .collect();
        event
    }
}
