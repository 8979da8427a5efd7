//! The command's framework: help, usage errors and exit codes that every protocol shares.
// Test code: helpers outside #[test] functions may unwrap and panic too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::process::Output;

fn cartwire(args: &[&str], stdin: &[u8]) -> Output {
    common::cartwire(args, &[], stdin)
}

fn code(output: &Output) -> i32 {
    output
        .status
        .code()
        .expect("cartwire exits normally, not by a signal")
}

#[test]
fn help_lists_every_subcommand_and_the_exit_codes() {
    let out = cartwire(&["--help"], b"");
    assert_eq!(code(&out), 0);
    let help = String::from_utf8(out.stdout).unwrap();
    for word in [
        "decode",
        "encode",
        "sign",
        "send",
        "samples",
        "cartfunnel",
        "cartstack",
        "emulate",
        "completions",
    ] {
        assert!(
            help.contains(word),
            "--help does not mention {word}:\n{help}"
        );
    }
    assert!(help.contains("3 verification failed"), "{help}");

    let out = cartwire(&["decode", "--help"], b"");
    assert_eq!(code(&out), 0);
    let help = String::from_utf8(out.stdout).unwrap();
    for protocol in [
        "cartfreak",
        "cartloom",
        "justclick",
        "cartfunnel-customer",
        "cartfunnel-customers",
        "cartstack-response",
    ] {
        assert!(
            help.contains(protocol),
            "decode --help lacks {protocol}:\n{help}"
        );
    }
    assert!(help.contains("CARTWIRE_SECRET"), "{help}");
}

#[test]
fn version_exits_zero() {
    let out = cartwire(&["--version"], b"");
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("cartwire "));
}

#[test]
fn usage_errors_exit_two() {
    for args in [
        &[][..],
        &["decode"][..],
        &["decode", "no-such-protocol"][..],
        &["frobnicate"][..],
        &["send", "justclick"][..],
        &["sign", "justclick"][..],
    ] {
        let out = cartwire(args, b"");
        assert_eq!(
            code(&out),
            2,
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stderr.is_empty(), "{args:?} printed no reason");
    }
}

#[test]
fn an_unknown_sample_name_is_a_usage_error_listing_the_names() {
    let out = cartwire(&["samples", "justclick", "no-such-sample"], b"");
    assert_eq!(code(&out), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no sample named `no-such-sample`"), "{err}");
}

#[test]
fn an_unreadable_file_exits_four_naming_it() {
    let out = cartwire(&["decode", "justclick", "/nonexistent/cartwire-input"], b"");
    assert_eq!(code(&out), 4);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/cartwire-input"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
}

#[test]
fn encode_of_input_that_is_not_json_exits_one() {
    let out = cartwire(&["encode", "justclick"], b"this is not json");
    assert_eq!(code(&out), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("cartwire: malformed input: JSON"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn every_protocol_has_samples_and_each_decodes() {
    for protocol in [
        "cartfreak",
        "cartloom",
        "justclick",
        "cartfunnel-webhook",
        "cartfunnel-customer",
        "cartfunnel-customers",
        "cartstack-response",
    ] {
        let out = cartwire(&["samples", protocol], b"");
        assert_eq!(code(&out), 0, "samples {protocol}");
        let listing = String::from_utf8(out.stdout).unwrap();
        let names: Vec<&str> = listing
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .collect();
        assert!(!names.is_empty(), "{protocol} has no samples");
        for name in names {
            let sample = cartwire(&["samples", protocol, name], b"");
            assert_eq!(code(&sample), 0);
            let decoded = cartwire(&["decode", protocol, "-"], &sample.stdout);
            assert_eq!(
                code(&decoded),
                0,
                "{protocol} sample {name} does not decode: {}",
                String::from_utf8_lossy(&decoded.stderr)
            );
            let json: serde_json::Value = serde_json::from_slice(&decoded.stdout)
                .unwrap_or_else(|e| panic!("{protocol} {name}: decode printed no JSON: {e}"));
            assert!(json.is_object(), "{protocol} {name}: {json}");
        }
    }
}

#[test]
fn every_receiving_protocol_prints_verified_and_dedup_key() {
    for protocol in ["cartfreak", "cartloom", "justclick", "cartfunnel-webhook"] {
        let listing = String::from_utf8(cartwire(&["samples", protocol], b"").stdout).unwrap();
        for name in listing.lines().filter_map(|l| l.strip_prefix("# ")) {
            let sample = cartwire(&["samples", protocol, name], b"").stdout;
            let decoded = cartwire(&["decode", protocol], &sample);
            let json: serde_json::Value = serde_json::from_slice(&decoded.stdout).unwrap();
            assert_eq!(json["verified"], false, "{protocol} {name}");
            let key = json["dedup_key"].as_str().unwrap();
            assert_eq!(key.len(), 64, "{protocol} {name}");
            assert!(key.bytes().all(|b| b.is_ascii_hexdigit()));
            // The JSON reads back: decode | encode | decode gives the same key.
            let encoded = cartwire(&["encode", protocol], &decoded.stdout);
            assert_eq!(code(&encoded), 0, "{protocol} {name}");
            let again = cartwire(&["decode", protocol], &encoded.stdout);
            let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
            assert_eq!(again["dedup_key"], json["dedup_key"], "{protocol} {name}");
        }
    }
}

#[test]
fn sign_with_an_empty_secret_is_a_usage_error_for_every_protocol() {
    for protocol in ["cartfreak", "cartloom", "justclick", "cartfunnel-webhook"] {
        let listing = String::from_utf8(cartwire(&["samples", protocol], b"").stdout).unwrap();
        let name = listing.lines().find_map(|l| l.strip_prefix("# ")).unwrap();
        let sample = cartwire(&["samples", protocol, name], b"").stdout;
        let out = cartwire(&["sign", protocol, "--secret", ""], &sample);
        assert_eq!(code(&out), 2, "{protocol}");
        assert!(out.stdout.is_empty(), "{protocol} signed with an empty key");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("empty"), "{protocol}: {err}");
    }
}

#[test]
fn input_past_the_protocols_limit_is_refused_without_reading_it_all() {
    // One byte past the form protocols' limit (1 MiB), then far past it: the command stops
    // reading at the limit and exits 1 naming it.
    for (protocol, limit) in [
        ("justclick", 1 << 20),
        ("cartfreak", 1 << 20),
        ("cartloom", 2 << 20),
        ("cartstack-response", 64 << 10),
    ] {
        for size in [limit + 1, limit * 3] {
            let out = cartwire(&["decode", protocol], &vec![b'a'; size]);
            assert_eq!(code(&out), 1, "{protocol} {size}");
            let err = String::from_utf8(out.stderr).unwrap();
            assert_eq!(
                err,
                format!(
                    "cartwire: malformed input: input size in bytes exceeds the limit of {limit}\n"
                ),
                "{protocol}"
            );
        }
        // At the limit, the input is read whole and judged by the decoder.
        let out = cartwire(&["decode", protocol], &vec![b'a'; limit]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.contains("exceeds the limit"), "{protocol}: {err}");
    }
}

#[test]
fn decode_event_prints_the_event_of_every_receiving_protocol() {
    let cases: [(&str, &[u8], &[&str], &str); 4] = [
        (
            "cartfreak",
            cartfreak_notify::samples::RENEW_FORM.as_bytes(),
            &["--secret", cartfreak_notify::samples::SAMPLE_API_KEY],
            "subscription_renewed",
        ),
        (
            "justclick",
            justclick_invoice::samples::CANCELLED.as_bytes(),
            &["--secret", justclick_invoice::samples::SECRET],
            "order_cancelled",
        ),
        (
            "cartloom",
            cartloom_order::samples::ORDER_FORM.as_bytes(),
            &[],
            "order_paid",
        ),
        (
            "cartfunnel-webhook",
            cartfunnel_client_types::samples::WEBHOOK_ABANDONED_CART.as_bytes(),
            &[],
            "cart_abandoned",
        ),
    ];
    for (protocol, input, extra, kind) in cases {
        let mut args = vec!["decode", protocol, "--event"];
        args.extend_from_slice(extra);
        let out = cartwire(&args, input);
        assert_eq!(
            code(&out),
            0,
            "{protocol}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["kind"], kind, "{protocol}: {json}");
        assert_eq!(json["verified"], !extra.is_empty(), "{protocol}");
        assert_eq!(json["currency"], serde_json::Value::Null, "{protocol}");
        // The event's key is the notification's: what plain `decode` prints.
        let plain = cartwire(
            &args[..2].iter().chain(extra).copied().collect::<Vec<_>>(),
            input,
        );
        let plain: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
        assert_eq!(json["dedup_key"], plain["dedup_key"], "{protocol}");
        let event: cartwire_core::Event = serde_json::from_value(json).unwrap();
        assert_eq!(event.kind.as_str(), kind);
    }
    // An API answer has no event: a usage error.
    let out = cartwire(
        &["decode", "cartstack-response", "--event"],
        br#"{"resp":100}"#,
    );
    assert_eq!(code(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--event"));
}

#[test]
fn samples_say_on_stderr_what_signs_them() {
    for (protocol, needle) in [
        ("justclick", "jc-fixture-secret-4f2a"),
        ("cartfreak", "sk_cartfreak_demo"),
        ("cartloom", "--url"),
        ("cartfunnel-webhook", "sign cartfunnel-webhook"),
    ] {
        let out = cartwire(&["samples", protocol], b"");
        assert_eq!(code(&out), 0);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{protocol}: {err}");
    }
    // The samples JustClick's note names do verify with that key.
    let paid = cartwire(&["samples", "justclick", "paid"], b"").stdout;
    let out = cartwire(
        &["decode", "justclick", "--secret", "jc-fixture-secret-4f2a"],
        &paid,
    );
    assert_eq!(code(&out), 0);
    // API answers are not signed: nothing to say.
    assert!(
        cartwire(&["samples", "cartstack-response"], b"")
            .stderr
            .is_empty()
    );
}
