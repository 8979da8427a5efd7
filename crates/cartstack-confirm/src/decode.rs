//! Reading: a confirmation URL back into a [`ConfirmRequest`] (for emulators and tests), and
//! CartStack's answer into a [`ConfirmResponse`].
//!
//! # Decisions
//!
//! * The query is read as PHP reads `$_GET`, with [`cartwire_core::form`]: `+` and `%20` are
//!   spaces, a repeated field keeps its last value, a bracket name (`key[]=…`) makes the field
//!   an array (and so missing), values must be UTF-8. The same checks as
//!   [`ConfirmRequest::new`] then apply, in the order missing fields, email, total.
//! * An empty `total=` is no total (PHP senders write it when the order has none). A total is
//!   read as a plain decimal; trailing zeros past the second decimal are dropped before the
//!   check, so `19.900` is fine and `19.999` is refused.
//! * Other parameters are kept in [`ConfirmRequest::extra_params`], in order.
//! * The answer must be a JSON object with `resp`; anything else is [`UnexpectedBody`], which
//!   keeps the body.

use cartwire_core::form::{Duplicates, Form, Options};
use cartwire_core::scalar::parse_decimal;
use cartwire_core::{Decimal, Secret};

use crate::error::{RequestError, TotalProblem, UnexpectedBody};
use crate::request::{ConfirmRequest, EMAIL, KEY, SITE_ID, TOTAL, is_known_field};
use crate::response::{ConfirmResponse, Resp};
use cartwire_core::json::RawJson;

impl ConfirmRequest {
    /// Reads a confirmation URL (`https://api.cartstack.com/ss/v1/?key=…`). The scheme, host
    /// and path are not checked: emulators and proxies live elsewhere.
    ///
    /// ```
    /// use cartstack_confirm::ConfirmRequest;
    ///
    /// let request = ConfirmRequest::from_url(
    ///     "https://api.cartstack.com/ss/v1/?key=k&siteid=S1&email=ann%2Btag%40example.com&total=19.90",
    /// )?;
    /// assert_eq!(request.email(), "ann+tag@example.com");
    /// assert_eq!(request.total_text().as_deref(), Some("19.90"));
    /// # Ok::<(), cartstack_confirm::RequestError>(())
    /// ```
    pub fn from_url(url: &str) -> Result<Self, RequestError> {
        let url = url::Url::parse(url).map_err(RequestError::Url)?;
        Self::from_query(url.query().unwrap_or(""))
    }

    /// Reads a query string (a leading `?` is allowed), as an HTTP server hands it over.
    pub fn from_query(query: &str) -> Result<Self, RequestError> {
        let query = query.strip_prefix('?').unwrap_or(query);
        let options = Options::default().duplicates(Duplicates::LastWins);
        let form = Form::parse_with(query.as_bytes(), &options).map_err(RequestError::Query)?;
        let tree = form.tree();
        let field = |name: &'static str| -> Result<&str, RequestError> {
            tree.get_text(name)
                .filter(|value| !value.trim().is_empty())
                .ok_or(RequestError::Missing { field: name })
        };
        let key = field(KEY)?;
        let site_id = field(SITE_ID)?;
        let email = field(EMAIL)?;
        let mut request = ConfirmRequest::new(Secret::new(key), site_id, email)?;
        match tree.get(TOTAL) {
            None => {}
            Some(value) => match value.as_text() {
                Some("") => {}
                Some(text) => request = request.with_total(parse_total(text)?)?,
                None => {
                    return Err(RequestError::InvalidTotal(TotalProblem::NotADecimal {
                        found: "an array".to_owned(),
                    }));
                }
            },
        }
        request.extra = form
            .pairs()
            .filter(|(name, _)| !is_known_field(name))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        Ok(request)
    }
}

/// A total's text: a plain decimal, trailing zeros past the point allowed in any number (a
/// value near [`Decimal::MAX`] written with `.00` does not fit a `Decimal` as written).
fn parse_total(text: &str) -> Result<Decimal, RequestError> {
    let not_a_decimal = || {
        RequestError::InvalidTotal(TotalProblem::NotADecimal {
            found: text.chars().take(40).collect(),
        })
    };
    match parse_decimal(text) {
        Ok(total) => Ok(total),
        Err(_) => {
            let trimmed = text.trim();
            if !trimmed.contains('.') {
                return Err(not_a_decimal());
            }
            let shorter = trimmed.trim_end_matches('0').trim_end_matches('.');
            if shorter.is_empty() || shorter == trimmed {
                return Err(not_a_decimal());
            }
            parse_decimal(shorter).map_err(|_| not_a_decimal())
        }
    }
}

impl ConfirmResponse {
    /// Reads CartStack's answer. A body that is not a JSON object with `resp` (a number or a
    /// string) is an [`UnexpectedBody`] that keeps the body.
    ///
    /// ```
    /// use cartstack_confirm::{ConfirmResponse, Outcome};
    ///
    /// let err = ConfirmResponse::from_slice(b"<html>502 Bad Gateway</html>").unwrap_err();
    /// assert_eq!(err.body, b"<html>502 Bad Gateway</html>");
    /// let ok = ConfirmResponse::from_slice(br#"{"resp":100,"err_txt":""}"#)?;
    /// assert!(ok.outcome().is_success());
    /// # Ok::<(), cartstack_confirm::UnexpectedBody>(())
    /// ```
    pub fn from_slice(body: &[u8]) -> Result<Self, UnexpectedBody> {
        let json = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        // The fast path reads straight into the answer; only a failure takes the slow path
        // below, which looks at the JSON as it is to say which member is wrong.
        let failure = match ConfirmResponse::from_json_slice(json) {
            Ok(answer) => return Ok(answer),
            Err(err) => err,
        };
        let value: serde_json::Value = serde_json::from_slice(json)
            .map_err(|err| UnexpectedBody::new(body, "", format!("not JSON: {err}")))?;
        let serde_json::Value::Object(mut members) = value else {
            return Err(UnexpectedBody::new(body, "", "not a JSON object"));
        };
        let resp = members
            .remove("resp")
            .ok_or_else(|| UnexpectedBody::new(body, "resp", "missing"))?;
        serde_json::from_value::<Resp>(resp)
            .map_err(|err| UnexpectedBody::new(body, "resp", err))?;
        match members.remove("err_txt") {
            None | Some(serde_json::Value::Null | serde_json::Value::String(_)) => {}
            Some(_) => {
                return Err(UnexpectedBody::new(body, "err_txt", "expected a string"));
            }
        }
        // Every member reads as a value, so one nests too deep for `extra`.
        let deep = members
            .iter()
            .find(|(_, value)| RawJson::from_value(value).nests_deeper_than(RawJson::MAX_DEPTH))
            .map_or("", |(name, _)| name.as_str());
        Err(UnexpectedBody::new(body, deep, failure))
    }

    /// Reads CartStack's answer from text.
    #[allow(clippy::should_implement_trait)] // not FromStr: the error keeps the body
    pub fn from_str(body: &str) -> Result<Self, UnexpectedBody> {
        Self::from_slice(body.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::EmailProblem;
    use crate::{Outcome, Resp};
    use core::str::FromStr;

    #[test]
    fn reads_a_url_with_every_encoding() {
        let request = ConfirmRequest::from_url(
            "https://api.cartstack.com/ss/v1/?key=a%26b%3Dc%2Bd%20e&siteid=SITE+1\
             &email=ann%2Btag%40b%C3%BCcher.de&total=19.9&utm=x&utm=y#frag",
        )
        .unwrap();
        assert_eq!(request.key().expose(), "a&b=c+d e");
        assert_eq!(request.site_id(), "SITE 1");
        assert_eq!(request.email(), "ann+tag@bücher.de");
        assert_eq!(request.total(), Some(Decimal::from_str("19.90").unwrap()));
        let extra: Vec<_> = request.extra_params().collect();
        assert_eq!(extra, [("utm", "x"), ("utm", "y")]);
    }

    #[test]
    fn an_unencoded_plus_is_a_space_as_php_reads_it() {
        // What the vendor's WooCommerce plugin sends: the `+` is lost, and the address with a
        // space in it fails the check instead of confirming the wrong customer.
        let err =
            ConfirmRequest::from_query("key=k&siteid=s&email=ann+tag@example.com").unwrap_err();
        assert_eq!(err, RequestError::InvalidEmail(EmailProblem::WhiteSpace));
    }

    #[test]
    fn missing_fields_are_named_in_wire_order() {
        for (query, field) in [
            ("", "key"),
            ("?siteid=s&email=a@b.co", "key"),
            ("key=&siteid=s&email=a@b.co", "key"),
            ("key=%20&siteid=s&email=a@b.co", "key"),
            ("key[]=k&siteid=s&email=a@b.co", "key"),
            ("key=k&email=a@b.co", "siteid"),
            ("key=k&siteid=s", "email"),
            ("key=k&siteid=s&email=+", "email"),
        ] {
            assert_eq!(
                ConfirmRequest::from_query(query),
                Err(RequestError::Missing { field }),
                "{query}"
            );
        }
    }

    #[test]
    fn totals_in_urls() {
        let total = |t: &str| {
            ConfirmRequest::from_query(&format!("key=k&siteid=s&email=a@b.co&total={t}"))
                .map(|r| r.total_text())
        };
        assert_eq!(total(""), Ok(None));
        assert_eq!(total("0"), Ok(Some("0.00".into())));
        assert_eq!(total("19.9"), Ok(Some("19.90".into())));
        assert_eq!(total("19.900"), Ok(Some("19.90".into())));
        assert_eq!(total(".5"), Ok(Some("0.50".into())));
        assert_eq!(
            total("79228162514264337593543950335.00"),
            Ok(Some("79228162514264337593543950335.00".into()))
        );
        assert_eq!(
            total("-1.00"),
            Err(RequestError::InvalidTotal(TotalProblem::Negative))
        );
        assert_eq!(
            total("19.999"),
            Err(RequestError::InvalidTotal(
                TotalProblem::MoreThanTwoDecimals
            ))
        );
        for bad in [
            "abc",
            "1e3",
            "1,50",
            ".",
            "1.2.3",
            "792281625142643375935439503350.00",
            "NaN",
        ] {
            assert!(
                matches!(
                    total(bad),
                    Err(RequestError::InvalidTotal(TotalProblem::NotADecimal { .. }))
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            ConfirmRequest::from_query("key=k&siteid=s&email=a@b.co&total[a]=1"),
            Err(RequestError::InvalidTotal(TotalProblem::NotADecimal { .. }))
        ));
    }

    #[test]
    fn hostile_queries_fail_cleanly() {
        assert!(matches!(
            ConfirmRequest::from_query("key=%FF&siteid=s&email=a@b.co"),
            Err(RequestError::Query(_))
        ));
        let huge = format!("key=k&siteid=s&email=a@b.co&x={}", "a".repeat(2 << 20));
        assert!(matches!(
            ConfirmRequest::from_query(&huge),
            Err(RequestError::Query(_))
        ));
        assert!(matches!(
            ConfirmRequest::from_url("not a url"),
            Err(RequestError::Url(_))
        ));
        let deep = format!("key=k&siteid=s&email=a@b.co&x{}=1", "[a]".repeat(100));
        assert!(ConfirmRequest::from_query(&deep).is_err());
    }

    #[test]
    fn answers_that_are_not_the_json() {
        for (body, field) in [
            (&b""[..], ""),
            (b"<html><body>502 Bad Gateway</body></html>", ""),
            (b"100", ""),
            (b"[100]", ""),
            (b"\"resp\"", ""),
            (b"{\"resp\":100", ""),
            (b"{\"err_txt\":\"x\"}", "resp"),
            (b"{\"resp\":null}", "resp"),
            (b"{\"resp\":true}", "resp"),
            (b"{\"resp\":[100]}", "resp"),
            (b"{\"resp\":{}}", "resp"),
            (b"{\"resp\":100,\"err_txt\":5}", "err_txt"),
            (b"\xff\xfe{}", ""),
        ] {
            let err = ConfirmResponse::from_slice(body).unwrap_err();
            assert_eq!(err.body, body, "{:?}", String::from_utf8_lossy(body));
            assert_eq!(err.field, field, "{:?}", String::from_utf8_lossy(body));
        }
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(ConfirmResponse::from_str(&deep).is_err());
        let deep_extra = format!(
            r#"{{"resp":100,"x":{}{}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert_eq!(
            ConfirmResponse::from_str(&deep_extra).unwrap_err().field,
            ""
        );
    }

    #[test]
    fn huge_answers_are_read_without_trouble() {
        // 1 MiB of text that almost matches the longest phrase over and over.
        let text = "cart not found for email addres".repeat((1 << 20) / 31);
        let body = format!(r#"{{"resp":102,"err_txt":"{text}"}}"#);
        let answer = ConfirmResponse::from_str(&body).unwrap();
        assert_eq!(answer.outcome(), Outcome::GeneralError);
        let truncated = &body.as_bytes()[..body.len() / 2];
        assert!(ConfirmResponse::from_slice(truncated).is_err());
    }

    #[test]
    fn lenient_where_php_is_sloppy() {
        let answer =
            ConfirmResponse::from_slice(b"\xEF\xBB\xBF\n{\"resp\":\"100\",\"err_txt\":null}\n")
                .unwrap();
        assert_eq!(answer.resp, Resp::Text("100".into()));
        assert_eq!(answer.err_txt, None);
        assert_eq!(answer.outcome(), Outcome::Success);
    }

    #[test]
    fn extra_members_are_kept() {
        let answer = ConfirmResponse::from_str(
            r#"{"resp":100,"err_txt":"","purchase_id":"p-9","debug":{"t":1}}"#,
        )
        .unwrap();
        assert_eq!(answer.extra.len(), 2);
        let again = ConfirmResponse::from_str(&answer.to_json()).unwrap();
        assert_eq!(again, answer);
    }

    #[test]
    fn extra_members_keep_their_text_within_a_depth() {
        let body = r#"{"resp":100,"n":123456789012345678901234567890.5e-3,"o":{"b": 1,"a": [ ]}}"#;
        let answer = ConfirmResponse::from_str(body).unwrap();
        assert_eq!(
            answer.extra["n"].get(),
            "123456789012345678901234567890.5e-3"
        );
        assert_eq!(answer.extra["o"].get(), r#"{"b": 1,"a": [ ]}"#);
        assert_eq!(answer.to_json(), body);
        let nest = |depth: usize| {
            format!(
                r#"{{"resp":100,"deep":{}{}}}"#,
                "[".repeat(depth),
                "]".repeat(depth)
            )
        };
        let answer = ConfirmResponse::from_str(&nest(RawJson::MAX_DEPTH)).unwrap();
        assert!(answer.extra["deep"].to_value().is_ok());
        let err = ConfirmResponse::from_str(&nest(RawJson::MAX_DEPTH + 1)).unwrap_err();
        assert_eq!(err.field, "deep");
        assert!(
            err.problem.contains("nested deeper than 100 levels"),
            "{err}"
        );
    }
}
