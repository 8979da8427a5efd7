//! End to end: the `multi_cart` example (one handler taking an `Event`, SQLite keyed by
//! `dedup_key`) on 127.0.0.1 with a real database file. Every sample of every receiving
//! protocol, plus a refund of the Cartloom sample order, is delivered **twice**, in a shuffled
//! order, by eight concurrent senders; then:
//!
//! * every distinct event is stored exactly once (rows = distinct keys, no key missing, each
//!   row's event equal to the one the sample maps to);
//! * the access table is right after a cancel and a refund (JustClick's order cancelled and
//!   refunded, Cartloom's order refunded: revoked) while untouched orders keep theirs, and no
//!   retried delivery granted twice (`grants` = distinct granting events).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../examples/multi_cart/app.rs"]
mod app;
#[path = "support/deliveries.rs"]
mod deliveries;
#[path = "support/serve.rs"]
mod serve;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Mutex;

use app::{AppState, Store};
use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use cartwire_core::event::{Event, EventKind};
use cartwire_core::{Delivery, Receiver, Secret, ToEvent};
use deliveries::{Expect, send};
use justclick_invoice::JustClickKey;

const KEY: &str = "multi-cart-e2e-key-90b1";
const SENDERS: usize = 8;

/// One request, owned and clonable, so it can be sent twice.
#[derive(Debug, Clone)]
struct Wire {
    protocol: &'static str,
    name: String,
    method: http::Method,
    uri: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Wire {
    fn new(protocol: &'static str, name: String, request: &http::Request<Vec<u8>>) -> Self {
        Wire {
            protocol,
            name,
            method: request.method().clone(),
            uri: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), v.as_bytes().to_vec()))
                .collect(),
            body: request.body().clone(),
        }
    }

    fn request(&self) -> http::Request<Vec<u8>> {
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(&self.uri);
        for (name, value) in &self.headers {
            builder = builder.header(name, value.as_slice());
        }
        builder.body(self.body.clone()).unwrap()
    }

    /// The event this delivery must be stored as: received here with the same key, as the
    /// service receives it.
    fn event(&self) -> Event {
        let request = self.request();
        let delivery = Delivery::from(&request);
        let secret = Secret::new(KEY);
        match self.protocol {
            "cartfreak" => event(&CartFreakKey::new(secret).unwrap(), &delivery),
            "cartloom" => event(&CartloomToken::new(secret).unwrap(), &delivery),
            "justclick" => event(&JustClickKey::new(secret).unwrap(), &delivery),
            "cartfunnel" => event(&CartfunnelWebhookSecret::new(secret).unwrap(), &delivery),
            other => panic!("unknown protocol {other}"),
        }
    }
}

fn event<R: Receiver>(key: &R, delivery: &Delivery<'_>) -> Event
where
    R::Notification: ToEvent,
{
    key.receive(delivery).unwrap().to_event()
}

/// Every sample of every protocol (the accepted deliveries of the shared set), and a refund
/// of the Cartloom sample order.
fn wires(base: &str) -> Vec<Wire> {
    let mut out: Vec<Wire> = deliveries::all(base, &Secret::new(KEY))
        .into_iter()
        .filter(|d| matches!(d.expect, Expect::Accepted(_)))
        .map(|d| Wire::new(d.protocol, d.name, &d.request))
        .collect();
    let mut refunded =
        cartloom_order::decode(cartloom_order::samples::ORDER_JSON.as_bytes()).unwrap();
    refunded.refunded = true;
    refunded.refund_amount = Some(refunded.grandtotal);
    let notify_url = CartloomToken::new(KEY)
        .unwrap()
        .notify_url(&format!("{base}/cartloom"));
    let request = cartloom_order::http::delivery(&notify_url, &refunded).unwrap();
    out.push(Wire::new("cartloom", "order refunded".to_owned(), &request));
    out
}

/// A database file of its own, removed (with its WAL files) when dropped.
struct TempDb(PathBuf);

impl TempDb {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = format!("cartwire-multi-cart-{}-{nanos}.sqlite3", std::process::id());
        TempDb(std::env::temp_dir().join(name))
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The example service on 127.0.0.1 with a database file of its own: the file (kept until
/// dropped), the store, the base URL.
fn start() -> (TempDb, Store, String) {
    let db = TempDb::new();
    let store = Store::open(&db.0).unwrap();
    let state = AppState {
        cartfreak: CartFreakKey::new(KEY).unwrap(),
        cartloom: CartloomToken::new(KEY).unwrap(),
        justclick: JustClickKey::new(KEY).unwrap(),
        cartfunnel: CartfunnelWebhookSecret::new(KEY).unwrap(),
        store: store.clone(),
    };
    let base = serve::serve(app::router(state));
    (db, store, base)
}

fn grants(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::OrderPaid | EventKind::SubscriptionStarted | EventKind::SubscriptionRenewed
    )
}

#[test]
fn every_sample_twice_from_eight_senders_is_stored_once_with_the_right_access() {
    let (_db, store, base) = start();

    let wires = wires(&base);
    let mut per_protocol = BTreeMap::new();
    for wire in &wires {
        *per_protocol.entry(wire.protocol).or_insert(0) += 1;
    }
    assert_eq!(
        per_protocol["cartfreak"],
        cartfreak_notify::samples::ALL.len()
    );
    assert_eq!(
        per_protocol["justclick"],
        justclick_invoice::samples::ALL.len()
    );
    assert_eq!(
        per_protocol["cartloom"], 4,
        "three shapes of one order, and its refund"
    );
    assert_eq!(per_protocol["cartfunnel"], 4, "two webhooks, POST and PUT");

    // What must be stored: one event per distinct key.
    let mut expected: BTreeMap<String, Event> = BTreeMap::new();
    for wire in &wires {
        let event = wire.event();
        expected.insert(event.dedup_key.to_string(), event);
    }
    assert!(expected.len() < wires.len(), "some samples are one event");

    // Every delivery twice, shuffled (a seeded walk, so a failure can be replayed).
    let mut queue: Vec<Wire> = wires.iter().chain(&wires).cloned().collect();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for i in (1..queue.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from(state >> 33).unwrap() % (i + 1);
        queue.swap(i, j);
    }
    let queue = Mutex::new(queue);
    let sent = Mutex::new(0_usize);
    std::thread::scope(|scope| {
        for _ in 0..SENDERS {
            scope.spawn(|| {
                loop {
                    let Some(wire) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let (status, body) = send(wire.request());
                    assert_eq!(
                        (status, body.as_str()),
                        (200, "OK"),
                        "{} {}",
                        wire.protocol,
                        wire.name
                    );
                    *sent.lock().unwrap() += 1;
                }
            });
        }
    });
    assert_eq!(*sent.lock().unwrap(), 2 * wires.len());

    // Exactly one row per distinct event, none lost, each the event its sample maps to.
    let stored = store.event_keys().unwrap();
    assert_eq!(stored.len(), expected.len(), "one row per distinct event");
    let stored_set: BTreeSet<&String> = stored.iter().collect();
    let expected_set: BTreeSet<&String> = expected.keys().collect();
    assert_eq!(stored_set, expected_set, "no event lost, none invented");
    for (key, event) in &expected {
        assert_eq!(store.event(key).unwrap().as_ref(), Some(event), "{key}");
    }

    // Access: granted once per distinct granting event, revoked by a cancel or a refund.
    let grants_of = |protocol: &str, subject: &str| {
        expected
            .values()
            .filter(|e| e.protocol == protocol && app::subject(e).as_deref() == Some(subject))
            .filter(|e| grants(&e.kind))
            .count()
    };
    let access = |protocol: &str, subject: &str| {
        store
            .access(protocol, subject)
            .unwrap()
            .unwrap_or_else(|| panic!("no access row for {protocol} {subject}"))
    };

    // JustClick order 1001: paid, then cancelled and refunded: no access, granted once
    // although its payment was delivered twice.
    let justclick = access("justclick", "order:1001");
    assert!(!justclick.granted, "cancelled and refunded: {justclick:?}");
    assert_eq!(justclick.grants, 1);
    assert_eq!(
        justclick.email.as_deref(),
        Some("ivan.petrov+shop@example.ru")
    );

    // Cartloom: the sample order paid (three shapes, one event), then refunded.
    let cartloom = access("cartloom", "order:0000123456");
    assert!(!cartloom.granted, "refunded: {cartloom:?}");
    assert_eq!(cartloom.grants, 1);

    // Cartfunnel: the order webhook (POST and PUT, one event) grants; the abandoned cart
    // has no subject.
    let cartfunnel = access("cartfunnel", "order:3200291");
    assert!(cartfunnel.granted);
    assert_eq!(cartfunnel.grants, 1);

    // CartFreak: the two one-off sales keep their access; subscription 5517 started,
    // renewed and completed (ended); 224 was only removed.
    let one_off: Vec<&Event> = expected
        .values()
        .filter(|e| e.protocol == "cartfreak" && e.kind == EventKind::OrderPaid)
        .collect();
    assert_eq!(one_off.len(), 2, "create-blank-shipping and cyrillic");
    for sale in one_off {
        let subject = format!("order:{}", sale.order_id.as_deref().unwrap());
        let sale_access = access("cartfreak", &subject);
        assert!(sale_access.granted, "{subject}");
        assert_eq!(sale_access.grants, 1, "{subject}");
    }
    let subscription = access("cartfreak", "subscription:5517");
    assert!(!subscription.granted, "completed: {subscription:?}");
    assert_eq!(
        usize::try_from(subscription.grants).unwrap(),
        grants_of("cartfreak", "subscription:5517")
    );
    assert!(subscription.grants >= 2, "started and renewed");
    let removed = access("cartfreak", "subscription:224");
    assert!(!removed.granted);
    assert_eq!(removed.grants, 0);

    // Delivered once more, later: still nothing changes.
    for wire in &wires {
        assert_eq!(send(wire.request()), (200, "OK".to_owned()));
    }
    assert_eq!(store.event_keys().unwrap(), stored);
    assert_eq!(access("justclick", "order:1001"), justclick);
}

#[test]
fn a_forged_delivery_stores_nothing() {
    let (_db, store, base) = start();
    for delivery in deliveries::all(&base, &Secret::new(KEY)) {
        if !matches!(delivery.expect, Expect::Accepted(_)) {
            let answer = send(delivery.request);
            assert!(
                (400..500).contains(&answer.0),
                "{}: {answer:?}",
                delivery.name
            );
        }
    }
    assert!(store.event_keys().unwrap().is_empty());
}
