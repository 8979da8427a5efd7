//! axum 0.8 extractors (feature `axum08`): receive, and verify, in the handler's signature.
//!
//! * [`VerifiedNotification`] (`Verified<JustClickKey>`) reads the POST body and hands it
//!   to [`JustClickKey`]'s `receive`, the key taken from the router's state (directly, or
//!   as a field of a state that implements [`FromRef`](https://docs.rs/axum/0.8/axum/extract/trait.FromRef.html)): the hash
//!   is checked first, then the notification decoded.
//! * [`UnverifiedNotification`] (`Unverified<JustClickKey>`) only decodes (development, or
//!   a body checked elsewhere); it needs no state.
//!
//! Both are aliases of the generic extractors every cartwire receiving crate shares, so they
//! destructure as `Verified(notification)`. Rejections ([`Rejection`]) are plain text
//! naming the field: 400 malformed (or not a POST), 413 too large (the router's
//! `DefaultBodyLimit`, or 2 MiB; then the form decoder's 1 MiB), 401 a missing or wrong
//! `hash`. JustClick does not read the answer's body; any 2xx means delivered. An empty key
//! cannot reach an extractor: [`JustClickKey::new`] refuses it at start-up.
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use justclick_invoice::axum08::{Verified, VerifiedNotification};
//! use justclick_invoice::{JustClickKey, Notification};
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     justclick: JustClickKey,
//! }
//!
//! async fn justclick(Verified(notification): VerifiedNotification) -> &'static str {
//!     if let Notification::Paid(paid) = &notification {
//!         println!("order {} paid ({})", paid.invoice.id, notification.dedup_key());
//!     }
//!     "OK"
//! }
//!
//! # fn main() -> Result<(), justclick_invoice::EmptyKey> {
//! let state = AppState { justclick: JustClickKey::new("api-key-from-the-cabinet")? };
//! let app: Router = Router::new().route("/hooks/justclick", post(justclick)).with_state(state);
//! # Ok(())
//! # }
//! ```

#[doc(inline)]
pub use cartwire_core::axum08::{Rejection, Unverified, Verified};

use crate::receive::JustClickKey;

/// A notification whose `hash` checked out with the [`JustClickKey`] of the router's state.
pub type VerifiedNotification = Verified<JustClickKey>;

/// A decoded notification, **not verified** (no state needed).
pub type UnverifiedNotification = Unverified<JustClickKey>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::{Kind, Notification, samples};
    use axum::body::Body;
    use axum::extract::{FromRef, FromRequest, Request};
    use axum::http::StatusCode;

    /// A state holding the key among other things, as a real service's does.
    #[derive(Clone, FromRef)]
    struct AppState {
        justclick: JustClickKey,
        name: &'static str,
    }

    fn state(key: &str) -> AppState {
        AppState {
            justclick: JustClickKey::new(key).unwrap(),
            name: "shop",
        }
    }

    fn post(body: &str) -> Request {
        Request::post("/jc")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    async fn verified(request: Request, key: &str) -> Result<Notification, Rejection> {
        let state = state(key);
        assert_eq!(state.name, "shop");
        VerifiedNotification::from_request(request, &state)
            .await
            .map(|Verified(n)| n)
    }

    #[tokio::test]
    async fn every_sample_passes_with_the_key_from_the_state() {
        for (kind, wire) in samples::ALL {
            let notification = verified(post(wire), samples::SECRET).await.unwrap();
            assert_eq!(notification.kind(), *kind);
        }
    }

    #[tokio::test]
    async fn failures_have_statuses_and_reasons() {
        let err = verified(post(samples::PAID), "wrong").await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            err.message(),
            "verification failed: `hash`: the hash does not match (wrong key, or the payload was altered)"
        );

        // Unsigned and without an e-mail: refused as forged.
        let err = verified(post("id=1&paid=1712048461"), samples::SECRET)
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(err.message(), "verification failed: `hash` is missing");

        let get = Request::get("/jc?id=1").body(Body::empty()).unwrap();
        let err = verified(get, samples::SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert_eq!(err.message(), "field `method`: expected POST, found GET");

        let Unverified(n) = UnverifiedNotification::from_request(post(samples::CREATED), &())
            .await
            .unwrap();
        assert_eq!(n.kind(), Kind::Created);
        let err = UnverifiedNotification::from_request(post("garbage%%%"), &())
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert!(err.message().starts_with("field `id`: missing"), "{err}");
    }
}
