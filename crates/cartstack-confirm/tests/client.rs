//! The blocking client against the local emulator (`cartwire-testkit`), one answer per code
//! and sub-case.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Read;
use std::net::TcpListener;
use std::time::Duration;

use cartstack_confirm::client::{CallError, Client};
use cartstack_confirm::samples::{BAD_GATEWAY, RESPONSES};
use cartstack_confirm::{ConfirmRequest, ConfirmResponse, Decimal, Outcome, Resp};
use cartwire_testkit::Fault;
use cartwire_testkit::cartstack::{Account, Cart, Emulator};

const KEY: &str = "9f2c4e1ab7d35c08";
const SITE: &str = "KQ7ZP2";

fn account() -> Account {
    Account::new(KEY, SITE)
        .with_cart("ann+shop@example.com", Cart::Open)
        .with_cart("jürgen@bücher.de", Cart::Open)
        .with_cart("bob@example.com", Cart::Purchased)
        .with_cart("carol@example.com", Cart::InsertFails)
}

fn client(emulator: &Emulator) -> Client {
    Client::new()
        .with_endpoint(emulator.base_url().clone())
        .with_timeout(Duration::from_secs(10))
}

fn confirm(client: &Client, key: &str, site: &str, email: &str) -> Outcome {
    let request = ConfirmRequest::new(key, site, email).unwrap();
    client.confirm(&request).unwrap().outcome()
}

#[test]
fn every_documented_code_over_http() {
    let emulator = Emulator::start(account()).unwrap();
    let client = client(&emulator);

    let request = ConfirmRequest::new(KEY, SITE, "ann+shop@example.com")
        .unwrap()
        .with_total(Decimal::new(199, 1))
        .unwrap();
    let answer = client.confirm(&request).unwrap();
    assert_eq!(answer.outcome(), Outcome::Success);
    assert_eq!(answer.resp, Resp::from(100));
    assert_eq!(emulator.cart("ann+shop@example.com"), Some(Cart::Purchased));

    // The same purchase again: the cart is gone.
    assert_eq!(
        client.confirm(&request).unwrap().outcome(),
        Outcome::CartNotFound {
            email: Some("ann+shop@example.com".to_owned())
        }
    );
    assert_eq!(
        confirm(&client, KEY, SITE, "bob@example.com"),
        Outcome::CartNotFound {
            email: Some("bob@example.com".to_owned())
        }
    );
    assert_eq!(
        confirm(&client, KEY, SITE, "carol@example.com"),
        Outcome::InsertFailed
    );
    assert_eq!(
        confirm(&client, KEY, SITE, "dave@example.com"),
        Outcome::NoCart
    );
    assert_eq!(
        confirm(&client, KEY, "OTHER", "dave@example.com"),
        Outcome::InvalidSiteId
    );
    assert_eq!(
        confirm(&client, "wrong-key", SITE, "dave@example.com"),
        Outcome::KeyMismatch
    );
    // Upper case finds the same cart.
    assert_eq!(
        confirm(&client, KEY, SITE, "JÜRGEN@bücher.de"),
        Outcome::Success
    );

    let received = emulator.requests();
    assert_eq!(received.len(), 8);
    assert!(
        received
            .iter()
            .all(|r| r.method == "GET" && r.status == Some(200) && r.fault.is_none())
    );
    // What arrived on the wire is the encoded form, and it reads back to the same request.
    assert_eq!(
        received[0].target,
        format!("/ss/v1/?key={KEY}&siteid={SITE}&email=ann%2Bshop%40example.com&total=19.90")
    );
    assert_eq!(
        ConfirmRequest::from_query(received[0].query()).unwrap(),
        request
    );
    assert_eq!(
        ConfirmResponse::from_slice(&received[0].answer)
            .unwrap()
            .outcome(),
        Outcome::Success
    );
}

/// 101s cannot come from a validated `ConfirmRequest`: send raw URLs, as a sloppy shop would.
#[test]
fn requests_that_skip_validation_get_101_and_102() {
    let emulator = Emulator::start(account()).unwrap();
    let agent = ureq::Agent::new_with_defaults();
    let base = emulator.base_url().as_str().to_owned();
    let get = |query: &str| {
        let body = agent
            .get(&format!("{base}?{query}"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_vec()
            .unwrap();
        ConfirmResponse::from_slice(&body).unwrap().outcome()
    };
    assert_eq!(
        get(&format!("siteid={SITE}&email=a%40b.co")),
        Outcome::MissingField
    );
    assert_eq!(
        get(&format!("key={KEY}&siteid=&email=a%40b.co")),
        Outcome::MissingField
    );
    assert_eq!(
        get(&format!("key={KEY}&siteid={SITE}")),
        Outcome::MissingField
    );
    assert_eq!(
        get(&format!("key={KEY}&siteid={SITE}&email=nope")),
        Outcome::InvalidEmail
    );
    // The vendor's WooCommerce plugin: `+` unencoded becomes a space.
    assert_eq!(
        get(&format!(
            "key={KEY}&siteid={SITE}&email=ann+shop@example.com"
        )),
        Outcome::InvalidEmail
    );
    assert_eq!(
        get(&format!("key={KEY}&siteid={SITE}&email=a%40b.co&total=-5")),
        Outcome::InsertFailed
    );
    assert_eq!(
        get(&format!(
            "key={KEY}&siteid={SITE}&email=ann%2Bshop%40example.com&total=19.9"
        )),
        Outcome::Success
    );
}

#[test]
fn values_with_spaces_and_unicode_arrive_intact() {
    let emulator = Emulator::start(
        Account::new("key with spaces+&=", "SITE 1").with_cart("用户@例子.广告", Cart::Open),
    )
    .unwrap();
    let client = client(&emulator);
    let request = ConfirmRequest::new("key with spaces+&=", "SITE 1", "用户@例子.广告")
        .unwrap()
        .with_total("123456789012345678.5".parse().unwrap())
        .unwrap();
    assert_eq!(
        client.confirm(&request).unwrap().outcome(),
        Outcome::Success
    );
    let received = &emulator.requests()[0];
    assert!(
        received
            .target
            .contains("key=key%20with%20spaces%2B%26%3D&siteid=SITE%201")
    );
    assert!(received.target.ends_with("&total=123456789012345678.50"));
    assert_eq!(
        ConfirmRequest::from_query(received.query()).unwrap(),
        request
    );
}

#[test]
fn unknown_codes_and_general_errors_are_answers() {
    let emulator = Emulator::start(account()).unwrap();
    let client = client(&emulator);
    for (name, body) in RESPONSES {
        emulator.fail_next(Fault::reply(200, *body));
        let answer = client
            .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
            .unwrap();
        assert_eq!(answer.to_json(), *body, "{name}");
    }
    emulator.fail_next(Fault::reply(
        200,
        r#"{"resp":102,"err_txt":"Database unavailable"}"#,
    ));
    let answer = client
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .unwrap();
    assert_eq!(answer.outcome(), Outcome::GeneralError);
    // An answer is an answer, whatever the status.
    emulator.fail_next(Fault::reply(
        500,
        r#"{"resp":102,"err_txt":"Purchase Insert Failed"}"#,
    ));
    let answer = client
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .unwrap();
    assert_eq!(answer.outcome(), Outcome::InsertFailed);
    // Every scripted answer was used, and nothing reached the account's rules.
    assert_eq!(emulator.pending_faults(), 0);
    assert_eq!(emulator.requests().len(), RESPONSES.len() + 2);
}

#[test]
fn a_body_that_is_not_the_answer_is_kept() {
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next(Fault::reply(502, BAD_GATEWAY));
    let err = client(&emulator)
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .unwrap_err();
    match err {
        CallError::Response { status, error } => {
            assert_eq!(status, 502);
            assert_eq!(error.body, BAD_GATEWAY.as_bytes());
        }
        other => panic!("{other:?}"),
    }
    // A wrong path gets the emulator's 404 page.
    let elsewhere = emulator.base_url().join("/v2/").unwrap();
    let err = Client::new()
        .with_endpoint(elsewhere)
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .unwrap_err();
    assert!(
        matches!(err, CallError::Response { status: 404, .. }),
        "{err:?}"
    );
}

#[test]
fn redirects_are_not_followed() {
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next(Fault::reply(302, "<html>moved</html>"));
    let err = client(&emulator)
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .unwrap_err();
    assert!(
        matches!(err, CallError::Response { status: 302, .. }),
        "{err:?}"
    );
}

#[test]
fn transport_failures_never_show_the_key_or_email() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = url::Url::parse(&format!("http://127.0.0.1:{port}/ss/v1/")).unwrap();
    let request = ConfirmRequest::new("s3cr3t-key", SITE, "zoe.q@example.com").unwrap();
    let err = Client::new()
        .with_endpoint(endpoint)
        .confirm(&request)
        .unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(!text.contains("zoe.q"), "{text}");
    }
}

#[test]
fn a_silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint =
        url::Url::parse(&format!("http://{}/ss/v1/", listener.local_addr().unwrap())).unwrap();
    let holder = std::thread::spawn(move || {
        // Accept, read the request, never answer; hang up when the client gives up.
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
    });
    let err = Client::new()
        .with_endpoint(endpoint)
        .with_timeout(Duration::from_millis(300))
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    holder.join().unwrap();
}

#[test]
fn oversized_answers_are_refused() {
    let body = format!(r#"{{"resp":100,"err_txt":"{}"}}"#, "x".repeat(100_000));
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next(Fault::reply(200, body));
    let err = client(&emulator)
        .confirm(&ConfirmRequest::new(KEY, SITE, "a@b.co").unwrap())
        .unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
}

/// Scripted failures: each meets one request, is recorded, and the next request is served.
#[test]
fn scripted_failures_reach_the_client_as_errors() {
    let emulator = Emulator::start(account()).unwrap();
    let request = ConfirmRequest::new(KEY, SITE, "ann+shop@example.com").unwrap();

    emulator.fail_next_n(2, Fault::Status(503));
    for _ in 0..2 {
        let err = client(&emulator).confirm(&request).unwrap_err();
        assert!(
            matches!(err, CallError::Response { status: 503, .. }),
            "{err:?}"
        );
    }
    emulator.fail_next(Fault::Close);
    let err = client(&emulator).confirm(&request).unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    // Neither a 503 nor a closed connection reached the account: the cart is still open.
    assert_eq!(emulator.cart("ann+shop@example.com"), Some(Cart::Open));

    // A late answer: CartStack confirmed, the client gave up, and trying again answers 102.
    emulator.fail_next(Fault::Delay(Duration::from_secs(2)));
    let err = client(&emulator)
        .with_timeout(Duration::from_millis(200))
        .confirm(&request)
        .unwrap_err();
    assert!(matches!(err, CallError::Transport { .. }), "{err:?}");
    assert_eq!(emulator.cart("ann+shop@example.com"), Some(Cart::Purchased));
    assert_eq!(
        client(&emulator).confirm(&request).unwrap().outcome(),
        Outcome::CartNotFound {
            email: Some("ann+shop@example.com".to_owned())
        }
    );

    let received = emulator.requests();
    assert_eq!(
        received
            .iter()
            .map(|r| (r.fault.clone(), r.status))
            .collect::<Vec<_>>(),
        [
            (Some(Fault::Status(503)), Some(503)),
            (Some(Fault::Status(503)), Some(503)),
            (Some(Fault::Close), None),
            (Some(Fault::Delay(Duration::from_secs(2))), Some(200)),
            (None, Some(200)),
        ]
    );
    // Every attempt carried the same request.
    assert!(
        received
            .iter()
            .all(|r| ConfirmRequest::from_query(r.query()).unwrap() == request)
    );
}
