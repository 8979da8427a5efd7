//! One span per call, from both clients, with the endpoint, status, duration and retry count,
//! and never the key or the email.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use cartstack_confirm::{ConfirmRequest, RetryPolicy};
use cartwire_testkit::Fault;
use cartwire_testkit::cartstack::{Account, Cart, Emulator};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every span's fields as `name=value ` text, and every event's.
#[derive(Clone, Default)]
struct Collect {
    spans: Arc<Mutex<Vec<(String, String)>>>,
    events: Arc<Mutex<Vec<String>>>,
}

struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn core::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push_str(&format!("{}={value} ", field.name()));
    }
}

impl Subscriber for Collect {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = String::new();
        span.record(&mut Text(&mut text));
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), text));
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        let (_, text) = &mut spans[id.into_u64() as usize - 1];
        values.record(&mut Text(text));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = format!("{} ", event.metadata().level());
        event.record(&mut Text(&mut text));
        self.events.lock().unwrap().push(text);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

const KEY: &str = "s3cr3t-k3y";

fn emulator() -> Emulator {
    Emulator::start(Account::new(KEY, "SITE").with_cart("zoe.q@example.com", Cart::Open)).unwrap()
}

fn request() -> ConfirmRequest {
    ConfirmRequest::new(KEY, "SITE", "zoe.q@example.com").unwrap()
}

/// The `cartwire.call` spans, checked for their fields and for secrets.
fn calls(collect: &Collect) -> Vec<String> {
    let spans = collect.spans.lock().unwrap().clone();
    let events = collect.events.lock().unwrap().clone();
    for text in spans.iter().map(|(_, text)| text).chain(&events) {
        assert!(
            !text.contains("s3cr3t") && !text.contains("zoe.q"),
            "{text}"
        );
    }
    spans
        .into_iter()
        .filter(|(name, _)| name == "cartwire.call")
        .map(|(_, text)| text)
        .collect()
}

fn check(call: &str, endpoint: &str, status: &str, retries: u32, outcome: &str) {
    for part in [
        "vendor=cartstack ".to_owned(),
        "method=GET ".to_owned(),
        format!("endpoint={endpoint} "),
        status.to_owned(),
        "duration_ms=".to_owned(),
        format!("retries={retries} "),
        format!("outcome={outcome} "),
    ] {
        assert!(call.contains(&part), "{part:?} in {call}");
    }
}

#[cfg(feature = "client")]
#[test]
fn the_blocking_client_opens_one_span_per_call() {
    use cartstack_confirm::client::Client;
    let emulator = emulator();
    let collect = Collect::default();
    tracing::subscriber::with_default(collect.clone(), || {
        let client = Client::new().with_endpoint(emulator.base_url().clone());
        client.confirm(&request()).unwrap();
        client.confirm(&request()).unwrap(); // 102: an answer, not a success
    });
    let calls = calls(&collect);
    assert_eq!(calls.len(), 2, "{calls:#?}");
    let endpoint = emulator.base_url().as_str();
    check(&calls[0], endpoint, "status=200 ", 0, "ok");
    check(&calls[1], endpoint, "status=200 ", 0, "error");
}

#[cfg(feature = "reqwest")]
#[tokio::test]
async fn the_async_client_opens_one_span_per_call_and_counts_retries() {
    use cartstack_confirm::reqwest::Client;
    let collect = Collect::default();
    let _guard = tracing::subscriber::set_default(collect.clone());
    let emulator = emulator();
    let client = Client::new().with_endpoint(emulator.base_url().clone());
    client.confirm(&request()).await.unwrap();

    // A 503 page, retried twice: three attempts, a WARN event for each repeat.
    let busy = self::emulator();
    busy.fail_next_n(3, Fault::Status(503));
    let policy = RetryPolicy::attempts(3).with_backoff(Duration::ZERO, Duration::ZERO);
    let client = Client::new()
        .with_endpoint(busy.base_url().clone())
        .with_retry(policy);
    client.confirm(&request()).await.unwrap_err();

    let calls = calls(&collect);
    assert_eq!(calls.len(), 2, "{calls:#?}");
    check(
        &calls[0],
        emulator.base_url().as_str(),
        "status=200 ",
        0,
        "ok",
    );
    check(
        &calls[1],
        busy.base_url().as_str(),
        "status=503 ",
        2,
        "error",
    );
    let retries: Vec<_> = collect
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| e.contains("call failed, retrying"))
        .cloned()
        .collect();
    assert_eq!(retries.len(), 2, "{retries:#?}");
    assert!(retries[0].starts_with("WARN ") && retries[0].contains("attempt=1 "));
    assert!(retries[1].contains("attempt=2 ") && retries[1].contains("HTTP 503"));
}
