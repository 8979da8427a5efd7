//! axum 0.8 extractors (feature `axum08`): receive, and verify, in the handler's signature.
//!
//! * [`VerifiedNotification`] ([`Verified`]`<`[`CartFreakKey`]`>`) reads the request (GET
//!   query or POST form body) and [receives](crate::Receiver::receive) it with the
//!   [`CartFreakKey`] of the router's state: the `hash` is checked before anything else.
//! * [`UnverifiedNotification`] ([`Unverified`]`<`[`CartFreakKey`]`>`) only decodes, and
//!   needs no state: for receivers of the documented **GET flavour, which carries no hash**.
//!   Such a receiver protects its API URL with a secret token of its own (a long random
//!   `token` parameter in the API URL configured in CartFreak, compared in constant time with
//!   [`Secret::matches`](crate::Secret::matches)), or anyone who finds the URL can send it
//!   notifications.
//!
//! Both give the [`Received`](crate::Received) notification (`.0`, or `into_inner()`).
//! Refusals answer in CartFreak's reply format, `ERROR <reason>` as plain text (the reason
//! names the field), with the status of the error's kind: 400 malformed, 413 too large, 401
//! a missing or wrong hash (**every GET notification, with `VerifiedNotification`**). Answer
//! a notification you handled with [`Reply::Ok`](crate::Reply).
//!
//! The key comes from the state through [`FromRef`](https://docs.rs/axum/0.8/axum/extract/trait.FromRef.html), so one state can
//! hold the keys of several protocols. A type alias cannot name a tuple struct in a pattern:
//! destructure with the generic name (`Verified(received): VerifiedNotification`).
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::{get, post};
//! use axum::Router;
//! use cartfreak_notify::axum08::{Unverified, UnverifiedNotification, Verified, VerifiedNotification};
//! use cartfreak_notify::{CartFreakKey, Reply};
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     cartfreak: CartFreakKey,
//!     // …other protocols' keys, a database pool…
//! }
//!
//! /// The hashed POST flavour.
//! async fn cartfreak(Verified(received): VerifiedNotification) -> String {
//!     println!("{} {}", received.notification.command(), received.dedup_key());
//!     Reply::Ok.to_string()
//! }
//!
//! /// The documented GET flavour: no hash, so the route itself must be secret.
//! async fn cartfreak_get(Unverified(received): UnverifiedNotification) -> String {
//!     println!("unverified {}", received.notification.command());
//!     Reply::Ok.to_string()
//! }
//!
//! # fn main() -> Result<(), cartfreak_notify::EmptyKey> {
//! let state = AppState { cartfreak: CartFreakKey::new("sk_from_the_product_settings")? };
//! let app: Router = Router::new()
//!     .route("/hooks/cartfreak", post(cartfreak))
//!     .route("/hooks/cartfreak-get-5f0c9a1e", get(cartfreak_get))
//!     .with_state(state);
//! # Ok(())
//! # }
//! ```

pub use cartwire_core::axum08::{Rejection, Unverified, Verified};

use crate::key::CartFreakKey;

/// A notification whose `hash` checked out with the [`CartFreakKey`] of the router's state.
pub type VerifiedNotification = Verified<CartFreakKey>;

/// A decoded notification, **not verified** (no state needed): the documented GET flavour
/// (protect its API URL with a secret token of your own), or development.
pub type UnverifiedNotification = Unverified<CartFreakKey>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::samples;
    use axum::Router;
    use axum::body::Body;
    use axum::extract::{FromRef, FromRequest, Request};
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower_service::Service as _;

    #[derive(Clone)]
    struct AppState {
        cartfreak: CartFreakKey,
    }

    impl FromRef<AppState> for CartFreakKey {
        fn from_ref(state: &AppState) -> Self {
            state.cartfreak.clone()
        }
    }

    async fn handler(Verified(received): VerifiedNotification) -> String {
        format!(
            "{} {}",
            received.notification.command(),
            received.dedup_key()
        )
    }

    async fn unverified(Unverified(received): UnverifiedNotification) -> String {
        format!("unverified {}", received.notification.command())
    }

    fn app() -> Router {
        let state = AppState {
            cartfreak: CartFreakKey::new(samples::SAMPLE_API_KEY).unwrap(),
        };
        Router::new()
            .route("/cf", get(handler).post(handler))
            .route("/open", get(unverified).post(unverified))
            .with_state(state)
    }

    async fn call(request: Request) -> (StatusCode, String) {
        let response = app().call(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    fn post(uri: &str, body: &str) -> Request {
        Request::post(uri)
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    fn get_query(uri: &str, query: &str) -> Request {
        Request::get(format!("{uri}?{query}"))
            .body(Body::empty())
            .unwrap()
    }

    #[tokio::test]
    async fn a_signed_post_passes_with_the_key_from_the_state() {
        let (status, body) = call(post("/cf", samples::CREATE_FORM)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let expected = crate::decode(samples::CREATE_FORM.as_bytes())
            .unwrap()
            .dedup_key();
        assert_eq!(body, format!("CREATE {expected}"));
    }

    #[tokio::test]
    async fn refusals_are_error_replies_with_statuses() {
        let (status, body) = call(post("/cf", samples::CREATE_TAMPERED_HASH_FORM)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body,
            "ERROR verification failed: `hash`: the hash does not match (wrong key, or the payload was altered)"
        );

        let (status, body) = call(get_query("/cf", samples::REMOVE_QUERY)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body, "ERROR verification failed: `hash` is missing");

        // Forged and malformed at once: refused as forged.
        let (status, body) = call(post("/cf", "command=CREATE&hash=00")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

        // Signed but malformed: refused as malformed, naming the field.
        let signed = "command=CREATE&hash=1a6fdad0ec197c384a381bb29ca235c44c318684";
        let (status, body) = call(post("/cf", signed)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body, "ERROR field `amount`: missing");

        let (status, body) = call(post("/cf", "command=CREATE&command=REMOVE")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.starts_with("ERROR field `command`"), "{body}");

        let huge = "a".repeat(cartwire_core::axum08::DEFAULT_BODY_LIMIT + 1);
        let (status, body) = call(post("/cf", &huge)).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(body.starts_with("ERROR "), "{body}");
    }

    #[tokio::test]
    async fn unverified_decodes_the_get_flavour() {
        let (status, body) = call(get_query("/open", samples::REMOVE_QUERY)).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, "unverified REMOVE")
        );

        let request = get_query("/open", samples::REMOVE_QUERY);
        let Unverified(received) = UnverifiedNotification::from_request(request, &())
            .await
            .unwrap();
        assert_eq!(received.notification.email(), Some("user@domain.com"));

        let (status, body) = call(post("/open", "billing_id=1")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body, "ERROR field `command`: missing");
    }

    #[tokio::test]
    async fn the_extractor_works_with_the_key_as_the_whole_state() {
        let key = CartFreakKey::new(samples::SAMPLE_API_KEY).unwrap();
        let request = post("/cf", samples::REMOVE_FORM);
        let received = VerifiedNotification::from_request(request, &key)
            .await
            .unwrap()
            .into_inner();
        assert_eq!(received.notification.billing_id(), Some("224"));
        let wrong = CartFreakKey::new("another-key").unwrap();
        let rejection =
            VerifiedNotification::from_request(post("/cf", samples::REMOVE_FORM), &wrong)
                .await
                .unwrap_err();
        assert_eq!(rejection.status(), StatusCode::UNAUTHORIZED);
    }
}
