//! The example service's router: one route per receiving protocol, each handler taking the
//! generic `Verified<Key>` extractor, so a handler only ever sees genuine notifications. The
//! keys live in one state, each reached through `FromRef` (`#[derive(FromRef)]` needs axum's
//! `macros` feature).
//!
//! (Shared with the end-to-end test in `tests/receive.rs`, which starts this router on
//! 127.0.0.1 and delivers every sample to it.)

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::routing::{get, post};
use cartfreak_notify::{CartFreakKey, Reply};
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use cartwire_core::Dedup;
use cartwire_core::axum08::Verified;
use justclick_invoice::JustClickKey;
use serde_json::Value;

/// What arrived: the protocol, the idempotency key and the payload as JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arrival {
    /// `cartfreak`, `cartloom`, `justclick` or `cartfunnel`.
    pub(crate) protocol: &'static str,
    /// The same for every retry of one notification: a real service handles each key once.
    pub(crate) dedup_key: String,
    /// The payload, in the protocol crate's JSON view.
    pub(crate) payload: Value,
}

/// Where arrivals go (a log line in the example, a channel in the test).
#[derive(Clone)]
pub(crate) struct Log(pub(crate) Arc<dyn Fn(Arrival) + Send + Sync>);

impl Log {
    fn record(&self, protocol: &'static str, notification: &impl Dedup, payload: Value) {
        let dedup_key = notification.dedup_key().to_string();
        (self.0)(Arrival {
            protocol,
            dedup_key,
            payload,
        });
    }
}

/// The service's state: every protocol's key (built once, at start-up), and the log.
#[derive(Clone, FromRef)]
pub(crate) struct AppState {
    /// CartFreak: the product's API key (checks the POST flavour's `hash`).
    pub(crate) cartfreak: CartFreakKey,
    /// Cartloom: the token in the Notify URL (`/cartloom?token=…`).
    pub(crate) cartloom: CartloomToken,
    /// JustClick: the cabinet's API key (checks the MD5 `hash`).
    pub(crate) justclick: JustClickKey,
    /// Cartfunnel: the webhook secret (checks `X-Cartfunnel-Hmac-SHA256`).
    pub(crate) cartfunnel: CartfunnelWebhookSecret,
    /// Where arrivals are reported.
    pub(crate) log: Log,
}

/// The routes: `/cartfreak` (a GET, CartFreak's hashless flavour, is refused with 401),
/// `/cartloom`, `/justclick`, `/cartfunnel` (POST or PUT).
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/cartfreak", get(cartfreak).post(cartfreak))
        .route("/cartloom", post(cartloom))
        .route("/justclick", post(justclick))
        .route("/cartfunnel", post(cartfunnel).put(cartfunnel))
        .with_state(state)
}

/// CartFreak's sender reads the answer: `OK` (a refusal is `ERROR <reason>`, from the
/// extractor).
async fn cartfreak(State(log): State<Log>, Verified(received): Verified<CartFreakKey>) -> String {
    let payload = serde_json::to_value(&received).unwrap_or_default();
    log.record("cartfreak", &received, payload);
    Reply::Ok.to_string()
}

async fn cartloom(
    State(log): State<Log>,
    Verified(received): Verified<CartloomToken>,
) -> &'static str {
    let payload = serde_json::to_value(&received.order).unwrap_or_default();
    log.record("cartloom", &received, payload);
    "OK"
}

async fn justclick(
    State(log): State<Log>,
    Verified(invoice): Verified<JustClickKey>,
) -> &'static str {
    let payload = serde_json::to_value(&invoice).unwrap_or_default();
    log.record("justclick", &invoice, payload);
    "OK"
}

async fn cartfunnel(
    State(log): State<Log>,
    Verified(webhook): Verified<CartfunnelWebhookSecret>,
) -> &'static str {
    log.record("cartfunnel", &webhook, webhook.json().clone());
    "OK"
}
