//! [`ApiUrl`]: the "API URL" set in a CartFreak product's configuration.
//!
//! # Decisions
//!
//! * Only `http` and `https` URLs with a host are accepted.
//! * A query the URL already has (`?token=abc`) is kept byte for byte; the notification's
//!   fields are appended after `&`. A fragment is dropped when the URL is parsed: it would
//!   never reach the server, and fields after `#` would be lost.
//! * A URL whose query already uses the name of a notification field (`command`, `email`, …,
//!   or `hash`) is rejected: the receiver would see the field twice, and this crate's decoder
//!   (like any careful one) refuses repeated keys.

use core::fmt;
use core::str::FromStr;

use cartwire_core::Error;
use url::Url;

use crate::payload::{CREATE_FIELDS, Notification};

/// A product's API URL: where the cart sends its notifications.
///
/// ```
/// use cartfreak_notify::{ApiUrl, Notification, SubscriptionEvent};
///
/// let api_url: ApiUrl = "https://shop.example/hooks/cartfreak.php?token=abc123#setup".parse()?;
/// assert_eq!(api_url.as_str(), "https://shop.example/hooks/cartfreak.php?token=abc123");
///
/// let remove = Notification::Remove(SubscriptionEvent::new("224", "user@domain.com"));
/// assert_eq!(
///     api_url.notification_url(&remove),
///     "https://shop.example/hooks/cartfreak.php?token=abc123\
///      &command=REMOVE&billing_id=224&email=user%40domain.com",
/// );
/// # Ok::<(), cartfreak_notify::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiUrl(Url);

impl ApiUrl {
    /// Parses and checks a configured API URL (see the [module docs](self)); the fragment, if
    /// any, is dropped.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let mut url = parse_http(text)?;
        url.set_fragment(None);
        if let Some(name) = url
            .query_pairs()
            .map(|(name, _)| name)
            .find(|name| is_reserved(name))
        {
            return Err(Error::malformed(
                "api_url",
                format!("its query already has `{name}`, a field the notification adds"),
            ));
        }
        Ok(Self(url))
    }

    /// The URL as text (normalized by the URL parser: lower-case scheme and host, `/` for an
    /// empty path).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The URL the cart calls for `notification` (the GET flavour): the fields, percent-encoded
    /// as PHP's `urlencode` does, appended to the URL's own query with `&`.
    pub fn notification_url(&self, notification: &Notification) -> String {
        self.with_fields(&notification.to_query())
    }

    /// This URL with already-encoded `fields` appended to its query.
    pub(crate) fn with_fields(&self, fields: &str) -> String {
        let mut url = self.0.clone();
        let query = match url.query() {
            Some(existing) if !existing.is_empty() && !existing.ends_with('&') => {
                format!("{existing}&{fields}")
            }
            Some(existing) => format!("{existing}{fields}"),
            None => fields.to_owned(),
        };
        // The query is already percent-encoded; `set_query` leaves such text unchanged.
        url.set_query(Some(&query));
        url.into()
    }

    /// Splits a full notification URL into the URL without query and fragment, and the query.
    pub(crate) fn split_notification_url(text: &str) -> Result<(Self, String), Error> {
        let mut url = parse_http(text)?;
        let query = url.query().unwrap_or_default().to_owned();
        url.set_query(None);
        url.set_fragment(None);
        Ok((Self(url), query))
    }
}

fn parse_http(text: &str) -> Result<Url, Error> {
    let url = Url::parse(text.trim()).map_err(|e| Error::malformed("api_url", e))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::malformed(
            "api_url",
            format!("the scheme is `{}`, not http or https", url.scheme()),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::malformed("api_url", "the URL has no host"));
    }
    Ok(url)
}

fn is_reserved(name: &str) -> bool {
    name == "command" || name == "hash" || CREATE_FIELDS.contains(&name)
}

impl FromStr for ApiUrl {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        Self::parse(text)
    }
}

impl fmt::Display for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for ApiUrl {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SubscriptionEvent;

    fn remove() -> Notification {
        Notification::Remove(SubscriptionEvent::new("224", "user@domain.com"))
    }

    #[test]
    fn keeps_the_query_and_drops_the_fragment() {
        let url = ApiUrl::parse("https://x.test/hook.php?token=abc&site=a%20b#frag").unwrap();
        assert_eq!(
            url.notification_url(&remove()),
            "https://x.test/hook.php?token=abc&site=a%20b&command=REMOVE&billing_id=224&email=user%40domain.com"
        );
    }

    #[test]
    fn no_query_a_bare_question_mark_and_a_trailing_ampersand() {
        let tail = "command=REMOVE&billing_id=224&email=user%40domain.com";
        for (configured, expected) in [
            (
                "http://www.yourdomain.com/script.php",
                "http://www.yourdomain.com/script.php?",
            ),
            (
                "http://www.yourdomain.com/script.php?",
                "http://www.yourdomain.com/script.php?",
            ),
            ("http://x.test/s.php?a=1&", "http://x.test/s.php?a=1&"),
            ("HTTP://X.TEST", "http://x.test/?"),
        ] {
            let url = ApiUrl::parse(configured).unwrap();
            assert_eq!(url.notification_url(&remove()), format!("{expected}{tail}"));
        }
    }

    #[test]
    fn rejects_what_cannot_be_an_api_url() {
        for bad in [
            "",
            "not a url",
            "ftp://x.test/hook",
            "mailto:user@domain.com",
            "file:///etc/passwd",
            "https://x.test/hook?email=a@b.c",
            "https://x.test/hook?token=1&command=CREATE",
            "https://x.test/hook?hash=abc",
        ] {
            let err = ApiUrl::parse(bad).unwrap_err();
            assert_eq!(err.field(), Some("api_url"), "{bad}: {err}");
        }
    }
}
