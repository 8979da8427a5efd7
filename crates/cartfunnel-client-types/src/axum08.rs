//! axum 0.8 extractors for Cartfunnel's order and abandoned-cart webhooks (feature
//! `axum08`): verify the `X-Cartfunnel-Hmac-SHA256` signature and parse the body in the
//! handler's signature.
//!
//! * [`VerifiedWebhook`] checks the signature with the [`CartfunnelWebhookSecret`] taken from
//!   the router's state, over the raw body, before parsing it
//!   ([`Webhook::from_http`]).
//! * [`UnverifiedWebhook`] only parses (development; [`Webhook::parse_http`]).
//!
//! Cartfunnel sends POST or PUT: route both. Rejections are plain text naming the field or
//! header, with the statuses of [`cartwire_core::axum08`]: 400 malformed (a body that is not
//! JSON, a method without a body), 413 a body over 2 MiB
//! ([`cartwire_core::axum08::DEFAULT_BODY_LIMIT`]), 401 a missing or
//! wrong signature, 500 when the configured secret is empty.
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use cartfunnel_client_types::axum08::{CartfunnelWebhookSecret, VerifiedWebhook};
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     cartfunnel: CartfunnelWebhookSecret,
//! }
//!
//! async fn cartfunnel(VerifiedWebhook(webhook): VerifiedWebhook) -> &'static str {
//!     println!("{}", webhook.json()["event"]);
//!     "OK"
//! }
//!
//! let state = AppState { cartfunnel: CartfunnelWebhookSecret::new("whsec_from_the_dashboard") };
//! let app: Router = Router::new()
//!     .route("/hooks/cartfunnel", post(cartfunnel).put(cartfunnel))
//!     .with_state(state);
//! ```

use axum::extract::{FromRef, FromRequest, Request};
use cartwire_core::Secret;
use cartwire_core::axum08::{DEFAULT_BODY_LIMIT, Rejection, buffer_request};

use crate::error::WebhookError;
use crate::verify::Webhook;

/// The webhook secret from Cartfunnel's dashboard; put it in the router's state (directly, or
/// as a field of a state that implements [`FromRef`]).
#[derive(Debug, Clone)]
pub struct CartfunnelWebhookSecret(pub Secret);

impl CartfunnelWebhookSecret {
    /// The secret.
    pub fn new(secret: impl Into<Secret>) -> Self {
        Self(secret.into())
    }
}

/// A webhook whose signature checked out with the [`CartfunnelWebhookSecret`] of the state.
#[derive(Debug, Clone)]
pub struct VerifiedWebhook(pub Webhook);

/// A parsed webhook, the signature not checked (no state needed).
#[derive(Debug, Clone)]
pub struct UnverifiedWebhook(pub Webhook);

/// The rejection for an error: 401 for the signature, 500 for an empty configured secret,
/// 400 or 413 for the body.
pub fn rejection(err: WebhookError) -> Rejection {
    match err {
        WebhookError::EmptySecret => {
            Rejection::misconfigured("the receiver's Cartfunnel webhook secret is empty")
        }
        WebhookError::Body(err) => Rejection::from(err),
        signature @ WebhookError::Signature(_) => Rejection::from_kind(
            cartwire_core::ErrorKind::VerificationFailed,
            signature.to_string(),
        ),
    }
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    S: Send + Sync,
    CartfunnelWebhookSecret: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let CartfunnelWebhookSecret(secret) = CartfunnelWebhookSecret::from_ref(state);
        let request = buffer_request(request, DEFAULT_BODY_LIMIT).await?;
        // The method first, so a GET is "malformed", not "unsigned".
        cartwire_core::http::body(&request)?;
        Webhook::from_http(&request, &secret)
            .map(Self)
            .map_err(rejection)
    }
}

impl<S: Send + Sync> FromRequest<S> for UnverifiedWebhook {
    type Rejection = Rejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let request = buffer_request(request, DEFAULT_BODY_LIMIT).await?;
        Webhook::parse_http(&request).map(Self).map_err(rejection)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::samples;
    use crate::verify::{SIGNATURE_HEADER, SignedWebhook};
    use axum::body::Body;
    use axum::http::StatusCode;

    const SECRET: &str = "whsec_test";

    fn request(signed: &SignedWebhook) -> Request<Body> {
        let http = signed.to_http("/cf").unwrap();
        http.map(Body::from)
    }

    async fn verified(request: Request<Body>, secret: &str) -> Result<Webhook, Rejection> {
        VerifiedWebhook::from_request(request, &CartfunnelWebhookSecret::new(secret))
            .await
            .map(|VerifiedWebhook(w)| w)
    }

    #[tokio::test]
    async fn signed_samples_pass() {
        for body in [samples::WEBHOOK_ORDER, samples::WEBHOOK_ABANDONED_CART] {
            let signed = SignedWebhook::new(body, &Secret::new(SECRET));
            let webhook = verified(request(&signed), SECRET).await.unwrap();
            assert_eq!(
                webhook.json(),
                &serde_json::from_str::<serde_json::Value>(body).unwrap()
            );
            let mut put = request(&SignedWebhook::new_base64(body, &Secret::new(SECRET)));
            *put.method_mut() = axum::http::Method::PUT;
            verified(put, SECRET).await.unwrap();
        }
    }

    #[tokio::test]
    async fn failures_have_statuses_and_reasons() {
        let signed = SignedWebhook::new(samples::WEBHOOK_ORDER, &Secret::new("other"));
        let err = verified(request(&signed), SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert!(err.message().starts_with("webhook signature:"), "{err}");

        let unsigned = Request::post("/cf")
            .body(Body::from(samples::WEBHOOK_ORDER))
            .unwrap();
        let err = verified(unsigned, SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert!(err.message().contains(SIGNATURE_HEADER), "{err}");

        let not_json = SignedWebhook::new(&b"{\"a\":"[..], &Secret::new(SECRET));
        let err = verified(request(&not_json), SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);

        let signed = SignedWebhook::new(samples::WEBHOOK_ORDER, &Secret::new(SECRET));
        let err = verified(request(&signed), "").await.unwrap_err();
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);

        let mut get = request(&signed);
        *get.method_mut() = axum::http::Method::GET;
        let err = verified(get, SECRET).await.unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);

        let UnverifiedWebhook(w) = UnverifiedWebhook::from_request(request(&signed), &())
            .await
            .unwrap();
        assert_eq!(w.json()["order"]["total_price"], "49.95");
    }
}
