//! End to end: the example services (`examples/axum_receiver`, `examples/std_receiver`) on
//! 127.0.0.1, every sample of every receiving protocol delivered to them with the protocol
//! crates' own senders (as `cartwire send` does), each checked to have been verified and
//! decoded; tampered ones get 401 (forged ones that are malformed too: still 401, the
//! credential is checked first), malformed ones 400 (413 over a limit), with a plain-text
//! reason; hostile bodies a client error; the service still answers afterwards.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "support/deliveries.rs"]
mod deliveries;
#[path = "../examples/axum_receiver/router.rs"]
mod router;
#[path = "support/serve.rs"]
mod serve;
#[path = "../examples/std_receiver/server.rs"]
mod std_server;

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use cartwire_core::Secret;
use deliveries::{Expect, check_payload, check_refusal, send};
use justclick_invoice::JustClickKey;
use router::{AppState, Arrival, Log};

const KEY: &str = "e2e-key-2c91d4";
/// A guard against a hung test, not a timing check.
const HANG: Duration = Duration::from_secs(30);

/// Starts the axum example's router on 127.0.0.1:0 in a background thread; returns its base
/// URL and the arrivals it logs.
fn start_axum() -> (String, Receiver<Arrival>) {
    let (tx, rx) = channel();
    let tx = Mutex::new(tx);
    let state = AppState {
        cartfreak: CartFreakKey::new(KEY).unwrap(),
        cartloom: CartloomToken::new(KEY).unwrap(),
        justclick: JustClickKey::new(KEY).unwrap(),
        cartfunnel: CartfunnelWebhookSecret::new(KEY).unwrap(),
        log: Log(Arc::new(move |arrival| {
            let _ = tx.lock().unwrap().send(arrival);
        })),
    };
    (serve::serve(router::router(state)), rx)
}

/// Starts the std example's server on 127.0.0.1:0 in a background thread.
fn start_std() -> (String, Receiver<Arrival>) {
    let (tx, rx) = channel();
    let tx = Mutex::new(tx);
    let keys = std_server::Keys {
        cartfreak: CartFreakKey::new(KEY).unwrap(),
        cartloom: CartloomToken::new(KEY).unwrap(),
        justclick: JustClickKey::new(KEY).unwrap(),
        cartfunnel: CartfunnelWebhookSecret::new(KEY).unwrap(),
    };
    let log: std_server::Log = Arc::new(move |arrival: std_server::Arrival| {
        let arrival = Arrival {
            protocol: arrival.protocol,
            dedup_key: arrival.dedup_key,
            payload: arrival.payload,
        };
        let _ = tx.lock().unwrap().send(arrival);
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || std_server::serve(listener, Arc::new(keys), log));
    (format!("http://{address}"), rx)
}

#[test]
fn the_axum_example_receives_every_sample_and_refuses_bad_ones() {
    let (base, arrivals) = start_axum();
    receives_every_sample_and_refuses_bad_ones(&base, &arrivals);
}

#[test]
fn the_std_example_receives_every_sample_and_refuses_bad_ones() {
    let (base, arrivals) = start_std();
    receives_every_sample_and_refuses_bad_ones(&base, &arrivals);
}

fn receives_every_sample_and_refuses_bad_ones(base: &str, arrivals: &Receiver<Arrival>) {
    let mut accepted = BTreeMap::new();
    let mut refused = BTreeMap::new();
    let mut first_dedup_key = None;
    let key = Secret::new(KEY);
    let every = deliveries::all(base, &key);
    for delivery in every
        .into_iter()
        .chain(deliveries::forged_and_malformed(base, &key))
    {
        let what = format!("{} {}", delivery.protocol, delivery.name);
        let (status, body) = send(delivery.request);
        match delivery.expect {
            Expect::Accepted(checks) => {
                assert_eq!((status, body.as_str()), (200, "OK"), "{what}");
                let arrival = arrivals.recv_timeout(HANG).unwrap();
                assert_eq!(arrival.protocol, delivery.protocol, "{what}");
                assert_eq!(arrival.dedup_key.len(), 64, "{what}: a SHA-256 in hex");
                check_payload(&what, &arrival.payload, &checks);
                first_dedup_key.get_or_insert(arrival.dedup_key);
                *accepted.entry(delivery.protocol).or_insert(0) += 1;
            }
            Expect::Refused(expected_status, reason) => {
                check_refusal(&what, status, &body, (expected_status, reason));
                *refused.entry(delivery.protocol).or_insert(0) += 1;
            }
            Expect::Hostile => {
                assert!(matches!(status, 400 | 401 | 413), "{what}: {status} {body}");
                assert!(!body.is_empty(), "{what}: a reason");
            }
        }
    }
    assert_eq!(
        Vec::from_iter(accepted),
        [
            ("cartfreak", 15),
            ("cartfunnel", 4),
            ("cartloom", 3),
            ("justclick", 5)
        ]
    );
    // Tampered, wrong key, malformed, over a limit, and one forged and malformed each.
    assert_eq!(
        Vec::from_iter(refused),
        [
            ("cartfreak", 6),
            ("cartfunnel", 4),
            ("cartloom", 4),
            ("justclick", 4)
        ]
    );
    let first = deliveries::all(base, &Secret::new(KEY))
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(send(first.request), (200, "OK".to_owned()));
    let again = arrivals.recv_timeout(HANG).unwrap();
    assert_eq!(again.protocol, "cartfreak");
    assert_eq!(Some(again.dedup_key), first_dedup_key);
}
