//! `cartwire decode|encode|samples cartstack-response` and `cartwire cartstack confirm`,
//! run as the real binary; `confirm` calls the testkit's local emulator on 127.0.0.1.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::process::Output;

use cartstack_confirm::samples::{BAD_GATEWAY, RESPONSES};
use cartwire_testkit::Fault;
use cartwire_testkit::cartstack::{Account, Cart, Emulator};
use serde_json::{Value, json};

const KEY: &str = "9f2c4e1ab7d35c08";
const SITE: &str = "KQ7ZP2";

fn cartwire(args: &[&str], env_key: Option<&str>, stdin: &[u8]) -> Output {
    match env_key {
        Some(key) => common::cartwire(args, &[("CARTSTACK_API_KEY", key)], stdin),
        None => common::cartwire(args, &[], stdin),
    }
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {:?} / stderr {:?}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Exactly one line on stderr, and it contains `needle`.
fn assert_one_stderr_line(output: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        stderr.contains(needle),
        "{stderr:?} should contain {needle:?}"
    );
}

#[test]
fn samples_list_one_answer_per_code_and_sub_case() {
    let output = cartwire(&["samples", "cartstack-response"], None, b"");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for (name, body) in RESPONSES {
        assert!(text.contains(&format!("# {name}\n{body}\n")), "{name}");
    }
    let one = cartwire(&["samples", "cartstack-response", "no_cart"], None, b"");
    assert_eq!(one.stdout, RESPONSES[6].1.as_bytes());
    let none = cartwire(&["samples", "cartstack-response", "nope"], None, b"");
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn decode_prints_the_outcome_and_encode_gives_the_wire_back() {
    for (name, body) in RESPONSES {
        let decoded = cartwire(&["decode", "cartstack-response"], None, body.as_bytes());
        assert_eq!(decoded.status.code(), Some(0), "{name}");
        let json = stdout_json(&decoded);
        let expected = if *name == "unknown_code" {
            "unknown"
        } else {
            name
        };
        assert_eq!(json["outcome"], expected, "{name}");
        let encoded = cartwire(&["encode", "cartstack-response"], None, &decoded.stdout);
        assert_eq!(encoded.status.code(), Some(0), "{name}");
        assert_eq!(String::from_utf8(encoded.stdout).unwrap(), *body, "{name}");
    }
    let decoded = cartwire(
        &["decode", "cartstack-response"],
        None,
        RESPONSES[8].1.as_bytes(),
    );
    assert_eq!(
        stdout_json(&decoded),
        json!({"resp": "104", "err_txt": "Account suspended", "retry_after": 3600, "outcome": "unknown"})
    );
}

#[test]
fn decode_refuses_what_is_not_the_answer() {
    let html = cartwire(
        &["decode", "cartstack-response"],
        None,
        BAD_GATEWAY.as_bytes(),
    );
    assert_eq!(html.status.code(), Some(1));
    assert_one_stderr_line(&html, "not JSON");
    let no_resp = cartwire(
        &["decode", "cartstack-response"],
        None,
        br#"{"err_txt":"x"}"#,
    );
    assert_eq!(no_resp.status.code(), Some(1));
    assert_one_stderr_line(&no_resp, "field `resp`");
    let bad_resp = cartwire(&["decode", "cartstack-response"], None, br#"{"resp":[1]}"#);
    assert_eq!(bad_resp.status.code(), Some(1));
    assert_one_stderr_line(&bad_resp, "field `resp`");
    let binary = cartwire(&["decode", "cartstack-response"], None, b"\xff\xfe\x00{");
    assert_eq!(binary.status.code(), Some(1));
    // Nothing to verify: a secret is a usage error, not a silent "unverified".
    let secret = cartwire(
        &["decode", "cartstack-response", "--secret", "x"],
        None,
        RESPONSES[0].1.as_bytes(),
    );
    assert_eq!(secret.status.code(), Some(2));
    assert_one_stderr_line(&secret, "nothing to verify");
}

#[test]
fn encode_refuses_json_without_resp() {
    let output = cartwire(
        &["encode", "cartstack-response"],
        None,
        br#"{"outcome":"success"}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_one_stderr_line(&output, "field `resp`");
    let output = cartwire(&["encode", "cartstack-response"], None, b"[100]");
    assert_eq!(output.status.code(), Some(1));
    let output = cartwire(
        &["encode", "cartstack-response"],
        None,
        br#"{"resp":100,"err_txt":7}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    assert_one_stderr_line(&output, "field `err_txt`");
}

fn account() -> Account {
    Account::new(KEY, SITE)
        .with_cart("ann+shop@example.com", Cart::Open)
        .with_cart("jürgen@bücher.de", Cart::Open)
        .with_cart("bob@example.com", Cart::Purchased)
        .with_cart("carol@example.com", Cart::InsertFails)
}

fn confirm(emulator: &Emulator, key: Option<&str>, extra: &[&str]) -> Output {
    let endpoint = emulator.base_url().to_string();
    let mut args = vec!["cartstack", "confirm", "--endpoint", &endpoint];
    args.extend_from_slice(extra);
    let output = cartwire(&args, key, b"");
    // The key never shows, whatever happened.
    for stream in [&output.stdout, &output.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains(KEY));
    }
    output
}

#[test]
fn confirm_success_prints_the_answer_and_exits_0() {
    let emulator = Emulator::start(account()).unwrap();
    let output = confirm(
        &emulator,
        Some(KEY),
        &[
            "--site-id",
            SITE,
            "--email",
            "ann+shop@example.com",
            "--total",
            "19.9",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        stdout_json(&output),
        json!({"resp": 100, "err_txt": "", "outcome": "success"})
    );
    assert!(output.stderr.is_empty());
    let received = emulator.requests();
    assert_eq!(
        received[0].target,
        format!("/ss/v1/?key={KEY}&siteid={SITE}&email=ann%2Bshop%40example.com&total=19.90")
    );

    // Unicode, and a large total.
    let output = confirm(
        &emulator,
        Some(KEY),
        &[
            "--site-id",
            SITE,
            "--email",
            "jürgen@bücher.de",
            "--total",
            "1234567890123.5",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let target = &emulator.requests()[1].target;
    assert!(
        target.ends_with("&email=j%C3%BCrgen%40b%C3%BCcher.de&total=1234567890123.50"),
        "{target}"
    );
}

#[test]
fn confirm_refusals_exit_1_and_key_mismatch_exits_3() {
    let emulator = Emulator::start(account()).unwrap();
    for (site, email, outcome) in [
        (SITE, "dave@example.com", "no_cart"),
        (SITE, "bob@example.com", "cart_not_found"),
        (SITE, "carol@example.com", "insert_failed"),
        ("OTHER", "dave@example.com", "invalid_site_id"),
    ] {
        let output = confirm(&emulator, Some(KEY), &["--site-id", site, "--email", email]);
        assert_eq!(output.status.code(), Some(1), "{outcome}: {output:?}");
        assert_eq!(stdout_json(&output)["outcome"], outcome);
        assert_eq!(stdout_json(&output)["resp"], 102);
        assert_one_stderr_line(&output, &format!("102 ({outcome})"));
    }
    let output = confirm(
        &emulator,
        Some("wrong-key"),
        &["--site-id", SITE, "--email", "dave@example.com"],
    );
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    assert_eq!(stdout_json(&output)["outcome"], "key_mismatch");
    assert_one_stderr_line(&output, "API Key does not match");
}

#[test]
fn confirm_maps_101_and_unknown_codes_to_1() {
    let emulator = Emulator::start(account()).unwrap();
    for (name, body) in RESPONSES {
        emulator.fail_next(Fault::reply(200, *body));
        let output = confirm(
            &emulator,
            Some(KEY),
            &["--site-id", SITE, "--email", "a@b.co"],
        );
        let expected = match *name {
            "success" => 0,
            "key_mismatch" => 3,
            _ => 1,
        };
        assert_eq!(output.status.code(), Some(expected), "{name}: {output:?}");
        let json = stdout_json(&output);
        let outcome = if *name == "unknown_code" {
            "unknown"
        } else {
            name
        };
        assert_eq!(json["outcome"], outcome);
    }
}

#[test]
fn confirm_without_an_answer_exits_4() {
    let emulator = Emulator::start(account()).unwrap();
    emulator.fail_next(Fault::reply(502, BAD_GATEWAY));
    let output = confirm(
        &emulator,
        Some(KEY),
        &["--site-id", SITE, "--email", "a@b.co"],
    );
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    assert!(output.stdout.is_empty());
    assert_one_stderr_line(&output, "HTTP 502");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{port}/ss/v1/");
    let output = cartwire(
        &[
            "cartstack",
            "confirm",
            "--endpoint",
            &endpoint,
            "--site-id",
            SITE,
            "--email",
            "a@b.co",
        ],
        Some(KEY),
        b"",
    );
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    assert_one_stderr_line(&output, "cannot reach CartStack");
}

#[test]
fn confirm_checks_the_request_before_sending() {
    let emulator = Emulator::start(account()).unwrap();
    for (args, field) in [
        (
            vec!["--site-id", SITE, "--email", "ann smith@example.com"],
            "field `email`",
        ),
        (
            vec!["--site-id", SITE, "--email", "ann@localhost"],
            "field `email`",
        ),
        (
            vec!["--site-id", SITE, "--email", "ann.example.com"],
            "field `email`",
        ),
        (
            vec!["--site-id", " ", "--email", "a@b.co"],
            "field `siteid`",
        ),
        (
            vec!["--site-id", SITE, "--email", "a@b.co", "--total", "-19.90"],
            "negative",
        ),
        (
            vec!["--site-id", SITE, "--email", "a@b.co", "--total", "19.999"],
            "more than two decimals",
        ),
        (
            vec!["--site-id", SITE, "--email", "a@b.co", "--total", "19,90"],
            "field `total`",
        ),
    ] {
        let output = confirm(&emulator, Some(KEY), &args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {output:?}");
        assert!(output.stdout.is_empty());
        assert_one_stderr_line(&output, field);
    }
    assert!(emulator.requests().is_empty(), "nothing invalid was sent");
}

#[test]
fn confirm_usage_errors_exit_2() {
    let emulator = Emulator::start(account()).unwrap();
    let args = ["--site-id", SITE, "--email", "a@b.co"];
    let output = confirm(&emulator, None, &args);
    assert_eq!(output.status.code(), Some(2));
    assert_one_stderr_line(&output, "CARTSTACK_API_KEY");
    let output = confirm(&emulator, Some("  "), &args);
    assert_eq!(output.status.code(), Some(2));
    assert_one_stderr_line(&output, "CARTSTACK_API_KEY");
    for endpoint in ["not a url", "ftp://127.0.0.1/ss/v1/"] {
        let output = cartwire(
            &[
                "cartstack",
                "confirm",
                "--endpoint",
                endpoint,
                "--site-id",
                SITE,
                "--email",
                "a@b.co",
            ],
            Some(KEY),
            b"",
        );
        assert_eq!(output.status.code(), Some(2), "{endpoint}");
        assert_one_stderr_line(&output, "--endpoint");
    }
    let output = cartwire(
        &["cartstack", "confirm", "--email", "a@b.co"],
        Some(KEY),
        b"",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(emulator.requests().is_empty());
    let help = cartwire(&["cartstack", "confirm", "--help"], None, b"");
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("CARTSTACK_API_KEY"));
    assert!(help.contains("3 CartStack answered 103"));
}
