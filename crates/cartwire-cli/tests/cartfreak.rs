//! The `cartwire` binary on CartFreak notifications: output and exit codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;

use cartfreak_notify::samples;
use serde_json::{Value, json};

const KEY: &str = samples::SAMPLE_API_KEY;

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

fn json(args: &[&str], stdin: &[u8]) -> Value {
    serde_json::from_slice(&ok(args, stdin)).unwrap()
}

/// Exit code and the single stderr line.
fn fails(args: &[&str], stdin: &[u8]) -> (i32, String) {
    let out = run(args, stdin);
    assert!(out.stdout.is_empty(), "{args:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    (out.status.code().unwrap(), stderr)
}

#[test]
fn decode_every_flavour() {
    let v = json(&["decode", "cartfreak"], samples::CREATE_QUERY.as_bytes());
    assert_eq!(v["command"], "CREATE");
    assert_eq!(v["billing_id"], "5517");
    assert_eq!(v["amount"], "29.95");
    assert_eq!(v["total"], "28.78");
    assert_eq!(v["ship_city"], "Chicago");
    assert_eq!(v["extra"], json!({}));
    assert_eq!(v["dedup_key"].as_str().unwrap().len(), 64);
    assert!(v.get("hash").is_none());
    assert_eq!(v["verified"], false);
    assert!(v.get("total_mismatch").is_none());

    let v = json(&["decode", "cartfreak"], samples::REMOVE_URL.as_bytes());
    assert_eq!(v["api_url"], "http://www.yourdomain.com/script.php");
    assert_eq!(v["email"], "user@domain.com");

    let v = json(&["decode", "cartfreak"], samples::CYRILLIC_QUERY.as_bytes());
    assert_eq!(v["first_name"], "Иван");
    assert_eq!(v["billing_id"], Value::Null);

    let v = json(
        &["decode", "cartfreak"],
        samples::UNKNOWN_COMMAND_QUERY.as_bytes(),
    );
    assert_eq!(v["command"], "REFUND");
    // The fields every command carries stay at the top level; the rest, in arrival order.
    assert_eq!(v["billing_id"], "5517");
    assert_eq!(v["email"], Value::Null, "not sent");
    let extra: Vec<&String> = v["extra"].as_object().unwrap().keys().collect();
    assert_eq!(extra, ["order_id", "amount", "reason"]);
    assert_eq!(v["extra"]["reason"], "customer request");

    let v = json(
        &["decode", "cartfreak"],
        samples::TOTAL_MISMATCH_QUERY.as_bytes(),
    );
    assert!(v["total_mismatch"].as_str().unwrap().contains("28.78"));

    // A file argument, with a trailing newline as editors write it.
    let dir = std::env::temp_dir().join(format!("cartwire-cartfreak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("remove.form");
    std::fs::write(&file, format!("{}\n", samples::REMOVE_FORM)).unwrap();
    let v = json(
        &[
            "decode",
            "cartfreak",
            file.to_str().unwrap(),
            "--secret",
            KEY,
        ],
        b"",
    );
    assert_eq!(v["verified"], true);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn verification_exit_codes() {
    let v = json(
        &["decode", "cartfreak", "--secret", KEY],
        samples::CREATE_FORM.as_bytes(),
    );
    assert_eq!(v["verified"], true);
    assert_eq!(v["hash"], "1a6fdad0ec197c384a381bb29ca235c44c318684");

    // The secret may come from the environment too.
    let out = Command::new(env!("CARGO_BIN_EXE_cartwire"))
        .args(["decode", "cartfreak", "-"])
        .env("CARTWIRE_SECRET", "wrong-key")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(samples::CREATE_FORM.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(3));

    let (code, line) = fails(
        &["decode", "cartfreak", "--secret", KEY],
        samples::CREATE_TAMPERED_HASH_FORM.as_bytes(),
    );
    assert_eq!(code, 3);
    assert!(line.contains("does not match"), "{line}");
    assert!(!line.contains(KEY));

    // The GET flavour has no hash: asking to verify it fails, naming the field.
    let (code, line) = fails(
        &["decode", "cartfreak", "--secret", KEY],
        samples::REMOVE_QUERY.as_bytes(),
    );
    assert_eq!(code, 3);
    assert!(line.contains("`hash`"), "{line}");

    let truncated = samples::CREATE_FORM.trim_end_matches(|c: char| c.is_ascii_hexdigit());
    let (code, _) = fails(
        &["decode", "cartfreak", "--secret", KEY],
        truncated.as_bytes(),
    );
    assert_eq!(code, 3);
}

#[test]
fn malformed_input_exits_1_naming_the_field() {
    for (input, field) in [
        (&b"billing_id=224&email=a%40b.c"[..], "`command`"),
        (b"command=CREATE&command=REMOVE", "`command`"),
        (b"command=REMOVE&email=%FF", "`email`"),
    ] {
        let (code, line) = fails(&["decode", "cartfreak"], input);
        assert_eq!(code, 1, "{line}");
        assert!(line.contains(field), "{line}");
    }
    let bad_amount = samples::CREATE_QUERY.replace("amount=29.95", "amount=29%2C95");
    let (code, line) = fails(&["decode", "cartfreak"], bad_amount.as_bytes());
    assert_eq!(code, 1);
    assert!(line.contains("`amount`"), "{line}");

    let (code, line) = fails(
        &["encode", "cartfreak"],
        br#"{"command": "CREATE", "amount": "x", "fee": "0", "total": "0"}"#,
    );
    assert_eq!(code, 1);
    assert!(line.contains("`amount`"), "{line}");
    let (code, _) = fails(&["encode", "cartfreak"], b"not json");
    assert_eq!(code, 1);
}

#[test]
fn decode_then_encode_gives_the_same_wire() {
    for (name, wire) in samples::ALL {
        let decoded = ok(&["decode", "cartfreak"], wire.as_bytes());
        let encoded = ok(&["encode", "cartfreak"], &decoded);
        assert_eq!(String::from_utf8(encoded).unwrap(), wire, "{name}");
    }
    // Verified output encodes back too: `verified` and `dedup_key` are not fields.
    let decoded = ok(
        &["decode", "cartfreak", "--secret", KEY],
        samples::RENEW_FORM.as_bytes(),
    );
    assert_eq!(
        ok(&["encode", "cartfreak"], &decoded),
        samples::RENEW_FORM.as_bytes()
    );
}

#[test]
fn encode_with_a_secret_and_sign_give_the_post_flavour() {
    let decoded = ok(&["decode", "cartfreak"], samples::CREATE_QUERY.as_bytes());
    let form = ok(&["encode", "cartfreak", "--secret", KEY], &decoded);
    assert_eq!(form, samples::CREATE_FORM.as_bytes());

    let signed = ok(
        &["sign", "cartfreak", "--secret", KEY],
        samples::CREATE_QUERY.as_bytes(),
    );
    assert_eq!(signed, samples::CREATE_FORM.as_bytes());
    // Re-signing a tampered form repairs its hash.
    let signed = ok(
        &["sign", "cartfreak", "--secret", KEY],
        samples::CREATE_TAMPERED_HASH_FORM.as_bytes(),
    );
    assert_eq!(signed, samples::CREATE_FORM.as_bytes());
    let v = json(&["decode", "cartfreak", "--secret", KEY], &signed);
    assert_eq!(v["verified"], true);
}

#[test]
fn samples_list_and_pick() {
    let all = String::from_utf8(ok(&["samples", "cartfreak"], b"")).unwrap();
    for (name, wire) in samples::ALL {
        assert!(all.contains(&format!("# {name}\n{wire}\n")), "{name}");
    }
    for (name, wire) in samples::ALL {
        assert_eq!(ok(&["samples", "cartfreak", name], b""), wire.as_bytes());
    }
    let (code, line) = fails(&["samples", "cartfreak", "nope"], b"");
    assert_eq!(code, 2);
    assert!(line.contains("create"), "{line}");
}

/// A one-shot HTTP server on 127.0.0.1: returns its URL and a receiver for the raw request.
fn one_shot_server(reply: &'static str) -> (String, mpsc::Receiver<(String, Vec<u8>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        let mut content_length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                content_length = value.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        let mut body = vec![0; content_length];
        reader.read_exact(&mut body).unwrap();
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
            reply.len()
        )
        .unwrap();
        tx.send((head, body)).unwrap();
    });
    (format!("http://{addr}"), rx)
}

#[test]
fn send_uses_get_for_the_query_flavour() {
    let (base, rx) = one_shot_server("OK");
    let to = format!("{base}/hook.php?token=abc#frag");
    let out = ok(
        &["send", "cartfreak", "--to", &to],
        samples::REMOVE_URL.as_bytes(),
    );
    assert_eq!(String::from_utf8(out).unwrap(), "HTTP 200\nOK");
    let (head, body) = rx.recv().unwrap();
    assert!(
        head.starts_with(
            "GET /hook.php?token=abc&command=REMOVE&billing_id=224&email=user%40domain.com HTTP/1.1\r\n"
        ),
        "{head}"
    );
    assert!(body.is_empty());
}

#[test]
fn send_uses_post_for_the_hashed_flavour() {
    let (base, rx) = one_shot_server("ERROR Invalid hash sent");
    let to = format!("{base}/receiver/");
    let out = ok(
        &["send", "cartfreak", "--to", &to],
        samples::CREATE_TAMPERED_HASH_FORM.as_bytes(),
    );
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "HTTP 200\nERROR Invalid hash sent"
    );
    let (head, body) = rx.recv().unwrap();
    assert!(head.starts_with("POST /receiver/ HTTP/1.1\r\n"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/x-www-form-urlencoded\r\n"),
        "{head}"
    );
    assert_eq!(body, samples::CREATE_TAMPERED_HASH_FORM.as_bytes());

    // A query-flavour payload with a secret is signed and POSTed.
    let (base, rx) = one_shot_server("OK");
    ok(
        &["send", "cartfreak", "--to", &base, "--secret", KEY],
        samples::CREATE_QUERY.as_bytes(),
    );
    let (head, body) = rx.recv().unwrap();
    assert!(head.starts_with("POST / HTTP/1.1\r\n"), "{head}");
    assert_eq!(body, samples::CREATE_FORM.as_bytes());
}

#[test]
fn send_rejects_a_bad_api_url_as_usage() {
    let (code, line) = fails(
        &["send", "cartfreak", "--to", "ftp://x.test/"],
        samples::REMOVE_QUERY.as_bytes(),
    );
    assert_eq!(code, 2);
    assert!(line.contains("api_url"), "{line}");
}
