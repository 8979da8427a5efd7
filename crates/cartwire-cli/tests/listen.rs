//! `cartwire listen` end to end: the real binary on 127.0.0.1 (port 0), every sample of every
//! receiving protocol delivered with the protocol crates' own senders, the JSON lines read
//! back from its stdout.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
#[path = "../../../tests/support/deliveries.rs"]
mod deliveries;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::Duration;

use cartwire_core::Secret;
use deliveries::{Expect, check_payload, check_refusal, send};
use serde_json::Value;

/// How long to wait for a line before calling the test hung (a guard, not a timing check).
const HANG: Duration = Duration::from_secs(30);

/// The running `cartwire listen`; killed when dropped, whatever happened in the test.
struct Listener {
    child: Child,
    base: String,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lines(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn listen(secret: Option<&str>) -> Listener {
    listen_with(secret, &[])
}

fn listen_with(secret: Option<&str>, args: &[&str]) -> Listener {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cartwire"));
    command
        .args(["listen", "--port", "0"])
        .args(args)
        // As the shared runner does: a developer's shell must not change the outcome.
        .env_remove("CARTWIRE_SECRET")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(secret) = secret {
        command.args(["--secret", secret]);
    }
    let mut child = command.spawn().expect("the cartwire binary runs");
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    // The guard exists before the first wait, so a failure below still kills the child.
    let mut listener = Listener {
        child,
        base: String::new(),
        stdout,
        stderr,
    };
    let first = listener
        .stderr
        .recv_timeout(HANG)
        .expect("listen announces its address");
    let start = first.find("http://").expect("an http:// address");
    let address = first[start..].split_whitespace().next().unwrap();
    assert!(address.starts_with("http://127.0.0.1:"), "{first}");
    listener.base = address.to_owned();
    listener
}

/// The notification's own JSON in a line: the payload, or for a Cartfunnel webhook the body
/// it nests under `webhook` (a merchant's JSON is not merged with the keys every protocol adds).
fn notification(line: &Value) -> &Value {
    if line["protocol"] == "cartfunnel" {
        &line["payload"]["webhook"]
    } else {
        &line["payload"]
    }
}

fn next_line(listener: &Listener, what: &str) -> Value {
    let line = listener
        .stdout
        .recv_timeout(HANG)
        .unwrap_or_else(|_| panic!("{what}: no JSON line on stdout"));
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("{what}: {e}: {line}"))
}

#[test]
fn every_sample_is_decoded_and_verified_and_bad_ones_are_refused() {
    const KEY: &str = "listen-test-key-7f3e9a";
    let listener = listen(Some(KEY));
    let all = deliveries::all(&listener.base, &Secret::new(KEY));
    let mut counts = std::collections::BTreeMap::new();
    for delivery in all {
        let what = format!("{} {}", delivery.protocol, delivery.name);
        let (status, body) = send(delivery.request);
        match delivery.expect {
            Expect::Accepted(checks) => {
                assert_eq!(status, 200, "{what}: {body}");
                assert_eq!(body, "OK", "{what}");
                let line = next_line(&listener, &what);
                assert_eq!(line["protocol"], delivery.protocol, "{what}: {line}");
                assert_eq!(line["verified"], true, "{what}: {line}");
                check_payload(&what, notification(&line), &checks);
                *counts.entry(delivery.protocol).or_insert(0) += 1;
            }
            Expect::Hostile => {
                assert!(matches!(status, 400 | 401 | 413), "{what}: {status} {body}");
                let report = listener.stderr.recv_timeout(HANG).unwrap();
                assert!(report.contains("refused with"), "{what}: {report}");
            }
            Expect::Refused(expected_status, reason) => {
                check_refusal(&what, status, &body, (expected_status, reason));
                // Reported on stderr, never on stdout.
                let report = listener.stderr.recv_timeout(HANG).unwrap();
                assert!(
                    report.starts_with(&format!(
                        "cartwire: {}: refused with {status}",
                        delivery.protocol
                    )),
                    "{what}: {report}"
                );
            }
        }
    }
    assert_eq!(counts["cartfreak"], cartfreak_notify::samples::ALL.len());
    assert_eq!(counts["cartloom"], 3);
    assert_eq!(counts["justclick"], justclick_invoice::samples::ALL.len());
    assert_eq!(counts["cartfunnel"], 4);
    // Nothing was printed for the refused ones, and the server still answers.
    assert!(listener.stdout.try_recv().is_err());
    let again = deliveries::all(&listener.base, &Secret::new(KEY))
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(send(again.request).0, 200);
    next_line(&listener, "after the bad ones");
    let (status, body) = send(
        http::Request::get(format!("{}/elsewhere", listener.base))
            .body(Vec::new())
            .unwrap(),
    );
    assert_eq!(status, 404);
    assert!(
        body.contains("/cartfreak, /cartloom, /justclick, /cartfunnel"),
        "{body}"
    );
}

#[test]
fn without_a_secret_it_decodes_and_says_unverified() {
    let listener = listen(None);
    // The documented GET flavour, as the cart sends it without a hash.
    let received =
        cartfreak_notify::decode(cartfreak_notify::samples::REMOVE_QUERY.as_bytes()).unwrap();
    let api_url = cartfreak_notify::ApiUrl::parse(&format!("{}/cartfreak", listener.base)).unwrap();
    let request = cartfreak_notify::http::delivery(&received, &api_url, None).unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(send(request), (200, "OK".to_owned()));
    let line = next_line(&listener, "GET remove");
    assert_eq!(line["protocol"], "cartfreak");
    assert_eq!(line["verified"], false);
    assert_eq!(line["payload"]["billing_id"], "224");
    // One convention: the payload says it too, and carries the idempotency key.
    assert_eq!(line["payload"]["verified"], false);
    assert_eq!(line["payload"]["dedup_key"].as_str().unwrap().len(), 64);

    // The JSON is what `cartwire decode` prints for the same input.
    let decoded = common::cartwire(
        &["decode", "cartfreak", "-"],
        &[],
        cartfreak_notify::samples::REMOVE_QUERY.as_bytes(),
    );
    let decoded: Value = serde_json::from_slice(&decoded.stdout).unwrap();
    assert_eq!(line["payload"], decoded);

    // Unsigned deliveries of the other protocols decode too; malformed ones are still 400.
    let all = deliveries::all(&listener.base, &Secret::new("any"));
    for delivery in all {
        let what = format!("{} {}", delivery.protocol, delivery.name);
        let (status, body) = send(delivery.request);
        match (delivery.expect, status) {
            (Expect::Accepted(checks), _) => {
                assert_eq!(status, 200, "{what}: {body}");
                let line = next_line(&listener, &what);
                assert_eq!(line["verified"], false, "{what}");
                check_payload(&what, notification(&line), &checks);
            }
            // Tampered ones decode (nothing to check them with); bodies that do not parse
            // are refused.
            (Expect::Refused(401, _), 200) => {
                let line = next_line(&listener, &what);
                assert_eq!(line["verified"], false, "{what}");
            }
            (Expect::Refused(expected, reason), _) => {
                check_refusal(&what, status, &body, (expected, reason));
            }
            // Unverified, a hostile body may still decode (a truncated sample, say).
            (Expect::Hostile, 200) => {
                let line = next_line(&listener, &what);
                assert_eq!(line["verified"], false, "{what}");
            }
            (Expect::Hostile, _) => {
                assert!(matches!(status, 400 | 413), "{what}: {status} {body}");
            }
        }
    }
}

#[test]
fn an_empty_secret_is_a_usage_error() {
    let output = common::cartwire(&["listen", "--port", "0", "--secret", ""], &[], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("empty"));
}

/// Runs the CLI with `stdin` (the shared runner), returning the exit code and stdout.
fn cartwire(args: &[&str], stdin: &[u8]) -> (Option<i32>, String) {
    let output = common::cartwire(args, &[], stdin);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn cartwire_send_delivers_to_cartwire_listen() {
    const KEY: &str = "cli-to-cli-key";
    let listener = listen(Some(KEY));
    let base = listener.base.clone();

    // JustClick and CartFreak through `cartwire send --secret`: signed on the way out.
    let paid = justclick_invoice::samples::PAID.as_bytes();
    let to = format!("{base}/justclick");
    let (code, out) = cartwire(&["send", "justclick", "--to", &to, "--secret", KEY], paid);
    assert_eq!((code, out.as_str()), (Some(0), "HTTP 200\nOK"));
    let line = next_line(&listener, "justclick");
    assert_eq!(line["protocol"], "justclick");
    assert_eq!(line["verified"], true);
    assert_eq!(line["payload"]["kind"], "paid");

    let create = cartfreak_notify::samples::CREATE_QUERY.as_bytes();
    let to = format!("{base}/cartfreak");
    let (code, out) = cartwire(&["send", "cartfreak", "--to", &to, "--secret", KEY], create);
    assert_eq!((code, out.as_str()), (Some(0), "HTTP 200\nOK"));
    assert_eq!(
        next_line(&listener, "cartfreak")["payload"]["command"],
        "CREATE"
    );

    // Cartloom: `--secret` puts the token in the URL.
    let order = cartloom_order::samples::ORDER_JSON.as_bytes();
    let to = format!("{base}/cartloom");
    let (code, out) = cartwire(&["send", "cartloom", "--to", &to, "--secret", KEY], order);
    assert_eq!((code, out.as_str()), (Some(0), "HTTP 200\nOK"));
    assert_eq!(
        next_line(&listener, "cartloom")["payload"]["oid"],
        "0000123456"
    );

    // Cartfunnel webhooks: `cartwire cartfunnel webhook send`, POST hex and PUT base64.
    let body = cartfunnel_client_types::samples::WEBHOOK_ORDER.as_bytes();
    let to = format!("{base}/cartfunnel");
    for extra in [&[][..], &["--put", "--base64"][..]] {
        let mut args = vec![
            "cartfunnel",
            "webhook",
            "send",
            "--to",
            &to,
            "--secret",
            KEY,
        ];
        args.extend_from_slice(extra);
        let (code, out) = cartwire(&args, body);
        assert_eq!((code, out.as_str()), (Some(0), "HTTP 200\nOK"), "{extra:?}");
        let line = next_line(&listener, "cartfunnel");
        assert_eq!(line["verified"], true);
        assert_eq!(line["payload"]["webhook"]["order"]["total_price"], "49.95");
    }

    // A wrong secret is the receiver's 401: `send` exits 1 with the status and the reason on
    // stderr, and prints nothing on stdout.
    let mut args = vec![
        "cartfunnel",
        "webhook",
        "send",
        "--to",
        &to,
        "--secret",
        "wrong",
    ];
    let output = common::cartwire(&args, &[], body);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "cartwire: the receiver answered HTTP 401: verification failed: \
             `X-Cartfunnel-Hmac-SHA256`: the signature does not match"
        ),
        "{stderr}"
    );
    // Not JSON: refused before sending (exit 1).
    args[6] = KEY;
    assert_eq!(cartwire(&args, b"{\"a\":").0, Some(1));
    assert!(listener.stdout.try_recv().is_err());
}

#[test]
fn with_event_each_line_is_the_event_decode_event_prints() {
    const KEY: &str = "listen-event-key-51c0";
    let listener = listen_with(Some(KEY), &["--event"]);
    let mut kinds = std::collections::BTreeSet::new();
    for delivery in deliveries::all(&listener.base, &Secret::new(KEY)) {
        let what = format!("{} {}", delivery.protocol, delivery.name);
        let Expect::Accepted(_) = delivery.expect else {
            let _ = send(delivery.request);
            let _ = listener.stderr.recv_timeout(HANG);
            continue;
        };
        let body = delivery.request.body().clone();
        let (status, _) = send(delivery.request);
        assert_eq!(status, 200, "{what}");
        let line = next_line(&listener, &what);
        assert_eq!(line["protocol"], delivery.protocol, "{what}: {line}");
        assert_eq!(line["verified"], true, "{what}: {line}");
        assert!(line.get("payload").is_none(), "{what}: {line}");
        let event: cartwire_core::Event = serde_json::from_value(line.clone())
            .unwrap_or_else(|e| panic!("{what}: not an event: {e}: {line}"));
        assert_eq!(event.protocol, delivery.protocol);
        kinds.insert(event.kind.to_string());
        // A JustClick body is the whole delivery: `decode --event` prints the same line.
        if delivery.protocol == "justclick" {
            let decoded = common::cartwire(
                &["decode", "justclick", "--event", "--secret", KEY, "-"],
                &[],
                &body,
            );
            let decoded: Value = serde_json::from_slice(&decoded.stdout).unwrap();
            assert_eq!(decoded, line, "{what}");
        }
    }
    for kind in [
        "order_created",
        "order_paid",
        "partial_payment",
        "order_cancelled",
        "order_refunded",
        "payment_failed",
        "subscription_started",
        "subscription_renewed",
        "subscription_ended",
        "cart_abandoned",
    ] {
        assert!(kinds.contains(kind), "no sample printed {kind}: {kinds:?}");
    }
}
