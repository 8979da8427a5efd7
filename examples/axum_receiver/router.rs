//! The example service's router: one route per receiving protocol, each handler taking the
//! protocol crate's verifying extractor, so a handler only ever sees genuine notifications.
//! The keys live in one state, each reached through `FromRef`.
//!
//! (Shared with the end-to-end test in `tests/receive.rs`, which starts this router on
//! 127.0.0.1 and delivers every sample to it.)

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, State};
use axum::routing::{get, post};
use cartfreak_notify::Reply;
use cartfreak_notify::axum08::{CartFreakKey, VerifiedNotification};
use cartfunnel_client_types::axum08::{CartfunnelWebhookSecret, VerifiedWebhook};
use cartloom_order::axum08::{CartloomToken, VerifiedOrder};
use justclick_invoice::axum08::{self as justclick, JustClickKey};
use serde_json::Value;

/// What arrived: the protocol and the decoded payload as JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arrival {
    /// `cartfreak`, `cartloom`, `justclick` or `cartfunnel`.
    pub(crate) protocol: &'static str,
    /// The payload, serialized with the protocol crate's serde shape.
    pub(crate) payload: Value,
}

/// Where arrivals go (a log line in the example, a channel in the test).
#[derive(Clone)]
pub(crate) struct Log(pub(crate) Arc<dyn Fn(Arrival) + Send + Sync>);

impl Log {
    fn record(&self, protocol: &'static str, payload: Result<Value, serde_json::Error>) {
        let payload = payload.unwrap_or_else(|e| Value::String(format!("unprintable: {e}")));
        (self.0)(Arrival { protocol, payload });
    }
}

/// The service's state: every protocol's key, and the log.
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

/// The routes: `/cartfreak` (GET or POST), `/cartloom`, `/justclick`, `/cartfunnel` (POST or
/// PUT).
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/cartfreak", get(cartfreak).post(cartfreak))
        .route("/cartloom", post(cartloom))
        .route("/justclick", post(justclick))
        .route("/cartfunnel", post(cartfunnel).put(cartfunnel))
        .with_state(state)
}

/// CartFreak's receiver answers `OK` (a refusal is `ERROR <reason>`, from the extractor).
async fn cartfreak(
    State(log): State<Log>,
    VerifiedNotification(received): VerifiedNotification,
) -> String {
    // Notifications may arrive twice: a real service de-duplicates on this key.
    let _dedup = received.notification.dedup_key();
    log.record("cartfreak", serde_json::to_value(&received));
    Reply::Ok.to_string()
}

async fn cartloom(
    State(log): State<Log>,
    VerifiedOrder { order, .. }: VerifiedOrder,
) -> &'static str {
    log.record("cartloom", serde_json::to_value(&order));
    "OK"
}

async fn justclick(
    State(log): State<Log>,
    justclick::VerifiedNotification(notification): justclick::VerifiedNotification,
) -> &'static str {
    log.record("justclick", serde_json::to_value(&notification));
    "OK"
}

async fn cartfunnel(
    State(log): State<Log>,
    VerifiedWebhook(webhook): VerifiedWebhook,
) -> &'static str {
    log.record("cartfunnel", Ok(webhook.into_json()));
    "OK"
}
