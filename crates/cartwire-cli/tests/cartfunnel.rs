//! `cartwire decode|encode|samples cartfunnel-customer|cartfunnel-customers`,
//! `cartwire cartfunnel customers …` against the testkit's emulator on 127.0.0.1, and
//! `cartwire cartfunnel webhook …`, run as the real binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::process::Output;

use cartfunnel_client_types::{decode, samples};
use cartwire_testkit::cartfunnel::{Account, Emulator};
use serde_json::{Value, json};

const ACCOUNT: &str = "myshop";
const SECRET: &str = "cf_cli_test_7d1e";

fn cartwire(args: &[&str], env: &[(&str, &str)], stdin: &[u8]) -> Output {
    common::cartwire(args, env, stdin)
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

/// The exit code, and exactly one stderr line containing `needle`.
fn assert_fails(output: &Output, code: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        stderr.contains(needle),
        "{stderr:?} should contain {needle:?}"
    );
}

fn wire(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn samples_are_the_vendor_examples() {
    let one = cartwire(&["samples", "cartfunnel-customer", "customer"], &[], b"");
    assert!(one.status.success());
    assert_eq!(one.stdout, samples::CUSTOMER.as_bytes());
    let all =
        String::from_utf8(cartwire(&["samples", "cartfunnel-customer"], &[], b"").stdout).unwrap();
    assert!(all.contains("# customer\n"));
    assert!(all.contains("# created\n"));
    let page = cartwire(&["samples", "cartfunnel-customers", "page"], &[], b"");
    assert_eq!(page.stdout, samples::CUSTOMER_PAGE.as_bytes());
}

#[test]
fn decode_prints_the_typed_form_and_encode_writes_the_wire_back() {
    for (protocol, sample) in [
        ("cartfunnel-customer", samples::CUSTOMER),
        ("cartfunnel-customer", samples::CUSTOMER_CREATED),
        ("cartfunnel-customers", samples::CUSTOMER_PAGE),
    ] {
        let decoded = cartwire(&["decode", protocol], &[], sample.as_bytes());
        assert_eq!(decoded.status.code(), Some(0), "{protocol}");
        let typed = stdout_json(&decoded);
        let encoded = cartwire(&["encode", protocol], &[], &decoded.stdout);
        assert_eq!(encoded.status.code(), Some(0));
        assert_eq!(
            wire(std::str::from_utf8(&encoded.stdout).unwrap()),
            wire(sample)
        );
        // And decoding the encoded wire gives the same typed JSON.
        assert_eq!(
            stdout_json(&cartwire(&["decode", protocol], &[], &encoded.stdout)),
            typed
        );
    }
    let typed = stdout_json(&cartwire(
        &["decode", "cartfunnel-customer"],
        &[],
        samples::CUSTOMER_CREATED.as_bytes(),
    ));
    assert_eq!(typed["accepts_marketing"], false);
    assert_eq!(typed["last_order_id"], Value::Null);
    assert_eq!(typed["created_at"], "2019-02-04T23:29:37.406-05:00");
    let page = stdout_json(&cartwire(
        &["decode", "cartfunnel-customers"],
        &[],
        samples::CUSTOMER_PAGE.as_bytes(),
    ));
    // One JSON object: the page's customers, and whether it is the last page (< 100).
    assert_eq!(page["last_page"], true);
    assert_eq!(
        page["customers"][1]["tag_list"],
        json!(["vip", "wholesale"])
    );
    assert_eq!(page["customers"][1]["loyalty_tier"]["name"], "gold");
}

#[test]
fn decode_failures_exit_1_naming_the_field() {
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "cartfunnel-customer",
            br#"{"id": 1, "tax_exempt": "maybe"}"#,
            "`tax_exempt`",
        ),
        ("cartfunnel-customer", br#"{"id": "x"}"#, "`id`"),
        ("cartfunnel-customer", b"{\"id\": 1,", "EOF"),
        ("cartfunnel-customer", b"\xff\xfe", "input"),
        (
            "cartfunnel-customers",
            br#"[{"id": 1}, {"id": 2, "orders_count": "many"}]"#,
            "`[1].orders_count`",
        ),
        (
            "cartfunnel-customers",
            samples::CUSTOMER.as_bytes(),
            "input",
        ),
        // Failed saves are the API saying no.
        (
            "cartfunnel-customer",
            samples::CUSTOMER_UPDATE_FAILED.as_bytes(),
            "An error has occurred",
        ),
        (
            "cartfunnel-customer",
            samples::CUSTOMER_CREATE_FAILED.as_bytes(),
            "Email can't be blank",
        ),
    ];
    for (protocol, input, needle) in cases {
        assert_fails(&cartwire(&["decode", protocol], &[], input), 1, needle);
    }
    assert_fails(
        &cartwire(
            &["encode", "cartfunnel-customer"],
            &[],
            br#"{"id": 1, "created_at": "soon"}"#,
        ),
        1,
        "`created_at`",
    );
    assert_fails(
        &cartwire(&["encode", "cartfunnel-customers"], &[], b"{}"),
        1,
        "input",
    );
    // Nothing to verify: a secret is a usage error, not a silent pass.
    assert_fails(
        &cartwire(
            &["decode", "cartfunnel-customer"],
            &[("CARTWIRE_SECRET", "x")],
            samples::CUSTOMER.as_bytes(),
        ),
        2,
        "no signature",
    );
}

fn api(args: &[&str], emulator: &Emulator, secret: &str) -> Output {
    let base = emulator.base_url().to_string();
    let mut full: Vec<&str> = vec!["cartfunnel", "customers"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--account", ACCOUNT, "--base-url", &base]);
    cartwire(&full, &[("CARTFUNNEL_API_SECRET", secret)], b"")
}

fn emulator() -> Emulator {
    Emulator::start(Account::new(ACCOUNT, SECRET)).unwrap()
}

#[test]
fn customers_list_and_get() {
    let emulator = emulator();
    emulator.seed_customers(250);
    let page = api(&["list"], &emulator, SECRET);
    assert_eq!(page.status.code(), Some(0));
    assert_eq!(stdout_json(&page).as_array().unwrap().len(), 100);
    let third = stdout_json(&api(&["list", "--page", "3"], &emulator, SECRET));
    assert_eq!(third.as_array().unwrap().len(), 50);
    assert_eq!(third[49]["id"], 250);
    let all = stdout_json(&api(&["list", "--all"], &emulator, SECRET));
    assert_eq!(all.as_array().unwrap().len(), 250);
    let one = stdout_json(&api(&["get", "42"], &emulator, SECRET));
    assert_eq!(one, all[41]);
    assert_eq!(one["email"], "customer42@example.com");
    // The typed form reads back as a customer.
    let back: cartfunnel_client_types::Customer = serde_json::from_value(one).unwrap();
    assert_eq!(back, emulator.customers()[41]);
    // Every request carried both headers.
    assert!(
        emulator
            .requests()
            .iter()
            .all(|r| r.header("X-CARTFUNNEL-ACCOUNT") == Some(ACCOUNT)
                && r.header("X-CARTFUNNEL-API-SECRET") == Some(SECRET))
    );

    assert_fails(&api(&["get", "999"], &emulator, SECRET), 4, "HTTP 404");
}

#[test]
fn a_wrong_secret_exits_3_and_a_missing_one_exits_2() {
    let emulator = emulator();
    emulator.seed_customers(1);
    assert_fails(&api(&["get", "1"], &emulator, "cf_wrong"), 3, "403");
    assert_fails(&api(&["list", "--all"], &emulator, "cf_wrong"), 3, "403");
    let output = cartwire(
        &[
            "cartfunnel",
            "customers",
            "get",
            "1",
            "--account",
            ACCOUNT,
            "--base-url",
            emulator.base_url().as_str(),
        ],
        &[],
        b"",
    );
    assert_fails(&output, 2, "CARTFUNNEL_API_SECRET");
    // The secret never reaches the output.
    let output = api(&["get", "1"], &emulator, "cf_wrong");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("cf_wrong"));
    // Usage errors before any call.
    assert_fails(
        &cartwire(
            &[
                "cartfunnel",
                "customers",
                "get",
                "1",
                "--account",
                "my.shop",
                "--base-url",
                emulator.base_url().as_str(),
            ],
            &[("CARTFUNNEL_API_SECRET", SECRET)],
            b"",
        ),
        2,
        "--account",
    );
    assert_fails(
        &cartwire(
            &[
                "cartfunnel",
                "customers",
                "get",
                "1",
                "--account",
                ACCOUNT,
                "--base-url",
                "ftp://x",
            ],
            &[("CARTFUNNEL_API_SECRET", SECRET)],
            b"",
        ),
        2,
        "--base-url",
    );
    assert_eq!(emulator.requests().len(), 2 + 1);
}

#[test]
fn create_and_update() {
    let emulator = emulator();
    let created = api(
        &[
            "create",
            "--email",
            "anna.benning@example.com",
            "--first-name",
            "Anna",
            "--last-name",
            "Benning",
            "--accepts-marketing",
            "true",
            "--tag",
            "vip",
            "--tag",
            "Smith, Jones",
        ],
        &emulator,
        SECRET,
    );
    assert_eq!(created.status.code(), Some(0), "{:?}", created);
    let anna = stdout_json(&created);
    assert_eq!(anna["persisted"], true);
    assert_eq!(anna["accepts_marketing"], true);
    assert_eq!(anna["tag_list"], json!(["vip", "Smith, Jones"]));
    let id = anna["id"].as_u64().unwrap().to_string();
    let sent = emulator.requests().pop().unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).unwrap()["customer"]["tag_list"],
        "vip, \"Smith, Jones\""
    );

    let updated = stdout_json(&api(
        &["update", &id, "--last-name", "Jules", "--clear-tags"],
        &emulator,
        SECRET,
    ));
    assert_eq!(updated["last_name"], "Jules");
    assert_eq!(updated["first_name"], "Anna");
    assert_eq!(updated["tag_list"], json!([]));
    let sent = emulator.requests().pop().unwrap();
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).unwrap(),
        json!({"customer": {"last_name": "Jules", "tag_list": ""}})
    );

    // The API's refusals exit 1 with its messages.
    assert_fails(
        &api(
            &["create", "--email", "anna.benning@example.com"],
            &emulator,
            SECRET,
        ),
        1,
        "Email has already been taken",
    );
    let long = "x".repeat(300);
    assert_fails(
        &api(&["update", &id, "--first-name", &long], &emulator, SECRET),
        1,
        "First name is too long",
    );
    // Our own checks exit 2 before any call.
    let before = emulator.requests().len();
    assert_fails(
        &api(&["create", "--email", "not-an-email"], &emulator, SECRET),
        2,
        "--email",
    );
    assert_fails(
        &api(&["update", &id], &emulator, SECRET),
        2,
        "nothing to update",
    );
    assert_eq!(emulator.requests().len(), before);
    assert_eq!(
        decode::customer(emulator.customers()[0].to_wire().to_string().as_bytes())
            .unwrap()
            .last_name
            .as_deref(),
        Some("Jules")
    );
}

#[test]
fn an_unreachable_api_exits_4() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}/v1");
    let output = cartwire(
        &[
            "cartfunnel",
            "customers",
            "list",
            "--account",
            ACCOUNT,
            "--base-url",
            &base,
        ],
        &[("CARTFUNNEL_API_SECRET", SECRET)],
        b"",
    );
    assert_fails(&output, 4, "cannot reach");
}

#[test]
fn webhook_sign_and_verify() {
    // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", open("crates/cartfunnel-client-types/tests/fixtures/webhook_order.json","rb").read(), hashlib.sha256).hexdigest())'
    let expected = "df305ca5f09417a5a9d7c784ea112b4404386dc3de5361766e9e141ff21382df";
    let body = samples::WEBHOOK_ORDER.as_bytes();
    let secret = [("CARTWIRE_SECRET", "whsec_test")];
    let signed = cartwire(&["cartfunnel", "webhook", "sign"], &secret, body);
    assert_eq!(
        String::from_utf8(signed.stdout).unwrap(),
        format!("{expected}\n")
    );
    // python3 -c '…; import base64; print(base64.b64encode(digest).decode())'
    let b64 = cartwire(
        &["cartfunnel", "webhook", "sign", "--base64"],
        &secret,
        body,
    );
    assert_eq!(
        String::from_utf8(b64.stdout).unwrap(),
        "3zBcpfCUF6Wp18eE6hErRAQ4bcPeU2F2bp4UH/ITgt8=\n"
    );
    for signature in [expected, "3zBcpfCUF6Wp18eE6hErRAQ4bcPeU2F2bp4UH/ITgt8="] {
        let ok = cartwire(
            &["cartfunnel", "webhook", "verify", "--signature", signature],
            &secret,
            body,
        );
        assert_eq!(ok.status.code(), Some(0));
        let json = stdout_json(&ok);
        assert_eq!(json["verified"], true);
        assert_eq!(json["webhook"]["order"]["total_price"], "49.95");
    }
    let mut tampered = body.to_vec();
    tampered[10] ^= 1;
    assert_fails(
        &cartwire(
            &["cartfunnel", "webhook", "verify", "--signature", expected],
            &secret,
            &tampered,
        ),
        3,
        "does not match",
    );
    assert_fails(
        &cartwire(
            &[
                "cartfunnel",
                "webhook",
                "verify",
                "--signature",
                &expected[..40],
            ],
            &secret,
            body,
        ),
        3,
        "characters",
    );
    assert_fails(
        &cartwire(
            &["cartfunnel", "webhook", "verify", "--signature", expected],
            &[("CARTWIRE_SECRET", "")],
            body,
        ),
        2,
        "empty",
    );
}

#[test]
fn decode_cartfunnel_webhook_checks_the_signature_header() {
    // The same vector as webhook_sign_and_verify.
    let signature = "df305ca5f09417a5a9d7c784ea112b4404386dc3de5361766e9e141ff21382df";
    let body = samples::WEBHOOK_ORDER.as_bytes();
    let header = format!("X-Cartfunnel-Hmac-SHA256: {signature}");
    let secret = [("CARTWIRE_SECRET", "whsec_test")];
    let ok = cartwire(
        &["decode", "cartfunnel-webhook", "--header", &header],
        &secret,
        body,
    );
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let json = stdout_json(&ok);
    assert_eq!(json["verified"], true);
    assert_eq!(json["webhook"]["order"]["total_price"], "49.95");
    assert_eq!(json["dedup_key"].as_str().unwrap().len(), 64);
    // `sign cartfunnel-webhook` prints what `cartfunnel webhook sign` prints.
    let signed = cartwire(&["sign", "cartfunnel-webhook"], &secret, body);
    assert_eq!(
        String::from_utf8(signed.stdout).unwrap(),
        format!("{signature}\n")
    );

    // No header, a header for another body, a wrong key: exit 3 naming the header.
    let mut tampered = body.to_vec();
    tampered[10] ^= 1;
    for (args, input, needle) in [
        (
            vec!["decode", "cartfunnel-webhook"],
            body,
            "`X-Cartfunnel-Hmac-SHA256` is missing",
        ),
        (
            vec!["decode", "cartfunnel-webhook", "--header", &header],
            &tampered[..],
            "the signature does not match",
        ),
        (
            vec![
                "decode",
                "cartfunnel-webhook",
                "--header",
                &header,
                "--secret",
                "other",
            ],
            body,
            "the signature does not match",
        ),
    ] {
        assert_fails(&cartwire(&args, &secret, input), 3, needle);
    }
    // Forged and not JSON: refused as forged.
    assert_fails(
        &cartwire(
            &["decode", "cartfunnel-webhook", "--header", &header],
            &secret,
            b"{not json",
        ),
        3,
        "signature",
    );
    // Without a secret: decoded, not verified; a bad --header is a usage error.
    let json = stdout_json(&cartwire(&["decode", "cartfunnel-webhook"], &[], body));
    assert_eq!(json["verified"], false);
    assert_fails(
        &cartwire(
            &["decode", "cartfunnel-webhook", "--header", "no colon"],
            &[],
            body,
        ),
        2,
        "--header",
    );
}
