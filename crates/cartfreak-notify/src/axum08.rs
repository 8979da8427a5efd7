//! axum 0.8 extractors (feature `axum08`): decode, and verify, in the handler's signature.
//!
//! * [`VerifiedNotification`] decodes the request (GET query or POST form, as
//!   [`decode_request`]) and checks its `hash` with the [`CartFreakKey`] taken from the
//!   router's state.
//! * [`UnverifiedNotification`] only decodes: for receivers of the documented GET flavour,
//!   which has no hash (protect that API URL with a secret token of your own), and for
//!   development.
//!
//! Rejections answer in CartFreak's reply format, `ERROR <reason>` as plain text (the
//! receiver package's own wording for the reason is not kept: the reason names the field),
//! with the status of [`cartwire_core::axum08`]: 400 malformed, 413 too large, 401 a missing
//! or wrong hash (**every GET notification, when a key is required**), 500 when the
//! configured key is empty. Answer a notification you handled with [`Reply::Ok`](crate::Reply).
//!
//! The key comes from the state through [`FromRef`], so one state can hold the keys of
//! several protocols:
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use cartfreak_notify::axum08::{CartFreakKey, VerifiedNotification};
//! use cartfreak_notify::Reply;
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     cartfreak: CartFreakKey,
//!     // …other protocols' keys, a database pool…
//! }
//!
//! async fn cartfreak(VerifiedNotification(received): VerifiedNotification) -> String {
//!     println!("{} {}", received.notification.command(), received.notification.dedup_key());
//!     Reply::Ok.to_string()
//! }
//!
//! let state = AppState { cartfreak: CartFreakKey::new("sk_from_the_product_settings") };
//! let app: Router = Router::new().route("/hooks/cartfreak", post(cartfreak)).with_state(state);
//! ```

use axum::extract::{FromRef, FromRequest, Request};
use cartwire_core::axum08::{DEFAULT_BODY_LIMIT, Rejection, buffer_request};
use cartwire_core::{Error, Secret, VerifyError};

use crate::decode::Received;
use crate::http::decode_request;
use crate::reply::Reply;

/// The product's API key, which the POST flavour's `hash` is computed with; put it in the
/// router's state (directly, or as a field of a state that implements [`FromRef`]).
#[derive(Debug, Clone)]
pub struct CartFreakKey(pub Secret);

impl CartFreakKey {
    /// The key.
    pub fn new(key: impl Into<Secret>) -> Self {
        Self(key.into())
    }
}

/// A notification whose `hash` checked out with the [`CartFreakKey`] of the state.
///
/// The [`Received`] keeps the hash and flavour; [`Received::notification`] is the payload.
#[derive(Debug, Clone)]
pub struct VerifiedNotification(pub Received);

/// A decoded notification, not verified (no state needed).
#[derive(Debug, Clone)]
pub struct UnverifiedNotification(pub Received);

/// A rejection in CartFreak's reply format: `ERROR <reason>`, with the status of the error's
/// kind (500 for an empty configured key).
pub fn rejection(err: Error) -> Rejection {
    let base = match err {
        Error::Verify(VerifyError::EmptyKey) => {
            Rejection::misconfigured("the receiver's CartFreak API key is empty")
        }
        other => Rejection::from(other),
    };
    base.map_message(|message| Reply::error(message).to_string())
}

async fn received(request: Request) -> Result<Received, Rejection> {
    let request = buffer_request(request, DEFAULT_BODY_LIMIT)
        .await
        .map_err(|r| r.map_message(|message| Reply::error(message).to_string()))?;
    decode_request(&request).map_err(rejection)
}

impl<S> FromRequest<S> for VerifiedNotification
where
    S: Send + Sync,
    CartFreakKey: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let CartFreakKey(key) = CartFreakKey::from_ref(state);
        let received = received(request).await?;
        received.verify(&key).map_err(rejection)?;
        Ok(Self(received))
    }
}

impl<S: Send + Sync> FromRequest<S> for UnverifiedNotification {
    type Rejection = Rejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(received(request).await?))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::samples;
    use axum::body::Body;
    use axum::http::StatusCode;

    fn key() -> CartFreakKey {
        CartFreakKey::new(samples::SAMPLE_API_KEY)
    }

    async fn verified(request: Request<Body>, key: &CartFreakKey) -> Result<Received, Rejection> {
        VerifiedNotification::from_request(request, key)
            .await
            .map(|VerifiedNotification(r)| r)
    }

    fn post(body: &str) -> Request<Body> {
        Request::post("/cf")
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    #[tokio::test]
    async fn a_signed_post_passes() {
        let received = verified(post(samples::CREATE_FORM), &key()).await.unwrap();
        assert_eq!(received.notification.command_str(), "CREATE");
    }

    #[tokio::test]
    async fn failures_get_error_replies_with_statuses() {
        let err = verified(post(samples::CREATE_TAMPERED_HASH_FORM), &key())
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert!(
            err.message().starts_with("ERROR verification failed"),
            "{err}"
        );

        let get = Request::get(format!("/cf?{}", samples::REMOVE_QUERY.trim()))
            .body(Body::empty())
            .unwrap();
        let err = verified(get, &key()).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            err.message(),
            "ERROR verification failed: `hash` is missing"
        );

        let err = verified(post("command=CREATE&command=REMOVE"), &key())
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert!(err.message().contains("`command`"), "{err}");

        let err = verified(post(samples::CREATE_FORM), &CartFreakKey::new(""))
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);

        let huge = "a".repeat(DEFAULT_BODY_LIMIT + 1);
        let err = verified(post(&huge), &key()).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert!(err.message().starts_with("ERROR "));
    }

    #[tokio::test]
    async fn unverified_decodes_the_get_flavour() {
        let get = Request::get(format!("/cf?{}", samples::REMOVE_QUERY.trim()))
            .body(Body::empty())
            .unwrap();
        let UnverifiedNotification(received) = UnverifiedNotification::from_request(get, &())
            .await
            .unwrap();
        assert_eq!(received.notification.email(), Some("user@domain.com"));
    }
}
