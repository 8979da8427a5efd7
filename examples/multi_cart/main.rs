//! One axum service for every cart: CartFreak, Cartloom, JustClick and Cartfunnel deliveries
//! all end in ONE handler that takes the delivery's `Event` (order paid, refunded,
//! subscription ended, …), stores it in SQLite exactly once, and keeps a customer access
//! table in the same transaction (see `app.rs` for the rules and why).
//!
//! ```sh
//! cargo run --example multi_cart             # listens on 127.0.0.1:3000, ./multi_cart.sqlite3
//! # in another shell, deliver samples as the vendors' servers would (twice: stored once):
//! for i in 1 2; do
//!   cargo run -q -p cartwire-cli -- samples justclick paid \
//!     | cargo run -q -p cartwire-cli -- send justclick --to http://127.0.0.1:3000/justclick
//! done
//! sqlite3 multi_cart.sqlite3 'SELECT protocol, kind, order_id FROM events; SELECT * FROM access'
//! ```
//!
//! Configuration from the environment: `DATABASE` (the SQLite file, default
//! `multi_cart.sqlite3`), `PORT` (default 3000), and the keys `CARTFREAK_API_KEY`,
//! `CARTLOOM_TOKEN`, `JUSTCLICK_API_KEY`, `CARTFUNNEL_WEBHOOK_SECRET` (each defaults to the
//! key its crate's samples were signed with; an empty one stops the service at start-up).
//!
//! Dependencies: each protocol crate with its `axum08` feature (which gives
//! `cartwire_core::axum08::VerifiedEvent`), axum with `macros`, tokio, serde_json, and
//! rusqlite with `bundled`.

use std::path::PathBuf;

use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use justclick_invoice::JustClickKey;

mod app;

use app::{AppState, Store};

/// The configured value of `variable`, or `default` when it is not set.
fn setting(variable: &str, default: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| default.to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let database = PathBuf::from(setting("DATABASE", "multi_cart.sqlite3"));
    let state = AppState {
        cartfreak: CartFreakKey::new(setting(
            "CARTFREAK_API_KEY",
            cartfreak_notify::samples::SAMPLE_API_KEY,
        ))?,
        cartloom: CartloomToken::new(setting(
            "CARTLOOM_TOKEN",
            "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35",
        ))?,
        justclick: JustClickKey::new(setting(
            "JUSTCLICK_API_KEY",
            justclick_invoice::samples::SECRET,
        ))?,
        cartfunnel: CartfunnelWebhookSecret::new(setting(
            "CARTFUNNEL_WEBHOOK_SECRET",
            "whsec_test",
        ))?,
        store: Store::open(&database)?,
    };
    let port: u16 = setting("PORT", "3000").parse()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!(
        "receiving on http://{} into {}",
        listener.local_addr()?,
        database.display()
    );
    axum::serve(listener, app::router(state)).await?;
    Ok(())
}
