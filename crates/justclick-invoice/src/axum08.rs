//! axum 0.8 extractors (feature `axum08`): decode, and verify, in the handler's signature.
//!
//! * [`VerifiedNotification`] decodes the POST body and checks its MD5 `hash` with the
//!   [`JustClickKey`] taken from the router's state.
//! * [`UnverifiedNotification`] only decodes (development, or a body checked elsewhere).
//!
//! Rejections are plain text naming the field, with the statuses of
//! [`cartwire_core::axum08`]: 400 malformed (or not a POST), 413 too large, 401 a missing or
//! wrong hash, 500 when the configured key is empty. JustClick does not read the answer's
//! body; any 2xx means delivered.
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use justclick_invoice::axum08::{JustClickKey, VerifiedNotification};
//! use justclick_invoice::Notification;
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     justclick: JustClickKey,
//! }
//!
//! async fn justclick(VerifiedNotification(notification): VerifiedNotification) -> &'static str {
//!     if let Notification::Paid(paid) = &notification {
//!         println!("order {} paid", paid.invoice.id);
//!     }
//!     "OK"
//! }
//!
//! let state = AppState { justclick: JustClickKey::new("api-key-from-the-cabinet") };
//! let app: Router = Router::new().route("/hooks/justclick", post(justclick)).with_state(state);
//! ```

use axum::extract::{FromRef, FromRequest, Request};
use cartwire_core::Secret;
use cartwire_core::axum08::{DEFAULT_BODY_LIMIT, Rejection, buffer_request};

use crate::error::{Error, VerifyError};
use crate::http::{decode_request, decode_verified_request};
use crate::payload::Notification;

/// The API key of the JustClick cabinet, which the `hash` is computed with; put it in the
/// router's state (directly, or as a field of a state that implements [`FromRef`]).
#[derive(Debug, Clone)]
pub struct JustClickKey(pub Secret);

impl JustClickKey {
    /// The key.
    pub fn new(key: impl Into<Secret>) -> Self {
        Self(key.into())
    }
}

/// A notification whose `hash` checked out with the [`JustClickKey`] of the state.
#[derive(Debug, Clone)]
pub struct VerifiedNotification(pub Notification);

/// A decoded notification, not verified (no state needed).
#[derive(Debug, Clone)]
pub struct UnverifiedNotification(pub Notification);

/// The rejection for an error: its kind's status (500 for an empty configured key) and its
/// message.
pub fn rejection(err: Error) -> Rejection {
    match err {
        Error::Verify(VerifyError::EmptySecret) => {
            Rejection::misconfigured("the receiver's JustClick API key is empty")
        }
        Error::Decode(err) => Rejection::from(err),
        other => Rejection::from_kind(other.kind(), other.to_string()),
    }
}

impl<S> FromRequest<S> for VerifiedNotification
where
    S: Send + Sync,
    JustClickKey: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JustClickKey(key) = JustClickKey::from_ref(state);
        let request = buffer_request(request, DEFAULT_BODY_LIMIT).await?;
        decode_verified_request(&request, &key)
            .map(Self)
            .map_err(rejection)
    }
}

impl<S: Send + Sync> FromRequest<S> for UnverifiedNotification {
    type Rejection = Rejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let request = buffer_request(request, DEFAULT_BODY_LIMIT).await?;
        decode_request(&request).map(Self).map_err(rejection)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::samples;
    use axum::body::Body;
    use axum::http::StatusCode;

    fn post(body: &str) -> Request<Body> {
        Request::post("/jc")
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    async fn verified(request: Request<Body>, key: &str) -> Result<Notification, Rejection> {
        VerifiedNotification::from_request(request, &JustClickKey::new(key))
            .await
            .map(|VerifiedNotification(n)| n)
    }

    #[tokio::test]
    async fn every_sample_passes_with_the_key() {
        for (kind, wire) in samples::ALL {
            let notification = verified(post(wire), samples::SECRET).await.unwrap();
            assert_eq!(notification.kind(), *kind);
        }
    }

    #[tokio::test]
    async fn failures_have_statuses_and_reasons() {
        let err = verified(post(samples::PAID), "wrong").await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert!(err.message().starts_with("field `hash`"), "{err}");

        let err = verified(post("id=1&paid=1712048461"), samples::SECRET)
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert!(err.message().contains("email"), "{err}");

        let err = verified(post(samples::PAID), "").await.unwrap_err();
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);

        let get = Request::get("/jc?id=1").body(Body::empty()).unwrap();
        let err = verified(get, samples::SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert_eq!(err.message(), "field `method`: expected POST, found GET");

        let UnverifiedNotification(n) =
            UnverifiedNotification::from_request(post(samples::CREATED), &())
                .await
                .unwrap();
        assert_eq!(n.kind(), crate::Kind::Created);
    }
}
