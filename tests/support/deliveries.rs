//! Deliveries of every sample of every receiving protocol, built with the protocol crates'
//! own senders (as `cartwire send` does), plus tampered and malformed ones, and a blocking
//! sender. Shared by the root end-to-end test (the example services) and the CLI's `listen`
//! test, which includes this file by path.
//!
//! Receivers verify first, then decode: [`forged_and_malformed`] has, per protocol, a
//! delivery both unauthenticated and malformed, refused as forged (401) with a key; without
//! one (decoded only), it is a 400. [`all`] has none of them.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cartfreak_notify::{ApiUrl, CartFreakKey};
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartfunnel_client_types::verify::SignedWebhook;
use cartloom_order::CartloomToken;
use cartwire_core::Secret;
use justclick_invoice::JustClickKey;
use serde_json::{Value, json};

/// What the receiver must do with a delivery.
#[derive(Debug, Clone)]
pub(crate) enum Expect {
    /// 2xx, and the receiver reports a verified payload whose JSON has these values at these
    /// JSON pointers.
    Accepted(Vec<(&'static str, Value)>),
    /// This status, with a plain-text reason that contains this text.
    Refused(u16, &'static str),
    /// Hostile input: any client-error answer (400, 401 or 413), never a 5xx or a dropped
    /// connection (which is what a panic in the receiver looks like from outside).
    Hostile,
}

/// One request to send.
#[derive(Debug)]
pub(crate) struct Delivery {
    pub(crate) protocol: &'static str,
    pub(crate) name: String,
    pub(crate) request: http::Request<Vec<u8>>,
    pub(crate) expect: Expect,
}

fn accepted(
    protocol: &'static str,
    name: impl Into<String>,
    request: http::Request<Vec<u8>>,
    checks: Vec<(&'static str, Value)>,
) -> Delivery {
    Delivery {
        protocol,
        name: name.into(),
        request,
        expect: Expect::Accepted(checks),
    }
}

fn refused(
    protocol: &'static str,
    name: impl Into<String>,
    request: http::Request<Vec<u8>>,
    status: u16,
    reason: &'static str,
) -> Delivery {
    Delivery {
        protocol,
        name: name.into(),
        request,
        expect: Expect::Refused(status, reason),
    }
}

/// Every delivery for a receiver at `base` (`http://127.0.0.1:PORT`, routes `/cartfreak`,
/// `/cartloom`, `/justclick`, `/cartfunnel`) verifying with `key` (each protocol's key type
/// built from it).
pub(crate) fn all(base: &str, key: &Secret) -> Vec<Delivery> {
    let mut out = Vec::new();
    out.extend(cartfreak(base, key));
    out.extend(cartloom(base, key));
    out.extend(justclick(base, key));
    out.extend(cartfunnel(base, key));
    out.extend(hostile(base, key));
    out
}

/// CartFreak: every sample, signed with the key (the POST flavour with a fresh hash), and
/// the refused ones.
fn cartfreak(base: &str, key: &Secret) -> Vec<Delivery> {
    let key = CartFreakKey::new(key.clone()).unwrap();
    let wrong = CartFreakKey::new("not-the-key").unwrap();
    let url = format!("{base}/cartfreak");
    let api_url = ApiUrl::parse(&url).unwrap();
    let mut out = Vec::new();
    for (name, wire) in cartfreak_notify::samples::ALL {
        let received = cartfreak_notify::decode(wire.as_bytes()).unwrap();
        let request = cartfreak_notify::http::delivery(&received, &api_url, Some(&key)).unwrap();
        let command = received.notification.command_str().to_owned();
        out.push(accepted(
            "cartfreak",
            name,
            request,
            vec![("/command", json!(command))],
        ));
    }
    let tampered =
        cartfreak_notify::decode(cartfreak_notify::samples::CREATE_TAMPERED_HASH_FORM.as_bytes())
            .unwrap();
    out.push(refused(
        "cartfreak",
        "tampered hash",
        cartfreak_notify::http::delivery(&tampered, &api_url, None).unwrap(),
        401,
        "ERROR verification failed: `hash`: the hash does not match",
    ));
    let create =
        cartfreak_notify::decode(cartfreak_notify::samples::CREATE_FORM.as_bytes()).unwrap();
    out.push(refused(
        "cartfreak",
        "wrong key",
        cartfreak_notify::http::delivery(&create, &api_url, Some(&wrong)).unwrap(),
        401,
        "ERROR verification failed: `hash`",
    ));
    let get = cartfreak_notify::decode(cartfreak_notify::samples::REMOVE_QUERY.as_bytes()).unwrap();
    out.push(refused(
        "cartfreak",
        "GET flavour (no hash) while a key is required",
        cartfreak_notify::http::delivery(&get, &api_url, None).unwrap(),
        401,
        "ERROR verification failed: `hash` is missing",
    ));
    // A genuine hash (it covers the command only) over a body without the sale's fields.
    let hash = cartfreak_notify::compute_hash(key.secret(), "CREATE");
    out.push(refused(
        "cartfreak",
        "genuine hash, no amount",
        form_post(&url, format!("command=CREATE&hash={hash}").into_bytes()),
        400,
        "ERROR field `amount`: missing",
    ));
    out.push(refused(
        "cartfreak",
        "over the decoder's 1 MiB limit",
        form_post(
            &url,
            format!("command=CREATE&x={}&hash={hash}", "a".repeat(1_100_000)).into_bytes(),
        ),
        413,
        "ERROR input size in bytes exceeds the limit",
    ));
    out
}

/// Cartloom: the sample order, as each of the sample bodies decodes, to the Notify URL
/// carrying the token, and the refused ones.
fn cartloom(base: &str, key: &Secret) -> Vec<Delivery> {
    let token = CartloomToken::new(key.clone()).unwrap();
    let notify_url = token.notify_url(&format!("{base}/cartloom"));
    let mut out = Vec::new();
    for (name, body) in [
        ("order", cartloom_order::samples::ORDER_JSON),
        ("order-form", cartloom_order::samples::ORDER_FORM),
        ("vendor-page", cartloom_order::samples::VENDOR_PAGE),
    ] {
        let order = cartloom_order::decode(body.as_bytes()).unwrap();
        let oid = order.oid.clone();
        out.push(accepted(
            "cartloom",
            name,
            cartloom_order::http::delivery(&notify_url, &order).unwrap(),
            vec![("/oid", json!(oid))],
        ));
    }
    let order = cartloom_order::decode(cartloom_order::samples::ORDER_JSON.as_bytes()).unwrap();
    let guessed = CartloomToken::new("guessed")
        .unwrap()
        .notify_url(&format!("{base}/cartloom"));
    out.push(refused(
        "cartloom",
        "wrong token",
        cartloom_order::http::delivery(&guessed, &order).unwrap(),
        401,
        "verification failed: `token`: the token does not match",
    ));
    out.push(refused(
        "cartloom",
        "no token",
        cartloom_order::http::delivery(&format!("{base}/cartloom"), &order).unwrap(),
        401,
        "verification failed: `token` is missing",
    ));
    out.push(refused(
        "cartloom",
        "truncated JSON",
        form_post(&notify_url, b"order=%7B%22oid%22%3A".to_vec()),
        400,
        "field `oid`: EOF while parsing",
    ));
    out
}

/// JustClick: every kind, re-signed with the key, and the refused ones.
fn justclick(base: &str, key: &Secret) -> Vec<Delivery> {
    let key = JustClickKey::new(key.clone()).unwrap();
    let url = format!("{base}/justclick");
    let mut out = Vec::new();
    for (kind, wire) in justclick_invoice::samples::ALL {
        let notification = justclick_invoice::decode(wire.as_bytes()).unwrap();
        let body = justclick_invoice::encode_signed(&notification, &key);
        out.push(accepted(
            "justclick",
            kind.as_str(),
            justclick_invoice::http::delivery(&url, body).unwrap(),
            vec![
                ("/kind", json!(kind.as_str())),
                ("/id", json!(notification.id())),
            ],
        ));
    }
    let paid = justclick_invoice::decode(justclick_invoice::samples::PAID.as_bytes()).unwrap();
    let signed = justclick_invoice::encode_signed(&paid, &key);
    // Change a hashed field after signing: the e-mail address.
    let altered = if let Some(rest) = signed.strip_prefix("email=") {
        format!("email=x{rest}")
    } else {
        assert!(signed.contains("&email="), "{signed}");
        signed.replacen("&email=", "&email=x", 1)
    };
    out.push(refused(
        "justclick",
        "e-mail changed after signing",
        justclick_invoice::http::delivery(&url, altered).unwrap(),
        401,
        "verification failed: `hash`: the hash does not match",
    ));
    let wrong = JustClickKey::new("not-the-key").unwrap();
    out.push(refused(
        "justclick",
        "wrong key",
        justclick_invoice::http::delivery(&url, justclick_invoice::encode_signed(&paid, &wrong))
            .unwrap(),
        401,
        "verification failed: `hash`",
    ));
    // A field the hash does not cover, made malformed after signing.
    let malformed: Vec<&str> = signed
        .split('&')
        .map(|pair| {
            if pair.starts_with("last_payment_sum=") {
                "last_payment_sum=lots"
            } else {
                pair
            }
        })
        .collect();
    assert!(malformed.contains(&"last_payment_sum=lots"), "{signed}");
    let malformed = malformed.join("&");
    out.push(refused(
        "justclick",
        "signed, amount not a number",
        justclick_invoice::http::delivery(&url, malformed).unwrap(),
        400,
        "field `last_payment_sum`",
    ));
    out
}

/// Cartfunnel: both webhook samples, hex-signed POST and base64-signed PUT, and the refused
/// ones.
fn cartfunnel(base: &str, key: &Secret) -> Vec<Delivery> {
    let key = CartfunnelWebhookSecret::new(key.clone()).unwrap();
    let url = format!("{base}/cartfunnel");
    let mut out = Vec::new();
    for (name, body) in [
        ("order", cartfunnel_client_types::samples::WEBHOOK_ORDER),
        (
            "abandoned-cart",
            cartfunnel_client_types::samples::WEBHOOK_ABANDONED_CART,
        ),
    ] {
        let json: Value = serde_json::from_str(body).unwrap();
        let post = SignedWebhook::new(body, &key).to_http(&url).unwrap();
        out.push(accepted("cartfunnel", name, post, vec![("", json.clone())]));
        let mut put = SignedWebhook::new_base64(body, &key).to_http(&url).unwrap();
        *put.method_mut() = http::Method::PUT;
        out.push(accepted(
            "cartfunnel",
            format!("{name} (PUT, base64)"),
            put,
            vec![("", json)],
        ));
    }
    let signed = SignedWebhook::new(cartfunnel_client_types::samples::WEBHOOK_ORDER, &key);
    let mut altered = signed.to_http(&url).unwrap();
    let body = String::from_utf8(altered.body().clone()).unwrap();
    assert!(body.contains("49.95"));
    *altered.body_mut() = body.replacen("49.95", "0.01", 1).into_bytes();
    out.push(refused(
        "cartfunnel",
        "total changed after signing",
        altered,
        401,
        "verification failed: `X-Cartfunnel-Hmac-SHA256`: the signature does not match",
    ));
    let wrong = CartfunnelWebhookSecret::new("not-the-key").unwrap();
    out.push(refused(
        "cartfunnel",
        "wrong secret",
        SignedWebhook::new(cartfunnel_client_types::samples::WEBHOOK_ORDER, &wrong)
            .to_http(&url)
            .unwrap(),
        401,
        "verification failed: `X-Cartfunnel-Hmac-SHA256`",
    ));
    out.push(refused(
        "cartfunnel",
        "signed, not JSON",
        SignedWebhook::new(&b"{\"event\":"[..], &key)
            .to_http(&url)
            .unwrap(),
        400,
        "field `event`: EOF while parsing",
    ));
    out
}

/// For each protocol, a delivery that is both unauthenticated and malformed: refused as
/// forged (401), since the credential is checked before the fields are judged. (Received
/// without a key, each is a 400.)
pub(crate) fn forged_and_malformed(base: &str, key: &Secret) -> Vec<Delivery> {
    let guessed = CartloomToken::new("guessed")
        .unwrap()
        .notify_url(&format!("{base}/cartloom"));
    let mut unsigned = SignedWebhook::new(
        &b"{\"event\":"[..],
        &CartfunnelWebhookSecret::new(key.clone()).unwrap(),
    )
    .to_http(&format!("{base}/cartfunnel"))
    .unwrap();
    unsigned
        .headers_mut()
        .remove(cartfunnel_client_types::verify::SIGNATURE_HEADER);
    vec![
        refused(
            "cartfreak",
            "wrong hash, no amount",
            form_post(
                &format!("{base}/cartfreak"),
                format!("command=CREATE&hash={}", "0".repeat(40)).into_bytes(),
            ),
            401,
            "ERROR verification failed: `hash`: the hash does not match",
        ),
        refused(
            "cartloom",
            "wrong token, truncated JSON",
            form_post(&guessed, b"order=%7B%22oid%22%3A".to_vec()),
            401,
            "verification failed: `token`: the token does not match",
        ),
        refused(
            "justclick",
            "unsigned, no e-mail",
            justclick_invoice::http::delivery(
                &format!("{base}/justclick"),
                "id=1001&paid=1712048461",
            )
            .unwrap(),
            401,
            "verification failed: `hash` is missing",
        ),
        refused(
            "cartfunnel",
            "unsigned, not JSON",
            unsigned,
            401,
            "verification failed: `X-Cartfunnel-Hmac-SHA256` is missing",
        ),
    ]
}

/// Non-UTF-8, truncated, deeply nested and repeated-key bodies for every route, signed or
/// carrying the token where the protocol has one, so they reach the decoders.
fn hostile(base: &str, key: &Secret) -> Vec<Delivery> {
    let bodies: Vec<Vec<u8>> = vec![
        b"\xff\xfe\x00\x80garbage=\xc3".to_vec(),
        b"%".to_vec(),
        b"=&=&&==".to_vec(),
        "a[".repeat(5_000).into_bytes(),
        format!("items{}=1", "[0]".repeat(2_000)).into_bytes(),
        "{\"order\":".repeat(3_000).into_bytes(),
        "[".repeat(100_000).into_bytes(),
        b"command=CREATE&command=REMOVE&hash=&hash=".to_vec(),
        cartfreak_notify::samples::CREATE_FORM.as_bytes()[..40].to_vec(),
        justclick_invoice::samples::PAID.as_bytes()[..60].to_vec(),
        cartloom_order::samples::ORDER_JSON.as_bytes()[..90].to_vec(),
        cartfunnel_client_types::samples::WEBHOOK_ORDER.as_bytes()[..30].to_vec(),
    ];
    let token = CartloomToken::new(key.clone()).unwrap();
    let secret = CartfunnelWebhookSecret::new(key.clone()).unwrap();
    let mut out = Vec::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let name = format!("hostile body {i}");
        for (protocol, url) in [
            ("cartfreak", format!("{base}/cartfreak")),
            ("cartloom", token.notify_url(&format!("{base}/cartloom"))),
            ("justclick", format!("{base}/justclick")),
        ] {
            out.push(Delivery {
                protocol,
                name: name.clone(),
                request: form_post(&url, body.clone()),
                expect: Expect::Hostile,
            });
        }
        out.push(Delivery {
            protocol: "cartfunnel",
            name: name.clone(),
            request: SignedWebhook::new(body, &secret)
                .to_http(&format!("{base}/cartfunnel"))
                .unwrap(),
            expect: Expect::Hostile,
        });
    }
    out
}

/// A form POST (for the malformed bodies no library sender would build).
fn form_post(url: &str, body: Vec<u8>) -> http::Request<Vec<u8>> {
    cartwire_core::http::delivery(
        http::Method::POST,
        url,
        &[("Content-Type", cartwire_core::http::FORM_CONTENT_TYPE)],
        body,
    )
    .unwrap()
}

/// Sends a request; any status is an answer. Returns the status and the body.
pub(crate) fn send(request: http::Request<Vec<u8>>) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = if request.method() == http::Method::GET {
        agent
            .get(request.uri().to_string())
            .call()
            .expect("the receiver answers")
    } else {
        agent.run(request).expect("the receiver answers")
    };
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap();
    (status, body)
}

/// Checks a refused delivery's answer.
pub(crate) fn check_refusal(delivery_name: &str, status: u16, body: &str, expected: (u16, &str)) {
    assert_eq!(status, expected.0, "{delivery_name}: {body}");
    assert!(
        body.starts_with(expected.1) || body.contains(expected.1),
        "{delivery_name}: {body:?} should mention {:?}",
        expected.1
    );
    assert!(!body.contains('\n'), "{delivery_name}: one line: {body:?}");
}

/// Checks a reported payload against an accepted delivery's expectations.
pub(crate) fn check_payload(
    delivery_name: &str,
    payload: &Value,
    checks: &[(&'static str, Value)],
) {
    for (pointer, expected) in checks {
        assert_eq!(
            payload.pointer(pointer),
            Some(expected),
            "{delivery_name}: {pointer} in {payload}"
        );
    }
}
