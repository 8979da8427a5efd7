//! axum 0.8 extractors (feature `axum08`): check the endpoint token and decode, in the
//! handler's signature.
//!
//! * [`VerifiedOrder`] checks the token in the request URI's query against the
//!   [`CartloomToken`] taken from the router's state (before reading the body), then decodes
//!   the POST body (either shape).
//! * [`UnverifiedOrder`] only decodes (development, or an endpoint protected otherwise).
//!
//! Rejections are plain text naming the field, with the statuses of
//! [`cartwire_core::axum08`]: 400 malformed (or not a POST), 413 too large, 401 a missing or
//! wrong token, 500 when the configured token is empty.
//!
//! ```
//! use axum::extract::FromRef;
//! use axum::routing::post;
//! use axum::Router;
//! use cartloom_order::axum08::{CartloomToken, VerifiedOrder};
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     cartloom: CartloomToken,
//! }
//!
//! async fn cartloom(VerifiedOrder { order, .. }: VerifiedOrder) -> &'static str {
//!     println!("order {} for {}", order.oid, order.grandtotal);
//!     "OK"
//! }
//!
//! // Cartloom's Notify URL: https://shop.example/hooks/cartloom?token=<the same secret>
//! let state = AppState { cartloom: CartloomToken::new("5f0c2a9e7d4b41c3a8e6f1b2d9c07e35") };
//! let app: Router = Router::new().route("/hooks/cartloom", post(cartloom)).with_state(state);
//! ```

use axum::extract::{FromRef, FromRequest, Request};
use cartwire_core::axum08::{DEFAULT_BODY_LIMIT, Rejection, buffer_request};
use cartwire_core::{Secret, http::query};

use crate::decode::BodyShape;
use crate::http::decode_request_shaped;
use crate::payload::Order;
use crate::verify::EndpointToken;

/// The secret token of the notify endpoint (and the query parameter carrying it); put it in
/// the router's state (directly, or as a field of a state that implements [`FromRef`]).
#[derive(Debug, Clone)]
pub struct CartloomToken(pub EndpointToken);

impl CartloomToken {
    /// A token carried in the `token` query parameter.
    pub fn new(secret: impl Into<Secret>) -> Self {
        Self(EndpointToken::new(secret))
    }
}

impl From<EndpointToken> for CartloomToken {
    fn from(token: EndpointToken) -> Self {
        Self(token)
    }
}

/// An order posted to the endpoint with the right token.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifiedOrder {
    /// The order.
    pub order: Order,
    /// How the body carried it (raw JSON or the `order=` form).
    pub shape: BodyShape,
}

/// An order, the token not checked (no state needed).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UnverifiedOrder {
    /// The order.
    pub order: Order,
    /// How the body carried it (raw JSON or the `order=` form).
    pub shape: BodyShape,
}

async fn shaped(request: Request) -> Result<(Order, BodyShape), Rejection> {
    let request = buffer_request(request, DEFAULT_BODY_LIMIT).await?;
    Ok(decode_request_shaped(&request)?)
}

impl<S> FromRequest<S> for VerifiedOrder
where
    S: Send + Sync,
    CartloomToken: FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let CartloomToken(token) = CartloomToken::from_ref(state);
        if token.secret_is_empty() {
            return Err(Rejection::misconfigured(
                "the receiver's Cartloom endpoint token is empty",
            ));
        }
        // The token first: the body of an unauthenticated request is not even read.
        token.verify_query(query(&request))?;
        let (order, shape) = shaped(request).await?;
        Ok(Self { order, shape })
    }
}

impl<S: Send + Sync> FromRequest<S> for UnverifiedOrder {
    type Rejection = Rejection;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let (order, shape) = shaped(request).await?;
        Ok(Self { order, shape })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::samples;
    use axum::body::Body;
    use axum::http::StatusCode;

    const TOKEN: &str = "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35";

    async fn verified(uri: &str, body: &str, token: &str) -> Result<VerifiedOrder, Rejection> {
        let request = Request::post(uri)
            .body(Body::from(body.to_owned()))
            .unwrap();
        VerifiedOrder::from_request(request, &CartloomToken::new(token)).await
    }

    #[tokio::test]
    async fn both_shapes_pass_with_the_token() {
        let uri = format!("/cl?token={TOKEN}");
        let form = verified(&uri, samples::ORDER_FORM, TOKEN).await.unwrap();
        assert_eq!(form.shape, BodyShape::Form);
        let json = verified(&uri, samples::ORDER_JSON, TOKEN).await.unwrap();
        assert_eq!(json.shape, BodyShape::Json);
        assert_eq!(form.order, json.order);
    }

    #[tokio::test]
    async fn failures_have_statuses_and_reasons() {
        let err = verified("/cl?token=guess", samples::ORDER_FORM, TOKEN)
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        let err = verified("/cl", samples::ORDER_FORM, TOKEN)
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(err.message(), "verification failed: `token` is missing");
        let err = verified(&format!("/cl?token={TOKEN}"), "order=%7B", TOKEN)
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
        let err = verified("/cl?token=", samples::ORDER_FORM, "")
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::INTERNAL_SERVER_ERROR);

        let request = Request::post("/cl")
            .body(Body::from(samples::ORDER_JSON))
            .unwrap();
        let unverified = UnverifiedOrder::from_request(request, &()).await.unwrap();
        assert_eq!(unverified.order.oid, "0000123456");
    }
}
