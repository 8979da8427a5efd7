//! Writing: the confirmation URL, and CartStack's JSON answer (for emulators and tests).
//!
//! Every value is percent-encoded the way PHP's `rawurlencode` does (RFC 3986): letters,
//! digits and `-._~` stay, every other byte of the UTF-8 text becomes `%XX`. So `+` is `%2B`,
//! `@` is `%40` and a space is `%20` (not `+`, which only form decoders read as a space). The
//! vendor's own WooCommerce plugin skips this step and loses the `+` of tagged addresses.
//!
//! The fields are written in the documented order (`key`, `siteid`, `email`, `total`), then the
//! extra parameters in the order added. The total is left out when there is none.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

use crate::request::{ConfirmRequest, DEFAULT_ENDPOINT, EMAIL, KEY, SITE_ID, TOTAL, format_total};
use crate::response::ConfirmResponse;

/// What `rawurlencode` leaves alone: ASCII letters, digits and `-._~`.
pub(crate) const RAWURLENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl ConfirmRequest {
    /// The query string, without the `?`: `key=…&siteid=…&email=…&total=…`. It holds the API
    /// key: do not log it.
    pub fn to_query(&self) -> String {
        let mut out = String::with_capacity(
            48 + self.key.expose().len() + self.site_id.len() + self.email.len() * 3,
        );
        let mut pair = |name: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            out.extend(utf8_percent_encode(name, RAWURLENCODE));
            out.push('=');
            out.extend(utf8_percent_encode(value, RAWURLENCODE));
        };
        pair(KEY, self.key.expose());
        pair(SITE_ID, &self.site_id);
        pair(EMAIL, &self.email);
        if let Some(total) = self.total {
            pair(TOTAL, &format_total(total));
        }
        for (name, value) in &self.extra {
            pair(name, value);
        }
        out
    }

    /// The full URL on CartStack's endpoint ([`DEFAULT_ENDPOINT`]). It holds the API key: do
    /// not log it.
    pub fn to_url(&self) -> String {
        format!("{DEFAULT_ENDPOINT}?{}", self.to_query())
    }

    /// The full URL on another endpoint (an emulator, a proxy). The endpoint's own query and
    /// fragment are replaced.
    ///
    /// ```
    /// use cartstack_confirm::ConfirmRequest;
    /// use url::Url;
    ///
    /// let request = ConfirmRequest::new("k", "SITE 1", "ann@example.com")?;
    /// let endpoint = Url::parse("http://127.0.0.1:8080/ss/v1/?old=1#top").unwrap();
    /// assert_eq!(
    ///     request.to_url_at(&endpoint).as_str(),
    ///     "http://127.0.0.1:8080/ss/v1/?key=k&siteid=SITE%201&email=ann%40example.com"
    /// );
    /// # Ok::<(), cartstack_confirm::RequestError>(())
    /// ```
    pub fn to_url_at(&self, endpoint: &Url) -> Url {
        let mut url = endpoint.clone();
        url.set_fragment(None);
        url.set_query(Some(&self.to_query()));
        url
    }
}

impl ConfirmResponse {
    /// The answer as compact JSON: `{"resp":100,"err_txt":"",…}`, `resp` in the form it was
    /// received, then the extra members.
    pub fn to_json(&self) -> String {
        // Serializing plain strings, numbers and JSON values into a String cannot fail; the
        // fallback is the minimal answer, never a panic.
        serde_json::to_string(self).unwrap_or_else(|_| format!("{{\"resp\":{}}}", self.resp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Decimal, Outcome};
    use core::str::FromStr;

    #[test]
    fn every_value_is_percent_encoded() {
        let request = ConfirmRequest::new("a&b=c+d e", "site/1?#", "ann+tag@bücher.de")
            .unwrap()
            .with_total(Decimal::from_str("19.9").unwrap())
            .unwrap()
            .with_param("utm source", "a~b")
            .unwrap();
        assert_eq!(
            request.to_query(),
            "key=a%26b%3Dc%2Bd%20e&siteid=site%2F1%3F%23&email=ann%2Btag%40b%C3%BCcher.de\
             &total=19.90&utm%20source=a~b"
        );
    }

    #[test]
    fn without_total_there_is_no_total_parameter() {
        let request = ConfirmRequest::new("k", "s", "a@b.co").unwrap();
        assert_eq!(
            request.to_url(),
            "https://api.cartstack.com/ss/v1/?key=k&siteid=s&email=a%40b.co"
        );
    }

    #[test]
    fn answers_are_written_as_compact_json() {
        let answer = ConfirmResponse::for_outcome(&Outcome::KeyMismatch).unwrap();
        assert_eq!(
            answer.to_json(),
            r#"{"resp":103,"err_txt":"API Key does not match"}"#
        );
        let mut answer = ConfirmResponse::new(crate::Resp::Text("100".into()), None);
        answer
            .extra
            .insert("id".into(), crate::RawJson::from_json("7").unwrap());
        assert_eq!(answer.to_json(), r#"{"resp":"100","id":7}"#);
    }
}
