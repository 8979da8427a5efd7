//! The `cartwire` binary on Cartloom orders: output, round trips and exit codes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Output;
use std::sync::mpsc;
use std::thread;

use cartloom_order::samples;
use serde_json::{Value, json};

fn run_with(args: &[&str], stdin: &[u8], env_secret: Option<&str>) -> Output {
    match env_secret {
        Some(secret) => common::cartwire(args, &[("CARTWIRE_SECRET", secret)], stdin),
        None => common::cartwire(args, &[], stdin),
    }
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_with(args, stdin, None)
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

fn decode(stdin: &[u8]) -> Value {
    serde_json::from_slice(&ok(&["decode", "cartloom"], stdin)).unwrap()
}

/// Exit code and the single stderr line.
fn fails(out: Output) -> (i32, String) {
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    (out.status.code().unwrap(), stderr)
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../cartloom-order/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture as Cartloom writes it (compact JSON), by the library's encoder.
fn cartloom_wire(name: &str) -> Vec<u8> {
    let order = cartloom_order::decode(&fixture(name)).unwrap();
    cartloom_order::encode_json(&order).into_bytes()
}

#[test]
fn samples_are_the_vendor_order_in_both_shapes() {
    let all = String::from_utf8(ok(&["samples", "cartloom"], b"")).unwrap();
    assert!(all.starts_with("# order\n{\"oid\":\"0000123456\""), "{all}");
    assert!(all.contains("\n# order-form\norder=%7B%22oid%22"), "{all}");
    assert_eq!(
        ok(&["samples", "cartloom", "order"], b""),
        samples::ORDER_JSON.as_bytes()
    );
    assert_eq!(
        ok(&["samples", "cartloom", "order-form"], b""),
        samples::ORDER_FORM.as_bytes()
    );
    let (code, stderr) = fails(run(&["samples", "cartloom", "refund"], b""));
    assert_eq!(code, 2);
    assert!(stderr.contains("order, order-form"), "{stderr}");
}

#[test]
fn decode_prints_the_typed_view() {
    let v = decode(samples::ORDER_JSON.as_bytes());
    assert_eq!(v["oid"], "0000123456");
    assert_eq!(v["invoice"], "000004321");
    assert_eq!(v["on_hold"], false);
    assert_eq!(v["date"], "2013-02-09T04:30:25");
    assert_eq!(v["shipping_date"], Value::Null);
    assert_eq!(v["subtotal"], "19.95");
    assert_eq!(v["discount_amount"], "0.00");
    assert_eq!(v["refund_amount"], Value::Null);
    assert_eq!(v["billing_company"], Value::Null);
    assert_eq!(v["shipping_city"], Value::Null);
    assert_eq!(v["extra_inputs"], json!([]));
    assert_eq!(v["subscribed"], true);
    assert_eq!(v["shipping_status"], "0");
    assert_eq!(v["items"][1]["item_id"], "0001234545");
    assert_eq!(v["items"][1]["qty"], 1);
    assert_eq!(v["items"][1]["price"], "19.95");
    assert_eq!(v["items"][1]["digital"], true);
    assert_eq!(v["_wire"], json!({"date": "2013-02-0904:30:25"}));
    assert_eq!(v["extra"], json!({}));
    assert_eq!(v["verified"], false);
    assert_eq!(v["dedup_key"].as_str().unwrap().len(), 64);

    let form = decode(samples::ORDER_FORM.as_bytes());
    assert_eq!(
        form["_wire"],
        json!({"date": "2013-02-0904:30:25", "body": "form"})
    );
    let mut same = form.clone();
    same["_wire"].as_object_mut().unwrap().remove("body");
    assert_eq!(same, v);
    // The page's own text, `order = {…}` with spaces, decodes too.
    let page = decode(samples::VENDOR_PAGE.as_bytes());
    assert_eq!(page["oid"], "0000123456");
    assert_eq!(page["_wire"]["raw"], json!({"extra_inputs": "[ ]"}));
}

#[test]
fn decode_then_encode_gives_back_the_wire() {
    let mut wires = vec![
        samples::ORDER_JSON.as_bytes().to_vec(),
        samples::ORDER_FORM.as_bytes().to_vec(),
    ];
    for name in [
        "shipped.json",
        "nulls.json",
        "unknown-fields.json",
        "numbers.json",
    ] {
        wires.push(cartloom_wire(name));
    }
    for wire in wires {
        let json = ok(&["decode", "cartloom"], &wire);
        let again = ok(&["encode", "cartloom"], &json);
        assert_eq!(
            String::from_utf8_lossy(&again),
            String::from_utf8_lossy(&wire),
            "{}",
            String::from_utf8_lossy(&json)
        );
    }
}

#[test]
fn decode_reads_a_file_argument() {
    let path = format!(
        "{}/../cartloom-order/tests/fixtures/shipped.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_slice(&ok(&["decode", "cartloom", &path], b"")).unwrap();
    assert_eq!(v["shipping_status"], "1");
    assert_eq!(v["shipping_date"], "2013-02-11T16:05:00");
    assert_eq!(v["shipping_company"], "");
    assert_eq!(v["refund_amount"], "10.00");
    assert_eq!(v["items"][0]["qty"], 2);
    assert!(v.get("_wire").is_some_and(|w| w.get("date").is_none()));
}

#[test]
fn encode_writes_hand_written_json_as_raw_json() {
    let view = json!({
        "oid": "0000000042",
        "subtotal": "1.50",
        "grandtotal": "1.50",
        "date": "2024-01-02T03:04:05",
        "on_hold": true,
        "items": [{"pid": "7", "qty": 2, "price": "0.75", "digital": false}],
        "subscribed": false,
    });
    let wire = String::from_utf8(ok(&["encode", "cartloom"], view.to_string().as_bytes())).unwrap();
    assert!(
        wire.starts_with(r#"{"oid":"0000000042","invoice":"","unique_id":"","on_hold":"1","date":"2024-01-02 03:04:05","#),
        "{wire}"
    );
    assert!(
        wire.contains(r#""items":[{"pid":"7","item_id":"","qty":"2","#),
        "{wire}"
    );
    assert!(wire.ends_with(r#""subscribed":0}"#), "{wire}");
}

#[test]
fn malformed_input_exits_1_naming_the_field() {
    for (input, field) in [
        (fixture("wrong-type.json"), "billing_email"),
        (fixture("wrong-type-item.json"), "items[1].qty"),
        (fixture("bad-decimal.json"), "grandtotal"),
        (fixture("non-utf8.json"), "billing_first_name"),
        (
            br#"{"oid":"1","subtotal":"0","grandtotal":"0"}"#.to_vec(),
            "items",
        ),
    ] {
        let (code, stderr) = fails(run(&["decode", "cartloom"], &input));
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.starts_with("cartwire: malformed input: field `"),
            "{stderr}"
        );
        assert!(stderr.contains(&format!("`{field}`")), "{stderr}");
    }
    let sample = samples::ORDER_JSON.as_bytes();
    for cut in [0, 1, 100, sample.len() - 1] {
        let (code, stderr) = fails(run(&["decode", "cartloom"], &sample[..cut]));
        assert_eq!(code, 1, "{stderr}");
    }
    let (code, stderr) = fails(run(&["decode", "cartloom"], b"total=5"));
    assert_eq!(code, 1);
    assert!(stderr.contains("`order`"), "{stderr}");
}

#[test]
fn encode_rejects_a_bad_view() {
    let mut v = decode(samples::ORDER_JSON.as_bytes());
    v["grandtotal"] = json!("19,95");
    let (code, stderr) = fails(run(&["encode", "cartloom"], v.to_string().as_bytes()));
    assert_eq!(code, 1);
    assert!(stderr.contains("`grandtotal`"), "{stderr}");
    v["grandtotal"] = json!("19.95");
    v["items"][0]["qty"] = json!({"n": 1});
    let (code, stderr) = fails(run(&["encode", "cartloom"], v.to_string().as_bytes()));
    assert_eq!(code, 1);
    assert!(stderr.contains("`items[0].qty`"), "{stderr}");
    let (code, _) = fails(run(&["encode", "cartloom"], b"{not json"));
    assert_eq!(code, 1);
}

#[test]
fn decode_checks_the_token_in_the_url() {
    let sample = samples::ORDER_JSON.as_bytes();
    let url = "https://shop.example/hooks/cartloom?token=s3cret";
    let v = decode_args(&["--url", url, "--secret", "s3cret"], sample);
    assert_eq!(v["verified"], true);
    assert_eq!(v["oid"], "0000123456");
    // The token from the environment, a path-and-query target.
    let out = run_with(
        &[
            "decode",
            "cartloom",
            "--url",
            "/hooks/cartloom?a=1&token=s3cret",
        ],
        sample,
        Some("s3cret"),
    );
    assert_eq!(out.status.code(), Some(0));

    // A wrong or missing token is refused before the body is read: exit 3 naming `token`,
    // in the words of a token, never showing it.
    for (args, needle) in [
        (
            vec!["--url", "/hooks/cartloom?token=guess"],
            "the token does not match",
        ),
        (vec!["--url", "/hooks/cartloom"], "`token` is missing"),
        (vec![], "`token` is missing"),
    ] {
        let mut all = vec!["decode", "cartloom", "--secret", "s3cret"];
        all.extend(args);
        let (code, stderr) = fails(run(&all, sample));
        assert_eq!(code, 3, "{stderr}");
        assert!(stderr.contains(needle), "{stderr}");
        assert!(
            !stderr.contains("s3cret") && !stderr.contains("hash"),
            "{stderr}"
        );
        // Forged and malformed at once: still a verification failure.
        let (code, _) = fails(run(&all, b"{not json"));
        assert_eq!(code, 3);
    }
    // An empty secret is a usage error.
    let (code, _) = fails(run(
        &["decode", "cartloom", "--url", url, "--secret", ""],
        sample,
    ));
    assert_eq!(code, 2);
}

#[test]
fn a_secret_is_a_usage_error_for_encode_and_sign() {
    let sample = samples::ORDER_JSON.as_bytes();
    let json = ok(&["decode", "cartloom"], sample);
    let (code, stderr) = fails(run(&["encode", "cartloom", "--secret", "s3cret"], &json));
    assert_eq!(code, 2);
    assert!(stderr.contains("`encode` takes no secret"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
    let (code, _) = fails(run(&["sign", "cartloom", "--secret", "s3cret"], sample));
    assert_eq!(code, 2);
}

fn decode_args(args: &[&str], stdin: &[u8]) -> Value {
    let mut all = vec!["decode", "cartloom"];
    all.extend_from_slice(args);
    serde_json::from_slice(&ok(&all, stdin)).unwrap()
}

/// One request as a receiver saw it.
struct Received {
    request_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A receiver on 127.0.0.1 that answers one request with `200 OK` and reports it.
fn receiver() -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks/cartloom", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let mut stream = stream;
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK")
            .unwrap();
        tx.send(Received {
            request_line: request_line.trim_end().to_owned(),
            headers,
            body,
        })
        .unwrap();
    });
    (url, rx)
}

#[test]
fn send_posts_the_order_form_with_the_token() {
    for input in [samples::ORDER_JSON, samples::ORDER_FORM] {
        let (url, rx) = receiver();
        let out = ok(
            &["send", "cartloom", "--to", &url, "--secret", "c0ffee"],
            input.as_bytes(),
        );
        assert_eq!(String::from_utf8(out).unwrap(), "HTTP 200\nOK");
        let got = rx.recv().unwrap();
        assert_eq!(
            got.request_line,
            "POST /hooks/cartloom?token=c0ffee HTTP/1.1"
        );
        let content_type = got
            .headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .unwrap();
        assert_eq!(content_type.1, "application/x-www-form-urlencoded");
        assert_eq!(got.body, samples::ORDER_FORM.as_bytes());
    }
    // Without a secret the URL is used as given.
    let (url, rx) = receiver();
    ok(
        &["send", "cartloom", "--to", &format!("{url}?shop=1")],
        samples::ORDER_JSON.as_bytes(),
    );
    assert_eq!(
        rx.recv().unwrap().request_line,
        "POST /hooks/cartloom?shop=1 HTTP/1.1"
    );
}

#[test]
fn send_refuses_bad_input_before_connecting() {
    // Nothing listens on these URLs: the command must fail before trying.
    let (code, stderr) = fails(run(
        &["send", "cartloom", "--to", "http://127.0.0.1:9/hook"],
        b"{\"oid\":",
    ));
    assert_eq!(code, 1, "{stderr}");
    let (code, stderr) = fails(run(
        &[
            "send",
            "cartloom",
            "--to",
            "http://127.0.0.1:9/hook?token=a",
            "--secret",
            "b",
        ],
        samples::ORDER_JSON.as_bytes(),
    ));
    assert_eq!(code, 2, "{stderr}");
    assert!(!stderr.contains("token=b"), "{stderr}");
    let (code, stderr) = fails(run(
        &["send", "cartloom", "--to", "ftp://127.0.0.1/hook"],
        samples::ORDER_JSON.as_bytes(),
    ));
    assert_eq!(code, 2, "{stderr}");
}
