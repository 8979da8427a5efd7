//! `cartwire … justclick`, run as a user runs it: the real binary, its output and exit codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cartwire");
const SECRET: &str = "jc-fixture-secret-4f2a";
const KINDS: [&str; 5] = ["created", "paid", "prepaid", "cancelled", "moneyback"];

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../justclick-invoice/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    common::cartwire(args, &[], stdin)
}

fn ok(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let out = run(args, stdin);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Runs a command that must fail with `code` and one line on stderr; returns that line.
fn fails(args: &[&str], stdin: &[u8], code: i32) -> String {
    let out = run(args, stdin);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(out.stdout.is_empty());
    stderr
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn samples_are_one_per_kind_and_raw_by_name() {
    let all = String::from_utf8(ok(&["samples", "justclick"], b"")).unwrap();
    for kind in KINDS {
        assert!(all.contains(&format!("# {kind}\n")), "{all}");
        let one = ok(&["samples", "justclick", kind], b"");
        assert_eq!(one, fixture(&format!("{kind}.txt")));
    }
    let err = fails(&["samples", "justclick", "shipped"], b"", 2);
    assert!(
        err.contains("created, paid, prepaid, cancelled, moneyback"),
        "{err}"
    );
}

#[test]
fn decode_prints_the_typed_json() {
    let out = json(&ok(&["decode", "justclick"], &fixture("paid.txt")));
    assert_eq!(out["kind"], "paid");
    assert_eq!(out["id"], "1001");
    assert_eq!(out["first_name"], "Иван");
    assert_eq!(out["created"], "2024-04-02T08:00:00Z");
    assert_eq!(out["paid"], "2024-04-02T09:01:01Z");
    assert_eq!(out["last_payment_sum"], "5980.50");
    assert_eq!(out["is_recurrent"], false);
    assert_eq!(out["utm"]["campaign"], "весна-2024");
    assert_eq!(out["items"][0]["sum"], "4990.00");
    assert_eq!(out["items"][0]["partners"][1]["partner_fee"], "149.70");
    assert_eq!(out["items"][0]["partners"][1]["partner_lvl"], 2);
    // Every receiving protocol's JSON says whether it was checked, and its idempotency key.
    assert_eq!(out["verified"], false);
    assert_eq!(out["dedup_key"].as_str().unwrap().len(), 64);
    assert_eq!(out["extra"], serde_json::json!({}));
}

#[test]
fn decode_with_the_secret_verifies_and_a_bad_hash_exits_3() {
    for kind in KINDS {
        let body = fixture(&format!("{kind}.txt"));
        let out = json(&ok(&["decode", "justclick", "--secret", SECRET], &body));
        assert_eq!(out["verified"], true);
        assert_eq!(out["kind"], kind);
        let err = fails(
            &["decode", "justclick", "--secret", "another-key"],
            &body,
            3,
        );
        assert!(err.contains("hash"), "{err}");
        assert!(
            err.starts_with("cartwire: verification failed: `hash`: the hash does not match"),
            "said once, naming the field: {err}"
        );
    }
    // The secret from the environment, and a body with a trailing newline as `echo` leaves.
    let mut body = fixture("created.txt");
    body.push(b'\n');
    let out = Command::new(BIN)
        .args(["decode", "justclick", "-"])
        .env("CARTWIRE_SECRET", SECRET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(&body)?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out.stdout)["verified"], true);
    // A tampered hashed field, a missing hash, an empty key.
    let tampered = String::from_utf8(fixture("created.txt"))
        .unwrap()
        .replace("created=1712044800", "created=1712044801");
    fails(
        &["decode", "justclick", "--secret", SECRET],
        tampered.as_bytes(),
        3,
    );
    let unsigned = tampered.split("&hash=").next().unwrap().to_owned();
    let err = fails(
        &["decode", "justclick", "--secret", SECRET],
        unsigned.as_bytes(),
        3,
    );
    assert!(err.contains("missing"), "{err}");
    let err = fails(
        &["decode", "justclick", "--secret", ""],
        &fixture("paid.txt"),
        2,
    );
    assert!(err.contains("secret"), "{err}");
}

#[test]
fn malformed_input_exits_1_naming_the_field() {
    let body = String::from_utf8(fixture("paid.txt")).unwrap();
    let no_email = body.replace("email=ivan.petrov%2Bshop%40example.ru&", "");
    let err = fails(&["decode", "justclick"], no_email.as_bytes(), 1);
    assert!(err.contains("`email`"), "{err}");
    let bad_sum = body.replace("sum%5D=4990.00", "sum%5D=4990%2C00");
    let err = fails(
        &["decode", "justclick", "--secret", SECRET],
        bad_sum.as_bytes(),
        1,
    );
    assert!(err.contains("`items[0][sum]`"), "{err}");
    let repeated = format!("{body}&id=1002");
    let err = fails(&["decode", "justclick"], repeated.as_bytes(), 1);
    assert!(err.contains("`id`"), "{err}");
    // Nothing that names an invoice is not a notification of an unknown kind: it is malformed.
    for body in [&b""[..], b"garbage%%%", br#"{"id":1}"#] {
        let err = fails(&["decode", "justclick"], body, 1);
        assert!(err.contains("`id`"), "{err}");
        // With a key, the missing hash is found first.
        fails(&["decode", "justclick", "--secret", SECRET], body, 3);
    }
    fails(&["encode", "justclick"], b"{\"paid\": \"1\"}", 1);
    fails(&["encode", "justclick"], b"not json", 1);
}

#[test]
fn decode_then_encode_gives_back_the_wire() {
    for kind in KINDS {
        let body = fixture(&format!("{kind}.txt"));
        let decoded = ok(&["decode", "justclick", "--secret", SECRET], &body);
        assert_eq!(ok(&["encode", "justclick"], &decoded), body, "{kind}");
    }
}

#[test]
fn encode_with_a_secret_signs() {
    let mut out = json(&ok(&["decode", "justclick"], &fixture("prepaid.txt")));
    out["id"] = "2002".into();
    out["hash"] = "".into();
    let wire = ok(
        &["encode", "justclick", "--secret", "new-key"],
        out.to_string().as_bytes(),
    );
    // python3 -c 'import hashlib; print(hashlib.md5("2002ivan.petrov+shop@example.ru"
    //   "1712048461new-key".encode()).hexdigest())'
    let text = String::from_utf8(wire.clone()).unwrap();
    assert!(
        text.ends_with("&hash=81878e45f6c79e6558f9899f7d7d4a10"),
        "{text}"
    );
    let back = json(&ok(&["decode", "justclick", "--secret", "new-key"], &wire));
    assert_eq!(back["id"], "2002");
}

#[test]
fn sign_sets_the_hash() {
    let body = String::from_utf8(fixture("cancelled.txt")).unwrap();
    let unsigned = body.replace("98a0f021605006077983e9c882f8ddea", "");
    let signed = ok(
        &["sign", "justclick", "--secret", SECRET],
        unsigned.as_bytes(),
    );
    assert_eq!(signed, body.as_bytes());
    fails(
        &["sign", "justclick", "--secret", ""],
        unsigned.as_bytes(),
        2,
    );
    fails(
        &["sign", "justclick", "--secret", SECRET],
        b"status=new_order&id=1",
        1,
    );
}

/// A one-shot HTTP server on 127.0.0.1: returns the raw request it received.
fn receiver(reply: &'static str) -> (String, std::thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook.php?a=paid", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request);
            if let Some(head_end) = text.find("\r\n\r\n") {
                let length: usize = text[..head_end]
                    .lines()
                    .find_map(|l| {
                        let (name, value) = l.split_once(':')?;
                        name.eq_ignore_ascii_case("content-length")
                            .then(|| value.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if request.len() >= head_end + 4 + length {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        stream.write_all(reply.as_bytes()).unwrap();
        request
    });
    (url, handle)
}

#[test]
fn send_posts_the_form_as_justclick_does() {
    let (url, server) =
        receiver("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK");
    let body = fixture("paid.txt");
    let out = ok(&["send", "justclick", "--to", &url], &body);
    assert_eq!(String::from_utf8(out).unwrap(), "HTTP 200\nOK");
    let request = server.join().unwrap();
    let text = String::from_utf8(request.clone()).unwrap();
    assert!(
        text.starts_with("POST /hook.php?a=paid HTTP/1.1\r\n"),
        "{text}"
    );
    assert!(
        text.to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded"),
        "{text}"
    );
    assert!(request.ends_with(&body));

    // With a secret: signed before sending. A receiver that refuses (anything but 2xx) makes
    // `send` exit 1, with the status and the reason on stderr.
    let (url, server) =
        receiver("HTTP/1.1 401 Unauthorized\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbad");
    let unsigned = String::from_utf8(body.clone())
        .unwrap()
        .replace("034445528f4b2c73477cdd4cb631762e", "0");
    let err = fails(
        &["send", "justclick", "--to", &url, "--secret", SECRET],
        unsigned.as_bytes(),
        1,
    );
    assert_eq!(err, "cartwire: the receiver answered HTTP 401: bad\n");
    assert!(server.join().unwrap().ends_with(&body));

    fails(&["send", "justclick", "--to", "ftp://x"], &body, 2);
    fails(
        &["send", "justclick", "--to", "http://127.0.0.1:9/"],
        b"id=1&paid=1",
        1,
    );
}
