//! Receiving every cartwire protocol without a web framework: std's `TcpListener`,
//! `httparse` for the request head, a `Delivery` built by hand from it (no `http` crate), and
//! each protocol's key: `key.receive(&delivery)` checks the hash, signature or token first,
//! then decodes.
//!
//! ```sh
//! cargo run --example std_receiver           # listens on 127.0.0.1:3001
//! cargo run -q -p cartwire-cli -- samples cartloom order \
//!   | cargo run -q -p cartwire-cli -- send cartloom --secret 5f0c2a9e7d4b41c3a8e6f1b2d9c07e35 \
//!       --to http://127.0.0.1:3001/cartloom
//! ```
//!
//! Keys come from the same variables as the axum example (`CARTFREAK_API_KEY`,
//! `CARTLOOM_TOKEN`, `JUSTCLICK_API_KEY`, `CARTFUNNEL_WEBHOOK_SECRET`, each defaulting to the
//! key its crate's samples use), and `PORT`. An empty key stops it at start-up.

use std::net::TcpListener;
use std::sync::Arc;

use cartfreak_notify::CartFreakKey;
use cartfunnel_client_types::CartfunnelWebhookSecret;
use cartloom_order::CartloomToken;
use justclick_invoice::JustClickKey;

mod server;

/// The configured value of `variable`, or the sample key when it is not set.
fn key(variable: &str, sample: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| sample.to_owned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let keys = server::Keys {
        cartfreak: CartFreakKey::new(key(
            "CARTFREAK_API_KEY",
            cartfreak_notify::samples::SAMPLE_API_KEY,
        ))?,
        cartloom: CartloomToken::new(key("CARTLOOM_TOKEN", "5f0c2a9e7d4b41c3a8e6f1b2d9c07e35"))?,
        justclick: JustClickKey::new(key("JUSTCLICK_API_KEY", justclick_invoice::samples::SECRET))?,
        cartfunnel: CartfunnelWebhookSecret::new(key("CARTFUNNEL_WEBHOOK_SECRET", "whsec_test"))?,
    };
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(3001);
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    eprintln!("receiving on http://{}", listener.local_addr()?);
    let log: server::Log = Arc::new(|arrival| {
        println!(
            "{} {}: {}",
            arrival.protocol, arrival.dedup_key, arrival.payload
        );
    });
    server::serve(listener, Arc::new(keys), log)?;
    Ok(())
}
