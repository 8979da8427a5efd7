//! axum 0.8 extractors for Cartfunnel's order and abandoned-cart webhooks (feature
//! `axum08`): the signature checked and the body parsed in the handler's signature.
//!
//! * [`VerifiedWebhook`] is [`Verified<CartfunnelWebhookSecret>`]: it checks the
//!   `X-Cartfunnel-Hmac-SHA256` signature over the raw body with the
//!   [`CartfunnelWebhookSecret`] taken from the router's state (through
//!   [`FromRef`](axum::extract::FromRef)), then parses the body
//!   ([`Receiver::receive`](crate::Receiver::receive)).
//! * [`UnverifiedWebhook`] is [`Unverified<CartfunnelWebhookSecret>`]: it only parses (no
//!   state needed; for development).
//!
//! Cartfunnel sends POST or PUT: route both. A refused request is answered with a
//! [`Rejection`]: plain text naming the field or header, 400 when malformed (a body that is
//! not JSON, a method without a body, a repeated signature header), 413 past axum's body
//! limit (the router's `DefaultBodyLimit`, or 2 MiB), 401 for a missing or wrong signature.
//! An empty secret cannot reach the extractor: [`CartfunnelWebhookSecret::new`] refuses it
//! when the service starts.
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use cartfunnel_client_types::axum08::{Verified, VerifiedWebhook};
//! use cartfunnel_client_types::CartfunnelWebhookSecret;
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     cartfunnel: CartfunnelWebhookSecret,
//! }
//!
//! async fn cartfunnel(Verified(webhook): VerifiedWebhook) -> &'static str {
//!     println!("{}", webhook.json()["event"]);
//!     "OK"
//! }
//!
//! let state = AppState { cartfunnel: CartfunnelWebhookSecret::new("whsec_from_the_dashboard")? };
//! let app: Router = Router::new()
//!     .route("/hooks/cartfunnel", post(cartfunnel).put(cartfunnel))
//!     .with_state(state);
//! # Ok::<(), cartfunnel_client_types::EmptyKey>(())
//! ```
//!
//! (`#[derive(FromRef)]` needs axum's `macros` feature; without it, write the `FromRef`
//! impl by hand. The aliases are type aliases: destructure with `Verified(webhook)` and
//! `Unverified(webhook)`.)

pub use cartwire_core::axum08::{Rejection, Unverified, Verified};

use crate::CartfunnelWebhookSecret;

/// A webhook whose signature checked out with the [`CartfunnelWebhookSecret`] of the
/// router's state.
pub type VerifiedWebhook = Verified<CartfunnelWebhookSecret>;

/// A parsed webhook, **the signature not checked** (no state needed).
pub type UnverifiedWebhook = Unverified<CartfunnelWebhookSecret>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::samples;
    use crate::verify::{SIGNATURE_HEADER, SignedWebhook};
    use crate::{Error, Webhook};
    use axum::body::Body;
    use axum::extract::{FromRef, FromRequest, Request};
    use axum::http::StatusCode;
    use axum::routing::post;
    use tower_service::Service as _;

    const SECRET: &str = "whsec_test";

    fn key(secret: &str) -> CartfunnelWebhookSecret {
        CartfunnelWebhookSecret::new(secret).unwrap()
    }

    fn request(signed: &SignedWebhook) -> Request<Body> {
        let http = signed.to_http("/cf").unwrap();
        http.map(Body::from)
    }

    async fn verified(request: Request<Body>, secret: &str) -> Result<Webhook, Rejection> {
        VerifiedWebhook::from_request(request, &key(secret))
            .await
            .map(Verified::into_inner)
    }

    #[tokio::test]
    async fn signed_samples_pass() {
        for body in [samples::WEBHOOK_ORDER, samples::WEBHOOK_ABANDONED_CART] {
            let signed = SignedWebhook::new(body, &key(SECRET));
            let webhook = verified(request(&signed), SECRET).await.unwrap();
            assert_eq!(
                webhook.json(),
                &serde_json::from_str::<serde_json::Value>(body).unwrap()
            );
            let mut put = request(&SignedWebhook::new_base64(body, &key(SECRET)));
            *put.method_mut() = axum::http::Method::PUT;
            verified(put, SECRET).await.unwrap();
        }
    }

    #[tokio::test]
    async fn failures_have_statuses_and_reasons() {
        let signed = SignedWebhook::new(samples::WEBHOOK_ORDER, &key("other"));
        let err = verified(request(&signed), SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            err.message(),
            "verification failed: `X-Cartfunnel-Hmac-SHA256`: the signature does not match (wrong key, or the payload was altered)"
        );

        let unsigned = Request::post("/cf")
            .body(Body::from(samples::WEBHOOK_ORDER))
            .unwrap();
        let err = verified(unsigned, SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert!(err.message().contains(SIGNATURE_HEADER), "{err}");

        let not_json = SignedWebhook::new(&b"{\"a\":"[..], &key(SECRET));
        let err = verified(request(&not_json), SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);

        // Forged and not JSON at once: refused as forged.
        let forged = Request::post("/cf")
            .header(SIGNATURE_HEADER, &signed.signature)
            .body(Body::from("{\"a\":"))
            .unwrap();
        let err = verified(forged, SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);

        let signed = SignedWebhook::new(samples::WEBHOOK_ORDER, &key(SECRET));
        let mut get = request(&signed);
        *get.method_mut() = axum::http::Method::GET;
        let err = verified(get, SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        assert_eq!(err.message(), "field `method`: expected POST, found GET");

        let Unverified(w) = UnverifiedWebhook::from_request(request(&signed), &())
            .await
            .unwrap();
        assert_eq!(w.json()["order"]["total_price"], "49.95");
    }

    #[derive(Clone)]
    struct AppState {
        cartfunnel: CartfunnelWebhookSecret,
    }

    impl FromRef<AppState> for CartfunnelWebhookSecret {
        fn from_ref(state: &AppState) -> Self {
            state.cartfunnel.clone()
        }
    }

    async fn handler(Verified(webhook): VerifiedWebhook) -> String {
        let event = webhook.event().unwrap_or("none").to_owned();
        format!("{event} {}", webhook.dedup_key())
    }

    async fn call(app: &axum::Router, request: Request<Body>) -> (StatusCode, String) {
        let response = app.clone().call(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn the_key_comes_from_the_routers_state() {
        let app = axum::Router::new()
            .route("/cf", post(handler).put(handler))
            .with_state(AppState {
                cartfunnel: key(SECRET),
            });
        let signed = SignedWebhook::new(samples::WEBHOOK_ABANDONED_CART, &key(SECRET));
        let expected = Webhook::parse(signed.body.as_slice()).unwrap().dedup_key();
        let (status, body) = call(&app, request(&signed)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, format!("abandoned_cart {expected}"));

        let wrong = SignedWebhook::new(samples::WEBHOOK_ABANDONED_CART, &key("whsec_other"));
        let (status, body) = call(&app, request(&wrong)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(body.contains(SIGNATURE_HEADER), "{body}");

        // A handler that receives by hand answers with the same rejection.
        let err: Error = crate::verify::verify(b"{}", &signed.signature, &key(SECRET)).unwrap_err();
        assert_eq!(Rejection::from(err).status(), StatusCode::UNAUTHORIZED);
    }
}
