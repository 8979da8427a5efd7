//! One span per call, from both clients, with the endpoint, status, duration and retry count,
//! and never the key or the email.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Duration;

use cartstack_confirm::{ConfirmRequest, RetryPolicy};
use cartwire_testkit::Fault;
use cartwire_testkit::cartstack::{Account, Cart, Emulator};
use cartwire_testkit::trace::Recorder;

const KEY: &str = "s3cr3t-k3y";

fn emulator() -> Emulator {
    Emulator::start(Account::new(KEY, "SITE").with_cart("zoe.q@example.com", Cart::Open)).unwrap()
}

fn request() -> ConfirmRequest {
    ConfirmRequest::new(KEY, "SITE", "zoe.q@example.com").unwrap()
}

/// The `cartwire.call` spans, checked for their fields and for secrets.
fn calls(collect: &Recorder) -> Vec<String> {
    for text in collect.all_text() {
        assert!(
            !text.contains("s3cr3t") && !text.contains("zoe.q"),
            "{text}"
        );
    }
    collect.spans_named("cartwire.call")
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
    let collect = Recorder::default();
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
    let collect = Recorder::default();
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
        .events()
        .into_iter()
        .filter(|e| e.contains("call failed, retrying"))
        .collect();
    assert_eq!(retries.len(), 2, "{retries:#?}");
    assert!(retries[0].starts_with("WARN ") && retries[0].contains("attempt=1 "));
    assert!(retries[1].contains("attempt=2 ") && retries[1].contains("HTTP 503"));
}
