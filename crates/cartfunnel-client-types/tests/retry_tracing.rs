//! Both clients under one retry policy, with one tracing span per call: the same semantics,
//! blocking and async, checked with a hand-written subscriber; never the secret.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::Duration;

use cartfunnel_client_types::{
    Api, BaseUrl, ClientError, Credentials, Customer, CustomerUpdate, NewCustomer, RetryPolicy,
    Secret,
};
use cartwire_testkit::Fault;
use cartwire_testkit::cartfunnel::{Account, Emulator};
use cartwire_testkit::trace::Recorder;

const ACCOUNT: &str = "myshop";
const SECRET: &str = "cf_s3cr3t_4f9c2a";

/// The `cartwire.call` spans; no span or event anywhere shows the secret.
fn calls(collect: &Recorder) -> Vec<String> {
    for text in collect.all_text() {
        assert!(!text.contains("s3cr3t"), "{text}");
    }
    collect.spans_named("cartwire.call")
}

fn api(emulator: &Emulator) -> Api {
    Api::new(Credentials::new(ACCOUNT, Secret::new(SECRET)).unwrap())
        .with_base_url(BaseUrl::parse(emulator.base_url().as_str()).unwrap())
}

fn policy() -> RetryPolicy {
    RetryPolicy::attempts(3).with_backoff(Duration::from_millis(1), Duration::from_millis(5))
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Blocking,
    Async,
}

/// The calls of the scenario below, made by either client.
async fn scenario(kind: Kind, emulator: &Emulator) -> Vec<Result<Customer, ClientError>> {
    let api = api(emulator);
    let timeout = Duration::from_millis(300);
    match kind {
        Kind::Blocking => {
            let client = cartfunnel_client_types::client::Client::with_timeout(api, timeout)
                .with_retry(policy());
            vec![
                client.get_customer(1),
                client.update_customer(1, CustomerUpdate::new().note("n")),
                client.create_customer(NewCustomer::new("new@example.com").unwrap()),
            ]
        }
        Kind::Async => {
            let client = cartfunnel_client_types::reqwest::Client::with_timeout(api, timeout)
                .with_retry(policy());
            vec![
                client.get_customer(1).await,
                client
                    .update_customer(1, CustomerUpdate::new().note("n"))
                    .await,
                client
                    .create_customer(NewCustomer::new("new@example.com").unwrap())
                    .await,
            ]
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn both_clients_retry_alike_and_trace_each_call_once() {
    for kind in [Kind::Blocking, Kind::Async] {
        let emulator =
            Emulator::start(Account::new(ACCOUNT, SECRET).with_seeded_customers(1)).unwrap();
        // get: a 503 page, a dropped connection, then the answer (3 attempts); update: an
        // answer after the timeout, then the answer (2 attempts); create: a 503 page, never
        // repeated (1 attempt). A short delay is a handled request answered in time: the
        // queue of faults is one per request, so the answers that must come are those.
        let in_time = Fault::Delay(Duration::from_millis(10));
        emulator.fail_next(Fault::Status(503));
        emulator.fail_next(Fault::Close);
        emulator.fail_next(in_time.clone());
        emulator.fail_next(Fault::Delay(Duration::from_secs(1)));
        emulator.fail_next(in_time);
        emulator.fail_next(Fault::Status(503));
        let collect = Recorder::default();
        let results = {
            // The blocking client runs on this thread, inside the subscriber's scope.
            let _guard = tracing::subscriber::set_default(collect.clone());
            scenario(kind, &emulator).await
        };
        assert!(results[0].is_ok(), "{kind:?}: {:?}", results[0]);
        assert!(results[1].is_ok(), "{kind:?}: {:?}", results[1]);
        let err = results[2].as_ref().unwrap_err();
        assert_eq!(
            err.api_error().and_then(|e| e.status()),
            Some(503),
            "{kind:?}"
        );
        assert_eq!(emulator.requests().len(), 3 + 2 + 1, "{kind:?}");

        let calls = calls(&collect);
        assert_eq!(calls.len(), 3, "{kind:?}: {calls:#?}");
        let base = emulator.base_url().as_str().trim_end_matches('/');
        for (call, method, path, status, retries, outcome) in [
            (&calls[0], "GET", "/customers/1.json", 200, 2, "ok"),
            (&calls[1], "PATCH", "/customers/1.json", 200, 1, "ok"),
            (&calls[2], "POST", "/customers.json", 503, 0, "error"),
        ] {
            for part in [
                "vendor=cartfunnel ".to_owned(),
                format!("method={method} "),
                format!("endpoint={base}{path} "),
                format!("status={status} "),
                "duration_ms=".to_owned(),
                format!("retries={retries} "),
                format!("outcome={outcome} "),
            ] {
                assert!(call.contains(&part), "{kind:?}: {part:?} in {call}");
            }
        }
        let retrying = collect
            .events()
            .iter()
            .filter(|e| e.starts_with("WARN ") && e.contains("call failed, retrying"))
            .count();
        assert_eq!(retrying, 3, "{kind:?}");
    }
}
