//! What the protocol crates' axum 0.8 extractors share (feature `axum08`): the [`Rejection`]
//! they answer with, and [`buffer_request`], which reads a request's body under a size limit.
//!
//! # Statuses
//!
//! | error | status |
//! |---|---|
//! | [`ErrorKind::Malformed`] (bad syntax, a missing field, a wrong method) | 400 Bad Request |
//! | [`ErrorKind::LimitExceeded`] (body, pairs, depth, list length) | 413 Content Too Large |
//! | [`ErrorKind::VerificationFailed`] (hash, signature or token) | 401 Unauthorized |
//! | the receiver's own key is empty ([`Rejection::misconfigured`]) | 500 Internal Server Error |
//!
//! Every limit maps to 413, not only the byte count: a form with a million pairs is too large
//! in the sense that matters to the sender (send less), and 413 tells an operator reading
//! logs at once that no field was wrong. The body is plain text (`text/plain;
//! charset=utf-8`), one line: the error's message, which names the field at fault and never
//! contains a secret.
//!
//! The extractors read at most [`DEFAULT_BODY_LIMIT`] bytes. A service that needs another
//! limit (or another framework) reads the body itself and calls the protocol crate's `http`
//! functions, which take any `http::Request<B: AsRef<[u8]>>`.
//!
//! An empty key on the receiver's side is a configuration mistake, not the sender's: the
//! extractors answer 500 rather than 401, so it shows up as a server error in monitoring
//! instead of as a flood of "forged" notifications.
//!
//! ```
//! use axum::response::IntoResponse;
//! use cartwire_core::axum08::Rejection;
//! use cartwire_core::{Error, VerifyError};
//!
//! let rejection = Rejection::from(Error::from(VerifyError::Mismatch));
//! assert_eq!(rejection.status(), 401);
//! assert_eq!(
//!     rejection.message(),
//!     "verification failed: the hash does not match (wrong key, or the payload was altered)",
//! );
//! let response = Rejection::from(Error::missing("email")).into_response();
//! assert_eq!(response.status(), 400);
//! ```

use core::fmt;

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt as _, LengthLimitError, Limited};

use crate::{Error, ErrorKind, Limit, LimitExceeded};

/// The largest body the extractors read: 2 MiB, the largest default limit of the protocol
/// decoders (each decoder applies its own, smaller or equal, limit after).
pub const DEFAULT_BODY_LIMIT: usize = 2 << 20;

/// The status an error kind maps to (see the [module docs](self)).
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Malformed => StatusCode::BAD_REQUEST,
        ErrorKind::LimitExceeded => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::VerificationFailed => StatusCode::UNAUTHORIZED,
    }
}

/// Why an extractor refused a request: a status and a plain-text, one-line reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    status: StatusCode,
    message: String,
}

impl Rejection {
    /// A rejection with this status and message (line breaks become spaces).
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        let message: String = message.into();
        let message = if message.contains(['\r', '\n']) {
            message.replace(['\r', '\n'], " ")
        } else {
            message
        };
        Self { status, message }
    }

    /// A rejection for an error of `kind` (400, 413 or 401).
    pub fn from_kind(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self::new(status_of(kind), message)
    }

    /// 500: the receiver cannot check anything (its key is empty, say).
    pub fn misconfigured(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The reason, as sent in the body.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same status with another body, for a protocol whose sender expects its own reply
    /// format (CartFreak's `ERROR <message>`).
    pub fn map_message(self, f: impl FnOnce(String) -> String) -> Self {
        Self::new(self.status, f(self.message))
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status.as_u16(), self.message)
    }
}

impl std::error::Error for Rejection {}

impl From<Error> for Rejection {
    fn from(err: Error) -> Self {
        Self::from_kind(err.kind(), err.to_string())
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.message,
        )
            .into_response()
    }
}

/// Reads the whole body of `request` (at most `limit` bytes), giving back the request with
/// its body as [`Bytes`], ready for the protocol crates' `http` functions.
///
/// # Errors
///
/// 413 when the body is longer than `limit` (checked against `Content-Length` first, so an
/// announced oversized body is not read at all), 400 when it cannot be read.
pub async fn buffer_request(
    request: Request,
    limit: usize,
) -> Result<http::Request<Bytes>, Rejection> {
    let too_large = || Rejection::from(Error::from(LimitExceeded::new(Limit::Bytes, limit)));
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let (parts, body) = request.into_parts();
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => return Err(too_large()),
        Err(err) => {
            return Err(Rejection::new(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request body: {err}"),
            ));
        }
    };
    Ok(http::Request::from_parts(parts, bytes))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::VerifyError;
    use axum::body::Body;

    #[test]
    fn kinds_map_to_statuses() {
        assert_eq!(
            Rejection::from(Error::malformed("x", "bad")).status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            Rejection::from(Error::from(LimitExceeded::new(Limit::Pairs, 10))).status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            Rejection::from(Error::from(VerifyError::Empty)).status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            Rejection::misconfigured("no key").status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn the_message_stays_one_line_and_can_be_reformatted() {
        let r = Rejection::new(StatusCode::BAD_REQUEST, "a\nb\r\nc");
        assert_eq!(r.message(), "a b  c");
        let r = r.map_message(|m| format!("ERROR {m}"));
        assert_eq!(r.message(), "ERROR a b  c");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert_eq!(r.to_string(), "400: ERROR a b  c");
    }

    #[tokio::test]
    async fn the_response_is_plain_text() {
        let response = Rejection::from(Error::missing("email")).into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/plain; charset=utf-8"
        );
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        assert_eq!(&body[..], b"field `email`: missing");
    }

    #[tokio::test]
    async fn bodies_are_read_up_to_the_limit() {
        let request = Request::post("/h?q=1").body(Body::from("a=1")).unwrap();
        let buffered = buffer_request(request, 3).await.unwrap();
        assert_eq!(&buffered.body()[..], b"a=1");
        assert_eq!(buffered.uri().query(), Some("q=1"));

        // Without a Content-Length (a stream), the limit still holds.
        let stream = Body::from_stream(futures_stream(vec![b"ab".to_vec(), b"cd".to_vec()]));
        let request = Request::post("/h").body(stream).unwrap();
        let err = buffer_request(request, 3).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(err.message(), "input size in bytes exceeds the limit of 3");

        // An announced oversized body is refused before reading.
        let request = Request::post("/h")
            .header(header::CONTENT_LENGTH, "4")
            .body(Body::from("abcd"))
            .unwrap();
        let err = buffer_request(request, 3).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[tokio::test]
    async fn a_broken_body_is_a_bad_request() {
        let stream = Body::from_stream(BrokenStream(false));
        let request = Request::post("/h").body(stream).unwrap();
        let err = buffer_request(request, 100).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert!(err.message().starts_with("cannot read the request body"));
    }

    /// A stream of chunks.
    fn futures_stream(chunks: Vec<Vec<u8>>) -> Chunks {
        Chunks(chunks.into_iter())
    }

    struct Chunks(std::vec::IntoIter<Vec<u8>>);

    impl futures_core::Stream for Chunks {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next().map(Ok))
        }
    }

    /// Yields one chunk, then an error.
    struct BrokenStream(bool);

    impl futures_core::Stream for BrokenStream {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            if self.0 {
                std::task::Poll::Ready(Some(Err(std::io::Error::other("connection reset"))))
            } else {
                self.0 = true;
                std::task::Poll::Ready(Some(Ok(b"a=".to_vec())))
            }
        }
    }
}
