//! Deliveries of every sample of every receiving protocol, built with the protocol crates'
//! own senders (as `cartwire send` does), plus tampered and malformed ones, and a blocking
//! sender. Shared by the root end-to-end test (the example service) and the CLI's `listen`
//! test, which includes this file by path.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cartfreak_notify::ApiUrl;
use cartfunnel_client_types::verify::SignedWebhook;
use cartloom_order::EndpointToken;
use cartwire_core::Secret;
use serde_json::{Value, json};

/// What the receiver must do with a delivery.
#[derive(Debug, Clone)]
pub(crate) enum Expect {
    /// 2xx, and the receiver reports a verified payload whose JSON has these values at these
    /// JSON pointers.
    Accepted(Vec<(&'static str, Value)>),
    /// This status, with a plain-text reason that contains this text.
    Refused(u16, &'static str),
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
/// `/cartloom`, `/justclick`, `/cartfunnel`) verifying with `key`.
pub(crate) fn all(base: &str, key: &Secret) -> Vec<Delivery> {
    let mut out = Vec::new();
    let wrong = Secret::new("not-the-key");

    // CartFreak: every sample, signed with the key (the POST flavour with a fresh hash).
    let api_url = ApiUrl::parse(&format!("{base}/cartfreak")).unwrap();
    for (name, wire) in cartfreak_notify::samples::ALL {
        let received = cartfreak_notify::decode(wire.as_bytes()).unwrap();
        let request = cartfreak_notify::http::delivery(&received, &api_url, Some(key)).unwrap();
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
        "ERROR verification failed: the hash does not match",
    ));
    let create =
        cartfreak_notify::decode(cartfreak_notify::samples::CREATE_FORM.as_bytes()).unwrap();
    out.push(refused(
        "cartfreak",
        "wrong key",
        cartfreak_notify::http::delivery(&create, &api_url, Some(&wrong)).unwrap(),
        401,
        "ERROR verification failed",
    ));
    let get = cartfreak_notify::decode(cartfreak_notify::samples::REMOVE_QUERY.as_bytes()).unwrap();
    out.push(refused(
        "cartfreak",
        "GET flavour (no hash) while a key is required",
        cartfreak_notify::http::delivery(&get, &api_url, None).unwrap(),
        401,
        "ERROR verification failed: `hash` is missing",
    ));
    out.push(refused(
        "cartfreak",
        "no command",
        form_post(
            &format!("{base}/cartfreak"),
            b"billing_id=224&email=a%40b.c".to_vec(),
        ),
        400,
        "ERROR field `command`",
    ));
    out.push(refused(
        "cartfreak",
        "over the decoder's 1 MiB limit",
        form_post(
            &format!("{base}/cartfreak"),
            format!("command=CREATE&x={}", "a".repeat(1_100_000)).into_bytes(),
        ),
        413,
        "ERROR input size in bytes exceeds the limit",
    ));

    // Cartloom: the sample order, as each of the sample bodies decodes, to the Notify URL
    // carrying the token.
    let token = EndpointToken::new(key.clone());
    let notify_url = token.notify_url(&format!("{base}/cartloom"));
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
    let guessed = EndpointToken::new("guessed").notify_url(&format!("{base}/cartloom"));
    out.push(refused(
        "cartloom",
        "wrong token",
        cartloom_order::http::delivery(&guessed, &order).unwrap(),
        401,
        "verification failed: the hash does not match",
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
        "",
    ));

    // JustClick: every kind, re-signed with the key.
    let justclick_url = format!("{base}/justclick");
    for (kind, wire) in justclick_invoice::samples::ALL {
        let notification = justclick_invoice::decode(wire.as_bytes()).unwrap();
        let body = justclick_invoice::encode_signed(&notification, key);
        out.push(accepted(
            "justclick",
            kind.as_str(),
            justclick_invoice::http::delivery(&justclick_url, body).unwrap(),
            vec![
                ("/kind", json!(kind.as_str())),
                ("/id", json!(notification.id())),
            ],
        ));
    }
    let paid = justclick_invoice::decode(justclick_invoice::samples::PAID.as_bytes()).unwrap();
    let signed = justclick_invoice::encode_signed(&paid, key);
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
        justclick_invoice::http::delivery(&justclick_url, altered).unwrap(),
        401,
        "field `hash`: the hash does not match",
    ));
    out.push(refused(
        "justclick",
        "no e-mail",
        justclick_invoice::http::delivery(&justclick_url, "id=1001&paid=1712048461").unwrap(),
        400,
        "email",
    ));

    // Cartfunnel: both webhook samples, hex-signed POST and base64-signed PUT.
    let cartfunnel_url = format!("{base}/cartfunnel");
    for (name, body) in [
        ("order", cartfunnel_client_types::samples::WEBHOOK_ORDER),
        (
            "abandoned-cart",
            cartfunnel_client_types::samples::WEBHOOK_ABANDONED_CART,
        ),
    ] {
        let json: Value = serde_json::from_str(body).unwrap();
        let post = SignedWebhook::new(body, key)
            .to_http(&cartfunnel_url)
            .unwrap();
        out.push(accepted("cartfunnel", name, post, vec![("", json.clone())]));
        let mut put = SignedWebhook::new_base64(body, key)
            .to_http(&cartfunnel_url)
            .unwrap();
        *put.method_mut() = http::Method::PUT;
        out.push(accepted(
            "cartfunnel",
            format!("{name} (PUT, base64)"),
            put,
            vec![("", json)],
        ));
    }
    let signed = SignedWebhook::new(cartfunnel_client_types::samples::WEBHOOK_ORDER, key);
    let mut altered = signed.to_http(&cartfunnel_url).unwrap();
    let body = String::from_utf8(altered.body().clone()).unwrap();
    assert!(body.contains("49.95"));
    *altered.body_mut() = body.replacen("49.95", "0.01", 1).into_bytes();
    out.push(refused(
        "cartfunnel",
        "total changed after signing",
        altered,
        401,
        "webhook signature: the hash does not match",
    ));
    out.push(refused(
        "cartfunnel",
        "not JSON",
        SignedWebhook::new(&b"{\"event\":"[..], key)
            .to_http(&cartfunnel_url)
            .unwrap(),
        400,
        "field `event`: EOF while parsing",
    ));
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
