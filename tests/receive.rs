//! End to end: the example service (`examples/axum_receiver`) on 127.0.0.1, every sample of
//! every receiving protocol delivered to it with the protocol crates' own senders (as
//! `cartwire send` does), each checked to have been decoded and verified; tampered ones get
//! 401, malformed ones 400 (413 over a limit), with a plain-text reason; the service still
//! answers afterwards.
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
#[path = "../examples/std_receiver/server.rs"]
mod std_server;

use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cartfreak_notify::axum08::CartFreakKey;
use cartfunnel_client_types::axum08::CartfunnelWebhookSecret;
use cartloom_order::axum08::CartloomToken;
use cartwire_core::Secret;
use deliveries::{Expect, check_payload, check_refusal, send};
use justclick_invoice::axum08::JustClickKey;
use router::{AppState, Arrival, Log};

const KEY: &str = "e2e-key-2c91d4";
/// A guard against a hung test, not a timing check.
const HANG: Duration = Duration::from_secs(30);

/// Starts the example's router on 127.0.0.1:0 in a background thread; returns its base URL
/// and the arrivals it logs.
fn start() -> (String, Receiver<Arrival>) {
    let (tx, rx) = channel();
    let tx = Mutex::new(tx);
    let key = Secret::new(KEY);
    let state = AppState {
        cartfreak: CartFreakKey(key.clone()),
        cartloom: CartloomToken::new(key.clone()),
        justclick: JustClickKey(key.clone()),
        cartfunnel: CartfunnelWebhookSecret(key),
        log: Log(Arc::new(move |arrival| {
            let _ = tx.lock().unwrap().send(arrival);
        })),
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, router::router(state)).await.unwrap();
        });
    });
    (format!("http://{address}"), rx)
}

#[test]
fn the_example_service_receives_every_sample_and_refuses_bad_ones() {
    let (base, arrivals) = start();
    receives_every_sample_and_refuses_bad_ones(&base, &arrivals);
}

/// Starts the std example's server on 127.0.0.1:0 in a background thread.
fn start_std() -> (String, Receiver<Arrival>) {
    let (tx, rx) = channel();
    let tx = Mutex::new(tx);
    let key = Secret::new(KEY);
    let keys = std_server::Keys {
        cartfreak: key.clone(),
        cartloom: cartloom_order::EndpointToken::new(key.clone()),
        justclick: key.clone(),
        cartfunnel: key,
    };
    let log: std_server::Log = Arc::new(move |protocol, payload| {
        let _ = tx.lock().unwrap().send(Arrival { protocol, payload });
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || std_server::serve(listener, Arc::new(keys), log));
    (format!("http://{address}"), rx)
}

#[test]
fn the_std_example_receives_every_sample_and_refuses_bad_ones() {
    let (base, arrivals) = start_std();
    receives_every_sample_and_refuses_bad_ones(&base, &arrivals);
}

fn receives_every_sample_and_refuses_bad_ones(base: &str, arrivals: &Receiver<Arrival>) {
    let base = base.to_owned();
    let mut accepted = 0;
    let mut refused = 0;
    for delivery in deliveries::all(&base, &Secret::new(KEY)) {
        let what = format!("{} {}", delivery.protocol, delivery.name);
        let (status, body) = send(delivery.request);
        match delivery.expect {
            Expect::Accepted(checks) => {
                assert_eq!((status, body.as_str()), (200, "OK"), "{what}");
                let arrival = arrivals.recv_timeout(HANG).unwrap();
                assert_eq!(arrival.protocol, delivery.protocol, "{what}");
                check_payload(&what, &arrival.payload, &checks);
                accepted += 1;
            }
            Expect::Refused(expected_status, reason) => {
                check_refusal(&what, status, &body, (expected_status, reason));
                refused += 1;
            }
        }
    }
    // 15 CartFreak, 3 Cartloom, 5 JustClick, 4 Cartfunnel samples; the bad ones of each.
    assert_eq!(accepted, 27);
    assert_eq!(refused, 12);
    // Nothing reached a handler for the refused ones, and the service still answers.
    assert!(arrivals.try_recv().is_err());
    let first = deliveries::all(&base, &Secret::new(KEY))
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(send(first.request), (200, "OK".to_owned()));
    assert_eq!(arrivals.recv_timeout(HANG).unwrap().protocol, "cartfreak");
}
