//! The public API as a user outside the crate sees it: every `#[non_exhaustive]` type can be
//! built and read, and errors convert to `cartwire_core::Error` naming the field.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cartstack_confirm::{
    ConfirmRequest, ConfirmResponse, Decimal, EmailProblem, Outcome, RequestError, Resp,
    TotalProblem, check_email,
};

#[test]
fn build_every_type_from_outside() {
    let request = ConfirmRequest::new("k", "S1", "ann+shop@example.com")
        .unwrap()
        .with_total(Decimal::new(0, 0))
        .unwrap()
        .with_param("source", "woocommerce")
        .unwrap();
    assert_eq!(request.total_text().as_deref(), Some("0.00"));
    assert_eq!(
        request.extra_params().collect::<Vec<_>>(),
        [("source", "woocommerce")]
    );

    let mut answer = ConfirmResponse::new(Resp::Text("100".into()), Some(String::new()));
    answer.extra.insert(
        "id".into(),
        cartstack_confirm::RawJson::from_json("12").unwrap(),
    );
    answer.err_txt = None;
    assert_eq!(answer.to_json(), r#"{"resp":"100","id":12}"#);
    assert!(answer.outcome().is_success());

    let outcome = Outcome::CartNotFound { email: None };
    assert_eq!(outcome.code(), Some(102));
    assert_eq!(outcome.name(), "cart_not_found");
    match outcome {
        Outcome::CartNotFound { email } => assert_eq!(email, None),
        // Non-exhaustive: users must have a fallback arm.
        _ => unreachable!(),
    }
}

#[test]
fn bad_input_is_refused_with_a_clear_error() {
    let negative = ConfirmRequest::new("k", "S", "a@b.co")
        .unwrap()
        .with_total(Decimal::new(-1990, 2))
        .unwrap_err();
    assert_eq!(negative, RequestError::InvalidTotal(TotalProblem::Negative));
    assert_eq!(negative.to_string(), "field `total`: the total is negative");

    let precise = ConfirmRequest::new("k", "S", "a@b.co")
        .unwrap()
        .with_total(Decimal::new(19999, 3))
        .unwrap_err();
    assert_eq!(
        precise.to_string(),
        "field `total`: the total has more than two decimals; round it first (CartStack takes cents)"
    );

    let spaced = ConfirmRequest::new("k", "S", "ann smith@example.com").unwrap_err();
    assert_eq!(spaced, RequestError::InvalidEmail(EmailProblem::WhiteSpace));
    assert_eq!(spaced.field(), Some("email"));
    // The message never repeats the address (it is personal data and ends up in logs).
    assert!(!spaced.to_string().contains("smith"));

    let core: cartwire_core::Error = ConfirmRequest::new("k", "", "a@b.co").unwrap_err().into();
    assert_eq!(core.field(), Some("siteid"));
    assert_eq!(core.kind(), cartwire_core::ErrorKind::Malformed);

    let body: cartwire_core::Error = ConfirmResponse::from_slice(b"{}").unwrap_err().into();
    assert_eq!(body.field(), Some("resp"));
    assert_eq!(check_email("a@b.co"), Ok(()));
}

#[test]
fn rounding_is_the_callers_choice() {
    use rust_decimal::RoundingStrategy;
    let total = Decimal::new(19995, 3); // 19.995
    let rounded = total.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let request = ConfirmRequest::new("k", "S", "a@b.co")
        .unwrap()
        .with_total(rounded)
        .unwrap();
    assert_eq!(request.total_text().as_deref(), Some("20.00"));
}
