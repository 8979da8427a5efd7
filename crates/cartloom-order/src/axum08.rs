//! axum 0.8 extractors (feature `axum08`): check the endpoint token and decode, in the
//! handler's signature.
//!
//! * [`VerifiedOrder`] (`Verified<CartloomToken>`) checks the token in the request URI's
//!   query against the [`CartloomToken`] taken from the router's state, then decodes the POST
//!   body (either shape); `.0` is the [`ReceivedOrder`]. A type alias cannot be a pattern:
//!   take it apart as `Verified(received): VerifiedOrder`.
//! * [`UnverifiedOrder`] (`Unverified<CartloomToken>`) only decodes (development, or an
//!   endpoint protected otherwise); it needs no state.
//!
//! Rejections ([`Rejection`]) are plain text naming the field or parameter: 400 malformed (or
//! not a POST), 413 too large, 401 a missing, empty or wrong token. An empty token cannot get
//! this far: [`CartloomToken::new`] refuses it when the service starts. The body is read
//! under the router's
//! [`DefaultBodyLimit`](https://docs.rs/axum/0.8/axum/extract/struct.DefaultBodyLimit.html) (2 MiB when it
//! sets none), then the decoder's own limits apply.
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use cartloom_order::axum08::{Verified, VerifiedOrder};
//! use cartloom_order::CartloomToken;
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     cartloom: CartloomToken,
//! }
//!
//! async fn cartloom(Verified(received): VerifiedOrder) -> &'static str {
//!     let order = &received.order;
//!     println!("order {} for {} ({})", order.oid, order.grandtotal, received.dedup_key());
//!     "OK"
//! }
//!
//! // Cartloom's Notify URL: https://shop.example/hooks/cartloom?token=<the same secret>
//! let state = AppState { cartloom: CartloomToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35")? };
//! let app: Router = Router::new().route("/hooks/cartloom", post(cartloom)).with_state(state);
//! # Ok::<(), cartloom_order::EmptyKey>(())
//! ```
//!
//! (`#[derive(FromRef)]` needs axum's `macros` feature; without it, implement
//! `FromRef<AppState> for CartloomToken` by hand.)
//!
//! [`CartloomToken`]: crate::CartloomToken
//! [`CartloomToken::new`]: crate::CartloomToken::new
//! [`ReceivedOrder`]: crate::ReceivedOrder

pub use cartwire_core::axum08::{Rejection, Unverified, Verified};

use crate::CartloomToken;

/// An order posted to the endpoint with the right token: `.0` is the
/// [`ReceivedOrder`](crate::ReceivedOrder).
pub type VerifiedOrder = Verified<CartloomToken>;

/// An order, the token **not checked** (no state needed): `.0` is the
/// [`ReceivedOrder`](crate::ReceivedOrder).
pub type UnverifiedOrder = Unverified<CartloomToken>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BodyShape, samples};
    use axum::body::Body;
    use axum::extract::{FromRef, FromRequest, Request};
    use axum::http::StatusCode;

    const TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";

    #[derive(Clone, FromRef)]
    struct AppState {
        cartloom: CartloomToken,
    }

    fn state() -> AppState {
        AppState {
            cartloom: CartloomToken::new(TOKEN).unwrap(),
        }
    }

    async fn verified(uri: &str, body: &str) -> Result<VerifiedOrder, Rejection> {
        let request = Request::post(uri)
            .body(Body::from(body.to_owned()))
            .unwrap();
        VerifiedOrder::from_request(request, &state()).await
    }

    #[tokio::test]
    async fn both_shapes_pass_with_the_token() {
        let uri = format!("/cl?token={TOKEN}");
        let Verified(form) = verified(&uri, samples::ORDER_FORM).await.unwrap();
        assert_eq!(form.shape, BodyShape::Form);
        let Verified(json) = verified(&uri, samples::ORDER_JSON).await.unwrap();
        assert_eq!(json.shape, BodyShape::Json);
        assert_eq!(form.order, json.order);
        assert_eq!(form.dedup_key(), json.dedup_key());
    }

    #[tokio::test]
    async fn failures_have_statuses_and_reasons() {
        let err = verified("/cl?token=guess", samples::ORDER_FORM)
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            err.message(),
            "verification failed: `token`: the token does not match (wrong token, or a request to a guessed URL)"
        );
        // Forged and malformed at once: refused as forged.
        let err = verified("/cl", "order=%7B").await.unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(err.message(), "verification failed: `token` is missing");
        let err = verified(&format!("/cl?token={TOKEN}"), "order=%7B")
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);

        let request = Request::post("/cl")
            .body(Body::from(samples::ORDER_JSON))
            .unwrap();
        let Unverified(unverified) = UnverifiedOrder::from_request(request, &()).await.unwrap();
        assert_eq!(unverified.order.oid, "0000123456");
    }

    #[tokio::test]
    async fn a_router_with_the_token_in_its_state() {
        use tower_service::Service as _;

        async fn handler(Verified(received): VerifiedOrder) -> String {
            received.order.oid
        }
        let mut app = axum::Router::new()
            .route("/hooks/cartloom", axum::routing::post(handler))
            .with_state(state());
        for (uri, status, answer) in [
            (
                format!("/hooks/cartloom?token={TOKEN}"),
                StatusCode::OK,
                "0000123456",
            ),
            (
                "/hooks/cartloom?token=nope".to_owned(),
                StatusCode::UNAUTHORIZED,
                "verification failed: `token`: the token does not match (wrong token, or a request to a guessed URL)",
            ),
        ] {
            let request = Request::post(uri)
                .header("content-type", BodyShape::Form.content_type())
                .body(Body::from(samples::ORDER_FORM))
                .unwrap();
            let response = app.call(request).await.unwrap();
            assert_eq!(response.status(), status);
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(&body[..], answer.as_bytes());
        }
    }
}
