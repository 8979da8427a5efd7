//! Property tests: `from_url(to_url(request)) == request`, and the answer's JSON round trip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartstack_confirm::{ConfirmRequest, ConfirmResponse, Decimal, Outcome, RawJson, Resp};
use proptest::prelude::*;
use url::Url;

/// Any text with something that is not white space: keys and site ids may hold anything.
fn non_blank() -> impl Strategy<Value = String> {
    "(?s).{1,40}".prop_filter("not blank", |s| !s.trim().is_empty())
}

/// Addresses that pass the check: `+` tags, unicode, every atext character.
fn email() -> impl Strategy<Value = String> {
    (
        "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~ü用-]{1,20}",
        prop::collection::vec("[a-z0-9ü例-]{1,10}", 2..4),
    )
        .prop_map(|(local, labels)| format!("{local}@{}", labels.join(".")))
}

/// Totals from 0 to near `Decimal::MAX`, with 0, 1 or 2 decimals (and trailing zeros past).
fn total() -> impl Strategy<Value = Option<Decimal>> {
    prop_oneof![
        Just(None),
        (0u64..10_000_000, 0u32..=2).prop_map(|(m, s)| Some(Decimal::new(m as i64, s))),
        (0i128..=79_228_162_514_264_337_593_543_950_335, 0u32..=2)
            .prop_filter_map("fits", |(m, s)| Decimal::try_from_i128_with_scale(m, s)
                .ok()
                .map(Some)),
        (0u64..1_000_000, 3u32..=6).prop_map(|(m, extra)| {
            // Whole cents written with extra zeros: 19.9000.
            Some(Decimal::new(m as i64 * 10i64.pow(extra - 2), extra))
        }),
    ]
}

fn extra() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(("[a-z_]{1,8}", "(?s).{0,20}"), 0..4).prop_map(|pairs| {
        pairs
            .into_iter()
            .filter(|(name, _)| !["key", "siteid", "email", "total"].contains(&name.as_str()))
            .collect()
    })
}

fn request() -> impl Strategy<Value = ConfirmRequest> {
    (non_blank(), non_blank(), email(), total(), extra()).prop_map(
        |(key, site, email, total, extra)| {
            let mut request = ConfirmRequest::new(key, site, email).unwrap();
            if let Some(total) = total {
                request = request.with_total(total).unwrap();
            }
            for (name, value) in extra {
                request = request.with_param(name, value).unwrap();
            }
            request
        },
    )
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[a-z]{1,5}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// JSON number text that is not a 64-bit integer in its plain spelling: integers of any length
/// (with leading `-`), fractions, exponents, `-0`.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Past 64 bits: 21 digits or more (a 20-digit number may still fit a u64).
        "-?[1-9][0-9]{20,120}",
        "-?[2-9][0-9]{19}",
        "-?(0|[1-9][0-9]{0,30})\\.[0-9]{1,30}",
        "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,20})?[eE][+-]?[0-9]{1,4}",
        Just("-0".to_owned()),
    ]
}

fn response() -> impl Strategy<Value = ConfirmResponse> {
    let resp = prop_oneof![
        (99u32..105).prop_map(Resp::from),
        any::<i64>().prop_map(|n| Resp::Number(n.into())),
        any::<u64>().prop_map(|n| Resp::Number(n.into())),
        // Every other number, as its wire text: fractions, exponents, -0, any length.
        number_text().prop_map(Resp::NumberText),
        "(?s).{0,8}".prop_map(Resp::Text),
        (99u32..105).prop_map(|c| Resp::Text(c.to_string())),
    ];
    (
        resp,
        prop::option::of("(?s).{0,80}"),
        // Any value, and numbers of any length kept digit for digit.
        prop::collection::btree_map(
            "[a-z_]{1,8}",
            prop_oneof![
                json_value().prop_map(|value| RawJson::from_value(&value)),
                number_text().prop_map(|text| RawJson::from_json(text).unwrap()),
            ],
            0..4,
        ),
    )
        .prop_map(|(resp, err_txt, extra)| {
            let mut answer = ConfirmResponse::new(resp, err_txt);
            for (name, value) in extra {
                if name != "resp" && name != "err_txt" {
                    answer.extra.insert(name, value);
                }
            }
            answer
        })
}

proptest! {
    #[test]
    fn url_round_trip(request in request()) {
        let url = request.to_url();
        prop_assert_eq!(ConfirmRequest::from_url(&url).unwrap(), request.clone());
        // On another endpoint too, and from the bare query.
        let endpoint = Url::parse("http://127.0.0.1:8080/ss/v1/").unwrap();
        let elsewhere = request.to_url_at(&endpoint);
        prop_assert_eq!(ConfirmRequest::from_url(elsewhere.as_str()).unwrap(), request.clone());
        prop_assert_eq!(ConfirmRequest::from_query(&request.to_query()).unwrap(), request.clone());
        // Only unreserved characters and escapes: nothing a server could read two ways.
        let query = request.to_query();
        prop_assert!(query.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)), "{}", query);
        if let Some(text) = request.total_text() {
            let (_, cents) = text.split_once('.').unwrap();
            prop_assert_eq!(cents.len(), 2);
        }
    }

    #[test]
    fn a_numeric_resp_of_any_magnitude_and_form_is_kept_as_it_came(text in number_text()) {
        let json = format!(r#"{{"resp":{text},"err_txt":"x"}}"#);
        let answer = ConfirmResponse::from_str(&json).unwrap();
        prop_assert_eq!(&answer.resp, &Resp::NumberText(text.clone()));
        prop_assert_eq!(answer.to_json(), json.clone());
        prop_assert_eq!(ConfirmResponse::from_str(&answer.to_json()).unwrap(), answer);
    }

    #[test]
    fn a_64_bit_integer_resp_is_a_number(n in any::<i64>()) {
        let answer = ConfirmResponse::from_str(&format!(r#"{{"resp":{n}}}"#)).unwrap();
        prop_assert_eq!(answer.resp, Resp::Number(n.into()));
    }

    #[test]
    fn response_round_trip(answer in response()) {
        let json = answer.to_json();
        let again = ConfirmResponse::from_str(&json).unwrap();
        prop_assert_eq!(&again, &answer);
        prop_assert_eq!(again.outcome(), answer.outcome());
        prop_assert_eq!(again.to_json(), json);
    }

    #[test]
    fn outcome_round_trip(email in prop::option::of(email())) {
        let outcome = Outcome::CartNotFound { email };
        let answer = ConfirmResponse::for_outcome(&outcome).unwrap();
        prop_assert_eq!(ConfirmResponse::from_str(&answer.to_json()).unwrap().outcome(), outcome);
    }

    #[test]
    fn parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), text in "(?s).{0,200}") {
        let _ = ConfirmResponse::from_slice(&bytes);
        let _ = ConfirmRequest::from_query(&text);
        let _ = ConfirmRequest::from_query(&String::from_utf8_lossy(&bytes));
        let _ = ConfirmRequest::from_url(&text);
    }

    #[test]
    fn valid_looking_queries_parse_or_fail_cleanly(
        key in "[a-z0-9%+]{0,10}",
        email in "[a-z0-9%@.+ ]{0,20}",
        total in "[0-9.+-]{0,8}",
    ) {
        let query = format!("key={key}&siteid=S&email={email}&total={total}");
        if let Ok(request) = ConfirmRequest::from_query(&query) {
            // Whatever was accepted is written back in the canonical form and reads the same.
            prop_assert_eq!(ConfirmRequest::from_query(&request.to_query()).unwrap(), request);
        }
    }
}

/// The input a four-minute fuzzing run found: `resp` read as the float 1.1111111111111111e86,
/// written back as 1.1111111111111112e86, which read as another value.
#[test]
fn a_ninety_digit_resp_writes_back_and_reads_the_same() {
    let input = r#"{"resp":111111111111111111111111111111111111111111111111111111111111111111111111111111111111101,"err_txt":"Emailss"}"#;
    let answer = ConfirmResponse::from_slice(input.as_bytes()).unwrap();
    assert_eq!(
        answer.resp,
        Resp::NumberText(
            "111111111111111111111111111111111111111111111111111111111111111111111111111111111111101"
                .into()
        )
    );
    assert_eq!(answer.outcome(), cartstack_confirm::Outcome::Unknown);
    let written = answer.to_json();
    assert_eq!(written, input);
    let again = ConfirmResponse::from_slice(written.as_bytes()).unwrap();
    assert_eq!(again, answer);
    assert_eq!(again.to_json(), written);
}
