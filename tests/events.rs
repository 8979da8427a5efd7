//! The event model (issue #14) across the four receiving protocols: every sample of every
//! protocol, received as a receiver does, maps to the `EventKind` this table expects (written
//! by hand from each crate's mapping table, not computed by the mapping), its event carries
//! the notification's `dedup_key`, and its JSON round-trips.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartfunnel_client_types::verify::SignedWebhook;
use cartloom_order::CartloomToken;
use cartwire_core::event::{Event, EventKind, OccurredAt};
use cartwire_core::{Dedup, Delivery, Receiver, ToEvent};
use justclick_invoice::JustClickKey;
use serde_json::Value;

const CARTLOOM_TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";

/// The event of a notification, checked on the way: it carries the notification's key and
/// protocol, and its JSON (every field named, always present) reads back equal.
fn event<R: Receiver>(notification: &R::Notification) -> Event
where
    R::Notification: ToEvent,
{
    let event = notification.to_event();
    assert_eq!(event.dedup_key, notification.dedup_key());
    assert_eq!(event.protocol, R::PROTOCOL);
    let json = serde_json::to_value(&event).unwrap();
    for name in [
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
    ] {
        assert!(json.get(name).is_some(), "{name} missing in {json}");
    }
    assert_eq!(json["kind"], Value::String(event.kind.to_string()));
    assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
    let text = serde_json::to_string_pretty(&event).unwrap();
    assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), event);
    event
}

fn other(name: &str) -> EventKind {
    EventKind::Other(name.to_owned())
}

#[test]
fn every_cartfreak_sample_maps_to_its_kind() {
    use EventKind::*;
    let table = [
        ("create", SubscriptionStarted, Some("5517")),
        ("create-blank-shipping", OrderPaid, None),
        ("remove-url", SubscriptionEnded, Some("224")),
        ("remove", SubscriptionEnded, Some("224")),
        ("create-form", SubscriptionStarted, Some("5517")),
        ("create-tampered-hash", SubscriptionStarted, Some("5517")),
        ("remove-form", SubscriptionEnded, Some("224")),
        ("renew", SubscriptionRenewed, Some("5517")),
        ("complete", SubscriptionEnded, Some("5517")),
        ("decline", PaymentFailed, Some("5517")),
        ("unknown-command", other("REFUND"), Some("5517")),
        ("cyrillic", OrderPaid, None),
        ("accented", SubscriptionStarted, Some("5517")),
        ("extra-fields", SubscriptionStarted, Some("5517")),
        ("total-mismatch", SubscriptionStarted, Some("5517")),
    ];
    assert_eq!(table.len(), cartfreak_notify::samples::ALL.len());
    let key = CartFreakKey::new(cartfreak_notify::samples::SAMPLE_API_KEY).unwrap();
    for ((name, wire), (expected_name, kind, subscription)) in
        cartfreak_notify::samples::ALL.iter().zip(table)
    {
        assert_eq!(*name, expected_name);
        // The hashed POST flavour verified with the samples' key; the GET flavour (and the
        // tampered sample) decoded only, as a receiver of them must.
        let hashed = wire.trim().split('&').any(|pair| pair.starts_with("hash="));
        let received = if hashed && *name != "create-tampered-hash" {
            key.receive(&Delivery::post("/cf", wire.as_bytes()))
                .unwrap()
        } else if wire.starts_with("http") {
            CartFreakKey::receive_unverified(&Delivery::get(wire.trim())).unwrap()
        } else if hashed {
            CartFreakKey::receive_unverified(&Delivery::post("/cf", wire.as_bytes())).unwrap()
        } else {
            let target = format!("/cf?{}", wire.trim());
            CartFreakKey::receive_unverified(&Delivery::get(&target)).unwrap()
        };
        let event = event::<CartFreakKey>(&received);
        assert_eq!(event.kind, kind, "{name}");
        assert_eq!(event.subscription_id.as_deref(), subscription, "{name}");
        assert_eq!(event.currency, None, "{name}: CartFreak states no currency");
        assert_eq!(event.occurred_at, None, "{name}: CartFreak sends no time");
        assert_eq!(
            event.customer.email.as_deref(),
            received.notification.email().filter(|e| !e.is_empty()),
            "{name}"
        );
        if let Some(create) = received.notification.as_create() {
            assert_eq!(event.order_id.as_deref(), Some(create.order_id.as_str()));
            assert_eq!(
                event.total,
                Some(create.total),
                "{name}: the vendor's total"
            );
            assert_eq!(event.items.len(), 1);
            assert_eq!(
                event.items[0].id.as_deref(),
                Some(create.product_id.as_str())
            );
        } else {
            assert_eq!(event.order_id, None, "{name}");
            assert!(event.items.is_empty(), "{name}");
        }
    }
}

#[test]
fn every_justclick_sample_maps_to_its_kind() {
    use EventKind::*;
    use justclick_invoice::Kind;
    let table = [
        (Kind::Created, OrderCreated),
        (Kind::Paid, OrderPaid),
        (Kind::Prepaid, PartialPayment),
        (Kind::Cancelled, OrderCancelled),
        (Kind::Moneyback, OrderRefunded),
    ];
    assert_eq!(table.len(), justclick_invoice::samples::ALL.len());
    let key = JustClickKey::new(justclick_invoice::samples::SECRET).unwrap();
    for ((sample_kind, wire), (kind, expected)) in justclick_invoice::samples::ALL.iter().zip(table)
    {
        assert_eq!(*sample_kind, kind);
        let n = key
            .receive(&Delivery::post("/jc", wire.as_bytes()))
            .unwrap();
        let event = event::<JustClickKey>(&n);
        assert_eq!(event.kind, expected, "{kind}");
        assert_eq!(event.order_id.as_deref(), Some(n.id()));
        assert_eq!(event.customer.email.as_deref(), Some(n.email()));
        assert_eq!(event.currency, None);
        let invoice = n.invoice().unwrap();
        assert_eq!(event.items.len(), invoice.items.len());
        // The time the notification reports: creation, payment, or none (a cancellation
        // and a refund carry the invoice's times, not their own).
        let expected_time = match kind {
            Kind::Created => invoice.created.time(),
            Kind::Paid | Kind::Prepaid => n.payment().unwrap().paid.time(),
            _ => None,
        };
        assert_eq!(
            event.occurred_at,
            expected_time.map(OccurredAt::Instant),
            "{kind}"
        );
        if matches!(kind, Kind::Paid | Kind::Prepaid) {
            assert!(event.total.is_some(), "{kind}: a payment has an amount");
            assert!(event.occurred_at.is_some(), "{kind}");
        }
    }
    // An unknown status is kept by name.
    let unknown = justclick_invoice::decode(b"status=shipped&id=7&email=a%40b.c").unwrap();
    assert_eq!(event::<JustClickKey>(&unknown).kind, other("shipped"));
    let bare = justclick_invoice::decode(b"id=7&email=a%40b.c").unwrap();
    assert_eq!(event::<JustClickKey>(&bare).kind, other("unknown"));
}

#[test]
fn every_cartloom_sample_maps_to_its_kind() {
    use EventKind::*;
    let token = CartloomToken::new(CARTLOOM_TOKEN).unwrap();
    let target = format!("/cl?token={CARTLOOM_TOKEN}");
    let on_hold =
        cartloom_order::samples::ORDER_JSON.replacen(r#""on_hold":"0""#, r#""on_hold":"1""#, 1);
    assert_ne!(on_hold, cartloom_order::samples::ORDER_JSON);
    let table = [
        ("order", cartloom_order::samples::ORDER_JSON, OrderPaid),
        ("order-form", cartloom_order::samples::ORDER_FORM, OrderPaid),
        (
            "vendor-page",
            cartloom_order::samples::VENDOR_PAGE,
            OrderPaid,
        ),
        ("on hold", on_hold.as_str(), OrderCreated),
        (
            "refunded (and on hold), shipped",
            include_str!("../crates/cartloom-order/tests/fixtures/shipped.json"),
            OrderRefunded,
        ),
    ];
    let mut paid_key = None;
    for (name, body, expected) in table {
        let received = token
            .receive(&Delivery::post(&target, body.as_bytes()))
            .unwrap();
        let event = event::<CartloomToken>(&received);
        assert_eq!(event.kind, expected, "{name}");
        assert_eq!(event.order_id.as_deref(), Some(received.order.oid.as_str()));
        assert_eq!(event.total, Some(received.order.grandtotal));
        assert_eq!(event.items.len(), received.order.items.len());
        assert_eq!(event.currency, None);
        assert_eq!(
            event.subscription_id, None,
            "`subscribed` is a mailing-list opt-in"
        );
        if expected == OrderPaid {
            assert_eq!(
                event.occurred_at.map(|at| at.to_string()).as_deref(),
                Some("2013-02-09 04:30:25"),
                "{name}"
            );
            // The three shapes of the one sample order are one delivery.
            assert_eq!(
                *paid_key.get_or_insert(event.dedup_key.clone()),
                event.dedup_key
            );
        } else {
            assert_ne!(Some(&event.dedup_key), paid_key.as_ref(), "{name}");
        }
        if expected == OrderRefunded {
            assert_eq!(
                event.occurred_at, None,
                "the order's date is not the refund's"
            );
        }
    }
}

#[test]
fn every_cartfunnel_webhook_sample_maps_to_its_kind() {
    let key = CartfunnelWebhookSecret::new("whsec_events").unwrap();
    let table = [
        (
            cartfunnel_client_types::samples::WEBHOOK_ORDER,
            EventKind::OrderPaid,
            Some("3200291"),
            Some("49.95"),
        ),
        (
            cartfunnel_client_types::samples::WEBHOOK_ABANDONED_CART,
            EventKind::CartAbandoned,
            None,
            Some("19.00"),
        ),
    ];
    for (body, expected, order_id, total) in table {
        let signed = SignedWebhook::new(body.as_bytes().to_vec(), &key);
        let webhook = key.receive(&signed.delivery("/cf")).unwrap();
        let event = event::<CartfunnelWebhookSecret>(&webhook);
        assert_eq!(event.kind, expected);
        assert_eq!(event.order_id.as_deref(), order_id);
        assert_eq!(event.total.map(|t| t.to_string()).as_deref(), total);
        assert_eq!(event.items.len(), 1);
        assert!(event.customer.email.is_some());
    }
    // Topics in the shared vocabulary are taken at their word; others are kept by name.
    for (topic, kind) in [
        ("order_refunded", EventKind::OrderRefunded),
        ("subscription_ended", EventKind::SubscriptionEnded),
        ("fulfilment", other("fulfilment")),
    ] {
        let body = format!(r#"{{"topic":"{topic}","order":{{"id":"9"}}}}"#);
        let webhook = cartfunnel_client_types::Webhook::parse(body.as_bytes()).unwrap();
        assert_eq!(event::<CartfunnelWebhookSecret>(&webhook).kind, kind);
    }
    let no_topic = cartfunnel_client_types::Webhook::parse(b"{}").unwrap();
    assert_eq!(
        event::<CartfunnelWebhookSecret>(&no_topic).kind,
        other("webhook")
    );
}

#[test]
fn every_kind_of_the_vocabulary_is_reached_by_some_sample() {
    // The union of the tables above, checked against the vocabulary: a kind added to core
    // without a mapping shows here.
    let reached = [
        EventKind::OrderCreated,
        EventKind::OrderPaid,
        EventKind::PartialPayment,
        EventKind::OrderCancelled,
        EventKind::OrderRefunded,
        EventKind::PaymentFailed,
        EventKind::SubscriptionStarted,
        EventKind::SubscriptionRenewed,
        EventKind::SubscriptionEnded,
        EventKind::CartAbandoned,
    ];
    assert_eq!(EventKind::known().collect::<Vec<_>>(), reached);
}
