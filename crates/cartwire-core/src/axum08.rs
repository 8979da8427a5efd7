//! Generic axum 0.8 extractors over any [`Receiver`] (feature `axum08`): [`Verified`] and
//! [`Unverified`], [`VerifiedEvent`] (the notification as an [`Event`], with the
//! notification), and the [`Rejection`] they answer with.
//!
//! `Verified<R>` reads the body, builds a [`Delivery`] and calls [`Receiver::receive`] with
//! the key `R` taken from the router's state through [`FromRef`], so one state can hold the
//! keys of several protocols. `Unverified<R>` needs no state and calls
//! [`Receiver::receive_unverified`]. The protocol crates name them for their key type
//! (`justclick_invoice::axum08::VerifiedNotification` is `Verified<JustClickKey>`).
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use cartwire_core::axum08::Verified;
//! # use cartwire_core::{Dedup, DedupKey, Delivery, Error, Receiver};
//! # #[derive(Clone)] struct PingKey;
//! # struct Ping;
//! # impl Dedup for Ping { fn dedup_key(&self) -> DedupKey { DedupKey::builder("ping", "ping").finish() } }
//! # impl Receiver for PingKey {
//! #     type Notification = Ping;
//! #     const PROTOCOL: &'static str = "ping";
//! #     fn verify(&self, _: &Delivery<'_>) -> Result<(), Error> { Ok(()) }
//! #     fn decode(_: &Delivery<'_>) -> Result<Ping, Error> { Ok(Ping) }
//! # }
//!
//! #[derive(Clone)]
//! struct AppState {
//!     ping: PingKey, // a protocol crate's key type: JustClickKey, CartloomToken, …
//! }
//!
//! impl FromRef<AppState> for PingKey {
//!     fn from_ref(state: &AppState) -> Self {
//!         state.ping.clone()
//!     }
//! }
//!
//! async fn ping(Verified(_notification): Verified<PingKey>) -> &'static str {
//!     "OK"
//! }
//!
//! let app: Router = Router::new()
//!     .route("/hooks/ping", post(ping))
//!     .with_state(AppState { ping: PingKey });
//! ```
//!
//! # Statuses
//!
//! | error | status |
//! |---|---|
//! | [`ErrorKind::Malformed`] (bad syntax, a missing field, a wrong method) | 400 Bad Request |
//! | [`ErrorKind::LimitExceeded`] (body, pairs, depth, list length) | 413 Content Too Large |
//! | [`ErrorKind::VerificationFailed`] (hash, signature or token) | 401 Unauthorized |
//!
//! Every limit maps to 413, not only the byte count: a form with a million pairs is too large
//! in the sense that matters to the sender (send less), and 413 tells an operator reading
//! logs at once that no field was wrong. The body is plain text (`text/plain;
//! charset=utf-8`), one line: [`Receiver::refusal_body`] of the error (its message, which
//! names the field at fault and never contains a secret; CartFreak's `ERROR <reason>`).
//!
//! An empty key cannot reach an extractor: the key types refuse one when they are built.
//!
//! # Body size
//!
//! The body is read under axum's body limit: the one the router sets with
//! [`DefaultBodyLimit`](axum::extract::DefaultBodyLimit), or axum's own default, 2 MiB
//! ([`DEFAULT_BODY_LIMIT`]), when it sets none. Each protocol's decoder then applies its
//! own limit (1 MiB for the form protocols) and answers 413 past it. A request that announces
//! a larger `Content-Length` than the limit is refused before its body is read.

use core::fmt;

use axum::RequestExt as _;
use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt as _, LengthLimitError};

use crate::event::{Event, ToEvent};
use crate::{Delivery, Error, ErrorKind, Limit, LimitExceeded, Receiver};

/// The body limit when the router sets none: axum's default, 2 MiB, which is also the
/// largest default limit of the protocol decoders (each applies its own, smaller or equal,
/// limit after).
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

/// Reads the whole body of `request` under axum's body limit (see the
/// [module docs](self#body-size)), giving back the request with its body as [`Bytes`], ready
/// to become a [`Delivery`].
///
/// # Errors
///
/// [`Error::Limit`] (413, "exceeds the configured limit", [`LimitExceeded::unknown_max`]: axum
/// does not tell which limit it applied) when the body is longer than the limit; [`Error::Malformed`] (400) naming `body`
/// when it cannot be read.
pub async fn read_body(request: Request) -> Result<http::Request<Bytes>, Error> {
    // axum applies the router's `DefaultBodyLimit`, or its 2 MiB default, and does not say
    // which; `Limited` fails fast on an announced `Content-Length` beyond it.
    let request = request.with_limited_body();
    let (parts, body) = request.into_parts();
    match body.collect().await {
        Ok(collected) => Ok(http::Request::from_parts(parts, collected.to_bytes())),
        Err(err) => {
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
            while let Some(inner) = source {
                if inner.downcast_ref::<LengthLimitError>().is_some() {
                    return Err(LimitExceeded::unknown_max(Limit::Bytes).into());
                }
                source = inner.source();
            }
            Err(Error::malformed(
                "body",
                format!("cannot read the request body: {err}"),
            ))
        }
    }
}

/// A notification whose hash, signature or token checked out with the key `R` of the
/// router's state (see the [module docs](self)).
pub struct Verified<R: Receiver>(pub R::Notification);

/// A decoded notification, **not verified** (no state needed): for flavours that carry
/// nothing to verify, development, or deliveries checked some other way.
pub struct Unverified<R: Receiver>(pub R::Notification);

macro_rules! extractor_impls {
    ($name:ident) => {
        impl<R: Receiver> $name<R> {
            /// The notification.
            pub fn into_inner(self) -> R::Notification {
                self.0
            }
        }

        impl<R: Receiver> core::ops::Deref for $name<R> {
            type Target = R::Notification;
            fn deref(&self) -> &R::Notification {
                &self.0
            }
        }

        impl<R: Receiver> fmt::Debug for $name<R>
        where
            R::Notification: fmt::Debug,
        {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl<R: Receiver> Clone for $name<R>
        where
            R::Notification: Clone,
        {
            fn clone(&self) -> Self {
                Self(self.0.clone())
            }
        }
    };
}

extractor_impls!(Verified);
extractor_impls!(Unverified);

/// A verified notification as an [`Event`], with the notification it was made from: so one
/// handler, generic over the key type, serves every protocol in the shared vocabulary
/// ([`crate::event`]), and the vendor's own fields stay at hand.
///
/// ```
/// use axum::extract::FromRef;
/// use axum::routing::post;
/// use axum::Router;
/// use cartwire_core::axum08::VerifiedEvent;
/// use cartwire_core::{Event, Receiver, ToEvent};
/// # use cartwire_core::{Dedup, DedupKey, Delivery, Error, EventKind};
/// # #[derive(Clone)] struct PingKey;
/// # struct Ping;
/// # impl Dedup for Ping { fn dedup_key(&self) -> DedupKey { DedupKey::builder("ping", "ping").finish() } }
/// # impl ToEvent for Ping { fn to_event(&self) -> Event { Event::new("ping", EventKind::OrderPaid, self.dedup_key()) } }
/// # impl Receiver for PingKey {
/// #     type Notification = Ping;
/// #     const PROTOCOL: &'static str = "ping";
/// #     fn verify(&self, _: &Delivery<'_>) -> Result<(), Error> { Ok(()) }
/// #     fn decode(_: &Delivery<'_>) -> Result<Ping, Error> { Ok(Ping) }
/// # }
///
/// #[derive(Clone)]
/// struct AppState {
///     ping: PingKey, // JustClickKey, CartloomToken, …: one field per protocol
/// }
///
/// impl FromRef<AppState> for PingKey {
///     fn from_ref(state: &AppState) -> Self {
///         state.ping.clone()
///     }
/// }
///
/// /// The one handler of every protocol.
/// async fn on_event<R: Receiver>(VerifiedEvent { event, .. }: VerifiedEvent<R>) -> &'static str {
///     println!("{} {} {}", event.protocol, event.kind, event.dedup_key);
///     "OK"
/// }
///
/// let app: Router = Router::new()
///     .route("/hooks/ping", post(on_event::<PingKey>))
///     .with_state(AppState { ping: PingKey });
/// ```
#[non_exhaustive]
pub struct VerifiedEvent<R: Receiver> {
    /// The notification's event ([`ToEvent::to_event`]).
    pub event: Event,
    /// The verified notification itself.
    pub notification: R::Notification,
}

impl<R: Receiver> fmt::Debug for VerifiedEvent<R>
where
    R::Notification: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifiedEvent")
            .field("event", &self.event)
            .field("notification", &self.notification)
            .finish()
    }
}

impl<S, R> FromRequest<S> for VerifiedEvent<R>
where
    S: Send + Sync,
    R: Receiver + FromRef<S> + Send + Sync,
    R::Notification: ToEvent + Send,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Verified(notification) = Verified::<R>::from_request(request, state).await?;
        Ok(Self {
            event: notification.to_event(),
            notification,
        })
    }
}

/// The rejection of a refused delivery for protocol `R`: the status of the error's kind,
/// [`Receiver::refusal_body`] as the body.
pub fn rejection<R: Receiver>(err: &Error) -> Rejection {
    Rejection::from_kind(err.kind(), R::refusal_body(err))
}

async fn delivered<R: Receiver>(request: Request) -> Result<http::Request<Bytes>, Rejection> {
    read_body(request).await.map_err(|err| {
        #[cfg(feature = "tracing")]
        crate::receive::refused(R::PROTOCOL, false, &err);
        rejection::<R>(&err)
    })
}

impl<S, R> FromRequest<S> for Verified<R>
where
    S: Send + Sync,
    R: Receiver + FromRef<S> + Send + Sync,
    R::Notification: Send,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let key = R::from_ref(state);
        let request = delivered::<R>(request).await?;
        key.receive(&Delivery::from(&request))
            .map(Self)
            .map_err(|err| rejection::<R>(&err))
    }
}

impl<S, R> FromRequest<S> for Unverified<R>
where
    S: Send + Sync,
    R: Receiver + Send + Sync,
    R::Notification: Send,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let request = delivered::<R>(request).await?;
        R::receive_unverified(&Delivery::from(&request))
            .map(Self)
            .map_err(|err| rejection::<R>(&err))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{Credential, Dedup, DedupKey, VerifyError};
    use axum::body::Body;
    use axum::extract::DefaultBodyLimit;
    use axum::routing::post;
    use tower_service_call::call;

    /// A receiver that verifies `sig=ok` in the query and decodes a non-empty body.
    #[derive(Clone)]
    struct Toy;
    #[derive(Debug, Clone)]
    struct Note(Vec<u8>);

    impl Dedup for Note {
        fn dedup_key(&self) -> DedupKey {
            DedupKey::builder("toy", "note").finish()
        }
    }

    impl Receiver for Toy {
        type Notification = Note;
        const PROTOCOL: &'static str = "toy";
        fn verify(&self, delivery: &Delivery<'_>) -> Result<(), Error> {
            if delivery.query() == "sig=ok" {
                Ok(())
            } else {
                Err(VerifyError::Mismatch.at(Credential::Token, "sig"))
            }
        }
        fn decode(delivery: &Delivery<'_>) -> Result<Note, Error> {
            let body = delivery.posted_body()?;
            if body.is_empty() {
                return Err(Error::missing("id"));
            }
            Ok(Note(body.to_vec()))
        }
        fn refusal_body(error: &Error) -> String {
            format!("ERROR {error}")
        }
    }

    impl ToEvent for Note {
        fn to_event(&self) -> Event {
            let mut event = Event::new("toy", crate::EventKind::OrderPaid, self.dedup_key());
            event.order_id = Some(String::from_utf8_lossy(&self.0).into_owned());
            event
        }
    }

    #[tokio::test]
    async fn verified_event_carries_the_event_and_the_notification() {
        let ok = Request::post("/h?sig=ok").body(Body::from("7")).unwrap();
        let got = VerifiedEvent::<Toy>::from_request(ok, &Toy).await.unwrap();
        assert_eq!(got.event.order_id.as_deref(), Some("7"));
        assert_eq!(got.notification.0, b"7");
        let forged = Request::post("/h?sig=no").body(Body::from("7")).unwrap();
        let err = VerifiedEvent::<Toy>::from_request(forged, &Toy)
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
    }

    async fn verified(request: Request) -> Result<Note, Rejection> {
        Verified::<Toy>::from_request(request, &Toy)
            .await
            .map(Verified::into_inner)
    }

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
            Rejection::from(VerifyError::Empty.at(Credential::Hash, "hash")).status(),
            StatusCode::UNAUTHORIZED
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
    async fn verified_checks_first_and_answers_in_the_protocols_words() {
        let ok = Request::post("/h?sig=ok").body(Body::from("7")).unwrap();
        assert_eq!(verified(ok).await.unwrap().0, b"7");

        // Forged and malformed at once: refused as forged.
        let forged = Request::post("/h?sig=no").body(Body::empty()).unwrap();
        let err = verified(forged).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            err.message(),
            "ERROR verification failed: `sig`: the token does not match (wrong token, or a request to a guessed URL)"
        );

        let get = Request::get("/h?sig=ok").body(Body::empty()).unwrap();
        let err = verified(get).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            err.message(),
            "ERROR field `method`: expected POST, found GET"
        );

        // Unverified needs no state and judges the content only.
        let forged = Request::post("/h?sig=no").body(Body::from("9")).unwrap();
        let Unverified(note) = Unverified::<Toy>::from_request(forged, &()).await.unwrap();
        assert_eq!(note.0, b"9");
    }

    #[tokio::test]
    async fn bodies_are_read_under_the_default_limit() {
        let request = Request::post("/h?q=1").body(Body::from("a=1")).unwrap();
        let buffered = read_body(request).await.unwrap();
        assert_eq!(&buffered.body()[..], b"a=1");
        assert_eq!(buffered.uri().query(), Some("q=1"));

        let huge = vec![b'a'; DEFAULT_BODY_LIMIT + 1];
        let request = Request::post("/h?sig=ok").body(Body::from(huge)).unwrap();
        let err = verified(request).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            err.message(),
            "ERROR input size in bytes exceeds the configured limit"
        );

        // Without a Content-Length (a stream), the limit still holds.
        let stream = Body::from_stream(Chunks(
            vec![vec![b'a'; DEFAULT_BODY_LIMIT], b"cd".to_vec()].into_iter(),
        ));
        let request = Request::post("/h").body(stream).unwrap();
        let err = read_body(request).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    }

    #[tokio::test]
    async fn the_routers_default_body_limit_is_honoured() {
        async fn handler(Verified(note): Verified<Toy>) -> String {
            format!("{} bytes", note.0.len())
        }
        let app = axum::Router::new()
            .route("/h", post(handler))
            .layer(DefaultBodyLimit::max(10))
            .with_state(Toy);
        let small = Request::post("/h?sig=ok")
            .body(Body::from("0123456789"))
            .unwrap();
        let (status, body) = call(app.clone(), small).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "10 bytes"));
        let large = Request::post("/h?sig=ok")
            .body(Body::from("0123456789A"))
            .unwrap();
        let (status, _) = call(app, large).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

        // A router that lifts the limit gets bodies past 2 MiB through.
        let app = axum::Router::new()
            .route("/h", post(handler))
            .layer(DefaultBodyLimit::max(DEFAULT_BODY_LIMIT * 2))
            .with_state(Toy);
        let big = Request::post("/h?sig=ok")
            .body(Body::from(vec![b'a'; DEFAULT_BODY_LIMIT + 1]))
            .unwrap();
        let (status, _) = call(app, big).await;
        assert_eq!(status, StatusCode::OK);
    }

    #[tokio::test]
    async fn a_broken_body_is_a_bad_request() {
        let stream = Body::from_stream(BrokenStream(false));
        let request = Request::post("/h").body(stream).unwrap();
        let err = read_body(request).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Malformed);
        assert_eq!(err.field(), Some("body"));
        assert!(err.to_string().contains("cannot read the request body"));
    }

    mod tower_service_call {
        use axum::body::Body;
        use axum::http::{Request, StatusCode};
        use tower_service::Service as _;

        /// Sends one request through a router; the status and the body as text.
        pub(super) async fn call(
            mut app: axum::Router,
            request: Request<Body>,
        ) -> (StatusCode, String) {
            let response = app.call(request).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, String::from_utf8_lossy(&body).into_owned())
        }
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
