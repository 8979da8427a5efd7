//! An axum service that receives every cartwire receiving protocol on its own route, each
//! handler taking the generic `Verified<Key>` extractor (the key from the router's state),
//! and logs what arrived.
//!
//! ```sh
//! cargo run --example axum_receiver          # listens on 127.0.0.1:3000
//! # in another shell, deliver a sample as the vendor's server would:
//! cargo run -q -p cartwire-cli -- samples justclick paid \
//!   | cargo run -q -p cartwire-cli -- send justclick --to http://127.0.0.1:3000/justclick
//! ```
//!
//! Keys come from the environment: `CARTFREAK_API_KEY`, `CARTLOOM_TOKEN`,
//! `JUSTCLICK_API_KEY`, `CARTFUNNEL_WEBHOOK_SECRET` (each defaults to the key its crate's
//! samples were signed with, so the samples verify out of the box), and `PORT`. An empty key
//! stops the service at start-up (`JUSTCLICK_API_KEY= cargo run --example axum_receiver`:
//! "the JustClick API key is empty"), not with a 401 on every delivery.
//!
//! Dependencies: each protocol crate with its `axum08` feature, and axum with `macros` (for
//! `#[derive(FromRef)]`).

use std::sync::Arc;

use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use justclick_invoice::JustClickKey;

mod router;

use router::{AppState, Log};

/// The configured value of `variable`, or the sample key when it is not set.
fn key(variable: &str, sample: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| sample.to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let state = AppState {
        cartfreak: CartFreakKey::new(key(
            "CARTFREAK_API_KEY",
            cartfreak_notify::samples::SAMPLE_API_KEY,
        ))?,
        cartloom: CartloomToken::new(key("CARTLOOM_TOKEN", "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35"))?,
        justclick: JustClickKey::new(key("JUSTCLICK_API_KEY", justclick_invoice::samples::SECRET))?,
        cartfunnel: CartfunnelWebhookSecret::new(key("CARTFUNNEL_WEBHOOK_SECRET", "whsec_test"))?,
        log: Log(Arc::new(|arrival| {
            println!(
                "{} {}: {}",
                arrival.protocol, arrival.dedup_key, arrival.payload
            );
        })),
    };
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(3000);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    eprintln!("receiving on http://{}", listener.local_addr()?);
    axum::serve(listener, router::router(state)).await?;
    Ok(())
}
