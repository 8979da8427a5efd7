//! Vendor-style answers, one per code and sub-case, and a confirmation URL: the files in this
//! crate's `tests/fixtures/`, shared by its tests, the benches, the fuzz seeds and
//! `cartwire samples cartstack-response`.
//!
//! The answers mix `"resp": 102` and `"resp": "102"`, as PHP servers do. `unknown_code` is a
//! code CartStack does not document, with an extra member; it shows what is kept.

/// Each answer's name (the [`Outcome::name`](crate::Outcome::name) it decodes to, or
/// `unknown_code`) and its body.
pub const RESPONSES: &[(&str, &str)] = &[
    ("success", include_str!("../tests/fixtures/success.json")),
    (
        "missing_field",
        include_str!("../tests/fixtures/missing_field.json"),
    ),
    (
        "invalid_email",
        include_str!("../tests/fixtures/invalid_email.json"),
    ),
    (
        "cart_not_found",
        include_str!("../tests/fixtures/cart_not_found.json"),
    ),
    (
        "invalid_site_id",
        include_str!("../tests/fixtures/invalid_site_id.json"),
    ),
    (
        "insert_failed",
        include_str!("../tests/fixtures/insert_failed.json"),
    ),
    ("no_cart", include_str!("../tests/fixtures/no_cart.json")),
    (
        "key_mismatch",
        include_str!("../tests/fixtures/key_mismatch.json"),
    ),
    (
        "unknown_code",
        include_str!("../tests/fixtures/unknown_code.json"),
    ),
];

/// What a proxy in front of CartStack answers when CartStack is down: not the JSON.
pub const BAD_GATEWAY: &str = include_str!("../tests/fixtures/bad_gateway.html");

/// A confirmation URL as a shop sends it: tagged email, two-decimal total.
pub const CONFIRM_URL: &str = include_str!("../tests/fixtures/confirm_url.txt");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ConfirmRequest, ConfirmResponse, Outcome};

    #[test]
    fn every_sample_decodes_to_its_name() {
        for (name, body) in RESPONSES {
            let answer = ConfirmResponse::from_str(body).unwrap();
            let outcome = answer.outcome();
            if *name == "unknown_code" {
                assert_eq!(outcome, Outcome::Unknown);
                assert_eq!(answer.resp.code(), Some(104));
                assert_eq!(answer.err_txt.as_deref(), Some("Account suspended"));
                assert_eq!(answer.extra["retry_after"].get(), "3600");
            } else {
                assert_eq!(outcome.name(), *name);
            }
            // Written back byte for byte: members in the same order, `resp` in its form.
            assert_eq!(answer.to_json(), *body, "{name}");
        }
        assert_eq!(
            ConfirmResponse::from_str(RESPONSES[3].1).unwrap().outcome(),
            Outcome::CartNotFound {
                email: Some("ann+shop@example.com".to_owned())
            }
        );
    }

    #[test]
    fn the_samples_cover_every_outcome() {
        let names: Vec<&str> = RESPONSES.iter().map(|(n, _)| *n).collect();
        for outcome in [
            Outcome::Success,
            Outcome::MissingField,
            Outcome::InvalidEmail,
            Outcome::CartNotFound { email: None },
            Outcome::InvalidSiteId,
            Outcome::InsertFailed,
            Outcome::NoCart,
            Outcome::KeyMismatch,
        ] {
            assert!(names.contains(&outcome.name()), "{outcome}");
        }
    }

    #[test]
    fn bad_gateway_is_not_an_answer() {
        let err = ConfirmResponse::from_str(BAD_GATEWAY).unwrap_err();
        assert_eq!(err.body, BAD_GATEWAY.as_bytes());
    }

    #[test]
    fn the_url_sample_round_trips() {
        let request = ConfirmRequest::from_url(CONFIRM_URL).unwrap();
        assert_eq!(request.email(), "ann+shop@example.com");
        assert_eq!(request.site_id(), "KQ7ZP2");
        assert_eq!(request.to_url(), CONFIRM_URL);
    }
}
