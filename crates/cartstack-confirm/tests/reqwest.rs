//! The async client against the local emulator (`cartwire-testkit`): the same cases as the blocking client's
//! tests (tests/client.rs), every answer, error and limit, through `reqwest::Client`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Read;
use std::net::TcpListener;
use std::time::Duration;

use cartstack_confirm::reqwest::Client;
use cartstack_confirm::samples::{BAD_GATEWAY, RESPONSES};
use cartstack_confirm::{
    CallError, ConfirmRequest, ConfirmResponse, Decimal, Outcome, Resp, RetryPolicy,
};
use cartwire_testkit::Fault;
use cartwire_testkit::cartstack::{Account, Cart, Emulator};

const KEY: &str = "9f2c4e1ab7d35c08";
const SITE: &str = "KQ7ZP2";

fn account() -> Account {
    Account::new(KEY, SITE)
        .with_cart("ann+shop@example.com", Cart::Open)
        .with_cart("bob@example.com", Cart::Purchased)
        .with_cart("carol@example.com", Cart::InsertFails)
}

fn client(emulator: &Emulator) -> Client {
    Client::new()
        .with_endpoint(emulator.base_url().clone())
        .with_timeout(Duration::from_secs(10))
}

async fn confirm(client: &Client, key: &str, site: &str, email: &str) -> Outcome {
    let request = ConfirmRequest::new(key, site, email).unwrap();
    client.confirm(&request).await.unwrap().outcome()
}

#[tokio::test]
async fn every_documented_code_over_http() {
    let emulator = Emulator::start(account()).unwrap();
    let client = client(&emulator);

    let request = ConfirmRequest::new(KEY, SITE, "ann+shop@example.com")
        .unwrap()
        .with_total(Decimal::new(199, 1))
        .unwrap();
    let answer = client.confirm(&request).await.unwrap();
    assert_eq!(answer.outcome(), Outcome::Success);
    assert_eq!(answer.resp, Resp::from(100));
    assert_eq!(emulator.cart("ann+shop@example.com"), Some(Cart::Purchased));
    // Without a retry policy, a repeat's 102 is a plain answer.
    assert_eq!(
        client.confirm(&request).await.unwrap().outcome(),
        Outcome::CartNotFound {
            email: Some("ann+shop@example.com".to_owned())
        }
    );
    assert_eq!(
        confirm(&client, KEY, SITE, "carol@example.com").await,
        Outcome::InsertFailed
    );
    assert_eq!(
        confirm(&client, KEY, SITE, "dave@example.com").await,
        Outcome::NoCart
    );
    assert_eq!(
        confirm(&client, KEY, "OTHER", "dave@example.com").await,
        Outcome::InvalidSiteId
    );
    assert_eq!(
        confirm(&client, "wrong-key", SITE, "dave@example.com").await,
        Outcome::KeyMismatch
    );

    let received = emulator.requests();
    assert_eq!(received.len(), 6);
    assert!(
        received
            .iter()
            .all(|r| r.method == "GET" && r.status == Some(200))
    );
    assert_eq!(
        received[0].target,
        format!("/ss/v1/?key={KEY}&siteid={SITE}&email=ann%2Bshop%40example.com&total=19.90")
    );
    assert_eq!(
        ConfirmRequest::from_query(received[0].query()).unwrap(),
        request
    );
    // What CartStack answered is what the client read.
    assert_eq!(
        ConfirmResponse::from_slice(&received[0].answer).unwrap(),
        answer
    );
}

#[tokio::test]
async fn unknown_codes_and_answers_on_any_status_are_answers() {
    let emulator = Emulator::start(account()).unwrap();
    for (name, body) in RESPONSES {
        emulator.fail_next(Fault::reply(200, *body));
        let answer = client(&emulator)
            .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
            .await
            .unwrap();
        assert_eq!(answer.to_json(), *body, "{name}");
    }
    // A 500 carrying CartStack's JSON is its answer, and is not retried.
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next_n(
        3,
        Fault::reply(500, r#"{"resp":102,"err_txt":"Purchase Insert Failed"}"#),
    );
    let answer = client(&emulator)
        .with_retry(RetryPolicy::attempts(3))
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .await
        .unwrap();
    assert_eq!(answer.outcome(), Outcome::InsertFailed);
    assert_eq!(emulator.requests().len(), 1);
}

#[tokio::test]
async fn a_body_that_is_not_the_answer_is_kept() {
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next(Fault::reply(502, BAD_GATEWAY));
    let err = client(&emulator)
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .await
        .unwrap_err();
    match err {
        CallError::Response { status, error } => {
            assert_eq!(status, 502);
            assert_eq!(error.body, BAD_GATEWAY.as_bytes());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_5xx_page_is_retried_up_to_the_policy_then_reported() {
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next_n(3, Fault::Status(503));
    let policy =
        RetryPolicy::attempts(3).with_backoff(Duration::from_millis(1), Duration::from_millis(5));
    let err = client(&emulator)
        .with_retry(policy)
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, CallError::Response { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(emulator.requests().len(), 3);
    // A 4xx page is never retried.
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next_n(3, Fault::Status(404));
    let err = client(&emulator)
        .with_retry(policy)
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, CallError::Response { status: 404, .. }),
        "{err:?}"
    );
    assert_eq!(emulator.requests().len(), 1);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next(Fault::reply(302, "<html>moved</html>"));
    let err = client(&emulator)
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, CallError::Response { status: 302, .. }),
        "{err:?}"
    );
    assert_eq!(emulator.requests().len(), 1);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn transport_failures_never_show_the_key_or_email() {
    let endpoint = url::Url::parse(&format!("http://127.0.0.1:{}/ss/v1/", free_port())).unwrap();
    let request = ConfirmRequest::new("s3cr3t-key", SITE, "zoe.q@example.com").unwrap();
    let policy =
        RetryPolicy::attempts(2).with_backoff(Duration::from_millis(1), Duration::from_millis(1));
    let err = Client::new()
        .with_endpoint(endpoint)
        .with_retry(policy)
        .confirm(&request)
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(!text.contains("zoe.q"), "{text}");
    }
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint =
        url::Url::parse(&format!("http://{}/ss/v1/", listener.local_addr().unwrap())).unwrap();
    let holder = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
    });
    let err = Client::new()
        .with_endpoint(endpoint)
        .with_timeout(Duration::from_millis(300))
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    // Joined off the runtime, which must keep running to close the abandoned connection.
    tokio::task::spawn_blocking(move || holder.join().unwrap())
        .await
        .unwrap();
}

#[tokio::test]
async fn oversized_answers_are_refused() {
    let body = format!(r#"{{"resp":100,"err_txt":"{}"}}"#, "x".repeat(100_000));
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next_n(3, Fault::reply(200, body));
    let err = client(&emulator)
        .with_retry(RetryPolicy::attempts(3))
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    assert!(err.to_string().contains("larger than 65536 bytes"), "{err}");
    assert_eq!(emulator.requests().len(), 1);
}

#[tokio::test]
async fn the_client_is_configured_like_the_blocking_one() {
    let client = Client::default();
    assert_eq!(client.endpoint(), cartstack_confirm::DEFAULT_ENDPOINT);
    assert_eq!(client.timeout(), Duration::from_secs(30));
    assert_eq!(client.retry(), RetryPolicy::none());
    let client = client
        .with_timeout(Duration::from_secs(2))
        .with_retry(RetryPolicy::attempts(4));
    assert_eq!(client.timeout(), Duration::from_secs(2));
    assert_eq!(client.retry().max_attempts(), 4);
}
