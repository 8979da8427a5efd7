//! The shared server, through both emulators: the same shape, bad requests, faults,
//! concurrency and shutdown.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use cartwire_testkit::{Fault, cartfunnel, cartstack};

fn cartstack() -> cartstack::Emulator {
    cartstack::Emulator::start(
        cartstack::Account::new("k3y", "SITE")
            .with_cart("ann@example.com", cartstack::Cart::Open)
            .with_cart("bob@example.com", cartstack::Cart::Purchased),
    )
    .unwrap()
}

fn cartfunnel() -> cartfunnel::Emulator {
    cartfunnel::Emulator::start(cartfunnel::Account::new("shop", "s3cret").with_seeded_customers(3))
        .unwrap()
}

/// Sends raw bytes, reads the whole answer (the server closes after one).
fn exchange(addr: SocketAddr, raw: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The server may refuse before reading everything: what matters is its answer.
    let _ = stream.write_all(raw);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(addr: SocketAddr, target: &str, headers: &str) -> String {
    exchange(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: x\r\n{headers}\r\n").as_bytes(),
    )
}

const CF_AUTH: &str = "X-CARTFUNNEL-ACCOUNT: shop\r\nX-CARTFUNNEL-API-SECRET: s3cret\r\n";

#[test]
fn both_emulators_have_the_same_shape() {
    let stack = cartstack();
    let funnel = cartfunnel();
    assert_eq!(
        stack.base_url().as_str(),
        format!("http://127.0.0.1:{}/ss/v1/", stack.addr().port())
    );
    assert_eq!(
        funnel.base_url().as_str(),
        format!("http://127.0.0.1:{}/v1", funnel.addr().port())
    );
    let stack_credentials = stack.credentials();
    assert_eq!(
        (
            stack_credentials.key.as_str(),
            stack_credentials.site_id.as_str()
        ),
        ("k3y", "SITE")
    );
    assert_eq!(stack_credentials.to_string(), "key=k3y site_id=SITE");
    let funnel_credentials = funnel.credentials();
    assert_eq!(
        (
            funnel_credentials.account.as_str(),
            funnel_credentials.api_secret.as_str()
        ),
        ("shop", "s3cret")
    );
    assert_eq!(
        funnel_credentials.to_string(),
        "account=shop api_secret=s3cret"
    );
    assert!(stack.requests().is_empty() && funnel.requests().is_empty());
    assert_eq!(stack.open_carts(), ["ann@example.com"]);
    assert_eq!(funnel.customers().len(), 3);
    // Debug shows where, never the key or the secret.
    for debug in [format!("{stack:?}"), format!("{funnel:?}")] {
        assert!(debug.contains("127.0.0.1"), "{debug}");
        assert!(
            !debug.contains("k3y") && !debug.contains("s3cret"),
            "{debug}"
        );
    }
}

#[test]
fn requests_are_recorded_as_sent() {
    let emulator = cartfunnel();
    let before = Instant::now();
    let body = r#"{"customer":{"email":"new@example.com"}}"#;
    let answer = exchange(
        emulator.addr(),
        format!(
            "POST /v1/customers.json?x=%20y HTTP/1.1\r\nHost: x\r\n{CF_AUTH}\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("Connection: close\r\n"), "{answer}");
    let recorded = emulator.requests().pop().unwrap();
    assert_eq!(recorded.method, "POST");
    assert_eq!(recorded.target, "/v1/customers.json?x=%20y");
    assert_eq!(recorded.path(), "/v1/customers.json");
    assert_eq!(recorded.query(), "x=%20y");
    // Test support: the secret is recorded as sent.
    assert_eq!(recorded.header("x-cartfunnel-api-secret"), Some("s3cret"));
    assert_eq!(recorded.headers[0], ("Host".to_owned(), "x".to_owned()));
    assert_eq!(recorded.body, body.as_bytes());
    assert_eq!(recorded.status, Some(200));
    let answered = answer.split_once("\r\n\r\n").unwrap().1;
    assert_eq!(recorded.answer, answered.as_bytes());
    assert!(recorded.received_at >= before && recorded.received_at <= Instant::now());
    assert_eq!(recorded.fault, None);
    assert_eq!(emulator.customers().len(), 4);
}

#[test]
fn cartstack_answers_404_and_405_in_plain_text() {
    let emulator = cartstack();
    let wrong_path = get(emulator.addr(), "/ss/v2/?key=k3y", "");
    assert!(
        wrong_path.starts_with("HTTP/1.1 404 Not Found\r\n"),
        "{wrong_path}"
    );
    assert!(
        wrong_path.contains("Content-Type: text/plain"),
        "{wrong_path}"
    );
    let post = exchange(
        emulator.addr(),
        b"POST /ss/v1/ HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
    );
    assert!(
        post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
        "{post}"
    );
    let ok = get(
        emulator.addr(),
        "/ss/v1?key=k3y&siteid=SITE&email=ann%40example.com",
        "",
    );
    assert!(ok.ends_with(r#"{"resp":100,"err_txt":""}"#), "{ok}");
    assert!(emulator.open_carts().is_empty());
    emulator.set_cart("Ann@Example.com", cartstack::Cart::InsertFails);
    assert_eq!(
        emulator.cart("ann@example.com"),
        Some(cartstack::Cart::InsertFails)
    );
}

#[test]
fn bad_requests_get_an_error_status_and_the_server_keeps_serving() {
    let emulator = cartfunnel();
    let cases: [(&[u8], &str); 6] = [
        (b"NONSENSE\r\n\r\n", "400"),
        (b"GET / SPDY/3\r\n\r\n", "400"),
        (
            b"GET /v1/customers.json HTTP/1.1\r\nno colon\r\n\r\n",
            "400",
        ),
        (
            b"POST /v1/customers.json HTTP/1.1\r\nContent-Length: nine\r\n\r\n",
            "400",
        ),
        (
            b"POST /v1/customers.json HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "411",
        ),
        (
            b"POST /v1/customers.json HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n",
            "413",
        ),
    ];
    for (raw, status) in cases {
        let answer = exchange(emulator.addr(), raw);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{:?}: {answer}",
            String::from_utf8_lossy(raw)
        );
    }
    let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(70_000));
    assert!(exchange(emulator.addr(), long.as_bytes()).starts_with("HTTP/1.1 431 "));
    // A client that connects and hangs up sends nothing to answer.
    drop(TcpStream::connect(emulator.addr()).unwrap());
    // None of these reached the vendor's rules or the record; the server still answers.
    assert!(emulator.requests().is_empty());
    let answer = get(emulator.addr(), "/v1/customers/1.json", CF_AUTH);
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert_eq!(emulator.requests().len(), 1);
}

#[test]
fn faults_are_taken_in_order_one_per_request() {
    let emulator = cartstack();
    emulator.fail_next(Fault::Status(503));
    emulator.fail_next_n(2, Fault::reply(200, "<html>maintenance</html>"));
    emulator.fail_next_n(0, Fault::Close);
    assert_eq!(emulator.pending_faults(), 3);
    let target = "/ss/v1/?key=k3y&siteid=SITE&email=ann%40example.com";

    let first = get(emulator.addr(), target, "");
    assert!(
        first.starts_with("HTTP/1.1 503 Service Unavailable\r\n"),
        "{first}"
    );
    assert!(first.contains("Content-Type: text/html"), "{first}");
    for _ in 0..2 {
        let answer = get(emulator.addr(), target, "");
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(
            answer.ends_with("\r\n\r\n<html>maintenance</html>"),
            "{answer}"
        );
    }
    assert_eq!(emulator.pending_faults(), 0);
    // None of them reached the account; now the rules answer.
    assert_eq!(
        emulator.cart("ann@example.com"),
        Some(cartstack::Cart::Open)
    );
    assert!(get(emulator.addr(), target, "").ends_with(r#"{"resp":100,"err_txt":""}"#));

    let faults: Vec<_> = emulator.requests().into_iter().map(|r| r.fault).collect();
    assert_eq!(
        faults,
        [
            Some(Fault::Status(503)),
            Some(Fault::reply(200, "<html>maintenance</html>")),
            Some(Fault::reply(200, "<html>maintenance</html>")),
            None
        ]
    );
}

#[test]
fn close_answers_nothing_and_is_recorded() {
    let emulator = cartfunnel();
    emulator.fail_next(Fault::Close);
    let answer = get(emulator.addr(), "/v1/customers/1.json", CF_AUTH);
    assert_eq!(answer, "");
    let recorded = emulator.requests().pop().unwrap();
    assert_eq!(recorded.fault, Some(Fault::Close));
    assert_eq!(recorded.status, None);
    assert!(recorded.answer.is_empty());
}

#[test]
fn a_delayed_answer_does_not_hold_up_other_requests() {
    let emulator = cartfunnel();
    emulator.fail_next(Fault::Delay(Duration::from_millis(800)));
    let addr = emulator.addr();
    let started = Instant::now();
    let slow = std::thread::spawn(move || {
        let answer = get(addr, "/v1/customers/1.json", CF_AUTH);
        (answer, started.elapsed())
    });
    // Wait until the slow request has been read (it is recorded before the delay).
    while emulator.requests().is_empty() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let fast = get(addr, "/v1/customers/2.json", CF_AUTH);
    let fast_elapsed = started.elapsed();
    assert!(fast.starts_with("HTTP/1.1 200 OK"), "{fast}");
    let (slow, slow_elapsed) = slow.join().unwrap();
    assert!(slow.starts_with("HTTP/1.1 200 OK"), "{slow}");
    assert!(slow.contains("customer1@example.com"), "{slow}");
    assert!(
        slow_elapsed >= Duration::from_millis(800),
        "{slow_elapsed:?}"
    );
    assert!(
        fast_elapsed < slow_elapsed,
        "{fast_elapsed:?} {slow_elapsed:?}"
    );
}

#[test]
fn dropping_ends_a_delayed_answer_without_hanging() {
    let emulator = cartstack();
    emulator.fail_next(Fault::Delay(Duration::MAX));
    let addr = emulator.addr();
    let client = std::thread::spawn(move || {
        get(
            addr,
            "/ss/v1/?key=k3y&siteid=SITE&email=ann%40example.com",
            "",
        )
    });
    while emulator.requests().is_empty() {
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    drop(emulator);
    assert!(started.elapsed() < Duration::from_secs(2));
    // The delayed answer is cut short and sent once the emulator is gone.
    let answer = client.join().unwrap();
    assert!(answer.ends_with(r#"{"resp":100,"err_txt":""}"#), "{answer}");
    // And the port is free again.
    TcpListener::bind(addr).unwrap();
}

#[test]
fn start_on_a_port_and_on_a_taken_one() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let emulator =
        cartfunnel::Emulator::start_on(port, cartfunnel::Account::new("shop", "s3cret")).unwrap();
    assert_eq!(emulator.addr().port(), port);
    assert_eq!(
        emulator.base_url().as_str(),
        format!("http://127.0.0.1:{port}/v1")
    );
    let taken = cartstack::Emulator::start_on(port, cartstack::Account::new("k", "s"));
    assert!(taken.is_err());
}

#[test]
fn many_clients_at_once() {
    let emulator = cartfunnel();
    let addr = emulator.addr();
    let threads: Vec<_> = (0..16)
        .map(|i| {
            std::thread::spawn(move || {
                get(addr, &format!("/v1/customers/{}.json", i % 3 + 1), CF_AUTH)
            })
        })
        .collect();
    for thread in threads {
        let answer = thread.join().unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    }
    assert_eq!(emulator.requests().len(), 16);
}
