//! [`ConfirmRequest`]: one purchase confirmation, validated when it is built.
//!
//! A `ConfirmRequest` cannot hold what CartStack would refuse, so building it is where the
//! checks happen; [`ConfirmRequest::to_url`](crate::ConfirmRequest::to_url) then cannot fail.
//!
//! # Decisions (the vendor is silent on these)
//!
//! * **Key and site id**: required; empty or only white space is [`RequestError::Missing`]
//!   (CartStack's 101). Otherwise any text is accepted and sent percent-encoded, spaces
//!   included: the values come from CartStack's own setup page, and guessing their alphabet
//!   would only break a customer whose id does not fit the guess.
//! * **Email**: a pragmatic check, not RFC 5322. Exactly one `@`; a non-empty local part of at
//!   most 64 bytes; a domain with at least one dot and no empty label; at most 254 bytes in
//!   all; no white space anywhere (a space is refused, never trimmed or encoded: an address
//!   with a space is a typo, and sending it would only earn a 101 or a wrong match); no control
//!   characters; none of `"(),:;<>[\]` (so no quoted local parts, no domain literals). Unicode
//!   is accepted in both parts (`jürgen@bücher.de`, RFC 6531) and sent as percent-encoded
//!   UTF-8; `+` tags are accepted and sent as `%2B`. Case is kept as given.
//! * **Total**: optional, a [`Decimal`]. Negative totals are refused. A total with a non-zero
//!   digit past the second decimal (`19.999`) is refused rather than rounded: the library does
//!   not choose a rounding rule for your money. Round first if that is what you want, e.g.
//!   `total.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)`. Trailing zeros
//!   do not count (`19.900` is `19.90`). On the wire the total always has exactly two decimals
//!   (`19.9` → `19.90`, `0` → `0.00`), whatever its size (up to [`Decimal::MAX`]).
//! * **Extra parameters**: kept in order for round trips ([`ConfirmRequest::with_param`]);
//!   their names may not be one of the four fields (nor a PHP bracket form of one, `key[x]`).

use cartwire_core::{Decimal, Secret};

use crate::error::{EmailProblem, RequestError, TotalProblem};

/// The wire names of the four fields, in the order they are written.
pub(crate) const KEY: &str = "key";
pub(crate) const SITE_ID: &str = "siteid";
pub(crate) const EMAIL: &str = "email";
pub(crate) const TOTAL: &str = "total";

/// CartStack's confirmation endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://api.cartstack.com/ss/v1/";

/// A purchase confirmation: `GET {endpoint}?key=…&siteid=…&email=…&total=…`.
///
/// Built with [`ConfirmRequest::new`] and [`ConfirmRequest::with_total`], which validate; read
/// back from a URL with [`ConfirmRequest::from_url`]. The key is a [`Secret`]: `Debug` shows
/// `[redacted]`.
///
/// ```
/// use cartstack_confirm::{ConfirmRequest, Decimal};
///
/// let request = ConfirmRequest::new("k3y", "SITE-1", "ann+shop@example.com")?
///     .with_total(Decimal::new(199, 1))?; // 19.9
/// assert_eq!(
///     request.to_url(),
///     "https://api.cartstack.com/ss/v1/?key=k3y&siteid=SITE-1&email=ann%2Bshop%40example.com&total=19.90"
/// );
/// assert!(!format!("{request:?}").contains("k3y"));
/// # Ok::<(), cartstack_confirm::RequestError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmRequest {
    pub(crate) key: Secret,
    pub(crate) site_id: String,
    pub(crate) email: String,
    pub(crate) total: Option<Decimal>,
    pub(crate) extra: Vec<(String, String)>,
}

impl ConfirmRequest {
    /// A confirmation without a total. Fails if the key or site id is blank
    /// ([`RequestError::Missing`]) or the email fails the check ([`RequestError::InvalidEmail`]).
    pub fn new(
        key: impl Into<Secret>,
        site_id: impl Into<String>,
        email: impl Into<String>,
    ) -> Result<Self, RequestError> {
        let key = key.into();
        let site_id = site_id.into();
        let email = email.into();
        if key.expose().trim().is_empty() {
            return Err(RequestError::Missing { field: KEY });
        }
        if site_id.trim().is_empty() {
            return Err(RequestError::Missing { field: SITE_ID });
        }
        if email.trim().is_empty() {
            return Err(RequestError::Missing { field: EMAIL });
        }
        check_email(&email).map_err(RequestError::InvalidEmail)?;
        Ok(Self {
            key,
            site_id,
            email,
            total: None,
            extra: Vec::new(),
        })
    }

    /// Sets the order total. Fails if it is negative or has a non-zero digit past the second
    /// decimal ([`RequestError::InvalidTotal`]).
    pub fn with_total(mut self, total: Decimal) -> Result<Self, RequestError> {
        check_total(total).map_err(RequestError::InvalidTotal)?;
        self.total = Some(total);
        Ok(self)
    }

    /// Adds a parameter besides the four CartStack documents (a tracking tag your proxy
    /// wants, say). Parameters are written after the known ones, in the order added. Fails if
    /// the name is empty or is one of `key`, `siteid`, `email`, `total` (or `key[…]`…).
    pub fn with_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> Result<Self, RequestError> {
        let name = name.into();
        if name.is_empty() {
            return Err(RequestError::InvalidParam {
                name,
                problem: "an empty name cannot be sent",
            });
        }
        if is_known_field(&name) {
            return Err(RequestError::InvalidParam {
                name,
                problem: "this name is one of CartStack's fields; use the typed setter",
            });
        }
        self.extra.push((name, value.into()));
        Ok(self)
    }

    /// The API key.
    pub fn key(&self) -> &Secret {
        &self.key
    }

    /// The site id.
    pub fn site_id(&self) -> &str {
        &self.site_id
    }

    /// The customer's email address, as given.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// The order total, if any.
    pub fn total(&self) -> Option<Decimal> {
        self.total
    }

    /// The total as written on the wire: exactly two decimals (`19.90`).
    pub fn total_text(&self) -> Option<String> {
        self.total.map(format_total)
    }

    /// The extra parameters, in order.
    pub fn extra_params(&self) -> impl ExactSizeIterator<Item = (&str, &str)> {
        self.extra.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Whether a parameter name would be read by PHP as one of the four fields: the name itself,
/// or the name followed by a bracket (`key[x]`, which PHP turns into an array named `key`).
pub(crate) fn is_known_field(name: &str) -> bool {
    [KEY, SITE_ID, EMAIL, TOTAL].iter().any(|field| {
        name.strip_prefix(field)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
    })
}

/// Characters that only quoted local parts or domain literals may hold.
const SPECIAL: &[char] = &['"', '(', ')', ',', ':', ';', '<', '>', '[', ']', '\\'];

/// The pragmatic email check described in the module docs.
///
/// ```
/// use cartstack_confirm::{check_email, EmailProblem};
///
/// assert_eq!(check_email("ann+tag@example.com"), Ok(()));
/// assert_eq!(check_email("jürgen@bücher.de"), Ok(()));
/// assert_eq!(check_email("ann @example.com"), Err(EmailProblem::WhiteSpace));
/// assert_eq!(check_email("ann@localhost"), Err(EmailProblem::DomainWithoutDot));
/// ```
pub fn check_email(email: &str) -> Result<(), EmailProblem> {
    if email.chars().any(char::is_whitespace) {
        return Err(EmailProblem::WhiteSpace);
    }
    if email.chars().any(char::is_control) {
        return Err(EmailProblem::ControlCharacter);
    }
    if email.contains(SPECIAL) {
        return Err(EmailProblem::SpecialCharacter);
    }
    let (local, domain) = email.split_once('@').ok_or(EmailProblem::NoAt)?;
    if domain.contains('@') {
        return Err(EmailProblem::SeveralAts);
    }
    if local.is_empty() {
        return Err(EmailProblem::EmptyLocalPart);
    }
    if domain.is_empty() {
        return Err(EmailProblem::EmptyDomain);
    }
    if email.len() > 254 || local.len() > 64 {
        return Err(EmailProblem::TooLong);
    }
    if !domain.contains('.') {
        return Err(EmailProblem::DomainWithoutDot);
    }
    if domain.split('.').any(str::is_empty) {
        return Err(EmailProblem::EmptyDomainLabel);
    }
    Ok(())
}

/// The total check described in the module docs.
pub(crate) fn check_total(total: Decimal) -> Result<(), TotalProblem> {
    if total < Decimal::ZERO {
        return Err(TotalProblem::Negative);
    }
    if total.normalize().scale() > 2 {
        return Err(TotalProblem::MoreThanTwoDecimals);
    }
    Ok(())
}

/// Exactly two decimals. Works by text rather than `rescale`, which cannot give a scale of 2
/// to values near [`Decimal::MAX`]. Expects a total that passed [`check_total`].
pub(crate) fn format_total(total: Decimal) -> String {
    // `normalize` strips trailing zeros and turns -0 into 0.
    let text = total.normalize().to_string();
    match text.split_once('.') {
        None => format!("{text}.00"),
        Some((units, cents)) => format!("{units}.{cents:0<2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn totals_are_written_with_two_decimals() {
        for (given, wire) in [
            ("19.9", "19.90"),
            ("19.90", "19.90"),
            ("19.900", "19.90"),
            ("0", "0.00"),
            ("0.0000", "0.00"),
            ("-0.00", "0.00"),
            ("0.5", "0.50"),
            ("0.05", "0.05"),
            ("20", "20.00"),
            ("1234567890123.45", "1234567890123.45"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335.00",
            ),
        ] {
            let total = dec(given);
            assert_eq!(check_total(total), Ok(()), "{given}");
            assert_eq!(format_total(total), wire, "{given}");
        }
        assert_eq!(
            format_total(Decimal::MAX),
            "79228162514264337593543950335.00"
        );
    }

    #[test]
    fn bad_totals_are_refused() {
        assert_eq!(check_total(dec("-0.01")), Err(TotalProblem::Negative));
        assert_eq!(check_total(dec("-19.90")), Err(TotalProblem::Negative));
        assert_eq!(check_total(Decimal::MIN), Err(TotalProblem::Negative));
        assert_eq!(
            check_total(dec("19.999")),
            Err(TotalProblem::MoreThanTwoDecimals)
        );
        assert_eq!(
            check_total(dec("0.001")),
            Err(TotalProblem::MoreThanTwoDecimals)
        );
        assert_eq!(
            check_total(dec("0.0010")),
            Err(TotalProblem::MoreThanTwoDecimals)
        );
    }

    #[test]
    fn emails_accepted() {
        for email in [
            "ann@example.com",
            "ann+shop@example.com",
            "a+b+c@sub.example.co.uk",
            "jürgen@bücher.de",
            "用户@例子.广告",
            "o'brien@example.ie",
            "first.last@example.com",
            "x@y.z",
            "UPPER@EXAMPLE.COM",
        ] {
            assert_eq!(check_email(email), Ok(()), "{email}");
        }
        let longest_local = format!("{}@example.com", "a".repeat(64));
        assert_eq!(check_email(&longest_local), Ok(()));
    }

    #[test]
    fn emails_refused_with_the_reason() {
        for (email, problem) in [
            ("annexample.com", EmailProblem::NoAt),
            ("ann@@example.com", EmailProblem::SeveralAts),
            ("a@b@example.com", EmailProblem::SeveralAts),
            ("@example.com", EmailProblem::EmptyLocalPart),
            ("ann@", EmailProblem::EmptyDomain),
            ("ann @example.com", EmailProblem::WhiteSpace),
            (" ann@example.com", EmailProblem::WhiteSpace),
            ("ann@example.com\n", EmailProblem::WhiteSpace),
            ("ann@exa\u{00a0}mple.com", EmailProblem::WhiteSpace),
            ("ann\u{0}@example.com", EmailProblem::ControlCharacter),
            ("ann\u{7f}@example.com", EmailProblem::ControlCharacter),
            ("\"ann\"@example.com", EmailProblem::SpecialCharacter),
            ("Ann <ann@example.com>", EmailProblem::WhiteSpace),
            ("<ann@example.com>", EmailProblem::SpecialCharacter),
            ("ann@[192.0.2.1]", EmailProblem::SpecialCharacter),
            ("a,b@example.com", EmailProblem::SpecialCharacter),
            ("ann@localhost", EmailProblem::DomainWithoutDot),
            ("ann@example..com", EmailProblem::EmptyDomainLabel),
            ("ann@.example.com", EmailProblem::EmptyDomainLabel),
            ("ann@example.com.", EmailProblem::EmptyDomainLabel),
        ] {
            assert_eq!(check_email(email), Err(problem), "{email:?}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(check_email(&long_local), Err(EmailProblem::TooLong));
        let long = format!("a@{}.com", "b".repeat(250));
        assert_eq!(check_email(&long), Err(EmailProblem::TooLong));
    }

    #[test]
    fn required_fields_are_checked_in_wire_order() {
        assert_eq!(
            ConfirmRequest::new("", "", ""),
            Err(RequestError::Missing { field: "key" })
        );
        assert_eq!(
            ConfirmRequest::new("  ", "s", "a@b.c"),
            Err(RequestError::Missing { field: "key" })
        );
        assert_eq!(
            ConfirmRequest::new("k", "\t", "a@b.c"),
            Err(RequestError::Missing { field: "siteid" })
        );
        assert_eq!(
            ConfirmRequest::new("k", "s", " "),
            Err(RequestError::Missing { field: "email" })
        );
        assert_eq!(
            ConfirmRequest::new("k", "s", "nope"),
            Err(RequestError::InvalidEmail(EmailProblem::NoAt))
        );
    }

    #[test]
    fn extra_params_may_not_shadow_fields() {
        let request = ConfirmRequest::new("k", "s", "a@b.c").unwrap();
        for name in ["key", "siteid", "email", "total", "key[0]", "email[]"] {
            let err = request.clone().with_param(name, "x").unwrap_err();
            assert_eq!(err.field(), Some(name));
        }
        assert!(request.clone().with_param("", "x").is_err());
        for name in ["keys", "site_id", "totals", "utm_source", "k"] {
            assert!(request.clone().with_param(name, "x").is_ok(), "{name}");
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let request = ConfirmRequest::new("sup3r-s3cret", "s", "a@b.c").unwrap();
        assert!(!format!("{request:?}").contains("sup3r"));
        assert!(!format!("{request:#?}").contains("sup3r"));
        assert_eq!(request.key().expose(), "sup3r-s3cret");
    }
}
